"""The HTML report: a self-contained page with a table per document of what was removed,
what it duplicated and by which rule.

The page loads nothing (its Content-Security-Policy forbids it): its style and its one
script are inline. The script filters the rows by kind and rule, from the controls or
from the address's fragment (``report.html#kind=caption&rule=contained``), which it reads
on load; without it every row shows.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from difflib import Match, SequenceMatcher
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Result
    from ..model import Block
    from . import Summary


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:96em;padding:0 1em;color:#222}
h1{font-size:1.4em} h2{font-size:1.05em;margin-top:2em;word-break:break-all}
h2 small{font-weight:normal;color:#666;margin-left:.5em} a{color:#0645ad}
table{border-collapse:collapse;width:100%;table-layout:fixed} td,th{border:1px solid #ccc;
padding:.35em .5em;vertical-align:top;text-align:left} td.t{overflow-wrap:anywhere}
th{background:#f3f3f3;font-size:.9em} .removals th:nth-child(1),.removals th:nth-child(4){width:12%}
.removals th:nth-child(2){width:7%} .removals th:nth-child(6){width:8%} .removals th:nth-child(7){width:7%}
del{background:#fdd;text-decoration:none} ins{background:#dfd;text-decoration:none}
mark{background:#fd5;outline:1px solid #c90;padding:0 1px}
.summary{background:#f7f7f7;padding:.6em 1em;border-radius:4px}
.at code{font-size:.9em} .path{color:#666;font-family:monospace;overflow-wrap:normal}
[hidden]{display:none!important}
.filter{margin:1em 0;display:flex;gap:1.2em;align-items:center;flex-wrap:wrap}
.filter select{font:inherit;padding:.15em .3em} .filter output{color:#555}
.unchanged{color:#555;margin:1em 0} .unchanged summary{cursor:pointer}
.unchanged ol{font-size:.85em;margin:.4em 0;padding-left:3.5em;word-break:break-all}
"""


def document_title(name: str, title: str | None = None) -> str:
    """What a document is called on the page: its title (a link when it is a web address,
    which the page never fetches), its name beside it; or its name alone."""
    esc = html.escape
    if not title:
        return esc(name)
    if _WEB_ADDRESS.match(title):
        shown = f'<a href="{esc(title)}" rel="noreferrer">{esc(title)}</a>'
    else:
        shown = f'<span class="title">{esc(title)}</span>'
    return f"{shown} <small>{esc(name)}</small>"


# Only these titles are linked: a record's "url" could hold any scheme (javascript:).
_WEB_ADDRESS = re.compile(r"https?://\S", re.I)


def document_section(result: Result, title: str | None = None, fmt: str | None = None) -> str:
    """One document's section: a heading (``title`` when given, such as a record's URL or
    id, else its name) and a table of its removals. A document with nothing removed has
    no section: it is one entry (``<li>``) in the page's list of unchanged documents.
    ``fmt`` is the output whose removals it shows (by default text's, ``Result.removed``)."""
    removals = result.removals(fmt) if fmt else result.removed
    esc = html.escape
    named = document_title(result.name, title)
    if not removals:
        return f"<li>{named}</li>"
    parts = [
        f'<section class="document"><h2>{named}</h2>',
        '<table class="removals"><tr><th>where</th><th>kind</th><th>removed text</th>'
        "<th>duplicates</th><th>kept text</th><th>rule</th><th>similarity</th></tr>",
    ]
    for rem in removals:
        kept = result.blocks[rem.duplicate_of]
        parts.append(
            f'<tr data-kind="{esc(str(rem.kind))}" data-rule="{esc(rem.reason)}">'
            f"<td>{block_place(result, result.blocks[rem.index])}</td>"
            f"<td>{esc(str(rem.kind))}</td>"
            f'<td class="t"><del>{esc(rem.text)}</del></td>'
            f"<td>{block_place(result, kept)}<br>{esc(str(kept.kind))}</td>"
            f'<td class="t"><ins>{kept_text(rem.text, kept.text)}</ins></td>'
            f"<td>{esc(rem.reason)}</td><td>{rem.similarity:.3f}</td></tr>"
        )
    parts.append("</table></section>")
    return "".join(parts)


def kept_text(removed: str, kept: str) -> str:
    """The kept block's text as HTML: when the removed text is a shorter part of it (a
    caption inside a paragraph), that part marked (``<mark>``) and a long text cut to the
    words around it."""
    esc = html.escape
    span = contained_span(removed, kept)
    if span is None:
        return esc(kept)
    start, end = span
    before, inside, after = kept[:start], kept[start:end], kept[end:]
    if len(kept) > _LONG:
        if len(before) > _AROUND:
            before = "\u2026" + _words_from(before[-_AROUND:])
        if len(after) > _AROUND:
            after = _words_to(after[:_AROUND]) + "\u2026"
    return f"{esc(before)}<mark>{esc(inside)}</mark>{esc(after)}"


# A kept text longer than this is cut to this many characters either side of its mark.
_LONG, _AROUND = 600, 200
# The shortest run of characters that counts as matching, and the share of the removed
# text that must match for a part of the kept one to be marked.
_MIN_RUN, _MIN_SHARE = 4, 0.6
# Past this product of the two texts' lengths only an exact (normalised) match is looked
# for: difflib's time grows with it.
_FUZZY_MAX = 2_000_000


def _words_from(text: str) -> str:
    """``text`` from its first whole word on."""
    cut = text.find(" ")
    return text[cut + 1 :] if 0 <= cut < len(text) // 2 else text


def _words_to(text: str) -> str:
    """``text`` up to its last whole word."""
    cut = text.rfind(" ")
    return text[:cut] if cut > len(text) // 2 else text


def contained_span(removed: str, kept: str) -> tuple[int, int] | None:
    """Where in ``kept`` the shorter text ``removed`` lies (start, end in ``kept``'s own
    characters), compared casefolded with only letters and digits; None when ``removed``
    is not shorter or not found in it.

    An exact match of the normalised texts is taken first; else difflib's matching blocks,
    the longest one and those in line with it (no wider apart in ``kept`` than in
    ``removed``, give or take words left out), when they hold most of ``removed``.
    """
    needle, _ = _normalised(removed)
    hay, where = _normalised(kept)
    if not needle or len(needle) >= len(hay):
        return None
    start = hay.find(needle)
    if start >= 0:
        end = start + len(needle)
    elif len(hay) * len(needle) > _FUZZY_MAX:
        return None
    else:
        runs = [
            b
            for b in SequenceMatcher(None, hay, needle, autojunk=False).get_matching_blocks()
            if b.size >= _MIN_RUN
        ]
        if not runs:
            return None
        slack = 24 + len(needle) // 2
        first = last = max(range(len(runs)), key=lambda i: runs[i].size)
        while first > 0 and _in_line(runs[first - 1], runs[first], slack):
            first -= 1
        while last + 1 < len(runs) and _in_line(runs[last], runs[last + 1], slack):
            last += 1
        if sum(b.size for b in runs[first : last + 1]) < _MIN_SHARE * len(needle):
            return None
        start, end = runs[first].a, runs[last].a + runs[last].size
        # Whole words: a match that starts or ends inside one takes all of it.
        start += hay[start] == " "
        end -= hay[end - 1] == " "
        while start > 0 and hay[start - 1] != " ":
            start -= 1
        while end < len(hay) and hay[end] != " ":
            end += 1
    start, end = where[start], where[end - 1] + 1
    # The marks around the words go with them when the removed text has marks there too
    # (its full stop, its quotation marks).
    if removed[-1:] and not removed[-1].isalnum() and not removed[-1].isspace():
        while end < len(kept) and not kept[end].isalnum() and not kept[end].isspace():
            end += 1
    if removed[:1] and not removed[0].isalnum() and not removed[0].isspace():
        while start > 0 and not kept[start - 1].isalnum() and not kept[start - 1].isspace():
            start -= 1
    return start, end


def _in_line(left: Match, right: Match, slack: int) -> bool:
    """Whether two matching runs are one passage: their gap in the kept text is no wider
    than their gap in the removed one and ``slack`` characters (words left out)."""
    gap_kept = right.a - (left.a + left.size)
    gap_removed = right.b - (left.b + left.size)
    return gap_kept <= gap_removed + slack


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` casefolded, with every run of characters that are not letters or digits
    one space, and for each of its characters the index of the one it came from."""
    out: list[str] = []
    where: list[int] = []
    space = True
    for i, char in enumerate(text):
        if char.isalnum():
            folded = char.casefold()
            out.append(folded)
            where.extend([i] * len(folded))
            space = False
        elif not space:
            out.append(" ")
            where.append(i)
            space = True
    if space and out:
        out.pop()
        where.pop()
    return "".join(out), where


def block_place(result: Result, block: Block) -> str:
    """Where a block is, told apart from its neighbours on a page written on one line: its
    number (0-based, as in the JSON report), its element (``<figcaption>``, ``img alt``)
    and line, and on an HTML page the last steps of its path in the page (the whole path
    in its tooltip); in text and Markdown its line and column (its characters in the
    tooltip)."""
    esc = html.escape
    bits = [f"<b>#{block.index}</b>"]
    if block.tag:
        element = f"{block.tag} {block.attr}" if block.attr else f"<{block.tag}>"
        bits.append(f"<code>{esc(element)}</code>")
    elif block.attr:  # a Markdown image's alt text
        bits.append(f"<code>image {esc(block.attr)}</code>")
    at, tip = f"line {block.line}", ""
    if block.start is not None:
        column = block.start - result.original.rfind("\n", 0, block.start)
        at += f", col {column}" if column > 1 else ""
        tip = f"characters {block.start}\u2013{block.end}"
    bits.append(at)
    path = _element_path(result, block)
    below = ""
    if path:
        tip = path
        steps = path.split("/")
        shown = ["\u2026", *steps[-3:]] if len(steps) > 5 else steps
        # (a narrow column breaks the path after a slash, never inside a step)
        below = f'<br><small class="path">{"/<wbr>".join(map(esc, shown))}</small>'
    title = f' title="{esc(tip)}"' if tip else ""
    return f'<span class="at"{title}>{" ".join(bits)}{below}</span>'


def _element_path(result: Result, block: Block) -> str | None:
    """An HTML block's element as a path in the page (``/html/body/div[2]/figure[3]/img``)."""
    page = result.page
    if page is None or block.index >= len(page.elements):
        return None
    element = page.elements[block.index]
    return str(element.getroottree().getpath(element))


def document_part(
    result: Result, title: str | None = None, fmt: str | None = None
) -> dict[str, Any]:
    """One document's share of the HTML report, as plain data a worker process can send:
    its section (or entry among the unchanged) and the kind and rule of each removal, which
    the page counts in its filter (``fmt``: the output whose removals, as in
    ``document_section``)."""
    removals = result.removals(fmt) if fmt else result.removed
    return {
        "html": document_section(result, title, fmt),
        "kinds": [str(r.kind) for r in removals],
        "rules": [str(r.reason) for r in removals],
    }


def unchanged_list(count: int) -> tuple[str, str]:
    """The start and end of the list of documents with nothing removed: one line that
    counts them, their names folded away under it."""
    if not count:
        return "", ""
    label = f"{count:,} document{'s' * (count != 1)} with nothing removed"
    return (
        f'<details class="unchanged" id="unchanged"><summary>{label}</summary><ol>',
        "</ol></details>",
    )


def page_head(
    summary: Summary,
    by_kind: Mapping[str, int] | None = None,
    by_rule: Mapping[str, int] | None = None,
) -> str:
    """The start of a self-contained HTML page: its summary line and, when the page has
    removals, the filter by kind and rule with the number of rows of each."""
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
            '<meta name="referrer" content="no-referrer">',
            "<title>dedup report</title><style>",
            _CSS,
            "</style></head><body>",
            "<h1>dedup report</h1>",
            f'<p class="summary" id="summary">{html.escape(summary.line())}</p>',
            filter_form(by_kind or {}, by_rule or {}),
        ]
    )


# Nothing from outside: no fetch, image, font or frame; only the page's own style and
# script.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def filter_form(by_kind: Mapping[str, int], by_rule: Mapping[str, int]) -> str:
    """The controls that show only the rows of one kind and/or one rule, each choice with
    its number of rows; none when there are no rows."""
    if not by_kind and not by_rule:
        return ""
    total = sum(by_kind.values())

    def select(name: str, label: str, counts: Mapping[str, int]) -> str:
        options = "".join(
            f'<option value="{html.escape(value)}">{html.escape(value)} ({n:,})</option>'
            for value, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        )
        return (
            f'<label>{label} <select name="{name}" id="filter-{name}">'
            f'<option value="">all ({total:,})</option>{options}</select></label>'
        )

    return (
        '<form class="filter" id="filter">'
        + select("kind", "Kind", by_kind)
        + select("rule", "Rule", by_rule)
        + '<output id="shown"></output></form>'
    )


# Shows only the rows of the kind and rule the fragment names (``#kind=caption&rule=
# contained``), and only the sections with such rows; the controls write the fragment.
_SCRIPT = """
(function () {
  var form = document.getElementById("filter");
  if (!form) return;
  var kind = form.elements.kind, rule = form.elements.rule;
  var shown = document.getElementById("shown");
  var rows = document.querySelectorAll("table.removals tr[data-kind]");
  var sections = document.querySelectorAll("section.document");
  function apply() {
    var want = new URLSearchParams(location.hash.slice(1));
    var k = want.get("kind") || "", r = want.get("rule") || "", count = 0;
    kind.value = k;
    rule.value = r;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var keep = (!k || row.dataset.kind === k) && (!r || row.dataset.rule === r);
      row.hidden = !keep;
      if (keep) count++;
    }
    for (var j = 0; j < sections.length; j++) {
      sections[j].hidden = !sections[j].querySelector("tr[data-kind]:not([hidden])");
    }
    shown.textContent = k || r ? "showing " + count + " of " + rows.length + " removals" : "";
  }
  form.addEventListener("change", function () {
    var want = new URLSearchParams();
    if (kind.value) want.set("kind", kind.value);
    if (rule.value) want.set("rule", rule.value);
    location.hash = want.toString();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", apply);
  apply();
})();
"""

PAGE_TAIL = f"<script>{_SCRIPT}</script></body></html>\n"

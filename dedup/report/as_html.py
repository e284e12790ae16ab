"""The HTML report: a self-contained page (no scripts, no external resources) with a
table per document of what was removed, what it duplicated and by which rule."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Result
    from ..model import Block
    from . import Summary


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
h1{font-size:1.4em} h2{font-size:1.05em;margin-top:2em;word-break:break-all}
h2 small{font-weight:normal;color:#666;margin-left:.5em} a{color:#0645ad}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #ccc;padding:.35em .5em;
vertical-align:top;text-align:left} th{background:#f3f3f3} td.t{width:36%}
del{background:#fdd;text-decoration:none} ins{background:#dfd;text-decoration:none}
.summary{background:#f7f7f7;padding:.6em 1em;border-radius:4px}
.at{white-space:nowrap} .at code{font-size:.9em} .path{color:#666;font-family:monospace}
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


def document_section(result: Result, title: str | None = None) -> str:
    """One document's section: a heading (``title`` when given, such as a record's URL or
    id, else its name) and a table of its removals. A document with nothing removed has
    no section: it is one entry (``<li>``) in the page's list of unchanged documents."""
    esc = html.escape
    named = document_title(result.name, title)
    if not result.removed:
        return f"<li>{named}</li>"
    parts = [
        f'<section class="document"><h2>{named}</h2>',
        '<table class="removals"><tr><th>where</th><th>kind</th><th>removed text</th>'
        "<th>duplicates</th><th>kept text</th><th>rule</th><th>similarity</th></tr>",
    ]
    for rem in result.removed:
        kept = result.blocks[rem.duplicate_of]
        parts.append(
            f"<tr><td>{block_place(result, result.blocks[rem.index])}</td>"
            f"<td>{esc(str(rem.kind))}</td>"
            f'<td class="t"><del>{esc(rem.text)}</del></td>'
            f"<td>{block_place(result, kept)}<br>{esc(str(kept.kind))}</td>"
            f'<td class="t"><ins>{esc(kept.text)}</ins></td>'
            f"<td>{esc(rem.reason)}</td><td>{rem.similarity:.3f}</td></tr>"
        )
    parts.append("</table></section>")
    return "".join(parts)


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
        short = "\u2026/" + "/".join(steps[-3:]) if len(steps) > 5 else path
        below = f'<br><small class="path">{esc(short)}</small>'
    title = f' title="{esc(tip)}"' if tip else ""
    return f'<span class="at"{title}>{" ".join(bits)}{below}</span>'


def _element_path(result: Result, block: Block) -> str | None:
    """An HTML block's element as a path in the page (``/html/body/div[2]/figure[3]/img``)."""
    page = result.page
    if page is None or block.index >= len(page.elements):
        return None
    element = page.elements[block.index]
    return str(element.getroottree().getpath(element))


def document_part(result: Result, title: str | None = None) -> dict[str, Any]:
    """One document's share of the HTML report, as plain data a worker process can send:
    its section (or entry among the unchanged) and the kind and rule of each removal, which
    the page counts in its filter."""
    return {
        "html": document_section(result, title),
        "kinds": [str(r.kind) for r in result.removed],
        "rules": [str(r.reason) for r in result.removed],
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


def page_head(summary: Summary) -> str:
    """The start of a self-contained HTML page (no scripts, no external resources)."""
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            "<title>dedup report</title><style>",
            _CSS,
            "</style></head><body>",
            "<h1>dedup report</h1>",
            f'<p class="summary" id="summary">{html.escape(summary.line())}</p>',
        ]
    )


PAGE_TAIL = "</body></html>\n"

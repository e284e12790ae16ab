"""Apply a removal plan to the source itself, changing nothing that was not removed.

Text and Markdown: delete the exact character spans (and the blank lines after them), so a
diff shows only removals. HTML: cut each removed element's markup out of the source text
(and an attribute echo's value out of its tag), every other character left as it was;
where an element's markup cannot be found and proven to be that element, the page is
rewritten from its tree instead: the removed elements' own text dropped, their tails and
any nested block that stays kept, and the tree serialised.
"""

from __future__ import annotations

import html as html_lib
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import accumulate
from typing import Any

from lxml import etree

from .blocks import Block, html_parser


def rewrite_spans(source: str, blocks: Sequence[Block], removed: Iterable[int]) -> str:
    """Delete the spans of removed blocks together with one separator each."""
    gone = set(removed)
    if not gone:
        return source
    spans = [(b.start, b.end, b.index in gone) for b in blocks if b.start is not None]
    cuts: list[tuple[int, int]] = []
    for pos, (start, end, drop) in enumerate(spans):
        if not drop:
            continue
        if pos + 1 < len(spans):
            cuts.append((start, spans[pos + 1][0]))  # the block and the gap after it
        elif pos > 0:
            cuts.append((spans[pos - 1][1], end))  # the last block: the gap before it
        else:
            cuts.append((start, end))
    out: list[str] = []
    last = 0
    for start, end in _merge(cuts):
        out.append(source[last:start])
        last = end
    out.append(source[last:])
    return "".join(out)


def _merge(cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(cuts):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def rewrite_tree(root: Any, blocks: Sequence[Block], removed: Iterable[int]) -> None:
    """Remove the echoes from the lxml tree in place."""
    gone = set(removed)
    kept = {id(b.element) for b in blocks if b.index not in gone and b.attr is None}
    for b in blocks:
        if b.index not in gone:
            continue
        el = b.element
        if b.attr == "alt":
            el.set("alt", "")  # WCAG: an image whose caption says it all gets an empty alt
        elif b.attr is not None:
            el.attrib.pop(b.attr, None)
        elif el.getparent() is None or _holds(el, kept):
            _drop_own_text(el, kept)
        else:
            drop_tree(el)


# Elements that are content without being text: an echo's removal never takes them along.
MEDIA = frozenset("img picture video audio iframe svg object embed canvas source".split())


def _holds(el: Any, kept: set[int]) -> bool:
    """Whether an element holds a block that stays or a media element."""
    return any(id(d) in kept or d.tag in MEDIA for d in el.iterdescendants())


def _drop_own_text(el: Any, kept: set[int]) -> None:
    """Remove an element's own inline text but keep nested blocks that stay, and media."""
    el.text = None
    stack = [el]
    while stack:
        for child in list(stack.pop()):
            child.tail = None
            if id(child) in kept or child.tag in MEDIA:
                continue
            if _holds(child, kept):
                # Its own text is ours (or another echo's): strip it, keep what it holds.
                child.text = None
                stack.append(child)
            else:
                drop_tree(child)


# Characters libxml2 may keep from a sloppy page but lxml refuses to set as text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def drop_tree(el: Any) -> None:
    """Remove an element and everything in it, keeping the text that follows it (its tail)."""
    parent = el.getparent()
    tail = el.tail
    if tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = _NOT_XML.sub("", (previous.tail or "") + tail)
        else:
            parent.text = _NOT_XML.sub("", (parent.text or "") + tail)
    parent.remove(el)


def serialize(root: Any) -> str:
    """Serialise the tree back to HTML with the document's own doctype."""
    doctype = root.getroottree().docinfo.doctype
    return etree.tostring(root, encoding="unicode", method="html", doctype=doctype or None)


# ---------------------------------------------------------------- HTML as source text


def rewrite_html(source: str, root: Any, blocks: Sequence[Block], removed: Iterable[int]) -> str:
    """The page without its echoes: cut out of the source text when every removed element
    is found there, else rewritten from the tree (which this changes) and serialised."""
    gone = set(removed)
    edits = _source_edits(source, root, blocks, gone)
    if edits is None:
        rewrite_tree(root, blocks, gone)
        return serialize(root)
    out: list[str] = []
    last = 0
    for start, end, replacement in edits:
        out.append(source[last:start])
        out.append(replacement)
        last = end
    out.append(source[last:])
    return "".join(out)


def _source_edits(source: str, root: Any, blocks: Sequence[Block],
                  gone: set[int]) -> list[tuple[int, int, str]] | None:
    """(start, end, replacement) for every removal, in order, or None if one is not found."""
    kept = {id(b.element) for b in blocks if b.index not in gone and b.attr is None}
    finder = _Finder(source, root)
    edits: list[tuple[int, int, str]] = []
    for b in blocks:
        if b.index not in gone:
            continue
        el = b.element
        if b.attr is not None:
            edit = finder.attribute_edit(el, b.attr)
        elif el.getparent() is None or _holds(el, kept):
            return None  # only part of the element goes: the tree rewrite handles it
        else:
            edit = finder.element_cut(el)
        if edit is None:
            return None
        edits.append(edit)
    edits.sort()
    merged: list[tuple[int, int, str]] = []
    for edit in edits:
        if merged and edit[0] < merged[-1][1]:
            if edit[1] <= merged[-1][1] and merged[-1][2] == "":
                continue  # inside an element that goes whole
            return None
        merged.append(edit)
    return merged


@lru_cache(maxsize=256)
def _tag_pattern(tag: str) -> re.Pattern[str]:
    """A start or end tag of this name; comments and raw-text elements are matched whole
    so that markup inside them is never taken for a tag."""
    name = re.escape(tag)
    return re.compile(
        r"<!--.*?-->|<(script|style)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</\1\s*>"
        rf"|<(/?){name}(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
        re.I | re.S,
    )


class _Finder:
    """Finds elements of a parsed page in its source text, by line, tag and order."""

    def __init__(self, source: str, root: Any) -> None:
        self.source = source
        self.root = root
        self._starts: list[int] | None = None
        self._tags: dict[str, list[tuple[int, int]]] = {}

    def line_starts(self) -> list[int]:
        """Offset of each line's first character (index 0 is line 1), counted as libxml2
        counts lines: CR LF, CR and LF each end one."""
        if self._starts is None:
            text = self.source
            if "\r" in text:
                ends = [m.end() for m in re.finditer(r"\r\n?|\n", text)]
            else:
                ends = list(accumulate(len(part) + 1 for part in text.split("\n")))[:-1]
            self._starts = [0, *ends]
        return self._starts

    def start_tags_of(self, el: Any) -> list[tuple[int, int]]:
        """Where ``el``'s start tag may be, most likely first; the caller checks each.

        libxml2 numbers an element by the line its start tag ends on (a void element
        sometimes by the next line), so the k-th element of a name on a line is first
        looked for as the k-th start tag of that name ending on that line, then on the line
        before; last, as the k-th start tag of that name in the whole page.
        """
        tag, line = el.tag, el.sourceline
        if not isinstance(tag, str) or not line:
            return []
        rank = on_line = 0
        for other in self.root.iter(tag):
            if other is el:
                break
            rank += 1
            on_line += other.sourceline == line
        spans = self.start_tags(tag)
        starts = self.line_starts()
        found = []
        for number in (line, line - 1):
            if 1 <= number <= len(starts):
                first = bisect_left(spans, (starts[number - 1],), key=lambda s: (s[1] - 1,))
                last = bisect_left(spans, (starts[number],) if number < len(starts) else (len(self.source) + 1,),
                                   key=lambda s: (s[1] - 1,))
                if first + on_line < last:
                    found.append(spans[first + on_line])
        if rank < len(spans):
            found.append(spans[rank])
        return list(dict.fromkeys(found))

    def start_tags(self, tag: str) -> list[tuple[int, int]]:
        """Spans of every start tag of this name in the source, in order."""
        if tag not in self._tags:
            self._tags[tag] = [
                m.span() for m in _tag_pattern(tag).finditer(self.source) if m.group(2) == ""
            ]
        return self._tags[tag]

    def element_cut(self, el: Any) -> tuple[int, int, str] | None:
        """The edit removing ``el`` whole, checked against the element it claims to be."""
        for start, end in self.start_tags_of(el):
            if not self.source.endswith("/>", start, end):
                end = self._end_of(el.tag, end)
            if end is not None and _same_element(self.source[start:end], el):
                return (*_whole_lines(self.source, start, end), "")
        return None

    def _end_of(self, tag: str, pos: int) -> int | None:
        """End of the end tag that closes an element whose start tag ends at ``pos``."""
        depth = 1
        for m in _tag_pattern(tag).finditer(self.source, pos):
            closing = m.group(2)
            if closing is None or self.source.endswith("/>", m.start(), m.end()):
                continue  # a comment, raw text or an empty element
            depth += -1 if closing else 1
            if depth == 0:
                return m.end()
        return None

    def attribute_edit(self, el: Any, name: str) -> tuple[int, int, str] | None:
        """The edit emptying an image's alt text, or removing another attribute."""
        pattern = _attribute_pattern(name)
        for start, end in self.start_tags_of(el):
            found = list(pattern.finditer(self.source, start, end))
            if len(found) != 1:
                continue
            m = found[0]
            value = m.group(2)
            if value[0] in "\"'":
                value = value[1:-1]
            if html_lib.unescape(value) != el.get(name):
                continue
            if name == "alt":
                return m.start(2), m.end(2), '""'
            return m.start(), m.end(), ""
        return None


@lru_cache(maxsize=16)
def _attribute_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(\s+){re.escape(name)}\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>=`]+)", re.I)


def _same_element(markup: str, el: Any) -> bool:
    """Whether ``markup``, parsed alone, is ``el``: the same elements and the same text."""
    try:
        parsed = etree.fromstring(markup.encode("utf-8", "surrogatepass"), html_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return False
    if parsed is None:
        return False
    wanted = [e.tag for e in el.iter(etree.Element)]
    found = [e.tag for e in parsed.iter(etree.Element)]
    # The parser wraps a fragment in html/body (and head for head-only elements).
    while found and found[0] in ("html", "body", "head") and found[0] != wanted[0]:
        found.pop(0)
    if found != wanted:
        return False
    text = etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    alone = etree.tostring(parsed, method="text", encoding="unicode")
    return text.split() == alone.split()


def _whole_lines(source: str, start: int, end: int) -> tuple[int, int]:
    """Widen a cut to whole lines when nothing else stands on them, so no blank line stays."""
    before = source.rfind("\n", 0, start) + 1
    after = source.find("\n", end)
    after = len(source) if after < 0 else after + 1
    if source[before:start].strip(" \t") == "" and source[end:after].strip(" \t\r\n") == "":
        return before, after
    return start, end

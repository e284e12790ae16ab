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
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np
from lxml import etree

from ..parse.html import HtmlPage, html_parser
from ..parse.place import MEDIA_TAGS, Element, name_of
from .spans import Edit, apply_edits, merged_edits


def rewrite_tree(page: HtmlPage, removed: Iterable[int]) -> None:
    """Remove the echoes from the page's lxml tree in place."""
    gone = set(removed)
    kept = _kept_elements(page, gone)
    for b in page.blocks:
        if b.index not in gone:
            continue
        el = page.elements[b.index]
        if b.attr == "alt":
            el.set("alt", "")  # WCAG: an image whose caption says it all gets an empty alt
        elif b.attr is not None:
            if b.attr in el.attrib:
                del el.attrib[b.attr]
        elif el.getparent() is None or _holds(el, kept):
            _drop_own_text(el, kept)
        else:
            drop_tree(el)


def _holds(el: Element, kept: set[int]) -> bool:
    """Whether an element holds a block that stays or a media element."""
    return any(id(d) in kept or d.tag in MEDIA_TAGS for d in el.iterdescendants())


def _drop_own_text(el: Element, kept: set[int]) -> None:
    """Remove an element's own inline text but keep nested blocks that stay, and media."""
    el.text = None
    stack = [el]
    while stack:
        for child in list(stack.pop()):
            child.tail = None
            if id(child) in kept or child.tag in MEDIA_TAGS:
                continue
            if _holds(child, kept):
                # Its own text is ours (or another echo's): strip it, keep what it holds.
                child.text = None
                stack.append(child)
            else:
                drop_tree(child)


# Characters libxml2 may keep from a sloppy page but lxml refuses to set as text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def drop_tree(el: Element) -> None:
    """Remove an element and everything in it, keeping the text that follows it (its tail)."""
    parent = el.getparent()
    assert parent is not None, "only an element inside another is dropped"
    tail = el.tail
    if tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = _NOT_XML.sub("", (previous.tail or "") + tail)
        else:
            parent.text = _NOT_XML.sub("", (parent.text or "") + tail)
    parent.remove(el)


def serialize(root: Element) -> str:
    """Serialise the tree back to HTML with the document's own doctype."""
    doctype = root.getroottree().docinfo.doctype
    if doctype:
        return etree.tostring(root, encoding="unicode", method="html", doctype=doctype)
    return etree.tostring(root, encoding="unicode", method="html")


# ---------------------------------------------------------------- HTML as source text


def rewrite_html(source: str, page: HtmlPage, removed: Iterable[int]) -> str:
    """The page without its echoes: cut out of the source text when every removed element
    is found there, else rewritten from the tree (which this changes) and serialised."""
    gone = set(removed)
    edits = source_edits(source, page, gone)
    if edits is None:
        rewrite_tree(page, gone)
        return serialize(page.root)
    return apply_edits(source, edits)


def _kept_elements(page: HtmlPage, gone: set[int]) -> set[int]:
    """The ids of the elements whose own text is a block that stays."""
    return {
        id(page.elements[b.index]) for b in page.blocks if b.index not in gone and b.attr is None
    }


def source_edits(source: str, page: HtmlPage, gone: set[int]) -> list[Edit] | None:
    """(start, end, replacement) for every removal, in order: the cuts that take the echoes
    out of the source text; None when one of them cannot be found and proven."""
    kept = _kept_elements(page, gone)
    finder = _Finder(source, page.root)
    edits: list[Edit] = []
    for b in page.blocks:
        if b.index not in gone:
            continue
        el = page.elements[b.index]
        if b.attr is not None:
            edit = finder.attribute_edit(el, b.attr)
        elif el.getparent() is None:
            return None
        elif _holds(el, kept):
            cuts = finder.partial_cuts(el, kept)
            if cuts is None:
                return None
            edits.extend(cuts)
            continue
        else:
            edit = finder.element_cut(el)
        if edit is None:
            return None
        edits.append(edit)
    return merged_edits(edits)


@lru_cache(maxsize=256)
def _tag_pattern(tag: str) -> re.Pattern[str]:
    """A start or end tag of this name (group 2 is "/" or ""), quoted attribute values
    holding ">" included; comments and script or style elements are matched whole (group 2
    is None) so that markup inside them is never taken for a tag."""
    name = re.escape(tag)
    return re.compile(
        r"<!--.*?-->|<(script|style)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</\1\s*>"
        rf"|<(/?){name}(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
        re.I | re.S,
    )


_LOOK_BACK = (0, 64)  # lines before its last that a start tag may begin on
_RANK_STEPS = 64  # elements walked back before a line is ranked whole


class _Finder:
    """Finds elements of a parsed page in its source text, by line, tag name and order."""

    def __init__(self, source: str, root: Element) -> None:
        self.source = source
        self.root = root
        self._starts: np.ndarray | None = None
        self._by_line: dict[str, dict[Element, int]] = {}
        self._ending: dict[tuple[str, int, int], list[tuple[int, int]]] = {}

    def line_start(self, line: int) -> int:
        """Offset of the first character of a 1-based line, counting lines as libxml2
        does (LF and CR LF end one; a lone CR too, for the libxml2 versions that count
        it); the source's length past the last line."""
        if self._starts is None:
            if self.source.isascii():  # one byte a character: offsets are the same
                codes = np.frombuffer(self.source.encode("ascii"), dtype=np.uint8)
            else:
                codes = np.frombuffer(
                    self.source.encode("utf-32-le", "surrogatepass"), dtype=np.uint32
                )
            ends = codes == 10
            if "\r" in self.source and _lone_cr_ends_a_line():
                cr = codes == 13
                ends[:-1] |= cr[:-1] & (codes[1:] != 10)
                ends[-1] |= cr[-1]
            self._starts = np.concatenate(([0], np.flatnonzero(ends) + 1))
        if line - 1 >= len(self._starts):
            return len(self.source)
        return int(self._starts[max(line - 1, 0)])

    def start_tags_of(self, el: Element) -> Iterator[tuple[int, int]]:
        """Where ``el``'s start tag may be, likeliest first; the caller checks each.

        libxml2 numbers an element by the line its start tag ends on (a void element
        sometimes by the next line), so the k-th element of a name on a line is looked
        for as the k-th start tag of that name ending on that line, then on the line
        before.
        """
        tag, line = el.tag, el.sourceline
        if not isinstance(tag, str) or not line:
            return
        rank = self.rank(el)
        if rank is None:
            return
        seen = set()
        for number in (line, line - 1):
            if number < 1:
                continue
            first = self.line_start(number)
            end = self.line_start(number + 1)
            for back in _LOOK_BACK:  # most start tags are on one line: look further only then
                key = (tag, number, back)
                if key not in self._ending:
                    self._ending[key] = [
                        m.span()
                        for m in _tag_pattern(tag).finditer(
                            self.source, self.line_start(number - back), end
                        )
                        if m.group(2) == "" and first <= m.end() - 1
                    ]
                ending_here = self._ending[key]
                if rank < len(ending_here) and ending_here[rank] not in seen:
                    seen.add(ending_here[rank])
                    yield ending_here[rank]

    def rank(self, el: Element) -> int | None:
        """How many elements of ``el``'s name come before it on its line.

        Elements are numbered in document order, which is the order of their start tags,
        so the elements of one line are neighbours: they are counted walking back from
        ``el`` until an earlier line. A line holding many elements (a page written on
        one line) is ranked whole instead, once per tag name, as is any page where the
        walk meets a line number out of order.
        """
        tag, line = name_of(el), el.sourceline or 0
        if tag not in self._by_line:
            rank, node = 0, el
            for _ in range(_RANK_STEPS):
                previous = node.getprevious()
                if previous is None:
                    parent = node.getparent()
                    if parent is None:
                        return rank
                    node = parent
                else:
                    while len(previous):  # the last element inside it comes just before
                        previous = previous[-1]
                    node = previous
                number = node.sourceline
                if number is None or number > line:
                    break  # out of order: rank the whole page
                if number < line:
                    return rank
                if node.tag == tag:
                    rank += 1
            # Each element's rank among the elements of its name on its line, for all of
            # them at once: a page can have many removals of one tag on one line.
            ranks: dict[Element, int] = {}
            seen_on: dict[int, int] = {}
            for other in self.root.iter(tag):
                number = other.sourceline or 0
                ranks[other] = seen_on.get(number, 0)
                seen_on[number] = ranks[other] + 1
            self._by_line[tag] = ranks
        return self._by_line[tag].get(el)

    def element_cut(self, el: Element) -> Edit | None:
        """The edit removing ``el`` whole, checked against the element it claims to be."""
        span = self.element_span(el)
        if span is None:
            return None
        return (*_whole_lines(self.source, span[0], span[3]), "")

    def element_span(self, el: Element) -> tuple[int, int, int, int] | None:
        """(start tag start, start tag end, end tag start, end) of ``el`` in the source,
        proven by parsing that markup alone: it must give the same elements and text."""
        for start, tag_end in self.start_tags_of(el):
            if el.tag in _VOID or self.source.endswith("/>", start, tag_end):
                close: tuple[int, int] | None = (tag_end, tag_end)
            else:
                close = self._end_of(name_of(el), tag_end)
            if close is not None and _same_element(self.source[start : close[1]], el):
                return start, tag_end, close[0], close[1]
        return None

    def _end_of(self, tag: str, pos: int) -> tuple[int, int] | None:
        """Span of the end tag that closes an element whose start tag ends at ``pos``."""
        depth = 1
        for m in _tag_pattern(tag).finditer(self.source, pos):
            closing = m.group(2)
            if closing is None or self.source.endswith("/>", m.start(), m.end()):
                continue  # a comment, raw text or an empty element
            depth += -1 if closing else 1
            if depth == 0:
                return m.start(), m.end()
        return None

    def partial_cuts(self, el: Element, kept: set[int]) -> list[Edit] | None:
        """Cuts removing ``el``'s own text but not the blocks that stay inside it, nor its
        pictures: what ``_drop_own_text`` does to the tree, done to the source. Text that
        is only white space stays, so the lines around what stays keep their layout."""
        span = self.element_span(el)
        if span is None:
            return None
        found: list[Edit] = []
        cuts = merged_edits(found) if self._own_cuts(el, kept, span[1], span[2], found) else None
        if cuts is None:
            return None
        tags: list[str] = []
        texts: list[str] = []
        _what_stays(el, kept, tags, texts)
        if not _parses_to(apply_edits(self.source, cuts, span[0], span[3]), tags, "".join(texts)):
            return None
        return cuts

    def _own_cuts(
        self, el: Element, kept: set[int], pos: int, close: int, cuts: list[Edit]
    ) -> bool:
        for child in el:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions go with the text around them
            span = self.element_span(child)
            if span is None or span[0] < pos or span[3] > close:
                return False
            self._cut_text(pos, span[0], cuts)
            if id(child) in kept or child.tag in MEDIA_TAGS:
                pass
            elif _holds(child, kept):
                if not self._own_cuts(child, kept, span[1], span[2], cuts):
                    return False
            else:
                cuts.append((*_whole_lines(self.source, span[0], span[3]), ""))
            pos = span[3]
        self._cut_text(pos, close, cuts)
        return True

    def _cut_text(self, start: int, end: int, cuts: list[Edit]) -> None:
        """Cut the text between two tags, but not the white space around it."""
        piece = self.source[start:end]
        core = piece.strip()
        if core:
            first = start + piece.index(core)
            cuts.append((*_whole_lines(self.source, first, first + len(core)), ""))

    def attribute_edit(self, el: Element, name: str) -> Edit | None:
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
            # libxml2 turns CR LF and CR into LF in attribute values, as in text.
            if _CR.sub("\n", html_lib.unescape(value)) != el.get(name):
                continue
            if name == "alt":  # empty the value between its own quotes, or write ""
                quoted = m.group(2)[0] in "\"'"
                return (
                    (m.start(2) + 1, m.end(2) - 1, "") if quoted else (m.start(2), m.end(2), '""')
                )
            return m.start(), m.end(), ""
        return None


_CR = re.compile(r"\r\n?")


@lru_cache(maxsize=1)
def _lone_cr_ends_a_line() -> bool:
    """Whether this libxml2 numbers lines after a lone CR as new lines: 2.14 does not
    (only LF ends a line), so it is asked once rather than assumed."""
    probe = etree.fromstring(b"<html><body><p>a</p>\r<p>b</p></body></html>", html_parser())
    return [p.sourceline for p in probe.iter("p")] == [1, 2]


@lru_cache(maxsize=16)
def _attribute_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(\s+){re.escape(name)}\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>=`]+)", re.I)


def _same_element(markup: str, el: Element) -> bool:
    """Whether ``markup``, parsed alone, is ``el``: the same elements and the same text."""
    return _parses_to(
        markup,
        [name_of(e) for e in el.iter(etree.Element)],
        etree.tostring(el, method="text", encoding="unicode", with_tail=False),
    )


def _parses_to(markup: str, tags: list[str], text: str) -> bool:
    """Whether ``markup`` parsed alone gives these elements, in order, and this text."""
    try:
        parsed = etree.fromstring(markup.encode("utf-8", "surrogatepass"), html_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return False
    if parsed is None:
        return False
    found = [name_of(e) for e in parsed.iter(etree.Element)]
    # The parser wraps a fragment in html/body (and head for head-only elements).
    while found and tags and found[0] in ("html", "body", "head") and found[0] != tags[0]:
        found.pop(0)
    if found != tags:
        return False
    # The same characters apart from white space: two kept items with no space between
    # their tags ("Units</li><li>Display") run together in the parsed text.
    return "".join(text.split()) == "".join(
        etree.tostring(parsed, method="text", encoding="unicode").split()
    )


def _what_stays(el: Element, kept: set[int], tags: list[str], texts: list[str]) -> None:
    """The elements and text of ``el`` once its own text is dropped (as the cuts intend)."""
    tags.append(name_of(el))
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if id(child) in kept or child.tag in MEDIA_TAGS:
            tags.extend(name_of(e) for e in child.iter(etree.Element))
            texts.append(
                " " + etree.tostring(child, method="text", encoding="unicode", with_tail=False)
            )
        elif _holds(child, kept):
            _what_stays(child, kept, tags, texts)


# Elements that have no end tag.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _whole_lines(source: str, start: int, end: int) -> tuple[int, int]:
    """Widen a cut to whole lines when nothing else stands on them, so no blank line stays.

    Looks only at the blanks next to the cut (a page may be one long line)."""
    before = start
    while before > 0 and source[before - 1] in " \t":
        before -= 1
    if before > 0 and source[before - 1] != "\n":
        return start, end
    m = _REST_OF_LINE.match(source, end)
    return (before, m.end()) if m else (start, end)


_REST_OF_LINE = re.compile(r"[ \t]*(?:\r\n|\n|\r|\Z)")

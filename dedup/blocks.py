"""Parse a decoded document into blocks: the units that are compared, kept or removed.

HTML goes through lxml; plain text splits on blank lines with exact character spans;
Markdown splits the same way and also knows headings, quotes, list items, fences and images.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import lxml.html
from lxml import etree

from .errors import InputError


class Kind(str, Enum):
    """What a block is on the page; the keeper policy ranks kinds."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    QUOTE = "quote"
    CAPTION = "caption"
    ALT = "alt"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of text with its kind and where it came from.

    ``start``/``end`` are character offsets into the decoded source for text and Markdown;
    HTML blocks carry their ``element`` (and ``attr`` when the text is an attribute value).
    ``line`` is the 1-based source line, for ``file:line`` messages.
    """

    index: int
    kind: Kind
    text: str
    line: int = 0
    start: int | None = None
    end: int | None = None
    attr: str | None = None
    element: Any = field(default=None, compare=False, repr=False)


# ---------------------------------------------------------------- HTML

# Never text: code, styling, embedded documents, form controls, metadata.
SKIP_TAGS = frozenset(
    "script style noscript template svg math iframe object embed canvas head title meta link "
    "select option optgroup datalist textarea button input video audio map source track "
    "frameset frame applet param base noembed noframes xmp plaintext".split()
)
_BLOCK_KINDS = {
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), Kind.HEADING),
    **dict.fromkeys(("li", "dt", "dd"), Kind.LIST_ITEM),
    **dict.fromkeys(("td", "th"), Kind.TABLE_CELL),
    "blockquote": Kind.QUOTE,
    "figcaption": Kind.CAPTION,
    "caption": Kind.CAPTION,
    **dict.fromkeys(
        (
            "p div section article main aside header footer nav pre address figure form "
            "fieldset legend center details summary dialog body html ul ol dl table tbody thead "
            "tfoot tr hgroup menu"
        ).split(),
        Kind.PARAGRAPH,
    ),
}
# Class, id or itemprop values that mark captions and pull quotes across CMSs.
_CAPTION_ATTR = re.compile(r"caption|credit|cutline|imagecap|photo-?desc|image-?desc", re.I)
QUOTE_ATTR = re.compile(r"pull-?quote|pullquote|blockquote|quote-?box", re.I)


def _attr_kind(el: Any) -> Kind | None:
    marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
    if not marks:
        return None
    if _CAPTION_ATTR.search(marks):
        return Kind.CAPTION
    if QUOTE_ATTR.search(marks):
        return Kind.QUOTE
    return None


class _Builder:
    """Collects blocks in document order while the tree is walked once."""

    def __init__(self, include_alt: bool) -> None:
        self.include_alt = include_alt
        self.found: list[tuple[int, Block]] = []  # (start order, block)
        self.order = 0

    def add(self, order: int, kind: Kind, text: str, el: Any, attr: str | None = None) -> None:
        text = " ".join(text.split())
        if text:
            self.found.append(
                (order, Block(0, kind, text, el.sourceline or 0, attr=attr, element=el))
            )

    def attributes(self, el: Any, context: Kind | None) -> None:
        caption = el.get("data-caption")
        if caption:
            self.add(self.order, Kind.CAPTION, caption, el, "data-caption")
        if self.include_alt:
            # Lazy-loading placeholders carry the alt text as data-alt.
            names = ("alt", "title", "data-alt") if el.tag == "img" else ("data-alt",)
            for name in names:
                value = el.get(name)
                if value:
                    self.add(self.order, Kind.ALT, value, el, name)


def parse_html(text: str, include_alt: bool = False) -> tuple[Any, list[Block]]:
    """Parse HTML into its lxml tree and its blocks, in reading order.

    A block is the text a block-level element holds itself: its text and its inline
    children's, not the text of nested block elements (those are blocks of their own), so
    every piece of text appears once. The walk keeps an explicit stack, so nesting depth is
    bounded by memory, not by Python's recursion limit.
    """
    root = _parse_tree(text)
    builder = _Builder(include_alt)
    # Each frame: element, iterator over its children, kind if it is a block, text parts,
    # inherited kind (caption/quote) and start order.
    stack = [_open(root, None, builder)]
    if root.text:
        stack[0][3].append(root.text)
    while stack:
        frame = stack[-1]
        el, children, kind, parts, inherited, order = frame
        child = next(children, None)
        if child is None:
            stack.pop()
            if kind is not None:
                builder.add(order, kind, "".join(parts), el)
            if stack and el.tail:
                # Text after a nested block starts a new line of the enclosing block.
                _parts_of(stack).append(("\n" if kind is not None else "") + el.tail)
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS:
            if isinstance(tag, str) and (child.get("data-caption") or child.get("data-alt")):
                builder.order += 1
                builder.attributes(child, inherited)
            if child.tail:
                _parts_of(stack).append(child.tail)
            continue
        if tag == "br":
            _parts_of(stack).append("\n" + (child.tail or ""))
            continue
        builder.order += 1
        if tag == "img" or child.get("data-caption") or child.get("data-alt"):
            builder.attributes(child, inherited)
        stack.append(_open(child, inherited, builder))
        if child.text:
            _parts_of(stack).append(child.text)
    builder.found.sort(key=lambda item: item[0])
    blocks = [
        Block(i, b.kind, b.text, b.line, attr=b.attr, element=b.element)
        for i, (_, b) in enumerate(builder.found)
    ]
    return root, blocks


def _open(el: Any, inherited: Kind | None, builder: _Builder) -> list:
    tag = el.tag
    base = _BLOCK_KINDS.get(tag)
    marked = _attr_kind(el)
    own = marked or (base if base in (Kind.CAPTION, Kind.QUOTE) else None) or inherited
    kind = None
    if base is not None:
        kind = own if own is not None else base
        if base is Kind.HEADING and own is Kind.QUOTE:
            kind = Kind.HEADING
    elif marked is not None and inherited is None:
        # An inline element marked as a caption (span.caption) is a block of its own,
        # unless it is already inside a caption, whose text it is part of.
        kind = marked
    return [el, iter(el), kind, [], own, builder.order]


def _parts_of(stack: list) -> list[str]:
    """The text buffer that inline text belongs to: the nearest enclosing block's."""
    for frame in reversed(stack):
        if frame[2] is not None:
            return frame[3]
    return stack[-1][3]


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _parse_tree(text: str) -> Any:
    """Parse with lxml's HTML parser, never touching the network or external entities."""
    parser = lxml.html.HTMLParser(
        encoding="utf-8", no_network=True, remove_blank_text=False, huge_tree=True
    )
    data = text.encode("utf-8", "surrogatepass")
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        if not text.strip():
            return lxml.html.document_fromstring(b"<html></html>", parser=parser)
        raise InputError(f"cannot parse HTML: {exc}") from exc
    return root


# ---------------------------------------------------------------- plain text

_BLANK_LINES = re.compile(r"(?:\r\n|\r|\n)(?:[ \t\f\v]*(?:\r\n|\r|\n))+")


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of every blank-line separated chunk, surrounding space excluded."""
    pos = 0
    for m in _BLANK_LINES.finditer(text):
        yield from _trimmed(text, pos, m.start())
        pos = m.end()
    yield from _trimmed(text, pos, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


class _Lines:
    """Turn character offsets into 1-based line numbers, moving forward only."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.pos, offset)
        self.pos = offset
        return self.line


def parse_text(text: str) -> list[Block]:
    """Split plain text into paragraphs at blank lines, with exact character spans."""
    lines = _Lines(text)
    return [
        Block(i, Kind.PARAGRAPH, text[s:e], lines.at(s), s, e)
        for i, (s, e) in enumerate(_chunks(text))
    ]


# ---------------------------------------------------------------- Markdown

_MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_MD_SETEXT = re.compile(r"\n {0,3}(?:=+|-+)[ \t]*$")
_MD_QUOTE = re.compile(r"^ {0,3}>")
_MD_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+", re.M)
_MD_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_MD_IMAGE_ONLY = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)\s*)+$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS_LINE = re.compile(r"^\s*([*_])[^*_].*[^*_]\1\s*$", re.S)
_MD_MARKUP = re.compile(r"^ {0,3}(?:#{1,6}|>+|[-*+]|\d{1,9}[.)])[ \t]*|[*_`]+|#+\s*$", re.M)


def md_plain(source: str) -> str:
    """The reading text of a Markdown fragment: no markers, links reduced to their text."""
    source = _MD_IMAGE.sub("", source)
    source = _MD_LINK.sub(r"\1", source)
    source = _MD_SETEXT.sub("", source)
    return _MD_MARKUP.sub("", source)


def parse_markdown(text: str, include_alt: bool = False) -> list[Block]:
    """Split Markdown into blocks with exact spans; fenced code is never text.

    A list becomes one block per item; an emphasised line right after an image is a
    caption; image alt text is a block only when ``include_alt`` is set.
    """
    lines = _Lines(text)
    found: list[Block] = []
    fence: str | None = None
    after_image = False

    def add(kind: Kind, s: int, e: int, plain: str, attr: str | None = None) -> None:
        found.append(Block(len(found), kind, plain, lines.at(s), s, e, attr))

    for s, e in _chunks(text):
        chunk = text[s:e]
        if fence is not None or _MD_FENCE.match(chunk):
            fence = _fence_state(chunk, fence)
            after_image = False
            continue
        if _MD_IMAGE_ONLY.match(chunk):
            if include_alt:
                for m in _MD_IMAGE.finditer(chunk):
                    alt = " ".join(m.group(1).split())
                    if alt:
                        add(Kind.ALT, s + m.start(), s + m.end(), alt, "alt")
            after_image = True
            continue
        if _MD_HEADING.match(chunk) or _MD_SETEXT.search(chunk):
            kind = Kind.HEADING
        elif _MD_QUOTE.match(chunk):
            kind = Kind.QUOTE
        elif after_image and _MD_EMPHASIS_LINE.match(chunk):
            kind = Kind.CAPTION
        elif _MD_ITEM.match(chunk):
            for i_s, i_e in _items(chunk):
                plain = " ".join(md_plain(chunk[i_s:i_e]).split())
                if plain:
                    add(Kind.LIST_ITEM, s + i_s, s + i_e, plain)
            after_image = False
            continue
        else:
            kind = Kind.PARAGRAPH
        after_image = False
        plain = " ".join(md_plain(chunk).split())
        if plain:
            add(kind, s, e, plain)
    return found


def _fence_state(chunk: str, fence: str | None) -> str | None:
    """Track an open code fence across blank-line chunks."""
    for line in chunk.splitlines():
        m = _MD_FENCE.match(line)
        if m is None:
            continue
        if fence is None:
            fence = m.group(1)
        elif m.group(1) == fence:
            fence = None
    return fence


def _items(chunk: str) -> Iterator[tuple[int, int]]:
    starts = [m.start() for m in _MD_ITEM.finditer(chunk)]
    if not starts or starts[0] != 0:
        starts = [0] + starts
    for a, b in zip(starts, starts[1:] + [len(chunk)], strict=True):
        yield from _trimmed(chunk, a, b)

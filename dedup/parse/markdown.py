"""Split Markdown into blocks with exact spans: headings, quotes, list items, captions."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import replace

from ..match.normalize import WORD, fold, word_count
from ..model import Block, Kind
from .md_lines import line_roles
from .text import Lines, split_repeated_lines, trimmed

_MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_MD_SETEXT = re.compile(r"\n {0,3}(?:=+|-+)[ \t]*$")
_MD_QUOTE = re.compile(r"^ {0,3}>")
_MD_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+", re.M)
_MD_IMAGE_ONLY = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)\s*)+$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# The line a web reader (Jina's) writes between its header ("Title: ...", "URL Source: ...")
# and the page it converted, in the same paragraph as the page's first line.
_READER_CONTENT = re.compile(r"(Markdown Content:)[ \t]*\r?\n(?=\S)")
# Image lines that open a paragraph of text, with no blank line between.
_MD_IMAGE_LEAD = re.compile(r"((?:[ \t]*!\[[^\]]*\]\([^)]*\)[ \t]*\r?\n)+)(?=[ \t]*\S)")
# A list's entry that is a link whole: "- [Title](url)".
_MD_LINKED_ITEM = re.compile(
    r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+[*_]*\[[^\]]+\]\(([^)]*)\)[*_]*\s*$"
)
# A heading's attributes, as Pandoc and kramdown write them: "Title {#id .class}".
_MD_ATTRIBUTES = re.compile(r"[ \t]*\{[#.][^{}\n]*\}[ \t]*$", re.M)
_MD_EMPHASIS_LINE = re.compile(r"^\s*([*_])[^*_].*[^*_]\1\s*$", re.S)
_MD_MARKUP = re.compile(
    r"^ {0,3}(?:#{1,6}|(?:>[ \t]*)+(?:(?:[-*+]|\d{1,9}[.)])(?=[ \t]))?|[-*+]|\d{1,9}[.)])[ \t]*"
    r"|[*_`]+|#+\s*$",
    re.M,
)


def md_plain(source: str) -> str:
    """The reading text of a Markdown fragment: no markers, links reduced to their text."""
    source = _MD_IMAGE.sub("", source)
    source = _MD_LINK.sub(r"\1", source)
    source = _MD_SETEXT.sub("", source)
    source = _MD_ATTRIBUTES.sub("", source)
    return _MD_MARKUP.sub("", source)


def _md_splittable(chunk: str) -> bool:
    """Whether a Markdown paragraph may be read a line a block: not a setext heading (its
    underline would make the line above it a heading)."""
    return not _MD_SETEXT.search(chunk)


def _md_chunks(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """The runs of text lines of one block each (a paragraph, a heading, a list's entry, a
    quote), and where each line of code or rule starts."""
    spans: list[tuple[int, int]] = []
    apart: list[int] = []
    run: tuple[int, int] | None = None
    for start, end, role in line_roles(text):
        if role == "text" or (role == "start" and run is None):
            run = (run[0] if run else start, end)
            continue
        if run:
            spans.extend(trimmed(text, *run))
            run = (start, end) if role == "start" else None
        if role not in ("blank", "start"):
            apart.append(start)
    if run:
        spans.extend(trimmed(text, *run))
    return spans, apart


def parse_markdown(text: str, include_alt: bool = False, min_chars: int = 20) -> list[Block]:
    """Split Markdown into blocks with exact spans; code (fenced or indented) and thematic
    breaks are never text.

    A list becomes one block per item; an emphasised line right after an image is a
    caption. Image alt text is printed in Markdown, so it is always a block (an image's
    among words too, after the words' block): with
    ``include_alt`` its span is the whole image (a copy takes the image with it), else only
    its words ("![words](url)" becomes "![](url)": the image stays, its words said once).
    """
    lines = Lines(text)
    found: list[Block] = []
    after_image = False

    def add(kind: Kind, s: int, e: int, plain: str, attr: str | None = None) -> None:
        found.append(Block(len(found), kind, plain, lines.at(s), s, e, attr))

    def add_alts(s: int, images: str) -> None:
        for m in _MD_IMAGE.finditer(images):
            if alt := " ".join(m.group(1).split()):
                start, end = m.span() if include_alt else m.span(1)
                add(Kind.ALT, s + start, s + end, alt, "alt")

    spans, apart = _md_chunks(text)
    last = 0
    for s, e in split_repeated_lines(text, spans, min_chars, _md_splittable, md_plain):
        if bisect_left(apart, s) > bisect_left(apart, last):
            after_image = False  # code or a rule stands between
        last = e
        chunk = text[s:e]
        if m := _READER_CONTENT.match(chunk):
            # A reader's header line before the page's own first line ("Markdown Content:"
            # above a setext headline): a line of its own, not the headline's first words.
            add(Kind.PARAGRAPH, s, s + m.end(1), m.group(1))
            s += m.end()
            chunk = text[s:e]
        if m := _MD_IMAGE_LEAD.match(chunk):
            # An image on the line right above a text (html2text writes a caption there):
            # the image as an image, and the text read as coming after it.
            add_alts(s, m.group(1))
            after_image = True
            s += m.end()
            chunk = text[s:e]
        if _MD_IMAGE_ONLY.match(chunk):
            add_alts(s, chunk)
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
                    if m := _MD_LINKED_ITEM.match(chunk[i_s:i_e]):
                        anchor = m.group(1).strip().startswith("#")
                        found[-1] = replace(found[-1], link=True, anchor=anchor)
                add_alts(s + i_s, chunk[i_s:i_e])
            after_image = False
            continue
        else:
            kind = Kind.PARAGRAPH
        after_image = False
        # (a paragraph keeps its lines, as plain text does: a poem's stanza is read by them)
        lines_of = md_plain(chunk).splitlines() if kind is Kind.PARAGRAPH else [md_plain(chunk)]
        plain = "\n".join(" ".join(line.split()) for line in lines_of if line.strip())
        if plain:
            add(kind, s, e, plain)
        add_alts(s, chunk)  # an image among words: its alt text is printed all the same
    return [
        replace(b, around=_around(found, b.index)) if b.kind is Kind.QUOTE else b for b in found
    ]


# A line of fewer words is a header (a comment's "Name · 2 hours ago"), not text around.
_AROUND_WORDS = 8


def _around(blocks: list[Block], i: int) -> str | None:
    """The folded text beside quote ``i``: the blocks before and after it up to a heading,
    a header line or another quote; an image's alt text is passed over (a picture is no
    header). A reply quoting an earlier comment stands between the reply's header and the
    next one; a pulled sentence stands in the article's body. None when nothing stands
    beside it."""
    beside: list[str] = []
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(blocks):
            block = blocks[k]
            if block.kind is Kind.ALT:
                k += step
                continue
            words = sum(map(word_count, WORD.findall(block.text)))
            if block.kind in (Kind.HEADING, Kind.QUOTE) or words < _AROUND_WORDS:
                break
            beside.append(fold(block.text))
            k += step
    return " ".join(beside) or None


def _items(chunk: str) -> Iterator[tuple[int, int]]:
    starts = [m.start() for m in _MD_ITEM.finditer(chunk)]
    if not starts or starts[0] != 0:
        starts = [0] + starts
    for a, b in zip(starts, starts[1:] + [len(chunk)], strict=True):
        yield from trimmed(chunk, a, b)

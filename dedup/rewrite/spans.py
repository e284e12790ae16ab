"""Apply a removal plan to text and Markdown: delete the removed blocks' exact spans.

A block's span starts after its line's indentation; a block on lines of its own goes with
those lines whole (their indentation and trailing spaces), so that no line that stays
changes by a byte: an indentation left behind would move onto the next line, and make a
paragraph code in Markdown. The edits (start, end, replacement) here are also how the HTML
rewriter cuts markup out of a page's source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from ..model import Block
from ..parse.markdown import md_plain
from ..parse.md_lines import line_roles
from ..parse.text import LINE_BREAK

# A Markdown image, or a link whose text holds one ("[![alt](img.jpg) Title](page)").
_PICTURE = re.compile(r"\[[^\[\]]*!\[[^\]]*\]\([^)]*\)[^\[\]]*\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)")
# What heads a Markdown line before its words: quote marks, a list's marker, a heading's.
_LINE_MARKS = re.compile(r"[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d{1,9}[.)]|#{1,6})[ \t]+)?")
_QUOTE_LINE = re.compile(r" {0,3}>")
_QUOTE_MARKS_ONLY = re.compile(r"[ \t]*>[ \t>]*$")


def rewrite_spans(
    source: str, blocks: Sequence[Block], removed: Iterable[int], markdown: bool = False
) -> str:
    """Delete the removed blocks together with one separator each (see ``span_cuts``)."""
    return apply_edits(source, span_cuts(source, blocks, removed, markdown))


def span_cuts(
    source: str, blocks: Sequence[Block], removed: Iterable[int], markdown: bool = False
) -> list[Edit]:
    """The cuts that delete the removed blocks together with one separator each, in order.

    A block on lines of its own goes with those lines and the gap after them, up to the
    next line that holds anything (a block or not: a code fence, a picture without words).
    The last line of a paragraph goes with its own line break only: the blank line that
    ends the paragraph stays. A block with nothing after it goes with the gap before it,
    back to the last line that stays. A block that shares its line (an image's alt words)
    goes alone, with the space that parts it from what stays.

    In Markdown an image is never removed by a repeat of the words beside it: a block
    that holds one loses its words only ("- ![Photo](a.jpg) Text" keeps "- ![Photo](a.jpg)");
    and a block quote all of whose words go leaves no empty ">" lines behind.
    """
    gone = set(removed)
    if not gone:
        return []
    spans = sorted(
        (b.start, b.end)
        for b in blocks
        if b.index in gone and b.start is not None and b.end is not None
    )
    if markdown:
        spans = sorted(spans + _emptied_quote_lines(source, spans))
    cuts: list[tuple[int, int]] = []
    lines = _LineCuts()
    for start, end in spans:
        if source[start - 2 : start] == "![" and source[end : end + 1] == "]":
            cuts.append((start, end))  # an image's alt words: the image stays
            continue
        if markdown and _holds_picture(source, start, end):
            cuts.extend(_cuts_beside_pictures(source, start, end))
            continue
        first, last = _indent_start(source, start), _trail_end(source, end)
        if not (_at_line_start(source, first) and _at_line_end(source, last)):
            cuts.append(_shared_line_cut(source, start, end))
            continue
        after = _past_line_break(source, last)
        following = after
        while following < len(source) and source[following].isspace():
            following += 1
        if following == len(source):
            # Nothing follows: the gap before it goes, back to the last line that stays.
            back = lines.back_over(source, first)
            cut = (_trail_end(source, back), last) if back > 0 else (0, len(source))
        elif _text_above(source, lines.run_start(first)) and (
            len(LINE_BREAK.findall(source, last, following)) > 1
        ):
            # The last line of a paragraph: the blank line that ends the paragraph stays.
            cut = (first, after)
        else:
            cut = (first, _indent_start(source, following))  # the lines and the gap after
        lines.add(*cut)
        cuts.append(cut)
    return merged_edits([(start, end, "") for start, end in cuts]) or []


def moved_line(source: str, blocks: Sequence[Block], removed: Iterable[int]) -> int | None:
    """Where the first line of a Markdown document that stays would be read otherwise once
    the removed blocks are gone (code as text, text as code, a rule as a heading's
    underline), or None. A paragraph between a list and the indented code under it ends
    the list: without it, the list would take the code in as its words; a line indented
    four columns under a paragraph's first line carries it on, and would be code without
    it."""
    edits = span_cuts(source, blocks, removed, markdown=True)
    if not edits:
        return None
    read = {start: _READ[role] for start, _, role in line_roles(apply_edits(source, edits))}
    shift = k = 0
    for start, end, role in line_roles(source):
        if role == "blank":
            continue
        while k < len(edits) and edits[k][1] <= start:
            shift += edits[k][1] - edits[k][0]
            k += 1
        if k < len(edits) and edits[k][0] <= start < edits[k][1]:
            if edits[k][0] < start or edits[k][1] >= end:
                continue  # the line goes, or what stays of it ends the line above
        if read.get(start - shift) != _READ[role]:
            return start
    return None


# How a line is read: a line that starts a block and one that carries it on are both text.
_READ = {"start": "text", "text": "text", "code": "code", "rule": "rule", "blank": "blank"}


def _holds_picture(source: str, start: int, end: int) -> bool:
    """Whether a span holds an image and is more than that image (an alt copy, with
    ``include_alt``, takes its image with it)."""
    m = _PICTURE.search(source, start, end)
    return m is not None and m.span() != (start, end)


def _cuts_beside_pictures(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cuts of a removed Markdown block that holds images: its words go, line by line;
    its images stay, and so do the marks that head a line that keeps one ("- ", "> ")."""
    cuts: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        brk = LINE_BREAK.search(source, pos, end)
        stop = brk.start() if brk else end
        pictures = [m.span() for m in _PICTURE.finditer(source, pos, stop)]
        first, last = _indent_start(source, pos), _trail_end(source, stop)
        if not pictures and _at_line_start(source, first) and _at_line_end(source, last):
            if last < len(source):
                cuts.append((first, _past_line_break(source, last)))
            else:  # the last line of all: it goes with the line break before it
                cuts.append((_trail_end(source, _line_break_before(source, first)), last))
        else:
            marks = _marks_end(source, first, stop) if _at_line_start(source, first) else 0
            bounds = [max(pos, marks), *(i for span in pictures for i in span), stop]
            for a, b in zip(bounds[::2], bounds[1::2], strict=True):
                for piece in _words(source, a, b):
                    cuts.append(_shared_line_cut(source, *piece))
        pos = brk.end() if brk else end
    return cuts


def _marks_end(source: str, start: int, stop: int) -> int:
    """Where the marks that head the line at ``start`` end (``start`` when none)."""
    m = _LINE_MARKS.match(source, start, stop)
    return m.end() if m else start


def _words(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` without the white space around it, when it holds words."""
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    return [(start, end)] if md_plain(source[start:end]).strip() else []


def _line_break_before(source: str, i: int) -> int:
    """Where the line break that ends the line before the line at ``i`` starts."""
    if i >= 2 and source[i - 2 : i] == "\r\n":
        return i - 2
    return max(i - 1, 0)


def _emptied_quote_lines(source: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The lines of bare quote marks (">") of each Markdown block quote whose words all go,
    so that the quote goes whole. A quote is a run of lines that opens with a ">" line, up
    to a blank line."""
    out: list[tuple[int, int]] = []
    bare: list[tuple[int, int]] = []
    in_quote = emptied = False
    pos = 0
    while True:
        brk = LINE_BREAK.search(source, pos)
        stop = brk.start() if brk else len(source)
        line = source[pos:stop]
        if not line.strip():
            if in_quote and emptied:
                out.extend(bare)
            in_quote = False
        elif in_quote or _QUOTE_LINE.match(line):
            if not in_quote:
                in_quote, emptied, bare = True, True, []
            if _QUOTE_MARKS_ONLY.match(line):
                bare.append((_trail_end(source, pos), stop))
            elif emptied and not _gone(source, spans, pos, stop):
                emptied = False
        if brk is None:
            break
        pos = brk.end()
    if in_quote and emptied:
        out.extend(bare)
    return out


def _gone(source: str, spans: list[tuple[int, int]], start: int, stop: int) -> bool:
    """Whether the words of the line ``source[start:stop]`` all go: a removed span holds
    them (a quote's span may start on a line above), and no image stays on the line."""
    first = _marks_end(source, start, stop)
    last = stop
    while last > first and source[last - 1].isspace():
        last -= 1
    k = bisect_right(spans, (first, len(source))) - 1
    if k < 0 or not spans[k][0] <= first or spans[k][1] < last:
        return False
    return not _PICTURE.search(source, first, last)


def _indents(c: str) -> bool:
    """Whether ``c`` is white space within a line (a line break is not)."""
    return c.isspace() and c not in "\r\n"


def _indent_start(source: str, i: int) -> int:
    """``i`` moved back over the white space before it on its line."""
    while i > 0 and _indents(source[i - 1]):
        i -= 1
    return i


def _trail_end(source: str, i: int) -> int:
    """``i`` moved on over the white space after it on its line."""
    while i < len(source) and _indents(source[i]):
        i += 1
    return i


def _at_line_start(source: str, i: int) -> bool:
    return i == 0 or source[i - 1] in "\r\n"


def _at_line_end(source: str, i: int) -> bool:
    return i == len(source) or source[i] in "\r\n"


def _past_line_break(source: str, i: int) -> int:
    """Where the line after the line break at ``i`` starts (a CR LF is one line break)."""
    if source.startswith("\r\n", i):
        return i + 2
    return min(i + 1, len(source))


def _shared_line_cut(source: str, start: int, end: int) -> tuple[int, int]:
    """The cut of a block that shares its line: the block and the space after it, or the
    space before it when it ends the line (the line break stays)."""
    after = _trail_end(source, end)
    if _at_line_end(source, after):
        return _indent_start(source, start), after
    return start, after


def _text_above(source: str, first: int) -> bool:
    """Whether the line above the line at ``first`` holds text (the line at ``first`` goes
    on a paragraph)."""
    if first == 0:
        return False
    j = first - 1
    if source[j] == "\n" and j > 0 and source[j - 1] == "\r":
        j -= 1
    j = _indent_start(source, j)
    return j > 0 and source[j - 1] not in "\r\n"


class _LineCuts:
    """The cuts of whole lines so far, in order and apart from each other."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.run = 0  # where the run of cut lines that ends the last cut starts

    def add(self, start: int, end: int) -> None:
        self.run = self.run_start(start)
        self.starts.append(start)
        self.ends.append(end)

    def run_start(self, first: int) -> int:
        """Where the run of cut lines right above the line at ``first`` starts."""
        return self.run if self.ends and self.ends[-1] == first else first

    def back_over(self, source: str, first: int) -> int:
        """Where the text that stays before ``first`` ends, back over white space and cut
        lines (0 when nothing stays)."""
        i = first
        while True:
            while i > 0 and source[i - 1].isspace():
                i -= 1
            k = bisect_right(self.starts, i - 1) - 1
            if k < 0 or i > self.ends[k]:
                return i
            i = self.starts[k]


Edit = tuple[int, int, str]  # (start, end, replacement) in the source text


def merged_edits(edits: Iterable[Edit]) -> list[Edit] | None:
    """Edits in order, overlapping cuts joined into one and edits inside a cut dropped;
    None when a replacement overlaps another edit (nothing safe to do)."""
    out: list[Edit] = []
    for edit in sorted(edits):
        if out and edit[0] < out[-1][1]:
            last = out[-1]
            if last[2] != "":
                return None
            if edit[2] == "":
                out[-1] = (last[0], max(last[1], edit[1]), "")
                continue
            if edit[1] > last[1]:
                return None
            continue  # a replacement inside markup that goes already
        out.append(edit)
    return out


def apply_edits(source: str, edits: Sequence[Edit], start: int = 0, end: int | None = None) -> str:
    """``source[start:end]`` with ordered, disjoint edits applied."""
    out: list[str] = []
    pos = start
    for a, b, replacement in edits:
        out.append(source[pos:a])
        out.append(replacement)
        pos = b
    out.append(source[pos:end])
    return "".join(out)

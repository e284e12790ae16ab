"""Apply a removal plan to text and Markdown: delete the removed blocks' exact spans.

The edits (start, end, replacement) here are also how the HTML rewriter cuts markup out of
a page's source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Block
from ..parse.text import LINE_BREAK


def rewrite_spans(source: str, blocks: Sequence[Block], removed: Iterable[int]) -> str:
    """Delete the spans of removed blocks together with one separator each."""
    gone = set(removed)
    if not gone:
        return source
    spans = [
        (b.start, b.end, b.index in gone)
        for b in blocks
        if b.start is not None and b.end is not None
    ]
    cuts: list[tuple[int, int]] = []
    for pos, (start, end, drop) in enumerate(spans):
        if not drop:
            continue
        if source[start - 2 : start] == "![" and source[end : end + 1] == "]":
            cuts.append((start, end))  # an image's alt words: the image stays
            continue
        if pos + 1 < len(spans):
            after = spans[pos + 1][0]
            inside = _line_break_before(source, start)
            if inside is not None and len(LINE_BREAK.findall(source, end, after)) > 1:
                # The last line of a paragraph read a line a block: the line break before
                # it goes, the blank line that ends the paragraph stays.
                cuts.append((inside, end))
            else:
                cuts.append((start, after))  # the block and the gap after it
            continue
        # The last block: the gap before it, back to the last block that stays.
        before = pos - 1
        while before >= 0 and spans[before][2]:
            before -= 1
        cuts.append((spans[before][1], end) if before >= 0 else (start, end))
    return apply_edits(source, merged_edits([(start, end, "") for start, end in cuts]) or [])


def _line_break_before(source: str, start: int) -> int | None:
    """Where the line break before the line at ``start`` begins, when the line above it
    holds text (the line goes on a paragraph); None when it starts a paragraph."""
    i = start
    while i > 0 and source[i - 1] in " \t":
        i -= 1
    if i == 0 or source[i - 1] not in "\r\n":
        return None
    j = i - 1
    if source[j] == "\n" and j > 0 and source[j - 1] == "\r":
        j -= 1
    k = j
    while k > 0 and source[k - 1] in " \t":
        k -= 1
    return None if k == 0 or source[k - 1] in "\r\n" else j


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

"""Split plain text into blocks with exact character spans."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from ..match.normalize import normalize, weighed_length
from ..model import Block, Kind

# A line break is CR LF, CR or LF; a CR LF is never read as a CR and then an LF.
_BLANK_LINES = re.compile(r"(?:\r\n|\r(?!\n)|\n)(?:[ \t\f\v]*(?:\r\n|\r(?!\n)|\n))+")


def chunks(text: str, separator: re.Pattern[str] = _BLANK_LINES) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of every chunk between separators (blank lines by default) that
    holds more than white space, surrounding space excluded."""
    pos = 0
    for m in separator.finditer(text):
        yield from trimmed(text, pos, m.start())
        pos = m.end()
    yield from trimmed(text, pos, len(text))


def trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


class Lines:
    """Turn character offsets into 1-based line numbers, moving forward only."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1
        self.cr = "\r" in text

    def at(self, offset: int) -> int:
        text, pos = self.text, self.pos
        self.line += text.count("\n", pos, offset)
        if self.cr:  # a CR alone ends a line too; a CR LF is one line break
            self.line += text.count("\r", pos, offset) - text.count("\r\n", pos, offset)
        self.pos = offset
        return self.line


# One line break: CR LF, CR or LF (the rewriter counts them with the same pattern).
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def has_break(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a line break (as ``LINE_BREAK.search`` would
    find, at a fraction of its cost: a paragraph is looked at twice)."""
    return text.find("\n", start, end) >= 0 or text.find("\r", start, end) >= 0


def parse_text(text: str, min_chars: int = 20) -> list[Block]:
    """Split plain text into paragraphs with exact character spans: at blank lines, or at
    every line in text that has no blank line at all (one paragraph a line, as many
    extractors and scrapers write text).

    A paragraph between blank lines that holds a line written again elsewhere (a caption
    and its copy on the next line) is read a line a block, so that the copy can go alone;
    other paragraphs stay whole (their lines may be wrapped prose).
    """
    lines = Lines(text)
    if _BLANK_LINES.search(text):
        spans: Iterator[tuple[int, int]] | list[tuple[int, int]] = split_repeated_lines(
            text, split_lists(text, chunks(text)), min_chars
        )
    else:
        spans = chunks(text, LINE_BREAK)
    return [
        Block(i, Kind.PARAGRAPH, text[s:e], lines.at(s), s, e) for i, (s, e) in enumerate(spans)
    ]


def split_lists(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each paragraph whose lines are a list's entries split into them: two
    lines or more, led by ranks that go up one by one ("1.", "2)") or all by one bullet
    ("•", "-", "·"): a "most read" box, a list of links. Each entry is a line of its own,
    which may go alone (a teaser of the story cut with "…")."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        parts = list(chunks(text[s:e], LINE_BREAK)) if has_break(text, s, e) else []
        if len(parts) > 1 and _entries(text[s + a : s + b] for a, b in parts):
            out.extend((s + a, s + b) for a, b in parts)
        else:
            out.append((s, e))
    return out


def _entries(lines: Iterable[str]) -> bool:
    """Whether every line is led by the next rank, or every line by one same bullet."""
    ranks, bullets = [], set()
    for line in lines:
        m = _ENTRY.match(line)
        if m is None:
            return False
        if m.group(1):
            ranks.append(int(m.group(1)))
        else:
            bullets.add(m.group(2))
    if bullets:
        return not ranks and len(bullets) == 1
    return ranks == list(range(ranks[0], ranks[0] + len(ranks)))


# A list entry's lead: a rank ("1.", "2)", "3 -") or a bullet, then a space.
_ENTRY = re.compile(r"(?:(\d{1,3})\s*[.)\-–—:]|([•·▪►▶◆■*–—-]))\s+\S")


def split_repeated_lines(
    text: str,
    spans: list[tuple[int, int]],
    min_chars: int,
    splittable: Callable[[str], bool] | None = None,
    read: Callable[[str], str] | None = None,
) -> list[tuple[int, int]]:
    """``spans`` with each paragraph that has a line repeated in the text (as a line of
    another paragraph, a line of its own or a whole paragraph) split into its lines.
    Lines are compared in their matching form, so "Image caption, X" repeats "X".
    ``splittable``, when given, says which paragraphs may be split at all; ``read``, the
    words a paragraph or line says (Markdown's without its images' and links' markup).

    A line said again only as a line of stanzas (verse: three lines or more, all short),
    never right after itself, is a refrain, and splits nothing: a song quoted in a story
    repeats its chorus after each verse, and a chorus may end on its first line.
    """
    lined = {
        i: list(chunks(text[s:e], LINE_BREAK))
        for i, (s, e) in enumerate(spans)
        if has_break(text, s, e) and (splittable is None or splittable(text[s:e]))
    }
    if not lined:
        return spans

    def key(part: str) -> str:
        if read is not None:
            part = read(part)
        return normalize(part).key if weighed_length(part) >= min_chars else ""

    wholes = [key(text[s:e]) for s, e in spans]
    counts: Counter[str] = Counter(w for i, w in enumerate(wholes) if w and i not in lined)
    # The paragraphs that say a line, by what they say whole: a line said only by copies
    # of one paragraph is said again with it.
    holders: dict[str, set[object]] = {}
    for i, w in enumerate(wholes):
        if w and i not in lined:
            holders.setdefault(w, set()).add(w)
    lines: dict[int, list[str]] = {}
    # The times a line is said in a stanza, not right after itself; by paragraph, too.
    in_verse: Counter[str] = Counter()
    verse: dict[int, Counter[str]] = {}
    for i, parts in lined.items():
        s = spans[i][0]
        lines[i] = [key(text[s + a : s + b]) for a, b in parts]
        counts.update(k for k in lines[i] if k)
        for k in lines[i]:
            if k:
                holders.setdefault(k, set()).add(wholes[i] or i)
        said = lines[i]
        verse[i] = (
            Counter(k for j, k in enumerate(said) if k and (j == 0 or said[j - 1] != k))
            if _stanza(text, s, parts)
            else Counter()
        )
        in_verse.update(verse[i])
    # A paragraph that is itself written again whole stays whole, its copy goes whole,
    # unless a line of it is said by another paragraph too (a credit under two captions),
    # or twice by itself, but for a stanza's refrain (a chorus may end on its first line;
    # a line said right after itself is a copy): once its copy is gone, it would split,
    # and lose that line.
    whole_counts = Counter(w for w in wholes if w)
    out: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(spans):
        if i in lined and any(
            1 < counts[k] != in_verse[k]
            and (
                whole_counts[wholes[i]] < 2
                or len(holders[k]) > 1
                or 1 < lines[i].count(k) != verse[i][k]
            )
            for k in lines[i]
            if k
        ):
            out.extend((s + a, s + b) for a, b in lined[i])
        else:
            out.append((s, e))
    return out


# A stanza's lines are short: a line of verse, not wrapped prose or a paragraph a line.
_VERSE_CHARS = 64
_STANZA_LINES = 3


def _stanza(text: str, start: int, parts: list[tuple[int, int]]) -> bool:
    """Whether the paragraph whose lines are ``parts`` (from ``start``) is a stanza."""
    return len(parts) >= _STANZA_LINES and all(
        weighed_length(text[start + a : start + b]) <= _VERSE_CHARS for a, b in parts
    )

"""What each line of a Markdown document is, by CommonMark's block structure: text (that
starts a block, or carries one on), a blank line, code (fenced or indented) or a thematic
break.

Code and rules are never text: a line inside a fence, or indented four columns in a block
that holds no open paragraph, is an example the document shows, not its own words; a
"* * *" is a rule, not a list's entry. The containers a line stands in (block quotes and
list items) decide both: "    text" under a list's entry "- a" (after a blank line) is a
paragraph of that entry, and "    text" right under a paragraph's line carries it on.
A heading, a list's entry and a quote start blocks of their own, with no blank line
before them: "# Title" right under a line is no words of that line's paragraph.
"""

from __future__ import annotations

import re
from typing import Literal

from .text import LINE_BREAK

Role = Literal["start", "text", "blank", "code", "rule"]

_QUOTE = -1  # a block quote among the containers; a list's entry is its content column
_TAB = 4

_MARKER = re.compile(r"(?:[-*+]|(\d{1,9})[.)])(?=[ \t]|$)")
_RULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_OPEN_FENCE = re.compile(r"(`{3,})[^`]*$|(~{3,})")
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")


def line_roles(text: str) -> list[tuple[int, int, Role]]:
    """Each line's (start, end, role); ``end`` is before its line break. A line of text
    is ``start`` when it starts a block (a heading, a list's entry, a quote, a paragraph
    under a heading), ``text`` when it carries on the block of the line above."""
    scanner = _Scanner()
    out: list[tuple[int, int, Role]] = []
    pos = 0
    for m in LINE_BREAK.finditer(text):
        out.append((pos, m.start(), scanner.role(text[pos : m.start()])))
        pos = m.end()
    out.append((pos, len(text), scanner.role(text[pos:])))
    return out


def _blank(s: str) -> bool:
    return not s.strip(" \t\f\v")


def _spaces(line: str, i: int, col: int, upto: int | None = None) -> tuple[int, int]:
    """``(i, col)`` moved over the spaces and tabs at ``i`` (up to column ``upto``)."""
    while i < len(line) and line[i] in " \t" and (upto is None or col < upto):
        col = col + _TAB - col % _TAB if line[i] == "\t" else col + 1
        i += 1
    return i, col


class _Scanner:
    """CommonMark's block structure, line by line: the containers open (block quotes and
    list items), an open fence and whether a paragraph is open (a line indented four
    columns goes on with it rather than starting code)."""

    def __init__(self) -> None:
        self.containers: list[int] = []
        self.fence: tuple[str, int, int] | None = None  # its character, length, depth
        self.para = False
        self.text_end = 0  # where the line in hand is blank from
        self.starts = False  # whether the line in hand starts a block
        self.headed = False  # whether the line above was a heading's

    def role(self, line: str) -> Role:
        self.starts, self.headed = self.headed, False
        role = self._role(line)
        return "start" if role == "text" and self.starts else role

    def _role(self, line: str) -> Role:
        self.text_end = len(line.rstrip(" \t\f\v"))
        i, col, matched = self._continued(line)
        if self.fence is not None:
            char, length, depth = self.fence
            if matched >= depth:
                j, jcol = _spaces(line, i, col)
                rest = line[j:].rstrip(" \t")
                if jcol - col < _TAB and len(rest) >= length and rest == char * len(rest):
                    self.fence = None
                return "code"
            self.fence = None  # its container closed, and the fence with it
        if matched < len(self.containers):
            if self.para and i < self.text_end and not self._interrupts(line, i, col):
                return "text"  # a paragraph's lazy continuation line
            del self.containers[matched:]
            self.para = False
            self.starts = True
        i, col = self._open(line, i, col)
        j, jcol = _spaces(line, i, col)
        rest = line[j:]
        if _blank(rest):
            self.para = False
            return "blank" if _blank(line) else "text"
        if jcol - col >= _TAB:
            return "text" if self.para else "code"
        if m := _OPEN_FENCE.match(rest):
            fence = m.group(1) or m.group(2)
            self.fence = (fence[0], len(fence), len(self.containers))
            self.para = False
            return "code"
        if self.para and _SETEXT.match(rest):
            self.para = False  # the underline of a setext heading
            self.headed = True
            return "text"
        if _RULE.match(rest):
            self.para = False
            return "rule"
        if _ATX.match(rest):
            self.para = False
            self.starts = self.headed = True
            return "text"
        self.para = True
        return "text"

    def _continued(self, line: str) -> tuple[int, int, int]:
        """Where the line's content starts after the open containers it continues, and how
        many of them it continues."""
        i = col = matched = 0
        for content in self.containers:
            if content == _QUOTE:
                j, jcol = _spaces(line, i, col)
                if jcol - col >= _TAB or not line.startswith(">", j):
                    break
                i, col = self._after_quote_mark(line, j, jcol)
            elif i >= self.text_end:
                i = len(line)
            else:
                j, jcol = _spaces(line, i, col)
                if jcol < content:
                    break
                i, col = _spaces(line, i, col, content)
            matched += 1
        return i, col, matched

    @staticmethod
    def _after_quote_mark(line: str, j: int, jcol: int) -> tuple[int, int]:
        i, col = j + 1, jcol + 1
        if line.startswith((" ", "\t"), i):
            i, col = i + 1, col + 1
        return i, col

    def _open(self, line: str, i: int, col: int) -> tuple[int, int]:
        """Open the block quotes and list items that start at ``i``."""
        while True:
            j, jcol = _spaces(line, i, col)
            if jcol - col >= _TAB:
                return i, col
            if line.startswith(">", j):
                self.containers.append(_QUOTE)
                self.para = False
                self.starts = True
                i, col = self._after_quote_mark(line, j, jcol)
                continue
            m = _MARKER.match(line, j)
            empty = m is not None and m.end() >= self.text_end
            if m is None or _RULE.match(line, j) or (self.para and not _interrupting(m, empty)):
                return i, col
            mark_end = jcol + m.end() - j
            k, kcol = _spaces(line, m.end(), mark_end)
            if empty or kcol - mark_end > _TAB:
                k, kcol = _spaces(line, m.end(), mark_end, mark_end + 1)
            self.containers.append(kcol)
            self.para = False
            self.starts = True
            i, col = k, kcol

    def _interrupts(self, line: str, i: int, col: int) -> bool:
        """Whether the line at ``i`` starts a block that ends an open paragraph."""
        j, jcol = _spaces(line, i, col)
        if jcol - col >= _TAB:
            return False
        rest = line[j:]
        if rest.startswith(">") or _OPEN_FENCE.match(rest) or _RULE.match(rest):
            return True
        if _ATX.match(rest):
            return True
        m = _MARKER.match(line, j)
        return m is not None and _interrupting(m, m.end() >= self.text_end)


def _interrupting(m: re.Match[str], empty: bool) -> bool:
    """Whether a list marker may start an entry right under a paragraph's line: a bullet or
    the number 1, with text after it."""
    return (m.group(1) is None or m.group(1) == "1") and not empty

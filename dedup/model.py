"""The data every step passes on: blocks and their kinds, removals and their reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


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


class Reason(str, Enum):
    """The rule that made a block a copy of its kept twin."""

    EXACT = "exact"  # the same text once normalised (labels, credits, case, marks, punctuation)
    NEAR = "near-duplicate"  # exact Jaccard similarity of the shingle sets above the threshold
    CONTAINED = "contained"  # the block's shingles are (almost) all inside the kept block
    HEADLINE = "headline"  # the kept headline with the site's or a section's name ("Title | Site")

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Removal:
    """One block to remove, the kept block it duplicates, how similar, and by which rule."""

    index: int
    duplicate_of: int
    similarity: float
    reason: Reason
    kind: Kind
    text: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the report and JSONL records use this one form."""
        return {"index": self.index, "duplicate_of": self.duplicate_of,
                "similarity": self.similarity, "reason": str(self.reason), "kind": str(self.kind),
                "text": self.text}

"""The data every step passes on: blocks and their kinds, removals and their reasons."""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass
from enum import Enum
from typing import Any


class StrEnum(str, Enum):
    """An enum whose members are their values: they compare, hash, print and serialise to
    JSON as the plain strings they stand for."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Kind(StrEnum):
    """What a block is on the page; the keeper policy ranks kinds."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    QUOTE = "quote"
    CAPTION = "caption"
    ALT = "alt"


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of text with its kind, where it came from and what its place says.

    ``start``/``end`` are character offsets into the decoded source for text and Markdown;
    an HTML block's element is its ``tag`` (and ``attr`` names the attribute when the text
    is an attribute value, such as an image's alt text). ``line`` is the 1-based source
    line, for ``file:line`` messages.

    The other fields are facts about the block's place, found when the page is parsed so
    that every matching rule reads plain data and works the same on blocks from plain text,
    from JSONL or from another process (they stay at their defaults where a format has no
    such place):

    - ``furniture``: page furniture (navigation, sidebars, footers, lists of related or
      trending stories), never the article; the page's ``<h1>`` never is.
    - ``protected``: inside a form or a quiz, poll or survey, whose repeats are content.
    - ``form``: the path of the form it is part of (a sign-in, a newsletter box), when no
      quiz protects it: a line repeated in two forms (their help text) is no one form's own.
    - ``pull_quote``: a quote the page marks as pulled from its own text.
    - ``picture``: for a caption, or any line inside a ``<figure>``, the picture region it
      stands under (the nearest element that is or holds a picture), as a path in the
      page; a region's path is a prefix of the paths of the regions inside it.
    - ``picture_files``: the file names of the images that region shows (``src``,
      ``data-src``, ``srcset``...), without size suffixes: two regions that show one of
      the same files are two copies of one picture (a mobile and a desktop figure).
    - ``post``, ``post_text``: for a quote inside an embedded post (a blockquote or a
      quote box that holds more than this block), that post's path and its whole text.
    - ``link``: for a list's entry, that its whole text is a link (a list of stories,
      not of things said: "most read", "related").
    - ``anchor``: for a list's entry, that its link leads to a place in the page itself
      ("#section-2"): an entry of a table of contents.
    - ``target``: for an entry, heading or paragraph whose whole text is one link, the
      path it leads to (no host, query or fragment): two such blocks that lead to
      different pages are two items ("Best of the Region" and "Best of the Region 2019:
      Pizza"), whatever words they share.
    - ``lines``: how many lines an HTML block's text is printed on: a stanza of verse
      broken with ``<br>`` is two lines or more, whose ``text`` reads them as one (the
      text of plain text and Markdown keeps its own line breaks, and is one).
    - ``comment``: that the block stands in one reader's comment or reply: the reader's
      words, which may quote the article, never a copy of it (nor it of them).
    - ``around``: for a quote, the text (folded) beside its blockquote in the nearest
      element that holds words of its own beside it: the article's body around a pulled
      sentence, or the reply in a comment that quotes another comment.
    """

    index: int
    kind: Kind
    text: str
    line: int = 0
    start: int | None = None
    end: int | None = None
    attr: str | None = None
    tag: str | None = None
    furniture: bool = False
    protected: bool = False
    form: str | None = None
    pull_quote: bool = False
    picture: str | None = None
    picture_files: tuple[str, ...] = ()
    post: str | None = None
    post_text: str | None = None
    around: str | None = None
    link: bool = False
    anchor: bool = False
    target: str | None = None
    lines: int = 1
    comment: bool = False

    def __reduce__(self) -> tuple[type[Block], tuple[Any, ...]]:
        # Pickled as the constructor's arguments up to the last that is not its default:
        # corpus mode's workers send every block they read, and most fields of a block
        # of text are defaults (a third of the bytes and time of the dataclass's own
        # state, which names and sets every field).
        return Block, block_values(self)


def quick_init(cls: type) -> Any:
    """A frozen slotted dataclass's ``__init__`` that sets each field through its slot's
    own descriptor, held by the function: what the dataclass makes calls
    ``object.__setattr__`` a field, at twice the cost. Every document's blocks are made
    once where it is parsed and once more where a worker sends them, so this is paid a
    paragraph twice; corpus mode makes a kept block's record a paragraph too. Same
    signature, defaults and values; assigning a field still fails."""
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    scope: dict[str, Any] = {f"_set_{n}": getattr(cls, n).__set__ for n in names}
    params = []
    for f in fields:
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"    _set_{n}(self, {n})\n" for n in names)
    exec(f"def __init__(self, {', '.join(params)}):\n{body}", scope)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


Block.__init__ = quick_init(Block)  # type: ignore[method-assign]


def block_values(block: Block) -> tuple[Any, ...]:
    """A block's constructor arguments up to the last that is not its default."""
    values = _block_values(block)
    end = len(values)
    defaults = _BLOCK_DEFAULTS
    while end > 3:
        value, default = values[end - 1], defaults[end - 1]
        if value is not default and not _default(value, default):
            break
        end -= 1
    return values[:end]


_block_values = operator.attrgetter(*(f.name for f in dataclasses.fields(Block)))
_BLOCK_DEFAULTS = tuple(f.default for f in dataclasses.fields(Block))


def _default(value: object, default: object) -> bool:
    return type(value) is type(default) and value == default


class Reason(StrEnum):
    """The rule that made a block a copy of its kept twin."""

    EXACT = "exact"  # the same text once normalised (labels, credits, case, marks, punctuation)
    NEAR = "near-duplicate"  # exact Jaccard similarity of the shingle sets above the threshold
    CONTAINED = "contained"  # the block's shingles are (almost) all inside the kept block
    HEADLINE = "headline"  # the kept headline with the site's or a section's name ("Title | Site")
    # A title with words left out of the kept one, in the same order ("Aides testify about
    # 'unusual' call" of "Aides testify about 'unusual,' 'improper' call at hearing").
    SHORTENED = "shortened"
    # A copy that HTML keeps, once under each picture it stands under (a credit, a series
    # caption, an image's alt text), and text output drops: there the pictures are gone.
    TEXT_ONLY = "text-only"


@dataclass(frozen=True, slots=True)
class Echoes:
    """The removal plan of one document for each kind of output: ``text`` for text and
    Markdown (every repeat once; a removal HTML does not make has reason ``text-only``),
    ``html`` for the page itself (one caption under each picture may stay)."""

    text: tuple[Removal, ...]
    html: tuple[Removal, ...]


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
        return {
            "index": self.index,
            "duplicate_of": self.duplicate_of,
            "similarity": self.similarity,
            "reason": str(self.reason),
            "kind": str(self.kind),
            "text": self.text,
        }

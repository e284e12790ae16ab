"""Group verified duplicates and decide, by one stated policy, which copy stays.

The plan is a list of ``Removal``: the single source of truth that the rewriter applies and
the report prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..model import Block, Kind, Reason, Removal

# A heading beats body text: a headline restated with the site's name ("Title | Site")
# is the restatement's copy, never the headline's. Body text beats list items and cells (a
# headline repeated in a list of links is the list's copy), which beat a quote, which
# beats a caption, which beats text from an attribute.
KIND_RANK = {
    Kind.HEADING: 0,
    Kind.PARAGRAPH: 1,
    Kind.LIST_ITEM: 2,
    Kind.TABLE_CELL: 2,
    Kind.QUOTE: 3,
    Kind.CAPTION: 4,
    Kind.ALT: 5,
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the policy needs to know of one block that may be kept or removed."""

    block: Block
    size: int  # number of shingles
    truncated: bool
    labelled: bool
    titled: bool = False  # another block's text with a name joined on: "Title | Site"
    credited: bool = False  # a photo credit follows its words: "... Photo: Jane Doe"

    def rank(self) -> tuple[bool, bool, bool, bool, bool, int, int, bool, int]:
        """Sort key: the first candidate of a cluster under this order is its keeper.

        Text from an attribute loses to visible text; page furniture loses to the article;
        a copy cut short with an ellipsis loses to complete ones, whatever their kind or
        length (a teaser "Rescue workers search the…" is the caption's echo, and a body
        paragraph never goes for a longer teaser of it); so does a headline with the
        site's name joined on ("Title | Site"); then body text beats quotes,
        captions and alt text; a longer copy beats a shorter one (so a block that contains
        another is its keeper); among captions of one length, a credited one wins (its credit
        stays with its words); then an unlabelled copy; else the first. (Only among
        captions: in plain text a headline line and its credited caption are both
        paragraphs, and the first pass keeps both, so the second must not choose anew.)
        """
        b = self.block
        return (
            b.attr is not None,
            b.furniture,
            self.truncated,
            self.titled,
            self.labelled,
            KIND_RANK[b.kind],
            -self.size,
            not (self.credited and b.kind is Kind.CAPTION),
            b.index,
        )


class DisjointSet:
    """Union-find whose representative is always the smallest member (deterministic)."""

    def __init__(self, items: Iterable[int]) -> None:
        self.parent = {i: i for i in items}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = {}
        for i in sorted(self.parent):
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())


# Keepers a block is compared with, at most, besides the keepers of its exact copies: a
# cluster of hundreds of similar lines that are not copies of each other (a results table)
# would otherwise cost a comparison per pair.
KEEPERS_TRIED = 64


def plan(
    candidates: dict[int, Candidate],
    edges: Sequence[tuple[int, int]],
    match: Callable[[int, int], tuple[Reason, float] | None],
    removable: Callable[[Candidate, Candidate], bool],
    copies: Callable[[int], object] | None = None,
    fuller: Callable[[Block, Block], bool] | None = None,
) -> list[Removal]:
    """Choose keepers cluster by cluster and return the removals in block order.

    Within a cluster (connected by verified edges) members are visited best-ranked first;
    each one is removed if it matches a keeper already chosen (``match(member, keeper)``
    gives the rule and similarity, exactly) that ``removable`` allows, the most similar
    such keeper being its twin; else it becomes a keeper. So every removed
    block has a kept twin that it matches directly, never only through a chain. A member
    is compared with the first ``KEEPERS_TRIED`` keepers and with as many of the later ones
    that ``copies`` says are exact copies of it (same value).

    Then a keeper that lies inside a keeper ranked after it goes for it where ``fuller``
    allows (``_inside_a_later_keeper``): a heading is visited first and kept, and a list
    item that says it and more ("Title" and "Title. Its standfirst") is no copy of it. That
    keeper is set aside for its fuller twin and the cluster is visited again without it,
    until no keeper lies inside another: what the heading's copies go for is then chosen
    among the blocks that stay, and cleaning the cleaned text finds nothing more.
    """
    sets = DisjointSet(candidates)
    for a, b in edges:
        sets.union(a, b)
    removals: list[Removal] = []
    for group in sets.groups():
        if len(group) < 2:
            continue
        order = sorted(group, key=lambda g: candidates[g].rank())
        removals += _choose(order, candidates, match, removable, copies, fuller)
    removals.sort(key=lambda r: r.index)
    return removals


def _choose(
    order: list[int],
    candidates: dict[int, Candidate],
    match: Callable[[int, int], tuple[Reason, float] | None],
    removable: Callable[[Candidate, Candidate], bool],
    copies: Callable[[int], object] | None,
    fuller: Callable[[Block, Block], bool] | None,
) -> list[Removal]:
    """One cluster's removals: its members visited in rank order, then again without each
    keeper that lies inside a later one (``plan``), until none does."""
    first = _visit(order, candidates, match, removable, copies)
    if fuller is None:
        return first[1]
    aside: dict[int, Removal] = {}  # keepers gone for a fuller keeper
    keepers, found = first
    for _ in range(2 * len(order)):
        # A visit without the blocks set aside may remove one's twin (a copy kept for the
        # block set aside now goes for another): it goes for that twin's twin, or is
        # visited again.
        back = False
        for r in found:
            back |= _move(aside, r.index, r.duplicate_of, candidates, match, removable)
        if not back:
            inside = _inside_a_later_keeper(candidates, keepers, match, removable, fuller)
            if inside is None:
                return found + list(aside.values())
            # What went for it goes for its twin.
            _move(aside, inside.index, inside.duplicate_of, candidates, match, removable)
            aside[inside.index] = inside
        keepers, found = _visit(
            [g for g in order if g not in aside], candidates, match, removable, copies
        )
    return first[1]  # no choice settled: the first visit's, which holds


def _move(
    aside: dict[int, Removal],
    gone: int,
    twin: int,
    candidates: dict[int, Candidate],
    match: Callable[[int, int], tuple[Reason, float] | None],
    removable: Callable[[Candidate, Candidate], bool],
) -> bool:
    """Let the blocks set aside for ``gone`` go for ``twin`` instead, each that matches it;
    the others are no longer set aside. Whether any was not."""
    dropped = False
    for k, r in list(aside.items()):
        if r.duplicate_of != gone:
            continue
        again = match(k, twin)
        if again is not None and removable(candidates[k], candidates[twin]):
            aside[k] = _removal(candidates[k].block, twin, again)
        else:
            del aside[k]
            dropped = True
    return dropped


def _removal(block: Block, twin: int, found: tuple[Reason, float]) -> Removal:
    return Removal(block.index, twin, round(found[1], 4), found[0], block.kind, block.text)


def _visit(
    order: list[int],
    candidates: dict[int, Candidate],
    match: Callable[[int, int], tuple[Reason, float] | None],
    removable: Callable[[Candidate, Candidate], bool],
    copies: Callable[[int], object] | None,
) -> tuple[list[int], list[Removal]]:
    """One visit of a cluster's members in rank order: its keepers and its removals."""
    keepers: list[int] = []
    removals: list[Removal] = []
    late: dict[object, list[int]] = {}  # keepers past the first KEEPERS_TRIED, by copy
    for i in order:
        tried = keepers[:KEEPERS_TRIED]
        if len(keepers) > KEEPERS_TRIED and copies is not None:
            tried += late.get(copies(i), [])[:KEEPERS_TRIED]
        matches = [(k, found) for k in tried if (found := match(i, k))]
        # The most similar keeper it may be removed for (a caption's copy goes for the
        # caption of its own photo, not for the same words under another photo).
        if len(matches) > 1:
            matches.sort(key=lambda m: -m[1][1])
        best = next((m for m in matches if removable(candidates[i], candidates[m[0]])), None)
        if best is None:
            if len(keepers) >= KEEPERS_TRIED and copies is not None:
                late.setdefault(copies(i), []).append(i)
            keepers.append(i)
        else:
            removals.append(_removal(candidates[i].block, *best))
    return keepers, removals


def _inside_a_later_keeper(
    candidates: dict[int, Candidate],
    keepers: list[int],
    match: Callable[[int, int], tuple[Reason, float] | None],
    removable: Callable[[Candidate, Candidate], bool],
    fuller: Callable[[Block, Block], bool],
) -> Removal | None:
    """The first keeper that lies inside a keeper ranked after it, as its removal: a
    copy (not an exact one: copies both kept are kept for a reason) of a longer keeper,
    that ``fuller`` and ``removable`` allow, never for a teaser cut short or an image's
    alt text."""
    for x, k in enumerate(keepers):
        for i in keepers[x + 1 : x + 1 + KEEPERS_TRIED]:
            if candidates[i].truncated or candidates[i].block.attr is not None:
                continue
            found = match(k, i)
            if (
                found is not None
                and found[0] is not Reason.EXACT
                and candidates[i].size > candidates[k].size
                and fuller(candidates[k].block, candidates[i].block)
                and removable(candidates[k], candidates[i])
            ):
                return _removal(candidates[k].block, i, found)
    return None

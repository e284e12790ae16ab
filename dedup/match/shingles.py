"""Character n-gram shingles of many texts at once, hashed with numpy in one pass.

Character shingles work the same for every script (with or without spaces) and let a short
caption be compared with the long paragraph that contains it, which word shingles of
different lengths could not.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from .. import core
from .hashing import fmix

_PRIME = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: odd, well mixed
_PAD = "\x01"
# Texts per document sorted in one pass; their shingle hashes keep 64 - _OWNER_BITS bits
# (48: a collision among a document's shingles is vanishingly unlikely, and only merges two).
_OWNER_BITS = 16
_SHIFT = np.uint64(64 - _OWNER_BITS)
_LOW_MASK = np.uint64((1 << (64 - _OWNER_BITS)) - 1)


class ShingleSets(Sequence):
    """The shingle sets of a document's texts, stored end to end in one array.

    ``hashes[offsets[i]:offsets[i + 1]]`` is text ``i``'s set: sorted, unique. Keeping one
    array lets signatures and anchors run over a whole document without gathering
    per-text arrays first; ``sets[i]`` is a view, not a copy.
    """

    __slots__ = ("_bounds", "hashes", "offsets", "sizes")

    def __init__(self, hashes: np.ndarray, offsets: np.ndarray) -> None:
        self.hashes = hashes
        self.offsets = offsets
        self.sizes = np.diff(offsets)
        self._bounds = offsets.tolist()

    @classmethod
    def of(cls, sets: Sequence[np.ndarray]) -> ShingleSets:
        """Pack separate sorted unique arrays."""
        if isinstance(sets, ShingleSets):
            return sets
        offsets = np.zeros(len(sets) + 1, dtype=np.int64)
        np.cumsum([len(s) for s in sets], out=offsets[1:])
        hashes = np.concatenate(sets) if len(sets) else np.zeros(0, dtype=np.uint64)
        return cls(hashes, offsets)

    def __len__(self) -> int:
        return len(self._bounds) - 1

    def __getitem__(self, i: int) -> np.ndarray:  # type: ignore[override]
        b = self._bounds
        return self.hashes[b[i] : b[i + 1]]

    def __iter__(self) -> Iterator[np.ndarray]:
        b, h = self._bounds, self.hashes
        return (h[b[i] : b[i + 1]] for i in range(len(b) - 1))

    def size(self, i: int) -> int:
        return self._bounds[i + 1] - self._bounds[i]


def unique_sorted(a: np.ndarray) -> np.ndarray:
    """Sorted unique values, by sorting (numpy's own unique hashes first: slower here)."""
    a = np.sort(a)
    if len(a) < 2:
        return a
    first = np.empty(len(a), dtype=bool)  # np.r_ costs more than the comparison
    first[0] = True
    np.not_equal(a[1:], a[:-1], out=first[1:])
    return a[first]


# The last texts shingled with ``remember`` (a document's matching keys) and their sets:
# corpus mode keys the blocks a document keeps right after cleaning it, and those are
# texts its cleaning shingled. A set is a function of its text and n alone, so what any
# thread left here is as right as a new one.
_last: tuple[int, dict[str, int], ShingleSets] | None = None


def remembered(texts: list[str], n: int) -> ShingleSets:
    """``shingle_sets``, taken from the last texts shingled with ``remember`` when they
    hold every one of ``texts``."""
    last = _last
    if last is not None and last[0] == n and texts:
        where, sets = last[1], last[2]
        if len(texts) == len(where) and list(where) == texts:
            return sets  # (every text, in order: a page that kept all its blocks)
        if all(t in where for t in texts):
            return ShingleSets.of([sets[where[t]] for t in texts])
    return shingle_sets(texts, n)


def shingle_sets(texts: list[str], n: int, remember: bool = False) -> ShingleSets:
    """Return, for each text, the sorted unique 48-bit hashes of its character n-grams.

    A text shorter than ``n`` is one shingle (padded), so it still has a set. The hash of
    an n-gram depends only on its characters, so the sets of different documents and
    processes compare directly (no dependence on ``PYTHONHASHSEED``). The compiled core
    computes them where it is built (``pure_shingle_sets`` is the reference).
    """
    if core.compiled is not None and texts:
        sets = ShingleSets(*core.compiled.shingle_sets(list(texts), n))
    else:
        sets = pure_shingle_sets(texts, n)
    if remember:
        global _last
        _last = (n, {t: i for i, t in enumerate(texts)}, sets)
    return sets


def pure_shingle_sets(texts: list[str], n: int) -> ShingleSets:
    """``shingle_sets`` in numpy: every window of every text hashed at once."""
    if not texts:
        return ShingleSets.of([])
    padded = [t if len(t) >= n else t + _PAD * (n - len(t)) for t in texts]
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    windows = len(codes) - n + 1
    with np.errstate(over="ignore"):
        h = codes[:windows].copy()
        for k in range(1, n):
            h *= _PRIME
            h += codes[k : k + windows]
        fmix(h, 64)
        h &= _LOW_MASK
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    ends = np.cumsum(lengths)
    count = len(texts)
    if count >= 1 << _OWNER_BITS:
        starts = ends - lengths
        return ShingleSets.of(
            [
                unique_sorted(h[s : e - n + 1])
                for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
            ]
        )
    # One sort for the whole document: the owner in the top bits, the hash below, so the
    # result is grouped by text and sorted, duplicates adjacent. A window belongs to the
    # text it starts in and counts only if it ends there too: each text's last n - 1
    # windows run into the next text.
    valid = np.ones(windows, dtype=bool)
    if count > 1:
        valid[(ends[:-1, np.newaxis] - np.arange(n - 1, 0, -1)).ravel()] = False
    owner = np.repeat(np.arange(count, dtype=np.uint64), lengths - (n - 1))
    keyed = unique_sorted((owner << _SHIFT) | h[valid])
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount((keyed >> _SHIFT).astype(np.int64), minlength=count), out=offsets[1:])
    return ShingleSets(keyed & _LOW_MASK, offsets)

"""Exact similarity of two shingle sets: nothing is removed on a MinHash estimate alone."""

from __future__ import annotations

import numpy as np

from .. import core
from .shingles import ShingleSets


def overlap(a: np.ndarray, b: np.ndarray) -> int:
    """Size of the intersection of two sorted unique hash arrays."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    pos = np.searchsorted(b, a)
    pos[pos == len(b)] = 0
    return int(np.count_nonzero(b[pos] == a))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """|A ∩ B| / |A ∪ B| on exact sets."""
    inter = overlap(a, b)
    union = len(a) + len(b) - inter
    return inter / union if union else 1.0


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """|A ∩ B| / |A|: how much of A is found in B."""
    return overlap(a, b) / len(a) if len(a) else 0.0


def overlap_counts(sets: ShingleSets, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``overlap(sets[a], sets[b])`` for every pair ``(first[i], second[i])``, in one sort
    for all of them (in batches when there are many).

    Every shingle of both sets of a pair is tagged with the pair's number in the top bits;
    sorted together, a shingle in both sets of a pair is two equal neighbours (each set
    holds a hash once).
    """
    count = len(first)
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    if core.compiled is not None:  # (one merge a pair; this function is the reference)
        return core.compiled.overlaps(
            np.ascontiguousarray(sets.hashes, dtype=np.uint64),
            np.ascontiguousarray(sets.offsets, dtype=np.int64),
            np.ascontiguousarray(first, dtype=np.int64),
            np.ascontiguousarray(second, dtype=np.int64),
        )
    return pure_overlap_counts(sets, first, second)


def pure_overlap_counts(sets: ShingleSets, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``overlap_counts`` in numpy."""
    count = len(first)
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    if len(sets.hashes) and int(sets.hashes.max()) >> (64 - _PAIR_BITS):
        pairs = zip(first.tolist(), second.tolist(), strict=True)
        return np.array([overlap(sets[a], sets[b]) for a, b in pairs], dtype=np.int64)
    step = (1 << _PAIR_BITS) - 1  # more pairs than tags: in batches
    if count > step:
        return np.concatenate(
            [
                pure_overlap_counts(sets, first[at : at + step], second[at : at + step])
                for at in range(0, count, step)
            ]
        )
    tagged = np.sort(np.concatenate([_tagged(sets, first), _tagged(sets, second)]))
    same = tagged[1:][tagged[1:] == tagged[:-1]]
    return np.bincount((same >> _PAIR_SHIFT).astype(np.int64), minlength=count)


def _tagged(sets: ShingleSets, which: np.ndarray) -> np.ndarray:
    """The hashes of the sets ``which``, end to end, each tagged with its position."""
    sizes = sets.sizes[which]
    ends = np.cumsum(sizes)
    positions = np.arange(int(ends[-1])) + np.repeat(sets.offsets[which] - (ends - sizes), sizes)
    tags = np.repeat(np.arange(len(which), dtype=np.uint64), sizes)
    return (tags << _PAIR_SHIFT) | sets.hashes[positions]


_PAIR_BITS = 16
_PAIR_SHIFT = np.uint64(64 - _PAIR_BITS)

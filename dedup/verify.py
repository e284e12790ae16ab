"""Exact similarity of two shingle sets: nothing is removed on a MinHash estimate alone."""

from __future__ import annotations

import numpy as np


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

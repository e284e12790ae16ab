"""Shingles, MinHash signatures, LSH and anchor candidates, exact verification."""

import numpy as np

from dedup.match.verify import containment, jaccard, overlap


def test_exact_similarities():
    a = np.array([1, 2, 3, 4], dtype=np.uint64)
    b = np.array([3, 4, 5, 6, 7, 8], dtype=np.uint64)
    assert overlap(a, b) == 2
    assert jaccard(a, b) == 2 / 8
    assert containment(a, b) == 0.5
    assert containment(a[2:], b) == 1.0

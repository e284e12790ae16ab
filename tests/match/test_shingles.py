"""Shingles, MinHash signatures, LSH and anchor candidates, exact verification."""

import numpy as np

from dedup.match.shingles import shingle_sets


def test_shingles_are_sorted_unique_and_content_addressed():
    a, b, c = shingle_sets(["abcdefg", "xxabcdefg", "ab"], 5)
    assert list(a) == sorted(set(a.tolist()))
    assert len(a) == 3 and len(b) == 5 and len(c) == 1
    assert set(a.tolist()) <= set(b.tolist())
    # The same text hashes the same in any batch: no dependence on position or run.
    assert np.array_equal(shingle_sets(["zz", "abcdefg"], 5)[1], a)

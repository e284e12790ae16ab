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


def test_remembered_sets_are_the_sets_of_the_texts_asked_for():
    # Corpus mode keys a document's blocks with the sets its cleaning made: whatever the
    # order asked, a subset, or texts never shingled, each set is the text's own.
    from dedup.match.shingles import remembered

    texts = ["the first paragraph here", "a second, longer paragraph of text", "third one"]
    shingle_sets(texts, 5, remember=True)
    for asked in (texts, texts[::-1], texts[1:2], [texts[0], "never shingled before"]):
        got, want = remembered(asked, 5), shingle_sets(asked, 5)
        assert len(got) == len(want)
        for a, b in zip(got, want, strict=True):
            assert a.tolist() == b.tolist()
    assert [s.tolist() for s in remembered(texts, 4)] == [
        s.tolist() for s in shingle_sets(texts, 4)
    ]

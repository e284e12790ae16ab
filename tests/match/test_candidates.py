"""Shingles, MinHash signatures, LSH and anchor candidates, exact verification."""

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from dedup.match.candidates import CROWD, anchor_pairs, band_pairs, lsh_params
from dedup.match.shingles import shingle_sets
from dedup.match.signatures import signatures
from dedup.match.verify import jaccard


def as_list(find, *args):
    """The pairs a candidate filter returns as two arrays, as a list of tuples."""
    first, second = find(*args)
    return list(zip(first.tolist(), second.tolist(), strict=True))


def test_lsh_finds_near_copies_and_not_strangers():
    texts = [
        "police said the man was arrested on monday evening near the station",
        "the weather will stay dry for most of the week across the region",
        "police said the man was arrested on monday evening near the station.",
        "completely different words about cooking pasta with garlic and oil",
    ]
    sets = shingle_sets(texts, 5)
    pairs = as_list(band_pairs, signatures(sets, 64, 1), *lsh_params(0.5, 64))
    assert (0, 2) in pairs
    assert (0, 1) not in pairs and (1, 3) not in pairs


def test_banding_gives_the_candidates_datasketch_minhashlsh_gives():
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(60)]
    texts = [" ".join(rng.choice(words, size=12)) for _ in range(150)]
    texts += [t + " extra" for t in texts[:40]]  # near copies
    sets = shingle_sets(texts, 5)
    sigs = signatures(sets, 64, 1)
    bands, rows = lsh_params(0.5, 64)
    lsh = MinHashLSH(num_perm=64, params=(bands, rows))
    expected = set()
    for j, sig in enumerate(sigs):
        m = LeanMinHash(seed=1, hashvalues=sig, scheme="affine32")
        expected.update((i, j) for i in lsh.query(m))
        lsh.insert(j, m)
    assert as_list(band_pairs, sigs, bands, rows) == sorted(expected)
    assert len(expected) >= 40


def test_anchor_pairs_find_a_short_text_inside_a_long_one():
    quote = "we will not stop until every family has a safe home to return to"
    body = ("the minister spoke for an hour. " * 5) + quote + (" and then she left the stage." * 5)
    sets = shingle_sets([quote, body, "an unrelated line about football results"], 5)
    assert jaccard(sets[0], sets[1]) < 0.5
    assert (0, 1) in as_list(anchor_pairs, sets, 8)
    assert all(pair[0] != 2 for pair in as_list(anchor_pairs, sets, 8))


def test_a_crowded_bucket_pairs_neighbours_not_everyone():
    # 500 rows in one bucket would be 124,750 pairs; each is paired with the 8 after it
    # (duplicate rows: the same bucket in every band).
    sigs = np.zeros((500, 32), dtype=np.uint32)
    pairs = as_list(band_pairs, sigs, 10, 3)
    assert len(pairs) == sum(min(8, 499 - i) for i in range(500))
    assert (0, 1) in pairs and (0, 8) in pairs and (0, 9) not in pairs
    # Up to the crowd size everyone is paired, as MinHashLSH would.
    assert len(as_list(band_pairs, sigs[:CROWD], 10, 3)) == CROWD * (CROWD - 1) // 2

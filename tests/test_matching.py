"""Shingles, MinHash signatures, LSH and anchor candidates, exact verification."""

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

import dedup
from dedup.match.candidates import CROWD, anchor_pairs, band_pairs, lsh_params
from dedup.match.shingles import shingle_sets
from dedup.match.signatures import permutations, signatures, to32
from dedup.match.verify import containment, jaccard, overlap


def test_shingles_are_sorted_unique_and_content_addressed():
    a, b, c = shingle_sets(["abcdefg", "xxabcdefg", "ab"], 5)
    assert list(a) == sorted(set(a.tolist()))
    assert len(a) == 3 and len(b) == 5 and len(c) == 1
    assert set(a.tolist()) <= set(b.tolist())
    # The same text hashes the same in any batch: no dependence on position or run.
    assert np.array_equal(shingle_sets(["zz", "abcdefg"], 5)[1], a)


def test_bulk_signatures_equal_datasketch_minhash():
    sets = shingle_sets(["the quick brown fox jumps", "over the lazy dog", "x" * 40000], 5)
    sigs = signatures(sets, 64, seed=7)
    for s, sig in zip(sets, sigs, strict=True):
        m = MinHash(num_perm=64, seed=7, scheme="affine32", hashfunc=int)
        m.update_batch(to32(s).tolist())
        assert np.array_equal(m.hashvalues, sig)


def test_default_parameters_written_out_are_datasketch_s_own():
    # The defaults' permutations and bands are kept as constants so that a process never
    # has to import datasketch (and scipy) for them; they must be what datasketch draws.
    config = dedup.Config()
    a, b = permutations(config.num_perm, config.seed)
    drawn = MinHash(num_perm=config.num_perm, seed=config.seed, scheme="affine32").permutations
    assert np.array_equal(a.ravel(), drawn[0]) and np.array_equal(b.ravel(), drawn[1])
    assert a.dtype == drawn[0].dtype
    probe = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
    assert lsh_params(config.lsh_threshold, config.num_perm) == (probe.b, probe.r)


def test_bulk_signatures_with_the_defaults_equal_datasketch_minhash():
    config = dedup.Config()
    sets = shingle_sets(["the quick brown fox jumps", "over the lazy dog"], 5)
    for s, sig in zip(sets, signatures(sets, config.num_perm, config.seed), strict=True):
        m = MinHash(num_perm=config.num_perm, seed=config.seed, scheme="affine32", hashfunc=int)
        m.update_batch(to32(s).tolist())
        assert np.array_equal(m.hashvalues, sig)


def test_lsh_finds_near_copies_and_not_strangers():
    texts = [
        "police said the man was arrested on monday evening near the station",
        "the weather will stay dry for most of the week across the region",
        "police said the man was arrested on monday evening near the station.",
        "completely different words about cooking pasta with garlic and oil",
    ]
    sets = shingle_sets(texts, 5)
    pairs = band_pairs(signatures(sets, 64, 1), *lsh_params(0.5, 64))
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
    assert band_pairs(sigs, bands, rows) == sorted(expected)
    assert len(expected) >= 40


def test_anchor_pairs_find_a_short_text_inside_a_long_one():
    quote = "we will not stop until every family has a safe home to return to"
    body = ("the minister spoke for an hour. " * 5) + quote + (" and then she left the stage." * 5)
    sets = shingle_sets([quote, body, "an unrelated line about football results"], 5)
    assert jaccard(sets[0], sets[1]) < 0.5
    assert (0, 1) in anchor_pairs(sets, 8)
    assert all(pair[0] != 2 for pair in anchor_pairs(sets, 8))


def test_exact_similarities():
    a = np.array([1, 2, 3, 4], dtype=np.uint64)
    b = np.array([3, 4, 5, 6, 7, 8], dtype=np.uint64)
    assert overlap(a, b) == 2
    assert jaccard(a, b) == 2 / 8
    assert containment(a, b) == 0.5
    assert containment(a[2:], b) == 1.0


def test_cleaning_with_the_defaults_does_not_import_datasketch():
    # Start-up time of a pre-commit hook or a one-file run: datasketch imports scipy.
    import subprocess
    import sys

    cap = "A caption that repeats itself on the page, word for word"
    other = "A paragraph of the story that says something else entirely"
    code = ("import sys, dedup\n"
            f"r = dedup.clean('<p>{cap}.</p><p>{other}.</p><p>{cap}!</p>')\n"
            "assert [x.index for x in r.removed] == [2], r.removed\n"
            "print('datasketch' in sys.modules, 'scipy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_crowded_bucket_pairs_neighbours_not_everyone():
    # 500 rows in one bucket would be 124,750 pairs; each is paired with the 8 after it
    # (duplicate rows: the same bucket in every band).
    sigs = np.zeros((500, 32), dtype=np.uint32)
    pairs = band_pairs(sigs, 10, 3)
    assert len(pairs) == sum(min(8, 499 - i) for i in range(500))
    assert (0, 1) in pairs and (0, 8) in pairs and (0, 9) not in pairs
    # Up to the crowd size everyone is paired, as MinHashLSH would.
    assert len(band_pairs(sigs[:CROWD], 10, 3)) == CROWD * (CROWD - 1) // 2


def test_pairs_whose_numbers_differ_alike_are_never_compared():
    # Same count of numbers, not the same numbers: no direction can match (a removed block's
    # numbers must all be in its keeper). A subset may still match: it stays a candidate.
    import numpy as np

    from dedup.match.rules import numbers_allow

    keys = ["line 1041 of the log", "line 1042 of the log", "results of 2019 and 2020",
            "results of 2019", "results of 2020 and 2019"]
    a, b = numbers_allow(keys, (np.array([0, 2, 2, 0]), np.array([1, 3, 4, 3])))
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == [(2, 3), (2, 4)]

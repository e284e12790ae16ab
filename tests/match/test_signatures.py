"""Shingles, MinHash signatures, LSH and anchor candidates, exact verification."""

import numpy as np
from datasketch import MinHash, MinHashLSH

import dedup
from dedup.match.candidates import lsh_params
from dedup.match.shingles import shingle_sets
from dedup.match.signatures import permutations, signatures, to32


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
    # ... and so are corpus mode's (64 permutations: corpus_lsh).
    a, b = permutations(64, config.seed)
    drawn = MinHash(num_perm=64, seed=config.seed, scheme="affine32").permutations
    assert np.array_equal(a.ravel(), drawn[0]) and np.array_equal(b.ravel(), drawn[1])
    probe = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
    assert lsh_params(config.lsh_threshold, config.num_perm) == (probe.b, probe.r)


def test_bulk_signatures_with_the_defaults_equal_datasketch_minhash():
    config = dedup.Config()
    sets = shingle_sets(["the quick brown fox jumps", "over the lazy dog"], 5)
    for s, sig in zip(sets, signatures(sets, config.num_perm, config.seed), strict=True):
        m = MinHash(num_perm=config.num_perm, seed=config.seed, scheme="affine32", hashfunc=int)
        m.update_batch(to32(s).tolist())
        assert np.array_equal(m.hashvalues, sig)


def test_cleaning_with_the_defaults_does_not_import_datasketch():
    # Start-up time of a pre-commit hook or a one-file run: datasketch imports scipy.
    import subprocess
    import sys

    cap = "A caption that repeats itself on the page, word for word"
    other = "A paragraph of the story that says something else entirely"
    code = (
        "import sys, dedup\n"
        f"r = dedup.clean('<p>{cap}.</p><p>{other}.</p><p>{cap}!</p>')\n"
        "assert [x.index for x in r.removed] == [2], r.removed\n"
        "print('datasketch' in sys.modules, 'scipy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]

"""The compiled core and its pure-Python twin: built where a compiler is, chosen as the
environment says, and equal to the twin on every input, down to the cleaned bytes."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup import core
from dedup.corpus.index import bucket_starts, filter_slots, set_bits
from dedup.match.candidates import (
    anchor_pairs,
    band_pairs,
    postings,
    pure_anchor_pairs,
    pure_band_pairs,
    pure_postings,
)
from dedup.match.shingles import ShingleSets, pure_shingle_sets, shingle_sets
from dedup.match.signatures import pure_signatures, signatures
from dedup.match.verify import overlap_counts, pure_overlap_counts

from .conftest import ROOT, SAMPLES

PURE = os.environ.get("DEDUP_PURE", "") not in ("", "0")
needs_core = pytest.mark.skipif(core.compiled is None, reason="the compiled core is not built")


@pytest.fixture
def pure(monkeypatch):
    """Run the pure-Python twin in this process."""
    monkeypatch.setattr(core, "compiled", None)


def test_the_core_is_built_where_a_compiler_is():
    if PURE:
        assert core.compiled is None and core.NAME == "pure Python"
        return
    compiler = os.environ.get("CXX", "c++")
    works = shutil.which(compiler) is not None and (
        subprocess.run([compiler, "--version"], capture_output=True).returncode == 0
    )
    if not works:  # (none, or one that fails: CXX=false)
        pytest.skip("no C++ compiler: the pure path is the one installed")
    # A failed compile is only a warning of the install (the extension is optional).
    assert core.compiled is not None, "dedup/_core.pyx did not build: see `pip install -e .`"
    assert core.walk is not None, "dedup/_walk.pyx did not build: see `pip install -e .`"
    assert core.NAME == "compiled core"


def test_the_version_says_which_path_runs():
    def version(**env: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "dedup", "--version"],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            check=True,
        )
        return proc.stdout.strip()

    assert version(DEDUP_PURE="1") == f"dedup, version {dedup.__version__} (pure Python)"
    built = (
        "pure Python"
        if not importlib.util.find_spec("dedup._core")
        else "compiled core"
        if importlib.util.find_spec("dedup._walk")
        else "compiled core, pure-Python HTML walk"
    )
    assert version(DEDUP_PURE="") == f"dedup, version {dedup.__version__} ({built})"


texts = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.text(alphabet="ab \u00e9\u0627\u65e5\U0001f600", max_size=300),
        st.sampled_from(["", "a", "police police police said", "\x01\x01", "\x00"]),
    ),
    min_size=1,
    max_size=12,
)


@needs_core
@settings(max_examples=300, deadline=None)
@given(texts, st.integers(2, 9))
def test_shingle_sets_equal_their_twin(batch, n):
    got = shingle_sets(batch, n)
    want = pure_shingle_sets(batch, n)
    assert np.array_equal(got.offsets, want.offsets)
    assert np.array_equal(got.hashes, want.hashes)
    assert got.hashes.dtype == want.hashes.dtype == np.uint64


@needs_core
@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 3000),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0, 20, 40, 47]),
    st.sampled_from(["as drawn", "sorted", "reversed", "repeated"]),
)
def test_the_compiled_hash_sort_sorts_crowded_and_spread_hashes_alike(size, seed, crowd, order):
    # Hashes are spread by their top bits; ``crowd`` top bits cleared puts them in the
    # first buckets only (47: every hash in one), where the insertion sort gives up.
    drawn = np.random.default_rng(seed).integers(0, 1 << 48, size, dtype=np.uint64)
    values = drawn >> np.uint64(crowd)
    if order == "sorted":
        values = np.sort(values)
    elif order == "reversed":
        values = np.sort(values)[::-1].copy()
    elif order == "repeated":
        values = np.concatenate([values, values[: len(values) // 2]])
    assert np.array_equal(core.compiled.sorted48(values), np.sort(values))


@needs_core
@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 5000),
    st.integers(0, 2**32 - 1),
    st.sampled_from([32, 24, 8]),
    st.booleans(),
)
def test_the_compiled_key_search_finds_what_numpy_finds(size, seed, width, ends):
    # Band keys are hashes (``width`` 32: spread over every bucket); narrower keys crowd
    # the first buckets and repeat, as a run's keys repeat for a site's furniture.
    rng = np.random.default_rng(seed)
    held = np.sort(rng.integers(0, 1 << width, size, dtype=np.uint64).astype(np.uint32))
    if ends and size:
        held[0], held[-1] = 0, 2**32 - 1  # the first and the last bucket's edges
    sought = np.concatenate(
        [
            rng.integers(0, 1 << width, 200, dtype=np.uint64).astype(np.uint32),
            held[rng.integers(0, size, 200)] if size else np.zeros(0, np.uint32),
            np.array([0, 2**32 - 1], dtype=np.uint32),
        ]
    )
    sought = np.sort(sought)
    starts, shift = bucket_starts(held)
    lo, hi = core.compiled.key_bounds(held, starts, shift, sought)
    assert np.array_equal(lo, np.searchsorted(held, sought, side="left"))
    assert np.array_equal(hi, np.searchsorted(held, sought, side="right"))


@needs_core
@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 3000), st.integers(0, 3000), st.integers(0, 2**32 - 1), st.sampled_from([32, 4])
)
def test_the_compiled_run_merge_orders_as_a_stable_sort(n, m, seed, width):
    # Two runs of band keys (``width`` 4: most keys repeated, within and across the runs),
    # numbered one run after the other: equal keys must keep the first run's first.
    rng = np.random.default_rng(seed)
    keys = [
        np.sort(rng.integers(0, 1 << width, k, dtype=np.uint64)).astype(np.uint32) for k in (n, m)
    ]
    ids = [np.arange(n, dtype=np.uint32), np.arange(n, n + m, dtype=np.uint32)]
    got_keys, got_ids = core.compiled.merged_keys(keys[0], ids[0], keys[1], ids[1])
    both, numbers = np.concatenate(keys), np.concatenate(ids)
    order = np.argsort(both, kind="stable")
    assert np.array_equal(got_keys, both[order])
    assert np.array_equal(got_ids, numbers[order])


@needs_core
@settings(max_examples=200, deadline=None)
@given(st.integers(0, 3000), st.integers(0, 2**32 - 1), st.integers(16, 29))
def test_the_compiled_filter_marks_the_bits_numpy_marks(n, seed, shift):
    # A filter of 2**(32 - shift) bits, as ``Runs._refilter`` sizes them; keys spread over
    # all 32 bits, the highest and lowest among them, and repeated.
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)
    keys = np.concatenate([keys, keys[: n // 3], np.array([0, 2**32 - 1], dtype=np.uint32)])
    size = 1 << (32 - shift)
    want = np.zeros(size >> 3, dtype=np.uint8)
    for slots in filter_slots(keys, shift):
        set_bits(want, slots)
    got = np.zeros(size >> 3, dtype=np.uint8)
    core.compiled.mark_keys(got, keys, shift)
    assert np.array_equal(got, want)
    assert got.any()


@needs_core
@settings(max_examples=200, deadline=None)
@given(texts, st.integers(2, 9), st.sampled_from([8, 32, 64, 128]), st.sampled_from([1, 7]))
def test_signatures_equal_their_twin(batch, n, num_perm, seed):
    sets = pure_shingle_sets(batch, n)
    assert np.array_equal(signatures(sets, num_perm, seed), pure_signatures(sets, num_perm, seed))


@needs_core
@settings(max_examples=200, deadline=None)
@given(
    texts,
    st.integers(2, 9),
    st.sampled_from([(64, 12, 5), (32, 6, 5), (128, 25, 5), (64, 10, 3), (12, 4, 3)]),
    st.sampled_from([1, 7]),
)
def test_corpus_keys_equal_their_twin(batch, n, lsh, seed):
    from dedup.corpus.index import keyed, pure_keyed

    perms, bands, rows = lsh
    sets = pure_shingle_sets(batch, n)
    got, want = keyed(sets, perms, bands, rows, seed), pure_keyed(sets, perms, bands, rows, seed)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)


@needs_core
def test_the_corpus_keys_of_every_corpus_block_equal_their_twin(corpus):
    # What an index stores and looks up: one bit off and no copy is ever found again.
    from dedup.corpus.index import block_keys, corpus_lsh, keyed, pure_keyed
    from dedup.match.normalize import normalize

    config = dedup.Config()
    forms = [
        normalize(b.text).key for page in corpus for b in dedup.clean(page.read_bytes()).blocks
    ]
    forms = [f for f in forms if f]
    perms, bands, rows = corpus_lsh(config)
    sets = shingle_sets(forms, config.shingle_size)
    got, want = keyed(sets, perms, bands, rows, 1), pure_keyed(sets, perms, bands, rows, 1)
    assert len(forms) > 10_000 and got[0].shape == (len(forms), bands)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    keys, sketches = block_keys(forms[:50], config)
    assert np.array_equal(keys[:, :bands], want[0][:50]) and np.array_equal(sketches, want[1][:50])


def _same_pairs(got: tuple[np.ndarray, np.ndarray], want: tuple[np.ndarray, np.ndarray]) -> None:
    assert [a.tolist() for a in got] == [a.tolist() for a in want]
    assert all(a.dtype == np.int64 for a in (*got, *want))


# Signatures of a few distinct values, so that many rows share bands and buckets crowd.
crowded_sigs = st.integers(1, 60).flatmap(
    lambda n: st.lists(
        st.lists(st.integers(0, 3), min_size=32, max_size=32), min_size=n, max_size=n
    )
)


@needs_core
@settings(max_examples=300, deadline=None)
@given(crowded_sigs, st.sampled_from([(10, 3), (8, 4), (32, 1), (1, 32)]), st.integers(1, 40))
def test_band_pairs_equal_their_twin(rows, shape, crowd):
    sigs = np.array(rows, dtype=np.uint32)
    bands, width = shape
    _same_pairs(band_pairs(sigs, bands, width, crowd), pure_band_pairs(sigs, bands, width, crowd))


# Sets drawn from a few hashes (so that they overlap, contain each other and crowd an
# anchor), large hashes among them (the pure path packs hashes under 2^48 with their set).
hash_sets = st.lists(
    st.sets(st.one_of(st.integers(0, 40), st.integers(0, 2**64 - 1)), max_size=30),
    min_size=1,
    max_size=40,
)


@needs_core
@settings(max_examples=400, deadline=None)
@given(
    hash_sets,
    st.integers(1, 12),
    st.floats(0.1, 1.0),
    st.integers(1, 40),
    st.data(),
)
def test_postings_and_anchor_pairs_equal_their_twins(drawn, k, share, crowd, data):
    sets = ShingleSets.of([np.array(sorted(s), dtype=np.uint64) for s in drawn])
    for got, want in zip(postings(sets), pure_postings(sets), strict=True):
        assert got.tolist() == want.tolist() and got.dtype == want.dtype
    queries = data.draw(
        st.one_of(st.none(), st.lists(st.booleans(), min_size=len(drawn), max_size=len(drawn)))
    )
    _same_pairs(
        anchor_pairs(sets, k, queries, share, crowd),
        pure_anchor_pairs(sets, k, queries, share, crowd),
    )


def _both_folds(text: str) -> tuple[str, str]:
    from dedup.match.normalize import fold

    compiled = fold(text)
    saved, core.compiled = core.compiled, None
    try:
        return compiled, fold(text)
    finally:
        core.compiled = saved


# Code points whose fold depends on their neighbours, or that the fold changes: marks
# (one that case folding makes a letter, U+0345), Hangul syllables and their jamo, a
# composite excluded from composition, a singleton (U+2126), ligatures, wide forms, letter
# variants and digits of Arabic, Han characters about a line break.
_FOLD_ALPHABET = (
    "aeiouAEIOU \n\u2028\t\u00a0\u0301\u0308\u0327\u0345\u0307\u0131\u0130\u00df\u03a3\u03c2"
    "\uac00\uac01\u1100\u1161\u11a8\u3131\u0f73\u0f75\u2126\u212b\ufb01\uff21\uff41"
    "\u0627\u0623\u0625\u0622\u0649\u064a\u0629\u0647\u064b\u0651\u0660\u06f5\u0640"
    "\u65e5\u672c\u3042\u30a2\u24d2\u24b8\u00a9\u200b\u200d\ufeff\u2019\u201c\u2014"
    "\u0915\u093f\u094d\u0e01\u0e31\u1e9b\u0323\U0001d400\u00e9\u0065"
)


@needs_core
@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(max_size=40), st.text(alphabet=_FOLD_ALPHABET, max_size=40)))
def test_the_compiled_fold_folds_as_its_twin(text):
    compiled, pure = _both_folds(text)
    assert compiled == pure


@needs_core
def test_the_compiled_fold_folds_every_corpus_block_as_its_twin(corpus):
    from dedup.match import normalize

    assert normalize._compiled_fold() is not None  # built from this table and Unicode data
    texts = [b.text for page in corpus for b in dedup.clean(page.read_bytes()).blocks]
    for text in texts:
        compiled, pure = _both_folds(text)
        assert compiled == pure, text


# Words and texts for the word scans: overlapping words ("photo", "hoto"), one word inside
# another, non-ASCII first letters, marks, and texts that end in a word or half of one.
_SCAN_WORDS = ["photo", "hoto", "foto", "ph", ": ", "|", "/", "©", "фото", "фо", "摄", "攝影", "é"]


@needs_core
@settings(max_examples=1500, deadline=None)
@given(
    st.dictionaries(
        st.one_of(st.sampled_from(_SCAN_WORDS), st.text(min_size=1, max_size=4)),
        st.integers(1, (1 << 64) - 1),
        max_size=12,
    ),
    st.lists(st.one_of(st.sampled_from(_SCAN_WORDS), st.text(max_size=5)), max_size=12),
)
def test_the_compiled_word_scan_finds_what_its_twin_finds(words, parts):
    from dedup.match.normalize import PureWordScan

    text = "".join(parts)
    assert core.compiled.WordScan(words).bits_in(text) == PureWordScan(words).bits_in(text)


def _cleaned(path: Path) -> tuple:
    result = dedup.clean(path.read_bytes(), name=path.name)
    return result.text, result.html, result.removed, result.html_removed


@needs_core
def test_every_corpus_page_and_sample_cleans_the_same_on_both_paths(corpus, monkeypatch):
    files = [*corpus, *(p for p in sorted(SAMPLES.iterdir()) if p.is_file())]
    compiled = [_cleaned(p) for p in files]
    monkeypatch.setattr(core, "compiled", None)
    for path, want in zip(files, compiled, strict=True):
        assert _cleaned(path) == want, path.name


@needs_core
def test_a_machine_without_a_compiler_builds_and_runs_the_pure_path(tmp_path):
    # The package built with no compiler at all (CC and CXX fail): the install goes on
    # without the core, and the pure path cleans a sample as the core does.
    env = {**os.environ, "CC": "false", "CXX": "false", "DEDUP_PURE": ""}
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".*", "build", "*.so", "*.cpp", "*.egg-info", "__pycache__"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", "wheels"]
        + ["--quiet", str(source)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = (tmp_path / "wheels").glob("dedup-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        assert not [n for n in zf.namelist() if n.endswith((".so", ".pyd"))]
        zf.extractall(tmp_path / "installed")
    sample = SAMPLES / "arabic-musk-repeated-captions.txt"
    run = [sys.executable, "-m", "dedup"]
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "installed"), "DEDUP_PURE": ""}
    # (run from tmp_path: from the project's root, `-m` would find its own dedup first)
    version = subprocess.run(
        [*run, "--version"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert version.stdout.strip().endswith("(pure Python)"), version.stdout + version.stderr
    cleaned = subprocess.run(
        [*run, "clean", "-q", str(sample)], cwd=tmp_path, env=env, capture_output=True
    )
    assert cleaned.returncode == 0, cleaned.stderr
    here = subprocess.run([*run, "clean", "-q", str(sample)], capture_output=True, check=True)
    assert cleaned.stdout == here.stdout
    assert 0 < len(cleaned.stdout) < len(sample.read_bytes())  # (its three captions went)


@needs_core
@settings(max_examples=200, deadline=None)
@given(texts, st.integers(2, 6), st.data())
def test_overlap_counts_equal_their_twin(batch, n, data):
    sets = pure_shingle_sets(batch, n)
    pairs = data.draw(
        st.lists(st.tuples(st.integers(0, len(batch) - 1), st.integers(0, len(batch) - 1)))
    )
    first = np.array([a for a, _ in pairs], dtype=np.int64)
    second = np.array([b for _, b in pairs], dtype=np.int64)
    assert np.array_equal(
        overlap_counts(sets, first, second), pure_overlap_counts(sets, first, second)
    )


# Text of every kind Python stores (one, two and four bytes a character), with what JSON
# escapes (quotes, backslashes, every control character) and lone surrogates.
json_texts = st.text(
    st.one_of(
        st.characters(max_codepoint=0x7F),
        st.sampled_from('"\\\x00\x01\x08\x09\x0a\x0c\x0d\x1f\x7f\x80\xe9\u2019\u2028'),
        st.characters(min_codepoint=0x100, max_codepoint=0xFFFF),
        st.characters(min_codepoint=0x10000),
    ),
    max_size=300,
)


@needs_core
@settings(max_examples=500, deadline=None)
@given(json_texts)
def test_the_compiled_json_string_is_what_json_writes(text):
    # The core looks for what to escape 16 bytes at a time: the text again and again,
    # after a pad of each width, puts every character at every place of a block.
    import json

    for pad in ("", "x" * 7, "\u2019" * 5, "\U0001f600" * 3):
        for times in (1, 17):
            whole = (pad + text) * times
            assert core.compiled.json_string(whole) == json.encoder.py_encode_basestring(whole)
            assert core.compiled.json_string(whole) == json.dumps(whole, ensure_ascii=False)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), json_texts),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(json_texts, inner)),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(json_texts, json_values, max_size=6))
def test_a_jsonl_line_is_what_json_writes(record):
    # On either path (the compiled core writes the strings of a record's top level), and
    # a record holding a lone surrogate, which UTF-8 cannot hold, reads back the same.
    import json

    from dedup.streams import json_line

    line = json_line(record)
    assert line.endswith(b"\n") and json.loads(line) == record
    try:
        want = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # (a lone surrogate: every character outside ASCII escaped)
        want = (json.dumps(record) + "\n").encode("ascii")
    assert line == want

"""Corpus mode: blocks repeated across documents, found against an embedded index, removed
with their twin named; the first copy always stays. Real SQLite files, real processes."""

from __future__ import annotations

import gc
import itertools
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import dedup
from dedup.corpus import Corpus, CrossRemoval
from dedup.corpus.index import Kept

BOX = "Get the morning newsletter: the day's top stories in your inbox every weekday."
WIRE = "The storm brought down power lines across the region, the agency's report said on Sunday."


def article(i: int, *extra: str) -> str:
    paragraphs = [
        f"Council vote number {i} on the new budget",
        f"Members met on day {i} to debate spending on roads, schools and the library branch {i}.",
        *extra,
        BOX,
    ]
    return "\n\n".join(paragraphs) + "\n"


def dedup_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dedup", *args], capture_output=True, timeout=300, cwd=cwd
    )


def _records(path: Path, first: int, count: int, site: str = "news.example") -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(first, first + count):
            record = {"id": f"a{i}", "url": f"https://{site}/{i}", "text": article(i)}
            out.write(json.dumps(record) + "\n")
    return path


def test_a_newsletter_box_in_200_articles_stays_once_and_is_reported_as_boilerplate(tmp_path):
    articles = _records(tmp_path / "articles.jsonl", 0, 200)
    # Each article alone holds no repeat: checking them one by one finds nothing.
    assert dedup_cli("check", str(articles)).returncode == 0
    report = tmp_path / "report.json"
    proc = dedup_cli("corpus", str(articles), "--report", str(report))
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 200
    assert out[0]["text"] == article(0) and out[0]["dedup"] == []
    for record in out[1:]:
        assert BOX not in record["text"] and record["text"].startswith("Council vote")
        (removal,) = record["dedup"]
        assert removal["duplicate_of"] == {"document": "a0", "index": 2}
    assert [r["dedup"][0]["reason"] for r in out[1:3]] == ["duplicate", "boilerplate"]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["boilerplate"] == [
        {"text": BOX, "documents": 200, "sites": ["news.example"], "examples": ["a0", "a1", "a2"]}
    ]
    assert data["summary"]["removed"] == 199 and len(data["documents"]) == 199


def test_an_index_stores_the_text_of_a_blocks_first_repeat_once(tmp_path):
    # A site's furniture repeated on every page is quoted once by the report: the index
    # holds the text of its first repeat, not of every repeat, nor again a day later.
    index = tmp_path / "c.idx"
    for day, (first, count) in enumerate([(0, 120), (120, 80)]):
        part = _records(tmp_path / f"day{day}.jsonl", first, count)
        report = tmp_path / f"report{day}.json"
        args = ("corpus", str(part), "-q", "--index", str(index), "--report", str(report))
        proc = dedup_cli(*args)
        assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(index) as db:
        rows = db.execute("SELECT block, doc, text FROM repeats ORDER BY rowid").fetchall()
    assert len(rows) == 199 and len({block for block, _, _ in rows}) == 1
    assert [(doc, text) for _, doc, text in rows if text] == [(2, BOX)]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["boilerplate"] == [
        {"text": BOX, "documents": 200, "sites": ["news.example"], "examples": ["a0", "a1", "a2"]}
    ]


def test_a_syndicated_paragraph_goes_from_later_documents_even_reworded(tmp_path):
    with Corpus() as corpus:
        first = corpus.clean(article(1, WIRE), name="one", site="a.example", format="text")
        near = WIRE.replace("Sunday", "Sunday night").replace("brought down", "brought  down")
        second = corpus.clean(article(2, near), name="two", site="b.example", format="text")
    assert first.cross == ()
    assert [(c.twin_document, c.twin_index, c.reason) for c in second.cross] == [
        ("one", 2, "duplicate"),
        ("one", 3, "duplicate"),
    ]
    assert 0.8 <= second.cross[0].similarity < 1.0
    assert WIRE not in second.text and near not in second.text


def test_a_reworded_copy_is_found_against_a_reopened_index_by_its_sketch(tmp_path):
    # The sketches of kept blocks are written with their batch and read back on open: a
    # sketch lost (read as zeros) would drop the reworded copy as unlike anything kept.
    from dedup.corpus.index import block_keys

    index = tmp_path / "c.idx"
    with Corpus(index=index) as corpus:
        corpus.clean(article(1, WIRE), name="one", site="a.example", format="text")
    near = WIRE.replace("Sunday", "Sunday night").replace("brought down", "brought  down")
    with Corpus(index=index) as corpus:
        second = corpus.clean(article(2, near), name="two", site="b.example", format="text")
        kept = corpus.index.kept(range(1, corpus.index.next_block))
        wire = next(b for b, k in kept.items() if k.document == "one" and k.index == 2)
        _, sketch = block_keys([kept[wire].form], corpus.config)
        assert (corpus.index.sketched(np.array([wire])) == sketch).all()
    assert [(c.twin_document, c.twin_index) for c in second.cross] == [("one", 2), ("one", 3)]
    assert 0.8 <= second.cross[0].similarity < 1.0


def test_sketches_keep_every_copy_at_the_threshold_and_drop_most_chance_candidates():
    # Pairs of shingle sets at a known Jaccard: 3,000 copies at exactly 0.8 (the default
    # threshold) must all be verified; of 3,000 pairs at 0.3, the kind that shares a band
    # by chance across millions of blocks, few may be.
    from dedup.corpus.index import alike_in, alike_values, fewest_alike, sketches_of
    from dedup.match.signatures import signatures

    rng = np.random.default_rng(0)

    def pairs(jaccard: float) -> tuple[np.ndarray, np.ndarray]:
        a, b = [], []
        for size in rng.integers(40, 400, 3000).tolist():
            common = round(size * jaccard)  # |A| = |B| = size, |A & B| / |A | B| = jaccard
            only = round(common / jaccard - common) // 2
            values = rng.choice(1 << 40, common + 2 * only, replace=False).astype(np.uint64)
            a.append(np.sort(values[: common + only]))
            b.append(np.sort(np.r_[values[:common], values[common + only :]]))
        return sketches_of(signatures(a, 64, 1)), sketches_of(signatures(b, 64, 1))

    least = fewest_alike(64, 0.8)
    copies = alike_values(*pairs(0.8))
    assert copies.min() >= least and copies.mean() > 50
    chance = alike_values(*pairs(0.3))
    assert (chance >= least).mean() < 0.02
    # The same counts from the sketches read as numbers (how a row meets this call's blocks).
    first, second = pairs(0.5)
    as_numbers = [
        alike_in(int.from_bytes(x.tobytes(), "little"), int.from_bytes(y.tobytes(), "little"), 32)
        for x, y in zip(first, second, strict=True)
    ]
    assert as_numbers == alike_values(first, second).tolist()
    sigs = signatures([np.arange(1, 9, dtype=np.uint64)] * 2, 64, 1)
    assert alike_values(*sketches_of(sigs)[:, None]).tolist() == [64]


def test_a_daily_run_against_the_index_equals_one_run_over_both_days(tmp_path):
    day1 = _records(tmp_path / "day1.jsonl", 0, 30)
    day2 = _records(tmp_path / "day2.jsonl", 30, 30)
    both = tmp_path / "both.jsonl"
    both.write_bytes(day1.read_bytes() + day2.read_bytes())
    once = dedup_cli("corpus", str(both), "-q")
    first = dedup_cli("corpus", str(day1), "--index", str(tmp_path / "c.idx"), "-q")
    second = dedup_cli("corpus", str(day2), "--index", str(tmp_path / "c.idx"), "-q")
    assert once.returncode == first.returncode == second.returncode == 0
    assert first.stdout + second.stdout == once.stdout
    # Cleaning the cleaned corpus again (a new index) removes nothing.
    cleaned = tmp_path / "cleaned.jsonl"
    cleaned.write_bytes(once.stdout)
    again = dedup_cli("corpus", str(cleaned), "--removals-key", "again", "-q")
    assert all(json.loads(line)["again"] == [] for line in again.stdout.splitlines())


def test_an_index_made_otherwise_or_no_index_at_all_is_one_error(tmp_path):
    articles = _records(tmp_path / "a.jsonl", 0, 3)
    index = tmp_path / "c.idx"
    assert dedup_cli("corpus", str(articles), "--index", str(index), "-q").returncode == 0
    proc = dedup_cli("corpus", str(articles), "--index", str(index), "--num-perm", "128")
    assert proc.returncode == 2
    assert b"the index was made with other settings: num_perm '64' (asked: '128')" in proc.stderr
    foreign = tmp_path / "notes.idx"
    foreign.write_text("not an index\n", encoding="utf-8")
    proc = dedup_cli("corpus", str(articles), "--index", str(foreign))
    assert proc.returncode == 2 and b"not a dedup index" in proc.stderr
    assert foreign.read_text(encoding="utf-8") == "not an index\n"
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(dedup.InputError, match="not a dedup index"):
        Corpus(index=other)


def test_a_run_killed_in_an_index_update_leaves_a_usable_index(tmp_path):
    articles = _records(tmp_path / "big.jsonl", 0, 4000)
    index = tmp_path / "c.idx"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dedup", "corpus", str(articles), "--index", str(index), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (index.exists() and index.stat().st_size > 200_000):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Corpus(index=index) as corpus:
        docs = corpus.index.documents()
        assert docs % corpus.batch == 0 or docs == 4000  # whole batches only
        later = corpus.clean(article(9999), name="later", site="news.example", format="text")
    assert [c.twin_document for c in later.cross] == (["a0"] if docs else [])


def test_a_directory_of_files_keeps_its_tree_and_its_directories_are_sites(tmp_path):
    for site in ("a", "b"):
        (tmp_path / "in" / site).mkdir(parents=True)
        for i in range(3):
            (tmp_path / "in" / site / f"{i}.txt").write_text(article(i), encoding="utf-8")
    proc = dedup_cli("corpus", "in", "-o", "out", "--report", "r.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    kept = [p for p in sorted((tmp_path / "out").rglob("*.txt")) if BOX in p.read_text()]
    assert kept == [tmp_path / "out" / "a" / "0.txt"]
    # The same article under b/ repeats a/'s: a duplicate, named by its path.
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    by_doc = {d["document"]: d["removed"] for d in report["documents"]}
    assert by_doc[str(Path("in") / "b" / "0.txt")][0]["duplicate_of"]["document"] == str(
        Path("in") / "a" / "0.txt"
    )


def test_check_against_the_index_refuses_a_repeat_and_writes_nothing(tmp_path):
    (tmp_path / "articles").mkdir()
    for i in range(3):
        (tmp_path / "articles" / f"a{i}.txt").write_text(article(i), encoding="utf-8")
    built = dedup_cli("corpus", "articles", "--index", "c.idx", "-o", "out", "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    index = (tmp_path / "c.idx").read_bytes()
    # An indexed article is itself, not a repeat of itself (however its path is written);
    # a later one still repeats the first one's newsletter box.
    again = dedup_cli("check", "--index", "c.idx", "./articles/a0.txt", cwd=tmp_path)
    assert again.returncode == 0, again.stdout
    later = dedup_cli("check", "--index", "c.idx", "articles/a2.txt", cwd=tmp_path)
    assert b"repeating block 2 of articles/a0.txt" in later.stdout
    (tmp_path / "articles" / "new.txt").write_text(
        f"A new story\n\n{article(1).split(chr(10) * 2)[1]}\n", encoding="utf-8"
    )
    proc = dedup_cli("check", "--index", "c.idx", "articles/new.txt", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.decode() == (
        "articles/new.txt:3: would remove paragraph repeating block 1 of articles/a1.txt "
        "(similarity 1.00)\n"
    )
    assert (tmp_path / "c.idx").read_bytes() == index


def _jaccard(a: str, b: str) -> float:
    from dedup.match.normalize import normalize
    from dedup.match.shingles import shingle_sets
    from dedup.match.verify import jaccard

    sets = shingle_sets([normalize(a).key, normalize(b).key], dedup.Config().shingle_size)
    return jaccard(sets[0], sets[1])


def test_a_chain_of_alike_neighbours_removes_only_what_matches_a_kept_block():
    # A ~ B and B ~ C, but C is no copy of A: connected components would make one cluster
    # and remove C for A. Here a block goes only for a kept block it matches directly, and
    # B is removed, so C stays.
    a = (
        "The harbour authority said the ferry service between the two islands would resume "
        "on Monday morning after the storm damage to the pier was repaired by the crews "
        "working through the weekend."
    )
    b = a.replace("Monday morning", "Monday at dawn")
    c = b.replace("harbour authority", "port office")
    assert _jaccard(a, b) >= 0.8 and _jaccard(b, c) >= 0.8 and _jaccard(a, c) < 0.8
    with Corpus() as corpus:
        results = [
            corpus.clean(f"Story {n}\n\n{text}\n", name=n, format="text")
            for n, text in (("A", a), ("B", b), ("C", c))
        ]
    assert [[(x.twin_document, x.twin_index) for x in r.cross] for r in results] == [
        [],
        [("A", 1)],
        [],
    ]


def _generated(tmp_path: Path, paragraphs: int) -> Path:
    from bench.corpus import generate

    path = tmp_path / "generated.jsonl"
    generate(path, paragraphs, seed=7)
    return path


def test_the_same_output_whatever_the_processes_the_batches_and_the_partitions(tmp_path):
    data = _generated(tmp_path, 2400)
    lines = data.read_bytes().splitlines(keepends=True)
    one = dedup_cli("corpus", str(data), "-q")
    two = dedup_cli("corpus", str(data), "-q", "--jobs", "2")
    assert one.returncode == two.returncode == 0, two.stderr
    assert two.stdout == one.stdout and one.stdout.count(b"duplicate_of") > 300
    # The input in three files, and the same in three runs a day apart on one index.
    parts = [lines[:50], lines[50:51], lines[51:]]
    for n, part in enumerate(parts):
        (tmp_path / f"part{n}.jsonl").write_bytes(b"".join(part))
    names = [str(tmp_path / f"part{n}.jsonl") for n in range(3)]
    split = dedup_cli("corpus", *names, "-q")
    assert split.stdout == one.stdout
    daily = b"".join(
        dedup_cli("corpus", name, "-q", "--index", str(tmp_path / "d.idx")).stdout for name in names
    )
    assert daily == one.stdout
    # In Python, one document at a time (a write to the index each) or a batch at a time.
    records = [json.loads(line) for line in lines]
    with Corpus(batch=1) as corpus:
        removed = [r.removals() for r in corpus.clean(records)]
    with Corpus() as corpus:
        assert [r.removals() for r in corpus.clean(records)] == removed
    assert [json.loads(line)["dedup"] for line in one.stdout.splitlines()] == removed


@pytest.mark.parametrize("spill", [1 << 40, 100], ids=["in memory", "spilled"])
def test_the_band_runs_find_what_a_scan_finds_however_the_blocks_were_split(spill, monkeypatch):
    import numpy as np

    from dedup.corpus import index as index_module
    from dedup.corpus.index import MOST_CANDIDATES, Runs

    # Runs of 100 blocks or more in temporary files, mapped: the same blocks are found.
    monkeypatch.setattr(index_module, "SPILL_BLOCKS", spill)

    rng = np.random.default_rng(3)
    # Keys from a small range, so some key is held by more blocks than are ever compared.
    held = rng.integers(0, 12, size=(1000, 4), dtype=np.uint32)
    numbers = np.arange(1, 1001, dtype=np.uint32)
    probe = rng.integers(0, 40, size=(50, 4), dtype=np.uint32)
    expected = []
    for row, keys in enumerate(probe):
        for band in range(4):
            same = numbers[held[:, band] == keys[band]][:MOST_CANDIDATES]  # the earliest
            expected += [(row, band, int(b)) for b in same]
    assert any(np.count_nonzero(held[:, 0] == k) > MOST_CANDIDATES for k in range(12))
    for sizes in ((1000,), (5, 1, 1, 30, 2, 2, 2, 200, 7, 750), (1,) * 40 + (960,)):
        runs = Runs(4)
        at = 0
        for size in sizes:  # merges of every shape
            runs.add(held[at : at + size], numbers[at : at + size])
            at += size
        assert len(runs) == 1000 and len(runs.runs) < 6
        assert any(m is not None for m in runs.maps) == (spill == 100)
        rows, bands, found = runs.lookup(probe)
        got = sorted(zip(rows.tolist(), bands.tolist(), found.tolist(), strict=True))
        assert got == sorted(expected)


@pytest.mark.parametrize("first_row", [0, 1 << 23], ids=["a batch", "millions of rows"])
def test_hits_are_ordered_capped_and_ranked_as_the_rule_says(first_row):
    from dedup.corpus.index import MOST_CANDIDATES, capped, ranked

    # Hits from three places (the index's runs, this run's), overlapping rows and bands,
    # one (row, band) holding more blocks than are ever compared; rows numbered from 0 or
    # past what one sorted number holds.
    rng = np.random.default_rng(7)
    parts = []
    for start in (0, 200, 400):
        hits = {
            (int(r), int(b), int(f))
            for r, b, f in zip(
                rng.integers(0, 30, 600),
                rng.integers(0, 13, 600),
                rng.integers(start, start + 200, 600),
                strict=True,
            )
        }
        hits |= {(3, 12, f) for f in range(start, start + 40)}
        rows, bands, found = (np.array(column) for column in zip(*sorted(hits), strict=True))
        order = rng.permutation(len(rows))
        parts.append((rows[order] + first_row, bands[order], found[order].astype(np.uint32)))
    triples = sorted(
        (int(r), int(b), int(f))
        for rows, bands, found in parts
        for r, b, f in zip(rows, bands, found, strict=True)
    )
    expected = []
    for _, group in itertools.groupby(triples, key=lambda t: t[:2]):
        expected += list(group)[:MOST_CANDIDATES]
    assert len(triples) > len(expected)  # (some group was capped)
    rows, bands, found = capped(parts)
    assert (rows.dtype, bands.dtype, found.dtype) == (np.int64, np.int64, np.uint32)
    assert list(zip(rows.tolist(), bands.tolist(), found.tolist(), strict=True)) == expected
    # Ranked: a row's candidates, most band keys shared first, then the earliest.
    shared: dict[int, dict[int, int]] = {}
    for row, _, block in expected:
        shared.setdefault(row, {}).setdefault(block, 0)
        shared[row][block] += 1
    want = {
        row: sorted(counts.items(), key=lambda c: (-c[1], c[0])) for row, counts in shared.items()
    }
    got = ranked((rows, bands, found))
    assert got == want and list(got) == sorted(want)
    assert any(n > 1 for found in got.values() for _, n in found)


@pytest.mark.parametrize("parts", [2, 3], ids=["two runs", "three runs"])
def test_a_merge_into_a_spilled_run_holds_a_band_at_a_time_not_the_merged_run(parts, monkeypatch):
    import tracemalloc

    import numpy as np

    from dedup.corpus import index as index_module
    from dedup.corpus.index import merge_spilling, run_of, spilled

    # Runs of keys spilled to files and merged into a spilled run, as a long run merges
    # its largest runs: memory holds a band or two of the merge, never every band of it
    # (at 10 million paragraphs the whole merged run was 800 MB).
    monkeypatch.setattr(index_module, "SPILL_BLOCKS", 1000)
    rng = np.random.default_rng(5)
    size, bands = 40_000, 14
    runs, maps, whole = [], [], []
    for part in range(parts):
        keys = rng.integers(0, 2**32, (size, bands), dtype=np.uint64).astype(np.uint32)
        ids = np.arange(part * size, (part + 1) * size, dtype=np.uint32)
        run, mapped = spilled(run_of(keys, ids), size, bands)
        runs.append(run)
        maps.append(mapped)
        whole.append((keys, ids))
    merged_bytes = parts * size * bands * 8
    tracemalloc.start()
    try:
        merged, mapped = merge_spilling(runs, bands, maps)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert mapped is not None
    assert peak < merged_bytes / 3
    keys = np.concatenate([k for k, _ in whole])
    ids = np.concatenate([i for _, i in whole])
    for band in (0, bands - 1):
        order = np.argsort(keys[:, band], kind="stable")
        assert np.array_equal(merged[band][0], keys[order, band])
        assert np.array_equal(merged[band][1], ids[order])


def test_a_crowd_of_alike_dated_lines_is_kept_and_a_copy_in_it_is_found():
    # A line on every page, alike but for its date: no copies of each other, each shares
    # band keys with the rest. Comparing each new one with every earlier one would cost
    # time quadratic in the corpus: a block is compared with at most MOST_CANDIDATES.
    line = "Published by the newsroom on {} November at {}:{:02d}, updated later that day."
    with Corpus() as corpus:
        for n in range(150):
            page = f"Story {n} of the day\n\n{line.format(n % 28 + 1, n % 12 + 1, n % 60)}\n"
            assert corpus.clean(page, name=f"p{n}", format="text").cross == ()
        again = corpus.clean(
            f"Another story\n\n{line.format(101 % 28 + 1, 101 % 12 + 1, 101 % 60)}\n",
            name="again",
            format="text",
        )
    assert [(c.twin_document, c.similarity) for c in again.cross] == [("p101", 1.0)]


def test_spilled_runs_are_stored_read_back_and_matched_as_runs_in_memory(tmp_path, monkeypatch):
    from dedup.corpus import index as index_module

    records = [
        {"id": f"a{i}", "text": article(i, WIRE) if i % 7 == 0 else article(i)} for i in range(60)
    ]

    def cleaned(spill: int) -> list:
        monkeypatch.setattr(index_module, "SPILL_BLOCKS", spill)
        path = tmp_path / f"{spill}.idx"
        with Corpus(index=path, batch=1) as corpus:  # 30 stored runs, compacted on close
            out = [r.removals() for r in corpus.clean(records[:30])]
            spilled = any(m is not None for m in corpus.index.runs.maps)
        with Corpus(index=path, batch=1) as corpus:  # read back, a band at a time
            out += [r.removals() for r in corpus.clean(records[30:])]
            assert any(m is not None for m in corpus.index.runs.maps) == spilled
        rows = sqlite3.connect(path).execute("SELECT COUNT(*), SUM(size) FROM runs").fetchone()
        return [spilled, rows, out]

    in_memory, spilled = cleaned(1 << 40), cleaned(8)
    assert in_memory[0] is False and spilled[0] is True
    assert spilled[1:] == in_memory[1:]
    assert sum(len(r) for r in in_memory[2]) > 60  # (the box in each, the wire in some)


def test_an_index_written_in_many_batches_is_compacted_and_reads_back_the_same(tmp_path):
    index = tmp_path / "c.idx"
    with Corpus(index=index, batch=1) as corpus:
        for i in range(40):
            corpus.clean(article(i), name=f"a{i}", site="news.example", format="text")
        held = [len(run[0][0]) for run in corpus.index.runs.runs]
    # 40 batches stored as 40 runs, rewritten on close as the few runs held in memory,
    # each more than twice the next.
    db = sqlite3.connect(index)
    sizes = [n for (n,) in db.execute("SELECT size FROM runs WHERE band = 0 ORDER BY run")]
    assert sizes == held and len(sizes) <= 4
    assert all(a > 2 * b for a, b in itertools.pairwise(sizes))
    with Corpus(index=index) as corpus:
        assert corpus.index.documents() == 40
        later = corpus.clean(article(7), name="copy", site="news.example", format="text")
    # (Article 7's lines are article 7's; the box is the first article's.)
    assert [(c.twin_document, c.twin_index) for c in later.cross] == [
        ("a7", 0),
        ("a7", 1),
        ("a0", 2),
    ]


@pytest.mark.skipif(not hasattr(sqlite3.Connection, "setlimit"), reason="Python 3.11 and later")
def test_no_stored_blob_grows_with_the_bands_so_a_large_index_stays_under_sqlites_limit(tmp_path):
    # SQLite refuses a row over 1 GB: a run stored whole (every band in one row) reached it
    # at 19 million kept blocks. Here the limit is brought down to what one band of all the
    # blocks needs (its keys and numbers), and compaction and reading back still work.
    index = tmp_path / "c.idx"
    with Corpus(index=index, batch=1) as corpus:
        for i in range(40):
            corpus.clean(article(i, WIRE), name=f"a{i}", site="news.example", format="text")
        held = len(corpus.index.runs)
        band = 4 * (held + len(corpus.unsaved))
        corpus.index.db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 2 * band + 64)
    db = sqlite3.connect(index)
    runs, rows, longest = db.execute(
        "SELECT COUNT(DISTINCT run), COUNT(*), MAX(LENGTH(keys)) FROM runs"
    ).fetchone()
    assert rows == runs * (corpus.index.bands + 1) and 0 < longest <= band
    with Corpus(index=index) as corpus:
        later = corpus.clean(article(7, WIRE), name="copy", site="news.example", format="text")
    assert [(c.twin_document, c.twin_index) for c in later.cross][-2:] == [("a0", 2), ("a0", 3)]


def test_repeat_counts_read_the_same_from_a_reopened_index_and_as_a_run_goes(tmp_path):
    # A block never repeated is counted without reading the repeats (a bit a block, made
    # from the file on first use and kept as batches are written): every count must be the
    # one the file's rows give, on an index reopened and in the run that writes it.
    index = tmp_path / "c.idx"
    sites = ("news.example", "other.example")

    def counted(corpus: Corpus) -> list[int]:
        blocks = range(1, corpus.index.next_block + 3)
        return [corpus.index.repeated_in(b, site) for b in blocks for site in sites]

    def from_rows() -> list[int]:
        db = sqlite3.connect(index)
        out = [
            db.execute(
                "SELECT COUNT(DISTINCT doc) FROM repeats WHERE block = ? AND site = ?", (b, site)
            ).fetchone()[0]
            for b in range(1, next_block + 3)
            for site in sites
        ]
        db.close()
        return out

    with Corpus(index=index, batch=2) as corpus:
        for i in range(6):
            corpus.clean(article(i), name=f"a{i}", site=sites[i % 2], format="text")
        corpus.flush()
        next_block = corpus.index.next_block
        during = counted(corpus)
        assert sum(during) > 0 and during == from_rows()
        corpus.clean(article(3), name="again", site=sites[0], format="text")
        corpus.flush()
        after = counted(corpus)
    assert after == from_rows() and after != during
    with Corpus(index=index) as corpus:
        assert counted(corpus) == after


def test_records_in_python_add_to_the_index_and_clean_against_it(tmp_path):
    index = tmp_path / "c.idx"
    records = [
        {"id": f"a{i}", "url": f"https://news.example/{i}", "text": article(i)} for i in range(5)
    ]
    with Corpus(index=index) as corpus:
        assert corpus.add(records) == 4  # the box, in four later articles
    with Corpus(index=index) as corpus:
        (result,) = corpus.clean([{"id": "new", "text": article(9, WIRE)}])
    assert [c.twin_document for c in result.cross] == ["a0"]
    assert BOX not in result.text and WIRE in result.text
    with pytest.raises(dedup.InputError, match="record 0: no text under 'body'"):
        list(Corpus().clean([{"id": 1}], field="body"))


def test_a_corpus_without_an_index_leaves_no_file_behind_closed_or_not():
    with Corpus() as corpus:
        scratch = corpus.index.scratch
        corpus.add([{"id": 1, "text": article(1)}, {"id": 2, "text": article(2)}])
        assert scratch is not None and os.listdir(scratch)
    assert not os.path.exists(scratch)
    # A corpus used and never closed: its files go when it is let go.
    corpus = Corpus()
    scratch = corpus.index.scratch
    list(corpus.clean([{"id": 1, "text": article(1)}, {"id": 2, "text": article(2)}]))
    del corpus
    gc.collect()
    assert scratch is not None and not os.path.exists(scratch)


def test_an_order_field_keeps_the_earliest_copy_and_the_output_keeps_input_order(tmp_path):
    # Scraped newest first: by date, the last record is the first to have said it.
    rows = [
        {"id": "late", "date": "2024-05-03", "text": article(3, WIRE)},
        {"id": "undated", "text": article(4, WIRE)},
        {"id": "mid", "date": "2024-05-02", "text": article(2, WIRE)},
        {"id": "early", "date": "2024-05-01", "text": article(1, WIRE)},
    ]
    data = tmp_path / "crawl.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    proc = dedup_cli("corpus", str(data), "--order-field", "date", "-q")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in out] == ["late", "undated", "mid", "early"]
    assert out[3]["dedup"] == [] and WIRE in out[3]["text"]
    for record in out[:3]:
        assert {(r["duplicate_of"]["document"], r["text"]) for r in record["dedup"]} == {
            ("early", WIRE),
            ("early", BOX),
        }
    # Without the field, input order decides.
    plain = [json.loads(line) for line in dedup_cli("corpus", str(data), "-q").stdout.splitlines()]
    assert plain[0]["dedup"] == [] and plain[3]["dedup"][0]["duplicate_of"]["document"] == "late"


def test_boilerplate_drop_removes_the_site_furniture_everywhere_and_only_that(tmp_path):
    articles = _records(tmp_path / "articles.jsonl", 0, 5)
    with articles.open("a", encoding="utf-8") as out:  # the wire story, in two articles only
        for i in (5, 6):
            record = {"id": f"a{i}", "url": f"https://news.example/{i}", "text": article(i, WIRE)}
            out.write(json.dumps(record) + "\n")
    proc = dedup_cli("corpus", str(articles), "--boilerplate", "drop", "-q")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert all(BOX not in r["text"] for r in out)
    (first,) = out[0]["dedup"]
    assert first["reason"] == "boilerplate" and first["duplicate_of"] == {
        "document": "a1",
        "index": 2,
    }
    # A repeat in two documents is a duplicate, not furniture: its first copy stays.
    assert WIRE in out[5]["text"] and WIRE not in out[6]["text"]
    keep = [
        json.loads(line) for line in dedup_cli("corpus", str(articles), "-q").stdout.splitlines()
    ]
    assert BOX in keep[0]["text"] and [r["text"] for r in out[1:]] == [r["text"] for r in keep[1:]]
    proc = dedup_cli("corpus", "-", "--boilerplate", "drop", "--field", "text")
    assert proc.returncode == 2 and b"reads its input twice" in proc.stderr


# ---------------------------------------------------------------- the shared index on Redis

REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    """A real redis-server on a free port of 127.0.0.1, for this module's tests."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    import redis

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    work = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def test_a_shared_redis_index_gives_what_the_file_index_gives(tmp_path, redis_server):
    url = f"redis://127.0.0.1:{redis_server}/1"
    day1 = _records(tmp_path / "day1.jsonl", 0, 20)
    day2 = _records(tmp_path / "day2.jsonl", 20, 20)
    on_file = [
        dedup_cli("corpus", str(day), "--index", str(tmp_path / "c.idx"), "-q").stdout
        for day in (day1, day2)
    ]
    on_redis = [dedup_cli("corpus", str(day), "--index", url, "-q").stdout for day in (day1, day2)]
    assert on_redis == on_file and on_redis[1].count(b"boilerplate") == 20
    # Checking reads the index and writes nothing to it.
    import redis

    client = redis.Redis(port=redis_server, db=1)
    keys = sorted(client.keys())
    new = tmp_path / "new.txt"
    new.write_text(article(7), encoding="utf-8")
    proc = dedup_cli("check", "--index", url, str(new))
    assert proc.returncode == 1 and b"repeating block 1 of a7" in proc.stdout
    assert sorted(client.keys()) == keys
    proc = dedup_cli("corpus", str(day1), "--index", url, "--shingle-size", "7")
    assert proc.returncode == 2 and b"the index was made with other settings" in proc.stderr


def test_a_reader_of_a_shared_index_finds_what_a_writer_adds_while_it_reads(redis_server):
    # A check opens the index, a writer goes on adding: the reader's lookups find the new
    # blocks, and their sketches must be read too (and the reader's own numbers must not
    # be the writer's new ones).
    url = f"redis://127.0.0.1:{redis_server}/4"
    flood = "Flood waters rose along the river banks overnight, forcing hundreds of families out."
    with Corpus(index=url) as writer:
        writer.clean(article(1, WIRE), name="one", site="a.example", format="text")
    reader = Corpus(index=url, keep=False)
    with Corpus(index=url) as writer:
        writer.clean("A paragraph about the gardens in spring.\n", name="pre", format="text")
        writer.clean(article(3, flood), name="three", site="c.example", format="text")
    near = flood.replace("overnight", "over the night")
    found = reader.clean(article(4, near), name="four", site="d.example", format="text")
    reader.close()
    assert [(c.twin_document, c.twin_index) for c in found.cross] == [("three", 2), ("one", 3)]


@pytest.mark.parametrize("num_perm", [100, 1024])
def test_a_reworded_copy_is_found_in_one_call_whatever_the_permutations(num_perm):
    # (Sketches of 50 and 512 bytes, compared as numbers within a call.)
    near = WIRE.replace("Sunday", "Sunday night")
    with Corpus(dedup.Config(num_perm=num_perm)) as corpus:
        records = [{"id": "one", "text": article(1, WIRE)}, {"id": "two", "text": article(2, near)}]
        first, second = corpus.clean(records)
    assert first.cross == () and [c.twin_document for c in second.cross] == ["one", "one"]


def test_a_calls_own_blocks_join_a_crowded_band_key_as_they_would_from_an_earlier_call():
    # 64 earlier blocks share a band key with R and are no copy of it (their sketches say
    # so); L, a near copy of R, shares that key alone. Whether L was kept in R's call or in
    # an earlier one, R finds the same: a row's room for blocks of its own call is what the
    # earlier blocks left, counted before any is dropped.
    import dataclasses

    from dedup.corpus import prepare

    rng = np.random.default_rng(1)
    words = "alpha bravo cedar delta ember fable grove harbor island jungle kettle lantern".split()

    def prepared(corpus: Corpus, name: str, text: str, against=None):
        p = prepare(corpus.cleaner, text, name, "", "text")
        keys = p.keys.copy()
        keys[0, 1:] = rng.integers(0, 1 << 32, keys.shape[1] - 1, dtype=np.uint64)
        keys[0, 0] = 123456789  # the band key they all share
        sketches = p.sketches if against is None else ~against.sketches
        return dataclasses.replace(p, keys=keys, sketches=sketches)

    def cleaned(split: bool) -> list:
        with Corpus() as corpus:
            left = prepared(corpus, "L", WIRE)
            right = prepared(corpus, "R", WIRE.replace("Sunday", "Sunday night"))
            noise = [
                prepared(corpus, f"n{j}", " ".join(rng.choice(words, 18)) + f" number {j}.", right)
                for j in range(64)
            ]
            corpus.match_many(noise)
            found = corpus.match_many([left]) + corpus.match_many([right]) if split else []
            found = found or corpus.match_many([left, right])
            return [[(c.twin_document, c.twin_index) for c in r.cross] for r in found]

    assert cleaned(split=False) == cleaned(split=True)


def test_one_writer_at_a_time_on_a_shared_index(tmp_path, redis_server):
    url = f"redis://127.0.0.1:{redis_server}/2"
    articles = _records(tmp_path / "a.jsonl", 0, 5)
    with Corpus(index=url) as writing:
        writing.clean(article(0), name="first", format="text")
        proc = dedup_cli("corpus", str(articles), "--index", url)
        assert proc.returncode == 2 and b"another run is writing this index" in proc.stderr
    assert dedup_cli("corpus", str(articles), "--index", url, "-q").returncode == 0


def test_a_writer_killed_mid_batch_leaves_the_shared_index_whole(tmp_path, redis_server):
    url = f"redis://127.0.0.1:{redis_server}/3"
    articles = _records(tmp_path / "big.jsonl", 0, 4000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dedup", "corpus", str(articles), "--index", url, "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=redis_server, db=3)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and int(client.get("dedup:documents") or 0) < 128:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    client.delete("dedup:writer")  # the lock of a killed writer, which would expire
    with Corpus(index=url) as corpus:
        docs = corpus.index.documents()
        assert docs % corpus.batch == 0 and docs >= 128
        later = corpus.clean(article(9999), name="later", format="text")
    assert [c.twin_document for c in later.cross] == ["a0"]


# ---------------------------------------------------------------- on Dask


def test_workers_run_below_the_matching_process():
    # Matching runs in order in one process; the workers that feed it yield the cores to
    # it (five steps of niceness lower), and a worker already as low as it goes stays.
    script = (
        "import os; from dedup.cli.corpus import below_matching\n"
        "before = os.getpriority(os.PRIO_PROCESS, 0); below_matching()\n"
        "print(before, os.getpriority(os.PRIO_PROCESS, 0))"
    )
    for start in (0, 17):
        done = subprocess.run(
            [sys.executable, "-c", f"import os; os.nice({start})\n" + script],
            capture_output=True,
            text=True,
            check=True,
        )
        before, after = map(int, done.stdout.split())
        assert after == min(before + 5, 19)


def test_worker_processes_give_what_one_process_gives_for_every_kind_of_record(tmp_path):
    # What comes back from a worker travels without its task and its record's text: a
    # failed record, a blank line, a null or empty text and a record without the field
    # must come out as one process writes them, each in its place.
    lines = [json.dumps({"id": 0, "text": f"Story zero.\n\n{BOX}\n\n{WIRE}"})]
    lines += ["{not json", "", json.dumps({"id": 1, "text": None})]
    lines += [json.dumps({"id": 2, "text": ""}), json.dumps({"id": 3, "body": "no text"})]
    lines += [json.dumps({"text": f"{WIRE}\n\nStory four.\n\n{BOX}", "id": 4, "more": [1]})]
    lines += [json.dumps({"id": 5, "text": "Story five, one paragraph."})]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines * 40) + "\n", encoding="utf-8")
    one = dedup_cli("corpus", str(path), "-q")
    two = dedup_cli("corpus", str(path), "-q", "--jobs", "2")
    assert one.returncode == two.returncode != 0
    assert two.stdout == one.stdout and two.stderr == one.stderr
    head = one.stdout.splitlines()[:8]
    assert head[1:3] == [b"{not json", b""] and head[5] == lines[5].encode()
    out = [json.loads(line) for line in head if line not in head[1:3]]
    assert [r.get("id") for r in out] == [0, 1, 2, 3, 4, 5]
    assert [r.get("text") for r in out[1:3]] == [None, ""]
    assert out[0]["text"] == f"Story zero.\n\n{BOX}\n\n{WIRE}"
    assert list(out[4]) == ["text", "id", "more", "dedup"] and out[4]["text"] == "Story four."
    assert "malformed JSON" in one.stderr.decode() and one.stdout.count(b"duplicate_of") == 80


def test_the_dask_engine_on_a_local_cluster_gives_the_same_output(tmp_path):
    pytest.importorskip("distributed")
    # More chunks of records than are in flight at once (64 records a chunk, 16 chunks on
    # two workers), gathered in order.
    articles = _records(tmp_path / "a.jsonl", 0, 1500)
    with (tmp_path / "pages.jsonl").open("w", encoding="utf-8") as out:
        for i in range(40):
            page = f"<h1>Story {i}</h1><figure><img src=p{i}.jpg><figcaption>{WIRE}</figcaption>"
            page += f"</figure><p>Body of story {i} told in its own words.</p><p>{BOX}</p>"
            out.write(json.dumps({"id": i, "url": f"https://s{i % 3}.example/{i}", "html": page}))
            out.write("\n")
    for path, args in ((articles, ()), (tmp_path / "pages.jsonl", ("--html-field", "html"))):
        local = dedup_cli("corpus", str(path), *args, "-q")
        dask = dedup_cli("corpus", str(path), *args, "--engine", "dask", "--jobs", "2", "-q")
        assert local.returncode == dask.returncode == 0, dask.stderr
        assert dask.stdout == local.stdout and local.stdout.count(b"duplicate_of") >= 40


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (Kept, {"block": 3, "doc": 1, "document": "a", "index": 2, "site": "s", "form": "f"}),
        (
            CrossRemoval,
            {
                "index": 4, "kind": "caption", "text": "t", "reason": "duplicate",
                "similarity": 0.9, "twin_document": "b", "twin_index": 0,
            },
        ),
    ],
)  # fmt: skip
def test_the_records_of_matching_are_made_as_their_dataclasses_say(cls, values):
    # Kept blocks and removals are made with ``quick_init`` (one a paragraph): by place
    # or by name, every field as given, frozen, equal and hashed alike, and ``replace``
    # still works.
    import dataclasses

    assert [f.name for f in dataclasses.fields(cls)] == list(values)
    by_place, by_name = cls(*values.values()), cls(**values)
    for made in (by_place, by_name):
        assert {name: getattr(made, name) for name in values} == values
    assert by_place == by_name and hash(by_place) == hash(by_name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        by_place.index = 9
    with pytest.raises(TypeError):
        cls(*list(values.values())[:-1])
    assert dataclasses.replace(by_place, index=9).index == 9 and by_place.index != 9


def test_the_index_log_is_copied_into_its_file_as_the_run_goes(tmp_path):
    # Batches are committed to SQLite's write-ahead log; a thread copies them into the
    # file every few commits, beside the writer. The file alone (read as immutable, which
    # ignores the log) must come to hold them while the run goes on, and every batch once
    # the index is closed, with no log left behind.
    from dedup.corpus.index import CHECKPOINT_BATCHES

    path = tmp_path / "day.idx"

    def in_file() -> int:
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            return int(db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])
        finally:
            db.close()

    text = "Paragraph {} of a story long enough to be matched across documents, told once."
    commits = 3 * CHECKPOINT_BATCHES
    with Corpus(index=str(path), batch=1) as corpus:
        for n in range(commits):
            corpus.clean(text.format(n), name=str(n), format="text")
        deadline = time.monotonic() + 20
        while in_file() < 2 * CHECKPOINT_BATCHES and time.monotonic() < deadline:
            time.sleep(0.05)
        assert 2 * CHECKPOINT_BATCHES <= in_file() <= commits
        assert (tmp_path / "day.idx-wal").exists()
    assert in_file() == commits and not (tmp_path / "day.idx-wal").exists()


@pytest.mark.parametrize("command", ["corpus", "clean"])
def test_a_record_holding_half_a_character_is_one_error_and_the_rest_is_cleaned(tmp_path, command):
    # JSON may escape half of a UTF-16 pair (an emoji cut in two): no UTF-8 output or
    # index can hold it. That record is one error naming its line, written through as it
    # came; a lone surrogate in a record's URL only names it; the rest is cleaned.
    cut = '{"id": 1, "text": "Cut \\ud83d emoji.\\n\\n' + BOX + '"}'
    lines = [
        json.dumps({"id": 0, "text": f"Story zero.\n\n{BOX}\n\n{BOX}"}),
        cut,
        json.dumps({"id": 2, "url": "https://s.example/\ud800", "text": f"Two.\n\n{BOX}"}),
    ]
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = dedup_cli(command, str(path), "--field", "text", "-q")
    assert done.returncode != 0
    errors = done.stderr.decode().strip().splitlines()
    assert errors == [
        f"dedup: error: {path}:2: field 'text' holds a lone surrogate (U+D83D) at character 4:"
        " half of a character, not text"
    ]
    out = done.stdout.splitlines()
    assert out[1] == cut.encode()
    first, last = json.loads(out[0]), json.loads(out[2])
    assert first["text"] == f"Story zero.\n\n{BOX}"
    assert last["url"] == "https://s.example/\ud800"
    if command == "corpus":
        assert last["text"] == "Two." and last["dedup"][0]["duplicate_of"]["document"] == "0"


def test_bench_corpus_puts_its_rows_beside_those_make_bench_wrote(tmp_path, monkeypatch):
    # `make bench-corpus` runs corpus mode alone and adds a row a size to the results the
    # last `make bench` wrote, the other figures left as they were.
    import bench.run as run

    results = json.loads((run.OUT / "results.json").read_text(encoding="utf-8"))
    results["corpus"] = [{**results["corpus"][0], "paragraphs": 100008}]
    monkeypatch.setattr(run, "OUT", tmp_path)
    (tmp_path / "results.json").write_text(json.dumps(results), encoding="utf-8")
    assert run.main(["--corpus-only", "--corpus-sizes", "900"]) == 0
    written = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert [c["paragraphs"] for c in written["corpus"]] == [900, 100008]
    assert written["corpus"][0]["precision"] == 1.0
    assert written["speed"] == results["speed"]
    table = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "| 900 |" in table and "| 100,008 |" in table

"""DedupFormatter in real datatrove pipelines: a reader, the formatter, a writer, run by a
LocalPipelineExecutor over local files, the output read back and compared with what
``dedup.clean`` and ``dedup.clean_records`` (the command line's JSONL path) give.

JSONL is datatrove's usual format, and its reader and writer need orjson (datatrove's
``io`` extra); Parquet's need pyarrow. Each pipeline runs with every one of the two that is
installed, and skips, saying which, for the other.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import dedup

from ..conftest import CORPUS, ROOT, SAMPLES

pytest.importorskip("datatrove")

from datatrove.data import Document  # noqa: E402
from datatrove.executor.local import LocalPipelineExecutor  # noqa: E402

from dedup.integrations.datatrove import DedupFormatter  # noqa: E402

STEP = "Dedup echoes"  # in the name datatrove gives the step in its stats


# ---------------------------------------------------------------- the input


def _pages() -> list[tuple[str, str]]:
    """Real pages with caption echoes: the samples, and the three smallest corpus pages
    its manifest says hold captions (when the corpus is there)."""
    pages = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.html"))]
    manifest = CORPUS / "MANIFEST.tsv"
    if manifest.is_file():
        rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
        with_captions = sorted(
            (int(r[8]), r[0]) for r in rows if len(r) > 8 and (r[6] != "0" or r[7] != "0")
        )
        for _, name in with_captions[:3]:
            path = CORPUS / "pages" / name
            pages.append((name, path.read_text(encoding="utf-8", errors="replace")))
    return pages


PAGES = _pages()


@functools.cache
def _extracted(html: str) -> str:
    """A page's text as an extractor gives it: every block, echoes and all."""
    return "\n\n".join(b.text for b in dedup.clean(html, format="html").blocks)


CAPTION = "Firefighters carry a resident out of the flooded house on Tuesday morning."
STORY = [
    "Heavy rain flooded the lower town overnight, and the river rose two metres by dawn.",
    CAPTION,
    "The mayor said the pumps would run until the water had gone down everywhere.",
    CAPTION,
    "Schools stay closed until Thursday, when engineers will have checked the bridges.",
]


def text_records() -> list[dict[str, Any]]:
    """Records whose text holds known repeats: an article with a caption scraped twice,
    the Arabic sample, the extracted text of real pages, one with no repeat, one whose id
    looks like a file name, and one whose text is a whole page (read as HTML, as the
    command line reads such a field)."""
    records: list[dict[str, Any]] = [
        {"id": "flood", "text": "\n\n".join(STORY), "url": "https://example.org/flood"},
        {
            "id": "arabic",
            "text": (SAMPLES / "arabic-musk-repeated-captions.txt").read_text(encoding="utf-8"),
            "url": "https://example.org/ar",
        },
        {"id": "plain", "text": "\n\n".join(STORY[:3]), "url": "https://example.org/plain"},
        {"id": "story.html", "text": "\n\n".join(STORY), "url": "https://example.org/story"},
        {
            "id": "page-in-text",
            "text": (SAMPLES / "wordpress-wp-caption.html").read_text(encoding="utf-8"),
            "url": "https://example.org/wp",
        },
    ]
    records += [
        {"id": f"text-{name}", "text": _extracted(html), "url": f"https://example.org/{name}"}
        for name, html in PAGES
    ]
    return records


def html_records() -> list[dict[str, Any]]:
    """Records with the raw page under ``html`` and an extractor's text under ``text``
    (which the readers require); one whose page is null (a crawler that got none)."""
    records: list[dict[str, Any]] = [
        {"id": name, "text": _extracted(html), "html": html, "url": f"https://example.org/{name}"}
        for name, html in PAGES
    ]
    records.append(
        {"id": "no-page", "text": "nothing fetched", "html": None, "url": "https://example.org/x"}
    )
    return records


# ---------------------------------------------------------------- running a pipeline


@dataclass
class Run:
    """One pipeline's input records and what it left on disk, read back."""

    records: list[dict[str, Any]]
    docs: dict[str, dict[str, Any]]  # the output, by id
    excluded: dict[str, dict[str, Any]]  # the exclusion writer's output, by id
    stats: list[dict[str, Any]]  # stats.json: each step's merged stats
    task_stats: list[list[dict[str, Any]]]  # stats/NNNNN.json, one per task
    logs: Path


def _io(kind: str) -> tuple[Any, Any, Any]:
    """The reader and writer classes of one file format, and how to write its input."""
    if kind == "jsonl":
        pytest.importorskip("orjson", reason="datatrove's JSONL reader and writer need orjson")
        from datatrove.pipeline.readers import JsonlReader
        from datatrove.pipeline.writers import JsonlWriter

        def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
            with path.open("w", encoding="utf-8") as f:
                for record in records:
                    f.write(json.dumps(record, ensure_ascii=False) + "\n")

        return JsonlReader, JsonlWriter, write_jsonl
    pytest.importorskip("pyarrow", reason="datatrove's Parquet reader and writer need pyarrow")
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.writers import ParquetWriter

    def write_parquet(path: Path, records: list[dict[str, Any]]) -> None:
        pq.write_table(pa.Table.from_pylist(records), path)

    return ParquetReader, ParquetWriter, write_parquet


def _parquet_schema(metadata: list[str]) -> Any:
    """The output's schema. ParquetWriter otherwise takes it from the first document, and
    a first document with no removals (an empty list) gives the column a type that the
    others' removals do not fit."""
    import pyarrow as pa

    removal = pa.struct(
        [
            ("index", pa.int64()),
            ("duplicate_of", pa.int64()),
            ("similarity", pa.float64()),
            ("reason", pa.string()),
            ("kind", pa.string()),
            ("text", pa.string()),
        ]
    )
    fields = [(key, pa.string()) for key in metadata] + [("dedup", pa.list_(removal))]
    return pa.schema([("text", pa.string()), ("id", pa.string()), ("metadata", pa.struct(fields))])


def _read_back(kind: str, folder: Path) -> dict[str, dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if kind == "jsonl":
            rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        else:
            import pyarrow.parquet as pq

            rows += pq.read_table(path).to_pylist()
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == len(rows), "an id written twice"
    return by_id


def run_pipeline(
    root: Path, kind: str, records: list[dict[str, Any]], workers: int, **options: Any
) -> Run:
    """Write ``records`` in two input files, run reader → DedupFormatter → writer in two
    tasks (one file each), and read the output, the exclusions and the stats back."""
    reader_cls, writer_cls, write_input = _io(kind)
    source, out, excluded, logs = (root / d for d in ("in", "out", "excluded", "logs"))
    source.mkdir()
    suffix = "jsonl" if kind == "jsonl" else "parquet"
    for n in range(2):
        write_input(source / f"part-{n}.{suffix}", records[n::2])
    if kind == "jsonl":
        writer_options: dict[str, Any] = {"compression": None}
        exclusion_options = writer_options
    else:
        metadata = sorted(
            {k for r in records for k in r if k not in ("id", "text")} | {"file_path"}
        )
        writer_options = {"schema": _parquet_schema(metadata)}
        kept = [k for k in metadata if k != options.get("html_key")]
        exclusion_options = {"schema": _parquet_schema(kept)}
    formatter = DedupFormatter(
        exclusion_writer=writer_cls(str(excluded), **exclusion_options), **options
    )
    executor = LocalPipelineExecutor(
        pipeline=[reader_cls(str(source)), formatter, writer_cls(str(out), **writer_options)],
        tasks=2,
        workers=workers,
        logging_dir=str(logs),
    )
    executor.run()
    stats = json.loads((logs / "stats.json").read_text(encoding="utf-8"))
    task_stats = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((logs / "stats").glob("*.json"))
    ]
    return Run(
        records,
        _read_back(kind, out),
        _read_back(kind, excluded) if excluded.exists() else {},
        stats,
        task_stats,
        logs,
    )


@pytest.fixture(scope="module", autouse=True)
def _offline() -> Iterator[None]:
    """Local paths only; and should anything in datatrove reach for the Hugging Face hub,
    it finds it offline rather than the network."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("HF_DATASETS_OFFLINE", "1")
        yield


@pytest.fixture(scope="module", params=["jsonl", "parquet"])
def text_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    # Two worker processes: datatrove pickles the pipeline to each.
    _io(request.param)  # skips, before the records are built, when it is not installed
    root = tmp_path_factory.mktemp(f"text-{request.param}")
    return run_pipeline(root, request.param, text_records(), workers=2)


@pytest.fixture(scope="module", params=["jsonl", "parquet"])
def html_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    # One worker: the tasks run one after the other on deep copies of the pipeline.
    _io(request.param)
    root = tmp_path_factory.mktemp(f"html-{request.param}")
    return run_pipeline(root, request.param, html_records(), workers=1, html_key="html")


def _step_stats(stats: list[dict[str, Any]]) -> dict[str, float]:
    """The formatter's counters, each as its total."""
    (step,) = [s for s in stats if STEP in s["name"]]
    return {k: (v["total"] if isinstance(v, dict) else v) for k, v in step["stats"].items()}


def _expected_counters(expected: list[dict[str, Any]]) -> Counter[str]:
    counters: Counter[str] = Counter()
    for record in expected:
        removals = record["dedup"]
        counters["removed"] += len(removals)
        counters["changed"] += bool(removals)
        for r in removals:
            counters[f"removed_{r['kind']}"] += 1
    return counters


# ---------------------------------------------------------------- Document.text


def test_text_is_what_clean_gives(text_run: Run) -> None:
    assert set(text_run.docs) == {r["id"] for r in text_run.records}
    for record in text_run.records:
        result = dedup.clean(record["text"])
        # Plain text loses its repeats; a page held in the text stays a page.
        assert text_run.docs[record["id"]]["text"] == result.output(), record["id"]
    changed = [d for d in text_run.docs.values() if d["metadata"]["dedup"]]
    assert {"flood", "arabic", "story.html", "page-in-text"} <= {d["id"] for d in changed}
    # The caption's second copy goes, with the blank line after it.
    assert text_run.docs["flood"]["text"] == "\n\n".join(STORY[:3] + STORY[4:])
    assert text_run.docs["plain"]["metadata"]["dedup"] == []


def test_removals_are_what_clean_records_writes(text_run: Run) -> None:
    for expected in dedup.clean_records(text_run.records, field="text"):
        doc = text_run.docs[expected["id"]]
        assert doc["metadata"]["dedup"] == expected["dedup"], expected["id"]
        assert doc["text"] == expected["text"]


def test_ids_and_metadata_are_kept(text_run: Run) -> None:
    for record in text_run.records:
        metadata = text_run.docs[record["id"]]["metadata"]
        assert metadata["url"] == record["url"]
        assert metadata["file_path"].endswith((".jsonl", ".parquet"))


def test_stats_count_documents_and_removals(text_run: Run) -> None:
    expected = list(dedup.clean_records(text_run.records, field="text"))
    counters = _step_stats(text_run.stats)
    assert counters["total"] == len(expected)
    for key, value in _expected_counters(expected).items():
        assert counters[key] == value, key
    assert counters["blocks"] > counters["removed"] > 0
    assert "errors" not in counters
    # Each of the two tasks read one file and cleaned its documents.
    assert len(text_run.task_stats) == 2
    assert all(_step_stats(task)["total"] > 0 for task in text_run.task_stats)


def test_exclusion_writer_holds_exactly_the_removed_text(text_run: Run) -> None:
    changed = {i: d for i, d in text_run.docs.items() if d["metadata"]["dedup"]}
    assert set(text_run.excluded) == set(changed)
    for doc_id, excluded in text_run.excluded.items():
        removals = changed[doc_id]["metadata"]["dedup"]
        assert excluded["text"] == "\n\n".join(r["text"] for r in removals)
        assert excluded["metadata"]["dedup"] == removals
        assert excluded["metadata"]["url"] == changed[doc_id]["metadata"]["url"]


# ---------------------------------------------------------------- HTML in the metadata


def test_html_in_metadata_is_cleaned_to_text(html_run: Run) -> None:
    # What `dedup clean --html-field html --output-field text -f text` writes.
    expected = list(
        dedup.clean_records(
            html_run.records, html_field="html", output_field="text", output_format="text"
        )
    )
    for record, want in zip(html_run.records, expected, strict=True):
        doc = html_run.docs[record["id"]]
        assert (doc.get("text") or "") == (want["text"] or ""), record["id"]
        assert doc["metadata"]["dedup"] == want["dedup"], record["id"]
        assert doc["metadata"]["html"] == record["html"]  # the page stays as it was
        assert doc["metadata"]["url"] == record["url"]
        if record["html"] is not None:
            assert doc["text"] == dedup.clean(record["html"], format="html").text
    assert sum(bool(d["metadata"]["dedup"]) for d in html_run.docs.values()) >= 5

    counters = _step_stats(html_run.stats)
    assert counters["total"] == len(expected)
    assert counters["empty"] == 1  # the record with no page
    for key, value in _expected_counters(expected).items():
        assert counters[key] == value, key

    changed = {i: d for i, d in html_run.docs.items() if d["metadata"]["dedup"]}
    assert set(html_run.excluded) == set(changed)
    for doc_id, excluded in html_run.excluded.items():
        removals = changed[doc_id]["metadata"]["dedup"]
        assert excluded["text"] == "\n\n".join(r["text"] for r in removals)
        # The exclusions name the document and what went, without a copy of its page.
        assert excluded["metadata"].get("html") is None
        assert excluded["metadata"]["url"] == changed[doc_id]["metadata"]["url"]


# ---------------------------------------------------------------- the step itself


def _doc(text: str, doc_id: str = "d", **metadata: Any) -> Document:
    return Document(text=text, id=doc_id, metadata=dict(metadata))


def test_settings_travel_and_the_cleaner_is_built_in_the_task() -> None:
    step = DedupFormatter(dedup.Config(min_chars=10), include_alt=True, html_key="html")
    assert step.config == dedup.Config(min_chars=10, include_alt=True)
    page = (SAMPLES / "wordpress-wp-caption.html").read_text(encoding="utf-8")
    list(step.run(iter([_doc("x", html=page)])))
    assert step._cleaner is not None
    copy = pickle.loads(pickle.dumps(step))
    assert copy._cleaner is None and copy.config == step.config and copy.html_key == "html"
    (doc,) = copy.run(iter([_doc("x", html=page)]))
    assert doc.text == dedup.clean(page, format="html", min_chars=10, include_alt=True).text
    assert str(copy) == "✂️ - FORMAT: 🪞 Dedup echoes"  # type and name, as datatrove shows steps


def test_options_are_checked_when_the_pipeline_is_built() -> None:
    with pytest.raises(dedup.ConfigError, match="unknown option 'min_char'"):
        DedupFormatter(min_char=10)
    with pytest.raises(dedup.ConfigError, match="min_chars must be an integer"):
        DedupFormatter(min_chars="10")
    with pytest.raises(dedup.ConfigError, match="format must be one of"):
        DedupFormatter(format="pdf")
    with pytest.raises(dedup.ConfigError, match="on_error"):
        DedupFormatter(on_error="ignore")


def test_output_format_and_removals_key() -> None:
    page = (SAMPLES / "ap-caption-full-truncated.html").read_text(encoding="utf-8")
    result = dedup.clean(page, format="html")
    step = DedupFormatter(html_key="html", output_format="html", removals_key="echoes")
    (doc,) = step.run(iter([_doc("x", html=page)]))
    assert doc.text == result.html
    assert doc.metadata["echoes"] == [r.as_dict() for r in result.html_removed]
    assert "dedup" not in doc.metadata
    (doc,) = DedupFormatter(removals_key=None).run(iter([_doc("\n\n".join(STORY))]))
    assert doc.metadata == {}
    assert DedupFormatter().format("\n\n".join(STORY)) == dedup.clean("\n\n".join(STORY)).text


def test_documents_that_cannot_be_cleaned() -> None:
    docs = [_doc("no page", "a"), _doc("\n\n".join(STORY), "b", html="<p>x</p>"), _doc("c", "c")]
    docs[2].metadata["html"] = 42
    passed = DedupFormatter(html_key="html")
    out = list(passed.run(iter(docs)))
    assert [d.id for d in out] == ["a", "b", "c"]
    assert out[0].text == "no page" and "dedup" not in out[0].metadata  # sent on unchanged
    assert out[1].metadata["dedup"] == []
    assert passed.stats["errors"].total == 2

    docs = [_doc("no page", "a"), _doc("p", "b", html="<p>a paragraph</p>")]
    skipped = DedupFormatter(html_key="html", on_error="skip")
    assert [d.id for d in skipped.run(iter(docs))] == ["b"]
    assert skipped.stats["dropped"].total == 1

    with pytest.raises(dedup.InputError, match="document 'a': no 'html' in its metadata"):
        list(DedupFormatter(html_key="html", on_error="raise").run(iter([_doc("x", "a")])))
    with pytest.raises(dedup.InputError, match="max_bytes"):
        list(DedupFormatter(max_bytes=10, on_error="raise").run(iter([_doc("x" * 20)])))


def test_importing_dedup_imports_no_datatrove() -> None:
    code = (
        "import sys, dedup, dedup.integrations\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'datatrove'], 'imported'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)

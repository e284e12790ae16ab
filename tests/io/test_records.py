"""Streams of records end to end: JSONL lines and WARC responses, each one document."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dedup.io.inputs import expand, stamp_of
from dedup.io.records import TaskKind, tasks

from ..conftest import SAMPLES, corpus_pages

CAP = "Rescue workers search the rubble of the collapsed building in the old town"
TEXT = f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n\n{CAP}\n"
HTML = (
    f"<html><body><h1>Headline of the day</h1><figure><img src=a.jpg>"
    f"<figcaption>{CAP}</figcaption></figure><p>Body text.</p><p class=caption>{CAP}</p></body></html>"
)


def dedup(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dedup", *args], input=stdin, capture_output=True, timeout=600
    )


# ---------------------------------------------------------------- JSONL


@pytest.fixture(scope="module")
def corpus_jsonl(tmp_path_factory) -> tuple[Path, list[dict]]:
    """Several hundred records from ../shared/corpus, with broken lines among them."""
    pages = corpus_pages()
    if not pages:
        pytest.skip("corpus not found: the corpus JSONL checks did not run")
    path = tmp_path_factory.mktemp("jsonl") / "pages.jsonl"
    records = []
    with path.open("w", encoding="utf-8") as out:
        for i, page in enumerate(pages):
            record = {
                "id": i,
                "source": page.name,
                "html": page.read_bytes().decode("utf-8", "replace"),
                "score": 0.25,
                "tags": ["news", None, {"nested": True}],
            }
            records.append(record)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if i in (10, 200):
                out.write('{"id": "broken", "html": \n')  # malformed on purpose
    return path, records


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def test_jsonl_stream_keeps_records_fields_and_order(corpus_jsonl, tmp_path):
    path, records = corpus_jsonl
    out = tmp_path / "clean.jsonl"
    proc = dedup(
        "clean",
        str(path),
        "--html-field",
        "html",
        "--output-field",
        "text",
        "--format",
        "text",
        "-o",
        str(out),
    )
    assert proc.returncode == 2  # the two broken lines
    errors = proc.stderr.decode().splitlines()
    assert f"dedup: error: {path}:12: malformed JSON" in errors[0]
    assert f"dedup: error: {path}:203: malformed JSON" in errors[1]
    assert f"{len(records)} documents" in errors[-1] and "2 errors" in errors[-1]
    lines = _lines(out.read_bytes())
    assert len(lines) == len(records) + 2  # broken lines passed through unchanged
    assert lines[11] == b'{"id": "broken", "html": \n'
    cleaned = [json.loads(line) for line in lines if b'"broken"' not in line]
    assert [r["id"] for r in cleaned] == list(range(len(records)))
    removed = 0
    for before, after in zip(records, cleaned, strict=True):
        assert {k: v for k, v in after.items() if k not in ("text", "dedup")} == before
        assert isinstance(after["text"], str) and after["text"]
        for r in after["dedup"]:
            assert r["text"] not in after["text"] or after["text"].count(r["text"]) >= 1
        removed += len(after["dedup"])
    assert removed > 100


def test_jsonl_skip_bad_lines_and_parallel_jobs_keep_order(corpus_jsonl, tmp_path):
    path, records = corpus_jsonl
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    args = ["clean", str(path), "--html-field", "html", "--on-error", "skip", "--no-removals", "-q"]
    assert dedup(*args, "-o", str(one)).returncode == 2
    assert dedup(*args, "--jobs", "2", "-o", str(two)).returncode == 2
    assert one.read_bytes() == two.read_bytes()
    lines = _lines(one.read_bytes())
    assert len(lines) == len(records)
    assert all("dedup" not in json.loads(line) for line in lines)


def test_jsonl_text_field_from_stdin():
    records = [{"id": 1, "text": TEXT, "lang": "en"}, {"id": 2, "text": "Nothing repeats.\n"}]
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    proc = dedup(
        "clean", "-", "--input-format", "jsonl", "--removals-key", "echoes", "-q", stdin=data
    )
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert (
        first["text"] == f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n"
    )
    assert first["lang"] == "en"
    assert [(r["index"], r["duplicate_of"], r["reason"]) for r in first["echoes"]] == [
        (3, 1, "exact")
    ]
    assert second == {**records[1], "echoes": []}


def test_jsonl_field_holding_html_is_cleaned_as_html_and_stays_html():
    # A content field that holds markup (what CMS APIs and many scrapers store) is read as
    # HTML without --html-field, and written back as the same markup minus the echo.
    fragment = (
        f"<h1>Headline of the day</h1>\n<figure><img src=a.jpg><figcaption>{CAP}</figcaption>"
        f"</figure>\n<p>Body text of the article, long enough.</p>\n<p>{CAP}</p>\n"
    )
    data = (json.dumps({"id": 1, "content": fragment}) + "\n").encode()
    proc = dedup("clean", "-", "--input-format", "jsonl", "--field", "content", "-q", stdin=data)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["content"] == fragment.replace(f"<figcaption>{CAP}</figcaption>", "")
    assert [r["kind"] for r in record["dedup"]] == ["caption"]


def test_jsonl_without_removals_key_leaves_clean_records_byte_for_byte():
    line = b'{"text":  "Nothing repeats.",   "x": 1.50}\n'
    proc = dedup("clean", "-", "--input-format", "jsonl", "--no-removals", "-q", stdin=line)
    assert proc.stdout == line


# ---------------------------------------------------------------- WARC


def _warc(path: Path, pages: list[tuple[str, bytes, str]], gz: bool = True) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for url, body, ctype in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
                )
            )


def test_warc_responses_become_jsonl(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    _warc(
        warc,
        [
            ("https://example.org/a", HTML.encode(), "text/html; charset=utf-8"),
            ("https://example.org/logo.png", b"\x89PNG\r\n", "image/png"),
            (
                "https://example.org/b",
                "<p>Ünïcode page, nothing repeats.</p>".encode("cp1252"),
                "text/html; charset=windows-1252",
            ),
        ],
    )
    proc = dedup("clean", str(warc), "-q")
    assert proc.returncode == 0, proc.stderr
    a, b = (json.loads(line) for line in proc.stdout.splitlines())
    assert a["url"] == "https://example.org/a" and a["date"]
    assert a["text"] == f"Headline of the day\n\n{CAP}\n\nBody text."
    assert [r["kind"] for r in a["dedup"]] == ["caption"]
    assert b["url"] == "https://example.org/b" and b["text"] == "Ünïcode page, nothing repeats."


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_truncated_warc_reports_the_record_and_keeps_what_came_before(tmp_path, gz):
    warc = tmp_path / "crawl.warc"
    _warc(warc, [(f"https://example.org/{i}", HTML.encode(), "text/html") for i in range(3)], gz=gz)
    data = warc.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(data[: len(data) * 2 // 3 + 40])  # inside the third response
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    proc = dedup("clean", str(cut), str(good), "-o", str(out))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert f"dedup: error: {cut}: record " in err
    assert (out / "good.txt").read_text(encoding="utf-8").count(CAP) == 1
    records = (out / "cut.jsonl").read_text(encoding="utf-8").splitlines()
    assert 1 <= len(records) < 3


def test_gzipped_jsonl_and_samples_dir_in_one_run(tmp_path):
    gz = tmp_path / "records.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": TEXT}) + "\n")
    proc = dedup("clean", str(gz), str(SAMPLES / "arabic-musk-repeated-captions.txt"), "-q")
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert json.loads(first)["text"].count(CAP) == 1


def test_tasks_number_the_inputs_and_carry_each_documents_origin(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text(TEXT, encoding="utf-8")
    records = tmp_path / "r.jsonl"
    records.write_text('{"text": "one"}\n{"text": "' + "x" * 400 + '"}\n', encoding="utf-8")
    found = list(tasks(expand([str(text), str(tmp_path / "gone.txt"), str(records)]), None, 300))
    assert [(t.origin.input, t.origin.kind, t.origin.line, t.error is None) for t in found] == [
        (0, TaskKind.FILE, 0, True),
        (1, TaskKind.FILE, 0, False),
        (2, TaskKind.JSONL, 1, True),
        (2, TaskKind.JSONL, 2, False),
    ]
    assert found[0].data == TEXT.encode() and found[0].origin.stamp == stamp_of(text.stat())
    assert found[1].error == f"{tmp_path / 'gone.txt'}: no such file or directory"
    assert found[2].raw == b'{"text": "one"}\n' and found[2].origin.stamp == stamp_of(
        records.stat()
    )
    assert found[3].error == f"{records}:2: line longer than 300 bytes (max_bytes); skipped"
    assert [t.name for t in found] == [
        str(text),
        str(tmp_path / "gone.txt"),
        str(records),
        str(records),
    ]

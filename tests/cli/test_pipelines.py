"""The command line in a pipeline, as a newcomer used it: records on standard input, a
reader that stops early, broken archives, excluded files named one by one, mistyped
fields, and what check and fix say. Every run is a real process."""

from __future__ import annotations

import gzip
import io
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

CAP = "Rescue workers search the rubble of the collapsed building in the old town"
TEXT = f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n\n{CAP}\n"
CLEANED = f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n"


def dedup(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dedup", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, **env},
    )


def _jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


RECORDS = [
    {"id": 1, "url": "https://example.org/1", "text": TEXT},
    {"id": 2, "url": "https://example.org/2", "text": "Nothing repeats in this one.\n"},
    {"id": 1, "url": "https://example.org/1", "text": TEXT},  # the same record again
]


# ---------------------------------------------------------------- 1. records on stdin


def test_json_lines_on_stdin_with_a_field_are_records():
    proc = dedup("clean", "-", "--field", "text", stdin=_jsonl(RECORDS))
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    # Each record is cleaned on its own: the repeated record is not a repeat to delete.
    assert [r["id"] for r in out] == [1, 2, 1]
    assert [r["text"] for r in out] == [CLEANED, RECORDS[1]["text"], CLEANED]
    assert [len(r["dedup"]) for r in out] == [1, 0, 1]
    assert b"3 documents" in proc.stderr


@pytest.mark.parametrize("name", ["records.json", "records", "-"])
def test_json_lines_are_told_by_their_content(tmp_path, name):
    data = _jsonl(RECORDS)
    if name == "-":
        proc = dedup("clean", "-q", stdin=data)
    else:
        (tmp_path / name).write_bytes(data)
        proc = dedup("clean", str(tmp_path / name), "-q")
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["text"] for line in proc.stdout.splitlines()] == [
        CLEANED,
        RECORDS[1]["text"],
        CLEANED,
    ]


def test_text_that_opens_with_a_brace_stays_a_document():
    text = "{Editor's note} This story was updated.\n\n" + TEXT
    proc = dedup("clean", "-q", stdin=text.encode())
    assert proc.returncode == 0 and proc.stdout.decode().count(CAP) == 1
    assert proc.stdout.decode().startswith("{Editor's note}")


def test_a_named_field_makes_stdin_records_even_when_the_first_line_is_broken():
    data = b'{"id": 0, "text": \n' + _jsonl(RECORDS[:1])
    proc = dedup("clean", "-", "--field", "text", stdin=data)
    assert proc.returncode == 2
    assert b"dedup: error: <stdin>:1: malformed JSON" in proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["text"] == CLEANED


def test_a_stream_over_max_bytes_is_read_a_record_at_a_time():
    # Forty records of 3 kB each: 120 kB, over a 64 kB max_bytes for one document.
    records = [{"id": i, "text": TEXT + "x" * 3000 + "\n"} for i in range(40)]
    proc = dedup("clean", "-", "--max-bytes", "65536", "-q", stdin=_jsonl(records))
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 40


# ---------------------------------------------------------------- 2. a reader that stops


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_closed_pipe_stops_the_run_quietly(tmp_path, jobs):
    path = tmp_path / "crawl.jsonl"
    path.write_bytes(_jsonl([{"id": i, "text": TEXT} for i in range(3000)]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "dedup", "clean", str(path), "--jobs", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1
    assert json.loads(first)["id"] == 0
    assert err == b""  # no "Broken pipe", no traceback, no summary of a cut run


# ---------------------------------------------------------------- 3. broken archives


def _warc_bytes(pages: int, gz: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for i in range(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = f"<h1>Page {i}</h1><p>{CAP}</p><p>Body {i}.</p><p>{CAP}</p>".encode()
        writer.write_record(
            writer.create_warc_record(
                f"https://example.org/{i}",
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
            )
        )
    return out.getvalue()


def test_an_archive_gzipped_whole_gets_a_one_line_error_that_says_why(tmp_path):
    # gzip over the whole file instead of one member a record: warcio's message for it
    # starts with a blank line and runs over ten.
    bad = tmp_path / "crawl.warc.gz"
    bad.write_bytes(gzip.compress(_warc_bytes(3, gz=False)))
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    proc = dedup("clean", str(bad), str(good), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.decode().splitlines() if "error:" in line]
    assert len(errors) == 1
    assert errors[0].startswith(f"dedup: error: {bad}: record ")
    why = errors[0].split(": record ", 1)[1].split(": ", 1)[1]
    assert "gzip" in why and len(why) > 20
    assert (tmp_path / "out" / "good.txt").read_text(encoding="utf-8") == CLEANED


def test_warcio_warnings_become_one_line_each(tmp_path):
    data = _warc_bytes(2, gz=False)
    # The first record's Content-Length one byte short: warcio reads on, and warns.
    head, rest = data.split(b"Content-Length: ", 1)
    length, tail = rest.split(b"\r\n", 1)
    warc = tmp_path / "crawl.warc"
    warc.write_bytes(head + b"Content-Length: " + str(int(length) - 1).encode() + b"\r\n" + tail)
    proc = dedup("clean", str(warc), "-q")
    err = proc.stderr.decode()
    assert "WARNING: Record not followed" not in err and "Remainder" not in err
    lines = err.splitlines()
    assert lines and all(line.startswith("dedup: ") for line in lines), err
    assert any(line.startswith(f"dedup: warning: {warc}: record ") for line in lines), err


# ---------------------------------------------------------------- 4. excluded files named


def test_force_exclude_holds_for_files_named_one_by_one(tmp_path):
    (tmp_path / "vendor").mkdir()
    for name in ("vendor/a.txt", "b.txt"):
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.dedup]\nexclude = ["vendor"]\nforce-exclude = true\n', encoding="utf-8"
    )
    proc = dedup("fix", "vendor/a.txt", "b.txt", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == CLEANED
    assert (tmp_path / "vendor" / "a.txt").read_text(encoding="utf-8") == TEXT
    # Named on the command line without it, a file is taken (as ruff and black do).
    proc = dedup("check", "vendor/a.txt", "--no-force-exclude", cwd=tmp_path)
    assert proc.returncode == 1 and b"vendor/a.txt:7: would remove" in proc.stdout


# ---------------------------------------------------------------- 7. what runs say


def test_a_mistyped_field_is_said_once_with_the_fields_there_are(tmp_path):
    path = tmp_path / "crawl.jsonl"
    path.write_bytes(_jsonl([{"id": i, "url": "u", "text": TEXT} for i in range(50)]))
    proc = dedup("clean", str(path), "--field", "txt")
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.decode().splitlines() if "error:" in line]
    assert errors[0] == (
        f"dedup: error: {path}:1: no field 'txt' in the record (its fields: 'id', 'url', 'text')"
        "; did you mean 'text'?"
    )
    assert len(errors) == 4  # three said in full, then the count
    assert errors[-1].startswith(f"dedup: error: {path}: the same in 47 more records (lines 4, 5,")


def test_null_text_passes_and_a_number_is_named():
    data = b'{"id": 1, "text": null}\n{"id": 2, "text": 42}\n'
    proc = dedup("clean", "-", "--field", "text", stdin=data)
    first, second = proc.stdout.splitlines()
    assert json.loads(first) == {"id": 1, "text": None, "dedup": []}
    assert second == b'{"id": 2, "text": 42}'  # passed through unchanged (--on-error pass)
    assert b"<stdin>:2: field 'text' holds a number, not text" in proc.stderr
    assert b"1 error" in proc.stderr


def test_check_says_what_it_would_remove_and_where_in_a_record(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "r.jsonl").write_bytes(_jsonl(RECORDS[:2]))
    proc = dedup("check", str(tmp_path / "a.txt"), str(tmp_path / "r.jsonl"))
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == [
        f"{tmp_path / 'a.txt'}:7: would remove paragraph duplicating line 3 (similarity 1.00)",
        f"{tmp_path / 'r.jsonl'}:1: would remove paragraph (block 3) duplicating block 1 "
        "of the same record (similarity 1.00)",
    ]
    assert b"2 to remove (paragraph: 2)" in proc.stderr and b"removed" not in proc.stderr


def test_help_shows_no_markup():
    for command in ("clean", "check", "fix"):
        proc = dedup(command, "-h")
        assert proc.returncode == 0
        assert b"``" not in proc.stdout, proc.stdout.decode()


def test_an_empty_directory_is_said(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = dedup("check", str(tmp_path / "empty"))
    assert proc.returncode == 0
    assert f"dedup: warning: {tmp_path / 'empty'}: no input files found".encode() in proc.stderr


def _on_a_terminal(args: list[str], **env: str) -> bytes:
    """What a run writes to a terminal (a pseudo-terminal: stdout and stderr)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, on the terminal
        os.environ.update({"COLUMNS": "120", **env})
        os.execv(sys.executable, [sys.executable, "-m", "dedup", *args])
    out = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(tmp_path):
    path = tmp_path / "crawl.jsonl"
    path.write_bytes(_jsonl([{"id": i, "text": TEXT * 20} for i in range(3000)]))
    shown = _on_a_terminal(["clean", str(path), "-o", str(tmp_path / "out.jsonl")])
    # tqdm's bar: a percentage of the bytes, the rate and the documents so far.
    assert b"%|" in shown and b"B/s" in shown and b"documents" in shown, shown[-400:]
    piped = dedup("clean", str(path), "-o", str(tmp_path / "out2.jsonl"))
    assert b"\r" not in piped.stderr and b"%|" not in piped.stderr


def test_colour_on_a_terminal_unless_no_color(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    coloured = _on_a_terminal(["check", str(tmp_path / "a.txt"), "-q"])
    assert b"\x1b[1m" in coloured  # the place in bold
    plain = _on_a_terminal(["check", str(tmp_path / "a.txt"), "-q"], NO_COLOR="1")
    assert b"\x1b[" not in plain and b"would remove paragraph" in plain


# ---------------------------------------------------------------- check and fix, as ruff does


def test_fix_diff_and_check_change_nothing(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(TEXT, encoding="utf-8")
    r = tmp_path / "r.jsonl"
    r.write_bytes(_jsonl(RECORDS[:2]))
    proc = dedup("fix", "--diff", str(a), str(r))
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert f"--- a/{a}\n+++ b/{a}\n" in out and f"-{CAP}\n" in out
    assert f"--- a/{r}\n+++ b/{r}\n@@ -1 +1 @@\n" in out and "@@ -2 +2 @@" not in out
    assert a.read_text(encoding="utf-8") == TEXT and r.read_bytes() == _jsonl(RECORDS[:2])
    # The diff applies: patch turns the files into what fix writes.
    subprocess.run(["patch", "-p1", "-s"], input=proc.stdout, cwd="/", check=True)
    assert a.read_text(encoding="utf-8") == CLEANED
    assert json.loads(r.read_text(encoding="utf-8").splitlines()[0])["text"] == CLEANED

    a.write_text(TEXT, encoding="utf-8")
    proc = dedup("fix", "--check", str(a))
    assert proc.returncode == 1 and proc.stdout == b""
    assert f"Would fix {a}".encode() in proc.stderr
    assert a.read_text(encoding="utf-8") == TEXT
    assert dedup("fix", "--check", str(r.with_name("none.txt"))).returncode == 2


def test_check_statistics_and_output_formats(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT.replace("Headline", "Title"), encoding="utf-8")
    stats = dedup("check", str(tmp_path), "--statistics")
    assert stats.returncode == 1 and stats.stdout == b"2  paragraph  exact\n"
    listed = dedup("check", str(tmp_path), "--output-format", "json")
    found = json.loads(listed.stdout)
    assert [(f["path"], f["line"], f["kind"], f["rule"]) for f in found] == [
        (str(tmp_path / "a.txt"), 7, "paragraph", "exact"),
        (str(tmp_path / "b.txt"), 7, "paragraph", "exact"),
    ]
    assert found[0]["duplicate_of"] == {"index": 1, "kind": "paragraph", "line": 3}
    github = dedup("check", str(tmp_path / "a.txt"), "--output-format", "github")
    assert github.stdout.decode() == (
        f"::error file={tmp_path / 'a.txt'},line=7,title=dedup (paragraph%2C exact)"
        "::would remove paragraph duplicating line 3 (similarity 1.00)\n"
    )


def test_the_report_lists_what_the_summary_counts(tmp_path):
    # One caption under two different pictures: text output says it once, the page keeps
    # one under each (and the paragraph, the body, stays). A page written back as HTML
    # reports the page's removals, not text's.
    page = (
        f"<h1>Headline of the day</h1><figure><img src=a.jpg><figcaption>{CAP}</figcaption>"
        f"</figure><p>Body text of the article, long enough.</p><figure><img src=b.jpg>"
        f"<figcaption>{CAP}</figcaption></figure><p>{CAP}</p>"
    )
    path = tmp_path / "pages.jsonl"
    path.write_bytes(_jsonl([{"url": "https://example.org/a", "html": page}]))
    for fmt, removed in (("html", 0), ("text", 2)):
        report = tmp_path / f"{fmt}.json"
        proc = dedup(
            "clean", str(path), "--html-field", "html", "-f", fmt, "--report", str(report), "-q"
        )
        assert proc.returncode == 0, proc.stderr
        data = json.loads(report.read_text(encoding="utf-8"))
        assert data["summary"]["removed"] == removed
        assert len(data["documents"][0]["removed"]) == removed
        assert data["documents"][0]["title"] == "https://example.org/a"


def test_shell_completion_as_documented():
    script = subprocess.run(
        [sys.executable, "-c", "from dedup.cli import main; main(prog_name='dedup')"],
        env={**os.environ, "_DEDUP_COMPLETE": "bash_source"},
        capture_output=True,
    )
    assert b"_dedup_completion()" in script.stdout and b"complete -o nosort" in script.stdout
    words = subprocess.run(
        [sys.executable, "-c", "from dedup.cli import main; main(prog_name='dedup')"],
        env={
            **os.environ,
            "_DEDUP_COMPLETE": "bash_complete",
            "COMP_WORDS": "dedup fix --d",
            "COMP_CWORD": "2",
        },
        capture_output=True,
    )
    assert b"plain,--diff" in words.stdout


# ---------------------------------------------------------------- what a second trial broke


def test_outputs_of_a_directory_run_never_overwrite_each_other(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    page = f"<h1>Headline of the day</h1><p>{CAP}</p><p>Body.</p><p>{CAP}</p>"
    (src / "a.html").write_text(page, encoding="utf-8")
    (src / "a.htm").write_text(page.replace("Body.", "Other body."), encoding="utf-8")
    proc = dedup("clean", str(src), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    out = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()}
    assert out == {
        "a.txt": CLEANED,
        "a.html.txt": f"Headline of the day\n\n{CAP}\n\nBody.\n",
        "a.htm.txt": f"Headline of the day\n\n{CAP}\n\nOther body.\n",
    }


def test_a_process_substitution_is_read_once_and_a_fifo_in_a_walk_is_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "r.jsonl").write_bytes(_jsonl(RECORDS[:1]))
    script = (
        f"{sys.executable} -m dedup clean <(cat a.txt) -q; "
        f"{sys.executable} -m dedup clean <(cat r.jsonl) -q"
    )
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, timeout=60)
    text, record = proc.stdout.decode().split("\n{", 1)
    assert text + "\n" == CLEANED and json.loads("{" + record)["text"] == CLEANED
    os.mkfifo(tmp_path / "waiting.txt")  # nobody ever writes to it
    proc = dedup("check", str(tmp_path))
    assert proc.returncode == 1 and b"waiting" not in proc.stdout + proc.stderr


def test_fix_names_what_it_cannot_rewrite_and_exits_as_check_does(tmp_path):
    packed = tmp_path / "r.jsonl.gz"
    packed.write_bytes(gzip.compress(_jsonl(RECORDS[:1])))
    before = packed.read_bytes()
    for args in ((), ("--check",)):
        proc = dedup("fix", *args, str(packed))
        assert proc.returncode == 1, proc.stderr
        assert b"removed" not in proc.stdout and b"left; fix does not rewrite" in proc.stderr
    assert b"would remove paragraph" in dedup("fix", str(packed)).stdout
    assert packed.read_bytes() == before


def test_an_output_that_cannot_be_written_is_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    for args in (("-o", "nodir/out.txt"), ("--report", "nodir/r.json")):
        proc = dedup("clean", "a.txt", *args, cwd=tmp_path)
        assert proc.returncode == 2
        assert proc.stderr.decode().splitlines() == [
            f"dedup: error: {args[1]}: cannot write here: No such file or directory"
        ]
    proc = dedup("clean", "a.txt", "-o", "r.json", "--report", "r.json", cwd=tmp_path)
    assert proc.returncode == 2 and b"the report would overwrite the output" in proc.stderr


def test_fix_writes_through_a_symlink(tmp_path):
    (tmp_path / "target.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("target.txt")
    assert dedup("fix", "link.txt", cwd=tmp_path).returncode == 1
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "target.txt").read_text(encoding="utf-8") == CLEANED


def test_an_exclude_with_a_slash_holds_for_named_files(tmp_path):
    (tmp_path / "articles" / "vendor").mkdir(parents=True)
    (tmp_path / "articles" / "vendor" / "x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.dedup]\nexclude = ["vendor/"]\n')
    proc = dedup("check", "articles/vendor/x.txt", "--force-exclude", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == b"" and b"warning" not in proc.stderr
    assert dedup("check", "articles", cwd=tmp_path).returncode == 0


def test_a_file_that_is_no_archive_is_an_error(tmp_path):
    (tmp_path / "t.warc.gz").write_text(TEXT, encoding="utf-8")
    proc = dedup("clean", str(tmp_path / "t.warc.gz"))
    assert proc.returncode == 2 and b"dedup: error: " in proc.stderr


def test_a_close_field_name_is_suggested():
    proc = dedup("clean", "-", "--field", "htm", stdin=b'{"id": 1, "html": "<p>x</p>"}\n')
    assert b"did you mean 'html'?" in proc.stderr


def test_fix_says_removed_only_of_what_it_rewrote(tmp_path):
    (tmp_path / "ro.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "ro.txt").chmod(0o444)
    (tmp_path / "rw.txt").write_text(TEXT, encoding="utf-8")
    proc = dedup("fix", "ro.txt", "rw.txt", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout.decode().splitlines() == [
        "ro.txt:7: would remove paragraph duplicating line 3 (similarity 1.00)",
        "rw.txt:7: removed paragraph duplicating line 3 (similarity 1.00)",
    ]
    assert b"dedup: error: ro.txt: read-only; not rewritten" in proc.stderr
    assert (tmp_path / "ro.txt").read_text(encoding="utf-8") == TEXT
    assert (tmp_path / "rw.txt").read_text(encoding="utf-8") == CLEANED

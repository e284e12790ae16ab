"""Malformed and hostile inputs: each gives a clean result or one line naming the input, in
bounded memory (an address-space limit on the process), and the batch goes on past it."""

from __future__ import annotations

import gzip
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import dedup
from dedup import InputError

CAP = "Rescue workers search the rubble of the collapsed building in the old town"
GOOD = f"Opening words of the story.\n\n{CAP}\n\nMore words.\n\n{CAP}\n"
MEMORY = 3 << 30  # address space allowed to one dedup process in these tests


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def batch(tmp_path: Path, name: str, data: bytes, *args: str) -> subprocess.CompletedProcess:
    """Clean [good, hostile, good] in one run, with memory bounded; return the process."""
    (tmp_path / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "z_good.txt").write_text(GOOD, encoding="utf-8")
    hostile = tmp_path / name
    hostile.write_bytes(data)
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dedup",
            "clean",
            str(tmp_path / "a_good.txt"),
            str(hostile),
            str(tmp_path / "z_good.txt"),
            "-o",
            str(out),
            *args,
        ],
        capture_output=True,
        text=True,
        preexec_fn=_bounded,
        timeout=600,
    )
    for good in ("a_good.txt", "z_good.txt"):
        assert (out / good).read_text(encoding="utf-8").count(CAP) == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("dedup: error:")]
    assert len(errors) <= 1 and all(str(hostile) in line for line in errors), proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.returncode == (2 if errors else 0)
    return proc


@pytest.mark.parametrize(
    "data", [b"", b"   \n\n\t  \r\n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom"]
)
@pytest.mark.parametrize("ext", [".txt", ".html", ".md"])
def test_empty_and_whitespace_only(tmp_path, data, ext):
    proc = batch(tmp_path, "empty" + ext, data)
    assert proc.returncode == 0
    assert dedup.clean(data, name="x" + ext).removed == ()


def test_binary_data_is_named(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
    proc = batch(tmp_path, "image.html", png)
    assert "binary data, not text" in proc.stderr


def test_stray_nul_bytes_are_text(tmp_path):
    page = f"<html><body><p>{CAP}</p>\x00<p>{CAP}</p></body></html>".encode()
    proc = batch(tmp_path, "nul.html", page)
    assert proc.returncode == 0
    assert (tmp_path / "out" / "nul.txt").read_text(encoding="utf-8").count(CAP) == 1


def test_invalid_utf8_and_mixed_encodings():
    # Mostly UTF-8 with a Windows-1252 piece pasted in: the piece is repaired.
    mixed = "<p>Ünïcödé text – ".encode() + "Café crème".encode("cp1252") + f" {CAP}</p>".encode()
    r = dedup.clean(mixed, name="m.html")
    assert "Café crème" in r.text and "Ünïcödé" in r.text and "\ufffd" not in r.text
    # Bytes that no encoding explains still give text, and the rest of the page.
    broken = b"<p>" + CAP.encode() + b" \xff\xfe\xfa trailing</p>"
    assert CAP in dedup.clean(broken, name="b.html").text


def test_a_wrong_meta_charset_does_not_garble_utf8():
    page = f'<meta charset="iso-8859-1"><p>Ünïcödé {CAP}</p><p>Ünïcödé {CAP}</p>'.encode()
    r = dedup.clean(page, name="w.html")
    assert r.text.startswith("Ünïcödé") and len(r.removed) == 1


@pytest.mark.parametrize("depth", [100_000])
def test_deeply_nested_tags_are_refused_not_truncated(tmp_path, depth):
    page = b"<html><body>" + b"<div>" * depth + b"deep text" + b"</div>" * depth + b"</body></html>"
    proc = batch(tmp_path, "deep.html", page)
    assert "nested deeper than 2048 levels" in proc.stderr


def test_unclosed_tags(tmp_path):
    page = ("<html><body>" + "<div><p><span><b>" * 3000 + CAP + "<p>" + CAP).encode()
    proc = batch(tmp_path, "unclosed.html", page)
    assert "Traceback" not in proc.stderr


def test_billion_laughs_is_not_expanded():
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    page = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lol}]><html><body><p>&lol9;</p></body></html>'
    r = dedup.clean(page.encode(), name="lol.html")
    assert len(r.text) < 1000


def test_external_entities_and_resources_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    page = (
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body><p>&xxe;</p>'
        f'<iframe src="file://{secret}"></iframe><img src="http://127.0.0.1:9/x.png" '
        f'alt="picture"><link rel=stylesheet href="file://{secret}"></body></html>'
    )
    r = dedup.clean(page.encode(), name="xxe.html", include_alt=True)
    assert "TOP-SECRET" not in r.text and "TOP-SECRET" not in r.html


def test_huge_attribute_values(tmp_path):
    page = f'<html><body><div class="{"x" * 5_000_000}" data-caption="{"y " * 1_000_000}"><p>{CAP}</p><p>{CAP}</p></div></body></html>'
    proc = batch(tmp_path, "attrs.html", page.encode())
    assert proc.returncode == 0


def test_a_100_mb_page_is_refused_by_the_size_limit(tmp_path):
    page = b"<html><body>" + (b"<p>" + CAP.encode() + b" filler words here</p>\n") * 1_100_000
    assert len(page) > 100_000_000
    proc = batch(tmp_path, "huge.html", page)
    assert "over the limit of 67108864 (max_bytes)" in proc.stderr


def test_a_single_10_mb_paragraph(tmp_path):
    paragraph = " ".join(f"word{i % 5000}" for i in range(1_200_000))
    assert len(paragraph) > 10_000_000
    proc = batch(tmp_path, "long.txt", f"{CAP}\n\n{paragraph}\n\n{CAP}\n".encode())
    assert proc.returncode == 0
    assert (tmp_path / "out" / "long.txt").read_text(encoding="utf-8").count(CAP) == 1


SIMILAR_LINES = {
    # Lines alike enough to share LSH buckets and anchors, none a copy of another: every
    # pair would be a candidate. The echo at the end must still go.
    "short-lines": lambda i: f"<p>Line {i} of filler text here.</p>",
    "dated-lines": lambda i: (
        f"<p>Posted by the editorial team on {i % 28 + 1} May {2000 + i} in News</p>"
    ),
    "same-cells": lambda i: (
        f"<tr><td>Not available at this time for this product</td><td>{i}</td></tr>"
    ),
}


@pytest.mark.parametrize("shape", SIMILAR_LINES)
def test_thousands_of_similar_lines_stay_in_bounded_memory(tmp_path, shape):
    rows = "\n".join(SIMILAR_LINES[shape](i) for i in range(16_000))
    page = (
        f"<html><body><p>{CAP}</p><table>\n{rows}\n</table><p class=caption>{CAP}</p></body></html>"
    )
    proc = batch(tmp_path, f"{shape}.html", page.encode())
    assert proc.returncode == 0
    assert (tmp_path / "out" / f"{shape}.txt").read_text(encoding="utf-8").count(CAP) == 1


def test_a_text_of_numbered_lines_a_paragraph_a_line(tmp_path):
    # A log or a data dump: 50,000 lines alike but for a number, no blank line, so a block
    # a line. None can be another's echo (their numbers differ); the caption echo goes.
    lines = "\n".join(
        f"Line number {i} of a long text file, written one paragraph a line." for i in range(50_000)
    )
    proc = batch(tmp_path, "log.txt", f"{CAP}\n{lines}\n{CAP}\n".encode())
    assert proc.returncode == 0
    out = (tmp_path / "out" / "log.txt").read_text(encoding="utf-8")
    assert out.count(CAP) == 1 and out.count("\n") == 50_001


def test_a_million_tiny_blocks_is_refused_by_the_block_limit(tmp_path):
    proc = batch(tmp_path, "tiny.txt", b"a\n\n" * 1_000_000)
    assert "1000000 blocks is over the limit of 250000 (max_blocks)" in proc.stderr


def test_limits_are_options(tmp_path):
    (tmp_path / "tiny.txt").write_bytes(b"a\n\n" * 300_000)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dedup",
            "clean",
            str(tmp_path / "tiny.txt"),
            "-q",
            "--max-blocks",
            "400000",
            "-o",
            str(tmp_path / "o.txt"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    with pytest.raises(InputError, match="max_bytes"):
        dedup.clean("x" * 100, max_bytes=10)


def test_jsonl_with_broken_lines(tmp_path):
    lines = [
        json.dumps({"text": GOOD}),
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"text": 3}),
        "\x00\xff",
        json.dumps({"text": GOOD}),
    ]
    path = tmp_path / "r.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape") + b"\n")
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", str(path), "-q"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert [e.split(": ")[2] for e in errors] == [f"{path}:{n}" for n in (2, 3, 4, 5)]
    out = proc.stdout.splitlines()
    assert len(out) == 6 and out[1] == "{not json"
    assert json.loads(out[5])["text"].count(CAP) == 1


def test_truncated_gzip_stream(tmp_path):
    data = gzip.compress(
        "".join(json.dumps({"text": GOOD, "i": i}) + "\n" for i in range(2000)).encode()
    )
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dedup",
            "clean",
            str(path),
            str(tmp_path / "good.txt"),
            "-o",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert f"dedup: error: {path}: cannot read further" in proc.stderr
    assert (tmp_path / "out" / "good.txt").exists()


def test_output_to_a_pipe_or_device_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    src = tmp_path / "a.txt"
    src.write_text(GOOD, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", str(src), "-o", str(fifo), "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    reader.join(timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert got and got[0].decode().count(CAP) == 1
    assert fifo.is_fifo()


def test_a_file_changed_during_a_fix_run_is_left_alone(tmp_path):
    """dedup reads a.txt, then blocks reading a pipe; meanwhile someone edits a.txt. When
    dedup comes to write a.txt, the file is not the one it read: it is left alone."""
    first = tmp_path / "a.txt"
    first.write_text(GOOD, encoding="utf-8")
    gate = tmp_path / "b.txt"
    os.mkfifo(gate)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dedup", "fix", str(first), str(gate), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Opening a pipe for writing without blocking succeeds once its reader has opened it:
    # from then on dedup has read a.txt and waits for b.txt.
    deadline = time.monotonic() + 60
    while True:
        try:
            fd = os.open(gate, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.01)
    theirs = "Someone else's edit.\n\n" + GOOD
    first.write_text(theirs, encoding="utf-8")
    os.write(fd, GOOD.encode())
    os.close(fd)
    out, err = proc.communicate(timeout=60)
    assert first.read_text(encoding="utf-8") == theirs
    assert f"dedup: error: {first}: changed while dedup was running; not rewritten" in err
    assert proc.returncode == 2

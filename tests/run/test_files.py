"""Checking and fixing files: ``check_file`` and ``fix_file`` as a library, the real
pre-commit framework over a corpus repository, and fix runs killed half-way."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import dedup
from dedup import InputError, check_file, fix_file
from dedup.io.formats import Format
from dedup.io.inputs import Source
from dedup.io.records import tasks
from dedup.run.files import by_file, file_options, rewrite
from dedup.run.local import run
from dedup.run.records import Mode

from ..conftest import ROOT

CAP = "Rescue workers search the rubble of the collapsed building in the old town"
ARTICLE = f"{CAP}\n\nThe regional government promised to rebuild it within two years.\n\n{CAP}\n"
ECHO = "would remove paragraph duplicating line 1 (similarity 1.00)"
RECORD_ECHO = (
    "would remove paragraph (block 2) duplicating block 0 of the same record (similarity 1.00)"
)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _jsonl(path: Path, *records: object) -> Path:
    return _write(path, "".join(json.dumps(r) + "\n" for r in records))


# ---------------------------------------------------------------- the library


def test_check_file_names_each_echo_and_changes_nothing(tmp_path):
    article = _write(tmp_path / "a.txt", ARTICLE)
    assert check_file(article) == [f"{article}:5: {ECHO}"]
    assert article.read_text(encoding="utf-8") == ARTICLE
    assert check_file(_write(tmp_path / "clean.md", "# Title\n\nNothing repeats here.\n")) == []


def test_fix_file_is_the_body_of_a_hook_loop(tmp_path):
    # pre-commit-hooks' shape: a function over one file, its results ORed.
    paths = [
        _write(tmp_path / "a.txt", ARTICLE),
        _write(tmp_path / "b.md", "# Title\n\nNothing repeats here.\n"),
        _write(tmp_path / "c.html", f"<p>{CAP}</p><p>Said once, and only once.</p><p>{CAP}</p>"),
    ]
    cleaner = dedup.Cleaner()
    retv = False
    for path in paths:
        retv |= fix_file(path, cleaner)
    assert retv
    assert paths[0].read_text(encoding="utf-8") == dedup.clean(ARTICLE).text
    assert paths[2].read_text(encoding="utf-8").count(CAP) == 1
    assert not any(fix_file(path, cleaner) for path in paths)  # nothing left to fix
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".dedup-tmp")]


def test_the_cleaner_says_how_echoes_are_found(tmp_path):
    short = _write(tmp_path / "short.txt", "Short one\n\nShort one\n")
    assert check_file(short) == []
    assert check_file(short, dedup.Cleaner(min_chars=5)) == [
        f"{short}:3: would remove paragraph duplicating line 1 (similarity 1.00)"
    ]


def test_fix_file_rewrites_jsonl_record_by_record(tmp_path):
    kept = '{"id": 2,   "text": "Nothing repeats."}\n'
    path = _write(
        tmp_path / "r.jsonl", json.dumps({"id": 1, "text": ARTICLE, "x": [1]}) + "\n" + kept
    )
    assert check_file(path) == [f"{path}:1: {RECORD_ECHO}"]
    assert fix_file(path)
    first, second = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert json.loads(first) == {"id": 1, "text": dedup.clean(ARTICLE).text, "x": [1]}
    assert second == kept  # an unchanged record stays byte for byte
    assert not fix_file(path)


def test_fix_file_cleans_the_named_field_and_reads_by_the_format_asked(tmp_path):
    page = f"<p>{CAP}</p><p>Said once, and only once.</p><p>{CAP}</p>"
    path = _jsonl(tmp_path / "pages.log", {"html": page})
    # Its name says no format; its lines are JSON objects: records, with no "text" field.
    with pytest.raises(
        InputError, match=r"pages.log:1: no field 'text' in the record \(its fields: 'html'\)"
    ):
        check_file(path)
    assert check_file(path, format=Format.TEXT) == []  # read as one text document, when asked
    assert check_file(path, format=Format.JSONL, html_field="html") == [
        f"{path}:1: would remove paragraph (block 2) duplicating block 0 of the same record"
        " (similarity 1.00)"
    ]
    assert fix_file(path, format=Format.JSONL, html_field="html")
    assert json.loads(path.read_text(encoding="utf-8"))["html"].count(CAP) == 1


def test_archives_and_compressed_streams_are_checked_never_rewritten(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = f"<p>{CAP}</p><p>Said once, and only once.</p><p>{CAP}</p>".encode()
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/", "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    packed = tmp_path / "r.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": ARTICLE}) + "\n")
    for path in (warc, packed):
        before = path.read_bytes()
        assert len(check_file(path)) == 1
        assert not fix_file(path)
        assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "r.jsonl: No such file or directory"),
        ('{"text": 1}\n', "r.jsonl:2: field 'text' holds a number, not text"),
        ("{broken\n", "r.jsonl:2: malformed JSON"),
    ],
)
def test_a_file_that_cannot_be_read_or_cleaned_raises(tmp_path, content, message):
    path = tmp_path / "r.jsonl"
    text = json.dumps({"text": ARTICLE}) + "\n" + (content or "")
    if content is not None:
        path.write_text(text, encoding="utf-8")
    for call in (check_file, fix_file):
        with pytest.raises(InputError, match=message):
            call(path)
    if content is not None:  # left as it was, the echo in its first record too
        assert path.read_text(encoding="utf-8") == text


def test_fix_file_refuses_a_read_only_file(tmp_path):
    path = _write(tmp_path / "a.txt", ARTICLE)
    os.chmod(path, 0o444)
    with pytest.raises(InputError, match="read-only; not rewritten"):
        fix_file(path)
    assert path.read_text(encoding="utf-8") == ARTICLE


@pytest.mark.parametrize(
    "name, text",
    [
        ("a.txt", ARTICLE),
        ("r.jsonl", json.dumps({"text": ARTICLE}) + "\n"),
    ],
)
def test_a_file_changed_after_it_was_read_is_left_alone(tmp_path, name, text):
    path = _write(tmp_path / name, text)
    options = file_options(dedup.Config(), Mode.FIX)
    outcomes = list(run(tasks(iter([Source(str(path), name)]), None), options))
    meanwhile = text + "\n" if name.endswith(".txt") else text + '{"text": "Added."}\n'
    _write(path, meanwhile)
    with pytest.raises(InputError, match="changed while dedup was running; not rewritten"):
        rewrite(outcomes)
    assert path.read_text(encoding="utf-8") == meanwhile


def test_by_file_ends_a_whole_file_group_without_reading_on(tmp_path):
    # A file's group ends at once, so its "Fixed" line comes before the next file's errors;
    # a stream's group ends when the next input's first outcome arrives.
    a, b = _write(tmp_path / "a.txt", ARTICLE), _jsonl(tmp_path / "b.jsonl", {"text": ARTICLE}, {})
    sources = iter([Source(str(a), "a.txt"), Source(str(b), "b.jsonl"), Source(str(a), "a.txt")])
    pulled: list[int] = []

    def counted():
        for outcome in run(tasks(sources, None), file_options(dedup.Config(), Mode.CHECK)):
            pulled.append(outcome.origin.input)
            yield outcome

    seen = []
    for origin, group in by_file(counted()):
        seen.append((origin.name, [o.origin.line for o in group], list(pulled)))
    assert seen == [
        (str(a), [0], [0]),
        (str(b), [1, 2], [0, 1, 1, 2]),
        (str(a), [0], [0, 1, 1, 2]),
    ]


# ---------------------------------------------------------------- pre-commit and killed runs


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
        },
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_hooks_check_fix_then_clean(tmp_path):
    # The real pre-commit framework, with a config as a corpus repository writes it, against
    # a snapshot of this checkout (what is committed and what is not): the hook environment
    # is built once and serves the three runs.
    hooks = _snapshot_repo(ROOT, tmp_path / "hooks")
    repo = tmp_path / "corpus"
    (repo / "articles").mkdir(parents=True)
    article = repo / "articles" / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (repo / "articles" / "clean.md").write_text(
        "# Title\n\nNothing repeats here.\n", encoding="utf-8"
    )
    # A vendored copy the repository's config excludes: pre-commit names it all the same.
    (repo / "vendor").mkdir()
    vendored = repo / "vendor" / "copy.txt"
    vendored.write_text(ARTICLE, encoding="utf-8")
    (repo / "pyproject.toml").write_text('[tool.dedup]\nexclude = ["vendor"]\n', encoding="utf-8")
    rev = _git(hooks, "rev-parse", "HEAD").stdout.decode().strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hooks}\n  rev: {rev}\n  hooks:\n"
        "  - id: dedup-check\n  - id: dedup-fix\n",
        encoding="utf-8",
    )
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "corpus")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }

    def pre_commit(*hook: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", *hook, "--all-files", "--color", "never"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    check = pre_commit("dedup-check")
    print(check.stdout)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "dedup (check for echoes)" in check.stdout and "Failed" in check.stdout
    assert (
        "articles/a.txt:5: would remove paragraph duplicating line 1 (similarity 1.00)"
        in check.stdout
    )
    assert article.read_text(encoding="utf-8") == ARTICLE
    assert "vendor" not in check.stdout

    fixed = pre_commit("dedup-fix")
    print(fixed.stdout)
    assert fixed.returncode == 1
    assert "files were modified by this hook" in fixed.stdout
    assert article.read_text(encoding="utf-8") == dedup.clean(ARTICLE).text
    assert vendored.read_text(encoding="utf-8") == ARTICLE

    again = pre_commit()
    print(again.stdout)
    assert again.returncode == 0, again.stdout
    assert again.stdout.count("Passed") == 2

    # The corpus index: a new article that repeats a paragraph of an indexed one is refused.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dedup",
            "corpus",
            "articles",
            "--index",
            "corpus.idx",
            "-q",
            "-o",
            str(tmp_path / "indexed"),
        ],
        cwd=repo,
        env=env,
        check=True,
    )
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hooks}\n  rev: {rev}\n  hooks:\n"
        "  - id: dedup-check\n    args: [--index, corpus.idx]\n",
        encoding="utf-8",
    )
    (repo / "articles" / "b.txt").write_text(
        "A second story\n\nThe regional government promised to rebuild it within two years.\n",
        encoding="utf-8",
    )
    _git(repo, "add", ".")
    indexed = pre_commit("dedup-check")
    print(indexed.stdout)
    assert indexed.returncode == 1, indexed.stdout
    assert "articles/b.txt:3: would remove paragraph repeating block 1 of articles/a.txt" in (
        indexed.stdout
    )


def _snapshot_repo(source: Path, target: Path) -> Path:
    """A git repository holding one commit of ``source``'s files as they are now: the
    tracked ones and the new ones git does not ignore."""
    listed = _git(source, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.stdout.decode().split("\0")):
        path = source / name
        if path.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)
    _git(target, "init", "-q")
    _git(target, "add", ".")
    _git(target, "commit", "-qm", "snapshot")
    return target


def _corpus(directory: Path, count: int) -> dict[Path, tuple[bytes, bytes]]:
    """Files with echoes, and for each its content before and after a fix."""
    directory.mkdir()
    versions = {}
    filler = " ".join(f"word{i}" for i in range(400))
    for i in range(count):
        text = f"Article {i}: {filler}\n\n{ARTICLE}\nClosing paragraph {i} of the piece.\n"
        path = directory / f"a{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        versions[path] = (text.encode(), dedup.clean(text).text.encode())
    return versions


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2])
def test_fix_killed_half_way_leaves_each_file_old_or_new(tmp_path, delay):
    versions = _corpus(tmp_path / "corpus", 600)
    first = next(iter(versions))
    proc = subprocess.Popen(
        [sys.executable, "-m", "dedup", "fix", str(tmp_path / "corpus"), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Kill once the run is writing: when the first file has been replaced (or it ended).
    deadline = time.monotonic() + 120
    while (
        first.read_bytes() == versions[first][0]
        and proc.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.005)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    states = []
    for path, (old, new) in versions.items():
        content = path.read_bytes()
        assert content in (old, new), f"{path.name} is neither the old nor the new version"
        states.append(content == new)
    assert states[0], "the kill came before any write: nothing was tested"
    # The next run finishes the job, whatever the killed one left behind.
    finish = subprocess.run(
        [sys.executable, "-m", "dedup", "fix", str(tmp_path / "corpus"), "-q"], capture_output=True
    )
    assert finish.returncode == (1 if not all(states) else 0)
    assert all(path.read_bytes() == new for path, (_, new) in versions.items())


def _limit_file_size(limit: int):
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_fix_keeps_going_past_a_file_it_cannot_write(tmp_path):
    """A write that fails (here: over a file-size limit, which binds root too) leaves that
    file as it was, names it, and the other files are still fixed."""
    big = tmp_path / "big.txt"
    big_text = ("A long opening paragraph that is different. " * 200) + "\n\n" + ARTICLE
    big.write_text(big_text, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(ARTICLE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "fix", str(big), str(small)],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size(4096),
    )
    assert proc.returncode == 2
    assert f"dedup: error: {big}: File too large" in proc.stderr
    assert big.read_text(encoding="utf-8") == big_text
    assert small.read_text(encoding="utf-8") == dedup.clean(ARTICLE).text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "small.txt"]  # no temp left


def test_fix_leaves_a_read_only_file_alone_and_fixes_the_others(tmp_path):
    locked, other = tmp_path / "locked.txt", tmp_path / "other.txt"
    for path in (locked, other):
        path.write_text(ARTICLE, encoding="utf-8")
    os.chmod(locked, 0o444)
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "fix", str(locked), str(other)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert f"dedup: error: {locked}: read-only; not rewritten" in proc.stderr
    assert locked.read_text(encoding="utf-8") == ARTICLE
    assert (locked.stat().st_mode & 0o777) == 0o444
    assert other.read_text(encoding="utf-8") == dedup.clean(ARTICLE).text

"""Corpus repositories: the real pre-commit framework, and fix runs killed half-way."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dedup

from .conftest import ROOT

CAP = "Rescue workers search the rubble of the collapsed building in the old town"
ARTICLE = f"{CAP}\n\nThe regional government promised to rebuild it within two years.\n\n{CAP}\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo_check_fix_then_clean(tmp_path):
    repo = tmp_path / "corpus"
    (repo / "articles").mkdir(parents=True)
    article = repo / "articles" / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (repo / "articles" / "clean.md").write_text("# Title\n\nNothing repeats here.\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "corpus")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def try_repo(*hook: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), *hook, "--all-files",
             "--color", "never"],
            cwd=repo, env=env, capture_output=True, text=True, timeout=900,
        )

    check = try_repo("dedup-check")
    print(check.stdout)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "dedup (check for echoes)" in check.stdout and "Failed" in check.stdout
    assert "articles/a.txt:5: removed paragraph duplicating line 1 (similarity 1.00)" in check.stdout
    assert article.read_text(encoding="utf-8") == ARTICLE

    fixed = try_repo("dedup-fix")
    print(fixed.stdout)
    assert fixed.returncode == 1
    assert "files were modified by this hook" in fixed.stdout
    assert article.read_text(encoding="utf-8") == dedup.clean(ARTICLE).text

    again = try_repo()
    print(again.stdout)
    assert again.returncode == 0, again.stdout
    assert again.stdout.count("Passed") == 2


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
    proc = subprocess.Popen([sys.executable, "-m", "dedup", "fix", str(tmp_path / "corpus"), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Kill once the run is writing: when the first file has been replaced (or it ended).
    deadline = time.monotonic() + 120
    while first.read_bytes() == versions[first][0] and proc.poll() is None and time.monotonic() < deadline:
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
    finish = subprocess.run([sys.executable, "-m", "dedup", "fix", str(tmp_path / "corpus"), "-q"],
                            capture_output=True)
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
    proc = subprocess.run([sys.executable, "-m", "dedup", "fix", str(big), str(small)],
                          capture_output=True, text=True, preexec_fn=_limit_file_size(4096))
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
    proc = subprocess.run([sys.executable, "-m", "dedup", "fix", str(locked), str(other)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert f"dedup: error: {locked}: read-only; not rewritten" in proc.stderr
    assert locked.read_text(encoding="utf-8") == ARTICLE
    assert (locked.stat().st_mode & 0o777) == 0o444
    assert other.read_text(encoding="utf-8") == dedup.clean(ARTICLE).text

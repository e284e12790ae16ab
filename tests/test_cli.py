"""The command line, through click's runner and, where the process matters, a subprocess."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from dedup.cli import main

CAP = "Rescue workers search the rubble of the collapsed building in the old town"
TEXT = f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n\n{CAP}\n"
HTML = (f"<html><body><h1>Headline of the day</h1><figure><img src=a.jpg alt='{CAP}'>"
        f"<figcaption>{CAP}</figcaption></figure><p>Body text.</p><p class=caption>{CAP}</p></body></html>")


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def files(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "clean.txt").write_text("Nothing repeats here.\n", encoding="utf-8")
    return tmp_path


def test_clean_text_to_stdout(runner, files):
    res = runner.invoke(main, ["clean", str(files / "a.txt")])
    assert res.exit_code == 0
    assert res.stdout == f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n"
    assert "1 document, 4 blocks, 1 removed (paragraph: 1), 0 errors" in res.stderr


def test_clean_html_prints_text_blocks(runner, files):
    res = runner.invoke(main, ["clean", str(files / "b.html"), "-q"])
    assert res.exit_code == 0
    assert res.stdout == f"Headline of the day\n\n{CAP}\n\nBody text.\n"
    assert res.stderr == ""


def test_format_html_keeps_the_page(runner, files):
    res = runner.invoke(main, ["clean", str(files / "b.html"), "--format", "html", "-q"])
    assert res.stdout.count(CAP) == 2  # the figcaption and the alt stay; the twin paragraph goes
    assert "<h1>Headline of the day</h1>" in res.stdout and "a.jpg" in res.stdout


def test_format_json_lists_blocks_and_kept(runner, files):
    res = runner.invoke(main, ["clean", str(files / "b.html"), "--format", "json", "--alt", "-q"])
    doc = json.loads(res.stdout)
    assert [(b["kind"], b["kept"]) for b in doc["blocks"]] == [
        ("heading", True), ("alt", False), ("caption", True), ("paragraph", True), ("caption", False),
    ]


@pytest.mark.parametrize("ext, probe", [(".json", '"duplicate_of"'), (".diff", "--- a/"), (".html", "<table")])
def test_report_kind_from_extension(runner, files, ext, probe):
    report = files / f"report{ext}"
    res = runner.invoke(main, ["clean", str(files / "a.txt"), "--report", str(report), "-q"])
    assert res.exit_code == 0
    assert probe in report.read_text(encoding="utf-8")


def test_unreadable_input_is_named_and_the_rest_goes_on(runner, files):
    res = runner.invoke(main, ["clean", str(files / "missing.txt"), str(files / "a.txt")])
    assert res.exit_code == 2
    assert f"dedup: error: {files / 'missing.txt'}: no such file or directory" in res.stderr
    assert "Body text of the article" in res.stdout
    assert "1 error" in res.stderr


def test_directory_output_mirrors_inputs(runner, files):
    out = files / "out"
    res = runner.invoke(main, ["clean", str(files), "-o", str(out), "-q", "--exclude", "out"])
    assert res.exit_code == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt", "clean.txt"]


def test_check_exit_codes_and_lines(runner, files):
    res = runner.invoke(main, ["check", str(files / "a.txt"), str(files / "clean.txt")])
    assert res.exit_code == 1
    assert res.stdout == f"{files / 'a.txt'}:7: removed paragraph duplicating line 3 (similarity 1.00)\n"
    assert runner.invoke(main, ["check", str(files / "clean.txt")]).exit_code == 0


def test_fix_rewrites_in_place_and_keeps_the_mode(runner, files):
    target = files / "a.txt"
    os.chmod(target, 0o640)
    res = runner.invoke(main, ["fix", str(target)])
    assert res.exit_code == 1
    assert target.read_text(encoding="utf-8").count(CAP) == 1
    assert (target.stat().st_mode & 0o777) == 0o640
    assert runner.invoke(main, ["fix", str(target)]).exit_code == 0
    assert not [p for p in files.iterdir() if p.name.endswith(".dedup-tmp")]


def test_config_file_and_flags(runner, files, monkeypatch):
    (files / "pyproject.toml").write_text("[tool.dedup]\nmin-chars = 5\n", encoding="utf-8")
    (files / "short.txt").write_text("Short one\n\nShort one\n", encoding="utf-8")
    monkeypatch.chdir(files)
    assert runner.invoke(main, ["check", "short.txt"]).exit_code == 1
    assert runner.invoke(main, ["check", "short.txt", "--min-chars", "20"]).exit_code == 0
    (files / "pyproject.toml").write_text("[tool.dedup]\nmin-charz = 5\n", encoding="utf-8")
    res = runner.invoke(main, ["check", "short.txt"])
    assert res.exit_code == 2 and "unknown option 'min-charz'" in res.stderr


def run(args, **kw):
    return subprocess.run([sys.executable, "-m", "dedup", *args], capture_output=True, **kw)


def test_stdin_to_stdout_through_a_real_process():
    proc = run(["clean", "-", "-q"], input=TEXT.encode("utf-8"))
    assert proc.returncode == 0
    assert proc.stdout.decode("utf-8").count(CAP) == 1
    assert proc.stderr == b""


def test_output_file_keeps_the_input_encoding(tmp_path):
    src = tmp_path / "latin.txt"
    src.write_bytes(f"Café crème servi ici\n\n{CAP}\n\n{CAP}\n".encode("cp1252"))
    proc = run(["clean", str(src), "-o", str(tmp_path / "out.txt"), "-q"])
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out.txt").read_bytes() == f"Café crème servi ici\n\n{CAP}\n".encode("cp1252")


def test_version_and_help():
    assert run(["--version"]).stdout.decode().startswith("dedup, version")
    assert b"check" in run(["--help"]).stdout


def test_a_directory_output_never_replaces_an_input(runner, files):
    res = runner.invoke(main, ["clean", str(files / "a.txt"), str(files / "clean.txt"), "-o", str(files)])
    assert res.exit_code == 2
    assert "the output would replace its own input; not written" in res.stderr
    assert (files / "a.txt").read_text(encoding="utf-8") == TEXT


def test_a_one_file_run_loads_only_what_it_uses(tmp_path):
    # A pre-commit hook runs the CLI on a file or two: start-up is most of its time. UTF-8
    # input needs no charset guessing (bs4 and its CSS parser), one job no process pool,
    # the default matching no datasketch (nor scipy).
    page = tmp_path / "page.html"
    cap = "A caption that repeats itself on the page, word for word"
    page.write_text(f"<p>{cap}.</p><p>Something else entirely, said once.</p><p>{cap}!</p>",
                    encoding="utf-8")
    code = ("import sys\nfrom dedup.cli import main\n"
            "try:\n"
            f"    main(['check', {str(page)!r}])\n"
            "except SystemExit as exit:\n"
            "    print('exit', exit.code)\n"
            "print(*(m in sys.modules for m in ('bs4', 'soupsieve', 'concurrent.futures.process',"
            " 'datasketch', 'scipy')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    assert lines[-2] == "exit 1"  # the echo was found: check fails
    assert lines[-1].split() == ["False"] * 5

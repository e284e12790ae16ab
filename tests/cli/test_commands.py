"""The command line, through click's runner and, where the process matters, a subprocess:
single documents, batches of files and directories, parallel jobs, bad inputs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import main
from dedup.cli.commands import output_name
from dedup.io.formats import Format
from dedup.io.records import TaskKind

CAP = "Rescue workers search the rubble of the collapsed building in the old town"
TEXT = f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n\n{CAP}\n"
HTML = (
    f"<html><body><h1>Headline of the day</h1><figure><img src=a.jpg alt='{CAP}'>"
    f"<figcaption>{CAP}</figcaption></figure><p>Body text.</p><p class=caption>{CAP}</p></body></html>"
)


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
        ("heading", True),
        ("alt", False),
        ("caption", True),
        ("paragraph", True),
        ("caption", False),
    ]


@pytest.mark.parametrize(
    "ext, probe", [(".json", '"duplicate_of"'), (".diff", "--- a/"), (".html", "<table")]
)
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
    assert (
        res.stdout
        == f"{files / 'a.txt'}:7: would remove paragraph duplicating line 3 (similarity 1.00)\n"
    )
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


def dedup(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dedup", *args], input=stdin, capture_output=True, timeout=600
    )


def test_stdin_to_stdout_through_a_real_process():
    proc = dedup("clean", "-", "-q", stdin=TEXT.encode("utf-8"))
    assert proc.returncode == 0
    assert proc.stdout.decode("utf-8").count(CAP) == 1
    assert proc.stderr == b""


def test_output_file_keeps_the_input_encoding(tmp_path):
    src = tmp_path / "latin.txt"
    src.write_bytes(f"Café crème servi ici\n\n{CAP}\n\n{CAP}\n".encode("cp1252"))
    proc = dedup("clean", str(src), "-o", str(tmp_path / "out.txt"), "-q")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out.txt").read_bytes() == f"Café crème servi ici\n\n{CAP}\n".encode(
        "cp1252"
    )


def test_version_and_help():
    assert dedup("--version").stdout.decode().startswith("dedup, version")
    assert b"check" in dedup("--help").stdout


def test_a_directory_output_never_replaces_an_input(runner, files):
    res = runner.invoke(
        main, ["clean", str(files / "a.txt"), str(files / "clean.txt"), "-o", str(files)]
    )
    assert res.exit_code == 2
    assert "the output would replace its own input; not written" in res.stderr
    assert (files / "a.txt").read_text(encoding="utf-8") == TEXT


def test_a_one_file_run_loads_only_what_it_uses(tmp_path):
    # A pre-commit hook runs the CLI on a file or two: start-up is most of its time. UTF-8
    # input needs no charset guessing (bs4 and its CSS parser), one job no process pool,
    # the default matching no datasketch (nor scipy).
    page = tmp_path / "page.html"
    cap = "A caption that repeats itself on the page, word for word"
    page.write_text(
        f"<p>{cap}.</p><p>Something else entirely, said once.</p><p>{cap}!</p>", encoding="utf-8"
    )
    code = (
        "import sys\nfrom dedup.cli import main\n"
        "try:\n"
        f"    main(['check', {str(page)!r}])\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code)\n"
        "print(*(m in sys.modules for m in ('bs4', 'soupsieve', 'concurrent.futures.process',"
        " 'datasketch', 'scipy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    assert lines[-2] == "exit 1"  # the echo was found: check fails
    assert lines[-1].split() == ["False"] * 5


# ---------------------------------------------------------------- batches

PAGE = (
    f"<html><body><h1>Headline of the day</h1><figure><img src=a.jpg>"
    f"<figcaption>{CAP}</figcaption></figure><p>Body text.</p><p class=caption>{CAP}</p></body></html>"
)


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "sub" / "b.html").write_text(PAGE, encoding="utf-8")
    (root / "sub" / "notes.md").write_text(f"# Notes\n\n{CAP}\n\n> {CAP}\n", encoding="utf-8")
    (root / "skip.log").write_text(TEXT, encoding="utf-8")
    return root


def test_directory_walk_mirrors_the_tree(tree, tmp_path):
    out = tmp_path / "out"
    proc = dedup("clean", str(tree), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "a.txt",
        "sub/b.txt",
        "sub/notes.md",
    ]
    assert (out / "sub" / "notes.md").read_text(encoding="utf-8") == f"# Notes\n\n{CAP}\n"


def test_include_and_exclude(tree, tmp_path):
    out = tmp_path / "out"
    proc = dedup(
        "clean",
        str(tree),
        "-o",
        str(out),
        "--include",
        "*.log",
        "--include",
        "*.txt",
        "--exclude",
        "sub",
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == ["a.txt", "skip.log"]


def test_an_undecodable_file_in_the_middle_of_a_batch(tree, tmp_path):
    (tree / "m_binary.txt").write_bytes(b"\x00\x01\x02binary\x00\xff" * 50)
    out = tmp_path / "out"
    proc = dedup("clean", str(tree), "-o", str(out))
    assert proc.returncode == 2
    lines = proc.stderr.decode().splitlines()
    assert [line for line in lines if "error" in line and "binary" in line] == [
        f"dedup: error: {tree / 'm_binary.txt'}: binary data, not text (control byte 0x00 at offset 0)"
    ]
    assert (out / "a.txt").exists() and (out / "sub" / "b.txt").exists()
    assert not (out / "m_binary.txt").exists()


def test_parallel_jobs_keep_output_order(tmp_path):
    files = []
    for i in range(40):
        path = tmp_path / f"doc{i:02d}.txt"
        path.write_text(
            f"Document number {i} starts here with its own words.\n\n{TEXT}", encoding="utf-8"
        )
        files.append(str(path))
    serial = dedup("clean", *files, "-q")
    parallel = dedup("clean", *files, "-q", "--jobs", "2")
    assert serial.returncode == parallel.returncode == 0
    assert serial.stdout == parallel.stdout
    assert serial.stdout.decode().count("Document number") == 40


def test_summary_line_and_quiet(tree):
    proc = dedup("clean", str(tree / "a.txt"))
    assert (
        proc.stderr.decode() == "dedup: 1 document, 4 blocks, 1 removed (paragraph: 1), 0 errors\n"
    )
    assert dedup("clean", str(tree / "a.txt"), "-q").stderr == b""


def test_json_report_over_a_batch_is_one_document(tree, tmp_path):
    report = tmp_path / "r.json"
    assert dedup("clean", str(tree), "--report", str(report), "-q").returncode == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [Path(d["source"]).name for d in data["documents"]] == ["a.txt", "b.html", "notes.md"]
    assert data["summary"]["removed"] == 3


def test_glob_outputs_stay_under_the_output_directory(tree, tmp_path):
    out = tmp_path / "out"
    proc = dedup(
        "clean", str(tree / "**" / "*.txt"), str(tree / "sub" / "*.html"), "-o", str(out), "-q"
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "a.txt",
        "b.txt",
    ]
    assert (tree / "a.txt").read_text(encoding="utf-8") == TEXT  # the input is untouched


def test_an_output_tree_inside_the_input_tree_is_not_read_back(tree):
    for _ in range(2):
        proc = dedup("clean", str(tree), "-o", str(tree / "cleaned"), "-q")
        assert proc.returncode == 0, proc.stderr
    assert not (tree / "cleaned" / "cleaned").exists()
    assert sorted(
        str(p.relative_to(tree / "cleaned")) for p in (tree / "cleaned").rglob("*") if p.is_file()
    ) == [
        "a.txt",
        "sub/b.txt",
        "sub/notes.md",
    ]


# ---------------------------------------------------------------- check and fix, file by file


def _records(path, *lines: str) -> str:
    text = "".join(line + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    return text


def test_fix_rewrites_jsonl_record_by_record_and_keeps_bad_lines(runner, files):
    path = files / "r.jsonl"
    _records(path, json.dumps({"id": 1, "text": TEXT}), "{broken", '{"id": 2,  "text": "Fine."}')
    res = runner.invoke(main, ["fix", str(path)])
    assert res.exit_code == 2  # the broken line is an error; the file is still fixed
    error, fixed, summary = res.stderr.splitlines()
    assert error.startswith(f"dedup: error: {path}:2: malformed JSON: ")
    assert fixed == f"Fixed {path}"
    assert summary == "dedup: 2 documents, 5 blocks, 1 removed (paragraph: 1), 1 error"
    first, broken, fine = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(first)["text"].count(CAP) == 1
    assert (broken, fine) == ("{broken", '{"id": 2,  "text": "Fine."}')


def test_fix_never_drops_a_line_it_could_not_hold(runner, files):
    path = files / "r.jsonl"
    text = _records(path, json.dumps({"text": TEXT}), json.dumps({"text": "x" * 500}))
    res = runner.invoke(main, ["fix", str(path), "--max-bytes", "300"])
    assert res.exit_code == 2
    assert f"dedup: error: {path}:2: line longer than 300 bytes (max_bytes); skipped" in res.stderr
    assert f"dedup: error: {path}: a line could not be kept as it was; not rewritten" in res.stderr
    assert "Fixed" not in res.stderr
    assert path.read_text(encoding="utf-8") == text


def test_fix_says_each_file_fixed_before_the_next_file_is_read(runner, files):
    stream = files / "r.jsonl"
    _records(stream, json.dumps({"text": TEXT}))
    res = runner.invoke(
        main,
        [
            "fix",
            str(files / "a.txt"),
            str(files / "gone.txt"),
            str(stream),
            str(files / "gone.md"),
            "-q",
        ],
    )
    assert res.exit_code == 2
    assert res.stderr.splitlines() == [
        f"Fixed {files / 'a.txt'}",
        f"dedup: error: {files / 'gone.txt'}: no such file or directory",
        # A stream's end shows only when the next input's first document arrives.
        f"dedup: error: {files / 'gone.md'}: no such file or directory",
        f"Fixed {stream}",
    ]


@pytest.mark.parametrize("command", ["check", "fix"])
def test_check_and_fix_in_parallel_say_what_they_say_alone(tmp_path, command):
    outputs = []
    for jobs in ("1", "2"):
        root = tmp_path / jobs
        root.mkdir()
        for i in range(12):
            (root / f"doc{i:02d}.txt").write_text(
                f"Document {i} opens with its own words.\n\n{TEXT}", encoding="utf-8"
            )
        _records(root / "r.jsonl", *(json.dumps({"text": TEXT}) for _ in range(40)), "{broken")
        proc = dedup(command, str(root), "--jobs", jobs)
        outputs.append(
            (
                proc.returncode,
                proc.stdout.replace(str(root).encode(), b"ROOT"),
                proc.stderr.replace(str(root).encode(), b"ROOT"),
                sorted(p.read_bytes() for p in root.iterdir()),
            )
        )
    assert outputs[0] == outputs[1]
    verb = b"would remove" if command == "check" else b"removed"
    assert outputs[0][0] == 2 and outputs[0][1].count(verb + b" paragraph") == 52


@pytest.mark.parametrize(
    "name, kind, fmt, expected",
    [
        ("a.txt", TaskKind.FILE, None, "a.txt"),
        ("a.text", TaskKind.FILE, None, "a.text"),
        ("a.html", TaskKind.FILE, None, "a.txt"),
        ("a.shtml", TaskKind.FILE, None, "a.txt"),
        ("A.HTM", TaskKind.FILE, None, "A.txt"),
        ("a.md", TaskKind.FILE, None, "a.md"),
        ("a.mdown", TaskKind.FILE, None, "a.mdown"),
        ("notes.log", TaskKind.FILE, None, "notes.log"),
        ("a.md", TaskKind.FILE, Format.TEXT, "a.txt"),
        ("a.html", TaskKind.FILE, Format.HTML, "a.html"),
        ("a.txt", TaskKind.FILE, Format.JSON, "a.json"),
        ("a.txt", TaskKind.FILE, Format.MARKDOWN, "a.md"),
        ("r.ndjson", TaskKind.JSONL, None, "r.ndjson"),
        ("r.jsonl.gz", TaskKind.JSONL, Format.HTML, "r.jsonl"),
        ("crawl.warc.gz", TaskKind.WARC, None, "crawl.jsonl"),
        ("crawl.arc", TaskKind.WARC, None, "crawl.jsonl"),
    ],
)
def test_output_names_in_an_output_directory(name, kind, fmt, expected):
    assert output_name(Path("out", name), kind, fmt) == Path("out", expected)

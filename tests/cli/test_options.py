"""The command line's options: config files as click's default_map, flags that win over
them, help that shows Config's own defaults, and choices given as enums."""

from __future__ import annotations

import re
from dataclasses import fields

import click
import pytest
from click.testing import CliRunner

from dedup import Config
from dedup.cli import main
from dedup.cli.options import EnumChoice, file_defaults
from dedup.io.formats import DOCUMENTS, Format

SHORT = "Short one\n\nShort one\n"
TUNED = [
    "--jaccard",
    "--containment",
    "--min-chars",
    "--min-contained-chars",
    "--shingle-size",
    "--num-perm",
    "--max-bytes",
    "--max-blocks",
    "--max-block-chars",
]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def files(tmp_path, monkeypatch):
    (tmp_path / "short.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "short.md").write_text(SHORT, encoding="utf-8")
    (tmp_path / "notes.log").write_text(SHORT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _pyproject(files, body: str) -> None:
    (files / "pyproject.toml").write_text(f"[tool.dedup]\n{body}", encoding="utf-8")


def test_config_file_and_flags(runner, files):
    _pyproject(files, "min-chars = 5\n")
    assert runner.invoke(main, ["check", "short.txt"]).exit_code == 1
    assert runner.invoke(main, ["check", "short.txt", "--min-chars", "20"]).exit_code == 0
    _pyproject(files, "min-charz = 5\n")
    res = runner.invoke(main, ["check", "short.txt"])
    assert res.exit_code == 2 and "unknown option 'min-charz'" in res.stderr


@pytest.mark.parametrize("command", ["clean", "check", "fix"])
def test_a_named_config_file_instead_of_the_search(runner, files, command):
    _pyproject(files, "min-chars = 50\n")  # found by the search, and not used
    (files / "other.cfg").write_text("[dedup]\nmin_chars = 5\n", encoding="utf-8")
    res = runner.invoke(main, [command, "short.txt", "--config", "other.cfg"])
    assert res.exit_code == (0 if command == "clean" else 1), res.stderr
    assert ("1 to remove" if command == "check" else "1 removed") in res.stderr
    res = runner.invoke(main, [command, "short.txt", "--config", "missing.toml"])
    assert res.exit_code == 2 and "missing.toml: no such file" in res.stderr


@pytest.mark.parametrize(
    "body, message",
    [
        ("min-chars = 'many'\n", "min-chars must be int, got 'many'"),
        ("anchors = 0\n", "anchors must be between 1 and 64, got 0"),
        ("jaccard = 3\n", "jaccard must be in (0, 1], got 3.0"),
    ],
)
def test_a_bad_value_in_the_file_is_a_usage_error(runner, files, body, message):
    _pyproject(files, body)
    res = runner.invoke(main, ["check", "short.txt"])
    assert res.exit_code == 2
    assert res.stderr.splitlines()[0].endswith(" check [OPTIONS] INPUTS...")  # the command's usage
    last = res.stderr.splitlines()[-1]
    assert last.startswith("Error: ") and last.endswith(message)


def test_settings_without_a_flag_come_from_the_file(runner, files):
    # anchors, seed and lsh-threshold have no flag: the file is their only way in.
    _pyproject(files, "min-chars = 5\nanchors = 2\nseed = 7\nlsh-threshold = 0.5\n")
    assert runner.invoke(main, ["check", "short.txt"]).exit_code == 1
    assert file_defaults("pyproject.toml") == {
        "min_chars": 5,
        "anchors": 2,
        "seed": 7,
        "lsh_threshold": 0.5,
    }


def test_includes_from_the_file_give_way_to_flags_and_excludes_add_up(runner, files):
    (files / "setup.cfg").write_text(
        "[dedup]\nmin-chars = 5\ninclude = *.log, *.md\nexclude = sub\n", encoding="utf-8"
    )
    assert file_defaults(None)["include"] == ("*.log", "*.md")

    def checked(*flags: str) -> list[str]:
        res = runner.invoke(main, ["check", ".", *flags])
        return sorted(line.split(":")[0] for line in res.stdout.splitlines())

    assert checked() == ["notes.log"]
    assert checked("--include", "*.txt", "--include", "*.md") == ["short.txt"]
    assert checked("--include", "*.md", "--exclude", "nothing") == []
    (files / "setup.cfg").write_text("[dedup]\nmin-chars = 5\ninclude = \n", encoding="utf-8")
    assert checked() == ["short.txt", "sub/short.md"]  # an empty include is the default one


def test_help_shows_configs_own_defaults(runner):
    text = " ".join(runner.invoke(main, ["clean", "--help"]).stdout.split())
    defaults = Config()
    for flag in TUNED:
        default = getattr(defaults, flag[2:].replace("-", "_"))
        assert re.search(rf"{flag} [A-Z ]+ [^[]*\[{re.escape(str(default))}\]", text), flag
    assert "MinHash permutations. [32]" in text
    assert {f.name for f in fields(Config)} >= {flag[2:].replace("-", "_") for flag in TUNED}


@pytest.mark.parametrize("command", ["check", "fix"])
def test_on_error_is_an_option_of_clean_alone(runner, files, command):
    # check writes nothing and fix never drops a line: the option would mean nothing there.
    res = runner.invoke(main, [command, "short.txt", "--on-error", "skip"])
    assert res.exit_code == 2 and "No such option '--on-error'" in res.stderr
    assert runner.invoke(main, ["clean", "short.txt", "--on-error", "skip"]).exit_code == 0


def test_enum_choices_are_written_as_values_and_given_as_members():
    seen = []

    @click.command()
    @click.option("--fmt", type=EnumChoice(DOCUMENTS, auto=True), default="auto")
    def command(fmt: Format | None) -> None:
        seen.append(fmt)

    for args in ([], ["--fmt", "markdown"], ["--fmt", "html"]):
        assert CliRunner().invoke(command, args).exit_code == 0
    assert seen == [None, Format.MARKDOWN, Format.HTML]
    res = CliRunner().invoke(command, ["--fmt", "HTML"])
    assert (
        res.exit_code == 2
        and "'HTML' is not one of 'auto', 'html', 'text', 'markdown'" in res.output
    )

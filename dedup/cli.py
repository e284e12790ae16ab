"""The ``dedup`` command: thin shells over the API that map errors to one-line messages.

Exit codes: 0 success, 1 echoes found (check) or files changed (fix), 2 usage or input
errors (the other inputs are still processed).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__
from .api import Cleaner, Result
from .config import Config
from .configfile import find_config
from .errors import ConfigError, DedupError, InputError
from .files import DEFAULT_INCLUDE, STDIN, Source, atomic_write, expand, read_bytes
from .report import REPORT_FORMATS, Report, Summary, format_for_path

_SUFFIXES = {"text": ".txt", "html": ".html", "markdown": ".md", "json": ".json"}
# Options a config file may set besides the Config fields.
_FILE_ONLY = ("include", "exclude")


def _config_options(f: Callable) -> Callable:
    options = [
        click.option("--jaccard", type=click.FloatRange(0, 1, min_open=True),
                     help="Exact shingle Jaccard similarity that makes two blocks copies. [0.8]"),
        click.option("--containment", type=click.FloatRange(0, 1, min_open=True),
                     help="Share of a block that must lie inside a longer one to be its echo. [0.95]"),
        click.option("--min-chars", type=click.IntRange(1),
                     help="Shortest block (normalised characters) that can be removed. [20]"),
        click.option("--min-contained-chars", type=click.IntRange(1),
                     help="Shortest block removable for lying inside another. [60]"),
        click.option("--alt/--no-alt", "include_alt", default=None,
                     help="Treat img alt/title text as blocks (alt echoes of captions go)."),
        click.option("--remove-table-cells/--keep-table-cells", default=None,
                     help="Allow removing repeated table cells (kept by default)."),
        click.option("--shingle-size", type=click.IntRange(2, 32), help="Characters per shingle. [5]"),
        click.option("--num-perm", type=click.IntRange(8, 1024), help="MinHash permutations. [64]"),
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="Read options from this pyproject.toml or setup.cfg instead of searching."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _input_options(f: Callable) -> Callable:
    options = [
        click.option("--input-format", type=click.Choice(["auto", "html", "text", "markdown"]),
                     default="auto", show_default=True, help="How to read inputs."),
        click.option("--include", multiple=True, metavar="GLOB",
                     help="File names to take from directories (repeatable). "
                          f"[{' '.join(DEFAULT_INCLUDE)}]"),
        click.option("--exclude", multiple=True, metavar="GLOB",
                     help="Paths or directory names to skip (repeatable)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


class Settings:
    """Options after merging the config file and the command line (flags win)."""

    def __init__(self, flags: dict[str, Any]) -> None:
        config_path = flags.pop("config_path", None)
        if config_path:
            from .configfile import _from_pyproject, _from_setup_cfg

            path = Path(config_path)
            section = (_from_pyproject(path) if path.suffix == ".toml" else _from_setup_cfg(path)) or {}
        else:
            path, section = find_config()
        section = dict(section)
        origin = str(path) if path else "options"
        file_only = {k.replace("-", "_"): section.pop(k) for k in list(section) if k.replace("-", "_") in _FILE_ONLY}
        given = {k: v for k, v in flags.items() if v is not None and k not in _FILE_ONLY}
        base = Config.from_mapping(section, origin)
        self.config = base.replace(**given) if given else base
        self.include = tuple(flags.get("include") or _as_tuple(file_only.get("include")) or DEFAULT_INCLUDE)
        self.exclude = tuple(flags.get("exclude") or ()) + _as_tuple(file_only.get("exclude"))


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v for v in value.replace(",", " ").split() if v)
    return tuple(str(v) for v in value)


def _settings(flags: dict[str, Any]) -> Settings:
    try:
        return Settings(flags)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def _error(message: str) -> None:
    click.echo(f"dedup: error: {message}", err=True)


def _documents(cleaner: Cleaner, settings: Settings, inputs: tuple[str, ...], input_format: str,
               summary: Summary) -> Iterator[tuple[Source, Result]]:
    """Clean every input in order; report each failure on one line and go on."""
    fmt = None if input_format == "auto" else input_format
    for source in expand(inputs, settings.include, settings.exclude):
        if isinstance(source, InputError):
            summary.errors += 1
            _error(str(source))
            continue
        name = "<stdin>" if source.path == STDIN else source.path
        try:
            data = read_bytes(source)
            result = cleaner.clean(data, format=fmt, name=name)
        except DedupError as exc:
            summary.errors += 1
            message = str(exc)
            _error(message if message.startswith(name) else f"{name}: {message}")
            continue
        summary.add(result)
        yield source, result


def _removal_lines(result: Result) -> Iterator[str]:
    for r in result.removed:
        kept = result.blocks[r.duplicate_of]
        yield (
            f"{result.source}:{result.blocks[r.index].line}: removed {r.kind} duplicating "
            f"line {kept.line} (similarity {r.similarity:.2f}) [{r.reason}]"
        )


def _encode(result: Result, text: str) -> bytes:
    """Encode output like its input (same encoding and byte-order mark) where possible."""
    try:
        return result.bom + text.encode(result.encoding)
    except (UnicodeEncodeError, LookupError):
        return text.encode("utf-8")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def main() -> None:
    """Remove duplicate paragraphs and caption echoes from scraped articles."""


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("-o", "--output", type=click.Path(), help="Write here instead of stdout "
              "(a directory when there are several inputs: the input tree is mirrored).")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "html", "markdown", "json"]),
              help="Output format. [the input's: text for HTML and text, markdown for Markdown]")
@click.option("--report", "report_path", type=click.Path(dir_okay=False),
              help="Write a report here (.json, .diff/.patch or .html).")
@click.option("--report-format", type=click.Choice(REPORT_FORMATS),
              help="Report kind when the file name does not tell.")
@click.option("-v", "--verbose", is_flag=True, help="Print every removal on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@_input_options
@_config_options
def clean(inputs: tuple[str, ...], output: str | None, fmt: str | None, report_path: str | None,
          report_format: str | None, verbose: bool, quiet: bool, input_format: str,
          **flags: Any) -> None:
    """Clean INPUT files, directories or globs (``-`` or nothing: stdin)."""
    settings = _settings(flags)
    kind = None
    if report_path:
        kind = report_format or format_for_path(report_path)
        if kind is None:
            raise click.UsageError(f"cannot tell the report format of {report_path}; use --report-format")
    summary = Summary()
    report = Report(kind, summary) if kind else None
    cleaner = Cleaner(settings.config)
    several = len(inputs) > 1 or any(os.path.isdir(i) or i != STDIN and not os.path.exists(i) for i in inputs)
    to_dir = output is not None and (several or os.path.isdir(output))
    stdout = sys.stdout.buffer
    for source, result in _documents(cleaner, settings, inputs, input_format, summary):
        if report:
            report.add(result)
        if verbose:
            for line in _removal_lines(result):
                click.echo(line, err=True)
        out_fmt = fmt or ("markdown" if result.format == "markdown" else "text")
        if out_fmt == "json":
            text = json.dumps(result.as_dict(), ensure_ascii=False) + "\n"
        else:
            text = result.output(out_fmt)
            if text and not text.endswith("\n"):
                text += "\n"
        if to_dir:
            target = Path(output, source.relative)
            if out_fmt != result.format:
                target = target.with_suffix(_SUFFIXES[out_fmt])
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(target, _encode(result, text) if out_fmt != "json" else text.encode())
            except OSError as exc:
                summary.errors += 1
                _error(f"{target}: {exc.strerror or exc}")
        elif output:
            atomic_write(output, _encode(result, text) if out_fmt != "json" else text.encode())
        else:
            stdout.write(text.encode("utf-8"))
            stdout.flush()
    if report and report_path:
        atomic_write(report_path, report.render().encode("utf-8"))
    if not quiet:
        click.echo(f"dedup: {summary.line()}", err=True)
    sys.exit(2 if summary.errors else 0)


def _check_or_fix(inputs: tuple[str, ...], fix: bool, quiet: bool, input_format: str,
                  flags: dict[str, Any]) -> int:
    settings = _settings(flags)
    cleaner = Cleaner(settings.config)
    summary = Summary()
    found = changed = 0
    for source, result in _documents(cleaner, settings, inputs, input_format, summary):
        if not result.removed:
            continue
        found += 1
        for line in _removal_lines(result):
            click.echo(line)
        if fix and source.path != STDIN:
            text = result.html if result.format == "html" else result.text
            try:
                atomic_write(source.path, _encode(result, text))
            except OSError as exc:
                summary.errors += 1
                _error(f"{source.path}: {exc.strerror or exc}")
                continue
            changed += 1
            click.echo(f"Fixed {source.path}", err=True)
    if not quiet:
        click.echo(f"dedup: {summary.line()}", err=True)
    if summary.errors:
        return 2
    return 1 if (changed if fix else found) else 0


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@_input_options
@_config_options
def check(inputs: tuple[str, ...], quiet: bool, input_format: str, **flags: Any) -> None:
    """Report echoes as ``path:line:`` lines; exit 1 when any file holds one."""
    sys.exit(_check_or_fix(inputs, False, quiet, input_format, flags))


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@_input_options
@_config_options
def fix(inputs: tuple[str, ...], quiet: bool, input_format: str, **flags: Any) -> None:
    """Remove echoes in place (atomically); exit 1 when a file changed."""
    sys.exit(_check_or_fix(inputs, True, quiet, input_format, flags))

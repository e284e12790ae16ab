"""The ``dedup`` command: thin shells over the pipeline that map errors to one-line messages.

Exit codes: 0 success, 1 echoes found (check) or files changed (fix), 2 usage or input
errors (the other inputs are still processed).
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..config import Config, find_config, read_config
from ..errors import ConfigError
from ..io.atomic import AtomicWriter, atomic_write
from ..io.inputs import DEFAULT_INCLUDE, STDIN, expand
from ..io.records import tasks
from ..report import REPORT_FORMATS, ReportWriter, Summary, format_for_path
from ..run.local import run
from ..run.records import Options, Outcome

_SUFFIXES = {"text": ".txt", "html": ".html", "markdown": ".md", "json": ".json"}
# Options a config file may set besides the Config fields.
_FILE_ONLY = ("include", "exclude")


# ---------------------------------------------------------------- options


def _options(*decorators: Callable) -> Callable:
    def apply(f: Callable) -> Callable:
        for decorator in reversed(decorators):
            f = decorator(f)
        return f

    return apply


_config_options = _options(
    click.option("--jaccard", type=click.FloatRange(0, 1, min_open=True),
                 help="Exact shingle Jaccard similarity that makes two blocks copies. [0.8]"),
    click.option("--containment", type=click.FloatRange(0, 1, min_open=True),
                 help="Share of a block that must lie inside the kept one to be its echo. [0.97]"),
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
    click.option("--max-bytes", type=click.IntRange(1),
                 help="Refuse a document (or JSONL line) larger than this. [67108864]"),
    click.option("--max-blocks", type=click.IntRange(1),
                 help="Refuse a document with more blocks than this. [250000]"),
    click.option("--max-block-chars", type=click.IntRange(1),
                 help="Keep a longer block as it is, without comparing it. [1000000]"),
    click.option("--config", "config_path", type=click.Path(dir_okay=False),
                 help="Read options from this pyproject.toml or setup.cfg instead of searching."),
)

_input_options = _options(
    click.option("--input-format",
                 type=click.Choice(["auto", "html", "text", "markdown", "jsonl", "warc"]),
                 default="auto", show_default=True,
                 help="How to read inputs; auto goes by extension (.jsonl, .warc.gz...), then content."),
    click.option("--include", multiple=True, metavar="GLOB",
                 help=f"File names to take from directories (repeatable). [{' '.join(DEFAULT_INCLUDE)}]"),
    click.option("--exclude", multiple=True, metavar="GLOB",
                 help="Paths or directory names to skip (repeatable)."),
    click.option("--field", default="text", show_default=True,
                 help="JSONL: the field holding the text to clean."),
    click.option("--html-field", metavar="FIELD",
                 help="JSONL: clean this field as raw HTML instead of --field."),
    click.option("--on-error", type=click.Choice(["pass", "skip"]), default="pass", show_default=True,
                 help="JSONL: write a line that cannot be cleaned through unchanged, or drop it."),
    click.option("-j", "--jobs", type=click.IntRange(1), default=1, show_default=True,
                 help="Worker processes (output order is kept)."),
    click.option("-q", "--quiet", is_flag=True, help="No summary line or progress on stderr."),
)


class Settings:
    """Options after merging the config file and the command line (flags win)."""

    def __init__(self, flags: dict[str, Any]) -> None:
        config_path = flags.pop("config_path", None)
        if config_path:
            path: Path | None = Path(config_path)
            section = read_config(Path(config_path))
        else:
            path, section = find_config()
        section = dict(section)
        origin = str(path) if path else "options"
        file_only = {}
        for key in list(section):
            if key.replace("-", "_") in _FILE_ONLY:
                file_only[key.replace("-", "_")] = section.pop(key)
        given = {k: v for k, v in flags.items() if v is not None}
        base = Config.from_mapping(section, origin)
        self.config = base.replace(**given) if given else base
        self.include = tuple(_as_tuple(file_only.get("include")) or DEFAULT_INCLUDE)
        self.exclude = _as_tuple(file_only.get("exclude"))


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v for v in value.replace(",", " ").split() if v)
    return tuple(str(v) for v in value)


def _settings(flags: dict[str, Any], include: tuple[str, ...], exclude: tuple[str, ...]) -> Settings:
    try:
        settings = Settings(flags)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    settings.include = include or settings.include
    settings.exclude = exclude + settings.exclude
    return settings


def _error(message: str) -> None:
    click.echo(f"dedup: error: {message}", err=True)


class Progress:
    """A one-line counter on stderr, only when stderr is a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.on = not quiet and sys.stderr.isatty()
        self.last = 0.0

    def update(self, summary: Summary) -> None:
        now = time.monotonic()
        if self.on and now - self.last > 0.2:
            self.last = now
            sys.stderr.write(f"\rdedup: {summary.documents} documents, {summary.removed} removed ")
            sys.stderr.flush()

    def done(self) -> None:
        if self.on and self.last:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _count(summary: Summary, outcome: Outcome) -> None:
    if outcome.error is not None:
        summary.errors += 1
        _error(outcome.error)
    elif outcome.document:
        summary.count(outcome.blocks, outcome.kinds, outcome.reasons)


def _stream(inputs: tuple[str, ...], settings: Settings, input_format: str, options: Options,
            jobs: int, skip: tuple[Path, ...] = ()) -> Iterator[Outcome]:
    sources = expand(inputs, settings.include, settings.exclude, skip)
    return run(tasks(sources, input_format, settings.config.max_bytes), options, jobs)


def _not_rewritable(path: str, stamp: tuple[int, int, int] | None) -> str | None:
    """Why a file must not be rewritten in place, or None when it may be."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return exc.strerror or str(exc)
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file; not rewritten"
    if not st.st_mode & 0o222:
        # Renaming over a file needs no write permission on it: honour its mode instead.
        return "read-only; not rewritten"
    if stamp is not None and (st.st_size, st.st_mtime_ns, st.st_ino) != stamp:
        return "changed while dedup was running; not rewritten"
    return None


# ---------------------------------------------------------------- sinks


class Sinks:
    """Where outputs go: stdout, one file, or one file per input under a directory.

    Files are written atomically: a failed or interrupted run leaves no half-written file.
    """

    def __init__(self, output: str | None, to_dir: bool, fmt: str | None) -> None:
        self.output, self.to_dir, self.fmt = output, to_dir, fmt
        self.current: AtomicWriter | None = None
        self.current_input = -1
        self.single: AtomicWriter | None = None
        if output and not to_dir:
            self.single = AtomicWriter(output)

    def write(self, outcome: Outcome) -> None:
        if outcome.output is None:
            return
        if self.single is not None:
            self.single.write(outcome.output)
        elif self.to_dir:
            if outcome.input != self.current_input:
                self._commit_current()
                self.current_input = outcome.input
                self.current = AtomicWriter(self._target(outcome))
            if self.current is not None:  # None: this input's target failed, said once
                self.current.write(outcome.output)
        else:
            sys.stdout.buffer.write(outcome.output)
            sys.stdout.buffer.flush()

    def _target(self, outcome: Outcome) -> Path:
        assert self.output is not None
        relative = Path(outcome.relative)
        if relative.is_absolute() or ".." in relative.parts:
            relative = Path(relative.name)  # never outside the output directory
        target = Path(self.output, relative)
        if outcome.kind == "warc":
            target = target.with_name(target.name.split(".")[0] + ".jsonl")
        elif outcome.kind == "file":
            fmt = self.fmt or ("markdown" if target.suffix in (".md", ".markdown") else "text")
            if fmt == "text" and target.suffix in (".html", ".htm", ".xhtml") or self.fmt:
                target = target.with_suffix(_SUFFIXES[fmt])
        if outcome.name != "<stdin>" and target.resolve() == Path(outcome.name).resolve():
            raise OSError(f"{target}: the output would replace its own input; not written")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def _commit_current(self) -> None:
        if self.current is not None:
            self.current.commit()
            self.current = None

    def close(self) -> None:
        self._commit_current()
        if self.single is not None:
            self.single.commit()

    def abort(self) -> None:
        for writer in (self.current, self.single):
            if writer is not None:
                writer.abort()


# ---------------------------------------------------------------- commands


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
@click.option("--output-field", metavar="FIELD",
              help="JSONL/WARC: write the cleaned text to this field. [the input field]")
@click.option("--removals-key", default="dedup", show_default=True,
              help="JSONL/WARC: key under which each record lists its removals.")
@click.option("--no-removals", is_flag=True, help="JSONL/WARC: do not add the removals key.")
@click.option("-v", "--verbose", is_flag=True, help="Print every removal on stderr.")
@_input_options
@_config_options
def clean(inputs: tuple[str, ...], output: str | None, fmt: str | None, report_path: str | None,
          report_format: str | None, output_field: str | None, removals_key: str,
          no_removals: bool, verbose: bool, input_format: str, include: tuple[str, ...],
          exclude: tuple[str, ...], field: str, html_field: str | None, on_error: str, jobs: int,
          quiet: bool, **flags: Any) -> None:
    """Clean INPUT files, directories or globs (``-`` or nothing: stdin).

    Text, Markdown and HTML files are documents; JSONL files are streams of records
    (one cleaned field each) and WARC files streams of HTML responses (written as JSONL).
    """
    settings = _settings(flags, include, exclude)
    kind = None
    if report_path:
        kind = report_format or format_for_path(report_path)
        if kind is None:
            raise click.UsageError(f"cannot tell the report format of {report_path}; use --report-format")
    several = len(inputs) > 1 or any(os.path.isdir(i) or not os.path.exists(i) for i in inputs if i != STDIN)
    to_dir = output is not None and (several or os.path.isdir(output))
    options = Options(
        settings.config, "clean", _document_format(input_format), fmt, kind,
        keep_encoding=output is not None, field=field, html_field=html_field,
        output_field=output_field, removals_key=None if no_removals else removals_key,
        on_error=on_error,
    )
    summary = Summary()
    progress = Progress(quiet)
    sinks = Sinks(output, to_dir, fmt)
    report_file: AtomicWriter | None = AtomicWriter(report_path) if report_path else None
    report = ReportWriter(kind, _Text(report_file)) if report_file and kind else None
    try:
        skip = (Path(output),) if to_dir and output else ()
        for outcome in _stream(inputs, settings, input_format, options, jobs, skip):
            _count(summary, outcome)
            if outcome.error is None and report is not None and outcome.report is not None:
                report.add(outcome.report)
            if verbose:
                for line in outcome.messages:
                    click.echo(line, err=True)
            try:
                sinks.write(outcome)
            except OSError as exc:
                summary.errors += 1
                _error(f"{exc.filename or output}: {exc.strerror or exc}")
            progress.update(summary)
        sinks.close()
        if report is not None and report_file is not None:
            report.close(summary)
            report_file.commit()
    except BaseException:
        sinks.abort()
        if report_file is not None:
            report_file.abort()
        raise
    finally:
        progress.done()
    if not quiet:
        click.echo(f"dedup: {summary.line()}", err=True)
    sys.exit(2 if summary.errors else 0)


class _Text:
    """A text view of an AtomicWriter, for the report writer."""

    def __init__(self, writer: AtomicWriter) -> None:
        self.writer = writer

    def write(self, text: str) -> int:
        self.writer.write(text.encode("utf-8"))
        return len(text)


def _document_format(input_format: str) -> str | None:
    return input_format if input_format in ("html", "text", "markdown") else None


def _check_or_fix(inputs: tuple[str, ...], fix: bool, input_format: str, include: tuple[str, ...],
                  exclude: tuple[str, ...], field: str, html_field: str | None, jobs: int,
                  quiet: bool, flags: dict[str, Any]) -> int:
    settings = _settings(flags, include, exclude)
    options = Options(settings.config, "fix" if fix else "check", _document_format(input_format),
                      field=field, html_field=html_field, keep_encoding=True)
    summary = Summary()
    progress = Progress(quiet)
    found: set[int] = set()
    changed = 0
    stream_writer: AtomicWriter | None = None
    stream_input, stream_changed, stream_path = -1, False, ""
    stream_stamp: tuple[int, int, int] | None = None


    def finish_stream() -> None:
        nonlocal stream_writer, changed
        if stream_writer is None:
            return
        reason = _not_rewritable(stream_path, stream_stamp) if stream_changed else None
        if reason:
            stream_writer.abort()
            summary.errors += 1
            _error(f"{stream_path}: {reason}")
        elif stream_changed:
            stream_writer.commit()
            changed += 1
            click.echo(f"Fixed {stream_path}", err=True)
        else:
            stream_writer.abort()
        stream_writer = None

    try:
        for outcome in _stream(inputs, settings, input_format, options, jobs):
            _count(summary, outcome)
            progress.update(summary)
            for line in outcome.messages:
                click.echo(line)
            if outcome.messages:
                found.add(outcome.input)
            if not fix:
                continue
            if outcome.kind == "warc":
                continue  # archives are checked, never rewritten
            if outcome.kind == "jsonl":
                if outcome.input != stream_input:
                    finish_stream()
                    if outcome.name == "<stdin>":
                        continue
                    stream_input, stream_changed, stream_path = outcome.input, False, outcome.name
                    stream_stamp = outcome.stamp
                    stream_writer = AtomicWriter(outcome.name)
                if stream_writer is not None and outcome.output is not None:
                    stream_writer.write(outcome.output)
                    stream_changed = stream_changed or outcome.changed
                continue
            finish_stream()
            if outcome.output is not None and outcome.name != "<stdin>":
                reason = _not_rewritable(outcome.name, outcome.stamp)
                if reason:
                    summary.errors += 1
                    _error(f"{outcome.name}: {reason}")
                    continue
                try:
                    atomic_write(outcome.name, outcome.output)
                except OSError as exc:
                    summary.errors += 1
                    _error(f"{outcome.name}: {exc.strerror or exc}")
                    continue
                changed += 1
                click.echo(f"Fixed {outcome.name}", err=True)
        finish_stream()
    except BaseException:
        if stream_writer is not None:
            stream_writer.abort()
        raise
    finally:
        progress.done()
    if not quiet:
        click.echo(f"dedup: {summary.line()}", err=True)
    if summary.errors:
        return 2
    return 1 if (changed if fix else found) else 0


_hook_options = _options(
    click.argument("inputs", nargs=-1, required=True),
    _input_options,
    _config_options,
)


@main.command()
@_hook_options
def check(inputs: tuple[str, ...], input_format: str, include: tuple[str, ...],
          exclude: tuple[str, ...], field: str, html_field: str | None, on_error: str, jobs: int,
          quiet: bool, **flags: Any) -> None:
    """Print ``path:line:`` for every echo; exit 1 when any file holds one."""
    sys.exit(_check_or_fix(inputs, False, input_format, include, exclude, field, html_field,
                           jobs, quiet, flags))


@main.command()
@_hook_options
def fix(inputs: tuple[str, ...], input_format: str, include: tuple[str, ...],
        exclude: tuple[str, ...], field: str, html_field: str | None, on_error: str, jobs: int,
        quiet: bool, **flags: Any) -> None:
    """Remove echoes in place, atomically; exit 1 when a file changed.

    JSONL files are rewritten record by record (the cleaned field only); WARC files are
    archives and are only checked.
    """
    sys.exit(_check_or_fix(inputs, True, input_format, include, exclude, field, html_field,
                           jobs, quiet, flags))


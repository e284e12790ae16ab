"""The ``dedup`` command: thin shells over the pipeline that map errors to one-line messages.

Exit codes: 0 success, 1 echoes found (check) or files changed (fix), 2 usage or input
errors (the other inputs are still processed).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

import click

from .. import __version__
from ..config import Config
from ..errors import InputError
from ..io.atomic import AllOrNothing, AtomicWriter
from ..io.formats import DOCUMENTS, SUFFIXES, Format, document_format, format_of, is_compressed
from ..io.records import Origin, TaskKind, tasks
from ..report import ReportWriter, Summary
from ..run.files import by_file, file_options, has_echoes, rewrite
from ..run.local import run
from ..run.records import Mode, Options, Outcome
from .options import (
    Output,
    Reading,
    config_options,
    on_error_option,
    output_options,
    reading_options,
    run_options,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def main() -> None:
    """Remove duplicate paragraphs and caption echoes from scraped articles."""


@main.command()
@output_options
@reading_options(required=False)
@on_error_option
@run_options
@config_options
def clean(output: Output, reading: Reading, config: Config, jobs: int, quiet: bool) -> None:
    """Clean INPUT files, directories or globs (``-`` or nothing: stdin).

    Text, Markdown and HTML files are documents; JSONL files are streams of records
    (one cleaned field each) and WARC files streams of HTML responses (written as JSONL).
    """
    kind = output.report_kind()
    to_dir = output.output is not None and (reading.several() or os.path.isdir(output.output))
    options = Options(
        config,
        Mode.CLEAN,
        document_format(reading.input_format),
        output.fmt,
        kind,
        keep_encoding=output.output is not None,
        field=reading.field,
        html_field=reading.html_field,
        output_field=output.output_field,
        removals_key=None if output.no_removals else output.removals_key,
        on_error=output.on_error,
    )
    skip = (Path(output.output),) if to_dir and output.output else ()
    with Console(quiet, "stderr" if output.verbose else None) as console:
        with (
            ReportFile(output.report_path, kind, console.summary) as report,
            Sinks(output.output, to_dir, output.fmt) as sinks,
        ):
            for outcome in console.shown(_outcomes(reading, config, options, jobs, skip)):
                report.add(outcome)
                try:
                    sinks.write(outcome)
                except OSError as exc:
                    console.error(f"{exc.filename or output.output}: {exc.strerror or exc}")
    sys.exit(console.finish())


@main.command()
@reading_options(required=True)
@run_options
@config_options
def check(reading: Reading, config: Config, jobs: int, quiet: bool) -> None:
    """Print ``path:line:`` for every echo; exit 1 when any file holds one."""
    found = False
    with Console(quiet, "stdout") as console:
        for _, outcomes in by_file(console.shown(_files(reading, config, Mode.CHECK, jobs))):
            found |= has_echoes(outcomes)
    sys.exit(console.finish() or int(found))


@main.command()
@reading_options(required=True)
@run_options
@config_options
def fix(reading: Reading, config: Config, jobs: int, quiet: bool) -> None:
    """Remove echoes in place, atomically; exit 1 when a file changed.

    JSONL files are rewritten record by record (the cleaned field only); WARC files are
    archives and are only checked.
    """
    changed = False
    with Console(quiet, "stdout") as console:
        for origin, outcomes in by_file(console.shown(_files(reading, config, Mode.FIX, jobs))):
            changed |= _fixed(console, origin, outcomes)
    sys.exit(console.finish() or int(changed))


def _outcomes(
    reading: Reading, config: Config, options: Options, jobs: int, skip: tuple[Path, ...] = ()
) -> Iterator[Outcome]:
    """Every document of every input, cleaned here or by ``jobs`` processes, in order."""
    sources = reading.sources(skip)
    return run(tasks(sources, reading.input_format, config.max_bytes), options, jobs)


def _files(reading: Reading, config: Config, mode: Mode, jobs: int) -> Iterator[Outcome]:
    """The outcomes of checking or fixing the inputs."""
    options = file_options(config, mode, reading.input_format, reading.field, reading.html_field)
    return _outcomes(reading, config, options, jobs)


def _fixed(console: Console, origin: Origin, outcomes: Iterable[Outcome]) -> bool:
    """Fix one file from its outcomes and say so; one that must not be rewritten is an error."""
    try:
        if not rewrite(outcomes):
            return False
    except InputError as exc:
        console.error(str(exc))
        return False
    except OSError as exc:
        console.error(f"{origin.name}: {exc.strerror or exc}")
        return False
    click.echo(f"Fixed {origin.name}", err=True)
    return True


# ---------------------------------------------------------------- what a run says


class Console:
    """What a run says: an error line for each failure and the summary line on stderr, a
    progress counter on a terminal, and each removal's line where asked."""

    def __init__(self, quiet: bool, messages: Literal["stdout", "stderr"] | None) -> None:
        self.quiet, self.messages = quiet, messages
        self.summary = Summary()
        self.progress = Progress(quiet)

    def __enter__(self) -> Console:
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.done()

    def error(self, message: str) -> None:
        self.summary.errors += 1
        click.echo(f"dedup: error: {message}", err=True)

    def shown(self, outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
        """The outcomes, each counted (its error said) and its removals shown as it passes."""
        for outcome in outcomes:
            if outcome.error is not None:
                self.error(outcome.error)
            elif outcome.counts is not None:
                counts = outcome.counts
                self.summary.count(counts.blocks, counts.kinds, counts.reasons)
            self.progress.update(self.summary)
            if self.messages is not None:
                for line in outcome.messages:
                    click.echo(line, err=self.messages == "stderr")
            yield outcome

    def finish(self) -> int:
        """Say the summary (unless quiet); the exit code: 2 after any error, else 0."""
        if not self.quiet:
            click.echo(f"dedup: {self.summary.line()}", err=True)
        return 2 if self.summary.errors else 0


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


# ---------------------------------------------------------------- where clean writes


class Sinks(AllOrNothing):
    """Where outputs go: stdout, one file, or one file per input under a directory.

    Files are written atomically: a failed or interrupted run leaves no half-written file.
    """

    def __init__(self, output: str | None, to_dir: bool, fmt: Format | None) -> None:
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
            if outcome.origin.input != self.current_input:
                self._commit_current()
                self.current_input = outcome.origin.input
                self.current = AtomicWriter(self._target(outcome.origin))
            if self.current is not None:  # None: this input's target failed, said once
                self.current.write(outcome.output)
        else:
            sys.stdout.buffer.write(outcome.output)
            sys.stdout.buffer.flush()

    def _target(self, origin: Origin) -> Path:
        assert self.output is not None
        relative = Path(origin.source.relative)
        if relative.is_absolute() or ".." in relative.parts:
            relative = Path(relative.name)  # never outside the output directory
        target = output_name(Path(self.output, relative), origin.kind, self.fmt)
        if origin.name != "<stdin>" and target.resolve() == Path(origin.name).resolve():
            raise OSError(f"{target}: the output would replace its own input; not written")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def _commit_current(self) -> None:
        if self.current is not None:
            self.current.commit()
            self.current = None

    def commit(self) -> None:
        self._commit_current()
        if self.single is not None:
            self.single.commit()

    def abort(self) -> None:
        for writer in (self.current, self.single):
            if writer is not None:
                writer.abort()


def output_name(target: Path, kind: TaskKind, fmt: Format | None) -> Path:
    """The name of an input's output file in an output directory.

    A stream's output is JSONL (a WARC file's named after its first name part); a document
    takes the suffix of the format it is written in (``fmt``, else text for HTML) when its
    extension says another.
    """
    if kind is TaskKind.WARC:
        return target.with_name(target.name.split(".")[0] + SUFFIXES[Format.JSONL])
    if kind is TaskKind.JSONL:
        return target.with_suffix("") if is_compressed(target.name) else target
    own = format_of(target.name)
    written = fmt or (Format.MARKDOWN if own is Format.MARKDOWN else Format.TEXT)
    if fmt is not None or (own is not None and own in DOCUMENTS and own is not written):
        return target.with_suffix(SUFFIXES[written])
    return target


class ReportFile(AllOrNothing):
    """The ``--report`` file: each document's part as it passes, then the summary; written
    whole (atomically) when the run ends, or not at all when it fails."""

    def __init__(self, path: str | None, kind: str | None, summary: Summary) -> None:
        self.file = AtomicWriter(path) if path and kind else None
        # The report writer only ever writes to its stream.
        text = _Text(self.file) if self.file else None
        self.writer = ReportWriter(kind, text) if text and kind else None
        self.summary = summary

    def add(self, outcome: Outcome) -> None:
        if self.writer is not None and outcome.error is None and outcome.report is not None:
            self.writer.add(outcome.report)

    def commit(self) -> None:
        if self.file is None or self.writer is None:
            return
        try:
            self.writer.close(self.summary)
        except BaseException:
            self.file.abort()
            raise
        self.file.commit()

    def abort(self) -> None:
        if self.file is not None:
            self.file.abort()


class _Text:
    """A text view of an AtomicWriter, for the report writer."""

    def __init__(self, writer: AtomicWriter) -> None:
        self.writer = writer

    def write(self, text: str) -> int:
        self.writer.write(text.encode("utf-8"))
        return len(text)

"""The ``dedup`` command: thin shells over the pipeline that map errors to one-line messages.

Exit codes: 0 success, 1 echoes found (check) or files changed (fix), 2 usage or input
errors (the other inputs are still processed).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, NoReturn

import click

from .. import __version__, core
from ..config import Config
from ..errors import DedupError, InputError
from ..io.atomic import AllOrNothing, AtomicWriter
from ..io.formats import (
    DOCUMENTS,
    SUFFIXES,
    Format,
    document_format,
    format_of,
    is_compressed,
)
from ..io.inputs import STDIN, Source
from ..io.records import Origin, TaskKind, tasks
from ..model import StrEnum
from ..report import ReportWriter, Summary
from ..run.files import by_file, file_options, rewrite, would_change, writable
from ..run.local import run
from ..run.records import Finding, Mode, Options, Outcome, rewritable
from .options import (
    EnumChoice,
    Output,
    Reading,
    config_options,
    on_error_option,
    output_options,
    reading_options,
    run_options,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
# (which implementation of the hot loops runs: "compiled core" or "pure Python")
@click.version_option(
    __version__, prog_name="dedup", message=f"%(prog)s, version %(version)s ({core.NAME})"
)
def main() -> None:
    """Remove duplicate paragraphs and caption echoes from scraped articles."""


@main.command()
@output_options
@reading_options(required=False)
@on_error_option
@run_options
@config_options
def clean(output: Output, reading: Reading, config: Config, jobs: int, quiet: bool) -> None:
    """Clean INPUT files, directories or globs (- or nothing: stdin).

    Text, Markdown and HTML files are documents; JSONL files are streams of records
    (one cleaned field each) and WARC files streams of HTML responses (written as JSONL).
    Standard input whose first line is a JSON object is read as JSONL.
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
    if output.output and output.report_path and _same_file(output.output, output.report_path):
        raise click.UsageError(f"{output.report_path}: the report would overwrite the output")
    with Console(quiet, "stderr" if output.verbose else None) as console:
        # Where nothing can be written, nothing is read: one line, and the usage error's 2.
        try:
            report_file = ReportFile(output.report_path, kind, console.summary)
        except OSError as exc:
            _cannot_write(output.report_path, exc)
        try:
            sink = Sinks(output.output, to_dir, output.fmt)
        except OSError as exc:
            report_file.abort()
            _cannot_write(output.output, exc)
        with report_file as report, sink as sinks:
            for outcome in console.shown(_outcomes(console, reading, options, jobs, skip)):
                report.add(outcome)
                try:
                    sinks.write(outcome)
                except BrokenPipeError:
                    # The reader of the output has gone (``| head``): stop, quietly, as cat
                    # does; click exits 1 without a word, and no half report is left.
                    raise
                except OSError as exc:
                    console.error(f"{exc.filename or output.output}: {exc.strerror or exc}")
    sys.exit(console.finish())


@main.command()
@reading_options(required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Write here instead of stdout (a directory when there are several inputs).",
)
@click.option(
    "--index",
    "index_path",
    metavar="PATH|URL",
    help="The index of what earlier runs kept: a file (created when missing), or a shared "
    "one at redis://HOST:PORT/N (one writer at a time). [this run only]",
)
@click.option(
    "--site-field",
    metavar="FIELD",
    help="JSONL: the field naming a record's site. [the host of its url field]",
)
@click.option(
    "--order-field",
    metavar="FIELD",
    help="JSONL: keep the first copy in this field's order (a date, a number), then the "
    "input's; records without it come last. Output stays in input order. [input order]",
)
@click.option(
    "--boilerplate-min-docs",
    type=click.IntRange(2),
    default=3,
    show_default=True,
    help="A repeat in this many documents of one site or more is boilerplate.",
)
@click.option(
    "--boilerplate",
    "furniture",
    type=click.Choice(["keep", "drop"]),
    default="keep",
    show_default=True,
    help="drop: also remove the first copy of each boilerplate text (site furniture, "
    "nobody's content), naming its first repeat. Reads the input twice.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    help="Write a report here (HTML when its name ends in .html, else JSON): each "
    "document's removals with their twins, and the boilerplate found.",
)
@click.option(
    "--removals-key", default="dedup", show_default=True, help="JSONL: the removals' key."
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where documents are cleaned of their own echoes and keyed: here (in --jobs "
    "processes), or on Dask (a LocalCluster of --jobs workers, or --scheduler's); "
    "matching stays here, in order.",
)
@click.option("--scheduler", metavar="ADDRESS", help="The Dask scheduler to use (--engine dask).")
@run_options
@config_options
def corpus(
    reading: Reading,
    config: Config,
    jobs: int,
    quiet: bool,
    output: str | None,
    index_path: str | None,
    site_field: str | None,
    order_field: str | None,
    boilerplate_min_docs: int,
    furniture: str,
    report_path: str | None,
    removals_key: str,
    engine: str,
    scheduler: str | None,
) -> None:
    """Remove blocks repeated across documents: each document is cleaned of its own
    echoes as clean does, then of every block an earlier document (or, with --index, an
    earlier run) kept. The first copy in input order stays; each removal names its twin's
    document and block. Documents are cleaned in --jobs processes and matched in
    order, in this one: the output is the same for any --jobs.
    """
    from ..corpus import Corpus
    from .corpus import CorpusHtmlReport, CorpusReport, Reordered, corpus_outcomes

    to_dir = output is not None and (reading.several() or os.path.isdir(output))
    if furniture == "drop" and "-" in reading.inputs:
        raise click.UsageError("--boilerplate drop reads its input twice: not standard input")
    with Console(quiet, None) as console:
        try:
            index = Corpus(config, index_path, boilerplate_min_docs=boilerplate_min_docs)
        except DedupError as exc:
            console.error(str(exc))
            sys.exit(console.finish())
        try:
            report = AtomicWriter(report_path) if report_path else None
        except OSError as exc:
            index.close()
            _cannot_write(report_path, exc)
        try:
            sink = Sinks(output, to_dir, None)
        except OSError as exc:
            index.close()
            if report is not None:
                report.abort()
            _cannot_write(output, exc)
        with index, sink as sinks, report or _Nothing():
            # The report's documents are written as they come: memory holds none of them.
            writing: CorpusReport | CorpusHtmlReport | None = None
            if report is not None and report_path:
                html = report_path.lower().endswith((".html", ".htm"))
                writing = CorpusHtmlReport(report) if html else CorpusReport(report)
            sources = console.counted(
                reading.sources((Path(output),) if to_dir and output else ()), reading.inputs
            )
            skip = (Path(output),) if to_dir and output else ()
            found = tasks(sources, reading.input_format, config.max_bytes, reading.records)
            with (
                _collecting_seldom(index.batch),
                _engine(engine, scheduler, jobs) as prepare_in,
                Reordered(order_field) as order,
            ):
                if furniture == "drop":
                    index.drop = _furniture(
                        reading,
                        config,
                        skip,
                        site_field,
                        order_field,
                        boilerplate_min_docs,
                        prepare_in,
                    )
                pairs = corpus_outcomes(
                    index, order.tasks(found), reading, site_field, removals_key, engine=prepare_in
                )
                for outcome, part in console.shown_pairs(pairs):
                    if part is not None and writing is not None:
                        writing.add(part)
                    order.write(outcome, sinks.write)
                order.finish(sinks.write)
            if writing is not None:
                writing.finish(index, console.summary)
    sys.exit(console.finish())


@contextlib.contextmanager
def _collecting_seldom(batch: int) -> Iterator[None]:
    """Fewer passes of the cyclic garbage collector in the matching process: at its default
    thresholds it ran a pass every 700 allocations over the run's state (the remembered kept
    blocks, the batch in hand), an eighth of the matching's time. What the run allocates
    holds no cycles; what was there before it (modules, compiled patterns) is set apart
    while it runs. A pass comes once the objects made outnumber those let go by 200 a
    document of a batch: a batch in hand holds some 50 a document, and at a threshold
    below that each batch brought a pass over all of it (2.6 s at a million paragraphs)."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(50_000, 200 * batch), 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _furniture(
    reading: Reading,
    config: Config,
    skip: tuple[Path, ...],
    site_field: str | None,
    order_field: str | None,
    min_docs: int,
    engine: Any,
) -> dict[tuple[str, int], tuple[str, int]]:
    """The boilerplate of the input, found by a first run over it (this run's index only,
    nothing written, nothing said): each text's first copy, with its first repeat."""
    from ..corpus import Corpus
    from .corpus import Reordered, corpus_outcomes

    with (
        Corpus(config, None, boilerplate_min_docs=min_docs) as first,
        Reordered(order_field) as order,
    ):
        found = tasks(
            reading.sources(skip), reading.input_format, config.max_bytes, reading.records
        )
        for _ in corpus_outcomes(first, order.tasks(found), reading, site_field, "", engine=engine):
            pass
        return first.boilerplate_keepers()


@contextlib.contextmanager
def _engine(name: str, scheduler: str | None, jobs: int) -> Iterator[Any]:
    """The engine that prepares corpus documents: None (here), ``jobs`` processes, or a
    Dask client's."""
    if name != "dask":
        from .corpus import InProcesses

        yield InProcesses(jobs) if jobs > 1 else None
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise click.UsageError("--engine dask needs Dask: pip install 'dedup[dask]'") from None
    from .corpus import OnDask, below_matching

    if scheduler:
        with Client(scheduler) as client:
            yield OnDask(client)
        return
    with (
        LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(below_matching)  # (a cluster of this machine's cores)
        yield OnDask(client)


def _same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _cannot_write(path: str | None, exc: OSError) -> NoReturn:
    click.echo(f"dedup: error: {path}: cannot write here: {exc.strerror or exc}", err=True)
    sys.exit(2)


class CheckFormat(StrEnum):
    """How ``check`` lists what it finds."""

    TEXT = "text"  # path:line: would remove ... (one line each)
    GITHUB = "github"  # GitHub Actions annotations, shown on the lines of a pull request
    JSON = "json"  # one JSON array


@main.command()
@reading_options(required=True)
@click.option(
    "--output-format",
    type=EnumChoice(list(CheckFormat)),
    default="text",
    show_default=True,
    help="text: path:line lines; github: annotations in a GitHub Actions log; json: an array.",
)
@click.option(
    "--statistics", is_flag=True, help="Count the echoes by kind and rule instead of listing them."
)
@click.option(
    "--index",
    "index_path",
    metavar="PATH|URL",
    help="Also find blocks that repeat a document of this corpus index (dedup corpus "
    "--index: a file, or redis://HOST:PORT/N); it is only read.",
)
@run_options
@config_options
def check(
    reading: Reading,
    config: Config,
    jobs: int,
    quiet: bool,
    output_format: CheckFormat,
    statistics: bool,
    index_path: str | None,
) -> None:
    """Print path:line for every echo, removing nothing; exit 1 when any file holds one."""
    found = False
    listed: list[dict[str, Any]] = []
    with Console(quiet, None, dry=True) as console:
        checked = (
            _against(console, reading, config, index_path)
            if index_path
            else console.shown(_files(console, reading, config, Mode.CHECK, jobs))
        )
        for _, outcomes in by_file(checked):
            for outcome in outcomes:
                found |= bool(outcome.findings)
                for finding in () if statistics else outcome.findings:
                    if output_format is CheckFormat.JSON:
                        listed.append(finding.as_dict())
                    elif output_format is CheckFormat.GITHUB:
                        click.echo(github_annotation(finding))
                    else:
                        console.finding(finding)
    if statistics:
        _statistics(console.summary, output_format)
    elif output_format is CheckFormat.JSON:
        click.echo(json.dumps(listed, ensure_ascii=False, indent=2))
    sys.exit(console.finish() or int(found))


def _against(
    console: Console, reading: Reading, config: Config, index_path: str
) -> Iterator[Outcome]:
    """Checking against a corpus index: each document's own echoes and what repeats a
    document of the index (or an earlier input), in order, in this process."""
    from ..corpus import Corpus
    from .corpus import corpus_outcomes

    try:
        corpus = Corpus(config, index_path, keep=False)
    except DedupError as exc:
        console.error(str(exc))
        return
    with corpus:
        sources = console.counted(reading.sources(), reading.inputs)
        found = tasks(sources, reading.input_format, config.max_bytes, reading.records)
        pairs = corpus_outcomes(corpus, found, reading, None, "dedup", check=True)
        yield from console.shown(outcome for outcome, _ in pairs)


def github_annotation(finding: Finding) -> str:
    """A finding as a GitHub Actions workflow command: an error on its file and line."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    title = f"dedup ({finding.kind}, {finding.reason})"
    message = finding.message().removeprefix(f"{finding.where}: ")
    return f"::error file={prop(finding.path)},line={finding.line},title={prop(title)}::{data(message)}"


def _statistics(summary: Summary, output_format: CheckFormat) -> None:
    """The echoes counted by kind and rule, most first (ruff's ``--statistics``)."""
    pairs = sorted(summary.by_pair.items(), key=lambda item: (-item[1], item[0]))
    if output_format is CheckFormat.JSON:
        rows = [{"count": n, "kind": kind, "rule": rule} for (kind, rule), n in pairs]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(str(n)) for _, n in pairs), default=1)
    kinds = max((len(kind) for (kind, _), _ in pairs), default=1)
    for (kind, rule), n in pairs:
        click.echo(f"{n:>{width}}  {kind:<{kinds}}  {rule}")


@main.command()
@reading_options(required=True)
@click.option(
    "--diff", is_flag=True, help="Print a unified diff of what would change; change nothing."
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Change nothing; name each file that would change and exit 1 if any would.",
)
@run_options
@config_options
def fix(
    reading: Reading, config: Config, jobs: int, quiet: bool, diff: bool, check_only: bool
) -> None:
    """Remove echoes in place, atomically; exit 1 when a file changed (or would).

    JSONL files are rewritten record by record (the cleaned field only); WARC files are
    archives and are only checked.
    """
    changed = left = False
    dry = diff or check_only
    with Console(quiet, None, dry=dry) as console:
        outcomes = console.shown(_files(console, reading, config, Mode.FIX, jobs))
        for origin, group in by_file(outcomes):
            # Each removal is said as it passes: "removed" only where the file can be
            # rewritten (a read-only file's are what would go; its error follows).
            said = None if dry else console
            counted = _Counted(group, said, writable(origin.source.path))
            if dry:
                changed |= _would_fix(console, origin, counted, diff)
            else:
                changed |= _fixed(console, origin, counted)
            echoes = counted.echoes
            if echoes and not rewritable(origin):
                # An archive, a compressed stream, stdin: found, never fixed; as check, 1.
                left = True
                console.say(
                    f"{origin.name}: {echoes} echo{'es' * (echoes != 1)} left; "
                    "fix does not rewrite archives, compressed streams or standard input"
                )
    sys.exit(console.finish() or int(changed or left))


class _Nothing(AllOrNothing):
    """No output: the place of one not asked for in a ``with``."""

    def commit(self) -> None:
        pass

    def abort(self) -> None:
        pass


class _Counted:
    """One file's outcomes as they pass, counting their echoes, and saying them on
    ``console`` when given (as what would go, unless ``writable``)."""

    def __init__(
        self, outcomes: Iterable[Outcome], console: Console | None = None, writable: bool = True
    ) -> None:
        self.outcomes, self.echoes = outcomes, 0
        self.console, self.writable = console, writable

    def __iter__(self) -> Iterator[Outcome]:
        for outcome in self.outcomes:
            self.echoes += len(outcome.findings)
            if self.console is not None:
                for finding in outcome.findings:
                    said = finding if self.writable else replace(finding, would=True)
                    self.console.finding(said)
            yield outcome


def _outcomes(
    console: Console,
    reading: Reading,
    options: Options,
    jobs: int,
    skip: tuple[Path, ...] = (),
) -> Iterator[Outcome]:
    """Every document of every input, cleaned here or by ``jobs`` processes, in order."""
    sources = console.counted(reading.sources(skip), reading.inputs)
    max_bytes = options.config.max_bytes
    return run(tasks(sources, reading.input_format, max_bytes, reading.records), options, jobs)


def _files(
    console: Console, reading: Reading, config: Config, mode: Mode, jobs: int
) -> Iterator[Outcome]:
    """The outcomes of checking or fixing the inputs."""
    options = file_options(config, mode, reading.input_format, reading.field, reading.html_field)
    return _outcomes(console, reading, options, jobs)


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
    console.say(f"Fixed {origin.name}", bold=True)
    return True


def _would_fix(console: Console, origin: Origin, outcomes: Iterable[Outcome], diff: bool) -> bool:
    """Whether fixing would rewrite one file; with ``diff``, print how."""
    try:
        hunks = would_change(origin, outcomes)
    except (InputError, OSError) as exc:
        console.error(str(exc) if isinstance(exc, InputError) else f"{origin.name}: {exc}")
        return False
    if hunks is None:
        return False
    if diff:
        for line in hunks:
            click.echo(line, nl=False)
    console.say(f"Would fix {origin.name}", bold=True)
    return True


# ---------------------------------------------------------------- what a run says


# How many records of one input may fail alike before the rest are only counted.
SAID_AGAIN = 3


def colour_wanted() -> bool | None:
    """False when the NO_COLOR convention asks for no colour (https://no-color.org);
    else None: click colours a terminal and strips colour from pipes and files."""
    return False if os.environ.get("NO_COLOR") else None


class Console:
    """What a run says: an error line for each failure and the summary line on stderr, a
    progress bar on a terminal, and each removal's line where asked."""

    def __init__(
        self, quiet: bool, messages: Literal["stdout", "stderr"] | None, dry: bool = False
    ) -> None:
        self.quiet, self.messages = quiet, messages
        self.dry = dry  # nothing is removed: the summary says what would be
        self.summary = Summary()
        self.colour = colour_wanted()
        self.progress = Progress(quiet)
        # A record's error said again by later records of the same input (a mistyped
        # --field fails every record): said SAID_AGAIN times, then counted, with the lines.
        self.repeated: dict[tuple[str, TaskKind, str], list[int]] = {}

    def __enter__(self) -> Console:
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.done()

    def say(self, text: str, err: bool = True, **style: Any) -> None:
        """A line on stderr (``err``) or stdout, styled on a terminal that takes colour."""
        self.progress.clear()
        styled = click.style(text, **style) if style and self.colour is not False else text
        click.echo(styled, err=err, color=self.colour)

    def finding(self, finding: Finding, err: bool = False) -> None:
        """A removal's line, its place in bold."""
        where = f"{finding.where}:"
        rest = finding.message().removeprefix(where)
        self.progress.clear()
        if self.colour is False:
            click.echo(where + rest, err=err, color=False)
        else:
            click.echo(click.style(where, bold=True) + rest, err=err, color=self.colour)

    def error(self, message: str, origin: Origin | None = None) -> None:
        self.summary.errors += 1
        if origin is not None and origin.kind is not TaskKind.FILE and origin.line:
            where = (
                f"{origin.name}: record {origin.line}: "
                if origin.kind is TaskKind.WARC
                else f"{origin.name}:{origin.line}: "
            )
            key = (origin.name, origin.kind, message.removeprefix(where))
            lines = self.repeated.setdefault(key, [])
            lines.append(origin.line)
            if len(lines) > SAID_AGAIN:
                return
        self._error_line(message)

    def _error_line(self, message: str) -> None:
        self.progress.clear()
        label = "dedup: error:"
        if self.colour is not False:
            label = click.style(label, fg="red", bold=True)
        click.echo(f"{label} {message}", err=True, color=self.colour)

    def warning(self, message: str) -> None:
        self.progress.clear()
        label = "dedup: warning:"
        if self.colour is not False:
            label = click.style(label, fg="yellow", bold=True)
        click.echo(f"{label} {message}", err=True, color=self.colour)

    def counted(
        self, sources: Iterator[Source | InputError], inputs: tuple[str, ...]
    ) -> Iterator[Source | InputError]:
        """The inputs, as the progress bar needs them: listed first when it shows, to know
        their total size; directories in which no file was found are said."""
        if self.progress.on:
            listed = list(sources)
            self.progress.start(listed)
            sources = iter(listed)
        seen = False
        for source in sources:
            seen = True
            yield source
        walked = [i for i in inputs if os.path.isdir(i)]
        if not seen and walked:
            # (Files named one by one and excluded are what pre-commit hooks pass: no word.)
            named = ", ".join(walked)
            self.warning(f"{named}: no input files found (see --include and --exclude)")

    def shown_pairs(self, pairs: Iterable[tuple[Outcome, Any]]) -> Iterator[tuple[Outcome, Any]]:
        """As ``shown``, for outcomes that come with something of their own."""
        for outcome, extra in pairs:
            yield next(iter(self.shown([outcome]))), extra

    def shown(self, outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
        """The outcomes, each counted (its error said) and its removals shown as it passes."""
        for outcome in outcomes:
            for warning in outcome.warnings:
                self.warning(warning)
            if outcome.error is not None:
                self.error(outcome.error, outcome.origin)
            elif outcome.counts is not None:
                counts = outcome.counts
                self.summary.count(counts.blocks, counts.kinds, counts.reasons)
            self.progress.update(self.summary, outcome.size)
            if self.messages is not None:
                for finding in outcome.findings:
                    self.finding(finding, err=self.messages == "stderr")
            yield outcome

    def finish(self) -> int:
        """Say the summary (unless quiet); the exit code: 2 after any error, else 0."""
        self.progress.done()
        for (name, kind, message), lines in self.repeated.items():
            more = lines[SAID_AGAIN:]
            if more:
                shown = ", ".join(map(str, more[:10])) + (", ..." if len(more) > 10 else "")
                records = f"{len(more)} more record{'s' * (len(more) != 1)}"
                where = "records" if kind is TaskKind.WARC else "lines"
                self._error_line(f"{name}: the same in {records} ({where} {shown}): {message}")
        if not self.quiet:
            click.echo(
                f"dedup: {self.summary.line('to remove' if self.dry else 'removed')}", err=True
            )
        return 2 if self.summary.errors else 0


class Progress:
    """A progress bar on stderr, only when stderr is a terminal: tqdm's, which gives the
    rate and the time left from the total when the inputs' sizes tell it (plain files),
    and a running count otherwise (standard input, compressed streams, archives)."""

    def __init__(self, quiet: bool) -> None:
        self.on = not quiet and sys.stderr.isatty()
        self.bar: Any = None
        self.by_bytes = False

    def start(self, sources: list[Source | InputError]) -> None:
        from tqdm import tqdm

        total = _total_size(sources)
        self.by_bytes = total is not None
        size = shutil.get_terminal_size()
        self.bar = tqdm(
            total=total,
            desc="dedup",
            unit="B" if self.by_bytes else " documents",
            unit_scale=self.by_bytes,
            unit_divisor=1024,
            file=sys.stderr,
            leave=False,
            # A terminal that reports no size (some pseudo-terminals) would hide the bar:
            # its size then comes from COLUMNS and LINES, else 80 by 24.
            ncols=size.columns,
            nrows=size.lines,
            mininterval=0.2,
        )

    def update(self, summary: Summary, size: int) -> None:
        if self.bar is None:
            return
        self.bar.set_postfix_str(
            f"{summary.documents} documents, {summary.removed} removed", refresh=False
        )
        self.bar.update(size if self.by_bytes else 1)

    def clear(self) -> None:
        """Make room for a line of text (the bar is drawn again under it)."""
        if self.bar is not None:
            self.bar.clear()

    def done(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _total_size(sources: list[Source | InputError]) -> int | None:
    """The bytes the inputs hold, when cleaning reads each byte once: plain files, not
    standard input, compressed streams or archives (whose read bytes differ)."""
    total = 0
    for source in sources:
        if isinstance(source, InputError):
            continue
        if source.path == STDIN or is_compressed(source.path):
            return None
        if format_of(source.path) is Format.WARC:
            return None
        try:
            total += os.stat(source.path).st_size
        except OSError:
            return None
    return total


# ---------------------------------------------------------------- where clean writes


class Sinks(AllOrNothing):
    """Where outputs go: stdout, one file, or one file per input under a directory.

    Files are written atomically: a failed or interrupted run leaves no half-written file.
    """

    def __init__(self, output: str | None, to_dir: bool, fmt: Format | None) -> None:
        self.output, self.to_dir, self.fmt = output, to_dir, fmt
        self.current: AtomicWriter | None = None
        self.current_input = -1
        self.taken: dict[Path, str] = {}  # each output file of the run, and whose it is
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
        mirrored = Path(self.output, relative)
        target = output_name(mirrored, origin.kind, self.fmt)
        if target != mirrored and (
            target in self.taken or Path(origin.name).with_name(target.name).exists()
        ):
            # a.html beside a.txt, a.warc beside a.jsonl: the full name, then the suffix.
            target = mirrored.with_name(mirrored.name + target.suffix)
        if target in self.taken:
            raise _unwritten(target, f"already the output of {self.taken[target]}")
        self.taken[target] = origin.name
        if origin.name != "<stdin>" and target.resolve() == Path(origin.name).resolve():
            raise _unwritten(target, "the output would replace its own input")
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


def _unwritten(target: Path, why: str) -> OSError:
    return OSError(errno.EEXIST, f"{why}; not written", str(target))


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

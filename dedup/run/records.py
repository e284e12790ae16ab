"""The cleaning step: one ``Task`` in, one ``Outcome`` out.

``process`` turns a task into plain, picklable data: the bytes to write, the lines to print,
the numbers to count. Executors (``run.local``) decide where it runs: the step never knows
its executor, and the executor never looks inside a document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ..api import Cleaner, Result
from ..config import Config
from ..errors import DedupError, InputError
from ..io.formats import REWRITABLE, Format, is_compressed
from ..io.inputs import STDIN
from ..io.records import Origin, Task, TaskKind
from ..model import Removal, StrEnum
from ..report import report_part
from ..streams import (
    cleaned_record,
    json_line,
    record_text,
    record_title,
    rendered,
    response_record,
    written_format,
)


class Mode(StrEnum):
    """What a run does with each document."""

    CLEAN = "clean"  # write it cleaned
    CHECK = "check"  # write nothing; name its echoes
    FIX = "fix"  # give its cleaned bytes, to rewrite the file in place


class OnError(StrEnum):
    """What ``clean`` writes for a JSONL line that cannot be cleaned."""

    PASS = "pass"  # the line, unchanged
    SKIP = "skip"  # nothing: the line is dropped


@dataclass(frozen=True)
class Options:
    """What to do with each document (the same for every document of a run)."""

    config: Config
    mode: Mode = Mode.CLEAN
    document_format: Format | None = None  # HTML, text or Markdown; None: guess per document
    output_format: Format | None = None  # text, HTML, Markdown or JSON; None: the input's
    report: str | None = None  # json | diff | html
    keep_encoding: bool = False  # encode output like its input (files), else UTF-8
    field: str = "text"
    html_field: str | None = None
    output_field: str | None = None
    removals_key: str | None = "dedup"
    on_error: OnError = OnError.PASS  # fixing a file never drops a line, whatever this says


@dataclass(frozen=True, slots=True)
class Counts:
    """One document's numbers for the summary: its blocks, and each removal's kind and rule."""

    blocks: int = 0
    kinds: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One removal, as ``check`` and ``clean --verbose`` say it: where the removed block
    is, what it is, and where the block it repeats is.

    ``line`` is the removed block's line in the file (for a record: the record's line in
    a JSONL file, or its number in a WARC file); ``twin_line`` the kept block's line (for
    a record: the same). ``block``/``twin_block`` are the blocks' indices (from 0, as
    in reports and a record's removals list).
    """

    path: str
    line: int
    kind: str
    reason: str
    similarity: float
    twin_line: int
    block: int
    twin_block: int
    twin_kind: str
    origin: TaskKind
    would: bool  # checking, which removes nothing
    text: str
    twin_document: str = ""  # a repeat of another document's block: that document

    @property
    def where(self) -> str:
        """``path:line``, or ``path: record N`` for a WARC response."""
        if self.origin is TaskKind.WARC:
            return f"{self.path}: record {self.line}"
        return f"{self.path}:{self.line}"

    def message(self) -> str:
        """``path:line: removed <kind> duplicating line N (similarity S)``; a record's
        removals point at blocks of the same record."""
        verb = "would remove" if self.would else "removed"
        similarity = f"(similarity {self.similarity:.2f})"
        if self.twin_document:
            return (
                f"{self.where}: {verb} {self.kind} repeating block {self.twin_block} of "
                f"{self.twin_document} {similarity}"
            )
        if self.origin is TaskKind.FILE:
            return (
                f"{self.where}: {verb} {self.kind} duplicating line {self.twin_line} {similarity}"
            )
        return (
            f"{self.where}: {verb} {self.kind} (block {self.block}) duplicating block "
            f"{self.twin_block} of the same record {similarity}"
        )

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON data (``check --output-format json``)."""
        data: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "kind": self.kind,
            "rule": self.reason,
            "similarity": round(self.similarity, 4),
            "index": self.block,
            "duplicate_of": {"index": self.twin_block, "kind": self.twin_kind},
            "text": self.text,
        }
        if self.twin_document:
            data["duplicate_of"]["document"] = self.twin_document
        elif self.origin is TaskKind.FILE:
            data["duplicate_of"]["line"] = self.twin_line
        if self.origin is not TaskKind.FILE:
            data["record"] = self.line
        return data


@dataclass(frozen=True)
class Outcome:
    """What came of one task: output bytes (None: write nothing), numbers, messages.

    ``counts`` is None for what is not a document (a blank JSONL line) and for a failure,
    which has its one-line ``error`` instead.
    """

    origin: Origin
    output: bytes | None = None
    counts: Counts | None = None
    findings: tuple[Finding, ...] = ()
    report: dict[str, Any] | str | None = None  # this document's part of the report
    error: str | None = None
    warnings: tuple[str, ...] = ()  # said on stderr; the document was still cleaned
    size: int = 0  # the bytes of input it took: a progress bar's steps

    @property
    def messages(self) -> tuple[str, ...]:
        """A line for each removal (``Finding.message``)."""
        return tuple(f.message() for f in self.findings)

    @property
    def changed(self) -> bool:
        """Whether cleaning removed anything from the document."""
        return self.counts is not None and bool(self.counts.kinds)


def process(task: Task, options: Options) -> Outcome:
    """Clean one document. Failures become an Outcome with ``error``; nothing raises."""
    outcome = _processed(task, options)
    return replace(outcome, warnings=task.warnings, size=len(task.data) + len(task.raw))


def _processed(task: Task, options: Options) -> Outcome:
    if task.error is not None:
        return _failed(task, options, task.error)
    try:
        if task.origin.kind is TaskKind.JSONL:
            return _jsonl(task, options)
        if task.origin.kind is TaskKind.WARC:
            return _warc(task, options)
        return _file(task, options)
    except DedupError as exc:
        return _failed(task, options, _named(task, str(exc)))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
        return _failed(task, options, _named(task, f"internal error: {type(exc).__name__}: {exc}"))


def _named(task: Task, message: str) -> str:
    """The message starting with where it happened: the file, and its line or record."""
    origin = task.origin
    where = task.name
    if origin.line:
        where = (
            f"{task.name}: record {origin.line}"
            if origin.kind is TaskKind.WARC
            else f"{task.name}:{origin.line}"
        )
    return message if message.startswith(task.name) else f"{where}: {message}"


def _failed(task: Task, options: Options, message: str) -> Outcome:
    # A JSONL line that cannot be cleaned passes through unchanged unless asked to skip it;
    # fixing a file never drops a line.
    passthrough = (
        task.origin.kind is TaskKind.JSONL
        and task.raw
        and (options.on_error is OnError.PASS or options.mode is Mode.FIX)
    )
    output = task.raw if passthrough and options.mode is not Mode.CHECK else None
    return Outcome(task.origin, output, error=message)


def _done(
    task: Task,
    options: Options,
    result: Result,
    output: bytes | None,
    written: str,
    title: str | None = None,
) -> Outcome:
    """The outcome of a cleaned document written in the format ``written``: its output,
    and the numbers and messages of that format's removals, and its report part
    (``title``: what the report calls the document, when not its name)."""
    removals = result.removals(written)
    counts = Counts(
        len(result.blocks),
        tuple(str(r.kind) for r in removals),
        tuple(str(r.reason) for r in removals),
    )
    # The report lists the removals of the output written, as the summary counts them.
    report = report_part(options.report, result, title, written) if options.report else None
    findings = findings_of(result, removals, task, options.mode)
    return Outcome(task.origin, output, counts, findings, report)


def rewritable(origin: Origin) -> bool:
    """Whether fixing may write over an input: a named file, uncompressed, not an archive."""
    stream = origin.kind.stream
    return (
        origin.source.path != STDIN
        and not is_compressed(origin.source.path)
        and (stream is None or stream in REWRITABLE)
    )


def findings_of(
    result: Result, removals: tuple[Removal, ...], task: Task, mode: Mode
) -> tuple[Finding, ...]:
    """Each removal's finding: at its block's line in a file, at the line (or number) of
    the record it was found in."""
    origin = task.origin
    # What fixing leaves in place (an archive, a compressed stream) is only found.
    would = mode is Mode.CHECK or (mode is Mode.FIX and not rewritable(origin))
    out = []
    for r in removals:
        block, twin = result.blocks[r.index], result.blocks[r.duplicate_of]
        at = (block.line, twin.line) if origin.kind is TaskKind.FILE else (origin.line,) * 2
        out.append(
            Finding(
                task.name,
                at[0],
                str(r.kind),
                str(r.reason),
                r.similarity,
                at[1],
                r.index,
                r.duplicate_of,
                str(twin.kind),
                origin.kind,
                would,
                r.text[:_TEXT_SHOWN],
            )
        )
    return tuple(out)


# The removed text a finding carries: enough to recognise it.
_TEXT_SHOWN = 300


def _default_format(result: Result) -> Format:
    return Format.MARKDOWN if result.format == Format.MARKDOWN else Format.TEXT


def _encode(result: Result, text: str, keep_encoding: bool) -> bytes:
    """Encode like the input (same encoding and byte-order mark) where asked and possible."""
    if keep_encoding:
        try:
            return result.bom + text.encode(result.encoding)
        except (UnicodeEncodeError, LookupError):
            pass
    return text.encode("utf-8")


@lru_cache(maxsize=4)
def cleaner_for(config: Config) -> Cleaner:
    """The one Cleaner of this process for a configuration: its parser remembers what a
    site's class names mean from page to page. Results never depend on it, only speed."""
    return Cleaner(config)


# ---------------------------------------------------------------- one document kind each


def _file(task: Task, options: Options) -> Outcome:
    result = cleaner_for(options.config).clean(
        task.data, format=options.document_format, name=task.name
    )
    return _done(task, options, result, _file_output(result, options), _written(result, options))


def _written(result: Result, options: Options) -> str:
    """The format a cleaned document is written in: what ``clean`` was asked for, else a
    text document as itself and HTML as text; ``check`` and ``fix`` keep the source's."""
    if options.mode is not Mode.CLEAN:
        return result.format
    return options.output_format or _default_format(result)


def _file_output(result: Result, options: Options) -> bytes | None:
    """A whole file's output: cleaned as asked (clean), or its fixed bytes if it changed (fix)."""
    if options.mode is Mode.CHECK:
        return None
    if options.mode is Mode.FIX:
        if not result.changed:
            return None
        return _encode(result, result.html if result.format == Format.HTML else result.text, True)
    fmt = options.output_format or _default_format(result)
    text = rendered(result, fmt)
    if text and not text.endswith("\n"):
        text += "\n"
    return _encode(result, text, options.keep_encoding and fmt != Format.JSON)


def _jsonl(task: Task, options: Options) -> Outcome:
    if not task.raw.strip():
        return Outcome(task.origin, None if options.mode is Mode.CHECK else task.raw)
    field = options.html_field or options.field
    record, value = _record(task, field)
    if value is None:
        return _no_text(task, options, record)
    # --html-field is HTML; --field is what --input-format says, else what the value reads
    # as: HTML when it starts with a tag ("<p>...", "<h1>..."), else plain text.
    fmt = Format.HTML if options.html_field else options.document_format
    result = cleaner_for(options.config).clean(
        value, format=fmt, name=f"{task.name}:{task.origin.line}"
    )
    output = _record_output(task, options, result, record, field)
    return _done(
        task, options, result, output, _field_format(result, options), record_title(record)
    )


def _no_text(task: Task, options: Options, record: dict[str, Any]) -> Outcome:
    """A record whose field is null (an extractor that found no text): a document with
    nothing in it, passed on as it is (with an empty removals list, when cleaning)."""
    if options.mode is Mode.CHECK:
        return Outcome(task.origin, None, Counts())
    key = options.removals_key if options.mode is Mode.CLEAN else None
    if key is None and not options.output_field:
        return Outcome(task.origin, task.raw, Counts())
    field = options.html_field or options.field
    out = cleaned_record(
        record,
        None,
        field=field,
        output_field=options.output_field,
        removals_key=key,
        written=Format.TEXT,
    )
    return Outcome(task.origin, json_line(out), Counts())


def _record(task: Task, field: str) -> tuple[dict[str, Any], str | None]:
    """A JSONL line's record and the text in its ``field`` (None when the field is null);
    InputError when the line is no record or the field holds no text."""
    where = f"{task.name}:{task.origin.line}"
    try:
        record = json.loads(task.raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{where}: malformed JSON: {exc}") from None
    return record, record_text(record, field, where)


def _record_output(
    task: Task, options: Options, result: Result, record: dict[str, Any], field: str
) -> bytes | None:
    """A JSONL line with its field cleaned (and the removals added, when cleaning)."""
    if options.mode is Mode.CHECK:
        return None
    written = _field_format(result, options)
    removals_key = options.removals_key if options.mode is Mode.CLEAN else None
    if not result.removals(written) and not options.output_field and removals_key is None:
        return task.raw
    out = cleaned_record(
        record,
        result,
        field=field,
        output_field=options.output_field,
        removals_key=removals_key,
        written=written,
    )
    return json_line(out)


def _field_format(result: Result, options: Options) -> str:
    """The format a JSONL field is written back in: its own kind unless ``clean`` was
    asked for another."""
    asked = options.output_format if options.mode is Mode.CLEAN else None
    return written_format(result, asked)


def _warc(task: Task, options: Options) -> Outcome:
    name = f"{task.name}: record {task.origin.line}"
    result = cleaner_for(options.config).clean(
        task.data, format=Format.HTML, name=name, content_type=task.meta.get("content_type")
    )
    output = _response_line(task, options, result) if options.mode is Mode.CLEAN else None
    written = options.output_format or Format.TEXT
    return _done(task, options, result, output, written, task.meta.get("url"))


def _response_line(task: Task, options: Options, result: Result) -> bytes:
    """A WARC response as a JSONL line: its URI, date and record id, and the cleaned text."""
    record = response_record(
        task.meta,
        result,
        field=options.output_field or options.field,
        removals_key=options.removals_key,
        written=options.output_format or Format.TEXT,
    )
    return json_line(record)

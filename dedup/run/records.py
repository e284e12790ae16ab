"""The cleaning step: one ``Task`` in, one ``Outcome`` out.

``process`` turns a task into plain, picklable data: the bytes to write, the lines to print,
the numbers to count. Executors (``run.local``) decide where it runs: the step never knows
its executor, and the executor never looks inside a document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..api import Cleaner, Result
from ..config import Config
from ..errors import DedupError, InputError
from ..io.formats import Format
from ..io.records import Origin, Task, TaskKind
from ..model import Removal, StrEnum
from ..report import report_part


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


@dataclass(frozen=True)
class Outcome:
    """What came of one task: output bytes (None: write nothing), numbers, messages.

    ``counts`` is None for what is not a document (a blank JSONL line) and for a failure,
    which has its one-line ``error`` instead.
    """

    origin: Origin
    output: bytes | None = None
    counts: Counts | None = None
    messages: tuple[str, ...] = ()
    report: dict[str, Any] | str | None = None  # this document's part of the report
    error: str | None = None

    @property
    def changed(self) -> bool:
        """Whether cleaning removed anything from the document."""
        return self.counts is not None and bool(self.counts.kinds)


def process(task: Task, options: Options) -> Outcome:
    """Clean one document. Failures become an Outcome with ``error``; nothing raises."""
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
    task: Task, options: Options, result: Result, output: bytes | None, written: str
) -> Outcome:
    """The outcome of a cleaned document written in the format ``written``: its output,
    and the numbers and messages of that format's removals, and its report part."""
    removals = result.removals(written)
    counts = Counts(
        len(result.blocks),
        tuple(str(r.kind) for r in removals),
        tuple(str(r.reason) for r in removals),
    )
    # A record's removals all point at the record's line; a file's at their blocks' lines.
    line = None if task.origin.kind is TaskKind.FILE else task.origin.line
    report = report_part(options.report, result) if options.report else None
    messages = _messages(result, removals, task.name, line)
    return Outcome(task.origin, output, counts, messages, report)


def _messages(
    result: Result, removals: tuple[Removal, ...], name: str, line: int | None = None
) -> tuple[str, ...]:
    """``path:line: removed <kind> duplicating line N (similarity S)`` for each removal."""
    out = []
    for r in removals:
        at = line if line is not None else result.blocks[r.index].line
        twin = line if line is not None else result.blocks[r.duplicate_of].line
        out.append(
            f"{name}:{at}: removed {r.kind} duplicating line {twin} (similarity {r.similarity:.2f})"
        )
    return tuple(out)


def _default_format(result: Result) -> Format:
    return Format.MARKDOWN if result.format == Format.MARKDOWN else Format.TEXT


def _rendered(result: Result, fmt: Format) -> str:
    if fmt == Format.JSON:
        return json.dumps(result.as_dict(), ensure_ascii=False)
    return result.output(fmt)


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


def _json_line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


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
    text = _rendered(result, fmt)
    if text and not text.endswith("\n"):
        text += "\n"
    return _encode(result, text, options.keep_encoding and fmt != Format.JSON)


def _jsonl(task: Task, options: Options) -> Outcome:
    if not task.raw.strip():
        return Outcome(task.origin, None if options.mode is Mode.CHECK else task.raw)
    field = options.html_field or options.field
    record, value = _record(task, field)
    # --html-field is HTML; --field is what --input-format says, else what the value reads
    # as: HTML when it starts with a tag ("<p>...", "<h1>..."), else plain text.
    fmt = Format.HTML if options.html_field else options.document_format
    result = cleaner_for(options.config).clean(
        value, format=fmt, name=f"{task.name}:{task.origin.line}"
    )
    output = _record_output(task, options, result, record, field)
    return _done(task, options, result, output, _field_format(result, options))


def _record(task: Task, field: str) -> tuple[dict[str, Any], str]:
    """A JSONL line's record and the text in its ``field``; InputError when there is none."""
    where = f"{task.name}:{task.origin.line}"
    try:
        record = json.loads(task.raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{where}: malformed JSON: {exc}") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: a record must be a JSON object")
    value = record.get(field)
    if not isinstance(value, str):
        raise InputError(f"{where}: no text in field {field!r}")
    return record, value


def _record_output(
    task: Task, options: Options, result: Result, record: dict[str, Any], field: str
) -> bytes | None:
    """A JSONL line with its field cleaned (and the removals added, when cleaning)."""
    if options.mode is Mode.CHECK:
        return None
    out_fmt = _field_format(result, options)
    target = options.output_field or field
    removals_key = options.removals_key if options.mode is Mode.CLEAN else None
    if not result.removals(out_fmt) and target == field and removals_key is None:
        return task.raw
    record[target] = _rendered(result, out_fmt)
    if removals_key is not None:
        record[removals_key] = [r.as_dict() for r in result.removals(out_fmt)]
    return _json_line(record)


def _field_format(result: Result, options: Options) -> Format:
    """The format a JSONL field is written back in: a field keeps its kind (HTML stays
    HTML, cut rather than re-rendered as text) unless ``clean`` was asked for another."""
    if options.mode is Mode.CLEAN and options.output_format:
        return options.output_format
    return Format.HTML if result.format == Format.HTML else _default_format(result)


def _warc(task: Task, options: Options) -> Outcome:
    name = f"{task.name}: record {task.origin.line}"
    result = cleaner_for(options.config).clean(
        task.data, format=Format.HTML, name=name, content_type=task.meta.get("content_type")
    )
    output = _response_line(task, options, result) if options.mode is Mode.CLEAN else None
    return _done(task, options, result, output, options.output_format or Format.TEXT)


def _response_line(task: Task, options: Options, result: Result) -> bytes:
    """A WARC response as a JSONL line: its URI, date and record id, and the cleaned text."""
    record: dict[str, Any] = {
        "url": task.meta.get("url"),
        "date": task.meta.get("date"),
        "record_id": task.meta.get("record_id"),
        options.output_field or options.field: _rendered(
            result, options.output_format or Format.TEXT
        ),
    }
    if options.removals_key is not None:
        written = options.output_format or Format.TEXT
        record[options.removals_key] = [r.as_dict() for r in result.removals(written)]
    return _json_line(record)

"""The cleaning step and its executors: one process, or N processes with order preserved.

``process`` turns one ``Task`` into one ``Outcome`` (plain, picklable data: the bytes to
write, the lines to print, the numbers to count); ``run`` decides where it runs. The step
never knows its executor, and the executor never looks inside a document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..api import Cleaner, Result
from ..config import Config
from ..errors import DedupError
from ..io.records import Task
from ..report import report_part


@dataclass(frozen=True)
class Options:
    """What to do with each document (the same for every document of a run)."""

    config: Config
    mode: str = "clean"  # clean | check | fix
    document_format: str | None = None  # html | text | markdown; None: guess per document
    output_format: str | None = None  # text | html | markdown | json; None: the input's
    report: str | None = None  # json | diff | html
    keep_encoding: bool = False  # encode output like its input (files), else UTF-8
    field: str = "text"
    html_field: str | None = None
    output_field: str | None = None
    removals_key: str | None = "dedup"
    on_error: str = "pass"  # pass | skip: what happens to a JSONL line that cannot be cleaned


@dataclass(frozen=True)
class Outcome:
    """What came of one task: output bytes (None: write nothing), messages, numbers."""

    name: str
    input: int
    kind: str
    line: int = 0
    relative: str = ""  # the input's path below the directory it was found in
    stamp: tuple[int, int, int] | None = None  # the input file as it was read
    output: bytes | None = None
    changed: bool = False
    document: bool = True  # counts as a document (a blank JSONL line does not)
    blocks: int = 0
    kinds: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    report: Any = None
    error: str | None = None


def process(task: Task, options: Options) -> Outcome:
    """Clean one document. Failures become an Outcome with ``error``; nothing raises."""
    if task.error is not None:
        return _failed(task, options, task.error)
    try:
        if task.kind == "jsonl":
            return _jsonl(task, options)
        if task.kind == "warc":
            return _warc(task, options)
        return _file(task, options)
    except DedupError as exc:
        return _failed(task, options, _named(task, str(exc)))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
        return _failed(task, options, _named(task, f"internal error: {type(exc).__name__}: {exc}"))


def _outcome(task: Task, **fields: Any) -> Outcome:
    return Outcome(task.name, task.input, task.kind, task.line, task.source.relative,
                   task.stamp, **fields)


# ---------------------------------------------------------------- one document kind each


def _named(task: Task, message: str) -> str:
    where = task.name
    if task.line:
        where = f"{task.name}: record {task.line}" if task.kind == "warc" else f"{task.name}:{task.line}"
    return message if message.startswith(task.name) else f"{where}: {message}"


def _failed(task: Task, options: Options, message: str) -> Outcome:
    # A JSONL line that cannot be cleaned passes through unchanged unless asked to skip it;
    # fixing a file never drops a line.
    passthrough = task.kind == "jsonl" and task.raw and (
        options.on_error == "pass" or options.mode == "fix"
    )
    return _outcome(task, output=task.raw if passthrough and options.mode != "check" else None,
                   error=message)


def _counts(result: Result) -> dict[str, Any]:
    return {
        "blocks": len(result.blocks),
        "kinds": tuple(str(r.kind) for r in result.removed),
        "reasons": tuple(r.reason for r in result.removed),
    }


def _messages(result: Result, name: str, line: int | None = None) -> tuple[str, ...]:
    """``path:line: removed <kind> duplicating line N (similarity S)`` for each removal."""
    out = []
    for r in result.removed:
        at = line if line is not None else result.blocks[r.index].line
        twin = line if line is not None else result.blocks[r.duplicate_of].line
        out.append(f"{name}:{at}: removed {r.kind} duplicating line {twin} "
                   f"(similarity {r.similarity:.2f})")
    return tuple(out)


def _removals(result: Result) -> list[dict[str, Any]]:
    return [r.as_dict() for r in result.removed]


def _default_format(result: Result) -> str:
    return "markdown" if result.format == "markdown" else "text"


def _rendered(result: Result, fmt: str) -> str:
    if fmt == "json":
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


def _file(task: Task, options: Options) -> Outcome:
    result = Cleaner(options.config).clean(task.data, format=options.document_format,
                                           name=task.name)
    report = report_part(options.report, result) if options.report else None
    common = dict(changed=result.changed, messages=_messages(result, task.name),
                  report=report, **_counts(result))
    if options.mode == "check":
        return _outcome(task, **common)
    if options.mode == "fix":
        output = None
        if result.changed:
            text = result.html if result.format == "html" else result.text
            output = _encode(result, text, True)
        return _outcome(task, output=output, **common)
    fmt = options.output_format or _default_format(result)
    text = _rendered(result, fmt)
    if text and not text.endswith("\n"):
        text += "\n"
    keep = options.keep_encoding and fmt != "json"
    return _outcome(task, output=_encode(result, text, keep), **common)


def _jsonl(task: Task, options: Options) -> Outcome:
    if not task.raw.strip():
        return _outcome(task, output=None if options.mode == "check" else task.raw, document=False)
    try:
        record = json.loads(task.raw)
    except (UnicodeDecodeError, ValueError) as exc:
        return _failed(task, options, f"{task.name}:{task.line}: malformed JSON: {exc}")
    if not isinstance(record, dict):
        return _failed(task, options, f"{task.name}:{task.line}: a record must be a JSON object")
    field = options.html_field or options.field
    value = record.get(field)
    if not isinstance(value, str):
        return _failed(task, options,
                       f"{task.name}:{task.line}: no text in field {field!r}")
    # --html-field is HTML; --field is what --input-format says, else what the value reads
    # as: HTML when it starts with a tag ("<p>...", "<h1>..."), else plain text.
    fmt = "html" if options.html_field else options.document_format
    result = Cleaner(options.config).clean(value, format=fmt, name=f"{task.name}:{task.line}")
    report = report_part(options.report, result) if options.report else None
    common = dict(changed=result.changed, messages=_messages(result, task.name, task.line),
                  report=report, **_counts(result))
    if options.mode == "check":
        return _outcome(task, **common)
    # A field keeps its kind: HTML stays HTML (cut, not re-rendered as text).
    out_fmt = options.output_format or ("html" if result.format == "html" else _default_format(result))
    target = options.output_field or field
    add_removals = options.removals_key is not None and options.mode == "clean"
    if not result.changed and target == field and not add_removals:
        return _outcome(task, output=task.raw, **common)
    record[target] = _rendered(result, out_fmt)
    if add_removals:
        record[options.removals_key] = _removals(result)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    return _outcome(task, output=line.encode("utf-8"),
                   **common)


def _warc(task: Task, options: Options) -> Outcome:
    name = f"{task.name}: record {task.line}"
    result = Cleaner(options.config).clean(task.data, format="html", name=name,
                                           content_type=task.meta.get("content_type"))
    report = report_part(options.report, result) if options.report else None
    common = dict(changed=result.changed, messages=_messages(result, task.name, task.line),
                  report=report, **_counts(result))
    if options.mode != "clean":
        return _outcome(task, **common)
    out_fmt = options.output_format or "text"
    record = {
        "url": task.meta.get("url"),
        "date": task.meta.get("date"),
        "record_id": task.meta.get("record_id"),
        options.output_field or options.field: _rendered(result, out_fmt),
    }
    if options.removals_key is not None:
        record[options.removals_key] = _removals(result)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    return _outcome(task, output=line.encode("utf-8"),
                   **common)

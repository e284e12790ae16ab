"""Turn inputs into a lazy stream of documents: whole files, JSONL records, WARC responses.

Nothing is read ahead: a file of any length is one line or one record at a time, so memory
stays flat however long the stream.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from ..errors import InputError
from ..model import StrEnum
from .formats import STREAMS, Format, format_of, is_compressed
from .inputs import STDIN, Rewound, Source, Stamp, piped, read_bytes, release, stamp_of
from .warc import warc_responses


class TaskKind(StrEnum):
    """What one task holds: a whole file, one JSONL record or one WARC response."""

    FILE = "file"
    JSONL = "jsonl"
    WARC = "warc"

    @property
    def noun(self) -> str:
        """What one document of this kind is called in messages."""
        return "file" if self is TaskKind.FILE else "record"

    @property
    def stream(self) -> Format | None:
        """The format of the stream a record of this kind comes from; None for a file."""
        return _STREAMS_OF_KINDS.get(self)


_STREAM_KINDS = {Format.JSONL: TaskKind.JSONL, Format.WARC: TaskKind.WARC}
_STREAMS_OF_KINDS = {kind: fmt for fmt, kind in _STREAM_KINDS.items()}


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a document came from, carried from its task to its outcome.

    ``input`` numbers the input the document came from, so outputs can be routed to one
    sink per input; ``line`` is a JSONL record's line or a WARC response's record number;
    ``stamp`` is the input file as it was read (None for stdin and for failed reads).
    """

    source: Source
    input: int
    kind: TaskKind
    line: int = 0
    stamp: Stamp | None = None

    @property
    def name(self) -> str:
        return self.source.name


@dataclass(frozen=True)
class Task:
    """One document to clean, as a worker process receives it.

    ``data`` is a file's or a WARC response's bytes, ``raw`` a JSONL record's line, ``meta``
    a WARC response's target URI, date, record id and content type. ``error`` is set when
    reading failed before any cleaning could start.
    """

    origin: Origin
    data: bytes = b""
    raw: bytes = b""
    meta: dict[str, str | None] = field(default_factory=dict)
    error: str | None = None
    warnings: tuple[str, ...] = ()  # what reading it noticed, said without failing it

    @property
    def name(self) -> str:
        return self.origin.name


def stream_format(source: Source, requested: Format | None, records: bool = False) -> Format | None:
    """JSONL or WARC when the input is a stream of records, else None (one document).

    ``requested`` is the format asked for; None goes by the file name's extension, and for
    an input whose name says no format (standard input, ``.json``, no extension) by its
    content: JSON lines when its first line is a JSON object. ``records`` (a field to clean
    was named) makes such an input JSONL whatever it holds.
    """
    fmt = requested if requested is not None else format_of(source.path)
    if fmt is None and (records or _json_lines(source)):
        return Format.JSONL
    return fmt if fmt is not None and fmt in STREAMS else None


# The start of a JSON object with a key, after any byte-order mark and white space:
# no HTML, text or Markdown document starts so.
_OBJECT_START = re.compile(rb'(?:\xef\xbb\xbf)?\s*\{\s*"')
_SNIFF_BYTES = 1 << 20


def _json_lines(source: Source) -> bool:
    """Whether an input reads as JSON lines: its first line is a JSON object (or starts
    one, when it is longer than the bytes looked at)."""
    try:
        stream = piped(source)
        if stream is not None:
            head = stream.first_line(_SNIFF_BYTES)
        else:
            with _open(source) as fh:
                head = fh.readline(_SNIFF_BYTES)
    except (InputError, OSError, EOFError):
        return False  # reading it as a document says what is wrong
    if not _OBJECT_START.match(head):
        return False
    if len(head) >= _SNIFF_BYTES and not head.endswith(b"\n"):
        return True
    try:
        return isinstance(json.loads(head), dict)
    except ValueError:
        return False


def tasks(
    sources: Iterator[Source | InputError],
    requested: Format | None,
    max_bytes: int | None = None,
    records: bool = False,
) -> Iterator[Task]:
    """Every document of every input, in order; unreadable inputs become error tasks.

    ``records``: inputs whose name says no format are JSONL (see ``stream_format``).
    """
    for number, source in enumerate(sources):
        if isinstance(source, InputError):
            missing = Origin(Source(str(source).split(":", 1)[0], ""), number, TaskKind.FILE)
            yield Task(missing, error=str(source))
            continue
        fmt = stream_format(source, requested, records)
        kind = _STREAM_KINDS[fmt] if fmt is not None else TaskKind.FILE
        try:
            if kind is TaskKind.JSONL:
                yield from _jsonl(source, number, max_bytes)
            elif kind is TaskKind.WARC:
                yield from _warc(source, number)
            else:
                data, stamp = read_bytes(source, max_bytes)
                yield Task(Origin(source, number, kind, stamp=stamp), data)
        except InputError as exc:
            yield Task(Origin(source, number, kind), error=str(exc))
        finally:
            release(source)


def _open(source: Source) -> BinaryIO:
    stream = piped(source)
    if stream is not None:
        return stream  # type: ignore[return-value]
    try:
        fh = open(source.path, "rb")  # noqa: SIM115 - closed by the caller's finally
    except OSError as exc:
        raise InputError(f"{source.path}: {exc.strerror or exc}") from None
    if is_compressed(source.path) and format_of(source.path) is not Format.WARC:
        return gzip.open(fh)  # type: ignore[return-value]
    return fh


def _jsonl(source: Source, number: int, max_bytes: int | None) -> Iterator[Task]:
    stamp = None
    if source.path != STDIN:
        try:
            stamp = stamp_of(os.stat(source.path))
        except OSError:
            pass
    fh = _open(source)
    try:
        for line_no, raw in enumerate(_lines(fh, source, max_bytes), start=1):
            origin = Origin(source, number, TaskKind.JSONL, line_no, stamp)
            if raw is None:
                yield Task(
                    origin,
                    error=f"{source.path}:{line_no}: line longer than {max_bytes} "
                    "bytes (max_bytes); skipped",
                )
            else:
                yield Task(origin, raw=raw)
    finally:
        if not isinstance(fh, Rewound):
            fh.close()


def _lines(fh: BinaryIO, source: Source, limit: int | None) -> Iterator[bytes | None]:
    """The lines of a stream; a line over ``limit`` bytes is consumed and given as None."""
    size = limit + 1 if limit is not None else -1
    try:
        while True:
            line = fh.readline(size)
            if not line:
                return
            if limit is not None and len(line) > limit and not line.endswith(b"\n"):
                while True:  # skip the rest of the overlong line without holding it
                    rest = fh.readline(1 << 20)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield None
                continue
            yield line
    except (OSError, EOFError) as exc:  # a truncated gzip stream, a read error
        raise InputError(f"{source.path}: cannot read further: {exc}") from None


def _warc(source: Source, number: int) -> Iterator[Task]:
    """The HTML responses of a WARC file (gzipped or not), one task each."""
    fh = _open(source)
    try:
        for response in warc_responses(fh, name=source.path):
            meta = {
                "url": response.url,
                "date": response.date,
                "record_id": response.record_id,
                "content_type": response.content_type,
            }
            origin = Origin(source, number, TaskKind.WARC, response.number)
            yield Task(origin, response.payload, meta=meta, warnings=response.warnings)
    finally:
        if not isinstance(fh, Rewound):
            fh.close()

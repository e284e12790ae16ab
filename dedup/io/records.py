"""Turn inputs into a lazy stream of documents: whole files, JSONL records, WARC responses.

Nothing is read ahead: a file of any length is one line or one record at a time, so memory
stays flat however long the stream.
"""

from __future__ import annotations

import gzip
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from ..errors import InputError
from ..model import StrEnum
from .formats import STREAMS, Format, format_of, is_compressed
from .inputs import STDIN, Source, Stamp, read_bytes, stamp_of

if TYPE_CHECKING:  # pragma: no cover
    from warcio.recordloader import ArcWarcRecord


class TaskKind(StrEnum):
    """What one task holds: a whole file, one JSONL record or one WARC response."""

    FILE = "file"
    JSONL = "jsonl"
    WARC = "warc"

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

    @property
    def name(self) -> str:
        return self.origin.name


def stream_format(source: Source, requested: Format | None) -> Format | None:
    """JSONL or WARC when the input is a stream of records, else None (one document).

    ``requested`` is the format asked for, None to go by the file name's extension.
    """
    fmt = requested if requested is not None else format_of(source.path)
    return fmt if fmt is not None and fmt in STREAMS else None


def tasks(
    sources: Iterator[Source | InputError], requested: Format | None, max_bytes: int | None = None
) -> Iterator[Task]:
    """Every document of every input, in order; unreadable inputs become error tasks."""
    for number, source in enumerate(sources):
        if isinstance(source, InputError):
            missing = Origin(Source(str(source).split(":", 1)[0], ""), number, TaskKind.FILE)
            yield Task(missing, error=str(source))
            continue
        fmt = stream_format(source, requested)
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


def _open(source: Source) -> BinaryIO:
    if source.path == STDIN:
        return sys.stdin.buffer
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
        if source.path != STDIN:
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


class _Counting:
    """A read-only stream that counts the bytes read through it."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh, self.count = fh, 0

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.count += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self.fh.readline(size)
        self.count += len(data)
        return data

    def drain(self) -> None:
        while self.read(1 << 16):
            pass


def _warc(source: Source, number: int) -> Iterator[Task]:
    """The HTML responses of a WARC file (gzipped or not), one task each.

    warcio stops quietly at a truncated record; the byte count read against the offset of
    the last whole record tells a cut file from a complete one.
    """
    from warcio.archiveiterator import ArchiveIterator

    fh = _open(source)
    counting = _Counting(fh)
    record_no = 0

    def failed(message: str) -> InputError:
        return InputError(f"{source.path}: record {record_no + 1}: {message}")

    try:
        iterator = ArchiveIterator(counting)
        for record in _archive_records(iterator, failed):
            if record.rec_type in ("response", "resource"):
                payload, meta = _response(record, failed)
                record_no += 1
                if "html" in (meta["content_type"] or "").lower():
                    yield Task(Origin(source, number, TaskKind.WARC, record_no), payload, meta=meta)
            else:
                record_no += 1
        counting.drain()
        if counting.count > iterator.offset + 4:  # more than the blank lines after a record
            raise failed("truncated or unreadable data after the last whole record")
    finally:
        if source.path != STDIN:
            fh.close()


def _archive_records(
    iterator: Iterator[ArcWarcRecord], failed: Callable[[str], InputError]
) -> Iterator[ArcWarcRecord]:
    """The records of an archive; one warcio cannot read raises ``failed(why)``."""
    from warcio.exceptions import ArchiveLoadFailed

    while True:
        try:
            record = next(iterator)
        except StopIteration:
            return
        except ArchiveLoadFailed as exc:
            raise failed(str(exc).splitlines()[0] if str(exc) else "unreadable record") from None
        except Exception as exc:  # noqa: BLE001 - warcio fails in many ways on a cut file
            raise failed(f"unreadable record ({type(exc).__name__}: {exc})") from None
        yield record


def _response(
    record: ArcWarcRecord, failed: Callable[[str], InputError]
) -> tuple[bytes, dict[str, str | None]]:
    """A response record's payload, and its target URI, date, record id and content type."""
    headers = record.http_headers or record.rec_headers
    meta = {
        "url": record.rec_headers.get_header("WARC-Target-URI"),
        "date": record.rec_headers.get_header("WARC-Date"),
        "record_id": record.rec_headers.get_header("WARC-Record-ID"),
        "content_type": headers.get_header("Content-Type") or "",
    }
    try:
        payload = record.content_stream().read()
    except Exception as exc:  # noqa: BLE001 - any decoding failure of one record
        raise failed(f"cannot read payload: {exc}") from None
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise failed("truncated: the file ends inside this record")
    return payload, meta

"""Turn inputs into a lazy stream of documents: whole files, JSONL records, WARC responses.

Nothing is read ahead: a file of any length is one line or one record at a time, so memory
stays flat however long the stream.
"""

from __future__ import annotations

import gzip
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ..errors import InputError
from .inputs import STDIN, Source, read_bytes

STREAM_FORMATS = ("jsonl", "warc")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz")
_WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass(frozen=True)
class Task:
    """One document to clean, as a worker process receives it.

    ``kind`` is ``file``, ``jsonl`` (one record: ``raw`` is its line) or ``warc`` (one
    response: ``meta`` holds its target URI and date). ``error`` is set when reading failed
    before any cleaning could start. ``input`` numbers the input the document came from, so
    outputs can be routed to one sink per input.
    """

    source: Source
    input: int
    kind: str
    data: bytes = b""
    line: int = 0
    raw: bytes = b""
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    stamp: tuple[int, int, int] | None = None  # the file as it was read (size, mtime, inode)

    @property
    def name(self) -> str:
        return "<stdin>" if self.source.path == STDIN else self.source.path


def stream_format(source: Source, requested: str) -> str | None:
    """``jsonl``/``warc`` when the input is a stream of records, else None (one document)."""
    if requested in STREAM_FORMATS:
        return requested
    if requested != "auto":
        return None
    lower = source.path.lower()
    if lower.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(_WARC_SUFFIXES):
        return "warc"
    return None


def tasks(sources: Iterator[Source | InputError], requested: str,
          max_bytes: int | None = None) -> Iterator[Task]:
    """Every document of every input, in order; unreadable inputs become error tasks."""
    for number, source in enumerate(sources):
        if isinstance(source, InputError):
            yield Task(Source(str(source).split(":", 1)[0], ""), number, "file", error=str(source))
            continue
        kind = stream_format(source, requested)
        try:
            if kind == "jsonl":
                yield from _jsonl(source, number, max_bytes)
            elif kind == "warc":
                yield from _warc(source, number)
            else:
                data, stamp = read_bytes(source, max_bytes)
                yield Task(source, number, "file", data, stamp=stamp)
        except InputError as exc:
            yield Task(source, number, kind or "file", error=str(exc))


def _open(source: Source) -> BinaryIO:
    if source.path == STDIN:
        return sys.stdin.buffer
    try:
        fh = open(source.path, "rb")  # noqa: SIM115 - closed by the caller's finally
    except OSError as exc:
        raise InputError(f"{source.path}: {exc.strerror or exc}") from None
    if source.path.lower().endswith(".gz") and not source.path.lower().endswith(_WARC_SUFFIXES):
        return gzip.open(fh)  # type: ignore[return-value]
    return fh


def _jsonl(source: Source, number: int, max_bytes: int | None) -> Iterator[Task]:
    stamp = None
    if source.path != STDIN:
        try:
            st = os.stat(source.path)
            stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        except OSError:
            pass
    fh = _open(source)
    try:
        for line_no, raw in enumerate(_lines(fh, source, max_bytes), start=1):
            if raw is None:
                yield Task(source, number, "jsonl", line=line_no, stamp=stamp,
                           error=f"{source.path}:{line_no}: line longer than {max_bytes} bytes "
                                 "(max_bytes); skipped")
            else:
                yield Task(source, number, "jsonl", line=line_no, raw=raw, stamp=stamp)
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
    from warcio.exceptions import ArchiveLoadFailed

    fh = _open(source)
    counting = _Counting(fh)
    record_no = 0

    def failed(message: str) -> InputError:
        return InputError(f"{source.path}: record {record_no + 1}: {message}")

    try:
        iterator = ArchiveIterator(counting)
        while True:
            try:
                record = next(iterator)
            except StopIteration:
                break
            except ArchiveLoadFailed as exc:
                raise failed(str(exc).splitlines()[0] if str(exc) else "unreadable record") from None
            except Exception as exc:  # noqa: BLE001 - warcio fails in many ways on a cut file
                raise failed(f"unreadable record ({type(exc).__name__}: {exc})") from None
            if record.rec_type not in ("response", "resource"):
                record_no += 1
                continue
            headers = record.http_headers or record.rec_headers
            content_type = headers.get_header("Content-Type") or ""
            meta = {
                "url": record.rec_headers.get_header("WARC-Target-URI"),
                "date": record.rec_headers.get_header("WARC-Date"),
                "record_id": record.rec_headers.get_header("WARC-Record-ID"),
                "content_type": content_type,
            }
            try:
                payload = record.content_stream().read()
            except Exception as exc:  # noqa: BLE001 - any decoding failure of one record
                raise failed(f"cannot read payload: {exc}") from None
            if getattr(record.raw_stream, "limit", 0) > 0:
                raise failed("truncated: the file ends inside this record")
            record_no += 1
            if "html" in content_type.lower():
                yield Task(source, number, "warc", payload, line=record_no, meta=meta)
        counting.drain()
        if counting.count > iterator.offset + 4:  # more than the blank lines after a record
            raise failed("truncated or unreadable data after the last whole record")
    finally:
        if source.path != STDIN:
            fh.close()

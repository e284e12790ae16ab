"""The HTML responses of a web archive (WARC or ARC, gzipped or not), one at a time.

warcio reads the records; this module turns what it says into one-line messages: its
errors (some start with a blank line or run over ten lines) and the warnings it writes
straight to standard error.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from warcio.recordloader import ArcWarcRecord


@dataclass(frozen=True)
class WarcResponse:
    """One HTML response of an archive: its payload (the page's bytes, decoded from any
    transfer or content encoding) and what the archive says of it.

    ``number`` counts the archive's records from 1 (requests and metadata too), as error
    messages do; ``warnings`` are what the archive reader noticed while reading up to it
    (a record not followed by its blank lines, which usually means a wrong length), a
    line each, naming the file and the record.
    """

    number: int
    url: str | None
    date: str | None
    record_id: str | None
    content_type: str
    payload: bytes
    warnings: tuple[str, ...] = ()


def warc_responses(
    source: str | os.PathLike[str] | BinaryIO, *, name: str | None = None, html_only: bool = True
) -> Iterator[WarcResponse]:
    """Every HTML response (and resource) record of a WARC or ARC file, in order.

    ``source`` is a path or a binary file object (standard input works). Records that
    are not HTML are skipped unless ``html_only`` is false. Raises InputError naming the
    file and the record when the archive cannot be read further (a cut or corrupt file);
    the responses before it have been given already.
    """
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            fh = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror or exc}") from None
        with fh:
            yield from _responses(fh, name or path, html_only)
    else:
        yield from _responses(source, name or str(getattr(source, "name", "<archive>")), html_only)


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


def _responses(fh: BinaryIO, name: str, html_only: bool) -> Iterator[WarcResponse]:
    """warcio stops quietly at a truncated record; the byte count read against the offset
    of the last whole record tells a cut file from a complete one."""
    from warcio.archiveiterator import ArchiveIterator

    counting = _Counting(fh)
    number = 0

    def failed(at: int) -> Callable[[str], InputError]:
        return lambda message: InputError(f"{name}: record {at}: {message}")

    def unreadable(message: str) -> InputError:
        return failed(number + 1)(message)  # the record after the last one read

    iterator = ArchiveIterator(counting)
    for record, said in _records(iterator, unreadable):
        number += 1
        if record.rec_type not in ("response", "resource"):
            continue
        said = tuple(f"{name}: record {number}: {w}" for w in said)
        response = _response(record, number, failed(number), said)
        if not html_only or "html" in response.content_type.lower():
            yield response
    counting.drain()
    if number == 0 and counting.count > 0:
        raise unreadable("no WARC or ARC record in it: is it a web archive?")
    if counting.count > iterator.offset + 4:  # more than the blank lines after a record
        raise unreadable("truncated or unreadable data after the last whole record")


def _records(
    iterator: Iterator[ArcWarcRecord], failed: Callable[[str], InputError]
) -> Iterator[tuple[ArcWarcRecord, tuple[str, ...]]]:
    """The records of an archive, each with what warcio wrote to standard error while
    reading up to it; a record it cannot read raises ``failed(why)``."""
    from warcio.exceptions import ArchiveLoadFailed

    while True:
        said = io.StringIO()
        try:
            with contextlib.redirect_stderr(said):
                record = next(iterator)
        except StopIteration:
            return
        except ArchiveLoadFailed as exc:
            why = one_line(str(exc)) or "unreadable record"
            if "non-chunked gzip" in why:
                why += " (`warcio recompress` rewrites it with a gzip member a record)"
            raise failed(why) from None
        except Exception as exc:  # noqa: BLE001 - warcio fails in many ways on a cut file
            raise failed(
                f"unreadable record ({type(exc).__name__}: {one_line(str(exc))})"
            ) from None
        yield record, _warnings(said.getvalue())


_NO_NEWLINE = re.compile(r"Record not followed by newline.*?Offset:\s*(\d+)", re.S)


def _warnings(text: str) -> tuple[str, ...]:
    """warcio's warnings, a line each."""
    out = []
    for m in _NO_NEWLINE.finditer(text):
        out.append(
            f"the record before offset {m.group(1)} is not followed by a blank line "
            "(its Content-Length may be wrong)"
        )
    if not out and text.strip():
        out.append(one_line(text))
    return tuple(out)


def one_line(message: str) -> str:
    """A multi-line message as one line: its first paragraph, without a level prefix."""
    paragraph: list[str] = []
    for line in message.strip().splitlines():
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    text = " ".join(paragraph)
    return re.sub(r"^(?:ERROR|WARNING):\s*", "", text)


def _response(
    record: ArcWarcRecord, number: int, failed: Callable[[str], InputError], said: tuple[str, ...]
) -> WarcResponse:
    headers = record.http_headers or record.rec_headers
    try:
        payload = record.content_stream().read()
    except Exception as exc:  # noqa: BLE001 - any decoding failure of one record
        raise failed(f"cannot read payload: {one_line(str(exc))}") from None
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise failed("truncated: the file ends inside this record")
    return WarcResponse(
        number,
        record.rec_headers.get_header("WARC-Target-URI"),
        record.rec_headers.get_header("WARC-Date"),
        record.rec_headers.get_header("WARC-Record-ID"),
        headers.get_header("Content-Type") or "",
        payload,
        said,
    )

"""Streams of documents: JSONL-style records and web archives, cleaned one at a time.

What the command line does with a JSONL file or a WARC file, for Python callers (a
pipeline step, a dataset map): the same checks, the same fields, the same output records.
Memory stays flat: records are taken and given one at a time.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO, Literal

from . import core
from .api import Cleaner, Result
from .config import Config
from .errors import ConfigError, InputError
from .io.formats import Format
from .io.warc import WarcResponse, warc_responses

__all__ = ["WarcResponse", "clean_records", "clean_warc", "warc_responses"]

_TYPE_NAMES = {
    bool: "a boolean",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "an object",
}
_ON_ERROR = ("raise", "pass", "skip")


def record_text(record: Any, field: str, where: str) -> str | None:
    """The text in a record's ``field``; None when it is null (an extractor that found no
    text). InputError, naming ``where``, when the record is no object or the field is
    missing (the message lists the fields it has) or holds something else than text."""
    if not isinstance(record, Mapping):
        raise InputError(f"{where}: a record must be a JSON object, not {type(record).__name__}")
    if field not in record:
        fields = ", ".join(repr(k) for k in list(record)[:12]) or "none"
        close = difflib.get_close_matches(field, [str(k) for k in record], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InputError(f"{where}: no field {field!r} in the record (its fields: {fields}){hint}")
    value = record[field]
    if value is not None and not isinstance(value, str):
        what = _TYPE_NAMES.get(type(value), type(value).__name__)
        raise InputError(f"{where}: field {field!r} holds {what}, not text")
    if value is not None and (half := _lone_surrogate(value)):
        # JSON may escape half of a UTF-16 pair ("\ud83d" of a cut emoji); no UTF-8 text,
        # no index and no output can hold it alone.
        raise InputError(
            f"{where}: field {field!r} holds a lone surrogate (U+{ord(half.group()):04X}) at "
            f"character {half.start()}: half of a character, not text"
        )
    return value


def _lone_surrogate(text: str) -> re.Match[str] | None:
    """The first lone surrogate in a text (none in ASCII text, which says so at no cost,
    nor in text that UTF-8 can hold: encoding it is five times as fast as the search)."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.search(text)
    return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def record_title(record: Mapping[str, Any], keys: tuple[str, ...] = ("url", "id")) -> str | None:
    """What a record is called: the first of ``keys`` it holds as a string or a number."""
    for key in keys:
        value = record.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return writable(str(value))
    return None


def writable(text: str) -> str:
    """``text`` with any lone surrogate written as its escape ("\\ud800"): a name or a
    site that UTF-8, the index and the report can hold."""
    if not _lone_surrogate(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def json_line(record: Mapping[str, Any]) -> bytes:
    """A record as one line of JSONL: what ``json`` writes without ``ensure_ascii``; or,
    for a record that holds a lone surrogate (JSON may escape one, UTF-8 holds none),
    with every character outside ASCII escaped, which reads back the same record.

    With the compiled core, a record's string keys and values are written by its
    ``json_string`` (a long text in a tenth of the time) and the rest by ``json``."""
    try:
        return _json_text(record).encode("utf-8")
    except UnicodeEncodeError:
        return (_ASCII_LINE.encode(record) + "\n").encode("ascii")


def _json_text(record: Mapping[str, Any]) -> str:
    quote = core.compiled.json_string if core.compiled is not None else None
    if quote is not None and type(record) is dict:
        parts = []
        for key, value in record.items():
            if type(key) is not str:
                break  # (json writes other keys as strings of its own making)
            if type(value) is str:
                parts.append(f"{quote(key)}: {quote(value)}")
            elif type(value) is int:
                parts.append(f"{quote(key)}: {value!r}")
            else:
                parts.append(f"{quote(key)}: {_LINE.encode(value)}")
        else:
            return "{" + ", ".join(parts) + "}\n"
    return _LINE.encode(record) + "\n"


# One encoder for every line (``json.dumps`` with an option makes one a call: an eighth of
# the time of a page's record in corpus mode). A record is parsed JSON and removals made
# here, never a structure that holds itself: no check for cycles (a sixth of the time).
_LINE = json.JSONEncoder(ensure_ascii=False, check_circular=False)
_ASCII_LINE = json.JSONEncoder(check_circular=False)


def written_format(result: Result, asked: str | None) -> str:
    """The format a record's field is written back in: what was asked, else its own kind
    (HTML stays HTML, cut rather than re-rendered as text; Markdown stays Markdown)."""
    if asked:
        return asked
    return result.format if result.format in (Format.HTML, Format.MARKDOWN) else Format.TEXT


def rendered(result: Result, fmt: str) -> str:
    """A cleaned document as a field's value; JSON is one line."""
    if fmt == Format.JSON:
        return json.dumps(result.as_dict(), ensure_ascii=False)
    return result.output(fmt)


def cleaned_record(
    record: Mapping[str, Any],
    result: Result | None,
    *,
    field: str,
    output_field: str | None,
    removals_key: str | None,
    written: str,
) -> dict[str, Any]:
    """A new record: ``record`` with the cleaned text in ``output_field`` (else ``field``)
    and its removals under ``removals_key`` (None: not added). ``result`` None: the field
    was null, and stays so."""
    out = dict(record)
    if result is not None:
        out[output_field or field] = rendered(result, written)
    elif output_field:
        out[output_field] = None
    if removals_key is not None:
        removals = result.removals(written) if result is not None else ()
        out[removals_key] = [r.as_dict() for r in removals]
    return out


def clean_records(
    records: Iterable[Mapping[str, Any]],
    *,
    field: str = "text",
    html_field: str | None = None,
    output_field: str | None = None,
    removals_key: str | None = "dedup",
    format: str | None = None,
    output_format: str | None = None,
    on_error: Literal["raise", "pass", "skip"] = "raise",
    config: Config | None = None,
    cleaner: Cleaner | None = None,
) -> Iterator[dict[str, Any]]:
    """Clean the text of each record (a dict, as a JSONL line holds), in order.

    Each record comes back as a new dict with its ``field`` cleaned (or the cleaned text
    in ``output_field``) and the list of its removals under ``removals_key`` (None: no
    list). ``html_field`` names a field of raw HTML to clean instead. ``format`` says what
    the field holds (``html``, ``text``, ``markdown``; by default what it reads as), and
    ``output_format`` what to write (by default the same kind: HTML stays HTML). A null
    field is a record with no text: it passes with an empty list.

    A record that cannot be cleaned (no such field, not text) raises InputError naming
    its number (from 1), or with ``on_error`` ``pass`` comes back unchanged, ``skip``
    not at all. ``config`` or ``cleaner`` say how to find echoes (the defaults when both
    are None).
    """
    if on_error not in _ON_ERROR:
        raise ConfigError(f"on_error must be one of {', '.join(_ON_ERROR)}, got {on_error!r}")
    cleaner = cleaner or Cleaner(config)
    source = html_field or field
    fmt = Format.HTML if html_field else format
    for number, record in enumerate(records, start=1):
        where = f"record {number}"
        try:
            text = record_text(record, source, where)
            result = None if text is None else cleaner.clean(text, format=fmt, name=where)
        except InputError:
            if on_error == "raise":
                raise
            if on_error == "pass":
                yield dict(record) if isinstance(record, Mapping) else record
            continue
        written = output_format or (written_format(result, None) if result else Format.TEXT)
        yield cleaned_record(
            record,
            result,
            field=source,
            output_field=output_field,
            removals_key=removals_key,
            written=written,
        )


def response_record(
    response: WarcResponse | Mapping[str, Any],
    result: Result,
    *,
    field: str = "text",
    removals_key: str | None = "dedup",
    written: str = Format.TEXT,
) -> dict[str, Any]:
    """A WARC response as a record: its URI, date and record id, and the cleaned text."""
    meta = response if isinstance(response, Mapping) else vars(response)
    record: dict[str, Any] = {
        "url": meta.get("url"),
        "date": meta.get("date"),
        "record_id": meta.get("record_id"),
        field: rendered(result, written),
    }
    if removals_key is not None:
        record[removals_key] = [r.as_dict() for r in result.removals(written)]
    return record


def clean_warc(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    field: str = "text",
    removals_key: str | None = "dedup",
    output_format: str | None = None,
    config: Config | None = None,
    cleaner: Cleaner | None = None,
) -> Iterator[dict[str, Any]]:
    """Clean every HTML response of a WARC (or ARC) file, gzipped or not, in order.

    Each response comes back as the record ``dedup clean crawl.warc.gz`` writes: ``url``,
    ``date``, ``record_id``, the cleaned text in ``field`` (``output_format``: text by
    default, or ``html``, ``markdown``, ``json``) and the removals under ``removals_key``.
    Raises InputError naming the file and the record when the archive cannot be read
    further; the responses before it have been given already.
    """
    cleaner = cleaner or Cleaner(config)
    name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else None
    for response in warc_responses(source, name=name):
        result = cleaner.clean(
            response.payload,
            format=Format.HTML,
            name=f"{name or '<archive>'}: record {response.number}",
            content_type=response.content_type,
        )
        yield response_record(
            response,
            result,
            field=field,
            removals_key=removals_key,
            written=output_format or Format.TEXT,
        )

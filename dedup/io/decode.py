"""Turn bytes into text and guess what kind of document the text is.

Decoding order: a byte-order mark, then the charset the HTTP header or the document itself
declares (HTML meta, XML declaration), then strict UTF-8, then ``bs4.UnicodeDammit``.
"""

from __future__ import annotations

import codecs
import functools
import logging
import re
from dataclasses import dataclass

from ..errors import InputError
from .formats import DOCUMENTS, Format, format_of

# The formats a document can be read as (the formats table's documents, under this name).
FORMATS = DOCUMENTS

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""",
    re.I,
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([-\w.:]+)", re.I)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the encoding that produced it and whether a BOM was stripped.

    ``utf8`` is the input itself when it was valid UTF-8 throughout, so the HTML parser
    can take it as it is instead of an encoded copy of ``text``.
    """

    text: str
    encoding: str
    bom: bytes = b""
    utf8: bytes | None = None


def _codec(name: str | bytes | None) -> str | None:
    """A Python codec name for a declared charset, or None when it is unknown."""
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "replace")
    try:
        info = codecs.lookup(name.strip())
    except LookupError:
        return None
    # Browsers treat a declared latin-1 as windows-1252 (WHATWG encoding standard).
    return "cp1252" if info.name in ("latin-1", "iso8859-1") else info.name


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset the HTTP header or the document's own head declares, if any."""
    if content_type:
        header = _HEADER_CHARSET.search(content_type)
        if header and _codec(header.group(1)):
            return _codec(header.group(1))
    declared = _DECLARED.search(data[:4096])
    if declared:
        return _codec(declared.group(1) or declared.group(2))
    return None


def decode(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode bytes of any common encoding to text.

    A declared charset that fails to decode the bytes is treated as a lie (pages often
    declare iso-8859-1 and serve UTF-8); the fallback order then takes over.
    """
    marked = _after_bom(data)
    if marked is not None:
        return marked
    head = data[:8192]
    if b"\x00" in head:
        wide = _utf16_without_bom(head, data)
        if wide is not None:
            return wide
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > len(head) // 10:
        where = next(i for i, b in enumerate(head) if b in _CONTROL_BYTES)
        raise InputError(
            f"binary data, not text (control byte {head[where]:#04x} at offset {where})"
        )
    # Valid UTF-8 with non-ASCII bytes is UTF-8 whatever the page declares: legacy text
    # almost never forms valid multi-byte sequences, and pages often declare a charset
    # their CMS stopped using years ago.
    try:
        return Decoded(data.decode("utf-8"), "utf-8", utf8=data)
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data, content_type)
    if declared and declared not in ("utf-16", "utf-32", "utf-8"):
        try:
            return Decoded(data.decode(declared), declared)
        except UnicodeDecodeError:
            pass
    if _mostly_utf8(data):
        # UTF-8 with Windows-1252 pieces pasted in: each invalid byte is read as 1252.
        return Decoded(data.decode("utf-8", _cp1252_pieces()), "utf-8")
    return _guessed(data, declared)


def _after_bom(data: bytes) -> Decoded | None:
    """The text after a byte-order mark, in the encoding it names; None without one."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(name), name, bom)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"invalid {name} after its byte-order mark: {exc.reason} at byte {exc.start}"
                ) from exc
    return None


def _guessed(data: bytes, declared: str | None) -> Decoded:
    """The last resort: ``bs4.UnicodeDammit``'s guess, replacing what fits no encoding."""
    # Imported here: bs4 brings soupsieve's CSS parser, which costs a one-file run (a
    # pre-commit hook) more start-up time than cleaning the file, and most input is UTF-8.
    from bs4 import UnicodeDammit

    # bs4 logs a warning when it must replace characters; the replacement is the point here.
    log = logging.getLogger("bs4.dammit")
    quiet = log.disabled
    log.disabled = True
    try:
        dammit = UnicodeDammit(data, [declared] if declared else [], is_html=True)
    finally:
        log.disabled = quiet
    if dammit.unicode_markup is None:
        raise InputError("cannot decode: no encoding fits the bytes")
    return Decoded(dammit.unicode_markup, dammit.original_encoding or "unknown")


# Bytes that text holds only by accident: C0 controls but tab, line feed, form feed and
# carriage return, and DEL. More than one in ten of the first 8 KiB is binary data.
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])


def _utf16_without_bom(head: bytes, data: bytes) -> Decoded | None:
    """UTF-16 text without a byte-order mark: NUL bytes in every other position."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) > len(head) // 4:
        guess = "utf-16-be" if even > odd else "utf-16-le"
        try:
            return Decoded(data.decode(guess), guess)
        except UnicodeDecodeError:
            pass
    return None


def _cp1252_piece(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler: the bytes UTF-8 could not decode, read as Windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", "replace"), exc.end


@functools.cache
def _cp1252_pieces() -> str:
    """The name of the ``_cp1252_piece`` error handler, registered on first need.

    Codecs look handlers up by name, so this one needs registering; doing it here rather
    than on import leaves the process's codec registry alone until a mixed file turns up.
    The handler is a pure function: results never depend on when it was registered.
    """
    name = "dedup-cp1252-pieces"  # codecs keeps handlers by name: the prefix keeps it ours
    codecs.register_error(name, _cp1252_piece)
    return name


def _mostly_utf8(data: bytes) -> bool:
    """Whether most non-ASCII bytes form valid UTF-8 sequences (a mixed-encoding file)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = len(_NON_ASCII.findall(text)) - bad
    return good > 2 * bad


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


# What HTML starts with, after comments and an XML declaration: a doctype, or the start
# tag of any HTML element or of a custom element (a name with a hyphen). A fragment of a
# page ("<h1>Title</h1><figure>...") is HTML as much as a whole page is.
_HTML_TAGS = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas "
    "caption center cite code col colgroup data datalist dd del details dfn dialog div dl dt "
    "em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 "
    "head header hgroup hr html i iframe img input ins kbd label legend li link main map mark "
    "menu meta meter nav noscript object ol optgroup option output p param picture pre "
    "progress q rp rt ruby s samp script section select small source span strong style sub "
    "summary sup svg table tbody td template textarea tfoot th thead time title tr track u ul "
    "var video wbr"
).split()
_HTML_SNIFF = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html\b|<(?:"
    + "|".join(sorted(_HTML_TAGS, key=len, reverse=True))
    + r"|[a-z][a-z0-9]*-[a-z0-9._-]*)(?=[\s/>]))",
    re.I | re.S,
)


def sniff_format(text: str, name: str | None = None) -> Format:
    """Guess HTML, Markdown or text from the file name's extension, else from the content."""
    by_name = format_of(name) if name else None
    if by_name is not None and by_name in DOCUMENTS:
        return by_name
    return Format.HTML if _HTML_SNIFF.match(text[:2048]) else Format.TEXT

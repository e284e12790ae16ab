"""The formats dedup reads and writes, and the one table of which file extensions mean which.

Sniffing a document's format, telling a stream of records from one document, the files a
directory walk collects, the names of output files and the files the pre-commit hooks take
all read this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

from ..model import StrEnum

T = TypeVar("T")


class Format(StrEnum):
    """A way a document or a stream of documents is written."""

    HTML = "html"
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"  # output only: one document's blocks, with what was kept
    JSONL = "jsonl"  # one JSON record a line, one document in a field of each
    WARC = "warc"  # a web archive, one document per HTML response


# A file is one document in one of these formats...
DOCUMENTS = (Format.HTML, Format.TEXT, Format.MARKDOWN)
# ...or a stream of records, each holding one document.
STREAMS = (Format.JSONL, Format.WARC)
# What ``clean`` can write a document as.
OUTPUTS = (Format.TEXT, Format.HTML, Format.MARKDOWN, Format.JSON)
# What ``fix`` rewrites in place: a WARC file is an archive, only ever checked.
REWRITABLE = (*DOCUMENTS, Format.JSONL)

# Lower-case extensions; a name matches one when it ends with it.
EXTENSIONS: Mapping[Format, tuple[str, ...]] = MappingProxyType(
    {
        Format.HTML: (".html", ".htm", ".xhtml", ".shtml"),
        Format.TEXT: (".txt", ".text"),
        Format.MARKDOWN: (".md", ".markdown", ".mdown", ".mkd"),
        Format.JSONL: (".jsonl", ".ndjson", ".jsonl.gz"),
        Format.WARC: (".warc", ".warc.gz", ".arc", ".arc.gz"),
    }
)
# A stream with this extension is read through gzip (WARC readers unpack their own).
COMPRESSED = ".gz"

# The suffix of a file written in each output format.
SUFFIXES: Mapping[Format, str] = MappingProxyType(
    {
        Format.TEXT: ".txt",
        Format.HTML: ".html",
        Format.MARKDOWN: ".md",
        Format.JSON: ".json",
        Format.JSONL: ".jsonl",
    }
)


def format_of(name: str) -> Format | None:
    """The format a file name's extension says (in any case), or None when it says none."""
    return by_extension(name, EXTENSIONS)


def by_extension(name: str, table: Mapping[T, tuple[str, ...]]) -> T | None:
    """The first entry of ``table`` one of whose extensions ends ``name`` (in any case)."""
    lower = name.lower()
    for kind, extensions in table.items():
        if lower.endswith(extensions):
            return kind
    return None


def document_format(fmt: Format | None) -> Format | None:
    """``fmt`` when it is a document's format, else None (a stream's records say their own)."""
    return fmt if fmt is not None and fmt in DOCUMENTS else None


def is_compressed(name: str) -> bool:
    """Whether a file is gzip-compressed, by its name."""
    return name.lower().endswith(COMPRESSED)


def patterns(formats: tuple[Format, ...]) -> tuple[str, ...]:
    """File-name globs for every extension of ``formats`` (``*.html``, ``*.htm``...)."""
    return tuple(f"*{ext}" for fmt in formats for ext in EXTENSIONS[fmt])

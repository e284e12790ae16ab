"""Reports of what was removed and why: JSON, unified diff and a self-contained HTML page.

A ``ReportWriter`` takes documents one at a time and streams them out, so a run over many
files never holds their texts.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ConfigError
from ..io.formats import by_extension
from ..model import StrEnum
from .as_diff import document_diff
from .as_html import PAGE_TAIL, document_part, page_head, unchanged_list
from .as_json import document_entry

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Result


class ReportFormat(StrEnum):
    """A kind of report."""

    JSON = "json"
    DIFF = "diff"
    HTML = "html"


class TextSink(Protocol):
    """Where a report goes: anything with ``write(str)`` (a text file, ``io.StringIO``)."""

    def write(self, text: str, /) -> int: ...


REPORT_FORMATS = tuple(f.value for f in ReportFormat)
# Which file extensions ask for which report.
EXTENSIONS: Mapping[ReportFormat, tuple[str, ...]] = MappingProxyType(
    {
        ReportFormat.JSON: (".json",),
        ReportFormat.DIFF: (".diff", ".patch"),
        ReportFormat.HTML: (".html", ".htm"),
    }
)


def format_for_path(path: str) -> ReportFormat | None:
    """The report kind a file name asks for, from its extension."""
    return by_extension(path, EXTENSIONS)


class Summary:
    """Running totals: documents, blocks, removals by kind and by rule, errors."""

    def __init__(self) -> None:
        self.documents = self.blocks = self.errors = 0
        self.by_kind: Counter[str] = Counter()
        self.by_reason: Counter[str] = Counter()
        self.by_pair: Counter[tuple[str, str]] = Counter()  # (kind, rule)

    def add(self, result: Result) -> None:
        self.count(
            len(result.blocks),
            [str(r.kind) for r in result.removed],
            [r.reason for r in result.removed],
        )

    def count(self, blocks: int, kinds: Iterable[str], reasons: Iterable[str]) -> None:
        """Add one document by its numbers (what a worker process sends back)."""
        self.documents += 1
        self.blocks += blocks
        kinds, reasons = list(kinds), list(reasons)
        self.by_kind.update(kinds)
        self.by_reason.update(reasons)
        self.by_pair.update(zip(kinds, reasons, strict=True))

    @property
    def removed(self) -> int:
        return sum(self.by_kind.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "blocks": self.blocks,
            "removed": self.removed,
            "by_kind": dict(sorted(self.by_kind.items())),
            "by_reason": dict(sorted(self.by_reason.items())),
            "errors": self.errors,
        }

    def line(self, removed: str = "removed") -> str:
        """One line for a terminal: ``3 documents, 120 blocks, 4 removed (caption: 4), 0 errors``
        (``removed``: the word for what was found, ``to remove`` when nothing is)."""
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(self.by_kind.items()))
        return (
            f"{self.documents} document{'s' * (self.documents != 1)}, "
            f"{self.blocks} block{'s' * (self.blocks != 1)}, "
            f"{self.removed} {removed}{f' ({kinds})' if kinds else ''}, "
            f"{self.errors} error{'s' * (self.errors != 1)}"
        )


def report_part(kind: str, result: Result, title: str | None = None, fmt: str | None = None) -> Any:
    """One document's share of a report: plain data, so a worker process can send it.

    ``title`` is what the JSON and HTML reports call the document (a record's URL or id)
    beside its name; the diff keeps the name, which its headers need. ``fmt`` is the output
    whose removals they list (``html``: the page's own plan); by default text's.
    """
    if kind == "json":
        return document_entry(result, title, fmt)
    if kind == "diff":
        return document_diff(result)
    if kind == "html":
        return document_part(result, title, fmt)
    raise ConfigError(f"unknown report format {kind!r}; choose one of {', '.join(REPORT_FORMATS)}")


class ReportWriter:
    """Writes a report of one kind to a text stream, one document at a time.

    Memory stays flat however many documents pass: parts go to the stream. The HTML
    report, whose summary comes first, spools its parts to temporary files: the sections
    of documents with removals to one, the names of those without to another (the page
    counts them in one line); it keeps only the counts of kinds and rules.
    """

    def __init__(self, kind: str, out: TextSink) -> None:
        if kind not in REPORT_FORMATS:
            raise ConfigError(
                f"unknown report format {kind!r}; choose one of {', '.join(REPORT_FORMATS)}"
            )
        self.kind = kind
        self.out = out
        self.count = 0
        self.spool = tempfile.TemporaryFile("w+", encoding="utf-8") if kind == "html" else None
        self.unchanged = tempfile.TemporaryFile("w+", encoding="utf-8") if kind == "html" else None
        self.unchanged_count = 0
        self.by_kind: Counter[str] = Counter()
        self.by_rule: Counter[str] = Counter()
        if kind == "json":
            out.write('{\n  "documents": [')

    def add(self, part: Any) -> None:
        if self.kind == "json":
            text = json.dumps(part, ensure_ascii=False, indent=2).replace("\n", "\n    ")
            self.out.write(("," if self.count else "") + "\n    " + text)
        elif self.spool is not None and self.unchanged is not None:
            if part["kinds"]:
                self.spool.write(part["html"])
                self.by_kind.update(part["kinds"])
                self.by_rule.update(part["rules"])
            else:
                self.unchanged.write(part["html"])
                self.unchanged_count += 1
        else:
            self.out.write(part)
        self.count += 1

    def close(self, summary: Summary) -> None:
        if self.kind == "json":
            data = json.dumps(summary.as_dict(), ensure_ascii=False, indent=2)
            self.out.write(
                ("\n  " if self.count else "")
                + '],\n  "summary": '
                + data.replace("\n", "\n  ")
                + "\n}\n"
            )
        elif self.spool is not None and self.unchanged is not None:
            self.out.write(page_head(summary, self.by_kind, self.by_rule))
            start, end = unchanged_list(self.unchanged_count)
            for head, spool, tail in ((start, self.unchanged, end), ("", self.spool, "")):
                self.out.write(head)
                spool.seek(0)
                shutil.copyfileobj(spool, self.out)
                spool.close()
                self.out.write(tail)
            self.out.write(PAGE_TAIL)


def render(kind: str, results: Iterable[Result]) -> str:
    """Render a report of the given kind (``json``, ``diff`` or ``html``)."""
    out = io.StringIO()
    writer = ReportWriter(kind, out)
    summary = Summary()
    for r in results:
        summary.add(r)
        writer.add(report_part(kind, r))
    writer.close(summary)
    return out.getvalue()

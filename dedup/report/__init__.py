"""Reports of what was removed and why: JSON, unified diff and a self-contained HTML page.

A ``ReportWriter`` takes documents one at a time and streams them out, so a run over many
files never holds their texts.
"""

from __future__ import annotations

import difflib
import html
import io
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Result

REPORT_FORMATS = ("json", "diff", "html")
_EXTENSIONS = {".json": "json", ".diff": "diff", ".patch": "diff", ".html": "html", ".htm": "html"}


def format_for_path(path: str) -> str | None:
    """The report kind a file name asks for, from its extension."""
    lower = path.lower()
    for ext, kind in _EXTENSIONS.items():
        if lower.endswith(ext):
            return kind
    return None


def document_entry(result: Result) -> dict[str, Any]:
    """One document's part of the JSON report (0-based block indices)."""
    return {
        "source": result.source,
        "format": result.format,
        "blocks": len(result.blocks),
        "removed": [
            {
                **r.as_dict(),
                "line": result.blocks[r.index].line,
                "duplicate_line": result.blocks[r.duplicate_of].line,
            }
            for r in result.removed
        ],
    }


class Summary:
    """Running totals: documents, blocks, removals by kind and by rule, errors."""

    def __init__(self) -> None:
        self.documents = self.blocks = self.errors = 0
        self.by_kind: Counter[str] = Counter()
        self.by_reason: Counter[str] = Counter()

    def add(self, result: Result) -> None:
        self.count(len(result.blocks), [str(r.kind) for r in result.removed],
                   [r.reason for r in result.removed])

    def count(self, blocks: int, kinds: Iterable[str], reasons: Iterable[str]) -> None:
        """Add one document by its numbers (what a worker process sends back)."""
        self.documents += 1
        self.blocks += blocks
        self.by_kind.update(kinds)
        self.by_reason.update(reasons)

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

    def line(self) -> str:
        """One line for a terminal: ``3 documents, 120 blocks, 4 removed (caption: 4), 0 errors``."""
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(self.by_kind.items()))
        return (
            f"{self.documents} document{'s' * (self.documents != 1)}, {self.blocks} blocks, "
            f"{self.removed} removed{f' ({kinds})' if kinds else ''}, "
            f"{self.errors} error{'s' * (self.errors != 1)}"
        )


def report_part(kind: str, result: Result) -> Any:
    """One document's share of a report: plain data, so a worker process can send it."""
    if kind == "json":
        return document_entry(result)
    if kind == "diff":
        return _diff(result)
    if kind == "html":
        return _html_document(result)
    raise ValueError(f"unknown report format {kind!r}; choose one of {', '.join(REPORT_FORMATS)}")


class ReportWriter:
    """Writes a report of one kind to a text stream, one document at a time.

    Memory stays flat however many documents pass: parts go to the stream (the HTML
    report, whose summary comes first, spools its parts to a temporary file).
    """

    def __init__(self, kind: str, out: IO[str]) -> None:
        if kind not in REPORT_FORMATS:
            raise ValueError(
                f"unknown report format {kind!r}; choose one of {', '.join(REPORT_FORMATS)}"
            )
        self.kind = kind
        self.out = out
        self.count = 0
        self.spool = tempfile.TemporaryFile("w+", encoding="utf-8") if kind == "html" else None
        if kind == "json":
            out.write('{\n  "documents": [')

    def add(self, part: Any) -> None:
        if self.kind == "json":
            text = json.dumps(part, ensure_ascii=False, indent=2).replace("\n", "\n    ")
            self.out.write(("," if self.count else "") + "\n    " + text)
        elif self.spool is not None:
            self.spool.write(part)
        else:
            self.out.write(part)
        self.count += 1

    def close(self, summary: Summary) -> None:
        if self.kind == "json":
            data = json.dumps(summary.as_dict(), ensure_ascii=False, indent=2)
            self.out.write(("\n  " if self.count else "") + '],\n  "summary": '
                           + data.replace("\n", "\n  ") + "\n}\n")
        elif self.spool is not None:
            self.out.write(_html_head(summary))
            self.spool.seek(0)
            shutil.copyfileobj(self.spool, self.out)
            self.spool.close()
            self.out.write(_HTML_TAIL)


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


def _diff(result: Result) -> str:
    before, after = result.comparable_texts()
    lines = list(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{result.source}",
            tofile=f"b/{result.source}",
        )
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
h1{font-size:1.4em} h2{font-size:1.05em;margin-top:2em;word-break:break-all}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #ccc;padding:.35em .5em;
vertical-align:top;text-align:left} th{background:#f3f3f3} td.t{width:36%}
del{background:#fdd;text-decoration:none} ins{background:#dfd;text-decoration:none}
.summary{background:#f7f7f7;padding:.6em 1em;border-radius:4px} .none{color:#666}
"""


def _html_document(result: Result) -> str:
    esc = html.escape
    parts = [f"<section class=\"document\"><h2>{esc(result.source)}</h2>"]
    if not result.removed:
        parts.append("<p class=\"none\">Nothing removed.</p></section>")
        return "".join(parts)
    parts.append(
        "<table class=\"removals\"><tr><th>block (line)</th><th>kind</th><th>removed text</th>"
        "<th>duplicates</th><th>kept text</th><th>rule</th><th>similarity</th></tr>"
    )
    for rem in result.removed:
        kept = result.blocks[rem.duplicate_of]
        parts.append(
            f"<tr><td>{rem.index} ({result.blocks[rem.index].line})</td><td>{esc(str(rem.kind))}</td>"
            f"<td class=\"t\"><del>{esc(rem.text)}</del></td>"
            f"<td>{rem.duplicate_of} ({esc(str(kept.kind))}, line {kept.line})</td>"
            f"<td class=\"t\"><ins>{esc(kept.text)}</ins></td>"
            f"<td>{esc(rem.reason)}</td><td>{rem.similarity:.3f}</td></tr>"
        )
    parts.append("</table></section>")
    return "".join(parts)


def _html_head(summary: Summary) -> str:
    """The start of a self-contained HTML page (no scripts, no external resources)."""
    return "".join(
        [
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<title>dedup report</title><style>", _CSS, "</style></head><body>",
            "<h1>dedup report</h1>",
            f"<p class=\"summary\" id=\"summary\">{html.escape(summary.line())}</p>",
        ]
    )


_HTML_TAIL = "</body></html>\n"

"""Reports of what was removed and why: JSON, unified diff and a self-contained HTML page.

A ``Report`` takes documents one at a time and keeps only what it will print, so a run
over many files never holds their texts.
"""

from __future__ import annotations

import difflib
import html
import json
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .api import Result

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
                "index": r.index,
                "duplicate_of": r.duplicate_of,
                "similarity": r.similarity,
                "reason": r.reason,
                "kind": str(r.kind),
                "text": r.text,
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
        self.documents += 1
        self.blocks += len(result.blocks)
        self.by_kind.update(str(r.kind) for r in result.removed)
        self.by_reason.update(r.reason for r in result.removed)

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


class Report:
    """Accumulates one report of the given kind over any number of documents.

    The totals live in a ``Summary`` that the caller may share (the CLI prints the same
    totals on stderr); ``add`` never counts a document in it twice.
    """

    def __init__(self, kind: str, summary: Summary | None = None) -> None:
        if kind not in REPORT_FORMATS:
            raise ValueError(
                f"unknown report format {kind!r}; choose one of {', '.join(REPORT_FORMATS)}"
            )
        self.kind = kind
        self.summary = summary or Summary()
        self.parts: list[Any] = []

    def add(self, result: Result) -> None:
        """Add a document's entry (the summary is the caller's to update)."""
        if self.kind == "json":
            self.parts.append(document_entry(result))
        elif self.kind == "diff":
            self.parts.append(_diff(result))
        else:
            self.parts.append(_html_document(result))

    def render(self) -> str:
        if self.kind == "json":
            data = {"documents": self.parts, "summary": self.summary.as_dict()}
            return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if self.kind == "diff":
            return "".join(self.parts)
        return _html_page(self.summary, self.parts)


def render(kind: str, results: Iterable[Result]) -> str:
    """Render a report of the given kind (``json``, ``diff`` or ``html``)."""
    report = Report(kind)
    for r in results:
        report.summary.add(r)
        report.add(r)
    return report.render()


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
        "<table class=\"removals\"><tr><th>block</th><th>kind</th><th>removed text</th>"
        "<th>duplicates</th><th>kept text</th><th>rule</th><th>similarity</th></tr>"
    )
    for rem in result.removed:
        kept = result.blocks[rem.duplicate_of]
        parts.append(
            f"<tr><td>{rem.index}</td><td>{esc(str(rem.kind))}</td>"
            f"<td class=\"t\"><del>{esc(rem.text)}</del></td>"
            f"<td>{rem.duplicate_of} ({esc(str(kept.kind))})</td>"
            f"<td class=\"t\"><ins>{esc(kept.text)}</ins></td>"
            f"<td>{esc(rem.reason)}</td><td>{rem.similarity:.3f}</td></tr>"
        )
    parts.append("</table></section>")
    return "".join(parts)


def _html_page(summary: Summary, documents: list[str]) -> str:
    """A self-contained HTML page (no scripts, no external resources)."""
    return "".join(
        [
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<title>dedup report</title><style>", _CSS, "</style></head><body>",
            "<h1>dedup report</h1>",
            f"<p class=\"summary\" id=\"summary\">{html.escape(summary.line())}</p>",
            *documents,
            "</body></html>\n",
        ]
    )

"""The JSON report: one entry per document, with 0-based block indices and source lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Result


def document_entry(
    result: Result, title: str | None = None, fmt: str | None = None
) -> dict[str, Any]:
    """One document's part of the JSON report (0-based block indices); ``title``, when
    given, is what the document is called (a record's URL or id); ``fmt`` the output
    whose removals it lists (by default text's, ``Result.removed``)."""
    return {
        "source": result.name,
        **({"title": title} if title is not None else {}),
        "format": result.format,
        "blocks": len(result.blocks),
        "removed": [
            {
                **r.as_dict(),
                "line": result.blocks[r.index].line,
                "duplicate_line": result.blocks[r.duplicate_of].line,
            }
            for r in (result.removals(fmt) if fmt else result.removed)
        ],
    }

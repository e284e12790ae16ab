"""The unified diff report: each document before and after, as text a person reads."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Result


def document_diff(result: Result) -> str:
    before, after = result.comparable_texts()
    lines = list(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{result.name}",
            tofile=f"b/{result.name}",
        )
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)

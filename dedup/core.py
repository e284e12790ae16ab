"""Which implementation of the hot loops runs: the compiled core or its pure-Python twin.

The compiled core (``dedup._core``, built from ``dedup/_core.pyx`` when the package is
installed on a machine with a C++ compiler, and ``dedup._walk``, the HTML block walk,
built from ``dedup/_walk.pyx`` against lxml's C API) and the pure-Python functions it
stands in for return the same values; the pure ones are the reference, and run where the
core was not built, or when the environment sets ``DEDUP_PURE`` (to any value but "" or
"0"). The walk runs compiled only with the rest of the core.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType


def _load(name: str) -> ModuleType | None:
    if os.environ.get("DEDUP_PURE", "") not in ("", "0"):
        return None
    try:
        # (by name: where it was not built, there is no module for a type checker to find)
        return importlib.import_module(name)
    # Not built, or built against another ABI: a type's size (ValueError, or a
    # RuntimeWarning raised under -W error) or a C function's signature in lxml's API
    # (TypeError) differs from what the module was compiled against.
    except (ImportError, ValueError, TypeError, RuntimeWarning):
        return None


compiled = _load("dedup._core")
# The compiled HTML walk (``dedup.parse.html`` runs it while ``compiled`` is set).
walk = _load("dedup._walk") if compiled is not None else None
# What ``dedup --version`` says runs.
NAME = (
    "pure Python"
    if compiled is None
    else "compiled core"
    if walk is not None
    else "compiled core, pure-Python HTML walk"
)

__all__ = ["NAME", "compiled", "walk"]

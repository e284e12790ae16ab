"""Which implementation of the hot loops runs: the compiled core or its pure-Python twin.

The compiled core (``dedup._core``, built from ``dedup/_core.pyx`` when the package is
installed on a machine with a C++ compiler) and the pure-Python functions it stands in
for return the same values; the pure ones are the reference, and run where the core was
not built, or when the environment sets ``DEDUP_PURE`` (to any value but "" or "0").
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType


def _load() -> ModuleType | None:
    if os.environ.get("DEDUP_PURE", "") not in ("", "0"):
        return None
    try:
        # (by name: where it was not built, there is no module for a type checker to find)
        return importlib.import_module("dedup._core")
    except (ImportError, ValueError):  # not built, or built against another ABI
        return None


compiled = _load()
# What ``dedup --version`` says runs.
NAME = "compiled core" if compiled is not None else "pure Python"

__all__ = ["NAME", "compiled"]

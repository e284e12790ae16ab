"""Seconds spent in each stage of cleaning, for benchmarks and profiles: off unless asked.

``with stage_timings() as timings: cleaner.clean(page)`` fills ``timings`` with the seconds
each stage took (decode, parse, walk and place for HTML, normalize, shingle, minhash, lsh,
anchors, verify, plan, and finish: the rules run once the plans are made),
added up over every document cleaned inside the block. The collector lives in a context
variable: it is seen only by the code that runs inside the block, on its thread, and
nothing stays behind once the block ends.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_TIMINGS: ContextVar[dict[str, float] | None] = ContextVar("dedup_stage_timings", default=None)


@contextmanager
def stage_timings() -> Iterator[dict[str, float]]:
    """Collect the seconds per stage of every clean run inside the ``with`` block."""
    timings: dict[str, float] = {}
    token = _TIMINGS.set(timings)
    try:
        yield timings
    finally:
        _TIMINGS.reset(token)


class Stopwatch:
    """Adds the time since the last lap to a named stage, when timings are being collected
    (one look-up when they are not)."""

    __slots__ = ("last", "timings")

    def __init__(self) -> None:
        self.timings = _TIMINGS.get()
        self.last = time.perf_counter() if self.timings is not None else 0.0

    def lap(self, stage: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
            self.last = now

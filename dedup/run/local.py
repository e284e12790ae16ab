"""The local executor: the cleaning step in this process, or in N processes with order kept."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

from ..io.records import Task
from .records import Options, Outcome, process

# Tasks sent to a worker at once, and the most data per send: amortises the cost of a
# round trip for small records without holding much in flight.
CHUNK_TASKS = 32
CHUNK_BYTES = 4 << 20
# Chunks in flight per worker: enough to keep workers busy, few enough for flat memory.
WINDOW_PER_JOB = 4


def process_many(tasks: list[Task], options: Options) -> list[Outcome]:
    """The step over a chunk of tasks: what one worker does per round trip."""
    return [process(t, options) for t in tasks]


def run(tasks: Iterable[Task], options: Options, jobs: int = 1) -> Iterator[Outcome]:
    """Outcomes in task order, computed here or by ``jobs`` worker processes."""
    if jobs <= 1:
        for task in tasks:
            yield process(task, options)
        return
    # Imported here: multiprocessing costs a one-file run (a pre-commit hook) ~20 ms.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from in_order(
            lambda chunk: pool.submit(process_many, chunk, options),
            chunks(tasks),
            jobs * WINDOW_PER_JOB,
        )


T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Pending(Protocol[T_co]):
    """What a pool hands back for work sent: a ``concurrent.futures`` or Dask future."""

    def result(self) -> T_co: ...


def in_order(
    submit: Callable[[list[Task]], Pending[list[T]]], chunked: Iterable[list[Task]], window: int
) -> Iterator[T]:
    """What each chunk of tasks gives, in order: each chunk is sent with ``submit``, and
    at most ``window`` are in flight (memory stays flat while workers stay busy)."""
    pending: deque[Pending[list[T]]] = deque()
    for chunk in chunked:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def chunks(
    tasks: Iterable[Task], most: int = CHUNK_TASKS, most_bytes: int = CHUNK_BYTES
) -> Iterator[list[Task]]:
    """The tasks in order, in lists of at most ``most`` tasks or about ``most_bytes`` of
    input: what one round trip to a worker carries."""
    chunk: list[Task] = []
    size = 0
    for task in tasks:
        chunk.append(task)
        size += len(task.data) + len(task.raw)
        if len(chunk) >= most or size >= most_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk

"""Find inputs (files, directory walks, globs, stdin) and read them whole, with their stamp."""

from __future__ import annotations

import glob
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from .formats import DOCUMENTS, STREAMS, patterns

# File names a directory walk picks up by default: every extension of every format read.
DEFAULT_INCLUDE = patterns((*DOCUMENTS, *STREAMS))
STDIN = "-"

Stamp = tuple[int, int, int]  # size, modification time (ns), inode: "the file as it was read"


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a path (``-`` for stdin) and, for directory walks, its path below the root."""

    path: str
    relative: str

    @property
    def name(self) -> str:
        """The input's name in messages: its path, or ``<stdin>``."""
        return "<stdin>" if self.path == STDIN else self.path


def stamp_of(st: os.stat_result) -> Stamp:
    """A file's stamp from its status: a rewrite checks the file still has it."""
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def expand(
    inputs: tuple[str, ...] | list[str],
    include: tuple[str, ...] = DEFAULT_INCLUDE,
    exclude: tuple[str, ...] = (),
    skip: tuple[Path, ...] = (),
    force_exclude: bool = False,
) -> Iterator[Source | InputError]:
    """Yield every input file in a stable order; a missing input yields an InputError.

    Directories are walked recursively (sorted), keeping files that match ``include`` and
    none of ``exclude``, and never entering the directories in ``skip`` (the output tree);
    glob patterns are expanded; ``-`` is standard input. A file's ``relative`` path is below
    the directory or the fixed part of the pattern that found it.

    ``exclude`` applies to what walks and patterns find; with ``force_exclude`` to files
    named one by one too (what a pre-commit hook is given).
    """
    skip = tuple(p.resolve() for p in skip)
    for item in inputs or (STDIN,):
        if item == STDIN:
            yield Source(STDIN, "stdin")
        elif os.path.isdir(item):
            yield from _walk(Path(item), include, exclude, skip)
        elif os.path.exists(item):
            if not (force_exclude and _excluded(Path(item), exclude)):
                yield Source(item, os.path.basename(item))
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield InputError(f"{item}: no file matches this pattern")
            base = _fixed_part(item)
            for m in matches:
                if (
                    os.path.isfile(m)
                    and not _excluded(Path(m), exclude)
                    and not _inside(Path(m), skip)
                ):
                    yield Source(m, os.path.relpath(m, base))
        else:
            yield InputError(f"{item}: no such file or directory")


def _fixed_part(pattern: str) -> str:
    """The directory a glob pattern starts from: its leading parts without wildcards."""
    fixed: list[str] = []
    for part in Path(pattern).parent.parts:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return str(Path(*fixed)) if fixed else "."


def _inside(path: Path, dirs: tuple[Path, ...]) -> bool:
    resolved = path.resolve()
    return any(resolved == d or d in resolved.parents for d in dirs)


def _excluded(path: Path, exclude: tuple[str, ...]) -> bool:
    """Whether a path or a directory above it matches a pattern (``vendor``, ``vendor/``,
    ``site/vendor``, ``*.min.html``)."""
    for pattern in exclude:
        bare = pattern.rstrip("/") or pattern
        if path.match(bare) or any(part == bare for part in path.parts):
            return True
        if any(parent.match(bare) for parent in path.parents if parent.name):
            return True
    return False


def _walk(
    root: Path, include: tuple[str, ...], exclude: tuple[str, ...], skip: tuple[Path, ...] = ()
) -> Iterator[Source]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not _excluded(Path(dirpath, d), exclude) and not _inside(Path(dirpath, d), skip)
        )
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if not path.is_file():
                continue  # a named pipe or a device found by a walk would block or never end
            if any(path.match(p) for p in include) and not _excluded(path, exclude):
                yield Source(str(path), str(path.relative_to(root)))


class Rewound:
    """A byte stream whose first line can be read ahead (to tell its format) and is then
    read again, as if it had not been: what standard input, which cannot seek, needs."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.head = b""

    def first_line(self, limit: int) -> bytes:
        """The stream's first line (at most ``limit`` bytes), still to be read."""
        if not self.head:
            self.head = self.fh.readline(limit)
        return self.head[:limit]

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if 0 <= size < len(self.head):
                data, self.head = self.head[:size], self.head[size:]
                return data
            data, self.head = self.head, b""
            more = self.fh.read(-1 if size < 0 else size - len(data))
            return data + more
        return self.fh.read(size)

    def readline(self, size: int = -1) -> bytes:
        if self.head:
            if 0 <= size < len(self.head):
                data, self.head = self.head[:size], self.head[size:]
                return data
            data, self.head = self.head, b""
            if data.endswith(b"\n"):
                return data
            return data + self.fh.readline(-1 if size < 0 else size - len(data))
        return self.fh.readline(size)


_stdin: Rewound | None = None


def stdin() -> Rewound:
    """Standard input, as bytes; what was read ahead of it is read again first."""
    global _stdin
    raw = sys.stdin.buffer
    if _stdin is None or _stdin.fh is not raw:
        _stdin = Rewound(raw)
    return _stdin


_pipes: dict[str, Rewound] = {}


def piped(source: Source) -> Rewound | None:
    """The one stream of an input that can be read only once: standard input, or a named
    input that is no regular file (``<(command)``, a named pipe, a device). Reading its
    first line to tell its format must not lose it. None for a regular file."""
    if source.path == STDIN:
        return stdin()
    if source.path in _pipes:
        return _pipes[source.path]
    try:
        if stat.S_ISREG(os.stat(source.path).st_mode):
            return None
        fh = open(source.path, "rb")  # noqa: SIM115 - closed by release()
    except OSError:
        return None  # reading it says what is wrong
    _pipes[source.path] = Rewound(fh)
    return _pipes[source.path]


def release(source: Source) -> None:
    """Close a named input's once-only stream, when it had one (stdin stays open)."""
    stream = _pipes.pop(source.path, None)
    if stream is not None:
        stream.fh.close()


def read_bytes(source: Source, limit: int | None = None) -> tuple[bytes, Stamp | None]:
    """Read an input whole, with its stamp; errors are one-line InputErrors naming it.

    More than ``limit`` bytes is an error found before reading them all.
    """
    stream = piped(source)
    if stream is not None:
        try:
            data = stream.read(limit + 1 if limit is not None else -1)
        except OSError as exc:
            raise InputError(f"{source.name}: {exc.strerror or exc}") from None
        if limit is not None and len(data) > limit:
            raise InputError(
                f"{source.name}: more than {limit} bytes (max_bytes); "
                "a stream of records is read a record at a time with --input-format jsonl"
            )
        return data, None
    try:
        with open(source.path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if limit is not None and st.st_size > limit:
                raise InputError(
                    f"{source.path}: {st.st_size} bytes is over the limit of {limit} (max_bytes)"
                )
            data = fh.read()
            st = os.fstat(fh.fileno())
    except OSError as exc:
        raise InputError(f"{source.path}: {exc.strerror or exc}") from None
    return data, stamp_of(st)

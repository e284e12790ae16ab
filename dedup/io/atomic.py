"""Write files atomically: a temporary file beside the target, fsync, rename."""

from __future__ import annotations

import os
import stat
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TypeVar

_Output = TypeVar("_Output", bound="AllOrNothing")


class AllOrNothing(ABC):
    """Output that a ``with`` block commits when it ends normally, and aborts otherwise.

    A subclass says what committing (making the output appear whole) and aborting (leaving
    nothing behind) mean for it."""

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def abort(self) -> None: ...

    def __enter__(self: _Output) -> _Output:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


class AtomicWriter(AllOrNothing):
    """A file that appears at ``path`` whole or not at all.

    Bytes go to a temporary file in the target's directory; ``commit`` flushes it to disk,
    renames it over the target (keeping the old file's permission bits) and flushes the
    directory entry; ``abort`` (or an exception inside a ``with`` block) deletes it and
    leaves the target as it was. A symbolic link is written through: the file it points
    to is replaced, the link stays. (A hard link's other names keep the old content, as
    with every rename-based write.)
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
        directory = self.target.parent if str(self.target.parent) else Path(".")
        self.directory = directory
        self.done = False
        self.tmp = ""
        try:
            special = not stat.S_ISREG(os.stat(self.target).st_mode)
        except FileNotFoundError:
            special = False
        if special:
            # A device, a pipe, /dev/null: write through; renaming over it would replace it.
            self.fh = open(self.target, "wb")  # noqa: SIM115 - closed by commit/abort
            return
        # A short prefix of the name: the temporary name must fit where the target's does.
        fd, self.tmp = tempfile.mkstemp(
            prefix=f".{self.target.name[:80]}.", suffix=".dedup-tmp", dir=directory
        )
        self.fh = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.fh.write(data)

    def commit(self) -> None:
        if not self.tmp:
            self.done = True
            self.fh.close()
            return
        try:
            mode = stat.S_IMODE(os.stat(self.target).st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            os.chmod(self.tmp, mode)
            os.replace(self.tmp, self.target)
        except BaseException:
            self.abort()
            raise
        self.done = True
        _fsync_dir(self.directory)

    def abort(self) -> None:
        if self.done:
            return
        self.done = True
        try:
            self.fh.close()
        finally:
            if self.tmp:
                try:
                    os.unlink(self.tmp)
                except OSError:
                    pass


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old file or the new, never a mix."""
    with AtomicWriter(path) as writer:
        writer.write(data)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

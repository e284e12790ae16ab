"""Check files for echoes, or fix them in place: a function over one file, looped over by
``dedup check`` and ``dedup fix`` as pre-commit hooks loop over theirs.

``check_file`` and ``fix_file`` clean one file here and now. ``has_echoes`` and ``rewrite``
do their work on the outcomes of one file's documents however they were computed, so the
command line can run the cleaning step in N processes and still treat every file alike.
"""

from __future__ import annotations

import difflib
import itertools
import os
import stat
from collections import deque
from collections.abc import Iterable, Iterator

from ..api import Cleaner
from ..config import Config
from ..errors import InputError
from ..io.atomic import AtomicWriter, atomic_write
from ..io.formats import Format, document_format
from ..io.inputs import Source, Stamp, stamp_of
from ..io.records import Origin, TaskKind, tasks
from .local import run
from .records import Mode, Options, Outcome, rewritable


def check_file(
    path: str | os.PathLike[str],
    cleaner: Cleaner | None = None,
    *,
    format: Format | None = None,
    field: str = "text",
    html_field: str | None = None,
) -> list[str]:
    """The echoes in one file, one ``path:line: removed <kind> duplicating line N
    (similarity S)`` line each; empty when it holds none.

    ``cleaner`` says how to find echoes (its Config; the defaults when None). ``format``
    is how to read the file (by default its extension, then its content); JSONL files are
    checked record by record, the text in ``field`` (or the HTML in ``html_field``), WARC
    files response by response. Raises InputError when the file or one of its records
    cannot be read or cleaned.
    """
    outcomes = _outcomes(path, cleaner, Mode.CHECK, format, field, html_field)
    return [message for outcome in outcomes for message in outcome.messages]


def fix_file(
    path: str | os.PathLike[str],
    cleaner: Cleaner | None = None,
    *,
    format: Format | None = None,
    field: str = "text",
    html_field: str | None = None,
) -> bool:
    """Remove the echoes from one file in place, atomically; True when the file changed.

    The arguments are ``check_file``'s. A JSONL file is rewritten record by record (the
    field only); WARC archives and gzip-compressed streams are only checked. Raises
    InputError when the file or a record cannot be read or cleaned, or the file must not
    be rewritten (read-only, not a regular file, changed since it was read), and OSError
    when writing fails; the file is then left as it was.
    """
    return rewrite(_outcomes(path, cleaner, Mode.FIX, format, field, html_field))


def file_options(
    config: Config,
    mode: Mode,
    format: Format | None = None,
    field: str = "text",
    html_field: str | None = None,
) -> Options:
    """The cleaning step's options for checking or fixing files, which keep their encoding."""
    return Options(
        config,
        mode,
        document_format(format),
        field=field,
        html_field=html_field,
        keep_encoding=True,
    )


def _outcomes(
    path: str | os.PathLike[str],
    cleaner: Cleaner | None,
    mode: Mode,
    format: Format | None,
    field: str,
    html_field: str | None,
) -> Iterator[Outcome]:
    """One file's outcomes, cleaned in this process; the first failure raises."""
    config = (cleaner or Cleaner()).config
    name = os.fspath(path)
    sources = iter([Source(name, os.path.basename(name))])
    for outcome in run(
        tasks(sources, format, config.max_bytes),
        file_options(config, mode, format, field, html_field),
    ):
        if outcome.error is not None:
            raise InputError(outcome.error)
        yield outcome


def by_file(outcomes: Iterable[Outcome]) -> Iterator[tuple[Origin, Iterator[Outcome]]]:
    """The outcomes of a run, one lazy group per input, with the origin of its first.

    A whole file's one outcome is its group at once; a stream's group ends when the next
    input's first outcome arrives (or the run ends), as nothing else tells its last record.
    """
    stream = iter(outcomes)
    ahead: list[Outcome] = []  # the next input's first outcome, once a stream's group saw it

    def group(first: Outcome) -> Iterator[Outcome]:
        yield first
        if first.origin.kind is TaskKind.FILE:
            return
        for outcome in stream:
            if outcome.origin.input != first.origin.input:
                ahead.append(outcome)
                return
            yield outcome

    while True:
        first = ahead.pop() if ahead else next(stream, None)
        if first is None:
            return
        rest = group(first)
        yield first.origin, rest
        deque(rest, maxlen=0)  # whatever the caller left of the group


def has_echoes(outcomes: Iterable[Outcome]) -> bool:
    """Whether any of one file's documents holds an echo; every outcome is read."""
    found = False
    for outcome in outcomes:
        found = found or bool(outcome.messages)
    return found


def would_change(origin: Origin, outcomes: Iterable[Outcome]) -> list[str] | None:
    """What fixing one file would change, as the lines of a unified diff; None when it
    would not be rewritten (nothing to remove, standard input, an archive, a compressed
    stream). Nothing is written."""
    stream = iter(outcomes)
    first = next(stream, None)
    if first is None:
        return None
    every = itertools.chain([first], stream)
    if not rewritable(origin):
        deque(every, maxlen=0)
        return None
    path = origin.source.path
    if origin.kind is TaskKind.JSONL:
        return _record_diff(path, every)
    output = None
    for outcome in every:
        output = outcome.output
    if output is None:
        return None
    with open(path, "rb") as fh:
        before = fh.read()
    return _diff(path, _lines(before), _lines(output))


def _lines(data: bytes) -> list[str]:
    # Bytes that are not UTF-8 stay in the diff as escapes, never dropped.
    return data.decode("utf-8", "backslashreplace").splitlines(keepends=True)


def _diff(path: str, before: list[str], after: list[str]) -> list[str]:
    lines = []
    for line in difflib.unified_diff(before, after, f"a/{path}", f"b/{path}"):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return lines


def _record_diff(path: str, outcomes: Iterable[Outcome]) -> list[str] | None:
    """A JSONL file's diff, a hunk per changed record, read alongside the file (its
    lines and the outcomes go one to one), so memory stays flat."""
    hunks: list[str] = []
    with open(path, "rb") as fh:
        # A line that failed (said already) passes through unchanged, as fixing keeps it.
        for number, (raw, outcome) in enumerate(zip(fh, outcomes, strict=False), start=1):
            if not outcome.changed or outcome.output is None or outcome.output == raw:
                continue
            old, new = _lines(raw), _lines(outcome.output)
            hunks.append(f"@@ -{number} +{number} @@\n")
            hunks += ["-" + line for line in old] + ["+" + line for line in new]
    if not hunks:
        return None
    return [f"--- a/{path}\n", f"+++ b/{path}\n", *hunks]


# ---------------------------------------------------------------- rewriting in place


def rewrite(outcomes: Iterable[Outcome]) -> bool:
    """Write one file's fixed documents over it, atomically; True when it changed.

    ``outcomes`` are one file's, in order, from the cleaning step in fix mode: the file's
    one document, or its JSONL records. Standard input, archives and compressed streams
    are read through but never written. Raises like ``fix_file``.
    """
    stream = iter(outcomes)
    first = next(stream, None)
    if first is None:
        return False
    origin, every = first.origin, itertools.chain([first], stream)
    if not rewritable(origin):
        deque(every, maxlen=0)  # read through: the caller may be showing them
        return False
    if origin.kind is TaskKind.JSONL:
        return _rewrite_records(origin, every)
    output = None
    for outcome in every:  # a file is one document
        output = outcome.output
    if output is None:
        return False
    _check_rewritable(origin.source.path, origin.stamp)
    atomic_write(origin.source.path, output)
    return True


def _rewrite_records(origin: Origin, outcomes: Iterable[Outcome]) -> bool:
    """Rewrite a JSONL file record by record into a temporary file that replaces it if
    anything changed; memory stays flat however long the file."""
    path = origin.source.path
    writer = _temporary(path)
    try:
        changed, whole = False, True
        for outcome in outcomes:
            changed = changed or outcome.changed
            # No output: a line too long to hold, or the rest of a file that failed to read.
            whole = whole and outcome.output is not None
            if isinstance(writer, AtomicWriter) and outcome.output is not None:
                writer = _written(writer, outcome.output)
        if not changed:
            return False
        if not whole:
            raise InputError(f"{path}: a line could not be kept as it was; not rewritten")
        _check_rewritable(path, origin.stamp)
        if not isinstance(writer, AtomicWriter):
            raise writer
        writer.commit()
        return True
    finally:
        if isinstance(writer, AtomicWriter):
            writer.abort()  # nothing once committed


def _temporary(path: str) -> AtomicWriter | Exception:
    """A temporary file to rewrite ``path`` into, or why there is none: an error only if
    the file turns out to need rewriting."""
    try:
        # Never a writer on a pipe or a device: its writes would go where the records come from.
        _check_rewritable(path, None)
        return AtomicWriter(path)
    except (InputError, OSError) as exc:
        return exc


def _written(writer: AtomicWriter, data: bytes) -> AtomicWriter | OSError:
    """The writer after writing ``data``, or the error that ended it (the rest is still read)."""
    try:
        writer.write(data)
    except OSError as exc:
        writer.abort()
        return exc
    return writer


def writable(path: str) -> bool:
    """Whether fixing could write over a file now: a regular file that is not read-only
    (``rewrite`` checks again, with the file's stamp, when it writes)."""
    try:
        _check_rewritable(path, None)
    except InputError:
        return False
    return True


def _check_rewritable(path: str, stamp: Stamp | None) -> None:
    """Raise InputError when a file must not be rewritten in place: it is gone, not a
    regular file, read-only, or no longer the file that was read (``stamp``)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: not a regular file; not rewritten")
    if not st.st_mode & 0o222:
        # Renaming over a file needs no write permission on it: honour its mode instead.
        raise InputError(f"{path}: read-only; not rewritten")
    if stamp is not None and stamp_of(st) != stamp:
        raise InputError(f"{path}: changed while dedup was running; not rewritten")

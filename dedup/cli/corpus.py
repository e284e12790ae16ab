"""``dedup corpus``: the documents of a run, in order, through one ``Corpus``.

Each task (a file, a JSONL record, a WARC response) becomes the same ``Outcome`` the
other commands write and count, with its part of the report.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import numpy as np

from ..api import Cleaner
from ..config import Config
from ..corpus import Prepared, prepare, record_site
from ..errors import DedupError, InputError
from ..io.records import Task, TaskKind
from ..report import Summary
from ..run.local import CHUNK_TASKS, WINDOW_PER_JOB, chunks, in_order
from ..run.records import Counts, Finding, Mode, Outcome, cleaner_for, findings_of
from ..streams import json_line, record_text, record_title

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Corpus, CorpusResult
    from .options import Reading


@dataclass(frozen=True)
class Doc:
    """A task made ready for matching: its document prepared (None: a record whose field
    is null), what to call it, its site, and for a record, the record."""

    task: Task
    prepared: Prepared | None
    site: str
    record: dict[str, Any] | None = None
    field: str = ""


def corpus_outcomes(
    corpus: Corpus,
    tasks: Iterable[Task],
    reading: Reading,
    site_field: str | None,
    removals_key: str,
    check: bool = False,
    engine: Engine | None = None,
) -> Iterator[tuple[Outcome, dict[str, Any] | None]]:
    """Each task cleaned against the corpus, in order, with its report part (None when
    nothing was removed or it failed); ``check``: nothing to write, what would go said.
    ``engine`` prepares the documents (in other processes); by default, here."""
    prepare_in = engine or Here()
    items = prepare_in.prepared(tasks, corpus.config, reading, site_field)
    for window in chunks_of(items, corpus.batch):
        # Matched a window at a time: one lookup in the index for all their blocks.
        docs = [d for d in window if isinstance(d, Doc) and d.prepared is not None]
        matched = iter(corpus.match_many([d.prepared for d in docs if d.prepared is not None]))
        for item in window:
            if isinstance(item, Outcome):
                yield item, None
                continue
            task = item.task
            result = next(matched) if item.prepared is not None else None
            try:
                outcome, part = _finished(item, result, reading, removals_key)
            except DedupError as exc:
                yield _failed(task, str(exc)), None
                continue
            if check and outcome.counts is not None:
                outcome = replace(outcome, output=None, findings=_findings(task, outcome, part))
            yield outcome, part


def chunks_of(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """The items in order, in lists of ``size``."""
    window: list[Any] = []
    for item in items:
        window.append(item)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def _failed(task: Task, message: str) -> Outcome:
    where = f"{task.name}:{task.origin.line}" if task.origin.line else task.name
    if not message.startswith(task.name):
        message = f"{where}: {message}"
    return Outcome(task.origin, _passed(task), error=message)


def prepare_tasks(
    tasks: list[Task], config: Config, reading: Reading, site_field: str | None, here: bool
) -> list[Doc | Outcome]:
    """Tasks made ready for matching, or the outcome of their failure: what a worker does
    (``here`` false: the parsed pages stay behind, as they cannot travel)."""
    cleaner = cleaner_for(config)
    out: list[Doc | Outcome] = []
    for task in tasks:
        if task.error is not None:
            out.append(Outcome(task.origin, _passed(task), error=task.error))
            continue
        try:
            doc = _prepared(cleaner, task, reading, site_field)
        except DedupError as exc:
            out.append(_failed(task, str(exc)))
            continue
        if not here and doc.prepared is not None and doc.prepared.result.page is not None:
            result = replace(doc.prepared.result, page=None)
            doc = replace(doc, prepared=replace(doc.prepared, result=result))
        out.append(doc)
    return out


def prepare_sent(
    tasks: list[Task], config: Config, reading: Reading, site_field: str | None
) -> Sent:
    """``prepare_tasks`` in a worker, made ready to travel back (``Returned`` takes it)."""
    return sent(prepare_tasks(tasks, config, reading, site_field, here=False))


# What a worker sends back for a chunk of tasks: for each, its outcome (when it failed) or
# (its result, site, blocks and forms, or None; its site, record and field); then every
# block's keys and sketches, in order, as two arrays.
Sent = tuple[list[Any], np.ndarray, np.ndarray]


def sent(docs: list[Doc | Outcome]) -> Sent:
    """Prepared documents as they travel: without their tasks, which the matching process
    sent and holds; a record without the text it will write its cleaned text over; the
    keys and sketches of a chunk's blocks in one array each, not two a document."""
    items: list[Any] = []
    keys: list[np.ndarray] = []
    sketches: list[np.ndarray] = []
    for doc in docs:
        if isinstance(doc, Outcome):
            items.append(doc)
            continue
        p, record = doc.prepared, doc.record
        if p is None:
            items.append((None, doc.site, record, doc.field))
            continue
        if record is not None and doc.field in record:
            record = {**record, doc.field: None}  # (its place in the record kept)
        keys.append(p.keys)
        sketches.append(p.sketches)
        items.append(((p.result, p.site, p.blocks, p.forms), doc.site, record, doc.field))
    return items, _stacked(keys, np.uint32), _stacked(sketches, np.uint8)


def _stacked(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.zeros((0, 0), dtype=dtype)


class Returned:
    """A chunk's ``prepare_sent``, once back, as the documents of its tasks."""

    def __init__(self, tasks: list[Task], pending: Any) -> None:
        self.tasks, self.pending = tasks, pending

    def result(self) -> list[Doc | Outcome]:
        items, keys, sketches = self.pending.result()
        out: list[Doc | Outcome] = []
        at = 0
        for task, item in zip(self.tasks, items, strict=True):
            if isinstance(item, Outcome):
                out.append(item)
                continue
            made, site, record, field = item
            prepared = None
            if made is not None:
                result, doc_site, blocks, forms = made
                end = at + len(blocks)
                prepared = Prepared(result, doc_site, blocks, forms, keys[at:end], sketches[at:end])
                at = end
            out.append(Doc(task, prepared, site, record, field))
        return out


class Engine(Protocol):
    """Where documents are prepared: the order of what comes back is the tasks' order."""

    def prepared(
        self, tasks: Iterable[Task], config: Config, reading: Reading, site_field: str | None
    ) -> Iterator[Doc | Outcome]: ...


class Here:
    """In this process, one task at a time."""

    def prepared(
        self, tasks: Iterable[Task], config: Config, reading: Reading, site_field: str | None
    ) -> Iterator[Doc | Outcome]:
        for task in tasks:
            yield from prepare_tasks([task], config, reading, site_field, here=True)


class InProcesses:
    """In ``jobs`` worker processes: chunks of tasks prepared there, a bounded number in
    flight, gathered in order."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def prepared(
        self, tasks: Iterable[Task], config: Config, reading: Reading, site_field: str | None
    ) -> Iterator[Doc | Outcome]:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=self.jobs, initializer=below_matching) as pool:
            yield from in_order(
                lambda chunk: Returned(
                    chunk, pool.submit(prepare_sent, chunk, config, reading, site_field)
                ),
                chunks(tasks, PREPARED_TASKS, CHUNK_BYTES),
                self.jobs * WINDOW_PER_JOB,
            )


def below_matching() -> None:
    """Run a worker below the matching process: matching is the one step that runs in
    order, and the workers only feed it, so when the processes outnumber the cores it
    must not wait for a core while they run ahead."""
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):  # (no such thing here, or not allowed)
        pass


WORKER_NICENESS = 5

# Tasks a worker prepares in one round trip (or CHUNK_BYTES of input): four times the other
# commands' chunk, as the matching process hands out and takes back every chunk itself (a
# round trip's wake-ups and result costs a few percent of its time at 32 records).
PREPARED_TASKS = 4 * CHUNK_TASKS


class OnDask:
    """On a Dask cluster: chunks of tasks prepared by its workers, a bounded number in
    flight, gathered in order; matching stays in this process, in input order, so the
    output is the same as one process's. ``client`` is a ``distributed.Client``. Chunks
    are of ``DASK_TASKS`` tasks and ``2 * WINDOW_PER_JOB`` of them a worker thread are in
    flight (a batch of documents on two workers, ``Corpus.batch``): while the matching
    process matches one batch, the workers prepare the next."""

    def __init__(self, client: Any, chunk: int = 0, window: int = 0) -> None:
        self.client, self.chunk = client, chunk or DASK_TASKS
        threads = max(1, sum(client.nthreads().values()))
        self.window = window or 2 * WINDOW_PER_JOB * threads

    def prepared(
        self, tasks: Iterable[Task], config: Config, reading: Reading, site_field: str | None
    ) -> Iterator[Doc | Outcome]:
        yield from in_order(
            lambda chunk: Returned(
                chunk,
                self.client.submit(prepare_sent, chunk, config, reading, site_field, pure=False),
            ),
            chunks(tasks, self.chunk, CHUNK_BYTES),
            self.window,
        )


# Tasks a Dask worker prepares in one round trip. Every task costs the scheduler, the
# client and a worker a round of messages: at a million paragraphs on two workers, chunks
# of 32 records took 57.8 s, of 64 49.3 s, of 128 45 to 51 s. But the matching process,
# which holds the client and the scheduler, grew through the run by more the larger the
# chunks (memory outside Python's objects: the allocator's, for the messages): it peaked
# at 551, 701 and 883 MiB, where the local engine peaks at 272.
DASK_TASKS = 64

# The most input bytes sent to a worker at once: a few pages' worth, well under what Dask
# warns of as a large graph.
CHUNK_BYTES = 4 << 20


def _findings(task: Task, outcome: Outcome, part: dict[str, Any] | None) -> tuple[Finding, ...]:
    """What checking a document against the corpus finds: its own echoes and its repeats."""
    if part is None:
        return ()
    result: CorpusResult = part["result"]
    own = findings_of(result.result, result.result.removed, task, Mode.CHECK)
    blocks = result.result.blocks
    kind = task.origin.kind
    cross = tuple(
        Finding(
            task.name,
            blocks[c.index].line if kind is TaskKind.FILE else task.origin.line,
            c.kind,
            c.reason,
            c.similarity,
            0,
            c.index,
            c.twin_index,
            "",
            kind,
            True,
            c.text[:300],
            c.twin_document,
        )
        for c in result.cross
    )
    return own + cross


def _passed(task: Task) -> bytes | None:
    """A JSONL line that cannot be cleaned is written through unchanged."""
    return task.raw if task.origin.kind is TaskKind.JSONL and task.raw else None


def _prepared(cleaner: Cleaner, task: Task, reading: Reading, site_field: str | None) -> Doc:
    """A task's document cleaned of its own echoes and keyed for matching."""
    kind = task.origin.kind
    if kind is TaskKind.JSONL:
        if not task.raw.strip():
            return Doc(task, None, "")
        where = f"{task.name}:{task.origin.line}"
        try:
            record = json.loads(task.raw)
        except (UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"{where}: malformed JSON: {exc}") from None
        field = reading.html_field or reading.field
        text = record_text(record, field, where)
        site = record_site(record, site_field)
        if text is None:
            return Doc(task, None, site, record, field)
        fmt = "html" if reading.html_field else None
        name = record_title(record, ("id", "url")) or where
        return Doc(task, prepare(cleaner, text, name, site, fmt), site, record, field)
    if kind is TaskKind.WARC:
        url = task.meta.get("url") or ""
        site = urlsplit(url).hostname or ""
        name = url or f"{task.name}: record {task.origin.line}"
        content_type = task.meta.get("content_type")
        return Doc(task, prepare(cleaner, task.data, name, site, "html", content_type), site)
    site = os.path.dirname(task.origin.source.relative) or os.path.dirname(task.name)
    # A file is named by its normalised path, so "./a/b.txt" and "a/b.txt" are one document.
    name = os.path.normpath(task.name)
    return Doc(task, prepare(cleaner, task.data, name, site), site)


def _finished(
    doc: Doc, result: CorpusResult | None, reading: Reading, removals_key: str
) -> tuple[Outcome, dict[str, Any] | None]:
    """A document matched against the corpus, written."""
    task = doc.task
    if result is None:
        if doc.record is None:  # a blank line
            return Outcome(task.origin, task.raw), None
        out = {**doc.record, removals_key: []}
        return Outcome(task.origin, json_line(out), Counts()), None
    if task.origin.kind is TaskKind.JSONL:
        assert doc.record is not None
        record = dict(doc.record)
        record[doc.field] = result.output()
        record[removals_key] = removals = result.removals()
        return _done(task, result, json_line(record), doc.site, removals)
    if task.origin.kind is TaskKind.WARC:
        out = {
            "url": task.meta.get("url"),
            "date": task.meta.get("date"),
            "record_id": task.meta.get("record_id"),
            reading.field: result.text,
            removals_key: result.removals(),
        }
        return _done(task, result, json_line(out), doc.site, out[removals_key])
    text = result.text  # HTML as its text, text and Markdown as themselves minus the repeats
    if text and not text.endswith("\n"):
        text += "\n"
    return _done(task, result, text.encode("utf-8"), doc.site)


def _done(
    task: Task,
    result: CorpusResult,
    output: bytes,
    site: str,
    removals: list[dict[str, Any]] | None = None,
) -> tuple[Outcome, dict[str, Any] | None]:
    """A document's outcome and its report part (``removals``: its removals as data, if
    they were made for its record already)."""
    own = result.result.removed
    counts = Counts(
        len(result.result.blocks),
        tuple(str(r.kind) for r in own) + tuple(c.kind for c in result.cross),
        tuple(str(r.reason) for r in own) + tuple(c.reason for c in result.cross),
    )
    outcome = Outcome(task.origin, output, counts, size=len(task.data) + len(task.raw))
    if not own and not result.cross:
        return outcome, None
    # (``result`` is for checking, and dropped from the report.)
    return outcome, {
        "document": result.name,
        "site": site,
        "removed": result.removals() if removals is None else removals,
        "result": result,
    }


class Reordered:
    """Tasks taken in the order of a JSONL field (``--order-field``), then of the input,
    and their outcomes put back in input order: both sorted on disk (a temporary SQLite
    file), so memory holds neither. Without a field, everything passes straight through."""

    def __init__(self, field: str | None) -> None:
        self.field = field
        self.db: sqlite3.Connection | None = None
        self.taken: deque[int] = deque()

    def __enter__(self) -> Reordered:
        if self.field is not None:
            self.directory = tempfile.TemporaryDirectory(prefix="dedup-order-")
            self.db = sqlite3.connect(os.path.join(self.directory.name, "order.db"))
            self.db.execute("CREATE TABLE tasks (late INT, key, seq INT, task BLOB)")
            self.db.execute("CREATE TABLE outcomes (seq INTEGER PRIMARY KEY, outcome BLOB)")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.close()
            self.directory.cleanup()

    def tasks(self, tasks: Iterable[Task]) -> Iterator[Task]:
        if self.db is None:
            yield from tasks
            return
        rows = ((*self._key(task), seq, pickle.dumps(task)) for seq, task in enumerate(tasks))
        self.db.executemany("INSERT INTO tasks VALUES (?, ?, ?, ?)", rows)
        for seq, blob in self.db.execute("SELECT seq, task FROM tasks ORDER BY late, key, seq"):
            self.taken.append(seq)
            yield pickle.loads(blob)

    def _key(self, task: Task) -> tuple[int, Any]:
        """(0, the field's value) for a record that has it, else (1, None)."""
        if task.origin.kind is not TaskKind.JSONL or not task.raw.strip():
            return 1, None
        try:
            value = json.loads(task.raw).get(self.field)
        except (ValueError, AttributeError):
            return 1, None
        if value is None:
            return 1, None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            value = json.dumps(value, sort_keys=True)
        return 0, value

    def write(self, outcome: Outcome, write: Callable[[Outcome], None]) -> None:
        if self.db is None:
            write(outcome)
            return
        seq = self.taken.popleft()
        self.db.execute("INSERT INTO outcomes VALUES (?, ?)", (seq, pickle.dumps(outcome)))

    def finish(self, write: Callable[[Outcome], None]) -> None:
        if self.db is None:
            return
        for (blob,) in self.db.execute("SELECT outcome FROM outcomes ORDER BY seq"):
            write(pickle.loads(blob))


class CorpusReport:
    """The JSON report of a corpus run, written as the run goes: each document's removals,
    then the boilerplate (each text once, with its document count, sites and examples)
    and the summary."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.first = True
        out.write(b'{\n  "documents": [')

    def add(self, part: dict[str, Any]) -> None:
        entry = {k: v for k, v in part.items() if k != "result"}
        text = json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        self.out.write(("\n    " if self.first else ",\n    ").encode() + text.encode("utf-8"))
        self.first = False

    def finish(self, corpus: Corpus, summary: Summary) -> None:
        rest = {"boilerplate": list(corpus.boilerplate()), "summary": summary.as_dict()}
        tail = json.dumps(rest, ensure_ascii=False, indent=2)[1:]  # (without its "{")
        self.out.write(
            ("\n  " if not self.first else "").encode() + b"]," + tail.encode("utf-8") + b"\n"
        )


class CorpusHtmlReport:
    """The HTML report of a corpus run (``--report NAME.html``): the summary, the
    boilerplate found, then each document's removals with their twins, filterable by kind
    and rule as ``clean``'s report is. The documents' sections wait in a temporary file
    until the counts the page opens with are known."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish
        self.kinds: dict[str, int] = {}
        self.rules: dict[str, int] = {}

    def add(self, part: dict[str, Any]) -> None:
        from html import escape

        rows = []
        for r in part["removed"]:
            kind, rule = str(r["kind"]), str(r["reason"])
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            self.rules[rule] = self.rules.get(rule, 0) + 1
            twin = r["duplicate_of"]
            where = (
                f"block {twin['index']} of {escape(str(twin['document']))}"
                if isinstance(twin, dict)
                else f"block {twin} of this document"
            )
            rows.append(
                f'<tr data-kind="{escape(kind)}" data-rule="{escape(rule)}"><td>{r["index"]}</td>'
                f"<td>{escape(kind)}</td><td>{escape(rule)}</td><td>{r['similarity']:.2f}</td>"
                f'<td class="t">{escape(str(r["text"]))}</td><td class="t">{where}</td></tr>'
            )
        site = f" <small>{escape(part['site'])}</small>" if part.get("site") else ""
        self.spool.write(
            (
                f'<section class="document"><h2>{escape(str(part["document"]))}{site}</h2>'
                '<table class="removals"><tr><th>block</th><th>kind</th><th>rule</th>'
                "<th>similarity</th><th>removed</th><th>duplicate of</th></tr>"
                + "".join(rows)
                + "</table></section>\n"
            ).encode("utf-8")
        )

    def finish(self, corpus: Corpus, summary: Summary) -> None:
        from html import escape

        from ..report.as_html import PAGE_TAIL, page_head

        self.out.write(page_head(summary, self.kinds, self.rules).encode("utf-8"))
        found = list(corpus.boilerplate())
        if found:
            rows = "".join(
                f'<tr><td class="t">{escape(b["text"])}</td><td>{b["documents"]:,}</td>'
                f'<td class="t">{escape(", ".join(b["sites"]))}</td>'
                f'<td class="t">{escape(", ".join(map(str, b["examples"])))}</td></tr>'
                for b in found
            )
            self.out.write(
                (
                    '<h2 id="boilerplate">Boilerplate</h2><table class="boilerplate"><tr>'
                    "<th>text</th><th>documents</th><th>sites</th><th>examples</th></tr>"
                    f"{rows}</table>\n"
                ).encode()
            )
        self.spool.seek(0)
        while chunk := self.spool.read(1 << 20):
            self.out.write(chunk)
        self.spool.close()
        self.out.write(PAGE_TAIL.encode("utf-8"))

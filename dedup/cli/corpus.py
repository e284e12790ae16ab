"""``dedup corpus``: the documents of a run, in order, through one ``Corpus``.

Each task (a file, a JSONL record, a WARC response) becomes the same ``Outcome`` the
other commands write and count, with its part of the report.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import DedupError, InputError
from ..io.records import Task, TaskKind
from ..report import Summary
from ..run.records import Counts, Finding, Mode, Outcome, findings_of
from ..streams import record_text

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Corpus, CorpusResult
    from .options import Reading


def corpus_outcomes(
    corpus: Corpus,
    tasks: Iterable[Task],
    reading: Reading,
    site_field: str | None,
    removals_key: str,
    check: bool = False,
) -> Iterator[tuple[Outcome, dict[str, Any] | None]]:
    """Each task cleaned against the corpus, in order, with its report part (None when
    nothing was removed or it failed); ``check``: nothing to write, what would go said."""
    for task in tasks:
        if task.error is not None:
            yield Outcome(task.origin, _passed(task), error=task.error), None
            continue
        try:
            outcome, part = _cleaned(corpus, task, reading, site_field, removals_key)
            if check and outcome.counts is not None:
                outcome = replace(outcome, output=None, findings=_findings(task, outcome, part))
            yield outcome, part
        except DedupError as exc:
            message = str(exc)
            where = f"{task.name}:{task.origin.line}" if task.origin.line else task.name
            if not message.startswith(task.name):
                message = f"{where}: {message}"
            yield Outcome(task.origin, _passed(task), error=message), None


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


def _cleaned(
    corpus: Corpus, task: Task, reading: Reading, site_field: str | None, removals_key: str
) -> tuple[Outcome, dict[str, Any] | None]:
    kind = task.origin.kind
    if kind is TaskKind.JSONL:
        if not task.raw.strip():
            return Outcome(task.origin, task.raw), None
        where = f"{task.name}:{task.origin.line}"
        try:
            record = json.loads(task.raw)
        except (UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"{where}: malformed JSON: {exc}") from None
        field = reading.html_field or reading.field
        text = record_text(record, field, where)
        if text is None:
            out = {**record, removals_key: []}
            return Outcome(task.origin, _line(out), Counts()), None
        site = _site(record, site_field)
        name = _title(record) or where
        fmt = "html" if reading.html_field else None
        result = corpus.clean(text, name=name, site=site, format=fmt)
        record[field] = result.output()
        record[removals_key] = result.removals()
        return _done(task, result, _line(record), site)
    if kind is TaskKind.WARC:
        url = task.meta.get("url") or ""
        name = url or f"{task.name}: record {task.origin.line}"
        result = corpus.clean(
            task.data,
            name=name,
            site=urlsplit(url).hostname or "",
            format="html",
            content_type=task.meta.get("content_type"),
        )
        out = {
            "url": task.meta.get("url"),
            "date": task.meta.get("date"),
            "record_id": task.meta.get("record_id"),
            reading.field: result.text,
            removals_key: result.removals(),
        }
        return _done(task, result, _line(out), urlsplit(url).hostname or "")
    site = os.path.dirname(task.origin.source.relative) or os.path.dirname(task.name)
    # A file is named by its normalised path, so "./a/b.txt" and "a/b.txt" are one document.
    name = os.path.normpath(task.name)
    result = corpus.clean(task.data, name=name, site=site, format=None)
    text = result.text  # HTML as its text, text and Markdown as themselves minus the repeats
    if text and not text.endswith("\n"):
        text += "\n"
    return _done(task, result, text.encode("utf-8"), site)


def _done(
    task: Task, result: CorpusResult, output: bytes, site: str
) -> tuple[Outcome, dict[str, Any] | None]:
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
        "removed": result.removals(),
        "result": result,
    }


def _line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def _site(record: dict[str, Any], site_field: str | None) -> str:
    """A record's site: its site field, else the host of its URL, else none."""
    if site_field and isinstance(record.get(site_field), str):
        return str(record[site_field])
    url = record.get("url")
    return (urlsplit(url).hostname or "") if isinstance(url, str) else ""


def _title(record: dict[str, Any]) -> str | None:
    for key in ("id", "url"):
        value = record.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return str(value)
    return None


def corpus_report(parts: list[dict[str, Any]], corpus: Corpus, summary: Summary) -> str:
    """The JSON report of a corpus run: each document's removals, the boilerplate (each
    text once, with its document count, sites and examples), and the summary."""
    data = {
        "documents": [{k: v for k, v in part.items() if k != "result"} for part in parts],
        "boilerplate": list(corpus.boilerplate()),
        "summary": summary.as_dict(),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

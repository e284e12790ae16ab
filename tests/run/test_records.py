"""The cleaning step, one task to one outcome; and inputs that once crashed dedup (found by
fuzz/fuzz_inputs.py): each must now clean or raise an InputError, in every input format, and
its rewrite and report must not fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dedup
from dedup.io.inputs import Source
from dedup.io.records import Origin, Task, TaskKind
from dedup.run.records import Counts, Mode, OnError, Options, process

CASES = sorted((Path(__file__).parent.parent / "data" / "fuzz").glob("*"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name[:20])
def test_former_crash(path):
    data = path.read_bytes()
    cleaner = dedup.Cleaner(dedup.Config(include_alt=True))
    for fmt in ("html", "text", "markdown", None):
        try:
            result = cleaner.clean(data, format=fmt, name=path.name)
        except dedup.InputError:
            continue
        assert isinstance(result.text, str) and isinstance(result.html, str)
        json.loads(result.report("json"))
    origin = Origin(Source(path.name, path.name), 0, TaskKind.JSONL, line=1)
    outcome = process(Task(origin, raw=data), Options(dedup.Config()))
    assert not (outcome.error or "").count("internal error")


CAP = "Rescue workers search the rubble of the collapsed building in the old town"
TEXT = f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n\n{CAP}\n"


def _task(kind: TaskKind, **payload) -> Task:
    name = "a.jsonl" if kind is TaskKind.JSONL else "a.txt"
    return Task(
        Origin(Source(name, name), 0, kind, line=1 if kind is TaskKind.JSONL else 0), **payload
    )


@pytest.mark.parametrize("mode", list(Mode))
def test_a_document_gives_its_numbers_and_messages_in_every_mode(mode):
    outcome = process(_task(TaskKind.FILE, data=TEXT.encode()), Options(dedup.Config(), mode))
    assert outcome.counts == Counts(4, ("paragraph",), ("exact",))
    assert outcome.changed and outcome.error is None
    # Checking removes nothing, and says so.
    verb = "would remove" if mode is Mode.CHECK else "removed"
    assert outcome.messages == (f"a.txt:7: {verb} paragraph duplicating line 3 (similarity 1.00)",)
    cleaned = dedup.clean(TEXT).text.encode()
    assert outcome.output == {Mode.CLEAN: cleaned, Mode.CHECK: None, Mode.FIX: cleaned}[mode]


@pytest.mark.parametrize(
    "mode, on_error, output",
    [
        (Mode.CLEAN, OnError.PASS, b"{broken\n"),
        (Mode.CLEAN, OnError.SKIP, None),
        (Mode.CHECK, OnError.PASS, None),
        (Mode.FIX, OnError.SKIP, b"{broken\n"),  # fixing a file never drops a line
    ],
)
def test_a_record_that_cannot_be_cleaned_passes_through_or_goes(mode, on_error, output):
    options = Options(dedup.Config(), mode, on_error=on_error)
    outcome = process(_task(TaskKind.JSONL, raw=b"{broken\n"), options)
    assert outcome.error is not None and outcome.error.startswith("a.jsonl:1: malformed JSON")
    assert outcome.output == output and outcome.counts is None and not outcome.changed


def test_a_blank_record_line_is_no_document():
    for mode in Mode:
        outcome = process(_task(TaskKind.JSONL, raw=b"\n"), Options(dedup.Config(), mode))
        assert outcome.counts is None and outcome.error is None
        assert outcome.output == (None if mode is Mode.CHECK else b"\n")


def test_a_record_that_stays_the_same_is_written_byte_for_byte():
    line = b'{"text":  "Nothing repeats.",   "x": 1.50}\n'
    outcome = process(_task(TaskKind.JSONL, raw=line), Options(dedup.Config(), Mode.FIX))
    assert outcome.output == line and outcome.counts == Counts(1) and not outcome.changed

"""Inputs that once crashed dedup (found by fuzz/fuzz_inputs.py): each must now clean or
raise an InputError, in every input format, and its rewrite and report must not fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dedup
from dedup.io.inputs import Source
from dedup.run.records import Options, process
from dedup.io.records import Task

CASES = sorted((Path(__file__).parent / "data" / "fuzz").glob("*"))


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
    outcome = process(Task(Source(path.name, path.name), 0, "jsonl", line=1, raw=data),
                      Options(dedup.Config()))
    assert not (outcome.error or "").count("internal error")

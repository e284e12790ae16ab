"""Coverage-guided fuzzing of the decoder and the parsers (atheris; outside make test).

    make fuzz      # 20 minutes from fuzz/seeds and samples/; corpus in fuzz/corpus, crashes in fuzz/crashes
    .venv/bin/python fuzz/fuzz_inputs.py fuzz/corpus -max_total_time=60

Each input is cleaned as HTML, text and Markdown from its bytes, and read as a JSONL line;
any exception other than dedup's own InputError is a crash. Crashing inputs found here are
copied to tests/data/fuzz/, which tests/run/test_records.py replays on every run.
"""

from __future__ import annotations

import json
import sys

import atheris

with atheris.instrument_imports():
    import dedup
    from dedup.io.inputs import Source
    from dedup.io.records import Origin, Task, TaskKind
    from dedup.run.records import Options, process

CLEANER = dedup.Cleaner(dedup.Config(max_bytes=1 << 20, include_alt=True))
OPTIONS = Options(dedup.Config(max_bytes=1 << 20))
ORIGIN = Origin(Source("fuzz.jsonl", "fuzz.jsonl"), 0, TaskKind.JSONL, line=1)


def one_input(data: bytes) -> None:
    for fmt in ("html", "text", "markdown", None):
        try:
            result = CLEANER.clean(data, format=fmt, name="fuzz")
        except dedup.InputError:
            continue
        result.text  # noqa: B018 - the rewrite must not fail either
        result.html  # noqa: B018
        json.loads(result.report("json"))
    outcome = process(Task(ORIGIN, raw=data), OPTIONS)
    if outcome.error and "internal error" in outcome.error:
        raise RuntimeError(outcome.error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()

"""Score dedup against removals judged by hand (bench/adjudicated/*.tsv).

Each line of a verdict file names a page of ../shared/corpus, whether alt text was read as
blocks, the output (``text`` or ``html``), a block and the verdict a person gave its
removal: ``echo`` (it may go: its twin says all it says) or ``content`` (a reader loses
something when it goes). Scored on today's code: the echoes still removed (recall) and the
content removed (over-removals), for each half of the corpus (the pages rules were written
on, ``tune``, and the others, ``held``: bench/mine.py's fixed split by file name).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import dedup

from .mine import split_half

VERDICTS = Path(__file__).resolve().parent / "adjudicated"


def load() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(VERDICTS.glob("*.tsv")):
        with open(path, encoding="utf-8", newline="") as fh:
            rows += list(csv.DictReader(fh, delimiter="\t"))
    return rows


def score(corpus: Path) -> dict:
    """Recall on the echo verdicts and over-removals on the content verdicts, by half."""
    rows = load()
    removed: dict[tuple[str, bool, str], set[int]] = {}
    cleaners = {alt: dedup.Cleaner(dedup.Config(include_alt=alt)) for alt in (False, True)}
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        page, alt, view = row["page"], row["alt"].lower() == "true", row["view"]
        key = (page, alt, view)
        if key not in removed:
            data = (corpus / "pages" / page).read_bytes()
            result = cleaners[alt].clean(data, name=page)
            removed[(page, alt, "text")] = {r.index for r in result.removed}
            removed[(page, alt, "html")] = {r.index for r in result.html_removed}
        gone = int(row["index"]) in removed[key]
        for half in (split_half(page), "all"):
            tally[half][f"{row['verdict']}s"] += 1
            tally[half][f"{row['verdict']}s removed"] += gone
    out = {}
    for half, t in tally.items():
        echoes = t["echos"]
        out[half] = {
            "echoes": echoes,
            "recall": round(t["echos removed"] / echoes, 4) if echoes else None,
            "content": t["contents"],
            "over_removals": t["contents removed"],
        }
    return out

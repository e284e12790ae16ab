"""Score dedup against verdicts given by hand (bench/adjudicated/).

Two sets, both judged under the policy of the text output (a caption, credit or furniture
line repeated anywhere on a page appears once; repeats that are content stay):

- ``clusters.tsv``: every cluster of similar blocks bench/mine.py finds on the corpus pages
  (text view, alt text not read). A row names the block that stays (``keep``), the blocks
  that only say it again (``goes``) and the blocks of the cluster that are content
  (``stays``), with a digest of the cluster's texts so a verdict never scores a block it
  was not given for (a parser change that moves blocks makes the row ``stale``). Menu
  labels and buttons judged to stay because a minimum length keeps them (not because a
  reader would miss a second copy: up to four words where the verdict calls them short,
  or three words or fewer said word for word twice) are ``either``: neither their removal
  nor their staying is scored.
- ``picture-policy.tsv``: single removals rule changes made, judged ``echo`` or ``content``,
  in both views and with alt text read.

Recall is the share of blocks judged to go that dedup removes. For a group of copies the
count is of copies removed, whichever of them dedup keeps. Over-removals are blocks judged
content that dedup removes. Each figure is given for the pages rules were written on
(``tune``), for the others (``held``: bench/mine.py's fixed split) and for all.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import dedup
from dedup.match.normalize import fold

from .mine import split_half

VERDICTS = Path(__file__).resolve().parent / "adjudicated"
CLUSTERS = VERDICTS / "clusters.tsv"
REMOVALS = VERDICTS / "picture-policy.tsv"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def indices(field: str) -> list[int]:
    return [int(i) for i in field.split(",") if i.strip()]


def digest(texts: Iterable[str]) -> str:
    """A short fingerprint of a cluster's texts (folded, in the row's order)."""
    joined = "\x1f".join(fold(t) for t in texts)
    return hashlib.sha1(joined.encode()).hexdigest()[:10]


def _tally(out: dict, half: str, key: str, n: int = 1) -> None:
    for h in (half, "all"):
        out[h][key] += n


def _finish(tally: dict) -> dict:
    out = {}
    for half in ("tune", "held", "all"):
        t = tally.get(half)
        if not t:
            continue
        echoes = t["echoes"]
        out[half] = {
            "echoes": echoes,
            "recall": round(t["removed"] / echoes, 4) if echoes else None,
            "content": t["content"],
            "over_removals": t["over"],
        }
        if t.get("stale"):
            out[half]["stale"] = t["stale"]
    return out


class _Runs:
    """dedup's removals on a corpus page, both views, cached per (page, alt)."""

    def __init__(self, corpus: Path) -> None:
        self.corpus = corpus
        self.cleaners = {alt: dedup.Cleaner(dedup.Config(include_alt=alt)) for alt in (False, True)}
        self.cache: dict[tuple[str, bool], dedup.Result] = {}

    def result(self, page: str, alt: bool) -> dedup.Result:
        key = (page, alt)
        if key not in self.cache:
            data = (self.corpus / "pages" / page).read_bytes()
            self.cache[key] = self.cleaners[alt].clean(data, name=page)
        return self.cache[key]

    def removed(self, page: str, alt: bool, view: str) -> set[int]:
        result = self.result(page, alt)
        plan = result.removed if view == "text" else result.html_removed
        return {r.index for r in plan}


def score_clusters(corpus: Path, runs: _Runs | None = None) -> dict:
    runs = runs or _Runs(corpus)
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in _rows(CLUSTERS):
        page, half = row["page"], split_half(row["page"])
        keep, goes, stays = indices(row["keep"]), indices(row["goes"]), indices(row["stays"])
        either = indices(row["either"])
        blocks = runs.result(page, False).blocks
        members = keep + goes + stays + either
        if (
            any(i >= len(blocks) for i in members)
            or digest(blocks[i].text for i in members) != row["digest"]
        ):
            _tally(tally, half, "stale")
            continue
        removed = runs.removed(page, False, "text")
        _tally(tally, half, "echoes", len(goes))
        _tally(tally, half, "removed", min(len(goes), len(removed & {*keep, *goes})))
        _tally(tally, half, "content", len(stays))
        _tally(tally, half, "over", len(removed & set(stays)))
        if keep and goes and {*keep, *goes} <= removed:
            _tally(tally, half, "over")  # every copy gone: nothing kept
    return _finish(tally)


def score_removals(corpus: Path, runs: _Runs | None = None) -> dict:
    runs = runs or _Runs(corpus)
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in _rows(REMOVALS):
        page, alt, view = row["page"], row["alt"].lower() == "true", row["view"]
        gone = int(row["index"]) in runs.removed(page, alt, view)
        half = split_half(page)
        if row["verdict"] == "echo":
            _tally(tally, half, "echoes")
            _tally(tally, half, "removed", gone)
        else:
            _tally(tally, half, "content")
            _tally(tally, half, "over", gone)
    return _finish(tally)


def score(corpus: Path) -> dict:
    runs = _Runs(corpus)
    out = {"removals": score_removals(corpus, runs)}
    if CLUSTERS.exists():
        out["clusters"] = score_clusters(corpus, runs)
    return out


# What a verdict says when it keeps a label only for being short: "nav label, short
# furniture", "three-word footer label", "(3 words)".
_SHORT_LABELS = re.compile(
    r"short|1-3 words|one to three|\b(?:one|two|three)-word|\b[123] words?\b", re.IGNORECASE
)


# A label's length: some verdicts call a four-word menu item short ("Office of the
# President") where the others draw the line at three.
_LABEL_WORDS = 4


def _only_short(text: str, called_short: bool, folds: Counter[str]) -> bool:
    """Kept only for being short: a label the verdict calls short, or a label of three
    words or fewer said word for word twice (which the brief kept for the minimum length),
    whatever the verdict's line was about."""
    words = len(text.split())
    if called_short and words <= _LABEL_WORDS:
        return True
    return words <= _LABEL_WORDS - 1 and folds[fold(text)] > 1


def merge(clusters_jsonl: Path, verdict_files: list[Path], corpus: Path) -> list[dict[str, str]]:
    """Hand verdicts (page, cluster, verdict, keep, goes, why; ``goes`` may say ``rest``)
    made explicit for clusters.tsv: every member of the cluster named, and the digest."""
    import json

    members: dict[tuple[str, int], list[int]] = {}
    with open(clusters_jsonl, encoding="utf-8") as fh:
        for line in fh:
            c = json.loads(line)
            members[c["page"], c["cluster"]] = [b["index"] for b in c["blocks"]]
    judged: dict[tuple[str, int], list[dict[str, str]]] = defaultdict(list)
    for path in verdict_files:
        for row in _rows(path):
            judged[row["page"], int(row["cluster"])].append(row)
    missing = set(members) - set(judged)
    if missing:
        raise SystemExit(f"adjudicated: {len(missing)} clusters without a verdict")
    runs = _Runs(corpus)
    out = []
    for key in sorted(judged):
        page, cluster = key
        if key not in members:
            raise SystemExit(f"adjudicated: {page} #{cluster} is not a mined cluster")
        everyone = members[key]
        groups = []
        for row in judged[key]:
            if row["verdict"] == "content":
                continue
            keep = int(row["keep"])
            goes = (
                [i for i in everyone if i != keep]
                if row["goes"].strip() == "rest"
                else indices(row["goes"])
            )
            if keep not in everyone or not set(goes) <= set(everyone) or keep in goes:
                raise SystemExit(f"adjudicated: {page} #{cluster}: indices outside the cluster")
            groups.append(([keep], goes, row["why"]))
        named = {i for keep, goes, _ in groups for i in (*keep, *goes)}
        stays = [i for i in everyone if i not in named]
        if not groups:
            groups = [([], [], judged[key][0]["why"])]
        blocks = runs.result(page, False).blocks
        short = _SHORT_LABELS.search(" ".join(r["why"] for r in judged[key]))
        folds = Counter(fold(blocks[i].text) for i in everyone)
        either = [i for i in stays if _only_short(blocks[i].text, bool(short), folds)]
        stays = [i for i in stays if i not in either]
        for n, (keep, goes, why) in enumerate(groups):
            rest, loose = (stays, either) if n == 0 else ([], [])
            out.append(
                {
                    "page": page,
                    "cluster": str(cluster),
                    "keep": ",".join(map(str, keep)),
                    "goes": ",".join(map(str, goes)),
                    "stays": ",".join(map(str, rest)),
                    "either": ",".join(map(str, loose)),
                    "digest": digest(blocks[i].text for i in keep + goes + rest + loose),
                    "why": why.strip(),
                }
            )
    return out


if __name__ == "__main__":
    import json
    import sys

    from .run import CORPUS

    if sys.argv[1:2] == ["merge"]:
        rows = merge(Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]], CORPUS)
        with open(CLUSTERS, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t")
            writer.writeheader()
            writer.writerows(rows)
        print(f"adjudicated: {len(rows)} rows -> {CLUSTERS}", file=sys.stderr)
    else:
        json.dump(score(CORPUS), sys.stdout, indent=2)
        print()

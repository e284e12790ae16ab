"""Corpus mode, measured: a generated corpus of real paragraphs with known copies.

The generator (deterministic seed) builds records of eight body paragraphs and a site's
newsletter line. A body paragraph is new (two sentences of like length from the corpus
truth texts, joined: every new one is distinct), or a copy of an earlier one:
exact (syndicated), or near (one word dropped and its punctuation changed: Jaccard about
0.9). Each paragraph's truth is known: the first of its family is the original, every
later one a copy, which keep-first removal must remove and nothing else.

``dedup corpus`` runs as a process on the file (its peak RSS read from /proc); its
output's removal lists are scored against the truth: precision, recall, near-copy recall,
and families that lost every member (the original too).
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
from pathlib import Path

from dedup.match.normalize import fold

from .run import CORPUS, _peak_rss, _truth

SITES = 50
BODY = 8
EXACT, NEAR = 0.10, 0.08
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def sentences() -> list[str]:
    """Real sentences of 60 to 300 characters from the corpus truth texts, each once.

    The truth texts hold one article as several extractors saw it, so a sentence's
    variants are dropped (the same start or end); so are sentences with digits (a number
    tells copies apart) and mis-decoded ones (runs of Latin-1 letters such as "Ã©").
    """
    found: dict[str, None] = {}
    ends: set[str] = set()
    for page in sorted((CORPUS / "pages").glob("*.html")):
        for paragraph in _truth(page.name[:-5]):
            for s in _SENTENCE.split(" ".join(paragraph.split())):
                if not 60 <= len(s) <= 300 or re.search(r"\d|[\u0080-\u00ff]{2}", s):
                    continue
                key = fold(s)
                if key[:40] in ends or key[-40:] in ends:
                    continue
                ends.update((key[:40], key[-40:]))
                found[s] = None
    return list(found)


def _near(text: str, rng: random.Random) -> str:
    """A near copy: one word of five letters or more dropped, the last stop changed."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if long:
        del words[rng.choice(long)]
    out = " ".join(words)
    return out[:-1] + "!" if out.endswith(".") else out + "!"


def generate(path: Path, paragraphs: int, seed: int = 0) -> list[list[str]]:
    """Write the corpus to ``path`` (JSONL, field "text"); each record's truth labels,
    one per paragraph: ``orig``, ``exact`` or ``near``."""
    rng = random.Random(seed)
    pool = sentences()
    originals: list[str] = []
    seen: set[frozenset[str]] = set()  # each pair of sentences once, in either order
    truth: list[list[str]] = []
    boiler = [
        f"Sign up for the site {chr(65 + s % 26)}{s} newsletter and get the top stories in "
        "your inbox every weekday morning."
        for s in range(SITES)
    ]
    site_seen: set[int] = set()
    written = 0
    with path.open("w", encoding="utf-8") as out:
        number = 0
        while written < paragraphs:
            site = number % SITES
            body, labels = [], []
            for _ in range(BODY):
                roll = rng.random()
                if originals and roll < EXACT:
                    body.append(rng.choice(originals))
                    labels.append("exact")
                elif originals and roll < EXACT + NEAR:
                    body.append(_near(rng.choice(originals), rng))
                    labels.append("near")
                else:
                    # Two sentences of like length: two new paragraphs sharing one sentence
                    # then stay far under the Jaccard of a copy (about 0.5), so an original
                    # is never, by accident, a near copy of another.
                    while True:
                        first, second = rng.choice(pool), rng.choice(pool)
                        ratio = len(first) / len(second)
                        pair = frozenset((first, second))
                        if 0.8 <= ratio <= 1.25 and first != second and pair not in seen:
                            break
                    seen.add(pair)
                    text = f"{first} {second}"
                    originals.append(text)
                    body.append(text)
                    labels.append("orig")
            body.append(boiler[site])
            labels.append("orig" if site not in site_seen else "exact")
            site_seen.add(site)
            record = {"id": number, "url": f"https://site{site}.example/{number}"}
            out.write(json.dumps({**record, "text": "\n\n".join(body) + "\n"}) + "\n")
            truth.append(labels)
            written += len(body)
            number += 1
    return truth


def measure(paragraphs: int, seed: int = 0) -> dict:
    """Generate, run ``dedup corpus`` with a file index, and score its removals."""
    with tempfile.TemporaryDirectory() as tmp:
        data, out, index = Path(tmp, "corpus.jsonl"), Path(tmp, "out.jsonl"), Path(tmp, "c.idx")
        truth = generate(data, paragraphs, seed)
        cmd = [sys.executable, "-m", "dedup", "corpus", str(data), "-q", "-o", str(out)]
        wall, peak, _, code = _peak_rss([*cmd, "--index", str(index)])
        if code != 0:
            raise SystemExit(f"bench: dedup corpus failed with exit {code}")
        removed_copies = removed = copies = near = near_removed = lost_originals = 0
        with out.open(encoding="utf-8") as fh:
            for labels, line in zip(truth, fh, strict=True):
                gone = {r["index"] for r in json.loads(line)["dedup"]}
                removed += len(gone)
                for i, label in enumerate(labels):
                    if label == "orig":
                        lost_originals += i in gone
                        continue
                    copies += 1
                    removed_copies += i in gone
                    if label == "near":
                        near += 1
                        near_removed += i in gone
        index_mib = index.stat().st_size / 2**20
    return {
        "paragraphs": sum(map(len, truth)),
        "documents": len(truth),
        "seconds": round(wall, 1),
        "paragraphs_per_second": round(sum(map(len, truth)) / wall),
        "peak_rss_mib": round(peak),
        "index_mib": round(index_mib, 1),
        "precision": round(removed_copies / removed, 4) if removed else 1.0,
        "recall": round(removed_copies / copies, 4) if copies else 1.0,
        "near_recall": round(near_removed / near, 4) if near else 1.0,
        "originals_removed": lost_originals,
    }

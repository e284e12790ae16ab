"""Corpus mode, measured: a generated corpus of real paragraphs with known copies.

The generator (deterministic seed) builds records of eight body paragraphs and a site's
newsletter line. A body paragraph is new (two sentences chained from the words of the
corpus truth texts' sentences: see ``Writer``; every new one is distinct), or a copy of an
earlier one:
exact (syndicated), or near (one word dropped and its punctuation changed: Jaccard about
0.9). Each paragraph's truth is known: the first of its family is the original, every
later one a copy, which keep-first removal must remove and nothing else.

``dedup corpus`` runs as a process on the file (its peak RSS read from /proc); its
output's removal lists are scored against the truth: precision, recall, near-copy recall,
and families that lost every member (the original too).
"""

from __future__ import annotations

import hashlib
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


class Writer:
    """New sentences from the corpus's own: a chain of words where each next word is one
    that followed the last two somewhere in a real sentence. A corpus of a few thousand
    sentences cannot fill millions of distinct paragraphs from its sentences as they are
    (paragraphs sharing a sentence are alike enough to be candidates of each other, which
    real corpora are not); chained, its words and word pairs are real and a paragraph
    shares no more with the others than real text does."""

    def __init__(self, pool: list[str]) -> None:
        self.said: set[int] = set()  # every sentence once: no two originals share one
        self.starts: list[tuple[str, str]] = []
        self.next: dict[tuple[str, str], list[str]] = {}
        for sentence in pool:
            words = sentence.split()
            if len(words) < 3:
                continue
            self.starts.append((words[0], words[1]))
            for a, b, c in zip(words, words[1:], words[2:], strict=False):
                self.next.setdefault((a, b), []).append(c)

    def sentence(self, rng: random.Random) -> str:
        """A sentence of 12 to 40 words ending in a stop."""
        while True:
            a, b = rng.choice(self.starts)
            words = [a, b]
            while len(words) < 40:
                options = self.next.get((a, b))
                if not options or (len(words) >= 12 and words[-1][-1] in ".!?"):
                    break
                a, b = b, rng.choice(options)
                words.append(b)
            text = " ".join(words)
            text = text if text[-1] in ".!?" else text + "."
            key = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest())
            if len(words) >= 12 and key not in self.said:
                self.said.add(key)
                return text


def _near(text: str, rng: random.Random) -> str:
    """A near copy: one word of five letters or more dropped, the last stop changed."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if long:
        del words[rng.choice(long)]
    out = " ".join(words)
    return out[:-1] + "!" if out.endswith(".") else out + "!"


def generate(path: Path, paragraphs: int, seed: int = 0) -> list[list[tuple[str, int]]]:
    """Write the corpus to ``path`` (JSONL, field "text"); each record's truth, one per
    paragraph: ``orig``, ``exact`` or ``near``, and its family (a number)."""
    rng = random.Random(seed)
    writer = Writer(sentences())
    originals: list[str] = []
    truth: list[list[tuple[str, int]]] = []
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
            body: list[str] = []
            labels: list[tuple[str, int]] = []
            for _ in range(BODY):
                roll = rng.random()
                if originals and roll < EXACT:
                    family = rng.randrange(len(originals))
                    body.append(originals[family])
                    labels.append(("exact", family))
                elif originals and roll < EXACT + NEAR:
                    family = rng.randrange(len(originals))
                    body.append(_near(originals[family], rng))
                    labels.append(("near", family))
                else:
                    text = f"{writer.sentence(rng)} {writer.sentence(rng)}"
                    labels.append(("orig", len(originals)))
                    originals.append(text)
                    body.append(text)
            body.append(boiler[site])
            labels.append(("orig" if site not in site_seen else "exact", -1 - site))
            site_seen.add(site)
            record = {"id": number, "url": f"https://site{site}.example/{number}"}
            out.write(json.dumps({**record, "text": "\n\n".join(body) + "\n"}) + "\n")
            truth.append(labels)
            written += len(body)
            number += 1
    return truth


def measure(paragraphs: int, seed: int = 0, jobs: int = 2) -> dict:
    """Generate, run ``dedup corpus --jobs`` with a file index, and score its removals."""
    with tempfile.TemporaryDirectory() as tmp:
        data, out, index = Path(tmp, "corpus.jsonl"), Path(tmp, "out.jsonl"), Path(tmp, "c.idx")
        truth = generate(data, paragraphs, seed)
        cmd = [sys.executable, "-m", "dedup", "corpus", str(data), "-q", "-o", str(out)]
        wall, peak, worker, code = _peak_rss([*cmd, "--index", str(index), "--jobs", str(jobs)])
        if code != 0:
            raise SystemExit(f"bench: dedup corpus failed with exit {code}")
        scores = score(truth, out)
        index_mib = index.stat().st_size / 2**20
        stages = profile(data, min(paragraphs, PROFILED)) if paragraphs <= PROFILED else {}
    return {
        "paragraphs": sum(map(len, truth)),
        "documents": len(truth),
        "jobs": jobs,
        "seconds": round(wall, 1),
        "paragraphs_per_second": round(sum(map(len, truth)) / wall),
        "peak_rss_mib": round(peak),
        "worker_peak_rss_mib": round(worker),
        "index_mib": round(index_mib, 1),
        **scores,
        "stages": stages,
    }


def score(truth: list[list[tuple[str, int]]], out: Path) -> dict:
    """Precision, recall, near-copy recall and originals removed, from the output's
    removal lists; and the families (an original and its copies) that lost every member."""
    removed_copies = removed = copies = near = near_removed = lost_originals = 0
    members: dict[int, int] = {}  # family -> members still there
    with out.open(encoding="utf-8") as fh:
        for labels, line in zip(truth, fh, strict=True):
            gone = {r["index"] for r in json.loads(line)["dedup"]}
            removed += len(gone)
            for i, (label, family) in enumerate(labels):
                members[family] = members.get(family, 0) + (i not in gone)
                if label == "orig":
                    lost_originals += i in gone
                    continue
                copies += 1
                removed_copies += i in gone
                if label == "near":
                    near += 1
                    near_removed += i in gone
    return {
        "precision": round(removed_copies / removed, 4) if removed else 1.0,
        "recall": round(removed_copies / copies, 4) if copies else 1.0,
        "near_recall": round(near_removed / near, 4) if near else 1.0,
        "originals_removed": lost_originals,
        "families_wiped": sum(1 for n in members.values() if n == 0),
    }


# The largest corpus whose stages are also timed in one process (it takes a minute).
PROFILED = 100_000


def profile(data: Path, paragraphs: int) -> dict:
    """Seconds per stage of corpus mode in one process, per 1,000 paragraphs: cleaning
    each document of its own echoes and keying its blocks, then the matching stages."""
    import time

    from dedup.api import Cleaner
    from dedup.corpus import Corpus, prepare

    cleaner = Cleaner()
    seconds = 0.0
    with Corpus() as corpus, data.open(encoding="utf-8") as fh:
        batch = []
        for line in fh:
            record = json.loads(line)
            start = time.perf_counter()
            batch.append(prepare(cleaner, record["text"], str(record["id"])))
            seconds += time.perf_counter() - start
            if len(batch) >= corpus.batch:
                corpus.match_many(batch)
                batch = []
        corpus.match_many(batch)
        corpus.flush()
        stages = {"prepare": seconds, **corpus.timings}
    return {stage: round(s * 1000 / paragraphs, 3) for stage, s in stages.items()}

"""Shared fixtures: paths to the samples and to ../shared/corpus (absent: tests skip, saying so)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import settings

import dedup
from dedup.match.normalize import fold, normalize
from dedup.match.rules import (
    LEAD_IN,
    PHOTO_DATE,
    SHORT_TITLE_SHARE,
    SHORT_TITLE_WORDS,
    caption_inside,
    edited_quote_inside,
    names_in,
    retold_with_an_aside,
    said_in_a_sentence,
    said_in_stretches,
)
from dedup.match.shingles import shingle_sets
from dedup.match.verify import containment, jaccard

# In CI the generated examples are the same on every run (a failure there is one anyone can
# replay); a run elsewhere draws new ones, to find what no fixed seed would.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = Path(os.environ.get("DEDUP_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"


def corpus_pages() -> list[Path]:
    pages = CORPUS / "pages"
    return sorted(pages.glob("*.html")) if pages.is_dir() else []


@pytest.fixture(scope="session")
def corpus() -> list[Path]:
    pages = corpus_pages()
    if not pages:
        pytest.skip(f"corpus not found at {CORPUS}: corpus-wide checks did not run")
    return pages


RULES = ("exact", "headline", "near-duplicate", "contained", "shortened")


def twin_similarity(removed: str, kept: str, reason: str, config: dedup.Config) -> float:
    """Recompute, independently of the plan, how similar a removed block is to its twin
    under the rule that removed it. A ``text-only`` removal holds under one of the rules:
    its best margin over that rule's threshold comes back, as a similarity against 1.0."""
    if reason == "text-only":
        return 1.0 + max(
            twin_similarity(removed, kept, rule, config) - threshold(rule, config) for rule in RULES
        )
    a, b = normalize(removed).key, normalize(kept).key
    if reason == "exact":  # the same key, or the same once one's short lead-in label goes
        return float(
            a == b
            or _unlabelled(removed) == b
            or _unlabelled(kept) == a
            or _unranked(removed) == _unranked(kept)
        )
    if reason == "headline":  # the kept headline, word for word, inside the removed line
        return float(f" {b} " in f" {a} ")
    if reason == "shortened":  # its words, all in the kept title's, in the same order
        words, other = iter(b.split()), a.split()
        in_order = all(any(w == o for o in words) for w in other)
        return len(other) / len(b.split()) if in_order and len(other) >= SHORT_TITLE_WORDS else 0.0
    sa, sb = shingle_sets([a, b], config.shingle_size)
    if reason == "near-duplicate":  # as it is, or its rest after a name's lead-in
        rest = _unlabelled(removed)
        return max(
            jaccard(sa, sb), jaccard(*shingle_sets([rest, b], config.shingle_size)) if rest else 0.0
        )
    # A pulled quote may lie inside its paragraph only once its elisions and attribution go;
    # a credit line lies, word for word but its label, in the credit of a caption; a named
    # snippet ("name: the opening words") lies inside what it opens once its name goes.
    rest = _unlabelled(removed)
    undated = normalize(PHOTO_DATE.sub(" ", removed)).key
    return max(
        containment(sa, sb),
        edited_quote_inside(removed, b, config) or 0.0,
        caption_inside(removed, b, config) or 0.0,
        _credit_inside(removed, kept),
        float(bool(rest) and b.startswith(f"{rest} ")),
        # a caption that tells the sentence again, with words of its own but no name
        float(said_in_stretches(a, b, names_in(removed))),
        float(retold_with_an_aside(removed, b, names_in(removed))),
        # ... or in another order, inside one sentence of the kept block, close together
        float(said_in_a_sentence(a, kept, names_in(removed))),
        # ... and either once the day its picture was taken goes ("..., on March 14.")
        float(said_in_stretches(undated, b, names_in(removed))),
        float(said_in_a_sentence(undated, kept, names_in(removed))),
    )


_CREDIT_LABEL_WORDS = {"image", "images", "photo", "credit", "source", "by", "copyright"}


def _credit_inside(removed: str, kept: str) -> float:
    words = set(fold(removed).split()) - _CREDIT_LABEL_WORDS
    return float(bool(words) and words <= set(fold(kept).split()))


def _unlabelled(text: str) -> str | None:
    """The key of a text without its lead-in label, if it has one."""
    lead_in = LEAD_IN.match(text)
    return normalize(text[lead_in.end() :]).key if lead_in else None


def _unranked(text: str) -> str:
    """The key of a ranked list's entry without its rank ("2.- Title", "3Title")."""
    return normalize(re.sub(r"^\s*[#(]?\d{1,3}[\s.)\-–—:]*", "", text)).key


def threshold(reason: str, config: dedup.Config) -> float:
    """The similarity a rule asks for (``text-only``: 1.0 on ``twin_similarity``'s scale)."""
    return {
        "exact": 1.0,
        "headline": 1.0,
        "near-duplicate": config.jaccard,
        "contained": config.containment,
        "shortened": SHORT_TITLE_SHARE,
        "text-only": 1.0,
    }[reason]


def deletions_only(original: str, cleaned: str) -> bool:
    """Whether ``cleaned`` is ``original`` with some stretches deleted and nothing else:
    a subsequence of it, found greedily (which is exact), runs of equal text compared in
    growing slices so that a long page takes few steps."""
    pos = i = 0
    while i < len(cleaned):
        pos = original.find(cleaned[i], pos)
        if pos < 0:
            return False
        run = 1  # cleaned[i : i + run] == original[pos : pos + run]
        step = 64
        while step:
            if cleaned[i + run : i + run + step] == original[
                pos + run : pos + run + step
            ] and i + run + step <= len(cleaned):
                run += step
                step *= 2
            else:
                step //= 2
        i, pos = i + run, pos + run
    return True

"""What users would run instead of dedup: naive block dedup and trafilatura's deduplicate.

Each baseline takes a list of block texts and returns the indices it keeps, so every method
is scored by the same code.
"""

from __future__ import annotations

import hashlib
import re

_WORDS = re.compile(r"\w+")


def exact_hash(texts: list[str]) -> list[int]:
    """Keep the first of every group of byte-identical blocks (after trimming whitespace)."""
    seen: set[bytes] = set()
    kept = []
    for i, text in enumerate(texts):
        digest = hashlib.sha1(text.strip().encode("utf-8")).digest()
        if digest not in seen:
            seen.add(digest)
            kept.append(i)
    return kept


def _shingles(text: str, n: int = 5) -> set[str]:
    text = " ".join(_WORDS.findall(text.lower()))
    if len(text) < n:
        return {text}
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def all_pairs_jaccard(texts: list[str], threshold: float = 0.8, min_chars: int = 20) -> list[int]:
    """Compare every block with every kept block (exact Jaccard on character 5-grams)."""
    kept: list[int] = []
    kept_sets: list[set[str]] = []
    for i, text in enumerate(texts):
        if len(text.strip()) < min_chars:
            kept.append(i)
            continue
        s = _shingles(text)
        if any(len(s & k) / len(s | k) >= threshold for k in kept_sets):
            continue
        kept.append(i)
        kept_sets.append(s)
    return kept


def trafilatura_dedup(texts: list[str], deduplicate: bool = True) -> list[int]:
    """Paragraphs trafilatura keeps from a page made of these blocks, with deduplicate on.

    trafilatura's duplicate filter is a process-wide LRU cache of paragraphs seen (a text
    counts as a duplicate once seen more than a few times, across documents too): it is
    cleared before each document so every document is judged on its own.
    """
    import html

    import trafilatura
    from trafilatura import deduplication

    deduplication.LRU_TEST.clear()
    page = (
        "<html><body><article>"
        + "".join(f"<p>{html.escape(t)}</p>" for t in texts)
        + "</article></body></html>"
    )
    out = trafilatura.extract(page, deduplicate=deduplicate, favor_recall=True) or ""
    lines = [" ".join(line.split()) for line in out.splitlines() if line.strip()]
    # trafilatura's paragraphs are a subsequence of the blocks: match them in order.
    kept, j = [], 0
    for i, text in enumerate(texts):
        if j < len(lines) and lines[j] == " ".join(text.split()):
            kept.append(i)
            j += 1
    return kept

"""Candidate pairs: datasketch MinHashLSH for copies, bottom-k anchors for contained text.

LSH finds pairs whose Jaccard similarity is likely above a threshold. A caption repeated
inside a long paragraph has a low Jaccard similarity, so containment gets its own filter:
each block's ``k`` smallest shingle hashes (its anchors) are looked up in a sorted array of
every shingle of the document; a block holding most of another block's anchors probably
contains it. Both filters only propose: ``verify`` decides on the exact sets.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import MinHashLSH

from .signatures import lean


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows for a threshold, computed once (datasketch integrates numerically)."""
    probe = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return probe.b, probe.r


def lsh_pairs(sigs: np.ndarray, threshold: float, seed: int) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of rows of ``sigs`` that share an LSH band."""
    num_perm = sigs.shape[1]
    lsh = MinHashLSH(num_perm=num_perm, params=lsh_params(threshold, num_perm))
    pairs: list[tuple[int, int]] = []
    for j in range(len(sigs)):
        m = lean(sigs[j], seed)
        pairs.extend((i, j) for i in lsh.query(m))
        lsh.insert(j, m, check_duplication=False)
    pairs.sort()
    return pairs


def anchor_pairs(sets: list[np.ndarray], k: int, share: float = 0.75) -> list[tuple[int, int]]:
    """Pairs (small, big): set ``small`` has at least ``share`` of its anchors in ``big``."""
    n = len(sets)
    if n < 2:
        return []
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=n)
    owners = np.repeat(np.arange(n), sizes)
    allh = np.concatenate(sets)
    order = np.argsort(allh, kind="stable")
    allh, owners = allh[order], owners[order]
    # Anchors: each set is sorted, so its first k hashes are its k smallest.
    take = np.minimum(sizes, k)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    idx = np.concatenate([np.arange(s, s + t) for s, t in zip(starts, take, strict=True)])
    anchor_owner = np.repeat(np.arange(n), take)
    anchors = np.concatenate(sets)[idx]
    lo = np.searchsorted(allh, anchors, "left")
    hi = np.searchsorted(allh, anchors, "right")
    lengths = hi - lo
    total = int(lengths.sum())
    if total == 0:
        return []
    # Expand every anchor into the owners of the postings it hits.
    rep = np.repeat(np.arange(len(anchors)), lengths)
    offs = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    hit_owner = owners[lo[rep] + offs]
    small = anchor_owner[rep]
    keep = (hit_owner != small) & (sizes[hit_owner] >= sizes[small])
    keys = small[keep] * n + hit_owner[keep]
    uniq, counts = np.unique(keys, return_counts=True)
    needed = np.ceil(take * share).astype(np.int64)
    pick = counts >= needed[uniq // n]
    return [(int(u // n), int(u % n)) for u in uniq[pick]]

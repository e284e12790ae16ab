"""Candidate pairs: MinHash LSH banding for copies, bottom-k anchors for contained text.

LSH finds pairs whose Jaccard similarity is likely above a threshold: the band and row
counts come from datasketch's ``MinHashLSH`` for the threshold, and the banding itself runs
over all of a document's signatures at once (one datasketch index per block costs more
than the rest of the clean; the persistent, shared indexes of corpus mode use MinHashLSH
and its storage). A caption repeated
inside a long paragraph has a low Jaccard similarity, so containment gets its own filter:
each block's ``k`` smallest shingle hashes (its anchors) are looked up in a sorted array of
every shingle of the document; a block holding most of another block's anchors probably
contains it. Both filters only propose: ``verify`` decides on the exact sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .. import core
from .shingles import ShingleSets, unique_sorted


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows for a threshold, computed once (datasketch integrates numerically).

    The default's are written out (a test checks them against datasketch): see
    ``signatures.permutations`` for why.
    """
    if (threshold, num_perm) in _KNOWN:
        return _KNOWN[(threshold, num_perm)]
    from datasketch import MinHashLSH

    probe = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return probe.b, probe.r


# datasketch.MinHashLSH(threshold=0.4, num_perm=32): (b, r)
_KNOWN = {(0.4, 32): (10, 3)}


# A bucket or an anchor shared by more blocks than this is template text (a long list of
# similar lines, a table of results): pairing all of them would cost time and memory
# quadratic in the page. Such a crowd's members are paired with their nearest neighbours
# in page order only, and such an anchor is no evidence of containment.
CROWD = 32
NEIGHBOURS = 8


def band_pairs(
    sigs: np.ndarray, bands: int, rows: int, crowd: int = CROWD
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (i, j), i < j, of signature rows that agree on all ``rows`` values of a
    band, as two arrays, in order (``pure_band_pairs`` is the reference; the compiled
    core's twin runs where it is built)."""
    if core.compiled is not None and len(sigs) >= 2:
        sigs = np.ascontiguousarray(sigs, dtype=np.uint32)
        return core.compiled.band_pairs(sigs, bands, rows, crowd, NEIGHBOURS)
    return pure_band_pairs(sigs, bands, rows, crowd)


def pure_band_pairs(
    sigs: np.ndarray, bands: int, rows: int, crowd: int = CROWD
) -> tuple[np.ndarray, np.ndarray]:
    """``band_pairs`` in numpy.

    This is MinHashLSH's candidate rule (datasketch's bucket per band) computed for a whole
    document at once: every band of every row is hashed to one 64-bit value (the band's
    number mixed in), all are sorted together, and rows in the same run are candidates. A
    hash collision can only add a candidate, and every candidate is verified exactly. A
    bucket of more than ``crowd`` rows pairs each row with the ``NEIGHBOURS`` after it.
    """
    n = len(sigs)
    if n < 2:
        return _NO_PAIRS
    cols = sigs[:, : bands * rows].astype(np.uint64).reshape(n, bands, rows)
    with np.errstate(over="ignore"):
        key = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64), (n, bands)).copy()
        for c in range(rows):
            key = (key ^ cols[:, :, c]) * _MIX
    flat = key.ravel()  # row-major: entry k is row k // bands
    order = np.argsort(flat, kind="stable")
    ranked = flat[order]
    same = ranked[1:] == ranked[:-1]
    if not same.any():
        return _NO_PAIRS
    # Every run of equal keys is a bucket. Each member is paired with the members after it
    # in its bucket: all of them, or its NEIGHBOURS in a crowded bucket. Done for all
    # buckets at once: position p pairs with p + 1 .. p + reach(p) - 1 of ``order``.
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    ends = np.concatenate((starts[1:], [len(ranked)]))
    sizes = ends - starts
    reach = np.where(sizes > crowd, NEIGHBOURS + 1, sizes)
    run_end = np.repeat(ends, sizes)
    span = np.minimum(np.repeat(reach, sizes) - 1, run_end - 1 - np.arange(len(ranked)))
    total = int(span.sum())
    if total == 0:
        return _NO_PAIRS
    first = np.repeat(np.arange(len(ranked)), span)
    step = np.arange(total) - np.repeat(np.cumsum(span) - span, span) + 1
    a = order[first] // bands
    b = order[first + step] // bands
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keys = unique_sorted(lo[lo != hi] * n + hi[lo != hi])
    return keys // n, keys % n


_NO_PAIRS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
_MIX = np.uint64(0x9E3779B97F4A7C15)


def postings(sets: ShingleSets) -> tuple[np.ndarray, np.ndarray]:
    """Every shingle of the sets in order of hash, and the set each belongs to (in order
    of set where hashes are equal): what ``anchor_pairs`` looks anchors up in, made once
    for the calls on one document's sets."""
    if core.compiled is not None:
        return core.compiled.postings(*_stored(sets))
    return pure_postings(sets)


def _stored(sets: ShingleSets) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.ascontiguousarray(sets.hashes, dtype=np.uint64),
        np.ascontiguousarray(sets.offsets, dtype=np.int64),
    )


def pure_postings(sets: ShingleSets) -> tuple[np.ndarray, np.ndarray]:
    """``postings`` in numpy."""
    n, sizes = len(sets), sets.sizes
    if n < _OWNERS and (len(sets.hashes) == 0 or int(sets.hashes.max()) < _OWNERS_ABOVE):
        # Sort (hash, owner) packed in one integer: much faster than an argsort.
        packed = np.sort(
            (sets.hashes << _OWNER_SHIFT) | np.repeat(np.arange(n, dtype=np.uint64), sizes)
        )
        return packed >> _OWNER_SHIFT, (packed & np.uint64(_OWNERS - 1)).astype(np.int64)
    order = np.argsort(sets.hashes, kind="stable")
    return sets.hashes[order], np.repeat(np.arange(n), sizes)[order]


def anchor_pairs(
    sets: Sequence[np.ndarray],
    k: int,
    queries: list[bool] | None = None,
    share: float = 0.75,
    crowd: int = CROWD,
    posted: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (small, big) where set ``small`` has at least ``share`` of its anchors in
    ``big``, as two arrays, in order.

    ``queries`` says which sets may be the small side (all by default). An anchor found in
    more than ``crowd`` sets counts for nothing, on either side of the share. ``posted``
    is the sets' ``postings``, when made already. (``pure_anchor_pairs`` is the reference;
    the compiled core's twin runs where it is built.)
    """
    sets = ShingleSets.of(sets)
    n = len(sets)
    if n < 2 or (queries is not None and not any(queries)):
        return _NO_PAIRS
    if core.compiled is None:
        return pure_anchor_pairs(sets, k, queries, share, crowd, posted)
    allh, owners = posted if posted is not None else postings(sets)
    asked = np.ones(n, dtype=np.uint8) if queries is None else np.array(queries, dtype=np.uint8)
    return core.compiled.anchor_pairs(
        *_stored(sets),
        k,
        asked,
        share,
        crowd,
        np.ascontiguousarray(allh, dtype=np.uint64),
        np.ascontiguousarray(owners, dtype=np.int64),
    )


def pure_anchor_pairs(
    sets: Sequence[np.ndarray],
    k: int,
    queries: list[bool] | None = None,
    share: float = 0.75,
    crowd: int = CROWD,
    posted: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``anchor_pairs`` in numpy."""
    sets = ShingleSets.of(sets)
    n = len(sets)
    if n < 2 or (queries is not None and not any(queries)):
        return _NO_PAIRS
    sizes = sets.sizes
    allh, owners = posted if posted is not None else pure_postings(sets)
    # Anchors: each set is sorted, so its first k hashes are its k smallest.
    take = np.minimum(sizes, k)
    if queries is not None:
        take[~np.asarray(queries, dtype=bool)] = 0
    anchor_owner = np.repeat(np.arange(n), take)
    first = np.cumsum(take) - take
    idx = sets.offsets[:-1][anchor_owner] + (np.arange(len(anchor_owner)) - first[anchor_owner])
    anchors = sets.hashes[idx]
    lo = np.searchsorted(allh, anchors, "left")
    hi = np.searchsorted(allh, anchors, "right")
    lengths = hi - lo
    common = lengths > crowd
    if common.any():
        lengths[common] = 0
        take = np.bincount(anchor_owner[~common], minlength=n)
    total = int(lengths.sum())
    if total == 0:
        return _NO_PAIRS
    # Expand every anchor into the owners of the postings it hits.
    rep = np.repeat(np.arange(len(anchors)), lengths)
    offs = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    hit_owner = owners[lo[rep] + offs]
    small = anchor_owner[rep]
    keep = (hit_owner != small) & (sizes[hit_owner] >= sizes[small])
    keys = small[keep] * n + hit_owner[keep]
    uniq, counts = _counted(keys)
    needed = np.ceil(take * share).astype(np.int64)
    pick = counts >= needed[uniq // n]
    chosen = uniq[pick]
    return chosen // n, chosen % n


def _counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_counts=True)``, without its per-call overhead."""
    keys = np.sort(keys)
    if len(keys) == 0:
        return keys, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[starts], np.diff(np.concatenate((starts, [len(keys)])))


_OWNER_SHIFT = np.uint64(16)
_OWNERS = 1 << 16
_OWNERS_ABOVE = 1 << 48

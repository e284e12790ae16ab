"""Character n-gram shingles of many texts at once, hashed with numpy in one pass.

Character shingles work the same for every script (with or without spaces) and let a short
caption be compared with the long paragraph that contains it, which word shingles of
different lengths could not.
"""

from __future__ import annotations

import numpy as np

_PRIME = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: odd, well mixed
_PAD = "\x01"
# Texts per document sorted in one pass; their shingle hashes keep 64 - _OWNER_BITS bits
# (48: a collision among a document's shingles is vanishingly unlikely, and only merges two).
_OWNER_BITS = 16
_LOW_MASK = np.uint64((1 << (64 - _OWNER_BITS)) - 1)


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: spreads polynomial hashes over all 64 bits."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def shingle_sets(texts: list[str], n: int) -> list[np.ndarray]:
    """Return, for each text, the sorted unique 48-bit hashes of its character n-grams.

    A text shorter than ``n`` is one shingle (padded), so it still has a set. The hash of
    an n-gram depends only on its characters, so the sets of different documents and
    processes compare directly (no dependence on ``PYTHONHASHSEED``).
    """
    if not texts:
        return []
    padded = [t if len(t) >= n else t + _PAD * (n - len(t)) for t in texts]
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    windows = len(codes) - n + 1
    h = np.zeros(windows, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _PRIME + codes[k : k + windows]
        h = _fmix64(h) & _LOW_MASK
    lengths = np.fromiter((len(t) for t in padded), dtype=np.int64, count=len(padded))
    starts = np.cumsum(lengths) - lengths
    counts = lengths - n + 1
    if len(texts) >= 1 << _OWNER_BITS:
        return [np.unique(h[s : s + c]) for s, c in zip(starts, counts, strict=True)]
    # One sort for the whole document: the owner in the top bits, the hash below, so the
    # result is grouped by text and sorted, duplicates adjacent.
    idx = np.concatenate([np.arange(s, s + c) for s, c in zip(starts, counts, strict=True)])
    owner = np.repeat(np.arange(len(texts), dtype=np.uint64), counts)
    keyed = np.sort((owner << np.uint64(64 - _OWNER_BITS)) | h[idx])
    keyed = keyed[np.r_[True, keyed[1:] != keyed[:-1]]]
    bounds = np.searchsorted(keyed, np.arange(1, len(texts), dtype=np.uint64) << np.uint64(64 - _OWNER_BITS))
    return [part & _LOW_MASK for part in np.split(keyed, bounds)]

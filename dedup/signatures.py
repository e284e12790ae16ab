"""MinHash signatures of many shingle sets at once, identical to datasketch's ``affine32``.

One numpy pass hashes every shingle of a document under every permutation and takes the
per-block minimum with ``np.minimum.reduceat``; the result equals what
``datasketch.MinHash(scheme="affine32").update_batch`` gives for the same 32-bit inputs,
without building a MinHash (and drawing its permutations) per block.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash

from .shingles import ShingleSets

SCHEME = "affine32"
# Shingles hashed per numpy pass: bounds the temporary (num_perm x CHUNK) matrix.
CHUNK = 1 << 15
_LOW32 = np.uint64(0xFFFFFFFF)


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own permutation parameters for this size and seed (drawn once)."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return a.reshape(-1, 1), b.reshape(-1, 1)


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def to32(hashes: np.ndarray) -> np.ndarray:
    """The 32-bit values a MinHash sees for our 64-bit shingle hashes."""
    return (hashes & _LOW32).astype(np.uint32)


def signatures(sets: Sequence[np.ndarray], num_perm: int, seed: int) -> np.ndarray:
    """Return a (len(sets), num_perm) uint32 array of MinHash signatures."""
    sets = ShingleSets.of(sets)
    a, b = permutations(num_perm, seed)
    n = len(sets)
    out = np.empty((n, num_perm), dtype=np.uint32)
    bounds = sets.offsets.tolist()
    i = 0
    while i < n:
        if bounds[i + 1] - bounds[i] > CHUNK:
            out[i] = _one_large(sets[i], a, b)
            i += 1
            continue
        # The run of texts from i whose shingles fit in one pass.
        j = max(bisect_right(bounds, bounds[i] + CHUNK, i + 1) - 1, i + 1)
        segment = sets.hashes[bounds[i]: bounds[j]]
        starts = sets.offsets[i:j] - bounds[i]
        out[i:j] = np.minimum.reduceat(_permuted(segment, a, b), starts, axis=1).T
        i = j
    return out


def _permuted(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return a * _fmix32(to32(hashes))[np.newaxis, :] + b


def _one_large(hashes: np.ndarray, a, b) -> np.ndarray:
    acc = np.full(a.shape[0], np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, len(hashes), CHUNK):
        acc = np.minimum(acc, _permuted(hashes[start : start + CHUNK], a, b).min(axis=1))
    return acc

"""MurmurHash3's finalizer, the one bit mixer of shingle hashes and MinHash inputs.

Shingle hashes are mixed over 64 bits; MinHash signatures mix the low 32 bits of those
hashes again, as datasketch's ``affine32`` scheme does to every input it is given, so that
signatures equal datasketch's for the same inputs.
"""

from __future__ import annotations

import numpy as np

# Shifts and multipliers of MurmurHash3's finalizer (fmix32, fmix64) for each width.
_CONSTANTS = {
    32: (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16)),
    64: (
        np.uint64(33),
        np.uint64(0xFF51AFD7ED558CCD),
        np.uint64(33),
        np.uint64(0xC4CEB9FE1A85EC53),
        np.uint64(33),
    ),
}


def fmix(h: np.ndarray, width: int) -> np.ndarray:
    """Mix unsigned ``width``-bit integers in place (a bijection that spreads every input
    bit over all output bits); ``h``'s dtype must be that width."""
    s1, m1, s2, m2, s3 = _CONSTANTS[width]
    with np.errstate(over="ignore"):
        h ^= h >> s1
        h *= m1
        h ^= h >> s2
        h *= m2
        h ^= h >> s3
    return h

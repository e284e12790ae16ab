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

from .. import core
from .hashing import fmix
from .shingles import ShingleSets

SCHEME = "affine32"
# Shingles hashed per numpy pass: bounds the temporary (num_perm x CHUNK) matrix.
CHUNK = 1 << 15
_LOW32 = np.uint64(0xFFFFFFFF)


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own permutation parameters for this size and seed (drawn once).

    Those of the default configuration, and of corpus mode's 64 (``corpus_lsh``), are
    written out below (a test checks them against datasketch), so a process that keeps the
    defaults never imports datasketch: its package imports scipy, which costs more start-up
    time than cleaning a page (half a second in each worker, and in each pre-commit hook
    that checks against an index).
    """
    if (num_perm, seed) == (32, 1):
        a, b = np.array(_DEFAULT_A, dtype=np.uint32), np.array(_DEFAULT_B, dtype=np.uint32)
    elif (num_perm, seed) == (64, 1):
        a, b = np.array(_CORPUS_A, dtype=np.uint32), np.array(_CORPUS_B, dtype=np.uint32)
    else:
        from datasketch import MinHash

        a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return a.reshape(-1, 1), b.reshape(-1, 1)


# datasketch.MinHash(num_perm=32, seed=1, scheme="affine32").permutations
_DEFAULT_A = (
    3582191691,
    4270784983,
    1892572953,
    3715639441,
    982527,
    1100580627,
    2597016983,
    4286725387,
    1260623519,
    2027988865,
    793182497,
    3406602499,
    1599963033,
    3332127887,
    2968344027,
    1458107385,
    3408206605,
    3741252147,
    333433189,
    2974788137,
    3600853501,
    2690998987,
    1591023397,
    210867113,
    1756231447,
    3809231353,
    3248004053,
    1972053305,
    235257659,
    295613213,
    1464304741,
    3555906697,
)
_DEFAULT_B = (
    1792310487,
    1963679703,
    2399554537,
    1849836273,
    602957303,
    4033523166,
    850839392,
    3343156310,
    3439171725,
    3075069929,
    4158651785,
    3447817223,
    1346146623,
    398576445,
    2973502998,
    2225448249,
    3764062721,
    3715233664,
    3842306364,
    3561158865,
    365262088,
    3563119320,
    167739021,
    1172740723,
    729416111,
    254447594,
    3771593337,
    2879896008,
    422396446,
    2547196999,
    1808643459,
    2884732358,
)


# datasketch.MinHash(num_perm=64, seed=1, scheme="affine32").permutations: corpus mode's
_CORPUS_A = (
    *_DEFAULT_A,  # (datasketch draws every a before any b: the first 32 are the same)
    3584620975,
    3927359407,
    504141779,
    3699672547,
    1205914607,
    3772079037,
    1701678785,
    2391345325,
    2583376155,
    1855172563,
    4022336275,
    2600667151,
    2692293247,
    797152891,
    1652038701,
    155929203,
    3233158147,
    3135500033,
    3389645433,
    2827350435,
    730524177,
    2831271345,
    335478043,
    2345481447,
    1458832223,
    508895189,
    3248219379,
    1464824721,
    844792893,
    799426703,
    3617286919,
    1474497421,
)
_CORPUS_B = (
    4114104213,
    1768615473,
    2289927481,
    848474627,
    2971589572,
    1243949848,
    1355129329,
    610401323,
    2948499020,
    3364310042,
    3584689972,
    1771840848,
    78547565,
    146764659,
    3221845289,
    2680188370,
    4247126031,
    2837408832,
    3213347012,
    1282027545,
    1204497775,
    1916133090,
    3389928919,
    954017671,
    443352346,
    315096729,
    1923688040,
    2015364118,
    3902387977,
    413056707,
    1261063143,
    3879945342,
    1235985687,
    513207677,
    558468452,
    2253996187,
    83180453,
    359158073,
    2915576403,
    3937889446,
    908935816,
    3910346016,
    1140514210,
    1283895050,
    2111290647,
    2509932175,
    229190383,
    2430573655,
    2465816345,
    2636844999,
    630194419,
    4108289372,
    2531048010,
    1120896190,
    3005439278,
    992203680,
    439523032,
    2291143831,
    1778356919,
    4079953217,
    2982425969,
    2117674829,
    1778886403,
    2321861504,
)


def to32(hashes: np.ndarray) -> np.ndarray:
    """The 32-bit values a MinHash sees for our 64-bit shingle hashes."""
    return (hashes & _LOW32).astype(np.uint32)


def signatures(sets: Sequence[np.ndarray], num_perm: int, seed: int) -> np.ndarray:
    """Return a (len(sets), num_perm) uint32 array of MinHash signatures (computed by the
    compiled core where it is built; ``pure_signatures`` is the reference)."""
    sets = ShingleSets.of(sets)
    if core.compiled is not None and len(sets) and int(sets.sizes.min()) > 0:
        a, b = permutations(num_perm, seed)
        hashes = np.ascontiguousarray(sets.hashes, dtype=np.uint64)
        offsets = np.ascontiguousarray(sets.offsets, dtype=np.int64)
        return core.compiled.signatures(hashes, offsets, a.ravel(), b.ravel())
    return pure_signatures(sets, num_perm, seed)


def pure_signatures(sets: Sequence[np.ndarray], num_perm: int, seed: int) -> np.ndarray:
    """``signatures`` in numpy: a chunk of shingles under every permutation at once."""
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
        segment = sets.hashes[bounds[i] : bounds[j]]
        starts = sets.offsets[i:j] - bounds[i]
        out[i:j] = np.minimum.reduceat(_permuted(segment, a, b), starts, axis=1).T
        i = j
    return out


def _permuted(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        out = a * fmix(to32(hashes), 32)[np.newaxis, :]
        out += b
        return out


def _one_large(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    acc = np.full(a.shape[0], np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, len(hashes), CHUNK):
        acc = np.minimum(acc, _permuted(hashes[start : start + CHUNK], a, b).min(axis=1))
    return acc

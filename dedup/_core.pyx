# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
# distutils: language = c++
"""The compiled core: the per-shingle loops of matching, as C loops.

Each function returns exactly what its pure-Python twin returns (``dedup.match.shingles``
and ``dedup.match.signatures``, which stay the reference and the fallback); the tests
compare the two on generated texts and on every block of the corpus pages. The twins
run a few dozen numpy calls per document, each with a fixed cost that a page of ten
paragraphs never amortises; here one call does a document's work.
"""

from cpython.unicode cimport PyUnicode_DATA, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_READ
from libc.stdint cimport int64_t, uint32_t, uint64_t
from libcpp.algorithm cimport sort, unique
from libcpp.vector cimport vector

import numpy as np

# FNV-1a's 64-bit prime (the rolling multiplier) and the 48 bits a shingle hash keeps.
cdef uint64_t PRIME = 0x100000001B3ULL
cdef uint64_t LOW48 = (1ULL << 48) - 1
cdef uint32_t PAD = 1  # what a text shorter than a shingle is padded with


cdef inline uint64_t fmix64(uint64_t h) noexcept nogil:
    h ^= h >> 33
    h *= 0xFF51AFD7ED558CCDULL
    h ^= h >> 33
    h *= 0xC4CEB9FE1A85EC53ULL
    h ^= h >> 33
    return h


def shingle_sets(list texts, Py_ssize_t n):
    """Each text's sorted unique 48-bit hashes of its character ``n``-grams, end to end,
    and where each text's start: ``(hashes, offsets)``, as ``shingles.shingle_sets``."""
    cdef Py_ssize_t count = len(texts), t, i, k, length, windows, size
    cdef vector[uint64_t] out
    cdef vector[uint64_t] window
    cdef vector[uint32_t] codes
    cdef uint64_t h
    cdef int kind
    cdef void *data
    cdef str text
    offsets = np.empty(count + 1, dtype=np.int64)
    cdef int64_t[::1] at = offsets
    at[0] = 0
    for t in range(count):
        text = texts[t]
        length = PyUnicode_GET_LENGTH(text)
        kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        size = length if length >= n else n
        codes.resize(size)
        for i in range(length):
            codes[i] = PyUnicode_READ(kind, data, i)
        for i in range(length, size):
            codes[i] = PAD
        windows = size - n + 1
        window.resize(windows)
        with nogil:
            for i in range(windows):
                h = codes[i]
                for k in range(1, n):
                    h = h * PRIME + codes[i + k]
                window[i] = fmix64(h) & LOW48
            sort(window.begin(), window.end())
            windows = unique(window.begin(), window.end()) - window.begin()
            for i in range(windows):
                out.push_back(window[i])
        at[t + 1] = at[t] + windows
    hashes = np.empty(out.size(), dtype=np.uint64)
    cdef uint64_t[::1] view = hashes
    for i in range(<Py_ssize_t>out.size()):
        view[i] = out[i]
    return hashes, offsets


cdef extern from "_kernels.h":
    void dedup_signature(
        const uint64_t *hashes, int64_t count, const uint32_t *a, const uint32_t *b,
        int64_t perms, uint32_t *least
    ) nogil


def signatures(
    const uint64_t[::1] hashes,
    const int64_t[::1] offsets,
    const uint32_t[::1] a,
    const uint32_t[::1] b,
):
    """The (sets, permutations) MinHash signatures of shingle sets stored end to end, as
    ``signatures.signatures``: per permutation, the least ``a * fmix32(low 32 bits) + b``
    over a set, in 32-bit arithmetic. Every set must hold a shingle."""
    cdef Py_ssize_t sets = offsets.shape[0] - 1, perms = a.shape[0], i
    out = np.empty((sets, perms), dtype=np.uint32)
    if sets == 0 or perms == 0:
        return out
    cdef uint32_t[:, ::1] sig = out
    with nogil:
        for i in range(sets):
            dedup_signature(
                &hashes[offsets[i]], offsets[i + 1] - offsets[i], &a[0], &b[0], perms, &sig[i, 0]
            )
    return out


def overlaps(
    const uint64_t[::1] hashes,
    const int64_t[::1] offsets,
    const int64_t[::1] first,
    const int64_t[::1] second,
):
    """For each pair ``(first[i], second[i])`` of sets stored end to end (each sorted,
    each hash once), how many hashes the two share, as ``verify.overlap_counts``: one
    merge of the two sorted sets a pair."""
    cdef Py_ssize_t count = first.shape[0], i
    cdef int64_t a, a_end, b, b_end
    cdef uint64_t x, y
    out = np.zeros(count, dtype=np.int64)
    cdef int64_t[::1] common = out
    with nogil:
        for i in range(count):
            a, a_end = offsets[first[i]], offsets[first[i] + 1]
            b, b_end = offsets[second[i]], offsets[second[i] + 1]
            while a < a_end and b < b_end:
                x, y = hashes[a], hashes[b]
                if x == y:
                    common[i] += 1
                    a += 1
                    b += 1
                elif x < y:
                    a += 1
                else:
                    b += 1
    return out

# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
# distutils: language = c++
"""The compiled core: the per-shingle loops of matching, as C loops.

Each function returns exactly what its pure-Python twin returns (in ``dedup.match``'s
``shingles``, ``signatures``, ``candidates`` and ``normalize``, which stay the reference
and the fallback); the tests
compare the two on generated texts and on every block of the corpus pages. The twins
run a few dozen numpy calls per document, each with a fixed cost that a page of ten
paragraphs never amortises; here one call does a document's work.
"""

from cpython.unicode cimport PyUnicode_DATA, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_READ
from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.math cimport ceil
from libcpp.algorithm cimport sort, unique
from libcpp.utility cimport pair
from libcpp.vector cimport vector

import numpy as np

# FNV-1a's 64-bit prime (the rolling multiplier) and the 48 bits a shingle hash keeps.
cdef uint64_t PRIME = 0x100000001B3ULL
cdef uint64_t MIX = 0x9E3779B97F4A7C15ULL  # the golden ratio's odd 64 bits: the band's part
cdef uint64_t LOW48 = (1ULL << 48) - 1
cdef uint32_t PAD = 1  # what a text shorter than a shingle is padded with


cdef inline uint64_t fmix64(uint64_t h) noexcept nogil:
    h ^= h >> 33
    h *= 0xFF51AFD7ED558CCDULL
    h ^= h >> 33
    h *= 0xC4CEB9FE1A85EC53ULL
    h ^= h >> 33
    return h


cdef void sort48(vector[uint64_t]& values, vector[uint64_t]& spare,
                 vector[uint32_t]& buckets, int width=48) noexcept nogil:
    """Sort hashes of ``width`` bits in place: spread by their top bits into about one
    bucket a hash (a hash's bits are uniform), then an insertion sort, which moves each
    hash past the few others of its bucket only. A sort of a paragraph's shingles takes a seventh of
    ``std::sort``'s time. Hashes made to crowd a bucket cost the insertion sort more
    moves than ``MOVES`` a hash: ``std::sort`` then finishes the sort."""
    cdef Py_ssize_t n = values.size(), i, j, moves = 0
    cdef int bits = 1, shift
    cdef uint64_t v
    cdef uint32_t at
    if n < SMALL:
        sort(values.begin(), values.end())
        return
    while (<Py_ssize_t>1 << bits) < n:
        bits += 1
    shift = width - bits
    buckets.assign((<size_t>1 << bits) + 1, 0)
    for i in range(n):
        buckets[(values[i] >> shift) + 1] += 1
    for i in range(1, (<Py_ssize_t>1 << bits) + 1):
        buckets[i] += buckets[i - 1]
    spare.resize(n)
    for i in range(n):
        v = values[i]
        at = buckets[v >> shift]
        spare[at] = v
        buckets[v >> shift] = at + 1
    for i in range(1, n):
        v = spare[i]
        j = i
        while j > 0 and spare[j - 1] > v:
            spare[j] = spare[j - 1]
            j -= 1
        spare[j] = v
        moves += i - j
        if moves > MOVES * n:
            sort(spare.begin(), spare.end())
            break
    values.swap(spare)


# Fewer hashes than this are sorted by ``std::sort`` (the buckets cost more than they save);
# the most moves a hash the insertion sort of ``sort48`` may make before it gives up.
cdef Py_ssize_t SMALL = 32
cdef Py_ssize_t MOVES = 8


def sorted48(const uint64_t[::1] hashes):
    """48-bit hashes sorted by ``sort48``, as a new array (what its tests compare with
    numpy's sort)."""
    cdef vector[uint64_t] values, spare
    cdef vector[uint32_t] buckets
    cdef Py_ssize_t i
    for i in range(hashes.shape[0]):
        values.push_back(hashes[i] & LOW48)
    with nogil:
        sort48(values, spare, buckets)
    out = np.empty(values.size(), dtype=np.uint64)
    cdef uint64_t[::1] view = out
    for i in range(<Py_ssize_t>values.size()):
        view[i] = values[i]
    return out


def shingle_sets(list texts, Py_ssize_t n):
    """Each text's sorted unique 48-bit hashes of its character ``n``-grams, end to end,
    and where each text's start: ``(hashes, offsets)``, as ``shingles.shingle_sets``."""
    cdef Py_ssize_t count = len(texts), t, i, k, length, windows, size
    cdef vector[uint64_t] out
    cdef vector[uint64_t] window, spare
    cdef vector[uint32_t] codes, buckets
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
            sort48(window, spare, buckets)
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


def corpus_keys(
    const uint64_t[::1] hashes,
    const int64_t[::1] offsets,
    const uint32_t[::1] a,
    const uint32_t[::1] b,
    int64_t bands,
    int64_t rows,
    int64_t bits,
):
    """The corpus matching keys of shingle sets stored end to end, as ``index.pure_keyed``
    makes them from their signatures: each set's ``bands`` LSH band keys (its
    signature's values ``rows`` at a time, combined FNV-style with the band's number,
    mixed, the high 32 bits) and its sketch (each value's lowest ``bits`` bits, packed
    from a byte's lowest bits up). Every set must hold a shingle."""
    cdef Py_ssize_t sets = offsets.shape[0] - 1, perms = a.shape[0], i, j, r, v
    cdef int64_t per = 8 // bits, width = (perms - perms % per) // per
    cdef uint64_t k
    cdef uint32_t mask = (1U << bits) - 1
    cdef unsigned char byte
    if bands * rows > perms:
        raise ValueError(f"{perms} permutations for {bands} bands of {rows} rows")
    keys = np.empty((sets, bands), dtype=np.uint32)
    sketches = np.empty((sets, width), dtype=np.uint8)
    if sets == 0:
        return keys, sketches
    cdef uint32_t[:, ::1] key = keys
    cdef unsigned char[:, ::1] sketch = sketches
    cdef vector[uint32_t] least
    least.resize(perms if perms > 0 else 1)
    with nogil:
        for i in range(sets):
            dedup_signature(
                &hashes[offsets[i]], offsets[i + 1] - offsets[i], &a[0], &b[0], perms, &least[0]
            )
            for j in range(bands):
                k = 0
                for r in range(rows):
                    k = k * PRIME + least[j * rows + r]
                k += <uint64_t>j * MIX
                key[i, j] = <uint32_t>(fmix64(k) >> 32)
            for j in range(width):
                byte = 0
                for v in range(per):
                    byte |= <unsigned char>((least[j * per + v] & mask) << (v * bits))
                sketch[i, j] = byte
    return keys, sketches


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


cdef extern from "<algorithm>" namespace "std" nogil:
    Out merge[In1, In2, Out](In1 first1, In1 last1, In2 first2, In2 last2, Out result)
    Iter lower_bound[Iter, T](Iter first, Iter last, const T& value)
    Iter upper_bound[Iter, T](Iter first, Iter last, const T& value)



cdef object _pairs(vector[int64_t]& keys, int64_t n):
    """Sorted unique ``small * n + big`` keys as two arrays, ``(small, big)``."""
    sort(keys.begin(), keys.end())
    cdef Py_ssize_t count = unique(keys.begin(), keys.end()) - keys.begin(), i
    small = np.empty(count, dtype=np.int64)
    big = np.empty(count, dtype=np.int64)
    cdef int64_t[::1] s = small
    cdef int64_t[::1] b = big
    for i in range(count):
        s[i] = keys[i] // n
        b[i] = keys[i] % n
    return small, big


def band_pairs(const uint32_t[:, ::1] sigs, int64_t bands, int64_t rows, int64_t crowd,
               int64_t neighbours):
    """The pairs of signature rows that agree on a whole band, as ``candidates.band_pairs``:
    each (row, band) keyed, the keys sorted (ties in order of row), each member of a
    bucket paired with those after it (its ``neighbours`` in a bucket over ``crowd``)."""
    cdef int64_t n = sigs.shape[0], f, band, c, p, s, e, reach, span, step, x, y
    cdef vector[pair[uint64_t, int64_t]] keyed
    if sigs.shape[1] < bands * rows:
        raise ValueError(f"{sigs.shape[1]} permutations for {bands} bands of {rows} rows")
    cdef vector[int64_t] out
    cdef uint64_t key
    with nogil:
        keyed.resize(n * bands)
        for f in range(n * bands):
            band = f % bands
            key = <uint64_t>(band + 1)
            for c in range(rows):
                key = (key ^ <uint64_t>sigs[f // bands, band * rows + c]) * MIX
            keyed[f] = pair[uint64_t, int64_t](key, f)
        sort(keyed.begin(), keyed.end())
        s = 0
        while s < n * bands:
            e = s + 1
            while e < n * bands and keyed[e].first == keyed[s].first:
                e += 1
            reach = neighbours + 1 if e - s > crowd else e - s
            for p in range(s, e):
                span = reach - 1 if reach - 1 < e - 1 - p else e - 1 - p
                for step in range(1, span + 1):
                    x = keyed[p].second // bands
                    y = keyed[p + step].second // bands
                    if x < y:
                        out.push_back(x * n + y)
                    elif y < x:
                        out.push_back(y * n + x)
            s = e
    return _pairs(out, n if n > 0 else 1)


def postings(const uint64_t[::1] hashes, const int64_t[::1] offsets):
    """Every shingle in order of hash (ties in order of set) and the set it belongs to, as
    ``candidates.postings``."""
    cdef Py_ssize_t n = offsets.shape[0] - 1, total = hashes.shape[0], i, j, width, lo, mid, hi
    cdef vector[pair[uint64_t, int64_t]] posted, other
    cdef vector[uint64_t] packed, spare
    cdef vector[uint32_t] buckets
    cdef uint64_t most = 0
    allh = np.empty(total, dtype=np.uint64)
    owners = np.empty(total, dtype=np.int64)
    cdef uint64_t[::1] h = allh
    cdef int64_t[::1] o = owners
    with nogil:
        for j in range(total):
            most = most | hashes[j]
        if n <= OWNERS and most <= LOW48:
            # A 48-bit hash and its set's number in one 64-bit value: sorted as numbers,
            # in order of hash, then of set.
            packed.resize(total)
            for i in range(n):
                for j in range(offsets[i], offsets[i + 1]):
                    packed[j] = hashes[j] << 16 | <uint64_t>i
            sort48(packed, spare, buckets, 64)
            for j in range(total):
                h[j] = packed[j] >> 16
                o[j] = <int64_t>(packed[j] & 0xFFFF)
        else:
            posted.resize(total)
            other.resize(total)
            for i in range(n):
                for j in range(offsets[i], offsets[i + 1]):
                    posted[j] = pair[uint64_t, int64_t](hashes[j], i)
            # Each set is sorted already: merged pairwise, neighbours first, the earlier
            # set on the left (so equal hashes stay in order of set), as a bottom-up merge
            # sort.
            width = 1
            while width < n:
                i = 0
                while i < n:
                    lo = offsets[i]
                    mid = offsets[i + width if i + width < n else n]
                    hi = offsets[i + 2 * width if i + 2 * width < n else n]
                    merge(posted.begin() + lo, posted.begin() + mid, posted.begin() + mid,
                          posted.begin() + hi, other.begin() + lo)
                    i += 2 * width
                posted.swap(other)
                width *= 2
            for j in range(total):
                h[j] = posted[j].first
                o[j] = posted[j].second
    return allh, owners


# The most sets ``postings`` packs with their hashes (their numbers in 16 bits).
cdef Py_ssize_t OWNERS = 1 << 16


def anchor_pairs(
    const uint64_t[::1] hashes,
    const int64_t[::1] offsets,
    int64_t k,
    const unsigned char[::1] queries,
    double share,
    int64_t crowd,
    const uint64_t[::1] allh,
    const int64_t[::1] owners,
):
    """The pairs (small, big) where set ``small`` (a query) has at least ``share`` of its
    anchors (its ``k`` least hashes held by at most ``crowd`` sets) in ``big``, a set as
    large or larger, as ``candidates.anchor_pairs``."""
    cdef int64_t n = offsets.shape[0] - 1, i, j, q, lo, hi, size, o, start, end, taken
    cdef uint64_t h
    cdef vector[int64_t] keys, needed
    cdef const uint64_t *first = &allh[0] if allh.shape[0] else NULL
    cdef const uint64_t *last = first + allh.shape[0]
    with nogil:
        needed.resize(n)
        for i in range(n):
            needed[i] = 0
            if not queries[i]:
                continue
            size = offsets[i + 1] - offsets[i]
            taken = 0
            for j in range(offsets[i], offsets[i] + (size if size < k else k)):
                h = hashes[j]
                lo = lower_bound(first, last, h) - first
                hi = upper_bound(first, last, h) - first
                if hi - lo > crowd:
                    continue
                taken += 1
                for q in range(lo, hi):
                    o = owners[q]
                    if o != i and offsets[o + 1] - offsets[o] >= size:
                        keys.push_back(i * n + o)
            needed[i] = <int64_t>ceil(<double>taken * share)
        sort(keys.begin(), keys.end())
        start = 0
        j = 0
        while start < <int64_t>keys.size():
            end = start + 1
            while end < <int64_t>keys.size() and keys[end] == keys[start]:
                end += 1
            if end - start >= needed[keys[start] // n]:
                keys[j] = keys[start]
                j += 1
            start = end
        keys.resize(j)
    return _pairs(keys, n if n > 0 else 1)


cdef extern from "_fold.h":
    const char *DEDUP_FOLD_UNIDATA
    const char *DEDUP_FOLD_SPEC
    int DEDUP_FOLD_BLOCK
    int DEDUP_FOLD_LENGTH_BITS
    const unsigned short dedup_fold_index[]
    const unsigned int dedup_fold_blocks[]
    const unsigned int dedup_fold_pool[]

from cpython.unicode cimport PyUnicode_FromKindAndData, PyUnicode_4BYTE_KIND

# What the fold table was made from: the Unicode data and normalize's table (``_foldgen``).
FOLD_UNIDATA = DEDUP_FOLD_UNIDATA.decode()
FOLD_SPEC = DEDUP_FOLD_SPEC.decode()


def fold(str text not None):
    """``normalize.fold``'s steps after its first two (decomposition, case folding, the
    table, composition, white space made single) through the table ``_foldgen`` made; None
    when the text holds a code point whose fold depends on its neighbours."""
    cdef Py_ssize_t length = PyUnicode_GET_LENGTH(text), i
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef vector[uint32_t] out
    cdef uint32_t c, x
    cdef unsigned int entry, start, size, j
    cdef bint spaced = False
    out.reserve(length)
    for i in range(length):
        c = PyUnicode_READ(kind, data, i)
        entry = dedup_fold_blocks[
            dedup_fold_index[c // DEDUP_FOLD_BLOCK] * DEDUP_FOLD_BLOCK + c % DEDUP_FOLD_BLOCK
        ]
        if entry == 1:
            return None
        if entry == 0:
            start, size = 0, 1
        else:
            start, size = entry >> DEDUP_FOLD_LENGTH_BITS, entry & ((1 << DEDUP_FOLD_LENGTH_BITS) - 1)
        for j in range(size):
            x = c if entry == 0 else dedup_fold_pool[start + j]
            if x == 32:
                spaced = out.size() > 0
            else:
                if spaced:
                    out.push_back(32)
                    spaced = False
                out.push_back(x)
    if out.size() == 0:
        return ""
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out.data(), out.size())


cdef class WordScan:
    """Words to look for in a text, each with its bits: ``bits_in`` gives the bits of every
    word a text holds, or'd together, in one pass over the text (``normalize.PureWordScan``
    is the twin: a substring test a word)."""

    cdef vector[uint32_t] codes  # every word's code points, one word after another
    cdef vector[int64_t] starts  # word w is codes[starts[w]:starts[w + 1]]
    cdef vector[uint64_t] bits
    cdef vector[vector[int64_t]] by_first  # ASCII first code point -> its words
    cdef vector[pair[uint32_t, int64_t]] others  # (first code point, word), the others, sorted
    # For an ASCII first code point, the ASCII code points that follow it in its words, as
    # two 64-bit masks (most pairs of characters in a text start no word: one test spares
    # the words' comparisons); ``always``: some word of it is one character long or goes on
    # outside ASCII, and its words are compared wherever it stands.
    cdef vector[uint64_t] follow
    cdef vector[bint] always

    def __init__(self, dict words not None):
        cdef Py_ssize_t w
        cdef uint32_t first, second
        self.by_first.resize(128)
        self.follow.resize(256)
        self.always.resize(128)
        self.starts.push_back(0)
        for w, (word, bits) in enumerate(words.items()):
            if not isinstance(word, str) or not word:
                raise ValueError("the words must be non-empty strings")
            for ch in word:
                self.codes.push_back(ord(ch))
            self.starts.push_back(self.codes.size())
            self.bits.push_back(bits)
            first = ord(word[0])
            if first < 128:
                self.by_first[first].push_back(w)
                second = ord(word[1]) if len(word) > 1 else 128
                if second < 128:
                    self.follow[2 * first + (second >> 6)] |= (<uint64_t>1) << (second & 63)
                else:
                    self.always[first] = True
            else:
                self.others.push_back(pair[uint32_t, int64_t](first, w))
        sort(self.others.begin(), self.others.end())

    cdef inline bint _at(self, int kind, void *data, Py_ssize_t length, Py_ssize_t i,
                         int64_t w) noexcept:
        cdef int64_t start = self.starts[w], size = self.starts[w + 1] - start, j
        if i + size > length:
            return False
        for j in range(1, size):
            if <uint32_t>PyUnicode_READ(kind, data, i + j) != self.codes[start + j]:
                return False
        return True

    def bits_in(self, str text not None):
        cdef Py_ssize_t length = PyUnicode_GET_LENGTH(text), i
        cdef int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        cdef uint64_t out = 0
        cdef uint32_t c
        cdef int64_t w
        cdef Py_ssize_t lo, hi, mid
        cdef uint32_t d
        for i in range(length):
            c = PyUnicode_READ(kind, data, i)
            if c < 128:
                if not self.always[c]:
                    if i + 1 >= length:
                        continue
                    d = PyUnicode_READ(kind, data, i + 1)
                    if d >= 128 or not (self.follow[2 * c + (d >> 6)] >> (d & 63)) & 1:
                        continue
                for w in self.by_first[c]:
                    if self.bits[w] & ~out and self._at(kind, data, length, i, w):
                        out |= self.bits[w]
            else:
                lo, hi = 0, self.others.size()
                while lo < hi:  # the first of the words starting with c
                    mid = (lo + hi) // 2
                    if self.others[mid].first < c:
                        lo = mid + 1
                    else:
                        hi = mid
                while lo < <Py_ssize_t>self.others.size() and self.others[lo].first == c:
                    w = self.others[lo].second
                    if self.bits[w] & ~out and self._at(kind, data, length, i, w):
                        out |= self.bits[w]
                    lo += 1
        return out


cdef extern from "Python.h":
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    Py_UCS4 PyUnicode_MAX_CHAR_VALUE(object text)


cdef extern from "_kernels.h":
    int64_t dedup_json_extra_1(const uint8_t *s, int64_t n) nogil
    int64_t dedup_json_extra_2(const uint16_t *s, int64_t n) nogil
    int64_t dedup_json_extra_4(const uint32_t *s, int64_t n) nogil
    void dedup_json_copy_1(const uint8_t *s, int64_t n, uint8_t *out) nogil
    void dedup_json_copy_2(const uint16_t *s, int64_t n, uint16_t *out) nogil
    void dedup_json_copy_4(const uint32_t *s, int64_t n, uint32_t *out) nogil


def json_string(str text not None):
    """``text`` as a JSON string, quotes and all, as ``json``'s encoder writes it without
    ``ensure_ascii`` (``json.encoder.encode_basestring``): ``"`` and ``\\`` and the
    control characters escaped, every other character as itself. A cleaned text is most
    of what corpus mode writes, and this takes a fraction of ``json``'s time."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef int64_t extra
    if kind == 1:
        extra = dedup_json_extra_1(<const uint8_t *>data, n)
    elif kind == 2:
        extra = dedup_json_extra_2(<const uint16_t *>data, n)
    else:
        extra = dedup_json_extra_4(<const uint32_t *>data, n)
    # (the same largest character: the same width, so the copy is the text's own)
    out = PyUnicode_New(n + extra + 2, PyUnicode_MAX_CHAR_VALUE(text))
    cdef void *into = PyUnicode_DATA(out)
    if kind == 1:
        dedup_json_copy_1(<const uint8_t *>data, n, <uint8_t *>into)
    elif kind == 2:
        dedup_json_copy_2(<const uint16_t *>data, n, <uint16_t *>into)
    else:
        dedup_json_copy_4(<const uint32_t *>data, n, <uint32_t *>into)
    return out


def key_bounds(
    const uint32_t[::1] held, const uint32_t[::1] starts, int shift, const uint32_t[::1] sought
):
    """For each key sought, where it starts and ends among the sorted keys ``held`` (as
    ``numpy.searchsorted`` with sides "left" and "right"), the search kept to the keys of
    its bucket: ``starts[b]`` is where the keys whose top bits (``key >> shift``) are ``b``
    start (``index.bucket_starts``), so a search reads a few neighbouring keys, not a
    path across the whole array (a run of millions of keys lives in a mapped file)."""
    cdef Py_ssize_t n = sought.shape[0], i, lo, hi, mid, end
    cdef uint32_t key
    cdef uint64_t bucket
    first = np.empty(n, dtype=np.int64)
    last = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] f = first
    cdef int64_t[::1] l = last
    with nogil:
        for i in range(n):
            key = sought[i]
            bucket = (<uint64_t>key) >> shift
            lo = starts[bucket]
            end = starts[bucket + 1]
            hi = end
            while lo < hi:  # the first key not below
                mid = (lo + hi) >> 1
                if held[mid] < key:
                    lo = mid + 1
                else:
                    hi = mid
            f[i] = lo
            hi = end
            while lo < hi:  # the first key above
                mid = (lo + hi) >> 1
                if held[mid] <= key:
                    lo = mid + 1
                else:
                    hi = mid
            l[i] = lo
    return first, last


def merged_keys(
    const uint32_t[::1] keys_a,
    const uint32_t[::1] ids_a,
    const uint32_t[::1] keys_b,
    const uint32_t[::1] ids_b,
):
    """Two runs' keys, each in order, as one run in order, with the numbers that go with
    them: on equal keys, the first run's first (as a stable sort of the two, one after
    the other, orders them), in one pass."""
    cdef Py_ssize_t n = keys_a.shape[0], m = keys_b.shape[0], i = 0, j = 0, k = 0
    keys = np.empty(n + m, dtype=np.uint32)
    ids = np.empty(n + m, dtype=np.uint32)
    cdef uint32_t[::1] ko = keys
    cdef uint32_t[::1] io = ids
    with nogil:
        while i < n and j < m:
            if keys_b[j] < keys_a[i]:
                ko[k] = keys_b[j]
                io[k] = ids_b[j]
                j += 1
            else:
                ko[k] = keys_a[i]
                io[k] = ids_a[i]
                i += 1
            k += 1
        while i < n:
            ko[k] = keys_a[i]
            io[k] = ids_a[i]
            i += 1
            k += 1
        while j < m:
            ko[k] = keys_b[j]
            io[k] = ids_b[j]
            j += 1
            k += 1
    return keys, ids


def mark_keys(uint8_t[::1] bits, const uint32_t[::1] keys, int shift):
    """Set a filter's two bits of each key (``index.filter_slots``): bit ``key >> shift``
    and bit ``(key * 0x9E3779B1) >> shift`` (32-bit product) of ``bits``, held in bytes,
    in one pass over the keys."""
    cdef Py_ssize_t n = keys.shape[0], i
    cdef uint32_t key
    cdef uint64_t slot
    with nogil:
        for i in range(n):
            key = keys[i]
            slot = (<uint64_t>key) >> shift
            bits[slot >> 3] |= <uint8_t>(1 << (slot & 7))
            slot = (<uint64_t>(key * <uint32_t>0x9E3779B1)) >> shift
            bits[slot >> 3] |= <uint8_t>(1 << (slot & 7))

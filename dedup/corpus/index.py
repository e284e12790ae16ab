"""The embedded corpus index: every block kept so far, in one SQLite file, no server.

What a later block is matched against: the LSH band keys of each kept block's MinHash
signature, and its matching form, so that a candidate is verified exactly (shingle
Jaccard) before anything is removed. The band keys are held in memory as sorted runs (one
array of keys and one of block numbers a band, a run a batch, merged as they grow, as in a
log-structured store): a batch of new blocks is looked up with one binary search a band a
run, never a query a block. On disk they are one row a band a batch, read back and merged
when the index is opened. Each kept block's sketch (a few bits of each signature value,
32 bytes) is held in memory too, so a candidate that is plainly no copy is dropped before
anything else is read of it; the matching forms stay on disk and are read only for the
candidates left. The file records how its signatures were made (scheme, seed,
permutations, shingle size, bands) and the dedup version that made it, and refuses to be
extended with other settings: sketches made otherwise would match silently wrong.

SQLite gives the index its safety: a batch of documents is one transaction, so a process
killed in the middle of an update leaves the index as it was before the batch (or with the
whole batch); a file that is not a dedup index, or a damaged one, is one clear error.
"""

from __future__ import annotations

import functools
import math
import mmap
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import weakref
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.request import pathname2url

import numpy as np

from .. import __version__, core
from ..config import Config
from ..errors import ConfigError, InputError
from ..match.hashing import fmix
from ..match.shingles import ShingleSets, remembered, shingle_sets
from ..match.signatures import permutations, pure_signatures
from ..match.verify import jaccard
from ..model import quick_init

# How signatures are made: bump when the shingle hashing or the permutations change.
SCHEME = "dedup-minhash-1"
# How the index stores them: 2 holds 32-bit band keys in sorted runs; 3 adds each kept
# block's sketch and stores a run a band to a row (a blob of SQLite's is at most 1 GB: a
# run of every band in one row reached it at 19 million kept blocks, a band alone does at
# 250 million).
FORMAT = "3"
# How candidates are proposed across documents: bands of ROWS signature values, as many
# bands as the permutations give, at least CORPUS_PERM of them. With 64 (12 bands of 5), a
# pair at Jaccard 0.8 is a candidate with probability 0.9991 and at 0.9 with 0.99999,
# while two unrelated paragraphs (character shingles share a Jaccard of 0.02 to 0.1 by
# chance) almost never are. Within one document a lower threshold serves (its few blocks
# may all be compared); across millions, each chance candidate costs a verification, and
# 10 bands of 3 would propose hundreds a block. Every candidate is verified exactly.
ROWS = 5
CORPUS_PERM = 64


def corpus_lsh(config: Config) -> tuple[int, int, int]:
    """The permutations, bands and rows of the corpus signatures for these settings."""
    perms = max(config.num_perm, CORPUS_PERM)
    return perms, perms // ROWS, ROWS


# The most kept blocks one block is compared with: those sharing the most band keys with it
# first, then the earliest. Only a crowd of kept blocks alike enough to share a band key,
# yet no copies of each other (a dated line on every page, "Updated 3 May 10:41"), holds
# more; comparing each new one with all of them would cost time quadratic in the corpus.
MOST_CANDIDATES = 64

# A kept block's sketch: the lowest four bits of each value of its signature, two values
# to a byte (32 bytes at 64 permutations), held in memory for every kept block. Across
# millions of blocks, many unrelated ones share a band key by chance (character shingles
# of any two paragraphs of one language share a Jaccard of 0.05 to 0.4, and a band of five
# values matches with that to the fifth power): at a million paragraphs, 97% of the
# candidates verified shared one band and were no copy, and their number grows with the
# corpus. Two equal values give equal bits, and two others equal bits one time in 16, so
# a pair at Jaccard J shows J + (1 - J) / 16 of its values alike; a candidate showing far
# fewer than a copy at ``config.jaccard`` shows but once in ``1 / SKETCH_MISS`` (a binomial
# over its values) is dropped before its text is read. A copy is still removed only once
# verified exactly.
SKETCH_BITS = 4
SKETCH_MISS = 1e-9
_NUMBER = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Kept:
    """A kept block as the index holds it: what it is called and its matching form."""

    block: int  # the index's own number for the block
    doc: int  # the index's own number for its document
    document: str  # what its document is called (its id, URL or path)
    index: int  # its index in its document
    site: str
    form: str


Kept.__init__ = quick_init(Kept)  # type: ignore[method-assign]


def similarity(
    form: str,
    shingles: np.ndarray,
    kept_form: str,
    config: Config,
    kept_shingles: np.ndarray | None = None,
) -> float | None:
    """How alike a block is to a kept one, when it is a copy of it: the same form (1.0),
    or a shingle Jaccard of ``config.jaccard`` or more with each number it holds in the
    kept one too, as within a document ("vote number 4" is no copy of "vote number 5");
    else None."""
    if form == kept_form:
        return 1.0
    if not numbers_in(form, kept_form):
        return None
    if kept_shingles is None:
        kept_shingles = shingle_sets([kept_form], config.shingle_size)[0]
    value = jaccard(shingles, kept_shingles)
    return value if value >= config.jaccard else None


def numbers_in(form: str, kept_form: str) -> bool:
    """Whether each number of a form is in the kept one too (as often)."""
    numbers = numbers_of(form)
    return not numbers or not numbers - numbers_of(kept_form)


def numbers_of(form: str) -> Counter[str]:
    """The numbers a form holds, counted."""
    return Counter(_NUMBER.findall(form)) if _DIGIT.search(form) else Counter()


def sketch_width(perms: int) -> int:
    """The bytes of a sketch of ``perms`` signature values (a last few short of a byte's
    worth are left out)."""
    return perms * SKETCH_BITS // 8


def sketches_of(signatures: np.ndarray) -> np.ndarray:
    """The (n, ``sketch_width``) sketches of (n, values) signatures: each value's lowest
    ``SKETCH_BITS`` bits, the first value of a byte in its lowest bits."""
    n, values = signatures.shape
    per = 8 // SKETCH_BITS
    low = signatures[:, : values - values % per] & np.uint32((1 << SKETCH_BITS) - 1)
    low = low.astype(np.uint8).reshape(n, -1, per)
    out = low[:, :, 0].copy()
    for k in range(1, per):
        out |= low[:, :, k] << (k * SKETCH_BITS)
    return out


def _alike_in_byte(byte: int) -> int:
    mask = (1 << SKETCH_BITS) - 1
    return sum((byte >> s) & mask == 0 for s in range(0, 8, SKETCH_BITS))


# For each byte of two sketches XORed, how many of its values were alike.
_ALIKE = np.array([_alike_in_byte(v) for v in range(256)], dtype=np.uint8)


def alike_values(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many values are alike in each pair of sketches (rows of ``a`` and ``b``)."""
    if not len(a):
        return np.zeros(0, dtype=np.int64)
    return _ALIKE[a ^ b].sum(axis=1, dtype=np.int64)


def alike_in(a: int, b: int, width: int) -> int:
    """``alike_values`` of two sketches of ``width`` bytes read as little-endian numbers."""
    x = a ^ b
    spread = x
    for s in range(1, SKETCH_BITS):
        spread |= x >> s  # (a value's lowest bit set when any of its bits differ)
    return width * 8 // SKETCH_BITS - (spread & _lowest(width)).bit_count()


@functools.lru_cache(maxsize=16)
def _lowest(width: int) -> int:
    """Each value's lowest bit, in a sketch of ``width`` bytes."""
    return int.from_bytes(bytes([sum(1 << s for s in range(0, 8, SKETCH_BITS))]) * width, "little")


def fewest_alike(values: int, jaccard: float) -> int:
    """The fewest alike values a candidate's sketch must show to be verified: the most
    such that a copy at Jaccard ``jaccard`` shows fewer at most once in ``1 / SKETCH_MISS``
    (each of the ``values`` alike with chance J + (1 - J) / 16, a binomial)."""
    alike = jaccard + (1 - jaccard) / (1 << SKETCH_BITS)
    if alike >= 1:
        return values
    below = 0.0  # the chance of fewer than ``least`` alike values
    for least in range(values + 1):
        below += math.exp(
            math.lgamma(values + 1)
            - math.lgamma(least + 1)
            - math.lgamma(values - least + 1)
            + least * math.log(alike)
            + (values - least) * math.log1p(-alike)
        )
        if below > SKETCH_MISS:
            return least
    return values


class Sketches:
    """Every kept block's sketch, by block number, in memory (chunks of ``CHUNK`` blocks,
    made as numbers reach them, so growing never copies what is held)."""

    CHUNK = 1 << 20

    def __init__(self, width: int) -> None:
        self.width = width
        self.chunks: dict[int, np.ndarray] = {}

    def put(self, first: int, sketches: np.ndarray) -> None:
        """Hold the sketches of blocks ``first``, ``first + 1``... (rewriting any held)."""
        at = first
        while at < first + len(sketches):
            chunk, offset = divmod(at, self.CHUNK)
            if chunk not in self.chunks:
                self.chunks[chunk] = np.zeros((self.CHUNK, self.width), dtype=np.uint8)
            part = sketches[at - first : at - first + self.CHUNK - offset]
            self.chunks[chunk][offset : offset + len(part)] = part
            at += len(part)

    def get(self, blocks: np.ndarray) -> np.ndarray:
        """The sketches of these block numbers (zeros for a number never put)."""
        blocks = np.asarray(blocks, dtype=np.int64)
        out = np.zeros((len(blocks), self.width), dtype=np.uint8)
        chunk, offset = np.divmod(blocks, self.CHUNK)
        for c in np.unique(chunk).tolist():
            if c in self.chunks:
                where = chunk == c
                out[where] = self.chunks[c][offset[where]]
        return out

    def held(self, first: int, count: int) -> np.ndarray:
        """The sketches of ``count`` blocks from ``first``."""
        return self.get(np.arange(first, first + count))


# A run: for each band, its keys in order and the block numbers that go with them.
Run = list[tuple[np.ndarray, np.ndarray]]


class Runs:
    """Band keys of kept blocks in sorted runs: in each, every band's keys in order, and the
    block numbers that go with them (in order of number where keys are equal). A new run is
    merged into the last while it is at least half its size, so n blocks are held in about
    log2(n / batch) runs; two runs merge a band at a time (in one pass in the compiled
    core), each band's old arrays let go as its new ones are made, and each new band
    written out before the next is made.

    A run of ``SPILL_BLOCKS`` blocks or more lives in a temporary file (``spilled``),
    mapped: what a lookup reads of a band is let go of once the band is searched (the pages
    stay in the system's file cache, not in this process), so memory holds the filters,
    the small runs and one band of a merge, whatever the size of the corpus."""

    def __init__(self, bands: int) -> None:
        self.bands = bands
        self.runs: list[Run] = []
        self.maps: list[mmap.mmap | None] = []  # each run's file mapping, if it has one
        # Each run's bands' bucket starts (``bucket_starts``), made at its first lookup.
        self.starts: list[list[tuple[np.ndarray, int] | None]] = []
        self.count = 0
        # Two bits for each key held (``filter_slots``), a band's keys in an array of about
        # FILTER_BITS bits a key: most keys looked up are held nowhere (a new paragraph),
        # and the filter answers them without a search in every run.
        self.shift = 32
        self.bits: list[np.ndarray] = []

    def __len__(self) -> int:
        return self.count

    def add(self, keys: np.ndarray, ids: np.ndarray) -> None:
        """Add blocks (numbered above every block held): their (n, bands) keys."""
        if len(ids):
            self.append(run_of(keys, ids))

    def append(self, run: Run, mapped: mmap.mmap | None = None) -> None:
        """Add a run of blocks numbered above every block held (``mapped``: the file it
        lives in, if it was spilled)."""
        size = len(run[0][0])
        if mapped is None and size >= SPILL_BLOCKS:
            run, mapped = spilled(run, size, len(run))
        self.runs.append(run)
        self.maps.append(mapped)
        self.starts.append([None] * len(run))
        self.count += size
        if self.count * FILTER_BITS > (1 << (32 - self.shift)):
            self._refilter()
        else:
            self._mark(run)
        while len(self.runs) > 1 and len(self.runs[-2][0][0]) <= 2 * len(self.runs[-1][0][0]):
            last, first = self.runs.pop(), self.runs.pop()
            maps = [self.maps.pop(-2), self.maps.pop()]
            del self.starts[-2:]
            merged, mapped = merge_spilling([first, last], maps=maps)
            self.runs.append(merged)
            self.maps.append(mapped)
            self.starts.append([None] * len(merged))
        self.release()

    def release(self) -> None:
        """Let go of the pages of spilled runs read so far (they stay in the file cache)."""
        released(self.maps)

    def _refilter(self) -> None:
        """A filter twice as large (or more) for the keys held now."""
        size = 1 << 16
        while size < self.count * FILTER_BITS * 2:
            size <<= 1
        self.shift = 32 - size.bit_length() + 1
        self.bits = []  # (the old filter let go first: it is half the size of the new one)
        self.bits = [np.zeros(size >> 3, dtype=np.uint8) for _ in range(self.bands)]
        for run, mapped in zip(self.runs, self.maps, strict=True):
            self._mark(run, mapped)

    def _mark(self, run: Run, mapped: mmap.mmap | None = None) -> None:
        """Set the filter's bits of a run's keys (a spilled run's pages let go band by
        band)."""
        for band, (keys, _) in enumerate(run):
            if core.compiled is None:
                for slots in filter_slots(keys, self.shift):
                    set_bits(self.bits[band], slots)
            else:
                core.compiled.mark_keys(self.bits[band], np.ascontiguousarray(keys), self.shift)
            released([mapped])

    def merged(self) -> Run:
        """Every run as one."""
        if len(self.runs) != 1:
            merged, mapped = merge_spilling(self.runs, self.bands, self.maps)
            self.runs, self.maps = [merged], [mapped]
            self.starts = [[None] * len(merged)]
        return self.runs[0]

    def lookup(self, keys: np.ndarray, bands: Sequence[int] | None = None) -> Hits:
        """The held blocks sharing a band key with the rows of ``keys`` (n, bands): for
        each row and band (of ``bands``, or all), the ``MOST_CANDIDATES`` earliest blocks
        with its key."""
        hits: list[Hits] = []
        if not self.runs:
            return capped(hits)
        for band in range(self.bands) if bands is None else bands:
            column = keys[:, band]
            bits = self.bits[band]
            one, two = filter_slots(column, self.shift)
            maybe = np.nonzero((bits[one >> 3] >> (one & 7)) & (bits[two >> 3] >> (two & 7)) & 1)[0]
            if not len(maybe):
                continue
            # Sought in order: the searches then walk each run's keys one way.
            maybe = maybe[np.argsort(column[maybe], kind="stable")]
            sought = np.ascontiguousarray(column[maybe], dtype=np.uint32)
            for number, run in enumerate(self.runs):
                numbers = run[band][1]
                there, lo, hi = self._bounds(number, band, sought)
                if not len(there):
                    continue
                counts = np.minimum(hi - lo, MOST_CANDIDATES)
                starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
                found = numbers[starts + np.arange(counts.sum())]
                rows = np.repeat(maybe[there], counts)
                hits.append((rows, np.full(len(rows), band, dtype=np.int64), found))
            self._let_go(band)
        return capped(hits)

    def _let_go(self, band: int) -> None:
        """Let go of the pages read of one band of the spilled runs, as soon as its keys
        are searched: a batch's searches read pages all over the runs, and held until the
        lookup's end, the bands' pages together were hundreds of MB at 10 million
        paragraphs."""
        if _DONTNEED is None:
            return
        for run, mapped in zip(self.runs, self.maps, strict=True):
            stride = len(run[band][0]) * 4
            if mapped is not None and stride:
                start = 2 * band * stride  # (the band's keys, then its numbers: ``spilled``)
                first = start - start % mmap.PAGESIZE
                mapped.madvise(_DONTNEED, first, start + 2 * stride - first)

    def _bounds(
        self, at: int, band: int, sought: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Which keys sought (in order) a run's band holds, and where each starts and
        ends in it."""
        held = self.runs[at][band][0]
        if core.compiled is None:
            lo = np.searchsorted(held, sought, side="left")
            there = np.nonzero(held[np.minimum(lo, len(held) - 1)] == sought)[0]
            return there, lo[there], np.searchsorted(held, sought[there], side="right")
        starts = self.starts[at][band]
        if starts is None:
            starts = self.starts[at][band] = bucket_starts(held)
        lo, hi = core.compiled.key_bounds(held, starts[0], starts[1], sought)
        there = np.nonzero(hi > lo)[0]
        return there, lo[there], hi[there]


def bucket_starts(held: np.ndarray) -> tuple[np.ndarray, int]:
    """Where the keys of each bucket start in sorted keys, a bucket being the keys of
    the same top bits (32 to 64 keys a bucket), and the shift that gives a key's bucket:
    what ``key_bounds`` searches within. The last start is the number of keys."""
    bits = (len(held) >> 6).bit_length()
    shift = 32 - bits
    firsts = (np.arange(1 << bits, dtype=np.uint64) << np.uint64(shift)).astype(np.uint32)
    starts = np.empty((1 << bits) + 1, dtype=np.uint32)
    starts[:-1] = np.searchsorted(held, firsts, side="left")
    starts[-1] = len(held)
    return starts, shift


def set_bits(bits: np.ndarray, at: np.ndarray) -> None:
    """Set the bits numbered ``at`` of a bit array held in bytes."""
    np.bitwise_or.at(bits, at >> 3, np.left_shift(1, at & 7).astype(np.uint8))


def filter_slots(keys: np.ndarray, shift: int) -> tuple[np.ndarray, np.ndarray]:
    """The two bits of a filter that say a band key may be held: its top bits, and the top
    bits of it times an odd number (keys are hashes: any of their bits are as good)."""
    keys = keys.astype(np.uint32, copy=False)
    return keys >> np.uint32(shift), (keys * np.uint32(0x9E3779B1)) >> np.uint32(shift)


# Filter bits a key held (about 1 in 20 keys held nowhere passes it: then a search says
# no; with one bit a key, 1 in 8 would).
FILTER_BITS = 8


# Blocks found for rows: (row, band, block) arrays.
Hits = tuple[np.ndarray, np.ndarray, np.ndarray]


def capped(hits: list[Hits]) -> Hits:
    """Hits from several places as one, in order of row, band and block, at most
    ``MOST_CANDIDATES`` (the earliest) a row and band: what the earliest blocks holding a
    key are does not depend on how the blocks were split into runs."""
    if not hits:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.uint32)
    rows = np.concatenate([h[0] for h in hits]).astype(np.uint64)
    bands = np.concatenate([h[1] for h in hits]).astype(np.uint64)
    found = np.concatenate([h[2] for h in hits]).astype(np.uint64)
    if len(rows) and int(rows.max()) >> ROW_BITS:  # (a call of millions of rows)
        order = np.lexsort((found, bands, rows))
        rows, bands, found = rows[order], bands[order], found[order]
        group = rows << np.uint64(8) | bands
    else:
        # One sort of one number a hit (row, band, block) orders them as sorting on the
        # three would, in a tenth of the time.
        key = rows << np.uint64(40) | bands << np.uint64(32) | found
        key.sort()
        rows, bands, found = key >> np.uint64(40), key >> np.uint64(32) & np.uint64(255), key
        group = key >> np.uint64(32)
    at = np.arange(len(group))
    first = np.maximum.accumulate(np.where(np.r_[True, group[1:] != group[:-1]], at, 0))
    keep = at - first < MOST_CANDIDATES
    return (
        rows[keep].astype(np.int64),
        bands[keep].astype(np.int64),
        (found[keep] & np.uint64(0xFFFFFFFF)).astype(np.uint32),
    )


# The rows of a lookup that ``capped`` and ``ranked`` sort as one number with the band or
# the keys shared (8 bits: at most 1,024 permutations make 205 columns) and the block (32).
ROW_BITS = 23


def run_of(keys: np.ndarray, ids: np.ndarray) -> Run:
    """A run of blocks: their (n, bands) keys and their numbers, in order."""
    run: Run = []
    for band in range(keys.shape[1]):
        order = np.argsort(keys[:, band], kind="stable")
        run.append((keys[order, band].astype(np.uint32), ids[order].astype(np.uint32)))
    return run


def merge(runs: list[Run], bands: int = 0) -> Run:
    """Runs as one (the earlier first, so equal keys keep the order of block numbers); each
    band of the runs given is let go once merged."""
    if not runs:
        empty = np.zeros(0, dtype=np.uint32)
        return [(empty, empty) for _ in range(bands)]
    return list(_merged_bands(runs))


# A run of this many blocks or more is kept in a temporary file, mapped (``Runs``): 27 MB
# of band keys and numbers at 13 bands.
SPILL_BLOCKS = 1 << 18
# Dropping a mapping's pages from this process where the system can (Linux, macOS).
_DONTNEED = getattr(mmap, "MADV_DONTNEED", None)


def merge_spilling(
    runs: list[Run], bands: int = 0, maps: Sequence[mmap.mmap | None] = ()
) -> tuple[Run, mmap.mmap | None]:
    """``merge``, into a temporary file when the merged run is ``SPILL_BLOCKS`` long or
    more: then one band at a time is in memory (the pages read of the runs' ``maps`` let
    go band by band), and the run comes back mapped, with its mapping."""
    size = sum(len(run[0][0]) for run in runs) if runs else 0
    if size < SPILL_BLOCKS:
        return merge(runs, bands), None
    return spilled(_merged_bands(runs, maps), size, len(runs[0]))


def _merged_bands(
    runs: list[Run], maps: Sequence[mmap.mmap | None] = ()
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The bands of the runs merged, one at a time, each band of the runs let go once
    merged (``merge``)."""
    compiled = core.compiled if len(runs) == 2 else None
    for band in range(len(runs[0])):
        if compiled is not None:  # (in one pass: each run is in order)
            keys, ids = compiled.merged_keys(*runs[0][band], *runs[1][band])
        else:
            keys = np.concatenate([run[band][0] for run in runs])
            ids = np.concatenate([run[band][1] for run in runs])
        for run in runs:
            # Let go of the old arrays. (Not for views of the new ones, ``keys[:0]``: a view
            # holds its base, and every band of the merged run stayed in memory until the
            # merge's end, the whole run at once: 800 MB at 10 million paragraphs.)
            run[band] = (_NO_KEYS, _NO_KEYS)
        released(maps)
        if compiled is None:
            order = np.argsort(keys, kind="stable")
            keys, ids = keys[order], ids[order]
        yield keys, ids


_NO_KEYS = np.zeros(0, dtype=np.uint32)
_NO_KEYS.flags.writeable = False


def released(maps: Iterable[mmap.mmap | None]) -> None:
    """Let go of the pages read of these mappings (they stay in the system's file cache)."""
    if _DONTNEED is None:
        return
    for mapped in maps:
        if mapped is not None:
            mapped.madvise(_DONTNEED)


def spilled(
    bands: Iterable[tuple[np.ndarray, np.ndarray]], size: int, count: int
) -> tuple[Run, mmap.mmap]:
    """A run written band by band (``count`` bands of ``size`` keys and numbers) to an
    unnamed temporary file, and read back mapped: its arrays and the mapping."""
    with tempfile.TemporaryFile(prefix="dedup-runs-") as fh:
        for keys, ids in bands:
            fh.write(np.ascontiguousarray(keys, dtype=np.uint32).data)
            fh.write(np.ascontiguousarray(ids, dtype=np.uint32).data)
        fh.flush()
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    # (the mapping outlives the file's descriptor; the file goes when the mapping does)
    stride = size * 4
    run = [
        (
            np.frombuffer(mapped, np.uint32, size, 2 * band * stride),
            np.frombuffer(mapped, np.uint32, size, (2 * band + 1) * stride),
        )
        for band in range(count)
    ]
    return run, mapped


def ranked(hits: Hits) -> dict[int, list[tuple[int, int]]]:
    """For each row with candidates, its candidates and the band keys each shares with it,
    most shared first, then the earliest."""
    rows, _, found = hits
    if not len(rows):
        return {}
    pairs = (rows.astype(np.uint64) << np.uint64(32)) | found.astype(np.uint64)
    unique, shared = np.unique(pairs, return_counts=True)
    out: dict[int, list[tuple[int, int]]] = {}
    if int(unique[-1] >> np.uint64(32)) >> ROW_BITS:  # (a call of millions of rows)
        order = np.lexsort((unique & np.uint64(0xFFFFFFFF), -shared, unique >> np.uint64(32)))
        for pair, n in zip(unique[order].tolist(), shared[order].tolist(), strict=True):
            out.setdefault(pair >> 32, []).append((pair & 0xFFFFFFFF, n))
        return out
    # Most shared first, then the earliest: one sort of one number a pair, (row, the
    # keys not shared, block); a pair shares at most every band key and the exact one.
    fewer = np.uint64(255) - shared.astype(np.uint64)
    key = (unique >> np.uint64(32)) << np.uint64(40) | fewer << np.uint64(32)
    key |= unique & np.uint64(0xFFFFFFFF)
    key.sort()
    for k in key.tolist():
        out.setdefault(k >> 40, []).append((k & 0xFFFFFFFF, 255 - (k >> 32 & 255)))
    return out


def found_per_key(hits: Hits, among: np.ndarray | None = None) -> dict[tuple[int, int], int]:
    """How many blocks each (row, band) found (of the rows ``among`` marks, if given):
    later blocks join only while there is room under ``MOST_CANDIDATES``."""
    rows, bands, _ = hits
    if among is not None:
        wanted = among[rows]
        rows, bands = rows[wanted], bands[wanted]
    if not len(rows):
        return {}
    group, count = np.unique(rows * 256 + bands, return_counts=True)
    return {(g >> 8, g & 255): n for g, n in zip(group.tolist(), count.tolist(), strict=True)}


class BlockIndex:
    """Kept blocks of a corpus, in the file ``path``, or (None) in a temporary file that
    goes when the index is closed: a run without an index keeps its forms on disk too, so
    its memory is the band keys' (8 bytes a key, 11 keys a kept block)."""

    def __init__(
        self, path: str | os.PathLike[str] | None, config: Config, writer: bool = True
    ) -> None:
        self.scratch: str | None = None
        if path is None:
            # A directory of its own, for SQLite's files beside it (-wal, -shm); it goes
            # when the index is closed, or else when the index is let go or at exit.
            self.scratch = tempfile.mkdtemp(prefix="dedup-corpus-")
            self._remove = weakref.finalize(self, shutil.rmtree, self.scratch, True)
            path = os.path.join(self.scratch, "index.idx")
        self.path = os.fspath(path)
        self.config = config
        self.writer = writer
        self._settings(config)
        self.runs = Runs(self.bands + 1)  # the band keys and the exact key
        self.sketches = Sketches(sketch_width(self.perms))
        self.repeated: np.ndarray | None = None  # a bit a kept block, set if it was repeated
        self.checkpoints: Checkpoints | None = None
        try:
            if writer or self.scratch:
                self.db = sqlite3.connect(self.path, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                # A commit is synced at checkpoints only: a killed run still leaves whole
                # batches (and so does a lost power, less the last few).
                self.db.execute("PRAGMA synchronous=NORMAL")
            else:  # a check reads the index and never writes it
                uri = f"file:{pathname2url(os.path.abspath(self.path))}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, isolation_level=None)
            self._open()
            self._load()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a dedup index, or a damaged one ({exc})") from None
        self.checkpoints = Checkpoints(self.path, self.db) if writer or self.scratch else None

    def _settings(self, config: Config) -> None:
        """What an index records of how its signatures were made."""
        self.perms, self.bands, self.rows = corpus_lsh(config)
        self.settings = {
            "format": FORMAT,
            "scheme": SCHEME,
            "seed": str(config.seed),
            "num_perm": str(self.perms),
            "shingle_size": str(config.shingle_size),
            "bands": f"{self.bands}x{self.rows}",
        }

    def _check(self, stored: dict[str, str]) -> None:
        """ConfigError when the index was made with other settings than these."""
        different = [
            f"{key} {stored.get(key)!r} (asked: {value!r})"
            for key, value in self.settings.items()
            if stored.get(key) != value
        ]
        if different:
            raise ConfigError(
                f"{self.path}: the index was made with other settings: {'; '.join(different)}"
                f"; written by dedup {stored.get('version', '?')}"
            )

    def _open(self) -> None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        if not tables:
            if not self.writer:
                raise InputError(f"{self.path}: not a dedup index (an empty file)")
            self.db.executescript(_SCHEMA)
            self.db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [*self.settings.items(), ("version", __version__)],
            )
            return
        if "meta" not in tables or "blocks" not in tables:
            raise InputError(f"{self.path}: not a dedup index (no dedup tables in it)")
        self._check(dict(self.db.execute("SELECT key, value FROM meta")))
        if "runs" not in tables or "sketches" not in tables:
            raise InputError(f"{self.path}: not a dedup index (no dedup tables in it)")

    def _load(self) -> None:
        """The band keys read back, run by run (held as the runs of a run would be); the
        next numbers to give."""
        columns = self.bands + 1
        stored: list[tuple[Run, mmap.mmap | None]] = []
        numbers = self.db.execute("SELECT run, size FROM runs WHERE band = 0 ORDER BY run")
        for number, size in numbers.fetchall():
            bands = self._stored_bands(number, columns)
            if size >= SPILL_BLOCKS:
                # A large run goes from the file to a temporary one a band at a time.
                stored.append(spilled(bands, size, columns))
            else:
                stored.append((list(bands), None))
        self.stored_runs = len(stored)
        self.next_run = int(self.db.execute("SELECT MAX(run) FROM runs").fetchone()[0] or 0) + 1
        for run, mapped in stored:
            self.runs.append(run, mapped)
        width = self.sketches.width
        for first, data in self.db.execute("SELECT first, data FROM sketches ORDER BY first"):
            self.sketches.put(first, np.frombuffer(data, dtype=np.uint8).reshape(-1, width))
        row = self.db.execute("SELECT MAX(id) FROM docs").fetchone()
        self.next_doc = int(row[0] or 0) + 1
        row = self.db.execute("SELECT MAX(id) FROM blocks").fetchone()
        self.next_block = int(row[0] or 0) + 1

    def _stored_bands(self, number: int, columns: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """A stored run's bands, read one at a time."""
        for band in range(columns):
            row = self.db.execute(
                "SELECT keys, ids FROM runs WHERE run = ? AND band = ?", (number, band)
            ).fetchone()
            if row is None:
                raise InputError(f"{self.path}: a damaged index (run {number} lacks band {band})")
            keys, ids = row
            yield np.frombuffer(keys, dtype=np.uint32), np.frombuffer(ids, dtype=np.uint32)

    # ------------------------------------------------------------ reading

    def documents(self) -> int:
        """How many documents the index holds."""
        return int(self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def lookup(self, keys: np.ndarray, bands: Sequence[int] | None = None) -> Hits:
        """The kept blocks sharing a band key with the rows of ``keys`` (n, bands): for
        each row and band (of ``bands``, or all), the ``MOST_CANDIDATES`` earliest blocks
        with its key."""
        return self.runs.lookup(keys, bands)

    def sketched(self, blocks: np.ndarray) -> np.ndarray:
        """The sketches of kept blocks (those of this run's too, once ``hold``)."""
        return self.sketches.get(blocks)

    def hold(self, first: int, sketches: np.ndarray) -> None:
        """Hold the sketches of blocks kept from ``first`` on (written with their batch)."""
        self.sketches.put(first, sketches)

    def kept(self, blocks: Iterable[int]) -> dict[int, Kept]:
        """The kept blocks of these numbers."""
        wanted = sorted(set(blocks))
        out: dict[int, Kept] = {}
        for start in range(0, len(wanted), 900):
            part = wanted[start : start + 900]
            marks = ",".join("?" * len(part))
            for block, doc, idx, form, name, site in self.db.execute(
                "SELECT b.id, b.doc, b.idx, b.form, d.name, d.site FROM blocks b "
                f"JOIN docs d ON d.id = b.doc WHERE b.id IN ({marks})",
                part,
            ):
                out[block] = Kept(block, doc, name, idx, site, form)
        return out

    def repeated_in(self, block: int, site: str, most: int = -1) -> int:
        """How many documents of a site the index holds that repeated a kept block, or
        ``most`` when there are more (counting a site's furniture, repeated on every one of
        its pages, would read a row for each)."""
        if not self._ever_repeated(block):
            return 0
        row = self.db.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT doc FROM repeats "
            "WHERE block = ? AND site = ? LIMIT ?)",
            (block, site, most),
        ).fetchone()
        return int(row[0])

    def _ever_repeated(self, block: int) -> bool:
        """Whether the index holds a repeat of a kept block: a bit a block, read from the
        file once (most blocks a run finds again were never repeated before, and then no
        row need be counted)."""
        if self.repeated is None:
            numbers = [b for (b,) in self.db.execute("SELECT DISTINCT block FROM repeats")]
            self.repeated = np.zeros(max([self.next_block, *numbers]) // 8 + 1, dtype=np.uint8)
            self._mark_repeated(numbers)
        at = block >> 3
        return at < len(self.repeated) and bool(self.repeated[at] >> (block & 7) & 1)

    def _mark_repeated(self, blocks: list[int]) -> None:
        if self.repeated is None or not blocks:
            return
        at = np.array(blocks, dtype=np.int64)
        if int(at.max()) >> 3 >= len(self.repeated):
            grown = np.zeros(max(2 * len(self.repeated), (int(at.max()) >> 3) + 1), np.uint8)
            grown[: len(self.repeated)] = self.repeated
            self.repeated = grown
        set_bits(self.repeated, at)

    def boilerplate(self, min_docs: int) -> Iterator[tuple[str, int, list[str], list[str]]]:
        """Each kept block repeated in ``min_docs`` documents of a site or more: its text
        (as its first repeat has it), its document count, its sites and three example
        documents, most repeated first."""
        rows = self.db.execute(
            "SELECT r.block, COUNT(DISTINCT r.doc) + 1 AS n FROM repeats r "
            "GROUP BY r.block HAVING n >= ? ORDER BY n DESC, r.block",
            (min_docs,),
        ).fetchall()
        for block, count in rows:
            docs = self.db.execute(
                "SELECT d.name, d.site, '' FROM blocks b JOIN docs d ON d.id = b.doc "
                "WHERE b.id = ? UNION ALL SELECT * FROM (SELECT d.name, d.site, r.text "
                "FROM repeats r JOIN docs d ON d.id = r.doc WHERE r.block = ? ORDER BY r.doc, r.rowid)",
                (block, block),
            ).fetchall()
            sites = sorted({site for _, site, _ in docs})
            yield docs[1][2], int(count), sites, [name for name, _, _ in docs[:3]]

    def keepers(self, min_docs: int) -> dict[tuple[str, int], tuple[str, int]]:
        """Each kept block in ``min_docs`` documents of one site or more (its own counted
        when of that site), as (document, index), with its first repeat's."""
        rows = self.db.execute(
            "SELECT r.block, d.name, b.idx FROM repeats r JOIN blocks b ON b.id = r.block "
            "JOIN docs d ON d.id = b.doc GROUP BY r.block, r.site "
            "HAVING COUNT(DISTINCT r.doc) + (d.site = r.site) >= ?",
            (min_docs,),
        ).fetchall()
        out: dict[tuple[str, int], tuple[str, int]] = {}
        for block, name, idx in rows:
            first = self.db.execute(
                "SELECT d.name, r.idx FROM repeats r JOIN docs d ON d.id = r.doc "
                "WHERE r.block = ? ORDER BY r.doc, r.idx LIMIT 1",
                (block,),
            ).fetchone()
            out[name, idx] = (first[0], first[1])
        return out

    # ------------------------------------------------------------ writing

    def save(
        self,
        docs: list[tuple[int, str, str]],
        blocks: list[tuple[int, int, int, str]],
        keys: np.ndarray,
        repeats: list[tuple[int, int, str, int, str]],
        run: Run | None = None,
    ) -> None:
        """Add a batch in one transaction: documents (number, name, site), kept blocks
        (number, document, index, form, numbered one after another, their sketches
        ``hold``) with their band keys, and repeats (kept block, document, site, the
        repeat's index there, its text). ``run``: the blocks' keys as a run already
        (``run_of``), if the caller made it."""
        ids = np.array([b[0] for b in blocks], dtype=np.uint32)
        if len(ids) and int(ids[-1]) - int(ids[0]) != len(ids) - 1:
            raise ValueError("kept blocks are numbered one after another")
        if run is None:
            run = run_of(keys, ids)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany("INSERT INTO docs VALUES (?, ?, ?)", docs)
            self.db.executemany("INSERT INTO blocks VALUES (?, ?, ?, ?)", blocks)
            self.db.executemany("INSERT INTO repeats VALUES (?, ?, ?, ?, ?)", self._texted(repeats))
            if len(ids):
                self._store(run)
                self.stored_runs += 1
                self.db.execute(
                    "INSERT INTO sketches VALUES (?, ?)",
                    (blocks[0][0], self.sketches.held(blocks[0][0], len(blocks)).tobytes()),
                )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        if self.checkpoints is not None:
            self.checkpoints.committed()
        if len(ids):
            self.runs.append(run)
        self._mark_repeated([r[0] for r in repeats])

    def _texted(
        self, repeats: list[tuple[int, int, str, int, str]]
    ) -> list[tuple[int, int, str, int, str]]:
        """The repeats with the text of each block's first repeat only: what the report
        quotes (a site's furniture repeated on a million pages is stored once, not a
        million times)."""
        first: set[int] = set()
        out = []
        for block, doc, site, idx, text in repeats:
            if block in first or self._ever_repeated(block):
                text = ""
            else:
                first.add(block)
            out.append((block, doc, site, idx, text))
        return out

    def close(self) -> None:
        """Write the band keys as the runs held in memory when the stored ones are many (so
        the next open reads a few large rows, each run at least twice the next: about
        log2 of the blocks over a batch's), and close. (Merging them into one would cost
        the close a pass over every key and gain the next open nothing: it holds the runs
        as they were.)"""
        if self.writer and not self.scratch and self.stored_runs > COMPACT_AFTER:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.execute("DELETE FROM runs")
                self.next_run = 1
                for run in self.runs.runs:
                    self._store(run)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")  # (the runs as they were: the same keys)
                raise
        self.abandon()

    def _store(self, run: Run) -> None:
        """Insert a run, a row a band (what a spilled run holds of a band let go once
        written)."""
        size = len(run[0][0])
        for band, (keys, ids) in enumerate(run):
            self.db.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, ?)",
                (
                    self.next_run,
                    band,
                    size,
                    np.ascontiguousarray(keys, dtype=np.uint32).data,
                    np.ascontiguousarray(ids, dtype=np.uint32).data,
                ),
            )
            self.runs.release()
        self.next_run += 1

    def abandon(self) -> None:
        """Close, leaving the index as its last batch left it."""
        try:
            if self.checkpoints is not None:
                self.checkpoints.stop()
        finally:
            self.db.close()  # (the last connection: what the log holds goes into the file)
            if self.scratch:
                self._remove()


class Checkpoints:
    """The copying of an index's write-ahead log into its file, in a thread of its own
    on a connection of its own: the matching process commits a batch to the log and goes
    on while the batches before it are copied (done in the commit, the copying took a
    quarter of the matching process's time at a million paragraphs). SQLite copies what is
    committed beside a writer; a run killed at any point leaves the log and the file as
    whole batches. Asked every ``CHECKPOINT_BATCHES`` commits."""

    def __init__(self, path: str, db: sqlite3.Connection) -> None:
        db.execute("PRAGMA wal_autocheckpoint=0")  # (the writer's commits copy nothing)
        self.path = path
        self.commits = 0
        self.wanted = threading.Event()
        self.stopping = False
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._copy, name="dedup-checkpoints", daemon=True)
        self.thread.start()

    def committed(self) -> None:
        """A batch was committed: every few, the log is copied."""
        self.commits += 1
        if self.commits % CHECKPOINT_BATCHES == 0:
            self.wanted.set()

    def _copy(self) -> None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            self.error = exc
            return
        try:
            while True:
                self.wanted.wait()
                self.wanted.clear()
                if self.stopping:
                    return
                db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as exc:
            self.error = exc
        finally:
            db.close()

    def stop(self) -> None:
        """Stop copying (the writer's connection copies the rest when it closes); an error
        the copying met is raised here."""
        self.stopping = True
        self.wanted.set()
        self.thread.join()
        if self.error is not None:
            raise self.error


# Batches committed between two copies of the log into the file (about 4 MB of the log at
# 256 documents of ten paragraphs a batch).
CHECKPOINT_BATCHES = 4


# Stored runs the index is rewritten as one beyond, when a run closes it.
COMPACT_AFTER = 16

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, site TEXT NOT NULL);
CREATE TABLE blocks (
    id INTEGER PRIMARY KEY, doc INTEGER NOT NULL, idx INTEGER NOT NULL, form TEXT NOT NULL
);
CREATE TABLE runs (
    run INTEGER NOT NULL, band INTEGER NOT NULL, size INTEGER NOT NULL, keys BLOB NOT NULL,
    ids BLOB NOT NULL, PRIMARY KEY (run, band)
);
CREATE TABLE sketches (first INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE repeats (
    block INTEGER NOT NULL, doc INTEGER NOT NULL, site TEXT NOT NULL, idx INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX repeats_block ON repeats (block, site);
"""


def block_keys(forms: list[str], config: Config) -> tuple[np.ndarray, np.ndarray]:
    """Each matching form's keys and sketch: what an index stores and looks up. A form's
    keys are a row of ``bands`` 32-bit LSH band keys and one more, the CRC-32 of the form
    itself, which an identical form shares (so a copy is found without comparing it with
    anything else); its sketch, its signature's lowest bits (``sketches_of``). A pure
    function of the forms and the settings, so any process can compute it. (The shingle
    sets behind them are not kept: the matching process makes again the few it compares,
    which costs less than carrying every set from a worker.)"""
    perms, bands, rows = corpus_lsh(config)
    if not forms:
        width = sketch_width(perms)
        return np.zeros((0, bands + 1), dtype=np.uint32), np.zeros((0, width), dtype=np.uint8)
    sets = remembered(forms, config.shingle_size)  # (made when the document was cleaned)
    keys, sketches = keyed(sets, perms, bands, rows, config.seed)
    exact = np.array([zlib.crc32(f.encode()) for f in forms], dtype=np.uint32)
    return np.column_stack([keys, exact]), sketches


def keyed(
    sets: ShingleSets, perms: int, bands: int, rows: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """The band keys and sketches of shingle sets, each holding a shingle: by the compiled
    core where it is built, in one pass a set (``pure_keyed`` is the reference)."""
    if core.compiled is not None and len(sets) and int(sets.sizes.min()) > 0:
        a, b = permutations(perms, seed)
        hashes = np.ascontiguousarray(sets.hashes, dtype=np.uint64)
        offsets = np.ascontiguousarray(sets.offsets, dtype=np.int64)
        return core.compiled.corpus_keys(
            hashes, offsets, a.ravel(), b.ravel(), bands, rows, SKETCH_BITS
        )
    return pure_keyed(sets, perms, bands, rows, seed)


def pure_keyed(
    sets: ShingleSets, perms: int, bands: int, rows: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """``keyed`` in numpy: a band key is its ``rows`` signature values combined FNV-style,
    with the band's number, mixed, the high 32 bits."""
    sigs = pure_signatures(sets, perms, seed)
    banded = sigs[:, : bands * rows].reshape(len(sets), bands, rows)
    keys = np.zeros((len(sets), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            keys = keys * np.uint64(0x100000001B3) + banded[:, :, r].astype(np.uint64)
        keys += np.arange(bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        fmix(keys, 64)
    return (keys >> np.uint64(32)).astype(np.uint32), sketches_of(sigs)

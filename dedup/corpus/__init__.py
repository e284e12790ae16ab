"""Corpus mode: blocks repeated across documents, found against an index and removed.

Each document is first cleaned of its own echoes exactly as ``dedup.clean`` does; then each
block it keeps is matched against the blocks kept from earlier documents (this run's and,
with an index file, every earlier run's): the same matching form, or a shingle Jaccard of
``config.jaccard`` or more, verified exactly. A match is removed and names its twin: the
kept block's document and index. The first copy in input order always stays, so nothing
is lost and the same input gives the same output, whether in one run or in one run a day.

A repeat is **boilerplate** when its text is in ``boilerplate_min_docs`` documents of one
site or more (counting the document it is found in), else a **duplicate** (a syndicated
paragraph, an agency caption). Documents without a site count as one site, "".
"""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, overload
from urllib.parse import urlsplit

import numpy as np

from ..api import Cleaner, Result
from ..config import Config
from ..errors import InputError
from ..match.normalize import normalize, weighed_length
from ..match.shingles import ShingleSets, shingle_sets
from ..match.verify import overlap_counts
from ..model import Block, Kind, quick_init
from ..rewrite.html import rewrite_html
from ..rewrite.spans import rewrite_spans
from ..streams import record_title, writable
from .index import (
    MOST_CANDIDATES,
    SKETCH_BITS,
    Kept,
    Runs,
    alike_in,
    alike_values,
    block_keys,
    capped,
    fewest_alike,
    found_per_key,
    numbers_of,
    ranked,
    similarity,
)
from .shared import index_for

__all__ = ["Corpus", "CorpusResult", "CrossRemoval", "Prepared", "prepare", "record_site"]


@dataclass(frozen=True, slots=True)
class CrossRemoval:
    """A block removed for repeating a block kept from another document."""

    index: int  # the removed block's index in its document
    kind: str
    text: str
    reason: str  # "duplicate" or "boilerplate"
    similarity: float
    twin_document: str  # what the kept block's document is called (id, URL or path)
    twin_index: int  # the kept block's index in that document

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "duplicate_of": {"document": self.twin_document, "index": self.twin_index},
            "similarity": round(self.similarity, 4),
            "reason": self.reason,
            "kind": self.kind,
            "text": self.text,
        }


CrossRemoval.__init__ = quick_init(CrossRemoval)  # type: ignore[method-assign]


@dataclass(frozen=True)
class CorpusResult:
    """A document cleaned of its own echoes (``result``) and of blocks other documents
    hold (``cross``)."""

    result: Result
    cross: tuple[CrossRemoval, ...]
    cleaner: Cleaner | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.result.name

    @cached_property
    def gone(self) -> frozenset[int]:
        """Every block removed in text output: the document's own echoes and the repeats."""
        return self.result.removed_indices | {c.index for c in self.cross}

    @cached_property
    def text(self) -> str:
        """The cleaned text: for text and Markdown, the source minus the removed spans."""
        r = self.result
        if r.format in ("text", "markdown"):
            return rewrite_spans(r.original, r.blocks, self.gone)
        return "\n\n".join(b.text for b in r.blocks if b.index not in self.gone)

    @cached_property
    def html(self) -> str:
        """The page minus its echoes (HTML's own plan) and the repeats."""
        r = self.result
        gone = {x.index for x in r.html_removed} | {c.index for c in self.cross}
        if r.format != "html" or not gone:
            return r.html if r.format == "html" else self.text
        page = r.page
        if page is None and self.cleaner is not None:  # made in another process
            page = self.cleaner.page(r.original)
        if page is None:
            raise ValueError(f"{r.name}: no parsed page to cut")
        return rewrite_html(r.original, page, gone)

    def output(self, fmt: str | None = None) -> str:
        """The cleaned document: ``html`` for the page, else its text."""
        return self.html if (fmt or self.result.format) == "html" else self.text

    def removals(self) -> list[dict[str, Any]]:
        """Every removal as data: the document's own (twin by index) and the repeats
        (twin by document and index)."""
        own = [r.as_dict() for r in self.result.removed]
        return own + [c.as_dict() for c in self.cross]


# Documents matched at once, and written in one transaction: every lookup and every write
# costs a round of calls per band and per run of keys whatever its size, so a larger batch
# costs less a paragraph (at a million paragraphs, 256 documents a batch: lookups 2.8 s,
# adding runs 2.8 s, writing 6.7 s; 1,024: 1.6, 1.5 and 4.9 s), for about 45 MB more
# memory held in the batch.
BATCH = 1024


class Corpus:
    """Cleans documents in order, each against every block kept before it.

    ``index`` is the path of an index file (created when missing, extended when it
    exists and was made with the same settings), a ``redis://HOST:PORT/N`` URL of a shared
    index (one writer at a time), or None for an index of this run only (a temporary file).
    Use as a context manager, or call ``close`` to write the last batch. Every ``batch``
    documents are written to the index in one transaction. With ``keep`` false the index
    is only read: documents are matched against it and against each other, and nothing is
    written to it (``dedup check --index``).

    A block is removed when it is a copy of a block kept before it (the same matching form,
    or a shingle Jaccard of ``config.jaccard`` or more, verified exactly); its twin is the
    most alike such kept block (an identical one first, then the earliest). A removed block
    is never kept, so it is never anybody's twin: a chain A, B, C where only neighbours are
    alike removes B for A and keeps C. The first copy of everything stays.
    """

    def __init__(
        self,
        config: Config | None = None,
        index: str | os.PathLike[str] | None = None,
        *,
        boilerplate_min_docs: int = 3,
        batch: int = BATCH,
        keep: bool = True,
    ) -> None:
        self.cleaner = Cleaner(config)
        self.config = self.cleaner.config
        self.index = index_for(index, self.config, writer=keep)
        # The fewest alike sketch values of a candidate worth verifying (``fewest_alike``).
        values = self.index.sketches.width * 8 // SKETCH_BITS
        self.least = fewest_alike(values, self.config.jaccard)
        self.boilerplate_min_docs = boilerplate_min_docs
        self.batch = batch
        self.keep = keep
        # Kept blocks to remove too (``--boilerplate drop``): (document, index) -> the twin
        # named, a later copy (see ``boilerplate_keepers``).
        self.drop: dict[tuple[str, int], tuple[str, int]] = {}
        # Seconds in each stage of matching so far: lookup, verify, match, write.
        self.timings: dict[str, float] = dict.fromkeys(("lookup", "verify", "match", "write"), 0.0)
        # Kept blocks read from the index lately, with their shingles once made.
        self.known: OrderedDict[int, tuple[Kept, np.ndarray | None]] = OrderedDict()
        # (kept block, site) -> documents of the site holding it, the last of them; the
        # pairs in the order they were last found
        self.found_in: dict[tuple[int, str], tuple[int, int]] = {}
        self._clear()

    def _clear(self) -> None:
        """What this run kept since its last write: looked up by band key in dicts."""
        columns = self.index.bands + 1  # the band keys and the exact key
        # Kept blocks not yet written: their keys in runs, their forms and shingles.
        self.unsaved = Runs(columns)
        self.recent_kept: dict[int, tuple[Kept, np.ndarray | None]] = {}
        self.new_docs: list[tuple[int, str, str]] = []
        self.new_blocks: list[tuple[int, int, int, str]] = []
        self.new_keys: list[np.ndarray] = []
        self.new_repeats: list[tuple[int, int, str, int, str]] = []
        self._forget_found()

    def _forget_found(self) -> None:
        """Let go of the counts of the (kept block, site) pairs found longest ago: called
        when every repeat counted is written, so a count let go is read back whole."""
        found = self.found_in
        if len(found) > FOUND_IN_HELD:
            self.found_in = dict(
                itertools.islice(found.items(), len(found) - FOUND_IN_HELD // 2, None)
            )

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.index.abandon()  # the batch in hand is not half written

    def close(self) -> None:
        """Write what is left and close the index."""
        self.flush()
        self.index.close()

    def flush(self) -> None:
        """Write the documents matched since the last write, in one transaction."""
        if not self.keep or not self.new_docs:
            return
        keys = (
            np.vstack(self.new_keys)
            if self.new_keys
            else np.zeros((0, self.index.bands + 1), dtype=np.uint32)
        )
        # This batch's keys as one run: what the index adds is what was looked up in.
        run = self.unsaved.merged() if len(self.unsaved) == len(keys) else None
        start = time.perf_counter()
        self.index.save(self.new_docs, self.new_blocks, keys, self.new_repeats, run)
        self.timings["write"] += time.perf_counter() - start
        self._clear()

    @overload
    def clean(
        self,
        source: str | bytes,
        *,
        name: str,
        site: str = "",
        format: str | None = None,
        content_type: str | None = None,
    ) -> CorpusResult: ...

    @overload
    def clean(
        self,
        source: Iterable[Mapping[str, Any]],
        *,
        field: str = "text",
        html_field: str | None = None,
        site_field: str | None = None,
    ) -> Iterator[CorpusResult]: ...

    def clean(
        self,
        source: str | bytes | Iterable[Mapping[str, Any]],
        *,
        name: str = "",
        site: str = "",
        format: str | None = None,
        content_type: str | None = None,
        field: str = "text",
        html_field: str | None = None,
        site_field: str | None = None,
    ) -> CorpusResult | Iterator[CorpusResult]:
        """Clean one document (``source`` a text or a page, with its ``name``) of its own
        echoes, then of the blocks earlier ones hold; or clean records (mappings holding
        the text under ``field``, or a page under ``html_field``; named by their "id" or
        "url", their site the ``site_field`` or the URL's host) one batch at a time,
        yielding each one's result in order."""
        if isinstance(source, str | bytes):
            prepared = prepare(self.cleaner, source, name, site, format, content_type)
            return self.match_many([prepared])[0]
        return self._records(source, field, html_field, site_field)

    def add(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        field: str = "text",
        html_field: str | None = None,
        site_field: str | None = None,
    ) -> int:
        """Match records as ``clean`` does, for what they add to the index; the number of
        blocks they repeat."""
        return sum(len(r.cross) for r in self._records(records, field, html_field, site_field))

    def _records(
        self,
        records: Iterable[Mapping[str, Any]],
        field: str,
        html_field: str | None,
        site_field: str | None,
    ) -> Iterator[CorpusResult]:
        batch: list[Prepared] = []
        for number, record in enumerate(records):
            key = html_field or field
            text = record.get(key)
            if not isinstance(text, str):
                raise InputError(f"record {number}: no text under {key!r}")
            name = record_title(record, ("id", "url")) or f"record {number}"
            fmt = "html" if html_field else None
            site = record_site(record, site_field)
            batch.append(prepare(self.cleaner, text, name, site, fmt))
            if len(batch) >= self.batch:
                yield from self.match_many(batch)
                batch = []
        yield from self.match_many(batch)

    def match(self, prepared: Prepared) -> CorpusResult:
        """Match a prepared document's blocks against everything kept before it."""
        return self.match_many([prepared])[0]

    def match_many(self, prepared: Sequence[Prepared]) -> list[CorpusResult]:
        """Match prepared documents, in order, against everything kept before each (the
        part of cleaning that needs the documents in order); written to the index every
        ``batch`` documents."""
        out: list[CorpusResult] = []
        for start in range(0, len(prepared), self.batch):
            out += self._match(prepared[start : start + self.batch])
            if len(self.new_docs) >= self.batch:
                self.flush()
        return out

    def _match(self, docs: Sequence[Prepared]) -> list[CorpusResult]:
        """Match documents in order: their blocks looked up at once (in the index and in
        what this run kept and has not written), verified at once against those, then
        taken one by one, each against the earlier blocks of the call that were kept."""
        index, config = self.index, self.config
        columns = index.bands + 1
        keys = [p.keys for p in docs if len(p.keys)]
        rows = np.vstack(keys) if keys else np.zeros((0, columns), dtype=np.uint32)
        width = index.sketches.width
        sketches = [p.sketches for p in docs if len(p.keys)]
        sketched = np.vstack(sketches) if sketches else np.zeros((0, width), dtype=np.uint8)
        start = time.perf_counter()
        forms = [f for p in docs for f in p.forms]
        # Word-for-word copies first, by the exact key alone: a row that a kept block says
        # word for word goes for the earliest such block (the twin the rule picks among
        # all candidates, since it shares every key), so only the other rows are looked
        # up in every band. Site furniture and syndicated copies, most of what repeats,
        # then cost one key, not thirteen and the near blocks of each.
        exact = (columns - 1,)
        same = capped([index.lookup(rows, exact), self.unsaved.lookup(rows, exact)])
        kept = self._kept(set(same[2].tolist()))
        identical: dict[int, int] = {}
        for row, block in zip(same[0].tolist(), same[2].tolist(), strict=True):
            if row not in identical and kept[block].form == forms[row]:
                identical[row] = block  # (the hits are in order of row, then of block)
        unfound = np.ones(len(rows), dtype=bool)
        unfound[list(identical)] = False
        rest = np.flatnonzero(unfound)
        others = rows[rest]
        r, b, f = capped([index.lookup(others), self.unsaved.lookup(others)])
        r = rest[r]
        # Rows that share a key with another row of the call: only they can have a twin
        # kept in the call, and only they need looking up as the call goes.
        partnered = np.zeros(len(rows), dtype=bool)
        for column in range(columns):
            _, where, count = np.unique(rows[:, column], return_inverse=True, return_counts=True)
            partnered |= count[where] > 1
        # How many earlier blocks each of them found a band, before any is dropped: this
        # call's blocks join only where they would have, kept in an earlier call.
        taken = found_per_key((r, b, f), partnered)
        # Candidates whose sketches show them far less alike than a copy are dropped
        # before their text is read (``SKETCH_BITS``): most share a band by chance.
        plausible = alike_values(sketched[r], index.sketched(f)) >= self.least
        hits = (r[plausible], b[plausible], f[plausible])
        stored = ranked(hits)
        stored.update((row, [(block, columns)]) for row, block in identical.items())
        kept.update(self._kept({b for found in stored.values() for b, _ in found} - set(kept)))
        lap = time.perf_counter()
        self.timings["lookup"] += lap - start
        alike, made = _verified(columns, forms, stored, kept, config, self._shingles)
        start = time.perf_counter()
        self.timings["verify"] += start - lap
        paired = partnered.tolist()
        local: list[dict[int, list[int]]] = [{} for _ in range(columns)]
        new_numbers: list[int] = []
        new_rows: list[int] = []
        # The sketches of this call's kept blocks and of the row in hand, as numbers.
        sketch_of: dict[int, int] = {}
        shingles: dict[int, np.ndarray] = {}
        out: list[CorpusResult] = []
        row = 0
        for prepared in docs:
            result, name, site = prepared.result, prepared.result.name, prepared.site
            doc = index.next_doc
            index.next_doc += 1
            self.new_docs.append((doc, name, site))
            cross = []
            for i, form in zip(prepared.blocks, prepared.forms, strict=True):
                sets = made.get(row)  # this block's shingles, if it was compared yet
                found = stored.get(row, [])
                line: list[int] | tuple[()] = ()
                recent: list[int] = []
                if paired[row]:
                    line = rows[row].tolist()
                    recent = [
                        b
                        for band, key in enumerate(line)
                        for b in local[band].get(key, ())[
                            : MOST_CANDIDATES - taken.get((row, band), 0)
                        ]
                    ]
                if recent:
                    mine = int.from_bytes(sketched[row].tobytes(), "little")
                    least = self.least
                    recent = [b for b in recent if alike_in(mine, sketch_of[b], width) >= least]
                if recent:
                    shared = Counter(dict(found))
                    shared.update(recent)
                    found = sorted(shared.items(), key=lambda c: (-c[1], c[0]))
                best: tuple[tuple[float, bool, int], Kept, float] | None = None
                for candidate, n in found[:MOST_CANDIDATES]:
                    if candidate in kept:
                        twin = kept[candidate]
                        if n == columns and form == twin.form:
                            best = ((1.0, True, -candidate), twin, 1.0)
                            break
                        value = alike.get((row, candidate))
                    else:  # kept in this call
                        twin, held = self.recent_kept[candidate]
                        if held is not None:
                            shingles[candidate] = held
                        if n == columns and form == twin.form:
                            best = ((1.0, True, -candidate), twin, 1.0)
                            break
                        if sets is None and form != twin.form:
                            sets = shingle_sets([form], config.shingle_size)[0]
                        value = _similarity(form, sets, twin, shingles, config)
                    if value is None:
                        continue
                    rank = (value, form == twin.form, -candidate)
                    if best is None or rank > best[0]:
                        best = (rank, twin, value)
                row += 1
                block = result.blocks[i]
                if best is None or best[1].doc == doc or best[1].document == name:
                    # New, a repeat inside this document (which clean() judged content), or
                    # this document's own block from an earlier run.
                    number = index.next_block
                    index.next_block += 1
                    self.recent_kept[number] = (Kept(number, doc, name, i, site, form), sets)
                    for band, key in enumerate(line):
                        local[band].setdefault(key, []).append(number)
                    new_numbers.append(number)
                    new_rows.append(row - 1)
                    if line:
                        sketch_of[number] = int.from_bytes(sketched[row - 1].tobytes(), "little")
                    self.new_blocks.append((number, doc, i, form))
                    if (name, i) in self.drop:  # site furniture, its first copy too
                        later, at = self.drop[name, i]
                        cross.append(
                            CrossRemoval(
                                i, str(block.kind), block.text, "boilerplate", 1.0, later, at
                            )
                        )
                    continue
                _, twin, value = best
                self.new_repeats.append((twin.block, doc, site, i, block.text))
                found_in = self._found_in(twin, doc, site)
                reason = "boilerplate" if found_in >= self.boilerplate_min_docs else "duplicate"
                cross.append(
                    CrossRemoval(
                        block.index,
                        str(block.kind),
                        block.text,
                        reason,
                        value,
                        twin.document,
                        twin.index,
                    )
                )
            out.append(CorpusResult(result, tuple(cross), self.cleaner))
        if new_numbers:
            index.hold(new_numbers[0], sketched[new_rows])
            added = rows[new_rows]
            self.new_keys.append(added)
            self.unsaved.add(added, np.array(new_numbers, dtype=np.uint32))
        self.timings["match"] += time.perf_counter() - start
        return out

    def _kept(self, blocks: set[int]) -> dict[int, Kept]:
        """The kept blocks of these numbers: kept and not yet written, remembered (the
        blocks found again and again: a site's furniture, a wire story's paragraphs), or
        read from the index."""
        recent, known = self.recent_kept, self.known
        kept = {b: recent[b][0] for b in blocks if b in recent}
        for b in blocks:
            if b not in kept and b in known:
                known.move_to_end(b)
                kept[b] = known[b][0]
        read = self.index.kept(b for b in blocks if b not in kept)
        for b, twin in read.items():
            known[b] = (twin, None)
        while len(known) > KNOWN_BLOCKS:
            known.popitem(last=False)
        kept.update(read)
        return kept

    def _shingles(self, blocks: Iterable[int], kept: dict[int, Kept]) -> list[np.ndarray]:
        """The shingle sets of kept blocks, each made once while it is remembered."""
        recent, known = self.recent_kept, self.known
        out: dict[int, np.ndarray] = {}
        missing: list[int] = []
        for b in blocks:
            held = recent[b][1] if b in recent else known[b][1] if b in known else None
            if held is None:
                missing.append(b)
            else:
                out[b] = held
        if missing:
            made = shingle_sets([kept[b].form for b in missing], self.config.shingle_size)
            for b, one in zip(missing, made, strict=True):
                out[b] = one
                if b in known:  # (a copy: a view would hold the whole batch's array)
                    known[b] = (known[b][0], one.copy())
        return [out[b] for b in blocks]

    def _found_in(self, twin: Kept, doc: int, site: str) -> int:
        """How many documents of a site hold a kept block, this one counted: its own
        (when of the site) and those repeating it; counted up to the boilerplate's
        ``boilerplate_min_docs``, past which the count decides nothing."""
        key = (twin.block, site)
        if key in self.found_in:
            count, last = self.found_in.pop(key)
            count += last != doc
        else:
            most = self.boilerplate_min_docs
            count = (twin.site == site) + self.index.repeated_in(twin.block, site, most) + 1
        self.found_in[key] = (count, doc)
        return count

    def boilerplate_keepers(self) -> dict[tuple[str, int], tuple[str, int]]:
        """Each kept block that is boilerplate (in ``boilerplate_min_docs`` documents of a
        site or more), as (document, index), with its first repeat's (document, index):
        what a second run drops with ``drop`` set to it."""
        self.flush()
        return self.index.keepers(self.boilerplate_min_docs)

    def boilerplate(self) -> Iterator[dict[str, Any]]:
        """The boilerplate found so far: each text once, with its document count, its
        sites and three example documents."""
        self.flush()
        for text, count, sites, examples in self.index.boilerplate(self.boilerplate_min_docs):
            yield {"text": text, "documents": count, "sites": sites, "examples": examples}


def _similarity(
    form: str, sets: np.ndarray | None, twin: Kept, shingles: dict[int, np.ndarray], config: Config
) -> float | None:
    """``index.similarity`` with the kept block's shingles made once a batch."""
    if form == twin.form:
        return 1.0
    assert sets is not None
    if twin.block not in shingles:
        shingles[twin.block] = shingle_sets([twin.form], config.shingle_size)[0]
    return similarity(form, sets, twin.form, config, shingles[twin.block])


# Shingles verified together at most (8 bytes each, sorted with a copy).
VERIFY_HASHES = 1 << 21


# (kept block, site) pairs whose document counts are remembered between batches: a site's
# furniture is found in every batch, and its count would be read from the index in each.
FOUND_IN_HELD = 1 << 16


# Kept blocks remembered between batches (their text and shingles, a few KB each).
KNOWN_BLOCKS = 1 << 14


def _verified(
    columns: int,
    forms: list[str],
    stored: dict[int, list[tuple[int, int]]],
    kept: dict[int, Kept],
    config: Config,
    shingles: Callable[[list[int], dict[int, Kept]], list[np.ndarray]],
) -> tuple[dict[tuple[int, int], float | None], dict[int, np.ndarray]]:
    """Every (row, kept block) candidate pair's similarity (None: no copy), verified in
    one pass: the kept blocks' shingles (``shingles``) made together, the overlaps
    counted together; and the shingle sets made of the rows compared."""
    pairs = [
        (row, block)
        for row, found in stored.items()
        if not _identical_first(found, forms[row], kept, columns)
        for block, _ in found[:MOST_CANDIDATES]
    ]
    if not pairs:
        return {}, {}
    # The rows' shingles, made for the rows compared (a worker keeps only their keys).
    rows = {row: n for n, row in enumerate(dict.fromkeys(row for row, _ in pairs))}
    sets = shingle_sets([forms[row] for row in rows], config.shingle_size)
    made = {row: sets[n] for row, n in rows.items()}
    # Only the kept blocks paired are shingled (not those found word for word alone).
    compared = list(dict.fromkeys(block for _, block in pairs))
    order = {block: n for n, block in enumerate(compared)}
    packed = ShingleSets.of([*sets, *shingles(compared, kept)])
    first = np.array([rows[row] for row, _ in pairs], dtype=np.int64)
    second = np.array([len(rows) + order[block] for _, block in pairs], dtype=np.int64)
    # A pair whose sets differ in size by more than the threshold allows is no copy
    # (the Jaccard similarity is at most the smaller size over the larger): only the
    # others are counted.
    small = np.minimum(packed.sizes[first], packed.sizes[second])
    large = np.maximum(packed.sizes[first], packed.sizes[second])
    possible = np.flatnonzero(small >= config.jaccard * large)
    common = np.zeros(len(pairs), dtype=np.int64)
    if len(possible):
        a_side, b_side = first[possible], second[possible]
        # Counted in parts of about VERIFY_HASHES shingles: memory holds whatever the batch.
        sizes = np.cumsum(packed.sizes[a_side] + packed.sizes[b_side])
        ends = np.arange(VERIFY_HASHES, sizes[-1], VERIFY_HASHES)
        cuts = [0, *np.searchsorted(sizes, ends), None]
        common[possible] = np.concatenate(
            [overlap_counts(packed, a_side[a:b], b_side[a:b]) for a, b in itertools.pairwise(cuts)]
        )
    union = packed.sizes[first] + packed.sizes[second] - common
    value = np.where(union > 0, common / np.maximum(union, 1), 1.0).tolist()
    out: dict[tuple[int, int], float | None] = {}
    numbers: dict[int, Counter[str]] = {}  # a row's numbers, counted once
    for (row, block), jaccard in zip(pairs, value, strict=True):
        form, twin = forms[row], kept[block].form
        if form == twin:
            out[row, block] = 1.0
        elif jaccard < config.jaccard:
            out[row, block] = None
        else:
            if row not in numbers:
                numbers[row] = numbers_of(form)
            held = numbers[row]
            out[row, block] = jaccard if not held or not held - numbers_of(twin) else None
    return out, made


def _identical_first(
    found: list[tuple[int, int]], form: str, kept: dict[int, Kept], columns: int
) -> bool:
    """Whether a row's first candidate shares every key with it and is the same form: its
    twin, with no other to compare."""
    block, shared = found[0]
    return shared == columns and kept[block].form == form


def record_site(record: Mapping[str, Any], site_field: str | None) -> str:
    """A record's site: its site field, else the host of its URL, else none."""
    if site_field and isinstance(record.get(site_field), str):
        return writable(str(record[site_field]))
    url = record.get("url")
    return writable(urlsplit(url).hostname or "") if isinstance(url, str) else ""


@dataclass(frozen=True)
class Prepared:
    """A document cleaned of its own echoes, with the matching keys of the blocks it keeps:
    everything about it that needs no other document, so many processes can make these
    while one matches them in order. ``result`` may come without its parsed page (from
    another process); the page is parsed again only if an HTML output needs it."""

    result: Result
    site: str
    blocks: tuple[int, ...]  # the indices of the blocks matched across documents
    forms: tuple[str, ...]
    keys: np.ndarray  # (blocks, bands + 1) LSH band keys and the exact key
    sketches: np.ndarray  # (blocks, bytes) their signatures' lowest bits


def prepare(
    cleaner: Cleaner,
    source: str | bytes,
    name: str,
    site: str = "",
    format: str | None = None,
    content_type: str | None = None,
) -> Prepared:
    """Clean a document of its own echoes and key the blocks it keeps for matching."""
    config = cleaner.config
    result = cleaner.clean(source, format=format, name=name, content_type=content_type)
    blocks = [b for b in result.blocks if _compared(b, result, config)]
    forms = [normalize(b.text).key for b in blocks]
    keep = [i for i, f in enumerate(forms) if weighed_length(f) >= config.min_chars]
    blocks, forms = [blocks[i] for i in keep], [forms[i] for i in keep]
    keys, sketches = block_keys(forms, config)
    return Prepared(result, site, tuple(b.index for b in blocks), tuple(forms), keys, sketches)


def _compared(block: Block, result: Result, config: Config) -> bool:
    """Whether a kept block is matched across documents: not the document's own echo
    (gone already), not a form's or a quiz's line, not a table cell (unless asked)."""
    if block.index in result.removed_indices or block.protected:
        return False
    return block.kind is not Kind.TABLE_CELL or config.remove_table_cells

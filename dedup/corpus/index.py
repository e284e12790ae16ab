"""The embedded corpus index: every block kept so far, in one SQLite file, no server.

What a later document's block is matched against: its exact matching form (a digest),
the LSH band keys of its MinHash signature, and its matching form itself, so a candidate
is verified exactly (shingle Jaccard) before anything is removed. The file records how its
signatures were made (scheme, seed, permutations, shingle size, bands) and the dedup
version that made it, and refuses to be extended with other settings: sketches made
otherwise would match silently wrong.

SQLite gives the index its safety: a batch of documents is one transaction, so a process
killed in the middle of an update leaves the index as it was before the batch (or with the
whole batch); a file that is not a dedup index, or a damaged one, is one clear error.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .. import __version__
from ..config import Config
from ..errors import ConfigError, InputError
from ..match.candidates import lsh_params
from ..match.hashing import fmix
from ..match.shingles import shingle_sets
from ..match.signatures import signatures
from ..match.verify import jaccard

# How signatures are made: bump when the shingle hashing or the permutations change.
SCHEME = "dedup-minhash-1"
FORMAT = "1"
# The LSH threshold that proposes candidates, well under the Jaccard that makes a copy: with
# 32 permutations (10 bands of 3), a pair at Jaccard 0.8 is a candidate with probability
# 0.9992. Every candidate is verified exactly.
CANDIDATE_THRESHOLD = 0.4
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Twin:
    """The kept block a new block repeats: its document, its place there, how alike."""

    block: int  # the index's own number for the kept block
    doc: int  # the index's own number for the kept block's document
    document: str  # what the kept block's document is called (its id, URL or path)
    index: int  # the kept block's index in its document
    similarity: float
    site: str
    text: str


class BlockIndex:
    """Kept blocks of a corpus, on disk (``path``) or in memory (None)."""

    def __init__(self, path: str | os.PathLike[str] | None, config: Config) -> None:
        self.path = os.fspath(path) if path is not None else ":memory:"
        self.config = config
        self._settings(config)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self._open()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a dedup index, or a damaged one ({exc})") from None
        self.in_batch = False

    def _settings(self, config: Config) -> None:
        """What an index records of how its signatures were made."""
        self.bands, self.rows = lsh_params(CANDIDATE_THRESHOLD, config.num_perm)
        self.settings = {
            "format": FORMAT,
            "scheme": SCHEME,
            "seed": str(config.seed),
            "num_perm": str(config.num_perm),
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

    def similarity(self, form: str, shingles: np.ndarray, kept_form: str) -> float | None:
        """How alike a block is to a kept one, when it is a copy of it: shingle Jaccard of
        ``config.jaccard`` or more, and (as within a document) each number it holds in
        the kept one too ("vote number 4" is no copy of "vote number 5"); else None."""
        numbers = Counter(_NUMBER.findall(form))
        if numbers and numbers - Counter(_NUMBER.findall(kept_form)):
            return None
        value = jaccard(shingles, shingle_sets([kept_form], self.config.shingle_size)[0])
        return value if value >= self.config.jaccard else None

    def documents(self) -> int:
        """How many documents the index holds."""
        return int(self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def abandon(self) -> None:
        """Drop the batch in hand and close."""
        self.rollback()
        self.db.close()

    def _open(self) -> None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        if not tables:
            self.db.executescript(_SCHEMA)
            self.db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [*self.settings.items(), ("version", __version__)],
            )
            return
        if "meta" not in tables or "blocks" not in tables:
            raise InputError(f"{self.path}: not a dedup index (no dedup tables in it)")
        self._check(dict(self.db.execute("SELECT key, value FROM meta")))

    # ------------------------------------------------------------ batches

    def begin(self) -> None:
        if not self.in_batch:
            self.db.execute("BEGIN IMMEDIATE")
            self.in_batch = True

    def commit(self) -> None:
        if self.in_batch:
            self.db.execute("COMMIT")
            self.in_batch = False

    def rollback(self) -> None:
        if self.in_batch:
            self.db.execute("ROLLBACK")
            self.in_batch = False

    def close(self) -> None:
        self.commit()
        self.db.close()

    # ------------------------------------------------------------ matching

    def twin(self, form: str, digest: bytes, keys: np.ndarray, shingles: np.ndarray) -> Twin | None:
        """The kept block this one repeats: the same form, else the most alike candidate at
        Jaccard ``config.jaccard`` or more (the earliest kept on a tie); None if none."""
        row = self.db.execute(
            "SELECT b.id, b.doc, d.name, b.idx, d.site, b.text FROM exact e "
            "JOIN blocks b ON b.id = e.block JOIN docs d ON d.id = b.doc WHERE e.digest = ?",
            (digest,),
        ).fetchone()
        if row is not None:
            return Twin(row[0], row[1], row[2], row[3], 1.0, row[4], row[5])
        marks = ",".join("?" * len(keys))
        candidates = self.db.execute(
            f"SELECT DISTINCT block FROM bands WHERE key IN ({marks}) ORDER BY block",
            [int(k) for k in keys],
        ).fetchall()
        best: Twin | None = None
        for (block,) in candidates:
            b_id, doc, name, idx, site, text, kept_form = self.db.execute(
                "SELECT b.id, b.doc, d.name, b.idx, d.site, b.text, b.form FROM blocks b "
                "JOIN docs d ON d.id = b.doc WHERE b.id = ?",
                (block,),
            ).fetchone()
            similarity = self.similarity(form, shingles, kept_form)
            if similarity is not None and (best is None or similarity > best.similarity):
                best = Twin(b_id, doc, name, idx, similarity, site, text)
        return best

    def add_document(self, name: str, site: str) -> int:
        cur = self.db.execute("INSERT INTO docs (name, site) VALUES (?, ?)", (name, site))
        return int(cur.lastrowid or 0)

    def add_block(
        self, doc: int, idx: int, text: str, form: str, digest: bytes, keys: np.ndarray
    ) -> None:
        cur = self.db.execute(
            "INSERT INTO blocks (doc, idx, text, form) VALUES (?, ?, ?, ?)", (doc, idx, text, form)
        )
        block = cur.lastrowid
        self.db.execute("INSERT OR IGNORE INTO exact VALUES (?, ?)", (digest, block))
        self.db.executemany("INSERT INTO bands VALUES (?, ?)", [(int(k), block) for k in keys])

    def add_repeat(self, block: int, doc: int, site: str) -> None:
        """Note that a document (of a site) repeated a kept block."""
        self.db.execute("INSERT INTO repeats VALUES (?, ?, ?)", (block, doc, site))

    def documents_of(self, block: int, site: str) -> int:
        """How many documents of a site hold a kept block: its own, and those repeating it."""
        own = self.db.execute(
            "SELECT COUNT(*) FROM blocks b JOIN docs d ON d.id = b.doc WHERE b.id = ? AND d.site = ?",
            (block, site),
        ).fetchone()[0]
        repeats = self.db.execute(
            "SELECT COUNT(DISTINCT doc) FROM repeats WHERE block = ? AND site = ?", (block, site)
        ).fetchone()[0]
        return int(own) + int(repeats)

    def boilerplate(self, min_docs: int) -> Iterator[tuple[str, int, list[str], list[str]]]:
        """Each kept block repeated in ``min_docs`` documents of a site or more: its text,
        its document count, its sites and three example documents, most repeated first."""
        rows = self.db.execute(
            "SELECT r.block, b.text, COUNT(DISTINCT r.doc) + 1 AS n FROM repeats r "
            "JOIN blocks b ON b.id = r.block GROUP BY r.block HAVING n >= ? "
            "ORDER BY n DESC, r.block",
            (min_docs,),
        ).fetchall()
        for block, text, count in rows:
            docs = self.db.execute(
                "SELECT d.name, d.site FROM blocks b JOIN docs d ON d.id = b.doc WHERE b.id = ? "
                "UNION ALL SELECT d.name, d.site FROM repeats r JOIN docs d ON d.id = r.doc "
                "WHERE r.block = ?",
                (block, block),
            ).fetchall()
            sites = sorted({site for _, site in docs})
            yield text, int(count), sites, [name for name, _ in docs[:3]]


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, site TEXT NOT NULL);
CREATE TABLE blocks (
    id INTEGER PRIMARY KEY, doc INTEGER NOT NULL, idx INTEGER NOT NULL,
    text TEXT NOT NULL, form TEXT NOT NULL
);
CREATE TABLE exact (digest BLOB PRIMARY KEY, block INTEGER NOT NULL);
CREATE TABLE bands (key INTEGER NOT NULL, block INTEGER NOT NULL);
CREATE INDEX bands_key ON bands (key);
CREATE TABLE repeats (block INTEGER NOT NULL, doc INTEGER NOT NULL, site TEXT NOT NULL);
CREATE INDEX repeats_block ON repeats (block, site);
"""


def block_keys(
    forms: list[str], config: Config
) -> tuple[list[bytes], np.ndarray, list[np.ndarray]]:
    """Each matching form's digest, LSH band keys (one row of ``bands`` a form) and
    shingle set: what an index stores and looks up. A pure function of the forms and the
    settings, so any process can compute it."""
    bands, rows = lsh_params(CANDIDATE_THRESHOLD, config.num_perm)
    if not forms:
        return [], np.zeros((0, bands), dtype=np.uint64), []
    digests = [hashlib.blake2b(f.encode(), digest_size=16).digest() for f in forms]
    sets = shingle_sets(forms, config.shingle_size)
    sigs = signatures(sets, config.num_perm, config.seed)
    banded = sigs[:, : bands * rows].reshape(len(forms), bands, rows)
    keys = np.zeros((len(forms), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            keys = keys * np.uint64(0x100000001B3) + banded[:, :, r].astype(np.uint64)
        keys += np.arange(bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        fmix(keys, 64)
    keys >>= np.uint64(1)  # SQLite integers are signed 64-bit
    return digests, keys, list(sets)

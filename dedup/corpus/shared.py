"""The shared corpus index on Redis (``--index redis://HOST:PORT/N``): one writer, any
number of readers, on as many machines as reach the server.

It holds what the SQLite index holds, under keys prefixed ``dedup:`` (a band key's
blocks as a set), and the same settings record, checked the same way. Writes are batched:
a batch's documents are matched against the index and against each other (the batch is
kept in memory until it is written), then written in one MULTI/EXEC transaction, so a writer killed at any point
leaves the index as it was before the batch or with all of it. One writer at a time: a
run that writes holds the key ``dedup:writer`` (renewed at every batch, expiring an hour
after its last one), and a second writer is refused; readers (``dedup check --index``)
take no lock. Query-then-insert from several writers would not be atomic: datasketch's
Redis storage has no locking, and two workers racing on one index keep both copies or
drop both.

Needs the ``redis`` package (``pip install dedup[redis]``).
"""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from .. import __version__
from ..config import Config
from ..errors import ConfigError, InputError
from .index import MOST_CANDIDATES, BlockIndex, Hits, Kept, Run, Sketches, sketch_width

PREFIX = "dedup:"
LOCK_SECONDS = 3600
# Where a reader numbers its own documents and blocks (block numbers are 32-bit).
READER_NUMBERS = 1 << 31


class RedisIndex(BlockIndex):
    """The corpus index on a Redis server; ``writer`` false: it is only read."""

    def __init__(self, url: str, config: Config, writer: bool = True) -> None:
        try:
            import redis
        except ImportError:
            raise ConfigError(
                "a redis:// index needs the redis package: pip install 'dedup[redis]'"
            ) from None
        self.path = url
        self.config = config
        self._settings(config)
        self.writer = writer
        self.token = uuid.uuid4().hex
        try:
            # (redis-py's return types are unions of every reply; the replies here are known)
            self.r: Any = redis.Redis.from_url(url, decode_responses=True)
            self.r.ping()
        except (redis.RedisError, ValueError) as exc:
            raise InputError(f"{url}: cannot reach the index ({exc})") from None
        stored = {str(k): str(v) for k, v in self.r.hgetall(PREFIX + "meta").items()}
        if not stored:
            if not writer:
                raise InputError(f"{url}: no dedup index there")
            meta: dict[Any, Any] = {**self.settings, "version": __version__}
            self.r.hset(PREFIX + "meta", mapping=meta)
        else:
            self._check(stored)
        if writer and not self.r.set(PREFIX + "writer", self.token, nx=True, ex=LOCK_SECONDS):
            raise InputError(f"{url}: another run is writing this index (one writer at a time)")
        self.next_doc = int(self.r.get(PREFIX + "docs:last") or 0) + 1
        self.next_block = int(self.r.get(PREFIX + "blocks:last") or 0) + 1
        if not writer:
            # A reader's documents and blocks, never written, are numbered where no
            # writer's will be: the writer goes on adding while a reader reads, and its new
            # blocks are found by the reader's lookups.
            self.next_doc = max(self.next_doc, READER_NUMBERS)
            self.next_block = max(self.next_block, READER_NUMBERS)
        # This run's own blocks' sketches, in memory; every other block's read as needed.
        self.sketches = Sketches(sketch_width(self.perms))
        self.opened_at = self.next_block

    def sketched(self, blocks: np.ndarray) -> np.ndarray:
        blocks = np.asarray(blocks)
        out = self.sketches.get(blocks)
        earlier = np.flatnonzero(blocks < self.opened_at)
        if len(earlier):
            held = self.r.hmget(PREFIX + "sketches", [int(b) for b in blocks[earlier]])
            out[earlier] = np.frombuffer(bytes.fromhex("".join(held)), np.uint8).reshape(
                len(earlier), -1
            )
        return out

    def documents(self) -> int:
        return int(self.r.get(PREFIX + "documents") or 0)

    def lookup(self, keys: np.ndarray, bands: Sequence[int] | None = None) -> Hits:
        chosen = range(keys.shape[1]) if bands is None else bands
        pipe = self.r.pipeline(transaction=False)
        for row in keys.tolist():
            for band in chosen:
                pipe.smembers(f"{PREFIX}band:{band}:{row[band]}")
        replies = iter(pipe.execute())
        rows: list[int] = []
        in_band: list[int] = []
        found: list[int] = []
        for row in range(len(keys)):
            for band in chosen:
                members = sorted(int(b) for b in next(replies))[:MOST_CANDIDATES]
                rows += [row] * len(members)
                in_band += [band] * len(members)
                found += members
        hits = (np.array(rows, dtype=np.int64), np.array(in_band, dtype=np.int64))
        return (*hits, np.array(found, dtype=np.uint32))

    def kept(self, blocks: Iterable[int]) -> dict[int, Kept]:
        wanted = sorted(set(blocks))
        pipe = self.r.pipeline(transaction=False)
        for block in wanted:
            pipe.hmget(f"{PREFIX}block:{block}", "doc", "idx", "form")
        rows = pipe.execute()
        for doc, _, _ in rows:
            pipe.hmget(f"{PREFIX}doc:{doc}", "name", "site")
        names = pipe.execute()
        return {
            block: Kept(block, int(doc), str(name), int(idx), str(site), str(form))
            for block, (doc, idx, form), (name, site) in zip(wanted, rows, names, strict=True)
        }

    def repeated_in(self, block: int, site: str, most: int = -1) -> int:
        count = int(self.r.scard(f"{PREFIX}repeats:{block}:{site}"))
        return count if most < 0 else min(count, most)

    def save(
        self,
        docs: list[tuple[int, str, str]],
        blocks: list[tuple[int, int, int, str]],
        keys: np.ndarray,
        repeats: list[tuple[int, int, str, int, str]],
        run: Run | None = None,
    ) -> None:
        # (``run`` is the keys sorted, which a set a key does not need)
        if self.r.get(PREFIX + "writer") != self.token:
            raise InputError(f"{self.path}: this run no longer holds the index's writer lock")
        pipe = self.r.pipeline(transaction=True)
        for doc, name, site in docs:
            pipe.hset(f"{PREFIX}doc:{doc}", mapping={"name": name, "site": site})
        bands: dict[str, list[int]] = defaultdict(list)
        for (block, doc, idx, form), row in zip(blocks, keys.tolist(), strict=True):
            pipe.hset(f"{PREFIX}block:{block}", mapping={"doc": doc, "idx": idx, "form": form})
            for band, key in enumerate(row):
                bands[f"{PREFIX}band:{band}:{key}"].append(block)
        for name, members in bands.items():
            pipe.sadd(name, *members)
        for block, doc, site, _, text in repeats:
            pipe.sadd(f"{PREFIX}repeats:{block}", doc)
            pipe.sadd(f"{PREFIX}repeats:{block}:{site}", doc)
            pipe.hsetnx(PREFIX + "texts", str(block), text)
            pipe.sadd(PREFIX + "repeated", block)
        if blocks:
            first = blocks[0][0]
            sketches = self.sketches.held(first, len(blocks))
            pipe.hset(
                PREFIX + "sketches",
                mapping={first + n: one.tobytes().hex() for n, one in enumerate(sketches)},
            )
        if docs:
            pipe.set(PREFIX + "docs:last", docs[-1][0])
        if blocks:
            pipe.set(PREFIX + "blocks:last", blocks[-1][0])
        pipe.incrby(PREFIX + "documents", len(docs))
        pipe.expire(PREFIX + "writer", LOCK_SECONDS)
        pipe.execute()

    def close(self) -> None:
        self.abandon()

    def abandon(self) -> None:
        """Let go of the index (its writer lock) and close."""
        if self.writer and self.r.get(PREFIX + "writer") == self.token:
            self.r.delete(PREFIX + "writer")
        self.r.close()

    def keepers(self, min_docs: int) -> dict[tuple[str, int], tuple[str, int]]:
        raise ConfigError(f"{self.path}: --boilerplate drop needs a file index")

    def boilerplate(self, min_docs: int) -> Iterator[tuple[str, int, list[str], list[str]]]:
        rows: list[tuple[int, int]] = []
        for member in self.r.smembers(PREFIX + "repeated"):
            block = int(member)
            count = int(self.r.scard(f"{PREFIX}repeats:{block}")) + 1
            if count >= min_docs:
                rows.append((block, count))
        for block, count in sorted(rows, key=lambda row: (-row[1], row[0])):
            owner = self.kept([block])[block]
            docs = sorted(int(d) for d in self.r.smembers(f"{PREFIX}repeats:{block}"))
            named = [(owner.document, owner.site)]
            for doc in docs:
                name, site = self.r.hmget(f"{PREFIX}doc:{doc}", "name", "site")
                named.append((str(name), str(site)))
            text = str(self.r.hget(PREFIX + "texts", str(block)))
            yield text, count, sorted({site for _, site in named}), [n for n, _ in named[:3]]


def index_for(
    location: str | os.PathLike[str] | None, config: Config, writer: bool = True
) -> BlockIndex:
    """The index at a path (SQLite), a ``redis://`` URL (shared), or for this run only
    (None: a temporary file)."""
    if isinstance(location, str) and location.startswith(("redis://", "rediss://", "unix://")):
        return RedisIndex(location, config, writer)
    if not writer and location is not None and not os.path.exists(location):
        raise InputError(f"{os.fspath(location)}: no such index")
    return BlockIndex(location, config, writer)

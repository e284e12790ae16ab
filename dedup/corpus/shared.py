"""The shared corpus index on Redis (``--index redis://HOST:PORT/N``): one writer, any
number of readers, on as many machines as reach the server.

It holds what the SQLite index holds, under keys prefixed ``dedup:``, and the same
settings record, checked the same way. Writes are batched: a batch's documents are
matched against the index and against each other (the batch is kept in memory until it is
written), then written in one MULTI/EXEC transaction, so a writer killed at any point
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
from collections.abc import Iterator
from typing import Any

import numpy as np

from .. import __version__
from ..config import Config
from ..errors import ConfigError, InputError
from .index import BlockIndex, Twin

PREFIX = "dedup:"
LOCK_SECONDS = 3600


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
        self.redis_error = redis.RedisError
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
        self._new_batch()

    def _new_batch(self) -> None:
        self.docs: dict[int, tuple[str, str]] = {}
        self.blocks: dict[int, tuple[int, int, str, str]] = {}
        self.exact: dict[bytes, int] = {}
        self.bands_of: dict[int, list[int]] = defaultdict(list)
        self.repeats: list[tuple[int, int, str]] = []

    # ------------------------------------------------------------ batches

    def begin(self) -> None:
        pass

    def commit(self) -> None:
        if not self.writer or not (self.docs or self.blocks or self.repeats):
            return
        if self.r.get(PREFIX + "writer") != self.token:
            raise InputError(f"{self.path}: this run no longer holds the index's writer lock")
        pipe = self.r.pipeline(transaction=True)
        for doc, (name, site) in self.docs.items():
            pipe.hset(f"{PREFIX}doc:{doc}", mapping={"name": name, "site": site})
        for block, (doc, idx, text, form) in self.blocks.items():
            pipe.hset(
                f"{PREFIX}block:{block}",
                mapping={"doc": doc, "idx": idx, "text": text, "form": form},
            )
        for digest, block in self.exact.items():
            pipe.hsetnx(PREFIX + "exact", digest, block)
        for key, blocks in self.bands_of.items():
            pipe.sadd(f"{PREFIX}band:{key}", *blocks)
        for block, doc, site in self.repeats:
            pipe.sadd(f"{PREFIX}repeats:{block}", doc)
            pipe.sadd(f"{PREFIX}repeats:{block}:{site}", doc)
            pipe.sadd(PREFIX + "repeated", block)
        pipe.incrby(PREFIX + "documents", len(self.docs))
        pipe.expire(PREFIX + "writer", LOCK_SECONDS)
        pipe.execute()
        self._new_batch()

    def rollback(self) -> None:
        self._new_batch()

    def close(self) -> None:
        try:
            self.commit()
        finally:
            if self.writer and self.r.get(PREFIX + "writer") == self.token:
                self.r.delete(PREFIX + "writer")
            self.r.close()

    def abandon(self) -> None:
        """Drop the batch in hand and let go of the index."""
        self.rollback()
        if self.writer and self.r.get(PREFIX + "writer") == self.token:
            self.r.delete(PREFIX + "writer")
        self.r.close()

    def documents(self) -> int:
        return int(self.r.get(PREFIX + "documents") or 0)

    # ------------------------------------------------------------ matching

    def _block(self, block: int) -> tuple[int, int, str, str]:
        if block in self.blocks:
            return self.blocks[block]
        doc, idx, text, form = self.r.hmget(f"{PREFIX}block:{block}", "doc", "idx", "text", "form")
        return int(doc), int(idx), text, form

    def _doc(self, doc: int) -> tuple[str, str]:
        if doc in self.docs:
            return self.docs[doc]
        name, site = self.r.hmget(f"{PREFIX}doc:{doc}", "name", "site")
        return str(name), str(site)

    def _twin(self, block: int, similarity: float) -> Twin:
        doc, idx, text, _ = self._block(block)
        name, site = self._doc(doc)
        return Twin(block, doc, name, idx, similarity, site, text)

    def twin(self, form: str, digest: bytes, keys: np.ndarray, shingles: np.ndarray) -> Twin | None:
        block = self.exact.get(digest)
        if block is None:
            stored = self.r.hget(PREFIX + "exact", digest)
            block = int(stored) if stored is not None else None
        if block is not None:
            return self._twin(block, 1.0)
        pipe = self.r.pipeline(transaction=False)
        for k in keys:
            pipe.smembers(f"{PREFIX}band:{int(k)}")
        found: set[int] = {int(b) for members in pipe.execute() for b in members}
        for k in keys:
            found.update(self.bands_of.get(int(k), ()))
        best: tuple[int, float] | None = None
        for block in sorted(found):
            kept_form = self._block(block)[3]
            similarity = self.similarity(form, shingles, kept_form)
            if similarity is not None and (best is None or similarity > best[1]):
                best = (block, similarity)
        return self._twin(*best) if best is not None else None

    def add_document(self, name: str, site: str) -> int:
        doc = int(self.r.incr(PREFIX + "docs:next"))
        self.docs[doc] = (name, site)
        return doc

    def add_block(
        self, doc: int, idx: int, text: str, form: str, digest: bytes, keys: np.ndarray
    ) -> None:
        block = int(self.r.incr(PREFIX + "blocks:next"))
        self.blocks[block] = (doc, idx, text, form)
        self.exact.setdefault(digest, block)
        for k in keys:
            self.bands_of[int(k)].append(block)

    def add_repeat(self, block: int, doc: int, site: str) -> None:
        self.repeats.append((block, doc, site))

    def documents_of(self, block: int, site: str) -> int:
        own = 1 if self._doc(self._block(block)[0])[1] == site else 0
        stored = {int(d) for d in self.r.smembers(f"{PREFIX}repeats:{block}:{site}")}
        stored.update(d for b, d, s in self.repeats if b == block and s == site)
        return own + len(stored)

    def boilerplate(self, min_docs: int) -> Iterator[tuple[str, int, list[str], list[str]]]:
        rows: list[tuple[int, int]] = []
        for member in self.r.smembers(PREFIX + "repeated"):
            block = int(member)
            count = int(self.r.scard(f"{PREFIX}repeats:{block}")) + 1
            if count >= min_docs:
                rows.append((block, count))
        for block, count in sorted(rows, key=lambda row: (-row[1], row[0])):
            doc, _, text, _ = self._block(block)
            docs = [doc, *sorted(int(d) for d in self.r.smembers(f"{PREFIX}repeats:{block}"))]
            named = [self._doc(d) for d in docs]
            yield text, count, sorted({site for _, site in named}), [n for n, _ in named[:3]]


def index_for(
    location: str | os.PathLike[str] | None, config: Config, writer: bool = True
) -> BlockIndex:
    """The index at a path (SQLite), a ``redis://`` URL (shared), or in memory (None)."""
    if isinstance(location, str) and location.startswith(("redis://", "rediss://", "unix://")):
        return RedisIndex(location, config, writer)
    if not writer and location is not None and not os.path.exists(location):
        raise InputError(f"{os.fspath(location)}: no such index")
    return BlockIndex(location, config)

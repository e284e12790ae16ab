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

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..api import Cleaner, Result
from ..config import Config
from ..match.normalize import normalize, weighed_length
from ..model import Block, Kind
from ..rewrite.html import rewrite_html
from ..rewrite.spans import rewrite_spans
from .index import block_keys
from .shared import index_for

__all__ = ["Corpus", "CorpusResult", "CrossRemoval", "Prepared", "prepare"]


@dataclass(frozen=True)
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


class Corpus:
    """Cleans documents one after another against everything kept before them.

    ``index`` is the path of an index file (created when missing, extended when it
    exists and was made with the same settings), a ``redis://HOST:PORT/N`` URL of a shared
    index (one writer at a time), or None to keep the index in memory for this run only. Use as a context manager, or call ``close`` to commit the last batch.
    With ``keep`` false the index is only read: documents are matched against it and
    against each other, and nothing is written to it (``dedup check --index``).
    """

    def __init__(
        self,
        config: Config | None = None,
        index: str | os.PathLike[str] | None = None,
        *,
        boilerplate_min_docs: int = 3,
        batch: int = 64,
        keep: bool = True,
    ) -> None:
        self.cleaner = Cleaner(config)
        self.config = self.cleaner.config
        self.index = index_for(index, self.config, writer=keep)
        self.boilerplate_min_docs = boilerplate_min_docs
        self.batch = batch
        self.keep = keep
        self.pending = 0

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.index.abandon()  # the batch in hand is not half written

    def close(self) -> None:
        if not self.keep:
            self.index.rollback()
        self.index.close()

    def clean(
        self,
        source: str | bytes,
        *,
        name: str,
        site: str = "",
        format: str | None = None,
        content_type: str | None = None,
    ) -> CorpusResult:
        """Clean one document of its own echoes, then of the blocks earlier ones hold."""
        return self.match(prepare(self.cleaner, source, name, site, format, content_type))

    def match(self, prepared: Prepared) -> CorpusResult:
        """Match a prepared document's blocks against everything kept before it (the
        part of cleaning that needs the documents in order)."""
        result, name, site = prepared.result, prepared.result.name, prepared.site
        index = self.index
        index.begin()
        doc = index.add_document(name, site)
        cross = []
        for i, form, digest, key, shingles in zip(
            prepared.blocks,
            prepared.forms,
            prepared.digests,
            prepared.keys,
            prepared.sets,
            strict=True,
        ):
            block = result.blocks[i]
            twin = index.twin(form, digest, key, shingles)
            if twin is None or twin.doc == doc or twin.document == name:
                # New, a repeat inside this document (which clean() judged content), or
                # this document's own block from an earlier run.
                index.add_block(doc, block.index, block.text, form, digest, key)
                continue
            index.add_repeat(twin.block, doc, site)
            found_in = index.documents_of(twin.block, site)
            reason = "boilerplate" if found_in >= self.boilerplate_min_docs else "duplicate"
            cross.append(
                CrossRemoval(
                    block.index,
                    str(block.kind),
                    block.text,
                    reason,
                    twin.similarity,
                    twin.document,
                    twin.index,
                )
            )
        self.pending += 1
        if self.keep and self.pending >= self.batch:
            index.commit()
            self.pending = 0
        return CorpusResult(result, tuple(cross), self.cleaner)

    def boilerplate(self) -> Iterator[dict[str, Any]]:
        """The boilerplate found so far: each text once, with its document count, its
        sites and three example documents."""
        self.index.commit()
        for text, count, sites, examples in self.index.boilerplate(self.boilerplate_min_docs):
            yield {"text": text, "documents": count, "sites": sites, "examples": examples}


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
    digests: tuple[bytes, ...]
    keys: np.ndarray
    sets: tuple[np.ndarray, ...]


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
    digests, keys, sets = block_keys(forms, config)
    return Prepared(
        result,
        site,
        tuple(b.index for b in blocks),
        tuple(forms),
        tuple(digests),
        keys,
        tuple(sets),
    )


def _compared(block: Block, result: Result, config: Config) -> bool:
    """Whether a kept block is matched across documents: not the document's own echo
    (gone already), not a form's or a quiz's line, not a table cell (unless asked)."""
    if block.index in result.removed_indices or block.protected:
        return False
    return block.kind is not Kind.TABLE_CELL or config.remove_table_cells

"""The Python API: ``clean(source)`` and ``Cleaner(config)``; every shell calls these."""

from __future__ import annotations

import html as html_lib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .config import Config
from .errors import InputError
from .io.decode import FORMATS, Decoded, decode, sniff_format
from .match.echoes import find_echoes
from .model import Block, Removal
from .parse.html import HtmlPage, HtmlParser
from .parse.markdown import parse_markdown
from .parse.text import parse_text
from .profile import Stopwatch
from .report import render
from .rewrite.html import rewrite_html
from .rewrite.spans import rewrite_spans


@dataclass(frozen=True)
class Result:
    """A cleaned document: its blocks, the removal plans and every rendering of them.

    ``removed`` is the plan of text output (``.text``, Markdown, JSON): every repeat once.
    ``html_removed`` is the plan of the page itself (``.html``): the same, but for copies
    of a caption or alt text that stand under different pictures, which the page keeps
    once under each (in ``removed`` their reason is ``text-only``).

    ``name`` is what messages and reports call the document (its path, or
    ``file.jsonl:LINE`` for a record); ``original`` is its decoded text.
    """

    name: str
    format: str
    original: str
    blocks: tuple[Block, ...]
    removed: tuple[Removal, ...]
    config: Config
    encoding: str = "utf-8"
    bom: bytes = b""
    page: HtmlPage | None = field(default=None, repr=False, compare=False)
    html_removed: tuple[Removal, ...] = ()

    def __repr__(self) -> str:
        return (
            f"<Result {self.name!r}: {self.format}, {len(self.blocks)} blocks, "
            f"{len(self.removed)} removed>"
        )

    @cached_property
    def removed_indices(self) -> frozenset[int]:
        return frozenset(r.index for r in self.removed)

    @property
    def kept(self) -> list[Block]:
        """The blocks that stay in text output, in reading order."""
        return [b for b in self.blocks if b.index not in self.removed_indices]

    def kept_in(self, fmt: str | None = None) -> list[Block]:
        """The blocks that stay in one output format (by default the source's own)."""
        gone = {r.index for r in self.removals(fmt)}
        return [b for b in self.blocks if b.index not in gone]

    @property
    def changed(self) -> bool:
        """Whether the document in its own format changes: HTML by ``html_removed``."""
        return bool(self.removals())

    def removals(self, fmt: str | None = None) -> tuple[Removal, ...]:
        """The plan of one output format (by default the source's own): ``html_removed``
        for HTML, ``removed`` for every other."""
        return self.html_removed if (fmt or self.format) == "html" else self.removed

    @cached_property
    def text(self) -> str:
        """Cleaned text: the source minus removed spans for text and Markdown; for HTML, the
        kept blocks' text separated by one blank line."""
        if self.format in ("text", "markdown"):
            return rewrite_spans(self.original, self.blocks, self.removed_indices)
        return _joined(self.kept)

    @cached_property
    def html(self) -> str:
        """Cleaned HTML: the page with the echo elements removed. Unchanged pages come back
        byte for byte; text input becomes one ``<p>`` per kept block."""
        if self.format != "html":
            return "".join(f"<p>{html_lib.escape(b.text)}</p>\n" for b in self.kept)
        if not self.html_removed or self.page is None:
            return self.original
        return rewrite_html(self.original, self.page, {r.index for r in self.html_removed})

    def output(self, fmt: str | None = None) -> str:
        """The cleaned document in a format: ``text``, ``markdown``, ``html`` or ``json``;
        by default the source's own format (text for text, Markdown for Markdown, HTML
        for HTML)."""
        fmt = fmt or self.format
        if fmt == "html":
            return self.html
        if fmt == "json":
            return json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"
        if fmt in ("text", "markdown"):
            return self.text
        raise ValueError(f"unknown output format {fmt!r}")

    def as_dict(self) -> dict[str, Any]:
        """The blocks with their kind, text, line and whether each was kept."""
        dup = {r.index: r for r in self.removed}
        return {
            "source": self.name,
            "format": self.format,
            "blocks": [
                {
                    "index": b.index,
                    "kind": str(b.kind),
                    "text": b.text,
                    "line": b.line,
                    "kept": b.index not in dup,
                    **(
                        {"duplicate_of": dup[b.index].duplicate_of, "reason": dup[b.index].reason}
                        if b.index in dup
                        else {}
                    ),
                }
                for b in self.blocks
            ],
        }

    def comparable_texts(self) -> tuple[str, str]:
        """Before and after, as text a person can diff."""
        if self.format in ("text", "markdown"):
            return self.original, self.text
        return _joined(self.blocks) + "\n", self.text + "\n"

    def report(self, fmt: str = "json") -> str:
        """This document's report: ``json``, ``diff`` or ``html``."""
        return render(fmt, [self])


def _joined(blocks: list[Block] | tuple[Block, ...]) -> str:
    return "\n\n".join(b.text for b in blocks)


class Cleaner:
    """Cleans documents with one configuration (build once, reuse for many documents)."""

    def __init__(self, config: Config | None = None, **options: Any) -> None:
        self.config = (
            config.replace(**options)
            if config and options
            else (config or Config.from_mapping(options))
        )
        self._html = HtmlParser(self.config.include_alt)

    def clean(
        self,
        source: str | bytes,
        *,
        format: str | None = None,
        name: str = "<input>",
        content_type: str | None = None,
    ) -> Result:
        """Clean one document given as text or bytes.

        ``format`` is ``html``, ``text`` or ``markdown``; by default it is guessed from
        ``name``'s extension, then from the content.
        """
        watch = Stopwatch()
        limit = self.config.max_bytes
        if len(source) > limit:
            unit = "bytes" if isinstance(source, bytes) else "characters"
            raise InputError(f"{len(source)} {unit} is over the limit of {limit} (max_bytes)")
        decoded = (
            decode(source, content_type) if isinstance(source, bytes) else Decoded(source, "utf-8")
        )
        watch.lap("decode")
        text = decoded.text
        fmt = format or sniff_format(text, name)
        if fmt not in FORMATS:
            raise InputError(f"unknown input format {fmt!r}; choose one of {', '.join(FORMATS)}")
        page = None
        if fmt == "html":
            page = self._html.parse(text, decoded.utf8)
            blocks = page.blocks
        elif fmt == "markdown":
            blocks = parse_markdown(text, self.config.include_alt, self.config.min_chars)
        else:
            blocks = parse_text(text, self.config.min_chars)
        if len(blocks) > self.config.max_blocks:
            raise InputError(
                f"{len(blocks)} blocks is over the limit of {self.config.max_blocks} (max_blocks)"
            )
        watch.lap("parse")
        echoes = find_echoes(blocks, self.config)
        return Result(
            name,
            fmt,
            text,
            tuple(blocks),
            echoes.text,
            self.config,
            decoded.encoding,
            decoded.bom,
            page,
            echoes.html,
        )


def clean(source: str | bytes, **options: Any) -> Result:
    """Clean one document. Options are ``Config`` fields plus ``format`` and ``name``."""
    call = {k: options.pop(k) for k in ("format", "name", "content_type") if k in options}
    return Cleaner(**options).clean(source, **call)

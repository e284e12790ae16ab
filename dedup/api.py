"""The Python API: ``clean(source)`` and ``Cleaner(config)``; every shell calls these."""

from __future__ import annotations

import html as html_lib
import json
import operator
import os
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from functools import cached_property
from typing import Any

from .config import Config
from .errors import ConfigError, InputError
from .io.decode import FORMATS, Decoded, decode, sniff_format
from .io.formats import STREAMS, Format, format_of
from .io.inputs import Source, read_bytes
from .match.echoes import find_echoes
from .model import Block, Echoes, Kind, Removal, block_values
from .parse.html import HtmlPage, HtmlParser
from .parse.markdown import parse_markdown
from .parse.text import parse_text
from .profile import Stopwatch
from .report import render
from .rewrite.html import rewrite_html
from .rewrite.spans import Edit, apply_edits, moved_line, rewrite_spans, span_cuts


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

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # How a result travels from a worker process: without its parsed page (an lxml
        # tree cannot travel; the receiver parses the source again if it must cut it), and
        # without the text of each block that is, character for character, the span of the
        # source it stands for (a block of text or Markdown, most of what corpus mode
        # sends), which the receiver takes from the source again.
        plain, rows = _sent_blocks(self.blocks, self.original)
        state = (self.removed, self.config, self.encoding, self.bom, self.html_removed)
        return _result_from, (self.name, self.format, self.original, plain, rows, *state)

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
            markdown = self.format == "markdown"
            return rewrite_spans(self.original, self.blocks, self.removed_indices, markdown)
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
        raise ConfigError(
            f"unknown output format {fmt!r}; choose one of text, markdown, html, json"
        )

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


def _sent_blocks(
    blocks: tuple[Block, ...], original: str
) -> tuple[tuple[int, ...], tuple[tuple[Any, ...], ...]]:
    """Blocks as they travel: five numbers a block, its index, kind, line, start and end,
    where it is its span of the source and every other field is its default (every block
    of plain text, most of Markdown); any other block as its index and -1, with its
    constructor arguments in the rows (``_sent``). A tuple of numbers pickles in a sixth
    of the time of a tuple a block."""
    plain: list[int] = []
    rows: list[tuple[Any, ...]] = []
    for b in blocks:
        start, end = b.start, b.end
        if (
            start is not None
            and end is not None
            and all(map(operator.is_, _PLACE(b), _PLACE_DEFAULTS))
            and original[start:end] == b.text
        ):
            plain += (b.index, _KIND_NUMBERS[b.kind], b.line, start, end)
        else:
            plain += (b.index, -1, 0, 0, 0)
            rows.append(_sent(b, original))
    return tuple(plain), tuple(rows)


def _sent(block: Block, original: str) -> tuple[Any, ...]:
    """A block's constructor arguments, its text None where it is its span of the source."""
    values = block_values(block)
    if len(values) > 5 and block.start is not None and block.end is not None:
        if original[block.start : block.end] == block.text:
            return (*values[:2], None, *values[3:])
    return values


# A block's fields after its span, and their defaults: a block whose are all its defaults
# themselves (False, not 0; 1, not True) travels as five numbers.
_PLACE = operator.attrgetter(*(f.name for f in dataclass_fields(Block)[6:]))
_PLACE_DEFAULTS = tuple(f.default for f in dataclass_fields(Block)[6:])
_KINDS = tuple(Kind)
_KIND_NUMBERS = {kind: n for n, kind in enumerate(_KINDS)}


def _result_from(
    name: str,
    fmt: str,
    original: str,
    plain: tuple[int, ...],
    rows: tuple[tuple[Any, ...], ...],
    removed: tuple[Removal, ...],
    config: Config,
    encoding: str,
    bom: bytes,
    html_removed: tuple[Removal, ...],
) -> Result:
    """A result as ``Result.__reduce__`` sent it."""
    blocks = []
    others = iter(rows)
    kinds = _KINDS
    for index, kind, line, start, end in zip(
        plain[::5], plain[1::5], plain[2::5], plain[3::5], plain[4::5], strict=True
    ):
        if kind >= 0:
            blocks.append(Block(index, kinds[kind], original[start:end], line, start, end))
            continue
        row = next(others)
        if row[2] is not None:
            blocks.append(Block(*row))
        else:
            blocks.append(Block(row[0], row[1], original[row[4] : row[5]], *row[3:]))
    return Result(
        name, fmt, original, tuple(blocks), removed, config, encoding, bom, None, html_removed
    )


def _joined(blocks: list[Block] | tuple[Block, ...]) -> str:
    return "\n\n".join(b.text for b in blocks)


class Cleaner:
    """Cleans documents with one configuration (build once, reuse for many documents)."""

    def __init__(self, config: Config | None = None, **options: Any) -> None:
        self.config = (config or Config()).replace(**options) if options else (config or Config())
        self._html = HtmlParser(self.config.include_alt)

    def clean(
        self,
        source: str | bytes | os.PathLike[str],
        *,
        format: str | None = None,
        name: str = "<input>",
        content_type: str | None = None,
    ) -> Result:
        """Clean one document given as text, bytes or the path of a file.

        ``format`` is ``html``, ``text`` or ``markdown``; by default it is guessed from
        ``name``'s extension, then from the content.
        """
        if isinstance(source, os.PathLike):
            return self.clean_file(source, format=format)
        if not isinstance(source, (str, bytes)):
            raise InputError(
                f"{name}: a document is text (str), bytes or a file's path, "
                f"not {type(source).__name__}"
            )
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
            raise ConfigError(f"unknown input format {fmt!r}; choose one of {', '.join(FORMATS)}")
        page = None
        if fmt == "html":
            page = self._html.parse(text, decoded.utf8, watch)
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
        if fmt == "markdown":
            echoes = _settled(text, blocks, echoes, self.config)
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

    def page(self, text: str) -> HtmlPage:
        """A page parsed as ``clean`` parses it (the same blocks, the same order), without
        looking for echoes: what cutting elements out of it needs."""
        return self._html.parse(text)

    def clean_file(
        self, path: str | os.PathLike[str], *, format: str | None = None, name: str | None = None
    ) -> Result:
        """Clean one document file (HTML, text or Markdown): read whole, decoded like
        bytes, its format by ``format``, else its extension, else its content. A stream
        of records (JSONL, WARC) is refused: ``clean_records`` and ``clean_warc`` read those."""
        path = os.fspath(path)
        stream = format_of(path)
        if format is None and stream in STREAMS:
            reader = "clean_records" if stream is Format.JSONL else "clean_warc"
            raise InputError(f"{path}: a {stream} file holds many documents; read it with {reader}")
        data, _ = read_bytes(Source(path, os.path.basename(path)), self.config.max_bytes)
        return self.clean(data, format=format, name=name or path)


def clean(
    source: str | bytes | os.PathLike[str],
    *,
    format: str | None = None,
    name: str | None = None,
    config: Config | None = None,
    content_type: str | None = None,
    jaccard: float | None = None,
    containment: float | None = None,
    min_chars: int | None = None,
    min_contained_chars: int | None = None,
    include_alt: bool | None = None,
    remove_table_cells: bool | None = None,
    shingle_size: int | None = None,
    num_perm: int | None = None,
    lsh_threshold: float | None = None,
    anchors: int | None = None,
    seed: int | None = None,
    max_bytes: int | None = None,
    max_blocks: int | None = None,
    max_block_chars: int | None = None,
) -> Result:
    """Clean one document: find its echoes, and give what to remove and the cleaned text.

    Args:
        source: the document as text, as bytes (decoded by its byte-order mark, its
            ``<meta charset>`` or ``content_type``, else UTF-8 or a guess), or the path of
            a file to read.
        format: ``html``, ``text`` or ``markdown``; by default guessed from ``name``'s
            extension, then from the content.
        name: what messages and reports call the document; by default the path, or
            ``<input>``.
        config: a ``Config`` to start from; the keywords below change single settings.
        content_type: an HTTP ``Content-Type`` header whose charset decodes bytes.
        jaccard: shingle Jaccard similarity at which two blocks are copies (0.8).
        containment: share of a block that must lie inside the kept one (0.97).
        min_chars: shortest block that can be removed, in normalised characters (20).
        min_contained_chars: shortest block removable for lying inside another (60).
        include_alt: read image alt and title text as blocks (False).
        remove_table_cells: allow removing repeated table cells (False).
        shingle_size: characters per shingle (5).
        num_perm: MinHash permutations (32).
        lsh_threshold: LSH threshold that proposes candidate pairs (0.4).
        anchors: anchor shingles sampled for containment candidates (8).
        seed: MinHash seed (1).
        max_bytes: refuse a document larger than this (64 MiB).
        max_blocks: refuse a document with more blocks than this (250,000).
        max_block_chars: keep a longer block as it is, uncompared (1,000,000).

    Returns:
        A ``Result``: ``.text``, ``.html``, ``.removed`` and ``.report()``.

    Raises:
        InputError: the source cannot be read, decoded or parsed, or is over a limit.
        ConfigError: a setting is invalid.
    """
    settings = {
        key: value
        for key, value in (
            ("jaccard", jaccard),
            ("containment", containment),
            ("min_chars", min_chars),
            ("min_contained_chars", min_contained_chars),
            ("include_alt", include_alt),
            ("remove_table_cells", remove_table_cells),
            ("shingle_size", shingle_size),
            ("num_perm", num_perm),
            ("lsh_threshold", lsh_threshold),
            ("anchors", anchors),
            ("seed", seed),
            ("max_bytes", max_bytes),
            ("max_blocks", max_blocks),
            ("max_block_chars", max_block_chars),
        )
        if value is not None
    }
    cleaner = Cleaner(config, **settings)
    if isinstance(source, os.PathLike):
        return cleaner.clean_file(source, format=format, name=name)
    return cleaner.clean(source, format=format, name=name or "<input>", content_type=content_type)


# A plan settles in one more round, seldom two; past these, what is found stands.
_SETTLE_ROUNDS = 4
# The blocks that may start inside one block (its images' alt text) and before a place in it.
_NESTED = 64
# Past these removals undone one at a time, all above the line read otherwise are undone.
_UNDO_ONE_BY_ONE = 16


def _settled(text: str, blocks: list[Block], echoes: Echoes, config: Config) -> Echoes:
    """A Markdown document's plan as cleaning its cleaned text again would leave it, so
    that cleaning twice changes nothing. The cleaned text is read and matched again (a
    quote's text around it, a line beside a block that went, a paragraph whose copies
    went read whole), and what goes then goes now, as the blocks of the document that
    make up what goes; no removal may change how a line that stays is read (code, a rule
    or text)."""
    echoes = _keeping_code(text, blocks, echoes)
    for _ in range(_SETTLE_ROUNDS):
        gone = {r.index for r in echoes.text}
        if not gone:
            break
        cuts = span_cuts(text, blocks, gone, markdown=True)
        cleaned = apply_edits(text, cuts)
        again = parse_markdown(cleaned, config.include_alt, config.min_chars)
        more = _found_again(find_echoes(again, config).text, again, blocks, gone, cuts)
        joined = _keeping_code(text, blocks, _joined_plans(echoes, more)) if more else echoes
        if {r.index for r in joined.text} == gone:
            break
        echoes = joined
    return echoes


def _found_again(
    removals: tuple[Removal, ...],
    again: list[Block],
    blocks: list[Block],
    gone: set[int],
    cuts: list[Edit],
) -> list[Removal]:
    """The removals found in the cleaned text, as removals of the document's blocks that
    make up each removed block there (and stay whole inside it), for the document's block
    where its twin there starts. One that no blocks of the document make up is left."""

    # Where each cut was, in the cleaned text, and how much went up to its end.
    cut_at: list[int] = []
    went: list[int] = []
    for a, b, _ in cuts:
        cut_at.append(a - (went[-1] if went else 0))
        went.append((went[-1] if went else 0) + b - a)

    def source(at: int) -> int:
        k = bisect_right(cut_at, at)
        return at + (went[k - 1] if k else 0)

    kept = sorted(
        (b for b in blocks if b.index not in gone and b.start is not None),
        key=lambda b: b.start or 0,
    )
    starts = [b.start or 0 for b in kept]
    out: list[Removal] = []
    for r in removals:
        block, twin = again[r.index], again[r.duplicate_of]
        if block.start is None or block.end is None or twin.start is None:
            continue
        start, end, at = source(block.start), source(block.end - 1) + 1, source(twin.start)
        alt = block.kind is Kind.ALT
        inside = [
            b
            for b in kept[bisect_left(starts, start) : bisect_left(starts, end)]
            if (b.end or 0) <= end and (b.kind is Kind.ALT) == alt
        ]
        k = bisect_right(starts, at)
        keeper = next(
            (
                b
                for b in (kept[j] for j in range(k - 1, max(k - _NESTED, 0) - 1, -1))
                if at < (b.end or 0) and b not in inside
            ),
            None,
        )
        if inside and keeper is not None:
            out.extend(
                replace(r, index=b.index, duplicate_of=keeper.index, kind=b.kind, text=b.text)
                for b in inside
            )
    return out


def _joined_plans(echoes: Echoes, more: list[Removal]) -> Echoes:
    """``echoes`` with the removals ``more`` found among the blocks that stay; a removal
    whose twin goes now names the twin's own kept twin."""
    twin = {r.index: r.duplicate_of for r in more}

    def kept_twin(r: Removal) -> Removal:
        seen = {r.index}
        k = r.duplicate_of
        while k in twin and twin[k] not in seen:
            seen.add(k)
            k = twin[k]
        return r if k == r.duplicate_of else replace(r, duplicate_of=k)

    return Echoes(
        tuple(sorted((kept_twin(r) for r in (*echoes.text, *more)), key=lambda r: r.index)),
        tuple(sorted((kept_twin(r) for r in (*echoes.html, *more)), key=lambda r: r.index)),
    )


def _keeping_code(text: str, blocks: list[Block], echoes: Echoes) -> Echoes:
    """``echoes`` without the removals that would change how a line that stays is read (a
    list above indented code takes it in once the paragraph between them goes): the
    nearest removal above such a line is undone, until none is left."""
    gone = {r.index for r in echoes.text}
    undone: set[int] = set()
    while gone and (at := moved_line(text, blocks, gone)) is not None:
        above = [b for b in blocks if b.index in gone and b.start is not None and b.start < at]
        if not above:
            break
        if len(undone) < _UNDO_ONE_BY_ONE:
            above = [max(above, key=lambda b: b.start or 0)]
        for b in above:
            gone.discard(b.index)
            undone.add(b.index)
    if not undone:
        return echoes
    return Echoes(
        tuple(r for r in echoes.text if r.index not in undone),
        tuple(r for r in echoes.html if r.index not in undone),
    )

"""Echoes injected into real pages' markup, where a scraper or a CMS writes them.

The text-level generator (``inject``) tests matching on a list of paragraphs; this one tests
the whole path on real HTML: a caption's copy written after its ``<figcaption>`` in one of
several wrappers, a pull quote of a sentence of the body after its paragraph, the headline
with a site's or a section's name after the ``<h1>``. Each case says which text is the echo
and which the original, so that a method's removals can be scored.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

import dedup
from dedup import Kind

CAPTION_KINDS = {
    "caption-exact": lambda c: c,
    "caption-credit": lambda c: c.rstrip(".") + ". Photograph: Jane Doe/Reuters",
    "caption-label": lambda c: "Image caption, " + c,
    "caption-case": str.upper,
    "caption-zero-width": lambda c: c[:10] + "\u200b" + c[10:],
    "caption-truncated": lambda c: c[: int(len(c) * 0.7)].rsplit(" ", 1)[0] + "…",
    "caption-viewer": lambda c: c + " hide caption",
}
# Where a second copy of a caption is written: a mobile twin, a paragraph, a span.
CAPTION_WRAPPERS = (
    "<p>{}</p>",
    '<div class="caption mobile-only">{}</div>',
    '<span class="img-caption">{}</span>',
    "<p><em>{}</em></p>",
)
HEADLINE_KINDS = {
    "headline-site": lambda h: f"<p>{h} | The Daily Chronicle</p>",
    "headline-section": lambda h: f"<p>Opinion: {h}</p>",
    "headline-copy": lambda h: f"<p><strong>{h}</strong></p>",
}
QUOTE_KINDS = {
    "pull-quote-aside": lambda s: f'<aside class="pullquote"><p>“{s}”</p></aside>',
    "pull-quote-blockquote": lambda s: f'<blockquote class="pull-quote">{s}</blockquote>',
}
KINDS = (*CAPTION_KINDS, *HEADLINE_KINDS, *QUOTE_KINDS)
_SENTENCE = re.compile(r"[^.!?]+[.!?]")


@dataclass(frozen=True)
class Case:
    kind: str
    page: str
    echo: str  # the injected text, as a block reads it
    original: str  # the text it echoes, as a block reads it


def _after(source: str, line: int, tag: str, snippet: str) -> str | None:
    """``source`` with ``snippet`` after the first ``</tag>`` at or after ``line``."""
    offset = 0
    for _ in range(line - 1):
        offset = source.find("\n", offset) + 1
        if offset == 0:
            return None
    end = source.find(f"</{tag}>", offset)
    if end < 0:
        return None
    end += len(tag) + 3
    return source[:end] + snippet + source[end:]


def _block_text(text: str) -> str:
    return " ".join(text.split())


def cases(result: dedup.Result, rng: random.Random) -> Iterator[Case]:
    """The injected pages of one cleaned page: each kind that applies, once."""
    source = result.original
    kept = [b for b in result.kept if b.tag is not None and b.attr is None]
    captions = [
        b for b in kept if b.kind is Kind.CAPTION and b.tag == "figcaption" and len(b.text) >= 40
    ]
    if captions:
        cap = captions[0]
        for kind, make in CAPTION_KINDS.items():
            echo = make(cap.text)
            page = _after(
                source,
                cap.line,
                "figcaption",
                rng.choice(CAPTION_WRAPPERS).format(html.escape(echo, quote=False)),
            )
            if page:
                yield Case(kind, page, _block_text(echo), cap.text)
    heads = [b for b in kept if b.kind is Kind.HEADING and b.tag == "h1" and len(b.text) >= 25]
    if heads:
        head = heads[0]
        for kind, make in HEADLINE_KINDS.items():
            snippet = make(html.escape(head.text, quote=False))
            page = _after(source, head.line, "h1", snippet)
            if page:
                echo = dedup.clean(snippet, format="html").blocks[0].text
                yield Case(kind, page, echo, head.text)
    paragraphs = [
        b for b in kept if b.kind is Kind.PARAGRAPH and b.tag == "p" and len(b.text) > 200
    ]
    if paragraphs:
        para = paragraphs[len(paragraphs) // 2]
        sentences = [s.strip() for s in _SENTENCE.findall(para.text) if 50 <= len(s.strip()) <= 200]
        if sentences:
            sentence = rng.choice(sentences)
            for kind, make in QUOTE_KINDS.items():
                snippet = make(html.escape(sentence, quote=False))
                page = _after(source, para.line, "p", snippet)
                if page:
                    echo = dedup.clean(snippet, format="html").blocks[0].text
                    yield Case(kind, page, echo, para.text)


def score(case: Case, before: dedup.Result, after: dedup.Result) -> tuple[bool, int]:
    """Whether the echo (or, for equal copies, its original) went, and how many other blocks
    that stayed before the injection went after it."""
    gone = {after.blocks[r.index].text for r in after.removed}
    found = case.echo in gone or (
        case.kind not in ("caption-truncated", "headline-site", "headline-section")
        and not case.kind.startswith("pull-quote")
        and case.original in gone
    )
    kept_before = [b.text for b in before.kept]
    kept_after = [b.text for b in after.kept]
    lost = sum(
        max(0, kept_before.count(t) - kept_after.count(t))
        for t in set(kept_before)
        if t not in (case.echo, case.original)
    )
    return found, lost

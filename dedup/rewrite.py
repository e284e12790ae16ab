"""Apply a removal plan to the source itself, changing nothing that was not removed.

Text and Markdown: delete the exact character spans (and the blank lines after them), so a
diff shows only removals. HTML: drop the removed elements' own text, keeping their tails
and any nested block that stays; attribute echoes lose only that attribute value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree

from .blocks import Block


def rewrite_spans(source: str, blocks: Sequence[Block], removed: Iterable[int]) -> str:
    """Delete the spans of removed blocks together with one separator each."""
    gone = set(removed)
    if not gone:
        return source
    spans = [(b.start, b.end, b.index in gone) for b in blocks if b.start is not None]
    cuts: list[tuple[int, int]] = []
    for pos, (start, end, drop) in enumerate(spans):
        if not drop:
            continue
        if pos + 1 < len(spans):
            cuts.append((start, spans[pos + 1][0]))  # the block and the gap after it
        elif pos > 0:
            cuts.append((spans[pos - 1][1], end))  # the last block: the gap before it
        else:
            cuts.append((start, end))
    out: list[str] = []
    last = 0
    for start, end in _merge(cuts):
        out.append(source[last:start])
        last = end
    out.append(source[last:])
    return "".join(out)


def _merge(cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(cuts):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def rewrite_tree(root: Any, blocks: Sequence[Block], removed: Iterable[int]) -> None:
    """Remove the echoes from the lxml tree in place."""
    gone = set(removed)
    kept = {id(b.element) for b in blocks if b.index not in gone and b.attr is None}
    for b in blocks:
        if b.index not in gone:
            continue
        el = b.element
        if b.attr == "alt":
            el.set("alt", "")  # WCAG: an image whose caption says it all gets an empty alt
        elif b.attr is not None:
            el.attrib.pop(b.attr, None)
        elif el.getparent() is None or _holds(el, kept):
            _drop_own_text(el, kept)
        else:
            drop_tree(el)


# Elements that are content without being text: an echo's removal never takes them along.
MEDIA = frozenset("img picture video audio iframe svg object embed canvas source".split())


def _holds(el: Any, kept: set[int]) -> bool:
    """Whether an element holds a block that stays or a media element."""
    return any(id(d) in kept or d.tag in MEDIA for d in el.iterdescendants())


def _drop_own_text(el: Any, kept: set[int]) -> None:
    """Remove an element's own inline text but keep nested blocks that stay, and media."""
    el.text = None
    stack = [el]
    while stack:
        for child in list(stack.pop()):
            child.tail = None
            if id(child) in kept or child.tag in MEDIA:
                continue
            if _holds(child, kept):
                # Its own text is ours (or another echo's): strip it, keep what it holds.
                child.text = None
                stack.append(child)
            else:
                drop_tree(child)


# Characters libxml2 may keep from a sloppy page but lxml refuses to set as text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def drop_tree(el: Any) -> None:
    """Remove an element and everything in it, keeping the text that follows it (its tail)."""
    parent = el.getparent()
    tail = el.tail
    if tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = _NOT_XML.sub("", (previous.tail or "") + tail)
        else:
            parent.text = _NOT_XML.sub("", (parent.text or "") + tail)
    parent.remove(el)


def serialize(root: Any) -> str:
    """Serialise the tree back to HTML with the document's own doctype."""
    doctype = root.getroottree().docinfo.doctype
    return etree.tostring(root, encoding="unicode", method="html", doctype=doctype or None)

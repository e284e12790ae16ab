"""The compiled HTML block walk finds what the pure walk finds: the same blocks, kinds,
texts, elements, attributes and line counts, on every corpus page and on generated pages
of captions, quotes, data attributes, comments, line breaks, skipped tags and odd white
space."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import core
from dedup.io.decode import decode
from dedup.parse import html

needs_walk = pytest.mark.skipif(core.walk is None, reason="the compiled walk is not built")


def _both(page: str, include_alt: bool) -> tuple[list, list]:
    root = html._parse_tree(page)
    pure = html._walk(root, page, include_alt, {})
    compiled = html.walk(root, page, include_alt, {})
    return pure, compiled


def _shown(found: list) -> list:
    """The finds with each element named by its path (what a failure prints)."""
    if not found:
        return []
    tree = found[0][3].getroottree()
    return [(o, k, t, tree.getpath(el), a, n) for o, k, t, el, a, n in found]


@needs_walk
def test_the_compiled_walk_runs_where_the_core_does():
    assert core.compiled is not None
    page = "<html><body><figure><img src=a.jpg alt='A'><figcaption>A cat</figcaption></figure>"
    pure, compiled = _both(page, True)
    assert compiled == pure
    assert [(k.value, t, a) for _, k, t, _, a, _ in compiled] == [
        ("alt", "A", "alt"),
        ("caption", "A cat", None),
    ]


@needs_walk
def test_the_walks_agree_on_every_corpus_page(corpus):
    for path in corpus:
        page = decode(path.read_bytes()).text
        for include_alt in (False, True):
            pure, compiled = _both(page, include_alt)
            # (elements compare by identity: both lists hold the same nodes' objects)
            assert compiled == pure, path.name


_WORDS = st.sampled_from(
    ["cat", "Photo: AP", "  ", "\u00a0", "\t", "\r\n", "雨", "مرحبا", "“quoted”", "(", "x\u200by"]
)
_TEXT = st.lists(_WORDS, max_size=4).map(" ".join)
_TAGS = st.sampled_from(
    "p div span a b em cite small figure figcaption blockquote h2 li ul table tr td caption "
    "aside section script style noscript iframe svg img br button fb:like".split()
)
_CLASSES = st.sampled_from(
    [
        None,
        "caption",
        "wp-caption-text",
        "pull-quote",
        "blockquote-style-2",
        "légende",
        "photo_desc",
        "credit",
        "サイド",
        "story body",
    ]
)
_ATTRIBUTES = st.fixed_dictionaries(
    {},
    optional={
        "class": _CLASSES.filter(bool),
        "id": st.sampled_from(["cap", "quote-1", "main"]),
        "itemprop": st.sampled_from(["caption", "description"]),
        "data-caption": st.sampled_from(["A <a href='x'>cat</a>", "  ", "Dog"]),
        "data-alt": st.sampled_from(["Lazy cat", ""]),
        "alt": st.sampled_from(["A cat", " "]),
        "title": st.sampled_from(["Title"]),
    },
)


def _attrs(values: dict[str, str]) -> str:
    return "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in values.items())


@st.composite
def _nodes(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        choice = draw(st.integers(0, 9))
        if choice < 2:
            parts.append(draw(_TEXT).replace("&", "&amp;").replace("<", "&lt;"))
        elif choice == 2:
            parts.append(draw(st.sampled_from(["<!-- note -->", "<?php echo 1 ?>", "<br>"])))
        else:
            tag = draw(_TAGS)
            inner = "" if tag in ("img", "br") else draw(_nodes(depth + 1))
            parts.append(f"<{tag}{_attrs(draw(_ATTRIBUTES))}>{inner}</{tag}>")
        parts.append(draw(st.sampled_from(["", " ", "\n", "\r\n  ", "tail"])))
    return "".join(parts)


@needs_walk
@settings(max_examples=300, deadline=None)
@given(_nodes(), st.booleans())
def test_the_walks_agree_on_generated_pages(body, include_alt):
    page = f"<!DOCTYPE html><html><body>{body}</body></html>"
    pure, compiled = _both(page, include_alt)
    assert _shown(compiled) == _shown(pure)
    assert compiled == pure

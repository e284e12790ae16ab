"""The compiled HTML block walk finds what the pure walk finds: the same blocks, kinds,
texts, elements, attributes and line counts, on every corpus page and on generated pages
of captions, quotes, data attributes, comments, line breaks, skipped tags and odd white
space."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

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


@needs_walk
def test_the_walks_agree_on_trees_no_html_parse_makes():
    # The walk is handed the HTML parser's trees; on others (namespaced tags, entity
    # references, CDATA, a <br> given children by hand, a part of a page) it still reads
    # what the pure walk reads.
    xml = [
        '<html xmlns:a="urn:a"><body><a:p>x</a:p><p>y</p><a:br/>z</body></html>',
        '<!DOCTYPE r [<!ENTITY e "ent">]><html><body><p>a&e;b</p></body></html>',
        "<html><body><p>a<![CDATA[c]]>b<?pi x?>t</p></body></html>",
    ]
    roots = [etree.fromstring(x, etree.XMLParser(resolve_entities=False)) for x in xml]
    page = html._parse_tree("<p class=caption>a<br>b</p><div>t<p>c</p></div>tail")
    etree.SubElement(page.find(".//br"), "span").text = "in"
    roots += [page, page.find(".//div")]
    for root in roots:
        pure = html._walk(root, "", True, {})
        assert html.walk(root, "", True, {}) == pure
        assert pure  # (each gives blocks to compare)


# lxml's C API, as a build of lxml whose ``textOf`` took another argument would offer it:
# the compiled walk cannot load, and dedup runs the pure walk beside the rest of the core.
_OTHER_LXML = """
import ctypes, lxml.etree as etree
api = ctypes.pythonapi
api.PyCapsule_New.restype = ctypes.py_object
api.PyCapsule_New.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
api.PyCapsule_GetPointer.restype = ctypes.c_void_p
api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
api.PyCapsule_GetName.restype = ctypes.c_char_p
api.PyCapsule_GetName.argtypes = [ctypes.py_object]
old = etree.__pyx_capi__["textOf"]
at = api.PyCapsule_GetPointer(old, api.PyCapsule_GetName(old))
etree.__pyx_capi__["textOf"] = api.PyCapsule_New(at, b"PyObject *(xmlNode *, int)", None)
import dedup
print(dedup.core.NAME, dedup.core.walk)
print(dedup.clean("<p>A cat on a mat, sleeping</p><p>A cat on a mat, sleeping</p>").text)
"""


@needs_walk
def test_an_lxml_of_another_build_runs_the_pure_walk():
    proc = subprocess.run(
        [sys.executable, "-c", _OTHER_LXML],
        capture_output=True,
        text=True,
        env={**os.environ, "DEDUP_PURE": ""},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "compiled core, pure-Python HTML walk None\nA cat on a mat, sleeping\n"

"""Probe pages: small articles in 65 languages (HTML pages, and plain text and
Markdown as extractors and converters write them), each holding one echo a scraper really
writes (or one near miss that is content), in markup and wordings no rule was written
from. Each page says how often each phrase must appear once cleaned, in text and
in the page's own HTML, and which kind of block must keep it; a page marked ``strict``
also says that nothing else may go, and one with ``removals`` how many blocks go."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import dedup

PROBES = Path(__file__).parent / "data" / "probes"
CASES = json.loads((PROBES / "expected.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(text.split())


def _count(key: str, texts: list[str]) -> int:
    return sum(1 for t in texts if _norm(key) in _norm(t))


def _expected(want: int | list[int], got: int) -> bool:
    return got in want if isinstance(want, list) else got == want


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(reason=c["known_gap"], strict=True))
        if "known_gap" in c
        else c
        for c in CASES
    ],
    ids=[c["id"] for c in CASES],
)
def test_probe_page(case):
    source = (PROBES / case["file"]).read_bytes()
    cleaner = dedup.Cleaner(dedup.Config(include_alt=case["alt"]))
    result = cleaner.clean(source, name=case["file"])
    text = _norm(result.text)
    for key, want in case["text"].items():
        assert text.count(_norm(key)) == want, f"text: {key!r}"
    if "removals" in case:
        assert len(result.removed) == case["removals"], [r.text[:60] for r in result.removed]
    for key, kind in case["keep"].items():
        assert any(_norm(key) in _norm(b.text) and b.kind == kind for b in result.kept), key
    if case["strict"]:
        # Nothing goes but a copy of a phrase that must appear fewer times than it stood.
        going = [
            _norm(k)
            for k, n in case["text"].items()
            if n < _count(k, [b.text for b in result.blocks])
        ]
        for r in result.removed:
            assert any(k in _norm(r.text) for k in going), f"removed: {r.text[:80]!r}"
    if not case["html_expect"]:
        return
    if case["html_in"] == "source":
        for key, want in case["html_expect"].items():
            assert _expected(want, result.html.count(key)), f"html: {key!r}"
        return
    after = [b.text for b in cleaner.clean(result.html, name=case["file"]).blocks]
    before = [b.text for b in result.blocks]
    for key, want in case["html_expect"].items():
        assert _expected(want, _count(key, after)), f"html: {key!r}"
    if case["strict"]:
        going = [
            _norm(k)
            for k, n in case["html_expect"].items()
            if (min(n) if isinstance(n, list) else n) < _count(k, before)
        ]
        lost = Counter(map(_norm, before)) - Counter(map(_norm, after))
        assert all(any(k in t for k in going) for t in lost), f"html lost: {list(lost)}"

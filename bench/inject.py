"""Injected echoes: real paragraphs with known copies and near misses put back in.

A document is a list of blocks, each labelled: an original paragraph, an echo of one (by
perturbation kind) or a control (a near miss that must stay). Scoring a method needs only
the indices it keeps, so dedup, the naive baselines and trafilatura are scored alike.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

ECHO_KINDS = (
    "exact",
    "whitespace",
    "quotes-dashes",
    "label-credit",
    "case",
    "zero-width",
    "truncated",
    "arabic-diacritics",
    "pull-quote",
    "viewer-words",
)
CONTROL_KINDS = ("changed-number", "changed-words", "changed-subject")
# Kinds whose echo holds all of its source's content: removing either copy loses nothing.
EQUIVALENT = frozenset(ECHO_KINDS) - {"truncated", "pull-quote"}

_ARABIC = re.compile(r"[\u0621-\u064A]")
_SENTENCE = re.compile(r"[^.!?؟。]+[.!?؟。]")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Block:
    text: str
    role: str  # "original", "echo" or "control"
    kind: str = ""  # the perturbation or control kind
    source: int = -1  # for echoes and controls: the position of the original they copy


def _whitespace(p: str, rng: random.Random) -> str:
    words = p.split(" ")
    i = rng.randrange(1, max(2, len(words)))
    return "  ".join(words[:i]) + "\n" + " ".join(words[i:]) + "  "


_QUOTES = str.maketrans(
    {
        '"': "\u201c",
        "'": "\u2019",
        "\u201c": '"',
        "\u201d": '"',
        "\u2019": "'",
        "\u2018": "'",
        "\u2014": "-",
        "\u2013": "-",
    }
)


def _quotes(p: str, rng: random.Random) -> str:
    out = p.translate(_QUOTES)
    return out if out != p else f"\u201c{p}\u201d"


def _label_credit(p: str, rng: random.Random) -> str:
    label = rng.choice(["Image caption, ", "Photo: ", "Pictured: "])
    credit = rng.choice(
        [" Photograph: Jane Doe/Reuters", " (AP Photo/John Smith)", " | Getty Images"]
    )
    return label + p.rstrip(".") + "." + credit


def _zero_width(p: str, rng: random.Random) -> str:
    chars = list(p)
    for i in sorted(rng.sample(range(1, len(chars)), k=min(6, len(chars) - 1)), reverse=True):
        chars.insert(i, rng.choice(["\u200b", "\u200c", "\u00ad", "\u200f"]))
    return "".join(chars)


def _truncated(p: str, rng: random.Random) -> str | None:
    cut = p.rfind(" ", 0, int(len(p) * rng.uniform(0.5, 0.8)))
    return p[:cut] + rng.choice(["...", "…", " [...]"]) if cut > 40 else None


def _diacritics(p: str, rng: random.Random) -> str | None:
    if not _ARABIC.search(p):
        return None
    marks = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652"]
    return "".join(
        c + (rng.choice(marks) if _ARABIC.match(c) and rng.random() < 0.4 else "") for c in p
    ).replace("\u0627", "\u0623", 1)


def _pull_quote(p: str, rng: random.Random) -> str | None:
    sentences = [s.strip() for s in _SENTENCE.findall(p) if len(s.strip()) >= 70]
    if not sentences or len(sentences[0]) > 0.7 * len(p):
        return None
    return rng.choice(sentences)


def _viewer_words(p: str, rng: random.Random) -> str:
    """A caption as a photo viewer's markup gives it: "Enlarge this image", "hide caption"."""
    before, after = rng.choice(
        [
            ("Enlarge this image ", ""),
            ("", " hide caption"),
            ("", " toggle caption"),
            ("Enlarge this image ", " hide caption"),
        ]
    )
    return before + p + after


def echo(kind: str, p: str, rng: random.Random) -> str | None:
    """The echo of paragraph ``p`` under a perturbation kind (None: does not apply)."""
    if kind == "exact":
        return p
    if kind == "whitespace":
        return _whitespace(p, rng)
    if kind == "quotes-dashes":
        return _quotes(p, rng)
    if kind == "label-credit":
        return _label_credit(p, rng)
    if kind == "case":
        return p.upper()
    if kind == "zero-width":
        return _zero_width(p, rng)
    if kind == "truncated":
        return _truncated(p, rng)
    if kind == "arabic-diacritics":
        return _diacritics(p, rng)
    if kind == "pull-quote":
        return _pull_quote(p, rng)
    if kind == "viewer-words":
        return _viewer_words(p, rng)
    raise ValueError(kind)


def control(kind: str, p: str, pool: list[str], rng: random.Random) -> str | None:
    """A near miss of ``p`` that is a different statement and must stay."""
    words = p.split()
    if kind == "changed-number":
        # The same sentence with another figure: a different statement.
        if not _NUMBER.search(p):
            return None
        return _NUMBER.sub(lambda m: str(int(m.group()) + rng.randint(1, 9)), p, count=1)
    if kind == "changed-words":
        others = [w for q in pool for w in q.split() if len(w) > 3]
        if len(words) < 8 or not others:
            return None
        picks = rng.sample(range(len(words)), k=max(2, len(words) // 3))
        for i in picks:
            words[i] = rng.choice(others)
        return " ".join(words)
    if kind == "changed-subject":
        # A short template line about something else ("X is now streaming on Hulu."):
        # in a long paragraph three new words would make a near copy, not a near miss.
        if not 8 <= len(words) <= 20:
            return None
        others = [q.split()[:3] for q in pool if len(q.split()) > 3]
        return " ".join(rng.choice(others) + words[3:]) if others else None
    raise ValueError(kind)


def document(paragraphs: list[str], rng: random.Random) -> list[Block]:
    """The paragraphs with one echo per applicable kind and the controls, at random places."""
    blocks = [Block(p, "original") for p in paragraphs]
    sources = list(range(len(paragraphs)))
    rng.shuffle(sources)
    extra: list[Block] = []
    for kind in ECHO_KINDS:
        for _ in range(len(sources)):
            src = sources.pop() if sources else None
            if src is None:
                break
            text = echo(kind, paragraphs[src], rng)
            if text is not None:
                extra.append(Block(text, "echo", kind, src))
                break
            sources.insert(0, src)
    for kind in CONTROL_KINDS:
        for src in list(sources):
            text = control(kind, paragraphs[src], paragraphs, rng)
            if text is not None and text != paragraphs[src]:
                sources.remove(src)
                extra.append(Block(text, "control", kind, src))
                break
    out = list(blocks)
    for block in extra:
        out.insert(rng.randrange(0, len(out) + 1), block)
    # Sources are positions among the originals; keep them pointing at the right block.
    position = {id(b): i for i, b in enumerate(out)}
    original_at = [position[id(b)] for b in blocks]
    return [
        b if b.role == "original" else Block(b.text, b.role, b.kind, original_at[b.source])
        for b in out
    ]

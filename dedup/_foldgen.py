"""Writes ``dedup/_fold.h``, the compiled core's fold table, when the package is built.

``normalize.fold`` folds non-ASCII text in steps over the whole text: compatibility
decomposition, case folding, one table (marks deleted, punctuation blanked, letter
variants made one), canonical composition, white space made single. Most code points
come out of those steps the same whatever stands beside them; for each of those the table
holds what they make of it alone, and the compiled fold reads a text through it in one
pass. A code point whose result can depend on its neighbours is marked, and a text that
holds one is folded by the steps themselves:

- one whose decomposition holds a combining mark that the table keeps (canonical ordering
  moves marks across code points);
- one whose result starts with a code point that composes with what comes before it
  (a combining mark, a Hangul vowel or final consonant, the second half of any canonical
  composite) or is not its own composition: only before a code point that is neither may a
  text be cut and composed in parts.

White space in a result is written as a space: the last step makes every run of white
space one space. The table is made with the Python that builds the core, from its Unicode
data and ``normalize``'s tables; the header records the Unicode version and a digest of the
table and of the code that folds (``UNIDATA``, ``SPEC``), and the compiled fold is used only
where they are the running ones.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

BLOCK = 256
IDENTITY, UNSAFE = 0, 1
LENGTH_BITS = 5


def spec(normalize: ModuleType) -> str:
    """A digest of what the fold table is made from: the Unicode version, ``normalize``'s
    table and the code of its fold and of this module's steps ("" where the source cannot
    be read, which no build matches)."""
    items = sorted(normalize._FOLD_TABLE.items())
    try:
        code = [inspect.getsource(f) for f in (normalize.fold, _stepped, alone)]
    except (OSError, TypeError):
        return ""
    made = repr((unicodedata.unidata_version, items, code))
    return hashlib.sha256(made.encode()).hexdigest()[:16]


def _composes_after() -> set[str]:
    """Code points that may compose with the one before them: the second half of every
    canonical composite that composition makes, and the Hangul vowels and final consonants."""
    seconds = {chr(c) for c in range(0x1161, 0x1176)} | {chr(c) for c in range(0x11A8, 0x11C3)}
    for code in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            a, b = (chr(int(p, 16)) for p in parts)
            if unicodedata.normalize("NFC", a + b) == chr(code):
                seconds.add(b)
    return seconds


def _stepped(text: str, normalize: ModuleType) -> str:
    """``fold``'s table steps on a text already decomposed and case folded."""
    text = normalize._DELETE_RE.sub("", normalize._BLANK_RE.sub(" ", text))
    return text.translate(normalize._OTHER)


def alone(code: int, normalize: ModuleType, seconds: set[str]) -> str | None:
    """What the fold makes of a code point alone, white space as a space; None when its
    neighbours may change it."""
    decomposed = unicodedata.normalize("NFKD", chr(code))
    if any(unicodedata.combining(x) and _stepped(x.casefold(), normalize) for x in decomposed):
        return None
    stepped = _stepped(decomposed.casefold(), normalize)
    if stepped:
        first = stepped[0]
        if (
            unicodedata.combining(first)
            or first in seconds
            or unicodedata.normalize("NFC", first) != first
        ):
            return None
    folded = unicodedata.normalize("NFC", stepped)
    return "".join(" " if x.isspace() else x for x in folded)


def table(normalize: ModuleType) -> tuple[list[int], list[list[int]], list[int]]:
    """The two-level table: a block number for each 256 code points, the distinct blocks
    (an entry a code point: ``IDENTITY``, ``UNSAFE``, or where its result starts in the
    pool, shifted, and its length), and the pool of results' code points."""
    seconds = _composes_after()
    pool: list[int] = [0]  # (offset 0 is never a result's: its entry would read IDENTITY)
    where: dict[str, int] = {}
    blocks: list[list[int]] = []
    numbered: dict[tuple[int, ...], int] = {}
    index: list[int] = []
    for start in range(0, sys.maxunicode + 1, BLOCK):
        entries = []
        for code in range(start, start + BLOCK):
            result = alone(code, normalize, seconds)
            if result is None or len(result) >= 1 << LENGTH_BITS:
                entries.append(UNSAFE)
            elif result == chr(code):
                entries.append(IDENTITY)
            else:
                if result not in where:
                    where[result] = len(pool)
                    pool.extend(map(ord, result))
                entries.append(where[result] << LENGTH_BITS | len(result))
        key = tuple(entries)
        if key not in numbered:
            numbered[key] = len(blocks)
            blocks.append(entries)
        index.append(numbered[key])
    return index, blocks, pool


def _array(kind: str, name: str, values: list[int]) -> str:
    rows = [", ".join(map(str, values[i : i + 24])) for i in range(0, len(values), 24)]
    return f"static const {kind} {name}[{len(values)}] = {{\n" + ",\n".join(rows) + "\n};\n"


def header(normalize: ModuleType) -> str:
    index, blocks, pool = table(normalize)
    return (
        "/* Generated by dedup/_foldgen.py when the package is built: do not edit. */\n"
        f'#define DEDUP_FOLD_UNIDATA "{unicodedata.unidata_version}"\n'
        f'#define DEDUP_FOLD_SPEC "{spec(normalize)}"\n'
        f"#define DEDUP_FOLD_BLOCK {BLOCK}\n"
        f"#define DEDUP_FOLD_LENGTH_BITS {LENGTH_BITS}\n"
        + _array("unsigned short", "dedup_fold_index", index)
        + _array("unsigned int", "dedup_fold_blocks", [e for block in blocks for e in block])
        + _array("unsigned int", "dedup_fold_pool", pool)
    )


def load_normalize(root: Path) -> ModuleType:
    """``dedup/match/normalize.py`` loaded by its path (it needs the standard library alone),
    so that a build need not import the package and its dependencies."""
    path = root / "dedup" / "match" / "normalize.py"
    found = importlib.util.spec_from_file_location("_dedup_build_normalize", path)
    assert found is not None and found.loader is not None
    module = importlib.util.module_from_spec(found)
    found.loader.exec_module(module)
    return module


def write(root: Path) -> Path:
    """Write the header under ``root`` (the source tree), unless it is there and current."""
    out = root / "dedup" / "_fold.h"
    text = header(load_normalize(root))
    if not out.exists() or out.read_text() != text:
        out.write_text(text)
    return out


if __name__ == "__main__":
    print(write(Path(__file__).resolve().parent.parent))

"""Mine every pair of similar blocks on the corpus pages, with what dedup did to each.

A pair is two blocks of one page whose matching forms (or whose raw texts, folded, for lines
that are only a credit) have exact shingle Jaccard >= 0.6, or where one holds >= 0.8 of the
other's shingles. Each pair is written with the blocks' kinds, places and texts and its fate
under today's rules: which one went and by which rule, or that both stayed.

    python -m bench.mine [--out bench/pairs.jsonl] [--alt] [--clusters FILE]

The pairs of a page join into clusters (blocks linked by a chain of pairs), and a cluster is
what a person adjudicates: which of its blocks say again, for a reader of the text, what one
of them says (they go) and which are content (they stay). ``--clusters`` writes them, one
JSON object a line, without dedup's fate so the verdict does not lean on it; the verdicts
live in bench/adjudicated/clusters.tsv and bench/adjudicated.py scores dedup against them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

import dedup
from dedup.match.normalize import fold, normalize
from dedup.match.plan import DisjointSet
from dedup.match.shingles import shingle_sets
from dedup.match.verify import overlap_counts

CORPUS = (
    Path(os.environ.get("DEDUP_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "corpus"
)
JACCARD = 0.6
CONTAINMENT = 0.8
MIN_CHARS = 10  # shorter folded texts are one-word furniture ("Share", "Menu")


def split_half(name: str) -> str:
    """ "tune" or "held": a fixed split of the pages, by a hash of the file name."""
    return "tune" if hashlib.sha256(name.encode()).digest()[0] % 2 == 0 else "held"


def page_pairs(name: str, data: bytes, config: dedup.Config) -> Iterator[dict]:
    result = dedup.Cleaner(config).clean(data, name=name)
    blocks = result.blocks
    removed = {r.index: r for r in result.removed}
    forms = []
    for b in blocks:
        key = normalize(b.text).key
        raw = fold(b.text)
        forms.append(key if len(key) >= MIN_CHARS else raw)
    usable = [i for i, f in enumerate(forms) if len(f) >= MIN_CHARS]
    if len(usable) < 2:
        return
    sets = shingle_sets([forms[i] for i in usable], config.shingle_size)
    n = len(usable)

    a, b = np.triu_indices(n, 1)
    if len(a) == 0:
        return
    common = overlap_counts(sets, a, b)
    sa, sb = sets.sizes[a], sets.sizes[b]
    jac = common / (sa + sb - common)
    con = common / np.minimum(sa, sb)
    keep = (jac >= JACCARD) | (con >= CONTAINMENT)
    for x, y, j, c in zip(
        a[keep].tolist(), b[keep].tolist(), jac[keep].tolist(), con[keep].tolist(), strict=True
    ):
        i, k = usable[x], usable[y]
        bi, bk = blocks[i], blocks[k]
        fate = "both stay"
        for gone in (i, k):
            r = removed.get(gone)
            if r is not None:
                fate = f"{gone} goes ({r.reason}, twin {r.duplicate_of})"
                break
        yield {
            "page": name,
            "half": split_half(name),
            "a": i,
            "b": k,
            "jaccard": round(j, 3),
            "containment": round(c, 3),
            "fate": fate,
            "a_kind": str(bi.kind),
            "b_kind": str(bk.kind),
            "a_tag": bi.tag,
            "b_tag": bk.tag,
            "a_place": _place(bi),
            "b_place": _place(bk),
            "a_text": bi.text[:400],
            "b_text": bk.text[:400],
        }


def clusters(pairs: list[dict]) -> Iterator[dict]:
    """The pairs of each page joined into clusters: blocks linked by a chain of pairs."""
    by_page: dict[str, list[dict]] = {}
    for pair in pairs:
        by_page.setdefault(pair["page"], []).append(pair)
    for page, page_pairs_ in by_page.items():
        members: dict[int, dict] = {}
        for pair in page_pairs_:
            for side in ("a", "b"):
                members[pair[side]] = {
                    "index": pair[side],
                    "kind": pair[f"{side}_kind"],
                    "tag": pair[f"{side}_tag"],
                    "place": pair[f"{side}_place"],
                    "text": pair[f"{side}_text"],
                }
        joined = DisjointSet(members)
        for pair in page_pairs_:
            joined.union(pair["a"], pair["b"])
        for group in joined.groups():
            yield {
                "page": page,
                "half": split_half(page),
                "cluster": group[0],
                "blocks": [members[i] for i in group],
            }


def _place(block: dedup.Block) -> str:
    facts = [name for name in ("furniture", "protected", "pull_quote") if getattr(block, name)]
    if block.attr:
        facts.append(f"@{block.attr}")
    if block.picture:
        facts.append(f"picture={block.picture}")
    return " ".join(facts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).parent / "pairs.jsonl"))
    parser.add_argument("--alt", action="store_true", help="also alt/title text (include_alt)")
    parser.add_argument("--clusters", help="also write the pairs joined into clusters here")
    args = parser.parse_args(argv)
    config = dedup.Config(include_alt=args.alt)
    pages = sorted((CORPUS / "pages").glob("*.html"))
    if not pages:
        sys.exit(f"mine: no pages under {CORPUS / 'pages'}")
    pairs = [p for page in pages for p in page_pairs(page.name, page.read_bytes(), config)]
    with open(args.out, "w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(json.dumps(pair, ensure_ascii=False) + "\n")
    print(f"mine: {len(pairs)} pairs from {len(pages)} pages -> {args.out}", file=sys.stderr)
    if args.clusters:
        with open(args.clusters, "w", encoding="utf-8") as out:
            count = 0
            for cluster in clusters(pairs):
                out.write(json.dumps(cluster, ensure_ascii=False) + "\n")
                count += 1
        print(f"mine: {count} clusters -> {args.clusters}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

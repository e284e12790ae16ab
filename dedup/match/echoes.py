"""Find the echoes among one document's blocks: the steps of matching, in order.

normalise → group exact copies → shingle → MinHash → LSH and anchor candidates → verify
exactly → headline copies → repeats that are structure → plan (clusters, keepers,
removals) → credits kept once → short twins under one picture, credit lines a caption
carries and copyright notices another says → teasers and glued lines → companions. Each
step is a function of its own module; this one only passes their results on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..config import Config
from ..model import Block, Echoes, Kind, Reason, Removal
from ..profile import Stopwatch
from .candidates import anchor_pairs, band_pairs, lsh_params, postings
from .normalize import WORD_WEIGHT, Normalized, normalize, unspaced_inside, weighed_length
from .plan import Candidate, plan
from .rules import (
    EDITED_SHARE,
    LABEL_CHARS,
    SHORT_TITLE_WORDS,
    Matcher,
    PageLines,
    bare_credits_said_again,
    caption_inside,
    captions_under_several_pictures,
    companions,
    credit_lines_said_again,
    cut_teasers,
    edited_quote_inside,
    entries_apart_once_cleaned,
    glued_twins,
    headline_copies,
    keep_credits,
    label_line,
    labelled_credit,
    lead_in_labels,
    long_enough,
    named_openings,
    notices_said_again,
    numbers_allow,
    one_photo_captions,
    pulled,
    ranked_entries,
    removable,
    repeats_that_are_structure,
    retold,
    said_more_by,
    short_twins,
    shortened_title,
    stamps_that_stay,
    titled,
    undated,
)
from .shingles import ShingleSets, shingle_sets
from .signatures import signatures
from .verify import overlap_counts

_SHORT = Normalized("", False, False, False)


def find_echoes(blocks: Sequence[Block], config: Config) -> Echoes:
    """The removal plans of one document's blocks, for text and for HTML output."""
    watch = Stopwatch()
    norms = matching_forms(blocks, config)
    watch.lap("normalize")
    return find_echoes_normalized(blocks, norms, config, watch)


def matching_forms(blocks: Sequence[Block], config: Config) -> list[Normalized]:
    """Each block's matching form; blocks that can never be removed get an empty one.

    Normalising never lengthens ASCII text, so a short ASCII block can never reach
    min_chars: skip the work (most of a page's blocks are short menu labels). Other text
    lengthens only through rare compatibility forms (ligatures), and a character of Chinese,
    Japanese or Korean weighs ``WORD_WEIGHT`` (``weighed_length``): under a sixth of
    min_chars, skipping it can only keep a block, never remove one. (Page furniture is read
    from a shorter length: ``long_enough``.) A block over max_block_chars is
    kept as it is: comparing it would cost more than any page is worth.
    """
    ceiling = config.max_block_chars
    return [
        normalize(b.text)
        if (
            len(b.text) >= (floor := LABEL_CHARS if label_line(b) else config.min_chars)
            or (len(b.text) * 2 * WORD_WEIGHT >= floor and not b.text.isascii())
        )
        and len(b.text) <= ceiling
        else _SHORT
        for b in blocks
    ]


@dataclass(frozen=True)
class Copies:
    """A document's blocks grouped by matching key: exact copies share one representative,
    and only representatives are shingled and signed."""

    groups: dict[str, list[int]]  # key -> the blocks with that key, in order
    keys: list[str]  # representative r's key
    reps: list[int]  # representative r's first block
    rep_of: dict[int, int]  # block -> its representative
    sets: ShingleSets  # representative r's shingle set

    @classmethod
    def of(cls, blocks: Sequence[Block], norms: Sequence[Normalized], config: Config) -> Copies:
        groups: dict[str, list[int]] = {}
        for b, n in zip(blocks, norms, strict=True):
            if long_enough(b, n.key, config):
                groups.setdefault(n.key, []).append(b.index)
        keys = list(groups)
        return cls(
            groups,
            keys,
            [groups[k][0] for k in keys],
            {i: r for r, k in enumerate(keys) for i in groups[k]},
            shingle_sets(keys, config.shingle_size, remember=True),
        )

    def exact_edges(self) -> list[tuple[int, int]]:
        return [(g[0], i) for g in self.groups.values() for i in g[1:]]


def find_echoes_normalized(
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    config: Config,
    watch: Stopwatch | None = None,
) -> Echoes:
    """As ``find_echoes``, with the matching forms already computed."""
    in_text, in_html = short_twins(blocks, config)
    short = Echoes(tuple(in_text), tuple(in_html))
    watch = watch or Stopwatch()
    unframed: Unframed = (frozenset(), frozenset())
    for _ in range(_REREADS):
        echoes, groups = _find(blocks, norms, config, watch, short, unframed)
        final = _finished(blocks, norms, config, echoes, in_text, in_html)
        # Entries of lists apart stay only where the cleaned page reads them apart too:
        # else the plans are made again without keeping them.
        lost = (
            _entries_lost(blocks, groups, unframed[0], final.text, in_text),
            _entries_lost(blocks, groups, unframed[1], final.html, in_html),
        )
        watch.lap("finish")
        if not lost[0] and not lost[1]:
            break
        unframed = (unframed[0] | lost[0], unframed[1] | lost[1])
    return final


# Whole plans made again, at most, without the entries of lists that the cleaned page would
# not read apart: each time fewer stay, and one more settles every page seen.
_REREADS = 4
# The entries of lists no longer kept as such, in text and in HTML.
Unframed = tuple[frozenset[int], frozenset[int]]


def _entries_lost(
    blocks: Sequence[Block],
    groups: Sequence[list[int]],
    unframed: frozenset[int],
    removals: Sequence[Removal],
    short: Sequence[Removal],
) -> frozenset[int]:
    """The entries of lists still kept as such (not ``unframed``) that the page read
    without ``removals`` and the ``short`` lines that go besides no longer reads as
    entries of lists apart (``entries_apart_once_cleaned``)."""
    if not removals or not any(len(g) > 1 for g in groups):
        return frozenset()
    gone = {r.index for r in removals} | {r.index for r in short}
    entries, apart = entries_apart_once_cleaned(blocks, groups, gone)
    return frozenset(entries - unframed - apart)


def _finished(
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    config: Config,
    echoes: Echoes,
    in_text: list[Removal],
    in_html: list[Removal],
) -> Echoes:
    """The plans with what the rules after them take: credit lines and notices said
    again, teasers and glued lines, short lines that go with their block."""
    credits = [i for i, n in enumerate(norms) if n.credited or labelled_credit(blocks[i], n)]
    page = PageLines(blocks)
    text = _with(echoes.text, in_text)
    if credits:
        text = tuple(credit_lines_said_again(blocks, credits, text, pictures=False))
        text = tuple(bare_credits_said_again(blocks, credits, text, pictures=False))
    text = tuple(notices_said_again(blocks, text, pictures=False))
    text = tuple(cut_teasers(blocks, text, config, pictures=False, page=page))
    text = tuple(glued_twins(blocks, text, config, pictures=False, page=page))
    text_gone = {r.index for r in text}
    # Last, once every other line's fate is known: short lines that go with their block.
    text = _with(text, companions(blocks, norms, text, config, pictures=False))
    # HTML removes no more than text: its plan keeps only what the text plan removes, so a
    # page whose text loses nothing (most pages) loses nothing in HTML either, and the
    # rules need not read it for HTML.
    html: tuple[Removal, ...] = ()
    if text:
        html = _with(echoes.html, in_html)
        if credits:
            html = tuple(credit_lines_said_again(blocks, credits, html, pictures=True))
            html = tuple(bare_credits_said_again(blocks, credits, html, pictures=True))
        html = tuple(notices_said_again(blocks, html, pictures=True))
        teasers = cut_teasers(blocks, html, config, page=page)
        glued = glued_twins(blocks, teasers, config, page=page)
        html = tuple(r for r in glued if r.index in text_gone)
        gone = {r.index for r in text}
        html = _with(html, [r for r in companions(blocks, norms, html, config) if r.index in gone])
    if text == echoes.text and html == echoes.html:
        return echoes
    return Echoes(tuple(_text_only(list(text), list(html))), html)


def _with(removals: Sequence[Removal], more: list[Removal]) -> tuple[Removal, ...]:
    gone = {r.index for r in removals}
    return tuple(sorted([*removals, *(r for r in more if r.index not in gone)], key=_at))


def _at(r: Removal) -> int:
    return r.index


def _find(
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    config: Config,
    watch: Stopwatch,
    short: Echoes,
    unframed: Unframed,
) -> tuple[Echoes, list[list[int]]]:
    """The plans of the blocks' copies, and the blocks grouped as exact copies; ``short``
    are the short lines that go whatever they are (``short_twins``), which the plans read
    the page without, and ``unframed`` the entries of lists not kept as such."""
    norms = named_openings(blocks, lead_in_labels(blocks, norms, config), config)
    norms = ranked_entries(blocks, norms)
    copies = Copies.of(blocks, norms, config)
    if not copies.keys:
        return _NONE, []
    watch.lap("shingle")
    edges = copies.exact_edges()
    matcher = Matcher(blocks, norms, copies.keys, copies.sets, copies.rep_of, {}, config)
    if len(copies.keys) > 1:
        edges += _verified_candidates(blocks, norms, copies, matcher, config, watch)
    echoes = _plans(blocks, norms, copies, matcher, edges, config, (0,), short, unframed)
    if blocks[0].start is not None:
        # In text, the first block may be the headline: when the blocks before it go, the
        # first that stays is the first block of the cleaned text, and is read as one too.
        # Only the headline copies and the plans depend on it; what was verified holds.
        firsts: tuple[int, ...] = (0,)
        while True:
            gone = {r.index for r in echoes.text}
            first = next((i for i in range(len(blocks)) if i not in gone), None)
            if first is None or first in firsts:
                break
            firsts = tuple(range(first + 1))
            echoes = _plans(blocks, norms, copies, matcher, edges, config, firsts, short, unframed)
    watch.lap("plan")
    return echoes, list(copies.groups.values())


def _plans(
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    copies: Copies,
    matcher: Matcher,
    verified: list[tuple[int, int]],
    config: Config,
    firsts: tuple[int, ...],
    short: Echoes,
    unframed: Unframed,
) -> Echoes:
    """The plans for text and HTML from the verified edges, with the headline copies of
    the blocks read as the first (``headline_copies``); ``short`` are the short lines
    that go besides (``short_twins``).

    A line read as a headline with a name joined on ranks after the other copies of its
    words. Its headline may go, though (a teaser of the line cut short, a copy of another
    heading): the cleaned page then shows no headline it adds a name to, and cleaning it
    again ranks the line as any other, so that what went or stayed beside it would be
    chosen anew. The plans are made again with the headlines read on the page without
    those that either plan removes while their titled copy stays, until neither does.
    Both plans read the same headlines: the HTML plan removes no more than the text plan,
    and one made on headlines the other does not read would lose removals it needs. A
    plan made again that keeps such a headline beside its titled copy settles nothing
    (the cleaned page would read the line as titled again): the plans before it hold.
    """
    headlines = headline_copies(blocks, norms, copies.groups, config, firsts)
    text, html = _planned(
        blocks, norms, copies, matcher, verified, config, headlines, short, unframed
    )
    read_away: set[tuple[int, int]] = set()  # (a headline read away, its titled copy)
    while more := _headlines_gone(headlines, text) | _headlines_gone(headlines, html):
        read_away |= more
        absent = {y for y, _ in read_away}
        again = headline_copies(blocks, norms, copies.groups, config, firsts, absent)
        plans = _planned(blocks, norms, copies, matcher, verified, config, again, short, unframed)
        if any(_both_stay(read_away, p) for p in plans):
            break
        headlines, (text, html) = again, plans
    return Echoes(tuple(_text_only(text, html)), tuple(html))


def _headlines_gone(
    headlines: dict[int, tuple[int, str]], removals: list[Removal]
) -> set[tuple[int, int]]:
    """The headlines that ``removals`` removes while their titled copy stays, each with
    that copy."""
    gone = {r.index for r in removals}
    return {(y, x) for x, (y, _) in headlines.items() if y in gone and x not in gone}


def _both_stay(pairs: set[tuple[int, int]], removals: list[Removal]) -> bool:
    """Whether ``removals`` keeps both blocks of one of the ``pairs``."""
    gone = {r.index for r in removals}
    return any(a not in gone and b not in gone for a, b in pairs)


def _planned(
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    copies: Copies,
    matcher: Matcher,
    verified: list[tuple[int, int]],
    config: Config,
    headlines: dict[int, tuple[int, str]],
    short: Echoes,
    unframed: Unframed,
) -> tuple[list[Removal], list[Removal]]:
    """The plans for text and HTML from the verified edges and the ``headlines``, the
    entries of lists ``unframed`` not kept as such."""
    matcher.headlines = headlines
    edges = [*verified, *((y, x) for x, (y, _) in headlines.items())]
    if not edges:
        return [], []
    linked = sorted({i for edge in edges for i in edge})
    candidates = {
        i: Candidate(
            blocks[i],
            copies.sets.size(copies.rep_of[i]),
            norms[i].truncated,
            norms[i].labelled,
            i in headlines,
            norms[i].credited,
        )
        for i in linked
    }
    framed = repeats_that_are_structure(blocks, copies.groups.values(), set(linked), config)
    several = captions_under_several_pictures(blocks, copies.groups.values())
    pictured = any(blocks[i].picture is not None or blocks[i].attr is not None for i in linked)

    def planned(framed: set[int], pictures: bool) -> list[Removal]:
        protected = framed | several if pictures else framed

        def allowed(block: Candidate, keeper: Candidate) -> bool:
            return block.block.index not in protected and removable(
                block.block, keeper.block, config, pictures=pictures
            )

        return plan(
            candidates, edges, matcher.match, allowed, copies.rep_of.__getitem__, said_more_by
        )

    framed_text, framed_html = framed - unframed[0], framed - unframed[1]
    html = planned(framed_html, True)
    same = framed_text == framed_html and not pictured
    text = html if same else planned(framed_text, False)
    if any(norms[i].credited for i in linked):
        text = keep_credits(text, blocks)
        html = keep_credits(html, blocks, pictures=True)
    text = _stamps_kept(text, blocks, norms, copies, config, short.text, pictures=False)
    html = _stamps_kept(html, blocks, norms, copies, config, short.html, pictures=True)
    return text, html


_NONE = Echoes((), ())


def _stamps_kept(
    removals: list[Removal],
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    copies: Copies,
    config: Config,
    short: Sequence[Removal],
    pictures: bool,
) -> list[Removal]:
    """The plan without the copies of stamps that stand under different items, read on
    the page without the short lines that go too (``short``)."""
    stay = stamps_that_stay(
        blocks, norms, copies.groups.values(), removals, config, pictures, short
    )
    return [r for r in removals if r.index not in stay] if stay else removals


def _text_only(text: list[Removal], html: list[Removal]) -> list[Removal]:
    """The text plan, its removals that the HTML plan does not make marked ``text-only``."""
    in_html = {r.index for r in html}
    return [r if r.index in in_html else replace(r, reason=Reason.TEXT_ONLY) for r in text]


def _verified_candidates(
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    copies: Copies,
    matcher: Matcher,
    config: Config,
    watch: Stopwatch,
) -> list[tuple[int, int]]:
    """Edges between representatives' first blocks that hold on the exact sets: copies
    proposed by LSH and checked by Jaccard similarity, and blocks proposed by their anchors
    as lying inside others and checked by containment. Every similarity found is handed to
    the matcher, which the plan asks again."""
    keys, reps, sets = copies.keys, copies.reps, copies.sets
    sigs = signatures(sets, config.num_perm, config.seed)
    watch.lap("minhash")
    near = band_pairs(sigs, *lsh_params(config.lsh_threshold, config.num_perm))
    watch.lap("lsh")
    # Only blocks that may be removed for lying inside another need to look: long ones,
    # and any short one may lie inside a line it is most of (``may_be_contained``).
    may_be_inside = [weighed_length(key) >= config.min_chars for key in keys]
    # (made once for both anchor lookups; the retelling blocks are long ones too)
    posted = postings(sets) if any(may_be_inside) else None
    inside = anchor_pairs(sets, config.anchors, may_be_inside, posted=posted)
    # Captions and pulled quotes may be edited copies (an elision, a clause left out): a
    # third of their anchors may be missing from the block they retell.
    # So may a title said shorter: a word left out of a short title costs it a third of
    # its shingles.
    retelling = [
        long
        and (
            any(_retells(blocks[i], norms[i]) for i in copies.groups[key])
            or (
                any(titled(blocks[i]) for i in copies.groups[key])
                and len(key.split()) >= SHORT_TITLE_WORDS
            )
        )
        for key, long in zip(keys, may_be_inside, strict=True)
    ]
    loose = anchor_pairs(sets, config.anchors, retelling, share=EDITED_ANCHORS, posted=posted)
    watch.lap("anchors")
    near, inside = (numbers_allow(keys, p) for p in (near, inside))
    dated = {r for r, first in enumerate(reps) if undated(blocks[first]) is not None}
    loose = numbers_allow(keys, loose, dated)
    edges: list[tuple[int, int]] = []
    # Candidates are verified as arrays; only those that hold become edges.
    a, b = near
    common = overlap_counts(sets, a, b)
    similar = common / (sets.sizes[a] + sets.sizes[b] - common)
    edges += _holding(a, b, similar, config.jaccard, matcher.jaccards, reps)
    a, b = inside
    share = overlap_counts(sets, a, b) / sets.sizes[a]
    edges += _holding(a, b, share, config.containment, matcher.contained, reps)
    edges += _shortened_titles(blocks, copies, a, b, share, config)
    a, b = loose
    share = overlap_counts(sets, a, b) / sets.sizes[a]
    edges += _edited_quotes(blocks, copies, matcher, a, b, share, config)
    edges += _shortened_titles(blocks, copies, a, b, share, config)
    edges += _retold(blocks, norms, copies, a, b, share, config)
    edges += _captions_of_one_photo(blocks, copies)
    watch.lap("verify")
    return edges


def _captions_of_one_photo(blocks: Sequence[Block], copies: Copies) -> list[tuple[int, int]]:
    """Edges between captions of one photo that say the same caption with other ends
    (``one_photo_captions``): proposed by the files they stand under, not by shingles, which
    a credit of a few words in each costs a third of a short caption's."""
    by_file: dict[str, list[int]] = {}
    for r, first in enumerate(copies.reps):
        block = blocks[first]
        if block.kind is Kind.CAPTION and block.picture is not None:
            for name in block.picture_files:
                by_file.setdefault(name, []).append(r)
    edges: set[tuple[int, int]] = set()
    for group in by_file.values():
        for x, a in enumerate(group[:_PHOTO_CAPTIONS]):
            for b in group[x + 1 : _PHOTO_CAPTIONS]:
                short, long = (a, b) if len(copies.keys[a]) <= len(copies.keys[b]) else (b, a)
                if one_photo_captions(
                    blocks[copies.reps[short]],
                    blocks[copies.reps[long]],
                    copies.keys[short],
                    copies.keys[long],
                ):
                    edges.add((copies.reps[short], copies.reps[long]))
    return sorted(edges)


# Captions of one photo compared pairwise, at most (a file shown under hundreds of lines).
_PHOTO_CAPTIONS = 16


# The share of a caption's or a pulled quote's anchors that must lie in the block it may
# retell: an edit costs the shingles around it, and 8 anchors are few.
EDITED_ANCHORS = 0.5


def _retells(block: Block, norm: Normalized) -> bool:
    """A caption or a pulled quote, which may tell a longer block's sentence again, edited;
    a paragraph that carries a photo's credit is a caption, as text writes one."""
    return (
        block.kind is Kind.CAPTION
        or pulled(block)
        or (block.kind is Kind.PARAGRAPH and norm.credited)
    )


def _edited_pairs(
    a: np.ndarray, b: np.ndarray, share: np.ndarray, config: Config
) -> Iterator[tuple[int, int]]:
    """The candidate pairs whose share lies inside the longer block short of containment
    but enough for an edited copy (``EDITED_SHARE``), as representatives."""
    near = (share < config.containment) & (share >= EDITED_SHARE)
    return zip(a[near].tolist(), b[near].tolist(), strict=True)


def _edited_quotes(
    blocks: Sequence[Block],
    copies: Copies,
    matcher: Matcher,
    a: np.ndarray,
    b: np.ndarray,
    share: np.ndarray,
    config: Config,
) -> list[tuple[int, int]]:
    """Edges for quotes found inside a longer block once edited back: an elision and an
    attribution cost a pulled quote its containment as a whole (``edited_quote_inside``)."""
    edges = []
    for x, y in _edited_pairs(a, b, share, config):
        block = blocks[copies.reps[x]]
        if pulled(block):
            value = edited_quote_inside(block.text, copies.keys[y], config)
        elif block.kind is Kind.CAPTION:
            value = caption_inside(block.text, copies.keys[y], config)
        else:
            continue
        if value is not None:
            matcher.contained[(x, y)] = value
            edges.append((copies.reps[x], copies.reps[y]))
    return edges


def _shortened_titles(
    blocks: Sequence[Block],
    copies: Copies,
    a: np.ndarray,
    b: np.ndarray,
    share: np.ndarray,
    config: Config,
) -> list[tuple[int, int]]:
    """Edges for titles said again with words left out (``shortened_title``): the words
    they drop cost them their containment as a whole."""
    edges = []
    for x, y in _edited_pairs(a, b, share, config):
        # Any copy of each may be the title (the paragraph copy of a heading is none): the
        # first that is, so that the page cleaned once finds the pair again.
        key, kept = copies.keys[x], copies.keys[y]
        i = next((i for i in copies.groups[key] if titled(blocks[i])), None)
        k = next((k for k in copies.groups[kept] if titled(blocks[k])), None)
        if i is not None and k is not None and shortened_title(blocks[i], blocks[k], key, kept):
            edges.append((i, k))
    return edges


def _retold(
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    copies: Copies,
    a: np.ndarray,
    b: np.ndarray,
    share: np.ndarray,
    config: Config,
) -> list[tuple[int, int]]:
    """Edges for captions and pulled quotes that tell a sentence of a longer block again,
    edited (``said_in_stretches``)."""
    edges = []
    for x, y in _edited_pairs(a, b, share, config):
        group = copies.groups[copies.keys[x]]
        i = next((i for i in group if _retells(blocks[i], norms[i])), None)
        if i is None:
            continue
        # The story is a paragraph among the kept block's copies, wherever it stands: the
        # first copy may be a caption of it, which goes, and the cleaned page has the
        # paragraph first.
        kept = copies.keys[y]
        story = next(
            (blocks[j] for j in copies.groups[kept] if blocks[j].kind is Kind.PARAGRAPH),
            blocks[copies.reps[y]],
        )
        if (
            unspaced_inside(copies.keys[x], kept)
            or retold(blocks[i], norms[i], copies.keys[x], kept, story)
            # (a wire caption adds the day its picture was taken to the story's words)
            or (
                (u := undated(blocks[i])) is not None
                and retold(blocks[i], u[1], u[1].key, kept, story, u[0])
            )
        ):
            edges.append((i, copies.reps[y]))
    return edges


def _holding(
    a: np.ndarray,
    b: np.ndarray,
    values: np.ndarray,
    threshold: float,
    found: dict[tuple[int, int], float],
    reps: list[int],
) -> list[tuple[int, int]]:
    """The pairs whose value reaches the threshold, as edges; their values go to ``found``."""
    hold = values >= threshold
    edges = []
    for x, y, value in zip(a[hold].tolist(), b[hold].tolist(), values[hold].tolist(), strict=True):
        found[(x, y)] = value
        edges.append((reps[x], reps[y]))
    return edges


__all__ = ["Copies", "find_echoes", "find_echoes_normalized", "matching_forms"]

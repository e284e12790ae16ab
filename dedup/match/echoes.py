"""Find the echoes in a list of blocks: normalise, shingle, sign, index, verify, plan."""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..config import Config
from ..model import Block, Kind, Reason, Removal
from ..parse.html import QUOTE_ATTR as _QUOTE_MARK
from .candidates import anchor_pair_arrays, band_pair_arrays, lsh_params
from .normalize import Normalized, fold, normalize
from .plan import Candidate, plan
from .shingles import shingle_sets
from .signatures import signatures
from .verify import containment, jaccard, overlap_counts


def find_echoes(blocks: Sequence[Block], config: Config,
                timings: dict[str, float] | None = None) -> list[Removal]:
    """Return the removal plan for one document's blocks.

    ``timings``, when given, accumulates the seconds spent in each stage (for profiles).
    """
    clock = _Clock(timings)
    # Normalising never lengthens ASCII text, so a short ASCII block can never reach
    # min_chars: skip the work (most of a page's blocks are short menu labels). Other text
    # lengthens only through rare compatibility forms (ligatures): under half of min_chars,
    # skipping it can only keep a block, never remove one.
    # A block over max_block_chars is kept as it is: comparing it would cost more than any
    # page is worth.
    floor, ceiling = config.min_chars, config.max_block_chars
    norms = [
        normalize(b.text)
        if (len(b.text) >= floor or (len(b.text) * 2 >= floor and not b.text.isascii()))
        and len(b.text) <= ceiling
        else _SHORT
        for b in blocks
    ]
    clock.lap("normalize")
    return find_echoes_normalized(blocks, norms, config, clock)


class _Clock:
    """Adds the time since the last lap to a named stage, when a profile is asked for."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter() if timings is not None else 0.0

    def lap(self, stage: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
            self.last = now


_SHORT = Normalized("", False, False, False)


def find_echoes_normalized(
    blocks: Sequence[Block], norms: Sequence[Normalized], config: Config,
    clock: _Clock | None = None,
) -> list[Removal]:
    """As ``find_echoes``, with the matching forms already computed."""
    clock = clock or _Clock(None)
    # Exact copies share one representative; only representatives are shingled and signed.
    groups: dict[str, list[int]] = {}
    for b, n in zip(blocks, norms, strict=True):
        if len(n.key) >= config.min_chars:
            groups.setdefault(n.key, []).append(b.index)
    if not groups:
        return []
    keys = list(groups)
    reps = [groups[k][0] for k in keys]
    sets = shingle_sets(keys, config.shingle_size)
    rep_of = {i: r for r, k in enumerate(keys) for i in groups[k]}
    clock.lap("shingle")

    edges: list[tuple[int, int]] = [(g[0], i) for g in groups.values() for i in g[1:]]
    # Exact similarities of representative pairs, computed once and reused by the plan.
    jaccards: dict[tuple[int, int], float] = {}
    contained: dict[tuple[int, int], float] = {}

    def jac(a: int, b: int) -> float:
        pair = (a, b) if a < b else (b, a)
        if pair not in jaccards:
            jaccards[pair] = jaccard(sets[a], sets[b])
        return jaccards[pair]

    def con(a: int, b: int) -> float:
        if (a, b) not in contained:
            contained[(a, b)] = containment(sets[a], sets[b])
        return contained[(a, b)]

    if len(keys) > 1:
        sigs = signatures(sets, config.num_perm, config.seed)
        clock.lap("minhash")
        near = band_pair_arrays(sigs, *lsh_params(config.lsh_threshold, config.num_perm))
        clock.lap("lsh")
        # Only blocks that may be removed for lying inside another need to look.
        may_be_inside = [
            len(keys[r]) >= config.min_contained_chars or norms[reps[r]].truncated
            or _pull_quote(blocks[reps[r]])
            for r in range(len(keys))
        ]
        inside = anchor_pair_arrays(sets, config.anchors, may_be_inside)
        clock.lap("anchors")
        near, inside = _numbers_allow(keys, near), _numbers_allow(keys, inside)
        # Candidates are verified as arrays; only those that hold become edges (and their
        # similarities are kept for the plan, which computes any other it asks for).
        a, b = near
        common = overlap_counts(sets, a, b)
        similar = common / (sets.sizes[a] + sets.sizes[b] - common)
        hold = similar >= config.jaccard
        for x, y, value in zip(a[hold].tolist(), b[hold].tolist(), similar[hold].tolist(), strict=True):
            jaccards[(x, y)] = value
            edges.append((reps[x], reps[y]))
        a, b = inside
        share = overlap_counts(sets, a, b) / sets.sizes[a]
        hold = share >= config.containment
        for x, y, value in zip(a[hold].tolist(), b[hold].tolist(), share[hold].tolist(), strict=True):
            contained[(x, y)] = value
            edges.append((reps[x], reps[y]))
        clock.lap("verify")
    titled = _titled(blocks, norms, groups, config)
    edges.extend((y, x) for x, (y, _) in titled.items())
    if len(edges) == 0:
        return []

    linked = sorted({i for edge in edges for i in edge})
    chrome: dict[Any, bool | None] = {}
    candidates = {
        i: Candidate(blocks[i], sets.size(rep_of[i]), norms[i].truncated, norms[i].labelled,
                     _in_chrome(blocks[i].element, chrome), i in titled)
        for i in linked
    }

    facts: dict[int, _Facts] = {}

    def fact(r: int) -> _Facts:
        if r not in facts:
            facts[r] = _Facts(keys[r])
        return facts[r]

    def match(i: int, k: int) -> tuple[str, float] | None:
        a, b = rep_of[i], rep_of[k]
        if a == b:
            return Reason.EXACT, 1.0
        if i in titled and titled[i][1] == keys[b]:
            return Reason.HEADLINE, con(b, a)
        if fact(a).numbers - fact(b).numbers:
            return None  # a number the kept block lacks: neither rule below can hold
        similarity = jac(a, b)
        # A near copy goes only when what it says is (almost) all in the kept one: "Opinion|
        # Title" keeps "Title"'s words, "Hey James, ..." does not keep "Hey Taylor, ...".
        if (similarity >= config.jaccard and con(a, b) >= config.containment
                and fact(a).numbers == fact(b).numbers and _same_words(fact(a), fact(b), config)):
            return Reason.NEAR, similarity
        if _may_be_contained(blocks[i], norms[i], keys[a], config) and sets.size(a) <= sets.size(b):
            similarity = con(a, b)
            if similarity >= config.containment:
                return Reason.CONTAINED, similarity
        return None

    protected = _captions_of_several_photos(blocks, groups.values())

    containers: dict[Any, bool] = {}

    def removable(block: Candidate, keeper: Candidate) -> bool:
        if block.block.index in protected:
            return False
        return _removable(block.block, keeper.block, config, containers)

    removals = plan(candidates, edges, match, removable, rep_of.__getitem__)
    clock.lap("plan")
    return removals


# What joins a site's or a section's name to a headline: "Title | Site", "Title - Site",
# "Site » Title", "Opinion: Title". A hyphen or slash counts only with spaces around it.
_TITLE_SEPARATOR = re.compile(r"\s*(?:[|·•»«]|::)\s*|\s+[-–—~/]\s+|:\s+")
_EDGE = 12  # characters of a key's ends that index it (keys are 20 or more)
_TITLED_MAX = 300  # a headline with a name joined on is a line, not a paragraph
_NAME_MAX = 48
_NAME_WORDS = 6


def _titled(blocks: Sequence[Block], norms: Sequence[Normalized], groups: dict[str, list[int]],
            config: Config) -> dict[int, tuple[int, str]]:
    """Blocks that are the headline with a name joined on: index -> (headline, its key).

    A scraper that keeps the page's title ("Title | The Daily News") beside its headline
    writes the headline twice; the longer copy adds only the site's name, so it neither
    lies inside the headline nor is near enough to it. The headline is a heading; in plain
    text and Markdown, which may have none, the first block may be it too, or the titled
    copy (in HTML the first block is as often a date or a menu).
    """
    floor = config.min_chars
    heading = Kind.HEADING
    titles = {n.key for b, n in zip(blocks, norms, strict=True)
              if b.kind is heading and floor <= len(n.key) <= _TITLED_MAX}
    first = norms[0].key if norms and blocks[0].element is None else ""
    if floor <= len(first) <= _TITLED_MAX:
        titles.add(first)
    if not titles:
        return {}
    # A key that starts or ends like a headline's, and is longer: the headline with words
    # joined on, if those words are few. The ends only filter; the words dropped one by one
    # find the headline (a bucket of many headlines alike stays linear).
    starts = {t[:_EDGE] for t in titles}
    ends = {t[-_EDGE:] for t in titles}
    pairs: list[tuple[str, str]] = []
    for key in groups:
        after, before = key[:_EDGE] in starts, key[-_EDGE:] in ends
        if not (after or before) or len(key) > _TITLED_MAX:
            continue
        words = key.split()
        for k in range(1, min(_NAME_WORDS, len(words) - 1) + 1):
            if after and (t := " ".join(words[:-k])) in titles:
                pairs.append((key, t))
            if before and (t := " ".join(words[k:])) in titles:
                pairs.append((key, t))
    if first in titles:
        words = first.split()
        for k in range(1, min(_NAME_WORDS, len(words) - 1) + 1):
            pairs += [(first, t) for t in (" ".join(words[:-k]), " ".join(words[k:])) if t in groups]
    out: dict[int, tuple[int, str]] = {}
    for longer, shorter in pairs:
        for x in groups[longer]:
            if x in out:
                continue
            y = next((y for y in groups[shorter] if y != x and (
                blocks[y].kind is heading or (first and (y == 0 or x == 0)))), None)
            if y is not None and _joined_name(blocks[x].text, shorter):
                out[x] = (y, shorter)
    return out


def _joined_name(text: str, title: str) -> bool:
    """Whether ``text`` is a line whose part before its last separator, or after its first,
    folds to ``title`` and whose other part is a short name."""
    if len(text) > _TITLED_MAX:
        return False
    seps = list(_TITLE_SEPARATOR.finditer(text))
    if not seps:
        return False
    last, first = seps[-1], seps[0]
    for part, name in ((text[:last.start()], text[last.end():]),
                       (text[first.end():], text[:first.start()])):
        if (name.strip() and len(name) <= _NAME_MAX and len(name.split()) <= _NAME_WORDS
                and fold(part) == title):
            return True
    return False


class _Facts:
    """Words and numbers of a matching key, for the checks that shingles cannot make."""

    __slots__ = ("numbers", "words")

    def __init__(self, key: str) -> None:
        self.words = frozenset(key.split())
        self.numbers = Counter(_NUMBER.findall(key))


_NUMBER = re.compile(r"\d+")


def _numbers_allow(keys: list[str], pairs: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs whose numbers let them match in some direction.

    A block is removed only if each number it holds is in its keeper too (``match``), so
    two texts holding as many numbers as each other, but not the same ones ("Line 1041 of
    the log", "Line 1042 of the log"), never match either way: they are dropped before
    the exact comparison, which a file of many such lines would otherwise make millions of
    times for nothing.
    """
    a, b = pairs
    if len(a) == 0:
        return pairs
    ids: dict[tuple[str, ...], int] = {}
    size = len(keys)
    which = np.full(size, -1, dtype=np.int64)
    count = np.zeros(size, dtype=np.int64)
    for r in np.unique(np.concatenate((a, b))).tolist():
        numbers = tuple(sorted(_NUMBER.findall(keys[r])))
        which[r] = ids.setdefault(numbers, len(ids))
        count[r] = len(numbers)
    allowed = (which[a] == which[b]) | (count[a] != count[b])
    return (a, b) if allowed.all() else (a[allowed], b[allowed])


# Page furniture: navigation, sidebars, footers, lists of related or trending stories.
_CHROME_TAGS = frozenset(("nav", "aside", "footer", "header", "menu"))
_CHROME_ATTR = re.compile(
    r"\b(?:nav|navbar|navigation|menu|sidebar|side-bar|footer|header|related|trending|"
    r"most-?read|most-?popular|popular|recommended|widget|breadcrumbs?|promo|teaser)\b",
    re.I,
)


def _in_chrome(el: Any, seen: dict[Any, bool | None] | None = None) -> bool:
    """Whether a block is page furniture: inside nav/aside/footer/header/menu or an element
    marked as such, and not inside an article or main. ``seen`` caches each ancestor's
    verdict (True, False, or None for "ask its parent") across one page's blocks. A page's
    ``<h1>`` is its headline, never furniture, whatever its classes say ("sticky-nav-trigger")
    or wherever a site puts it."""
    if el is None or el.tag == "h1":
        return False
    seen = {} if seen is None else seen
    for anc in (el, *el.iterancestors()):
        verdict = seen.get(anc, 0)
        if verdict == 0:
            verdict = seen[anc] = _chrome_verdict(anc)
        if verdict is not None:
            return verdict
    return False


def _chrome_verdict(el: Any) -> bool | None:
    if el.tag in ("article", "main"):
        return False
    if el.tag in _CHROME_TAGS:
        return True
    marks = (el.get("class"), el.get("id"), el.get("role"))
    if marks == _NO_MARKS:
        return None
    verdict = _CHROME_MARKS.get(marks)
    if verdict is None:
        if len(_CHROME_MARKS) >= _CHROME_MARKS_MAX:
            _CHROME_MARKS.clear()
        text = " ".join(filter(None, marks))
        verdict = _CHROME_MARKS[marks] = bool(_CHROME_ATTR.search(text))
    return True if verdict else None


_NO_MARKS = (None, None, None)
# Verdicts of (class, id, role) triples already seen: a site repeats its class names on
# every page, so the regex runs once per distinct triple.
_CHROME_MARKS: dict[tuple, bool] = {}
_CHROME_MARKS_MAX = 1 << 14


def _same_words(a: _Facts, b: _Facts, config: Config) -> bool:
    """Near copies of worded text also share their words: "Follow X" is not "Unfollow X".

    Character shingles forgive a changed prefix or name in a short line ("vote for Olya",
    "vote for Olesya"); the same threshold on word sets catches it, from two words up
    ("Follow X" beside "Unfollow X"). Scripts written without spaces have too few words to
    check.
    """
    if len(a.words) < 2 or len(b.words) < 2:
        return True
    common = len(a.words & b.words)
    return common / (len(a.words) + len(b.words) - common) >= config.jaccard


def _may_be_contained(block: Block, norm: Normalized, key: str, config: Config) -> bool:
    """Containment removes pull quotes and truncated copies, never headings or mentions."""
    if block.kind is Kind.HEADING:
        return False  # a headline restated in a teaser or a citation stays a headline
    short = norm.truncated or _pull_quote(block)
    floor = config.min_chars if short else config.min_contained_chars
    return len(key) >= floor


def _pull_quote(block: Block) -> bool:
    """A quote the page marks as pulled from its own text (class "pullquote", "pull-quote",
    "quote-box"): a short one inside a paragraph is its echo, not a mention."""
    if block.kind is not Kind.QUOTE or block.element is None:
        return False
    for anc in (block.element, *block.element.iterancestors()):
        if _QUOTE_MARK.search(f"{anc.get('class', '')} {anc.get('id', '')}"):
            return True
        if anc.tag in ("body", "article", "main"):
            return False
    return False


# Containers whose repeats are the content itself: a quiz repeats its questions.
# Whole words of a class or id ("quiz-box", "pollWidget"), not parts of others ("pollard").
_PROTECTED = re.compile(
    r"(?<!(?-i:[a-z]))(?:quiz(?:zes)?|polls?|surveys?|trivia|questions?)(?!(?-i:[a-z]))", re.I)
# Elements that hold a whole page: their feature flags ("f_survey_popup_on") say nothing.
_PAGE_TAGS = frozenset(("html", "body", "article", "main"))
_MEDIA = ("img", "picture", "video", "iframe", "figure")


def _removable(block: Block, keeper: Block, config: Config,
               containers: dict[Any, bool] | None = None) -> bool:
    """The rules for repeats that are content, not echoes. ``containers`` caches, across
    one page's blocks, whether an element is a form or a quiz, poll or survey."""
    if block.kind is Kind.TABLE_CELL and not config.remove_table_cells:
        return False  # a table loses its shape when one cell goes
    if block.attr is not None and keeper.attr is not None:
        return False  # two images with the same alt text are two images
    el = block.element
    if el is None or keeper.element is None:
        return True
    containers = {} if containers is None else containers
    for anc in el.iterancestors():
        verdict = containers.get(anc)
        if verdict is None:
            verdict = containers[anc] = _a_form(anc) or (anc.tag not in _PAGE_TAGS and bool(
                _PROTECTED.search(f"{anc.get('class', '')} {anc.get('id', '')}")))
        if verdict:
            return False
    if block.kind is Kind.CAPTION and keeper.kind is Kind.CAPTION:
        return not _different_photos(el, keeper.element)
    if block.kind is Kind.QUOTE and keeper.kind is Kind.QUOTE:
        # The attribution line of two embedded posts ("— Name (@handle) date") repeats
        # when one account posts twice; the posts differ, so the lines are content.
        return not _parts_of_different_quotes(el, keeper.element)
    return True


def _a_form(el: Any) -> bool:
    """A form whose repeats are its own (labels, options), not a page wrapped whole in a
    form element, as ASP.NET pages are: such a form holds the article, its headline or
    more paragraphs than a form has."""
    if el.tag != "form" or next(el.iter("article", "main", "h1"), None) is not None:
        return False
    return sum(1 for _ in itertools.islice(el.iter("p"), _FORM_PARAGRAPHS + 1)) <= _FORM_PARAGRAPHS


_FORM_PARAGRAPHS = 20


def _quote_of(el: Any) -> Any:
    for anc in (el, *el.iterancestors()):
        if anc.tag == "blockquote" or _QUOTE_MARK.search(f"{anc.get('class', '')}"):
            return anc
    return None


def _parts_of_different_quotes(a: Any, b: Any) -> bool:
    """Two blocks inside two separate quotes whose whole texts differ."""
    qa, qb = _quote_of(a), _quote_of(b)
    if qa is None or qb is None or qa is qb or qa is a or qb is b:
        return False
    return fold("".join(qa.itertext())) != fold("".join(qb.itertext()))


def _captions_of_several_photos(blocks: Sequence[Block], groups: Any) -> set[int]:
    """Captions whose exact text stands under two separate pictures.

    The same credit or series label under different photos is content: none of those
    copies is removed, whatever else it resembles. A caption is a block of that kind or
    any block inside a ``<figure>`` (a credit line written as a paragraph, in a language
    whose credit labels are not known).
    """
    out: set[int] = set()
    for group in groups:
        if len(group) < 2:
            continue
        caps = [blocks[i] for i in group if blocks[i].element is not None
                and (blocks[i].kind is Kind.CAPTION or _in_figure(blocks[i].element))]
        if len(caps) < 2:
            continue
        # The first copy under each picture stays; a second copy under the same picture
        # (a mobile twin) is an echo like any other.
        # A region is apart from those seen when neither it nor an ancestor of it is one
        # of them, and it holds none of them (is none of their ancestors): linear in the
        # copies, for a gallery of hundreds of photos with one credit.
        regions: set[Any] = set()
        holders: set[Any] = set()
        firsts: list[int] = []
        for c in caps:
            region = _media_context(c.element)
            if region is None or region in holders:
                continue
            lineage = [region, *region.iterancestors()]
            if any(r in regions for r in lineage):
                continue
            regions.add(region)
            holders.update(lineage[1:])
            firsts.append(c.index)
        if len(regions) > 1:
            out.update(firsts)
    return out


def _in_figure(el: Any) -> bool:
    return any(anc.tag == "figure" for anc in el.iterancestors())


def _media_context(el: Any) -> Any:
    """The nearest ancestor-or-self that holds a picture: the photo a caption belongs to."""
    for anc in (el, *el.iterancestors()):
        if anc.tag in _MEDIA or next(anc.iterdescendants(*_MEDIA), None) is not None:
            return anc
    return None


def _different_photos(a: Any, b: Any) -> bool:
    """Two captions under two separate pictures (neither region inside the other)."""
    ca, cb = _media_context(a), _media_context(b)
    return ca is not None and cb is not None and _apart(ca, cb)


def _apart(a: Any, b: Any) -> bool:
    """Two elements neither of which is or holds the other."""
    if a is b:
        return False
    return not (any(x is b for x in a.iterancestors()) or any(x is a for x in b.iterancestors()))


__all__ = ["find_echoes", "find_echoes_normalized"]

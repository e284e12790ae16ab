"""The rules that make a block a copy of another, and the repeats that are content.

Every rule is a function of blocks and their matching forms: plain data, whatever the
format the blocks came from. ``Matcher.match`` says whether a block is a copy of a kept
one, by which rule and how similar; ``removable`` says whether such a copy may go.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from os.path import commonprefix
from urllib.parse import unquote

import numpy as np

from ..config import Config
from ..model import Block, Kind, Reason, Removal
from .normalize import (
    CAPITALS,
    COLON_LABELS,
    GENERIC_CREDIT,
    PHOTO_LABELS,
    WORD,
    WORD_TAIL,
    Normalized,
    caseless,
    credit_of,
    fold,
    normalize,
    strip_credit,
    strip_labels,
    unspaced_inside,
    weighed_length,
    word_count,
)
from .plan import DisjointSet
from .shingles import ShingleSets, shingle_sets
from .verify import containment, jaccard

_NUMBER = re.compile(r"\d+")


class Words:
    """Words and numbers of a matching key, for the checks that shingles cannot make."""

    __slots__ = ("numbers", "words")

    def __init__(self, key: str) -> None:
        self.words = frozenset(key.split())
        self.numbers = Counter(_NUMBER.findall(key))


class Matcher:
    """Decides, exactly, whether one block is a copy of another (``match``).

    Blocks are compared through the representatives of their exact copies (``rep_of``):
    similarities found while verifying candidates are handed in and any other is computed
    once, on the exact shingle sets.
    """

    def __init__(
        self,
        blocks: Sequence[Block],
        norms: Sequence[Normalized],
        keys: list[str],
        sets: ShingleSets,
        rep_of: dict[int, int],
        headlines: dict[int, tuple[int, str]],
        config: Config,
    ) -> None:
        self.blocks, self.norms, self.keys, self.sets = blocks, norms, keys, sets
        self.rep_of, self.headlines, self.config = rep_of, headlines, config
        self.jaccards: dict[tuple[int, int], float] = {}
        self.contained: dict[tuple[int, int], float] = {}
        self._words: dict[int, Words] = {}

    def jaccard(self, a: int, b: int) -> float:
        pair = (a, b) if a < b else (b, a)
        if pair not in self.jaccards:
            self.jaccards[pair] = jaccard(self.sets[a], self.sets[b])
        return self.jaccards[pair]

    def containment(self, a: int, b: int) -> float:
        if (a, b) not in self.contained:
            self.contained[(a, b)] = containment(self.sets[a], self.sets[b])
        return self.contained[(a, b)]

    def words(self, r: int) -> Words:
        if r not in self._words:
            self._words[r] = Words(self.keys[r])
        return self._words[r]

    def _short_part(self, i: int, a: int, share: float) -> bool:
        """Whether block ``i`` may lie inside another only as a good part of it: a line
        too short for containment otherwise, neither cut short nor a pulled quote."""
        norm, block = self.norms[i], self.blocks[i]
        return (
            share >= PART_SHARE
            and not (norm.truncated or block.pull_quote)
            and weighed_length(self.keys[a]) < self.config.min_contained_chars
        )

    def _retold_with_its_date(self, i: int, k: int, wb: Words) -> tuple[Reason, float] | None:
        """``match`` for a caption holding numbers its keeper lacks, all of them in the date
        its picture was taken: it goes only when it retells the keeper's sentence."""
        block, story = self.blocks[i], self.blocks[k]
        found = undated(block)
        if found is None or story.kind is not Kind.PARAGRAPH:
            return None
        text, norm = found
        if Counter(_NUMBER.findall(norm.key)) - wb.numbers:
            return None
        a, b = self.rep_of[i], self.rep_of[k]
        negation = (wb.words - frozenset(norm.key.split())) & NEGATIONS
        if not (negation and _negated_in(block, norm.key, self.keys[b])) and self._retells(
            i, k, norm, norm.key, text
        ):
            return Reason.CONTAINED, self.containment(a, b)
        return None

    def _retells(self, i: int, k: int, norm: Normalized, key: str, text: str | None = None) -> bool:
        """Whether block ``i`` (read as ``norm`` and ``key``, of ``text``) may lie inside
        block ``k`` and tells its sentence again (``retold``)."""
        a, b = self.rep_of[i], self.rep_of[k]
        share = self.sets.size(a) / self.sets.size(b)
        block, story = self.blocks[i], self.blocks[k]
        return (
            share <= 1
            and may_be_contained(block, norm, key, self.config, share, story)
            and retold(block, norm, key, self.keys[b], story, text)
        )

    def match(self, i: int, k: int) -> tuple[Reason, float] | None:
        """The rule by which block ``i`` is a copy of block ``k``, and how similar, or None."""
        a, b = self.rep_of[i], self.rep_of[k]
        if a == b:
            return Reason.EXACT, 1.0
        if i in self.headlines and self.headlines[i][1] == self.keys[b]:
            return Reason.HEADLINE, self.containment(b, a)
        wa, wb = self.words(a), self.words(b)
        if wa.numbers - wb.numbers:
            # A number the kept block lacks: no rule below holds, but for a caption's
            # photo date, which only a retold caption may say beside the story's words.
            return self._retold_with_its_date(i, k, wb)
        if _numbered_apart(self.blocks[i].text, self.blocks[k].text):
            return None  # clause (a) and clause (b) of a text: two items, however alike
        config = self.config
        similarity = self.jaccard(a, b)
        # A near copy goes only when what it says is (almost) all in the kept one: "Opinion|
        # Title" keeps "Title"'s words, "Hey James, ..." does not keep "Hey Taylor, ...".
        if (
            similarity >= config.jaccard
            and (
                self.containment(a, b) >= config.containment
                or respelled(wa, wb)
                # (a space dropped or set: "seedbarley" of "seed barley")
                or self.keys[a].replace(" ", "") == self.keys[b].replace(" ", "")
            )
            and wa.numbers == wb.numbers
            and same_words(wa, wb, config)
            # (either may be the one with "not" slipped in)
            and not _slipped_in(self.blocks[i], self.keys[a], self.keys[b])
            and not _slipped_in(self.blocks[k], self.keys[b], self.keys[a])
        ):
            return Reason.NEAR, similarity
        share = self.sets.size(a) / self.sets.size(b)
        block = self.blocks[i]
        said = one_photo_captions(block, self.blocks[k], self.keys[a], self.keys[b])
        if said is not None:
            return Reason.NEAR, said
        if (
            share <= 1
            # "The council has approved" inside "The council has not approved ...": a
            # negation the kept block has among the words it shares says the other thing
            and not (
                (wb.words - wa.words) & NEGATIONS and _negated_in(block, self.keys[a], self.keys[b])
            )
            and not _slipped_in(block, self.keys[a], self.keys[b])
            and may_be_contained(block, self.norms[i], self.keys[a], config, share, self.blocks[k])
            and _teaser_of(block, self.blocks[k], share)
        ):
            similarity = self.containment(a, b)
            if similarity < config.containment and unspaced_inside(self.keys[a], self.keys[b]):
                similarity = 1.0
            elif similarity < config.containment and pulled(block):
                similarity = edited_quote_inside(block.text, self.keys[b], config) or 0.0
            elif similarity < config.containment and block.kind is Kind.CAPTION:
                similarity = caption_inside(block.text, self.keys[b], config) or 0.0
            if similarity >= config.containment:
                return Reason.CONTAINED, similarity
        if (
            # (a paragraph that carries a photo's credit is a caption, as text writes one)
            (
                block.kind is Kind.CAPTION
                or pulled(block)
                or (block.kind is Kind.PARAGRAPH and self.norms[i].credited)
            )
            # (a negation left out between its runs is looked for there)
            and self._retells(i, k, self.norms[i], self.keys[a])
            and not _slipped_in(block, self.keys[a], self.keys[b])
        ):
            return Reason.CONTAINED, self.containment(a, b)
        if share <= 1:
            kept = shortened_title(block, self.blocks[k], self.keys[a], self.keys[b])
            if kept is not None:
                return Reason.SHORTENED, kept
        return None


# An item's mark in an enumeration: "(a)", "(ב)", "4.", "iii)", "B." at a block's start.
_ENUMERATOR = re.compile(r"^\s*[(\[]\s*([^\W_]{1,4})\s*[)\]]|^\s*([^\W_]{1,3})[.)]\s")


def retold(
    block: Block, norm: Normalized, key: str, kept: str, story: Block, text: str | None = None
) -> bool:
    """Whether a caption, a pulled quote or a credited paragraph tells ``kept``'s sentence
    again (``said_in_stretches``; a caption, of a paragraph of the story, also with words
    of its own and once an aside between commas goes: a photo desk writes from the
    story's sentence, not from a heading or another caption). ``text`` is the block's text
    that ``key`` is the matching form of, when it is not the block's own."""
    if (block.kind is not Kind.CAPTION and not norm.credited) or story.kind is not Kind.PARAGRAPH:
        # (a pulled quote's attribution, "– Marco Ferrante", is no word of the sentence)
        return said_in_stretches(_said(block, key), kept)
    text = block.text if text is None else text
    names = names_in(text)
    return (
        said_in_stretches(key, kept, names)
        or retold_with_an_aside(text, kept, names)
        or said_in_a_sentence(key, story.text, names)
    )


def undated(block: Block) -> tuple[str, Normalized] | None:
    """A caption's text and matching form without the day its picture was taken, when it
    says one; else None."""
    return _undated(block.text) if block.kind is Kind.CAPTION else None


@lru_cache(maxsize=1024)
def _undated(text: str) -> tuple[str, Normalized] | None:
    """``undated`` of a caption's text, read once for the candidate pairs and their match."""
    rest = PHOTO_DATE.sub(" ", text)
    return None if rest == text else (rest, normalize(rest))


# The day a picture was taken, which a wire caption adds to the story's words ("..., on
# Sept. 12, 2024.", "..., le 14 mars 2024"): the picture's, as its credit is. A date as
# captions write one: a day, a month's name or number and a year in either order
# ("14 mars 2024", "21 de agosto de 2023", "Aug. 21, 2023", "14.06.2024", "2024年6月14日",
# "3일"), with the words that lead it in after a comma ("on Friday, ...", "le", "vendredi").
_DAY_MONTH_YEAR = (
    r"\d{1,2}(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+)?(?:19|20)\d\d"
)
_MONTH_DAY_YEAR = r"[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
_NUMERIC_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}"
_CJK_DATE = r"(?:\d{2,4}\s*[年년]\s*)?(?:\d{1,2}\s*[月월]\s*)?\d{1,2}\s*[日일]"
# ... or a day and a month's name with no year, after "on" or a comma and ending the
# sentence: "... on March 14.", "..., 15 აპრილი."
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_DAY_MONTH = (
    rf"(?:{_DAY}(?:st|nd|rd|th|er|\.)?\s+[^\W\d_]{{3,}}|[^\W\d_]{{3,}}\.?\s+{_DAY}(?:st|nd|rd|th)?)"
)
PHOTO_DATE = re.compile(
    rf"(?:(?:^|,)\s*(?:[^\W\d_]+\.?,?\s+){{0,2}})?"
    rf"(?<!\w)(?:{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}|{_NUMERIC_DATE}|{_CJK_DATE})(?!\w)"
    rf"|(?:[,،]|\s(?-i:on))\s+(?:[^\W\d_]{{3,}}[,،]?\s+)?{_DAY_MONTH}(?=\s*(?:[.。(]|[—–-]\s|$))"
)


def _numbered_apart(a: str, b: str) -> bool:
    """Whether two blocks open with different marks of an enumeration: the clauses (a)
    and (b) of a regulation that say the same thing are two clauses."""
    ma, mb = _ENUMERATOR.match(a), _ENUMERATOR.match(b)
    if ma is None or mb is None:
        return False
    return (ma.group(1) or ma.group(2)).casefold() != (mb.group(1) or mb.group(2)).casefold()


# Words that turn a statement into its opposite, in the corpus's languages (folded, as
# matching keys hold them): a near copy that adds or drops one says the other thing.
NEGATIONS = frozenset(
    fold(word)
    for word in "not no never none nothing nobody cannot dont doesnt didnt isnt arent wasnt werent wont "
    "nicht kein keine keinen nie niemals ne pas jamais aucun aucune non nunca ningun ninguna "
    "nao nem nunca non mai nessun niet geen nooit не нет ни никогда ні немає "
    "لا ليس لم لن ما غير نه نمی هیچ 不 没 没有 無 无 없다 안 않 ない değil yok".split()
)


def _said(block: Block, key: str) -> str:
    """A block's key without the attribution of a pulled quote ("“...” — Name, title"):
    the words the quote says, whose stretch in the longer block a negation is looked for
    in."""
    if not pulled(block) or (said := _attribution(block.text.strip())) is None:
        return key
    return fold(block.text[: said.start()]) or key


def _negated_in(block: Block, key: str, kept: str) -> bool:
    """Whether ``kept`` says with a negation what ``block`` says (``_negated``); a pulled
    quote cut with elisions is looked for piece by piece: what its elision leaves out of
    the sentence (", we have merged routes that should never have been merged, and") is
    no stretch it says."""
    if pulled(block) and _ELISION.search(block.text):
        pieces = _quote_pieces(block.text)
        if len(pieces) > 1:
            return any(_negated(piece, kept) for piece in pieces)
    return _negated(_said(block, key), kept)


def _negated(copy: str, kept: str) -> bool:
    """Whether the kept key holds a negation the copy lacks within the stretch of words the
    copy spans (from the word before its first words, or its first word, to its last words,
    or as many words as it has when its last words are not found, as an attribution is
    not; the whole kept key when its first word is not found): "has approved" inside "has not approved",
    but not a caption inside a paragraph whose next sentence says "not"."""
    words, inside = copy.split(), kept.split()
    start = _find_words(inside, words[:2], 0)
    if start < 0:  # (a retold copy's second word may be its own: "des [centaines de] marins")
        start = _find_words(inside, words[:1], 0)
    if start < 0:
        stretch = inside
    else:
        end = _find_words(inside, words[-2:], start)
        # (a word before it may negate it too: "not [approved the plans]")
        stretch = inside[max(start - 1, 0) : (end if end >= 0 else start + len(words)) + 2]
    # ("No. 679215" is a number's label, not a negation.)
    said = {
        w for w, then in zip(stretch, [*stretch[1:], ""], strict=True) if not then[:1].isdigit()
    }
    return bool(said - set(words) & NEGATIONS)


def slipped_in(copy: str, kept: str) -> bool:
    """Whether the kept key says the copy with a short word slipped in between two of its
    neighbouring words ("sẽ nghỉ học" in "sẽ không nghỉ học"): the shape of a negation in
    any language, which no list of negations knows all of. A copy whose words stand in
    the kept key as one stretch, or that leaves words out of it, is no such pair."""
    if f" {copy} " in f" {kept} ":
        return False
    words, inside = copy.split(), kept.split()
    pairs = set(zip(inside, inside[1:], strict=False))
    around = {
        (x, z): y
        for x, y, z in zip(inside, inside[1:], inside[2:], strict=False)
        if len(y) <= SLIPPED_CHARS
    }
    own = set(words)
    for pair in zip(words, words[1:], strict=False):
        if pair not in pairs and pair in around and around[pair] not in own:
            return True
    return False


def _slipped_in(block: Block, key: str, kept: str) -> bool:
    """``slipped_in`` for a block's key, or for a quotation standing whole, for each piece
    of it between its elisions, its attribution aside: "..." and "— Name" are edits that
    leave words out, not words slipped in. Captions and pull quotes are edited copies by
    nature ("said the bridge" of "said that the bridge"): only text said as itself is read
    this way."""
    if block.kind is Kind.CAPTION or block.kind is Kind.QUOTE or block.kind is Kind.ALT:
        return False
    if not pulled(block):
        return slipped_in(key, kept)
    return any(slipped_in(piece, kept) for piece in _quote_pieces(block.text))


def _quote_pieces(quote: str) -> list[str]:
    """The keys of a pulled quote's pieces between its elisions, its attribution aside:
    after a dash, after the closing mark, or after the last elision when that piece is a
    name ("… Séamus Ó Flaitheartaigh, Headford Road Residents' Association")."""
    text = quote.strip()
    said = _attribution(text)
    if said is not None and not said.group("first").islower():
        text = text[: said.start()]
    pieces = _ELISION.split(text)
    if len(pieces) > 1 and _a_name(pieces[-1]):
        pieces = pieces[:-1]
    return [k for k in (normalize(p).key for p in pieces) if k]


def _a_name(text: str) -> bool:
    """Whether a short piece of text is a name and what it is (a signature): its words,
    eight at most, written mostly with a capital, and no sentence's end."""
    words = text.split()
    if not words or len(words) > _SIGNATURE_WORDS or text.rstrip()[-1:] in ".!?…":
        return False
    capitals = sum(1 for w in words if w[:1].isupper())
    return capitals * 2 > len(words)


_SIGNATURE_WORDS = 8


# A word slipped in that may say "not": a short one (the negations of the corpus's
# languages have six letters at most).
SLIPPED_CHARS = 6


def _find_words(inside: list[str], words: list[str], start: int) -> int:
    """Where ``words`` first stand in ``inside`` from ``start`` on, or -1."""
    n = len(words)
    for at in range(start, len(inside) - n + 1):
        if inside[at : at + n] == words:
            return at
    return -1


def respelled(a: Words, b: Words) -> bool:
    """Whether the words ``a`` has that ``b`` lacks are misspellings of words of ``b`` (a
    paragraph printed again with a typo fixed, "pzrebieg" for "przebieg"): a letter
    changed, added, dropped or two swapped, in words of ``RESPELLED_CHARS`` letters or
    more, ``RESPELLED_WORDS`` of them at most. A shorter word so changed is another word
    or name ("Olga", "Olya")."""
    own, other = a.words - b.words, b.words - a.words
    if not own or len(own) > RESPELLED_WORDS:
        return False
    return all(len(w) >= RESPELLED_CHARS and any(_one_edit(w, v) for v in other) for w in own)


RESPELLED_WORDS = 2
RESPELLED_CHARS = 5


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one letter changed, added or dropped, or two
    neighbouring letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [x for x in range(len(a)) if a[x] != b[x]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    x = next((x for x in range(len(short)) if short[x] != long[x]), len(short))
    return short[x:] == long[x + 1 :]


def same_words(a: Words, b: Words, config: Config) -> bool:
    """Near copies of worded text also share their words: "Follow X" is not "Unfollow X".

    Character shingles forgive a changed prefix or name in a short line ("vote for Olya",
    "vote for Olesya"); the same threshold on word sets catches it, from two words up
    ("Follow X" beside "Unfollow X"). Scripts written without spaces have too few words to
    check.
    """
    if (a.words ^ b.words) & NEGATIONS:
        return False  # "I have a profile" is not "I do not have a profile"
    if len(a.words) < 2 or len(b.words) < 2:
        return True
    common = len(a.words & b.words)
    return common / (len(a.words) + len(b.words) - common) >= config.jaccard


# A line of page furniture of four words or more is a sentence of the page's frame ("Back
# to Main Menu", "Sign Up To The Sun", "Talk to Al Jazeera"), not a menu's label ("N.Y.C.
# Events Guide", "Today's Paper"): its copies are repeats from twelve characters up.
LABEL_WORDS = 4
LABEL_CHARS = 12


def label_line(block: Block) -> bool:
    """A line of page furniture that may be matched below ``min_chars``: ``LABEL_WORDS``
    words or more."""
    return block.furniture and len(block.text.split()) >= LABEL_WORDS


def long_enough(block: Block, key: str, config: Config) -> bool:
    """Whether a block's key is long enough to be matched at all: ``min_chars``, or for a
    ``label_line``, ``LABEL_CHARS`` characters."""
    length = weighed_length(key)
    if length >= config.min_chars:
        return True
    return length >= LABEL_CHARS and label_line(block)


def _titles_card(block: Block, key: str, card: Block | None) -> bool:
    """Whether a heading (not the page's) is the first words of a story's card in a list
    of stories: an entry of a list, no table of contents', that starts with them."""
    return (
        card is not None
        and block.tag != "h1"
        and card.kind is Kind.LIST_ITEM
        and not card.anchor
        and fold(card.text).startswith(key + " ")
    )


def may_be_contained(
    block: Block,
    norm: Normalized,
    key: str,
    config: Config,
    share: float = 0.0,
    keeper: Block | None = None,
) -> bool:
    """Containment removes pull quotes and truncated copies, never whole headings or
    mentions: a headline restated in a citation stays a headline, but a heading cut short
    with an ellipsis is a teaser of the text it cuts.

    A short line goes inside a longer one only when it is a good part of it (``share``, its
    size over the other's, at least ``PART_SHARE``) and a line of its own (``_a_line``):
    "Continue reading the main story" inside "Continue reading the main story Share This
    Page" is the same line with a button more; a phrase a paragraph happens to hold is not.
    """
    if block.kind is Kind.HEADING and not norm.truncated:
        # The same title with a kicker, a time or a site's name more ("17:27 GMT Title",
        # "(LEAD) Title", "L'actuTitle"): a heading is its copy only when it is nearly all
        # of it. A section heading inside a paragraph is a small part of it. A teaser's
        # title is its card's first words, the card's summary after them ("Title Dek" in a
        # list of stories): the card says it whole.
        if weighed_length(key) < config.min_chars:
            return False
        return share >= HEADING_SHARE or _titles_card(block, key, keeper)
    if (
        norm.truncated
        or block.pull_quote
        or _pulled_from(block, keeper)
        or (share >= PART_SHARE and _a_line(block, keeper))
    ):
        return weighed_length(key) >= config.min_chars
    if block.kind is Kind.CAPTION and sum(map(word_count, WORD.findall(key))) >= CAPTION_WORDS:
        # A caption that tells a clause of the story again, however long the paragraph:
        # what a picture's caption says is the story's, or its own.
        return weighed_length(key) >= CAPTION_CHARS
    return weighed_length(key) >= config.min_contained_chars


def _pulled_from(block: Block, keeper: Block | None) -> bool:
    """A quote whose keeper stands in the text around it (``around``): a sentence pulled
    from the article beside it, where no markup says "pull quote" (Markdown's "> "): a
    sentence (``PART_WORDS``), not a name the quote is signed with."""
    return (
        block.kind is Kind.QUOTE
        and keeper is not None
        and len(block.text.split()) >= PART_WORDS
        and block.around is not None
        and fold(keeper.text) in block.around
    )


PART_SHARE = 1 / 3
CAPTION_WORDS = 8
CAPTION_CHARS = 40
HEADING_SHARE = 2 / 3
PART_WORDS = 5


def _a_line(block: Block, keeper: Block | None) -> bool:
    """A line that may go as a part of a longer one: a sentence (``PART_WORDS`` words or
    more, not a label: "Frontiers Conference"), not a quote (it may be a mention), and when
    it is a paragraph of the article, one that the other says again with a few words more
    (a label, a button: ``LINE_EXTRA`` words at most), not a sentence of the story that
    a longer one goes on from."""
    if block.kind is Kind.QUOTE:
        return False
    # (a Chinese line is one token of many words; an alt text's words are counted between
    # spaces only: it names what a picture shows, and a phrase of its caption is no copy)
    words = len(block.text.split()) if block.kind is Kind.ALT else _words_in(block.text)
    if words < PART_WORDS:
        return False
    if block.furniture or block.kind is not Kind.PARAGRAPH:
        return True
    return keeper is not None and _words_in(keeper.text) - words <= LINE_EXTRA


def _words_in(text: str) -> int:
    """How many words a text holds, at the least: a word between spaces ("Truth-O-Meter"
    one), or in a script written without spaces, one per three characters (a short label
    of a few characters is no line)."""
    return sum(-(-len(t) // 3) if word_count(t) > 1 else 1 for t in text.split())


LINE_EXTRA = 4


def _teaser_of(block: Block, keeper: Block, share: float) -> bool:
    """A heading goes for lying inside another block only as a teaser: cut with an ellipsis
    (``may_be_contained``), in page furniture (a list of links), beside the headline it
    cuts, or as the same title with a label or a time more (``HEADING_SHARE``); an
    article's own section heading ending in "..." is a heading."""
    return (
        block.kind is not Kind.HEADING
        or block.furniture
        or keeper.kind is Kind.HEADING
        or share >= HEADING_SHARE
    )


def numbers_allow(
    keys: list[str], pairs: tuple[np.ndarray, np.ndarray], dated: Container[int] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs whose numbers let them match in some direction.

    A block is removed only if each number it holds is in its keeper too (``match``), so
    two texts holding as many numbers as each other, but not the same ones ("Line 1041 of
    the log", "Line 1042 of the log"), never match either way: they are dropped before
    the exact comparison, which a file of many such lines would otherwise make millions of
    times for nothing. A pair whose first block is in ``dated`` (a caption with the day
    its picture was taken: ``undated``) may match without its date's numbers.
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
    if dated:
        allowed |= np.fromiter((x in dated for x in a.tolist()), dtype=bool, count=len(a))
    return (a, b) if allowed.all() else (a[allowed], b[allowed])


# ---------------------------------------------------------------- titles said shorter

# A title: a heading, an entry of a list or a line of the page's furniture, of a few words
# (a teaser's headline, a section's link), not a sentence of the story.
TITLE_WORDS = 16
# The shorter title keeps this many words at least, and this share of the longer one's: an
# editor drops a word or three from a headline ("White House aides testify about
# 'unusual' Ukraine call"), while in a label of a few words every word tells ("See all
# True rulings", "See all Mostly True rulings"), and a section's name is a few words of
# many ("Trump Impeachment Inquiry" of a headline about it).
SHORT_TITLE_WORDS = 7
SHORT_TITLE_SHARE = 0.6


def titled(block: Block) -> bool:
    """A heading, a list's entry, a line of furniture or a paragraph that is a link whole
    (a "you might also like" story's title): what may be a title."""
    return block.kind in (Kind.HEADING, Kind.LIST_ITEM) or (
        block.kind is Kind.PARAGRAPH and (block.furniture or block.target is not None)
    )


def shortened_title(block: Block, keeper: Block, key: str, kept: str) -> float | None:
    """The share of the kept title's words that ``block`` says, when it is that title
    said shorter: both titles, and its words all in the other's, in the same order, with
    no negation among the words it leaves out; None otherwise."""
    if not (titled(block) and titled(keeper)):
        return None
    words, other = key.split(), kept.split()
    if not SHORT_TITLE_WORDS <= len(words) < len(other) <= TITLE_WORDS:
        return None
    share = len(words) / len(other)
    if share < SHORT_TITLE_SHARE:
        return None
    left_out: list[str] = []
    at = 0
    for word in other:
        if at < len(words) and word == words[at]:
            at += 1
        else:
            left_out.append(word)
    if at < len(words) or NEGATIONS.intersection(left_out):
        return None
    return share


# ---------------------------------------------------------------- sentences retold

# A caption or a pulled quote that tells a sentence of the story again, edited: a clause or
# a parenthesis left out, a pronoun named ("Forrest Jones advised ..." of "..., Forrest
# Jones said. He advised ..."). Its words stand in the paragraph in order, in a few runs,
# with short stretches left out between them and at most one word its own.
RETOLD_WORDS = 8
RETOLD_RUNS = 3
RETOLD_GAP = 12
RETOLD_OWN = 1
# ... a clitic a contraction splits off ("it's" of "it"), not a name said in its place.
RETOLD_OWN_CHARS = 2


def said_in_stretches(key: str, kept: str, names: frozenset[str] | None = None) -> bool:
    """Whether the words of ``key`` stand in ``kept`` in order, in ``RETOLD_RUNS`` runs
    or fewer, with at most ``RETOLD_GAP`` words left out between two runs and no negation
    among them, all but ``RETOLD_OWN`` of them found (a clitic, not a name, a negation or
    a number).

    With ``names`` (a caption's, folded: the words it writes with a capital inside a
    sentence) a caption may say more of its own, as editors write one from the story's
    sentence: a word in another form ("raise" of "raised"), and when it has
    ``RETOLD_LOOSE_WORDS`` words or more, a word in ``RETOLD_SHARE`` of them ("which ...
    on Thursday morning", "foi resgatado" of "resgataram"), in one run more, the runs
    ``RETOLD_LOOSE_GAP`` words apart at most; no number and no negation, and ``names``
    only put in, not in place of the story's words (another person)."""
    words, other = key.split(), kept.split()
    if len(words) < RETOLD_WORDS or len(other) <= len(words):
        return False
    loose = names is not None and len(words) >= RETOLD_LOOSE_WORDS
    mine = int(len(words) * RETOLD_SHARE) if loose else 0
    most_runs = RETOLD_RUNS + (1 if loose else 0)
    # (a caption that says words of its own says the sentence's words close together)
    gap = RETOLD_LOOSE_GAP if loose else RETOLD_GAP
    at: dict[str, list[int]] = {}
    for x, w in enumerate(other):
        at.setdefault(w, []).append(x)
    # (a caption may open with words of its own: "The MV Corrin Star, which ran ...")
    starts = [(p, 0) for p in at.get(words[0], ())]
    if mine:
        starts += [(p, x) for x in range(1, mine + 1) for p in at.get(words[x], ())]
    for start, skipped in starts:
        # (a name of its own before the story's words stands in place of the story's)
        if skipped and (
            names is None
            or not _own_words(words[:skipped], names)
            or not names.isdisjoint(words[:skipped])
        ):
            continue
        pos, runs, own, extra, negated = start, 1, 0, skipped, False
        named = False  # a name of its own since the last word found
        for w in words[skipped + 1 :]:
            places = at.get(w, ())
            found = bisect.bisect_right(places, pos)  # (its first place after ``pos``)
            nxt = places[found] if found < len(places) else None
            if nxt is not None and nxt > pos + 1 + gap:
                nxt = None
            if nxt is None and names is not None and pos + 1 < len(other):
                # ("raise" of "raised", "stellt" of "stellte": the word in another form)
                nxt = pos + 1 if _inflected(w, other[pos + 1]) else None
            if nxt is None:
                if len(w) <= RETOLD_OWN_CHARS and own < RETOLD_OWN:
                    own += 1
                    bad = w in NEGATIONS or bool(_DIGIT.search(w))
                else:
                    extra += 1
                    bad = extra > mine or not _own_words([w], names)
                    named = named or (names is not None and w in names)
                if bad:
                    break
                continue
            if nxt != pos + 1 and named:
                break  # a name in place of the story's words: another person, or place
            named = False
            if nxt != pos + 1:
                runs += 1
                if runs > most_runs:
                    break
                negated = negated or bool(NEGATIONS.intersection(other[pos + 1 : nxt]))
            pos = nxt
        else:
            if runs <= most_runs and not negated:
                return True
    return False


def said_in_a_sentence(key: str, story: str, names: frozenset[str]) -> bool:
    """Whether a caption says the words of one sentence of ``story`` (or of two that follow
    each other) in another order, as photo desks write a caption from the story's
    sentence: ``RETOLD_LOOSE_WORDS`` words or more, all found there but ``RETOLD_SHARE``
    of them (a word in another form counts as found), none of its own a number or a
    negation, a name of its own at most, and no negation in the sentence that it lacks."""
    words = key.split()
    if len(words) < RETOLD_LOOSE_WORDS:
        return False
    mine = int(len(words) * RETOLD_SHARE)
    for span in _sentence_spans(story):
        other = span.split()
        if len(other) < len(words) - mine:
            continue
        left = Counter(other)
        own = []
        for w in words:
            if left[w] > 0:
                left[w] -= 1
                continue
            form = next((o for o, n in left.items() if n > 0 and _inflected(w, o)), None)
            if form is None:
                own.append(w)
            else:
                left[form] -= 1
        if (
            len(own) <= mine
            and not any(w in NEGATIONS or _DIGIT.search(w) for w in own)
            and sum(1 for w in own if w in names) <= 1
            and not (set(other) - set(words)) & NEGATIONS
            # (close together: not a sentence's words picked from all over it)
            and _window(other, {w for w in words if len(w) >= _CONTENT_CHARS} - set(own))
            <= len(words) * _WINDOW_SHARE
        ):
            return True
    return False


def _window(words: list[str], wanted: set[str]) -> int:
    """The fewest consecutive ``words`` that hold every word of ``wanted`` found in them
    (a word in another form counts)."""
    at = [(x, w) for x, o in enumerate(words) for w in wanted if w == o or _inflected(w, o)]
    need = {w for _, w in at}
    if not need:
        return 0
    best, have, start = len(words), Counter[str](), 0
    for x, w in at:
        have[w] += 1
        while len(have) == len(need):
            best = min(best, x - at[start][0] + 1)
            first = at[start][1]
            have[first] -= 1
            if not have[first]:
                del have[first]
            start += 1
    return best


# The words that place a retold caption in its sentence (shorter ones, "of", "in", are
# everywhere), and how much longer than the caption the stretch holding them may be.
_CONTENT_CHARS = 4
_WINDOW_SHARE = 1.5


@lru_cache(maxsize=256)
def _sentence_spans(story: str) -> tuple[str, ...]:
    """A text's sentences, folded, and each two that follow each other, read once for all
    the captions that may retell it."""
    sentences = [fold(x) for x in _SENTENCE_BREAK.split(story) if x.strip()]
    return (*sentences, *(f"{a} {b}" for a, b in zip(sentences, sentences[1:], strict=False)))


# Where a sentence ends: a full stop, a question or an exclamation mark (and their
# full-width and Devanagari forms), then a space.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?。！？।])\s+")


def retold_with_an_aside(text: str, kept: str, names: frozenset[str]) -> bool:
    """Whether a caption retells ``kept``'s sentence once an aside it puts in between
    commas goes (", pictured with her daughter Reena,", ", seen here near Electronic City
    station,"): ``ASIDE_WORDS`` words at most, no number; the rest as
    ``said_in_stretches`` reads it."""
    for m in _COMMA_ASIDE.finditer(text):
        aside = m.group(1)
        if len(aside.split()) > ASIDE_WORDS or _DIGIT.search(aside):
            continue
        rest = normalize(text[: m.start()] + " " + text[m.end() :]).key
        if said_in_stretches(rest, kept, names):
            return True
    return False


_COMMA_ASIDE = re.compile(r",\s*([^,;:.!?]+?)\s*,")
ASIDE_WORDS = 8


def _own_words(words: list[str], names: frozenset[str] | None) -> bool:
    """Whether words a caption says of its own may be an editor's: no number or negation
    (a name only as words put in, ``said_in_stretches`` checks)."""
    return names is not None and not any(w in NEGATIONS or _DIGIT.search(w) for w in words)


def _inflected(word: str, other: str) -> bool:
    """Whether two words are one word in two forms: the same first letters, all but the
    last three of the shorter, four or more ("raise" and "raised", "restore" and
    "restoring")."""
    if word == other:
        return True
    if _DIGIT.search(word) or _DIGIT.search(other):
        return False  # (a number in another form is another number)
    n = len(commonprefix((word, other)))
    return n >= _STEM_CHARS and n >= min(len(word), len(other)) - _ENDING_CHARS


_STEM_CHARS = 4
_ENDING_CHARS = 3


def names_in(text: str) -> frozenset[str]:
    """The words of a text written with a capital inside a sentence, folded: names."""
    out = set()
    for m in _INNER_WORD.finditer(text.strip()):
        w = m.group(0)
        if w[0].isupper():
            out.update(fold(w).split())
    return frozenset(out)


# A word inside a sentence: not its first, nor one after a sentence's end or a colon.
_INNER_WORD = re.compile(r"(?<![.!?:]\s)(?<!^)\b[^\W\d_][\w'’-]*")
RETOLD_SHARE = 0.2
RETOLD_LOOSE_WORDS = 12
RETOLD_LOOSE_GAP = 8


# ---------------------------------------------------------------- quotes edited when pulled

# A pulled quote's attribution at its end: a long dash (or a horizontal bar, "―", as
# Korean and Japanese pages write it; or two, "——", as Chinese ones do) and a name, its
# initials with their dots ("— Jane Doe, mayor", "— ఎస్. రాజశేఖర్",
# "— Олена Ковальчук"), up to six words starting with a capital or a letter of a script
# with no case (a hyphen, or words after a dash that start small, go on with the quote:
# "we will rebuild - and fast").
_ATTRIBUTION = re.compile(
    r"\s*(?:[—–―]{1,2}|--)\s*(?P<first>[^\W\d_])[^\s—–―!?]*(?:\s+[^\s—–―!?]+){0,5}\s*$"
)
# ... or a name after the quotation's closing mark, where a <cite> set it apart
# ("“... to hospital” Helen Marsh").
_SIGNED = re.compile(
    r"(?<=[”\"»’」』›])[.,]?\s+(?P<first>[^\W\d_])[^\s!?\"”“«»]*(?:\s+[^\s!?\"”“«»]+){0,5}\s*$"
)


def _attribution(text: str) -> re.Match[str] | None:
    """Where a quotation's attribution starts (``_ATTRIBUTION``, or for a text that opens
    with a quotation mark, ``_SIGNED``), or None."""
    said = _ATTRIBUTION.search(text)
    if said is None and text[:1] in _OPENING:
        said = _SIGNED.search(text)
    return said


# An elision inside a pulled quote: "...", "…", "[...]", "(...)"; or the editor's words
# in square brackets put in place of the speaker's ("[He] warned them" of "I warned
# them").
_ELISION = re.compile(r"[\[(]?\s*(?:\.\.\.|…)\s*[\])]?|\[[^\[\]]{1,24}\]")
# Share of a quote's shingles that must lie inside the longer block before the edits are
# looked at: an elision and an attribution cost a few shingles, not half of them.
EDITED_SHARE = 0.6


# A paragraph that is a quotation whole: it opens with a quotation mark and closes with
# one, maybe followed by a full stop and an attribution ("“...” — Name").
# (Swedish and Finnish open a quotation with the closing mark: ”...”)
_OPENING = frozenset("“\"«„‘'「『‹»”’")
_QUOTATION = re.compile(r"^\s*[“\"«„‘'「『‹»”’].*[”\"»“’'」』›«][.。]?\s*$", re.S)


def pulled(block: Block) -> bool:
    """Whether ``block`` reads as a pulled quote: a quote, or in text without markup (plain
    text, a paragraph of its own) a quotation standing whole, with its attribution."""
    if block.kind is Kind.QUOTE:
        return True
    if block.kind is not Kind.PARAGRAPH:
        return False
    text = block.text
    if text[:1].isspace() or text[-1:].isspace():  # (stripped only where it must be)
        text = text.strip()
    if text[:1] not in _OPENING:
        return False
    said = _attribution(text)
    if said is not None:
        text = text[: said.start()]
    return _QUOTATION.match(text) is not None


def edited_quote_inside(quote: str, key: str, config: Config) -> float | None:
    """How much of a pulled quote lies inside ``key`` once its edits are undone: its
    attribution dropped and its text split at each elision, every piece of it found in the
    longer block (the least contained piece's share), or None when a piece is not or too
    little of the quote is left to tell."""
    pieces = _quote_pieces(quote)
    if not pieces or sum(map(len, pieces)) < config.min_chars:
        return None
    sets = shingle_sets([*pieces, key], config.shingle_size)
    least = min(containment(sets[i], sets[len(pieces)]) for i in range(len(pieces)))
    return least if least >= config.containment else None


# A caption's aside at its end, in brackets: where and when the photo was taken ("（３日、
# 宇都宮市で）", "(file, 2019)"), which the story's sentence does not say; or, as Japanese
# papers write it, after an equals sign ("...を開いた＝福岡市中央区").
_ASIDE = re.compile(
    r"\s*[（(\[【][^（）()\[\]【】]{1,32}[）)\]】]\s*[.。]?\s*$|\s*[＝=][^＝=。.]{1,24}$"
)


def caption_inside(caption: str, key: str, config: Config) -> float | None:
    """How much of a caption lies inside ``key`` once the aside at its end is set aside
    (``_ASIDE``): a caption that tells the story's sentence again with where the photo
    was taken. None when it has no aside, too little is left, or that is not inside."""
    text, _ = strip_credit(caption.strip())
    text = text.strip()
    aside = _ASIDE.search(text)
    if aside is None or aside.start() == 0:
        return None
    rest = normalize(text[: aside.start()]).key
    if weighed_length(rest) < config.min_contained_chars:
        return None
    sets = shingle_sets([rest, key], config.shingle_size)
    share = containment(sets[0], sets[1])
    return share if share >= config.containment else None


# ---------------------------------------------------------------- labels no list knows

# What a page writes before a block's text to label it: up to three words and a colon, a
# vertical bar or a spaced dash ("Main image:", "WATCH |", "Exclusive -"), or a gallery's
# counter, spaced or glued to the text ("2 of 4", "3/10:", "2of4A shopper...").
LEAD_IN = re.compile(
    r"^\s*(?:"
    # (a word's vowel signs are part of it: "તસવીર:")
    rf"(?:[^\W\d_]{WORD_TAIL}\s+){{0,2}}[^\W\d_]{WORD_TAIL}\s*(?:(?::|\||\s[-–—])\s+|：\s*)"
    # A word in brackets, as Japanese and Chinese pages write a label: "【写真】", "[Photo]".
    r"|[【\[]\s*[^\W\d_][^\]】]{0,7}[】\]]\s*"
    # Two or three words and a comma, as the BBC's sites label a caption in every language
    # ("Image caption, ...", "የምስሉ መግለጫ, ...").
    rf"|(?:[^\W\d_]{WORD_TAIL}\s+){{1,2}}[^\W\d_]{WORD_TAIL}\s*[,،]\s+"
    # A slide's counter, with its word or none: "2of4", "3/9", "Photo 3 of 9", "Bild 3 von 4".
    # (its "of" in any language: a short word between the numbers, "3 з 12", "3 из 12")
    r"|(?:[^\W\d_]+\s+)?\d{1,3}\s*(?:[^\W\d_]{1,3}|/)\s*\d{1,3}"
    r"(?:\s*[:.|\-–—]?\s+|(?=[^\W\d_]))"
    r")",
    re.IGNORECASE,
)


def may_lead_in(text: str) -> bool:
    """False only when ``LEAD_IN`` cannot match ``text``: each of its lead-ins ends in a
    mark (a colon, a bar, a dash, a bracket, a comma) or holds a digit within its first
    four words (words and marks as white space parts them), and most lines hold none
    there (a test costs a fraction of the pattern's)."""
    return _LEAD_MARK.search("".join(text.split(None, 4)[:4])) is not None


_LEAD_MARK = re.compile(r"[:|\-–—：【\[,،\d]")


def _about_a_picture(block: Block) -> bool:
    """A caption, an alt text or a line under a picture: where a page labels a copy of a
    caption. Elsewhere a short lead-in is as often what tells two items apart (a section,
    an author's initials, a product's name) and is left alone."""
    return block.kind is Kind.CAPTION or block.kind is Kind.ALT or block.picture is not None


def lead_in_labels(
    blocks: Sequence[Block], norms: Sequence[Normalized], config: Config
) -> list[Normalized]:
    """The matching forms, with each block that is another block's text led in by a short
    label (one no list of labels knows: what makes it a label is its shape and that the
    rest is another block of the page, word for word) given that block's key, labelled.

    So the caption copy "Main image: Rescue workers search..." is a labelled copy of the
    caption "Rescue workers search...", as "Image caption, ..." is, and two captions led in
    by a slider's counters ("2of4A shopper...", "3of4A shopper...") are one caption; a
    lead-in whose rest is no other block ("Update: ...", "Q: ...") changes nothing. Only
    captions, alt texts and lines under a picture are read this way, and other lines whose
    rest is such a caption ("Pictured: ..." in a lightbox); a slide's counter ("2/5 ...",
    "Bild 3 von 4: ...") leads in a copy wherever it stands.
    """
    led: list[tuple[int, Normalized]] = []
    elsewhere: list[tuple[int, Normalized]] = []  # lead-ins of lines under no picture
    pictured = any(map(_about_a_picture, blocks))  # (else those lead-ins lead in nothing)
    for i, (block, norm) in enumerate(zip(blocks, norms, strict=True)):
        if norm.labelled or len(block.text) <= config.min_chars:
            continue  # (a label read as a credit, "Main image: ...", may have left no key)
        m = LEAD_IN.match(block.text) if may_lead_in(block.text) else None
        if m is None or m.end() >= len(block.text):
            continue
        # (a slide's counter leads in a caption anywhere)
        anywhere = _about_a_picture(block) or _DIGIT.search(m.group())
        if not anywhere and not pictured:
            continue
        rest = normalize(block.text[m.end() :])
        if rest.key != norm.key and weighed_length(rest.key) >= config.min_chars:
            if anywhere:
                led.append((i, rest))
            else:
                elsewhere.append((i, rest))
    if elsewhere:
        # A line under no picture is a caption's copy led in by a label only when its rest
        # is a caption, word for word: a lightbox's "Pictured: ...".
        captions = {n.key for b, n in zip(blocks, norms, strict=True) if _about_a_picture(b)}
        led += [(i, rest) for i, rest in elsewhere if rest.key in captions]
        led.sort(key=lambda x: x[0])
    if not led:
        return list(norms)
    # The rest is another block of the page, or the rest of another lead-in: a slider's
    # "2of4A shopper looks..." and "3of4A shopper looks..." are one caption twice.
    keys = {n.key for n in norms if weighed_length(n.key) >= config.min_chars}
    # (Under different lead-ins: two exact copies of one line are one lead-in.)
    rests = Counter(rest for rest, _ in {(rest.key, norms[i].key) for i, rest in led})
    out = list(norms)
    first: dict[str, int] = {}
    for i, rest in led:
        if rest.key in keys:
            out[i] = rest._replace(labelled=True)
        elif rests[rest.key] > 1:
            # The first such caption keeps its own text, the later ones lie inside it: what
            # stays reads the same when the cleaned page is read again, with one lead-in.
            if norms[i].key != norms[first.setdefault(rest.key, i)].key:
                out[i] = rest._replace(labelled=True)
    return out


# A name or a label and a colon before an opening: "wdokken: A stagnant real estate ...".
_NAMED = re.compile(r"^\s*(?:[^\W\d][\w'’.]*\s+){0,2}[^\W\d][\w'’.]*\s*:\s+")
# Words an opening holds at least, and the words of a key that index it.
_OPENING_WORDS = 6
_OPENING_MAX = 200
# How many times an opening's words the block it opens holds, at least: a snippet cuts a
# comment short; "Mayor Doe said: ..." before a quote that adds only its speaker's name is
# the article's sentence, not a snippet of the quote (and a quote opens nothing).
_OPENED = 1.5


def named_openings(
    blocks: Sequence[Block], norms: Sequence[Normalized], config: Config
) -> list[Normalized]:
    """The matching forms, with each short line that is a name and the opening words of
    another block ("wdokken: A stagnant real estate market is having an instrumental
    impact", under a comment that goes on from those words) given the opening's key, as a
    copy cut short: a share box's or a reply's snippet of a comment, of a post, of a
    paragraph. It is cut at a word and its rest is the other block's start, word for word,
    ``_OPENING_WORDS`` words or more; a named line that opens no other block is left alone.
    """
    found: list[tuple[int, Normalized]] = []
    for i, (block, norm) in enumerate(zip(blocks, norms, strict=True)):
        if (
            norm.labelled
            or norm.truncated
            or block.protected
            or block.kind is Kind.TABLE_CELL
            or not config.min_chars < len(block.text) <= _OPENING_MAX
        ):
            continue
        m = _NAMED.match(block.text)
        if m is None:
            continue
        rest = normalize(block.text[m.end() :])
        if len(rest.key.split()) >= _OPENING_WORDS and len(rest.key) >= config.min_chars:
            found.append((i, rest))
    if not found:
        return list(norms)
    starts: dict[str, list[str]] = {}
    for b, n in zip(blocks, norms, strict=True):
        words = n.key.split(maxsplit=_OPENING_WORDS)
        if len(words) > _OPENING_WORDS and b.kind is not Kind.QUOTE:
            starts.setdefault(" ".join(words[:_OPENING_WORDS]), []).append(n.key)
    out = list(norms)
    for i, rest in found:
        words = rest.key.split()
        head = " ".join(words[:_OPENING_WORDS])
        if any(
            k.startswith(rest.key + " ") and len(k.split()) >= _OPENED * len(words)
            for k in starts.get(head, ())
        ):
            out[i] = rest._replace(labelled=True, truncated=True)
    return out


# ---------------------------------------------------------------- ranks written in the text

# A rank a list writes before its entry's text: "3 Title", "3. Title", "3.- Title", "(3)
# Title", "#3 Title", or glued to it ("3Title", as an extractor joins a number's span).
_RANK = re.compile(r"^\s*[#(]?(\d{1,3})(?:\s*[.)\-–—:]+\s*|\s+|(?=[^\W\d_]))(?=\S)")
# Consecutive entries ranked one by one that make a ranked list, at least; an entry is a
# title, not a clause of a text.
RANK_RUN = 3
_RANKED_MAX = 200


def ranked_entries(blocks: Sequence[Block], norms: Sequence[Normalized]) -> list[Normalized]:
    """The matching forms, with the entries of a list that writes its ranks in its text
    given keys without them: the same story in two such lists ("most read", "most
    commented") is one line said twice, whatever its rank, since the rank is the list's
    order, not the story's. A run of ``RANK_RUN`` consecutive lines whose numbers go up
    one by one is such a list ("1 ...", "2 ...", "3 ..."); a lone number is the text's own
    ("3 dead in floods"). The rank is set aside as a number that no other line holds, so
    an entry is a copy only of another list's entry, and two entries of one list (a step of
    a method done twice) keep their ranks."""
    ranks: list[int | None] = []
    for block, norm in zip(blocks, norms, strict=True):
        m = None
        # (a line led in by a slide's counter, "1 of 4 ...", is a labelled copy already)
        if (
            block.kind in _RANKABLE
            and norm.key
            and not norm.labelled
            and len(block.text) <= _RANKED_MAX
        ):
            m = _RANK.match(block.text)
        ranks.append(int(m.group(1)) if m else None)
    runs: list[dict[int, str]] = []
    start = 0
    while start < len(ranks):
        end = start + 1
        if ranks[start] is not None:
            while end < len(ranks) and ranks[end] == ranks[end - 1] + 1:  # type: ignore[operator]
                end += 1
        if end - start >= RANK_RUN:
            run = {i: fold(_RANK.sub("", blocks[i].text, count=1)) for i in range(start, end)}
            said = Counter(run.values())
            runs.append({i: key for i, key in run.items() if key and said[key] == 1})
        start = end
    # Only entries another list ranks too lose their rank: an entry of one list alone
    # keeps its key, so a copy of it anywhere else is found as before.
    lists = Counter(key for run in runs for key in set(run.values()))
    out = list(norms)
    for run in runs:
        for i, key in run.items():
            if lists[key] > 1:
                out[i] = norms[i]._replace(key=f"{_RANK_MARK} {key}")
    return out


_RANKABLE = frozenset((Kind.LIST_ITEM, Kind.PARAGRAPH, Kind.HEADING))
# What stands for a rank set aside: a number, so that the entry lies inside no other line's
# words ("numbers" the kept line lacks) and no line without it is its near copy.
_RANK_MARK = "0"


# ---------------------------------------------------------------- the headline with a name

# What joins a site's or a section's name to a headline: "Title | Site", "Title - Site",
# "Site » Title", "Opinion: Title", "Title｜Site", "Title_Channel_Site". A hyphen or slash
# counts only with spaces around it.
_TITLE_SEPARATOR = re.compile(r"\s*(?:[|·•»«›‹｜_：]|::)\s*|\s+[-–—~/>]\s+|:\s+")
_EDGE = 12  # characters of a key's ends that index it, at most
_TITLED_MAX = 300  # a headline with a name joined on is a line, not a paragraph
_NAME_MAX = 48
_NAME_WORDS = 6


def headline_copies(
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    groups: dict[str, list[int]],
    config: Config,
    firsts: Sequence[int] = (0,),
    absent: Container[int] = (),
) -> dict[int, tuple[int, str]]:
    """Blocks that are the headline with a name joined on: index -> (headline, its key).

    A scraper that keeps the page's title ("Title | The Daily News") beside its headline
    writes the headline twice; the longer copy adds only the site's name, so it neither
    lies inside the headline nor is near enough to it. The headline is a heading; in plain
    text and Markdown, which may have none, the first block may be it too, or the titled
    copy (in HTML the first block is as often a date or a menu). ``firsts`` are the blocks
    read as the first: the first block, and when the blocks before it go, the first that
    stays (the first block of the cleaned text). The headlines are read on the page
    without the blocks ``absent`` from it: a headline that goes (a teaser cut short, a
    copy of another line) is no headline of the cleaned page, and a line with its words
    and a name is no titled copy there.
    """
    titles, first_keys = _headlines(blocks, norms, config, firsts)
    if not titles:
        return {}
    pairs = _titled_keys(groups, titles)
    for first in first_keys:
        words = first.split()
        # (a name after it, before it, or both: "Title: Headline | Site", a reader's header)
        for a in range(_NAME_WORDS + 1):
            for b in range(_NAME_WORDS + 1 - a):
                if 0 < a + b < len(words) and (t := " ".join(words[a : len(words) - b])) in groups:
                    pairs.append((first, t))
    leading = set(firsts) if first_keys else set()
    out: dict[int, tuple[int, str]] = {}
    for longer, shorter in pairs:
        for x in groups[longer]:
            if x in out:
                continue
            y = next(
                (
                    y
                    for y in groups[shorter]
                    if y != x
                    and y not in absent
                    and (blocks[y].kind is Kind.HEADING or y in leading or x in leading)
                ),
                None,
            )
            if y is not None and (
                _joined_name(blocks[x].text, shorter)
                or (
                    blocks[y].tag == "h1"
                    and (_path_before(blocks[x], shorter) or _badged(blocks[x], shorter))
                )
            ):
                out[x] = (y, shorter)
    return out


def _headlines(
    blocks: Sequence[Block], norms: Sequence[Normalized], config: Config, firsts: Sequence[int]
) -> tuple[set[str], list[str]]:
    """The keys of the headings that may be a headline, and the keys of the first blocks
    when they may be one too (text and Markdown blocks have spans; HTML blocks have none)."""
    floor = config.min_chars
    titles = {
        n.key
        for b, n in zip(blocks, norms, strict=True)
        if b.kind is Kind.HEADING and floor <= weighed_length(n.key) and len(n.key) <= _TITLED_MAX
    }
    if not norms or blocks[0].start is None:
        return titles, []
    first_keys = [
        norms[i].key
        for i in firsts
        if floor <= weighed_length(norms[i].key) and len(norms[i].key) <= _TITLED_MAX
    ]
    titles.update(first_keys)
    return titles, first_keys


def _titled_keys(groups: Iterable[str], titles: set[str]) -> list[tuple[str, str]]:
    """(key, headline) for every key that is a headline with a few words joined on.

    A key that starts or ends like a headline's, and is longer: the headline with words
    joined on, if those words are few. The ends only filter; the words dropped one by one
    find the headline (a bucket of many headlines alike stays linear).
    """
    edge = min(_EDGE, *map(len, titles))  # (a Chinese headline may be seven characters)
    starts = {t[:edge] for t in titles}
    ends = {t[-edge:] for t in titles}
    pairs: list[tuple[str, str]] = []
    for key in groups:
        after, before = key[:edge] in starts, key[-edge:] in ends
        # (or after one short word: a logo's letters, "sc title the courier")
        second = key.find(" ") + 1
        initials = 0 < second <= _INITIALS + 1 and key[second : second + edge] in starts
        if not (after or before or initials) or len(key) > _TITLED_MAX:
            continue
        words = key.split()
        for k in range(1, min(_NAME_WORDS, len(words) - 1) + 1):
            if after and (t := " ".join(words[:-k])) in titles:
                pairs.append((key, t))
            if before and (t := " ".join(words[k:])) in titles:
                pairs.append((key, t))
            if initials and (t := " ".join(words[1:-k])) in titles:
                pairs.append((key, t))
    return pairs


_INITIALS = 4


def _path_before(block: Block, title: str) -> bool:
    """Whether a line of page furniture is a path of a few names before the page's
    headline (its ``<h1>``) whose separators the stylesheet draws ("Home Culture Title":
    a breadcrumb)."""
    return block.furniture and fold(block.text).endswith(" " + title)


def _joined_name(text: str, title: str) -> bool:
    """Whether ``text`` is a line that one of its separators splits into a part that folds
    to ``title`` and a short name (or a short path of names), or ``title`` with a stamp."""
    if len(text) > _TITLED_MAX:
        return False
    if _stamped(text, title):
        return True
    # The name after the headline or before it, at any separator (a headline may hold one
    # itself): "Title | Site", "Opinion: Title", and a path of names, "Home » Section »
    # Title" (a breadcrumb), "Title | Section | Site".
    for sep in _TITLE_SEPARATOR.finditer(text):
        before, after = text[: sep.start()], text[sep.end() :]
        for part, name in ((before, after), (after, before)):
            if (
                name.strip()
                and len(name) <= _NAME_MAX
                and len(fold(name).split()) <= _NAME_WORDS
                and title
                in (
                    fold(part),
                    fold(_LEAD_LABEL.sub("", part)),
                    _after_initials(part),
                    fold(_KICKER.sub("", part)),
                )
            ):
                return True
    return False


# A kicker in brackets before a headline: "[단독]", "【独家】", "(LEAD)", "[VIDEO]".
_KICKER = re.compile(r"^\s*[\[【(（][^\]】)）]{1,12}[\]】)）]\s*")


def _after_initials(part: str) -> str:
    """What follows a logo's letters at the start of a line, folded ("SC Title" is
    "title"), or "" when it starts with none: a word of two to four capitals."""
    first, _, rest = part.strip().partition(" ")
    if 2 <= len(first) <= 4 and first.isalpha() and first.isupper() and rest:
        return fold(rest)
    return ""


def _badged(block: Block, title: str) -> bool:
    """Whether ``block`` is the page's headline with a word or two of letters beside it,
    no separator: a live blog's sticky bar, "LIVE Title", "SON DAKİKA TITLE" (the badge
    is an element of its own); or three before it, a reading bar's ("Binabasa mo ngayon
    Title"), but for a caption's ("Video of Title": what the picture shows)."""
    key = fold(block.text)
    most = _BADGE_WORDS
    if key.startswith(title + " "):
        word = key[len(title) :].strip()
    elif key.endswith(" " + title):
        word = key[: -len(title)].strip()
        most += block.kind is not Kind.CAPTION
    else:
        return False
    # (a number is a rank or a count, "8 Title", "Title 2": no badge)
    return (
        word.count(" ") < most
        and len(word) <= _NAME_MAX
        and any(c.isalpha() for c in word)
        and not any(c.isdigit() for c in word)
    )


_BADGE_WORDS = 2


def _stamped(text: str, title: str) -> bool:
    """Whether ``text`` is the headline with a time or a date joined on, no separator
    needed: "17:27 GMT Title", "12 May 2022 Title", "Title 08/01/2014" (a ticker's or a
    list's teaser of it)."""
    key = fold(text)
    if key.startswith(title + " "):
        rest = key[len(title) :]
    elif key.endswith(" " + title):
        rest = key[: -len(title)]
    else:
        return False
    words = rest.split()
    if not 0 < len(words) <= _STAMP_NAME_WORDS:
        return False
    # A time or a date ("17:27", "30.10.2021", "12 May 2022"), not a rank or a list's
    # number ("8 Title", "13.- Title"): those are content of a list of their own.
    raw = text.casefold()
    numbers = sum(1 for w in words if _DIGIT.search(w))
    if key.startswith(title + " ") and _MEASURE.fullmatch(rest.strip()):
        return True  # how long it takes or how much it holds: "Title 5 Min", "Title 12 photos"
    return bool(_TIME_OR_DATE.search(raw)) or (numbers >= 2 and numbers * 2 >= len(words))


_STAMP_NAME_WORDS = 6  # "2024/05/15 12:30" folds to five
# A measure after a title: a number and a unit or a word for what is counted, one or two
# short words ("5 min", "3 min read", "12 fotos"); a number alone goes on with the title.
_MEASURE = re.compile(r"\d+ [^\W\d_]{1,8}(?: [^\W\d_]{1,8})?")
_TIME_OR_DATE = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b")


# ---------------------------------------------------------------- repeats that are content


def removable(block: Block, keeper: Block, config: Config, pictures: bool = True) -> bool:
    """Whether a copy may go for its keeper: not when the repeat is content.

    ``pictures`` says whether the output shows the pictures (HTML): there the same caption
    or alt text under two different pictures is one under each; in text, where the
    pictures are gone, it is a repeat like any other.
    """
    if block.kind is Kind.TABLE_CELL and not config.remove_table_cells:
        return False  # a table loses its shape when one cell goes
    if block.protected and not _says_again_outside(block, keeper):
        return False  # a quiz's or a form's repeats are its own
    if pictures and block.attr is not None and keeper.attr is not None:
        return False  # two images with the same alt text are two images
    if _links_apart(block, keeper):
        return False
    if block.comment != keeper.comment and _a_phrase(block.text):
        return False  # a reader quoting the article, or the article a reader
    if pictures and block.kind is Kind.CAPTION and keeper.kind is Kind.CAPTION:
        return not different_pictures(block, keeper)
    if (
        block.kind is Kind.QUOTE
        and keeper.kind is not Kind.QUOTE
        and block.around is not None
        and fold(keeper.text) not in block.around
    ):
        # A quote whose twin stands outside what it is part of quotes another post: a
        # reply quoting an earlier comment (a pulled sentence stands in its own article).
        return False
    if block.kind is Kind.QUOTE and keeper.kind is Kind.QUOTE:
        # The attribution line of two embedded posts ("— Name (@handle) date") repeats
        # when one account posts twice; the posts differ, so the lines are content.
        return not _different_posts(block, keeper)
    return True


def _a_phrase(text: str) -> bool:
    """Whether a text says something (``PHRASE_WORDS`` words or more), not a button's or
    a menu's label ("ProfileFollowUnfollow", "Reply")."""
    return sum(map(word_count, WORD.findall(text))) >= PHRASE_WORDS


PHRASE_WORDS = 4


def _links_apart(block: Block, keeper: Block) -> bool:
    """Two links to different pages whose words are not the same: two items ("Best of the
    Region" and "Best of the Region 2019: Pizza", a book's title and its game's
    "Creator: Title"), not a copy and its fuller twin."""
    if block.target is None or keeper.target is None or block.target == keeper.target:
        return False
    ours, theirs = page_ids(block.target), page_ids(keeper.target)
    return bool(ours and theirs and not ours & theirs) and fold(block.text) != fold(keeper.text)


@lru_cache(maxsize=4096)
def page_ids(path: str) -> frozenset[str]:
    """What names the page a link leads to, whatever else its path says: the long numbers
    in it that are no dates (a story's id: "/Main/3/all/20131217/59590980/3" and
    "/PopularClick/.../59590980/3" lead to one story) and its last word-bearing part,
    without an extension ("/2019/05/slug.html", "/amp/slug")."""
    parts = [unquote(p) for p in path.lower().split("/") if p]
    ids = {n for n in _LONG_NUMBER.findall(path) if not _DATE_NUMBER.fullmatch(n)}
    for part in reversed(parts):
        slug = _EXTENSION.sub("", part)
        if slug and not slug.isdigit() and slug not in _GENERIC_PAGES:
            ids.add(slug)
            break
    return frozenset(ids)


_LONG_NUMBER = re.compile(r"(?<!\d)\d{6,}(?!\d)")
_DATE_NUMBER = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cms)$")
_GENERIC_PAGES = frozenset(("index", "default", "amp", "article", "story", "view", "all", "post"))


def _says_again_outside(block: Block, keeper: Block) -> bool:
    """Whether a line of a form says what stands outside it: help text repeated in two
    forms (a sign-in and a newsletter box) is no one form's own, and a form that shows the
    article's headline and standfirst (an "email this story" preview) repeats the page. A
    quiz's lines are always its own."""
    if block.form is None:
        return False
    return keeper.form is None or keeper.form != block.form


def _different_posts(a: Block, b: Block) -> bool:
    """Two blocks inside two separate embedded posts whose whole texts differ."""
    if a.post is None or b.post is None or a.post == b.post:
        return False
    return fold(a.post_text or "") != fold(b.post_text or "")


def said_more_by(block: Block, keeper: Block) -> bool:
    """Whether a block kept for its rank may still go for a keeper ranked after it that
    holds it and says more (a related headline and the same headline with its standfirst,
    "Title" and "(LEAD) Title"): not the page's ``<h1>``, nor the article's own text for
    page furniture, nor a paragraph of the article for a list item or a caption that goes
    on from it (a lede in a share box with the next sentence cut), nor a heading for its
    numbered entry in a table of contents ("3 Title": the number is the entry's place)."""
    if block.tag == "h1" or (keeper.furniture and not block.furniture):
        return False  # (the page's headline stays where it is)
    if block.kind is Kind.PARAGRAPH and not block.furniture and keeper.kind is not Kind.PARAGRAPH:
        return False
    key, fuller = fold(block.text), fold(keeper.text)
    at = fuller.find(key)
    return at < 0 or not fuller[:at].strip().isdigit() or bool(fuller[at + len(key) :].strip())


def captions_under_several_pictures(
    blocks: Sequence[Block], groups: Iterable[list[int]]
) -> set[int]:
    """Captions whose exact text stands under two separate pictures.

    The same credit or series label under different photos is content: none of those
    copies is removed, whatever else it resembles. A caption is a block of that kind or
    any block inside a ``<figure>`` (a credit line written as a paragraph, in a language
    whose credit labels are not known): the blocks that have a ``picture``.
    """
    out: set[int] = set()
    for group in groups:
        if len(group) < 2:
            continue
        # The first copy under each picture stays; a second copy under the same picture
        # (a mobile twin) is an echo like any other. A region is apart from those seen when
        # neither it nor an ancestor of it is one of them, and it holds none of them (is
        # none of their ancestors): linear in the copies, for a gallery of hundreds of
        # photos with one credit.
        regions: set[str] = set()
        holders: set[str] = set()
        files: set[str] = set()
        firsts: list[int] = []
        for i in group:
            region, shown = blocks[i].picture, blocks[i].picture_files
            if region is None or region in holders or files.intersection(shown):
                continue
            lineage = _lineage(region)
            if any(r in regions for r in lineage):
                continue
            regions.add(region)
            holders.update(lineage[1:])
            files.update(shown)
            firsts.append(i)
        if len(regions) > 1:
            out.update(firsts)
    return out


def _lineage(path: str) -> list[str]:
    """A region's path and the paths of its ancestors, nearest first."""
    out = [path]
    while (cut := path.rfind("/")) > 0:
        path = path[:cut]
        out.append(path)
    return out


def one_photo_captions(a: Block, b: Block, key: str, kept: str) -> float | None:
    """The share of words two captions of one photo say alike, when they say the same
    caption and differ only in what ends it, a credit or an aside in shapes no rule reads
    ("... की ट्रेन। - फाइल फोटो" and "फोटो: ... की ट्रेन (अमर उजाला)"): the same first
    ``CAPTION_WORDS`` words or more, and ``TAIL_WORDS`` at most after them; None
    otherwise. Under two photos, or outside captions, words alike are no such sign."""
    if (
        a.kind is not Kind.CAPTION
        or b.kind is not Kind.CAPTION
        or a.picture is None
        or b.picture is None
        or not set(a.picture_files) & set(b.picture_files)
    ):
        return None
    ours, theirs = key.split(), kept.split()
    same = len(commonprefix((ours, theirs)))
    if same < CAPTION_WORDS or len(ours) - same > TAIL_WORDS or len(theirs) - same > TAIL_WORDS:
        return None
    return same / max(len(ours), len(theirs))


TAIL_WORDS = 4


def different_pictures(a: Block, b: Block) -> bool:
    """Whether two blocks stand under two different pictures: two picture regions, neither
    of which is or holds the other, that show no file in common (a mobile and a desktop
    figure of one photo are one picture)."""
    if a.picture is None or b.picture is None or a.picture == b.picture:
        return False
    if b.picture.startswith(a.picture + "/") or a.picture.startswith(b.picture + "/"):
        return False
    return not set(a.picture_files) & set(b.picture_files)


def short_twins(blocks: Sequence[Block], config: Config) -> tuple[list[Removal], list[Removal]]:
    """Captions too short to match anywhere that repeat a caption: (text, HTML) removals.

    The minimum length protects one-word furniture repeated across a page ("Share"), not a
    line said twice about one photo: a caption and its mobile twin in one figure (or two
    figures of one photo file), a credit printed in the caption and again beside the image.
    In text, where the pictures are gone, the same short caption or credit under another
    photo is a repeat too, and so is a credit line standing apart from any picture region
    ("Image: Amazon.co.jp" in a product box). Of two such lines with the same words the
    longer stays (it may carry the credit), and a copy never goes for a twin with another
    credit.
    """
    shown: dict[str, list[Block]] = {}
    for b in blocks:
        if (
            (b.picture is None and not _PICTURE_CREDIT.match(b.text))
            or b.kind is Kind.ALT
            or b.protected
            or b.kind is Kind.TABLE_CELL
            or len(b.text) > 4 * config.min_chars  # (a long credit leaves a short key)
        ):
            continue
        key = normalize(b.text).key or fold(b.text)
        if 1 < len(key) and weighed_length(key) < config.min_chars:
            shown.setdefault(key, []).append(b)
    groups = [
        sorted(group, key=lambda g: (-len(g.text.strip()), g.index))
        for group in shown.values()
        if len(group) > 1
    ]
    if not groups:
        return [], []
    credits = {b.index: credit_of(b.text) for group in groups for b in group}
    return _twins(groups, credits, pictures=False), _twins(groups, credits, pictures=True)


def labelled_credit(block: Block, norm: Normalized) -> bool:
    """Whether a line whose photo label was read as a caption's ("Foto: Elin Hägglund /
    NLN") is a credit line: a label and a name, nothing more, as ``_PICTURE_CREDIT``
    reads one."""
    return (
        norm.labelled
        and not norm.credited
        and len(block.text) <= _CREDIT_LINE_CHARS
        and _PICTURE_CREDIT.match(block.text) is not None
        and not _SENTENCE_END.search(block.text.strip()[:-1])
    )


_CREDIT_LINE_CHARS = 80
_SENTENCE_END = re.compile(r"[.!?]\s")


# A line that credits a picture: "Image: Amazon.co.jp", "Photo: AP", "© Reuters".
_PICTURE_CREDIT = re.compile(
    r"^\s*(?:(?:image|photo|picture)\s+credit|photo(?:graph)?s?|fotos?|images?|pictures?|bild"
    # (the word for "photo" in more languages and scripts: "Ảnh: Lê Ngọc Trâm")
    rf"|credit|{PHOTO_LABELS}|{COLON_LABELS})\s*[:|：]\s*\S|^\s*©\s*\S",
    re.IGNORECASE,
)


def _twins(groups: list[list[Block]], credits: dict[int, str], pictures: bool) -> list[Removal]:
    """Each group's copies that go for a kept twin (``short_twins``)."""
    out: list[Removal] = []
    for group in groups:
        kept: list[Block] = []
        for b in group:
            twin = next(
                (
                    k
                    for k in kept
                    if not (pictures and different_pictures(b, k))
                    # (in the page, a credit line under no picture region goes only for
                    # another such line: it may stand under a picture its markup does
                    # not hold, and a caption's copy is no copy of it there)
                    and not (pictures and (b.picture is None) != (k.picture is None))
                    and credits[b.index] in ("", credits[k.index])
                ),
                None,
            )
            if twin is None:
                kept.append(b)
            else:
                out.append(Removal(b.index, twin.index, 1.0, Reason.EXACT, b.kind, b.text))
    return out


def repeats_that_are_structure(
    blocks: Sequence[Block], groups: Iterable[list[int]], linked: set[int], config: Config
) -> set[int]:
    """Exact copies that are the frame of the page's content, not echoes of it: they stay.

    - A frame: three or more lines repeated the same number of times (three or more), in
      the same order, with a line of text of its own (long, and like no other line)
      between each of them every time: the questions of an interview put to several
      people (each question, then that person's answer). A newsletter box pasted three
      times is no frame (its lines stand together), nor is a widget or a menu printed three
      times (between its lines stand repeats and short labels).
    - A question asked three times or more, each time answered by a line of its own: the
      one question put to several people; a question repeated with its answer (a page
      printed twice) is a repeat, and so is a teaser that asks, printed twice.

    Stamps repeated under different items stay too, decided once the plan is made
    (``stamps_that_stay``).
    """
    repeated = [g for g in groups if len(g) > 1]
    questions = [
        g
        for g in repeated
        if _QUESTION.search(blocks[g[0]].text)
        and (len(g) >= _FRAME_COPIES or (len(g) == 2 and _asked_in_the_text(blocks, g)))
    ]
    # A speaker's label before each of their turns ("Dr Sami Haddad (health minister):"):
    # a line that ends with a colon, each time followed by words of its own.
    questions += [
        g for g in repeated if _SPEAKER.search(blocks[g[0]].text) and _asked_in_the_text(blocks, g)
    ]
    by_count: dict[int, list[list[int]]] = {}
    for g in repeated:
        by_count.setdefault(len(g), []).append(g)
    frames_of = [
        same
        for count, same in by_count.items()
        if count >= _FRAME_COPIES and _FRAME_LINES <= len(same) <= _FRAME_GROUPS
    ]
    out: set[int] = (
        _entries_of_lists(blocks, repeated)
        | _refrains(blocks, repeated, linked)
        | _quoted_replies(blocks, repeated)
        | _answers_to_questions(blocks, repeated)
    )
    if not frames_of and not questions:
        return out
    # Lines said once that nothing can remove (long, and like no other line): what a
    # frame holds between its lines. Only such lines, so that cleaning the cleaned text
    # finds the same.
    own = [len(fold(b.text)) >= config.min_chars and b.index not in linked for b in blocks]
    for g in questions:
        if all(
            _answered(i, own, g[x + 1] if x + 1 < len(g) else len(blocks)) for x, i in enumerate(g)
        ):
            out.update(g)
    for same in frames_of:
        frames = DisjointSet(range(len(same)))
        for x, a in enumerate(same):
            for y in range(x + 1, len(same)):
                b = same[y]
                first, then = (a, b) if a[0] < b[0] else (b, a)
                if _interleaved(first, then, own):
                    frames.union(x, y)
        for frame in frames.groups():
            if len(frame) >= _FRAME_LINES:
                lines = [same[x] for x in frame]
                out.update(i for g in lines for i in g)
                out.update(_sections_own(blocks, lines, repeated))
    return out


# A line that ends with a colon: a label of what follows it.
_SPEAKER = re.compile(r"[:：]\s*$")


def _asked_in_the_text(blocks: Sequence[Block], g: list[int]) -> bool:
    """Whether a question asked twice (or a speaker's label) is said in the article's
    text each time, and answered at length right after (a longer paragraph): two
    readers asking the same thing of a live Q&A, a minister's turns in a transcript. A
    teaser that asks, listed twice, is an entry or a link, and the line after it another
    teaser."""
    for i in g:
        b = blocks[i]
        if b.kind is not Kind.PARAGRAPH or b.furniture or b.target is not None:
            return False
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            after is None
            or after.kind is not Kind.PARAGRAPH
            or after.furniture
            or after.target is not None
            or len(after.text) <= len(b.text)
        ):
            return False
    return True


def _sections_own(
    blocks: Sequence[Block], frame: list[list[int]], repeated: list[list[int]]
) -> set[int]:
    """Lines a frame's sections each say for themselves: a line repeated word for word
    in two or more sections of the frame (each section runs from one copy of its first
    line to the next; the last as far as the longest of the others), once in each, like the "Vote for Olga on the last page!" that
    closes the interview of each of two people named Olga. A paragraph, not a caption or
    a credit (in text those are said once, whatever picture they stood under)."""
    starts = min(frame, key=lambda g: g[0])
    last = max(i for g in frame for i in g)
    end = last + max(b - a for a, b in zip(starts, starts[1:], strict=False))
    inside = {i for g in frame for i in g}
    out: set[int] = set()
    for g in repeated:
        within = [i for i in g if starts[0] < i < end]
        if len(within) < 2 or g[0] in inside:
            continue
        if any(
            blocks[i].kind is not Kind.PARAGRAPH
            or blocks[i].picture is not None
            or blocks[i].attr is not None
            for i in within
        ):
            continue
        sections = {bisect.bisect_right(starts, i) for i in within}
        if len(sections) == len(within) and not normalize(blocks[g[0]].text).credited:
            out.update(within)  # (a copy outside the frame is a repeat like any other)
    return out


def _entries_of_lists(blocks: Sequence[Block], repeated: list[list[int]]) -> set[int]:
    """Entries each of two or more lists of the article says for itself: the same
    ingredient in a recipe's "for the sauce" and "to finish" lists, the same answers under
    each question of a poll, the same warranty line in each product's section of a test. A
    list belongs to the section of the heading above it (the article's text between them
    included; a heading that the line beside it says too heads no section) and to its
    label ("Pros"); the lists must stand in different sections or under different labels
    (a list printed twice stands under its heading twice) and be the article's, of things
    said, not of links (lists of stories, "most read" and "latest", repeat headlines that
    are said once). Entries of a table of contents, which lead to the page's own sections,
    stay as well, and so do the steps a list says again (``_steps_said_again``)."""
    out: set[int] = {
        i
        for g in repeated
        if any(blocks[j].kind is Kind.HEADING for j in g)
        for i in g
        if blocks[i].anchor
    }
    # entry -> its section's heading and its list's label ("Pros" under each product)
    runs: dict[int, tuple[int, int]] = {}
    heading = label = -1
    for b in blocks:
        if b.kind is Kind.HEADING:
            heading, label = b.index, -1
        elif _labels_a_list(blocks, b):
            label = b.index
        elif b.kind is Kind.LIST_ITEM and not b.furniture and not b.link:
            if heading >= 0 or label >= 0:
                runs[b.index] = (heading, label)
        elif b.furniture:
            heading = label = -1  # (the page's furniture ends the section)
    out |= _steps_said_again(blocks, repeated)
    if len(set(runs.values())) < 2:
        return out
    # A teaser's title said again by the line beside it ("Full article Title") heads no
    # section of the article.
    teasers = {h for h, _ in set(runs.values()) if h >= 0 and _said_beside(blocks, h)}
    runs = {i: h for i, h in runs.items() if h[0] not in teasers}
    for g in repeated:
        if not all(i in runs for i in g):
            continue
        lists = [runs[i] for i in g]
        titles = {" / ".join(fold(blocks[x].text) for x in section if x >= 0) for section in lists}
        if len(set(lists)) < len(g) or len(titles) < len(g):
            continue
        out.update(g)
    return out


def entries_apart_once_cleaned(
    blocks: Sequence[Block], groups: Iterable[list[int]], gone: Container[int]
) -> tuple[set[int], set[int]]:
    """The entries of lists ``repeats_that_are_structure`` keeps (``_entries_of_lists``),
    and those of them that stay entries of lists apart on the page read without the
    blocks ``gone``. A list's label or heading that goes (a copy of another line) labels
    no list in the cleaned page: there its entries stand under the label before, in one
    list, and are read as a repeat; so they are in the first clean too."""
    repeated = [g for g in groups if len(g) > 1]
    entries = _entries_of_lists(blocks, repeated)
    if not entries:
        return entries, entries
    kept = [b for b in blocks if b.index not in gone]
    if len(kept) == len(blocks):
        return entries, entries
    at = {b.index: n for n, b in enumerate(kept)}
    page = [replace(b, index=n) for n, b in enumerate(kept)]
    again = [[at[i] for i in g if i in at] for g in repeated]
    apart = _entries_of_lists(page, [g for g in again if len(g) > 1])
    return entries, {kept[n].index for n in apart}


def _labels_a_list(blocks: Sequence[Block], b: Block) -> bool:
    """A short line of the article right above a list, that no full stop ends: the list's
    own heading written as a paragraph ("For the sauce", "Para el alioli:")."""
    return (
        b.kind is Kind.PARAGRAPH
        and not b.furniture
        and b.index + 1 < len(blocks)
        and blocks[b.index + 1].kind is Kind.LIST_ITEM
        and len(b.text) <= _LIST_LABEL_CHARS
        and not b.text.rstrip().endswith((".", "!", "?", "。"))
    )


_LIST_LABEL_CHARS = 60


def _said_beside(blocks: Sequence[Block], i: int) -> bool:
    """Whether the block right before or after block ``i`` is mostly its words said
    again with a few more ("Full article Title"; not a paragraph that names it)."""
    key = fold(blocks[i].text)
    if not key:
        return False
    for j in (i - 1, i + 1):
        if 0 <= j < len(blocks):
            other = fold(blocks[j].text)
            if key in other and len(key) < len(other) <= len(key) * 5 // 3:
                return True
    return False


def _steps_said_again(blocks: Sequence[Block], repeated: list[list[int]]) -> set[int]:
    """Entries one list says again with other entries between: a recipe's step done twice
    ("Add 200 ml of coconut milk" as steps 5 and 7). The copies stand in one run of the
    article's entries, not links, with only entries said once between them; an entry
    printed twice in a row is a repeat, and so are the entries of a list said twice (or of
    two lists side by side), whose other entries repeat as well."""
    entry = [
        b.kind is Kind.LIST_ITEM and not b.furniture and not b.link and not b.anchor for b in blocks
    ]
    copies = {i for g in repeated for i in g}
    out: set[int] = set()
    for g in repeated:
        if not all(entry[i] for i in g):
            continue
        first, last = g[0], g[-1]
        between = [k for k in range(first + 1, last) if k not in g]
        if not all(entry[k] for k in between):
            continue  # (not one list: something else stands between)
        if any(k in copies for k in between):
            continue  # (a list said twice, or two lists: their other entries repeat too)
        if all(b - a > 1 for a, b in zip(g, g[1:], strict=False)):
            out.update(g)
    return out


def _answers_to_questions(blocks: Sequence[Block], repeated: list[list[int]]) -> set[int]:
    """Answers given to different questions: each copy right after a question said once,
    another each time (a poll's options under each of its questions, an FAQ's answer that
    two questions share); not titles of teasers that ask, in lists of links."""
    out: set[int] = set()
    said: Counter[str] = Counter()
    for g in repeated:
        asked = set()
        for i in g:
            k = _question_above(blocks, i)
            if k is None:
                break
            asked.add(fold(blocks[k].text))
        else:
            if not said:
                said.update(fold(b.text) for b in blocks)
            # (a question said twice is a list of teasers printed twice)
            if len(asked) == len(g) and all(said[q] == 1 for q in asked):
                out.update(g)
    return out


def _question_above(blocks: Sequence[Block], i: int) -> int | None:
    """The question block ``i`` answers: right above it, or above the short options listed
    before it ("Tak, kilka razy w tygodniu" under "Czy będziesz płacić ...?"); None when
    there is none, or when it or the question is a teaser's title."""
    if _a_title(blocks[i]):
        return None
    for k in range(i - 1, max(i - 1 - _OPTIONS, -1), -1):
        b = blocks[k]
        if _a_title(b):
            return None
        if _QUESTION.search(b.text.strip()):
            return k
        if len(b.text.split()) > _OPTION_WORDS:
            return None
    return None


# The options listed under one question before an answer said again, at most, and the
# words of an option.
_OPTIONS = 6
_OPTION_WORDS = 12


def _a_title(block: Block) -> bool:
    """A list's entry, a link whole or a line of the page's furniture: a teaser's title."""
    return block.kind is Kind.LIST_ITEM or block.target is not None or block.furniture


def _quoted_replies(blocks: Sequence[Block], repeated: list[list[int]]) -> set[int]:
    """Comments a reply quotes: a copy right after a short line that ends with a colon and
    names the one who wrote the first copy, as the short line right before that copy does
    ("ahmet_k yazdı:" of "ahmet_k · 3 saat önce", "Jane Doe wrote:" of "Jane Doe, 9:14"):
    the reader's words, quoted, as both copies stand."""
    out: set[int] = set()
    for g in repeated:
        if g[0] == 0:
            continue
        header = blocks[g[0] - 1].text
        author = _header_words(header)
        if not author:
            continue
        for i in g[1:]:
            lead = blocks[i - 1].text.strip()
            if (
                lead.endswith((":", "："))
                and fold(lead) != fold(header)  # (a form or a widget printed again)
                and author & _header_words(lead[:-1])
            ):
                out.update(g)
                break
    # The quoted comment's next lines, line after line as the first copy's ("The car park
    # has flooded ..., and" / "nobody at the council has ever explained ...").
    grown = bool(out)
    while grown:
        grown = False
        for g in repeated:
            if g[0] not in out and g[0] - 1 in out and any(i - 1 in out for i in g[1:]):
                out.update(g)
                grown = True
    return out


def _header_words(line: str) -> set[str]:
    """The words of a short line (a comment's header, a reply's lead-in), folded, that may
    name someone: three characters or more, not numbers."""
    words = line.split()
    if len(words) > _HEADER_WORDS:
        return set()
    return {w for w in (fold(x) for x in words) if len(w) >= 3 and not w.isdigit()}


_HEADER_WORDS = 8


def _refrains(blocks: Sequence[Block], repeated: list[list[int]], linked: set[int]) -> set[int]:
    """Verse said again as a refrain: a line or a stanza of short lines (``VERSE_CHARS``
    each; paragraphs, or the lines of a quoted song) repeated three times or more (a
    stanza of ``_CHORUS_LINES`` lines or more, twice: a chorus sung twice) among
    short lines of the article, with ``REFRAIN_OWN`` lines or more said once right before
    each copy (a stanza of its own). A line repeated among prose, or in a menu printed
    twice (whose lines between are repeats too), is no refrain."""
    if not any(
        blocks[g[0]].kind in _VERSE
        and (
            len(g) >= _FRAME_COPIES
            or _verse_lines(blocks[g[0]]) >= _chorus_lines(blocks[g[0]])
            or _sung_on(blocks, g)
        )
        for g in repeated
    ):
        return set()  # (no paragraph is said three times: most pages)
    lines = [_verse_lines(b) for b in blocks]
    if not any(lines):
        return set()
    said = Counter(b.text.strip().casefold() for b in blocks)
    # Lines of a stanza: said once, and a phrase, not a form's label ("Edición").
    own = [
        n
        if n
        and said[b.text.strip().casefold()] == 1
        and b.index not in linked  # (nothing removes it: cleaning again finds the same)
        and sum(map(word_count, WORD.findall(b.text))) >= 3
        else 0
        for n, b in zip(lines, blocks, strict=True)
    ]
    out: set[int] = set()
    as_often: dict[int, list[bool]] = {}  # copies -> lines said that many times
    for g in repeated:
        if not all(lines[i] for i in g):
            continue
        starts = [-1, *g[:-1]]  # (before the first copy, only its stanza is asked)
        # (a refrain's earlier lines, said as often as this one, stand between)
        if len(g) not in as_often:
            as_often[len(g)] = [
                bool(n) and said[b.text.strip().casefold()] == len(g)
                for n, b in zip(lines, blocks, strict=True)
            ]
        same = as_often[len(g)]
        # A chorus, a stanza of its own lines (in one block or one a line), may be sung
        # twice: a line alone, three times.
        if len(g) < _FRAME_COPIES and any(
            sum(lines[_refrain_start(same, i, p) : _refrain_end(same, i) + 1])
            < _chorus_lines(blocks[i])
            for p, i in zip(starts, g, strict=True)
        ):
            continue
        # A refrain that opens each stanza has its last one after its last copy.
        opens = _stanza_after(own, _refrain_end(same, g[-1])) > 0
        if all(
            _stanza_before(own, _refrain_start(same, i, p), p) >= REFRAIN_OWN or (p < 0 and opens)
            for p, i in zip(starts, g, strict=True)
        ) and all(lines[k] for p, i in zip(g, g[1:], strict=False) for k in range(p + 1, i)):
            out.update(g)
    return out


def _sung_on(blocks: Sequence[Block], g: list[int]) -> bool:
    """Whether the line after each copy is one line again: a stanza printed a line a
    block, said again."""
    after = {blocks[i + 1].text.strip() if i + 1 < len(blocks) else None for i in g}
    return len(after) == 1 and None not in after


def _verse_lines(block: Block) -> int:
    """How many short lines of verse a block is (``VERSE_CHARS`` each, its text's own lines
    or those its page broke it into), or 0 when it is no verse."""
    if block.kind not in _VERSE or block.furniture or block.picture is not None:
        return 0
    parts = block.text.strip().split("\n")
    if len(parts) >= block.lines:
        return len(parts) if all(0 < weighed_length(x.strip()) <= VERSE_CHARS for x in parts) else 0
    return block.lines if 0 < weighed_length(block.text) <= VERSE_CHARS * block.lines else 0


# The blocks a poem's lines are read as: paragraphs, or quotes (a song quoted whole).
_VERSE = frozenset((Kind.PARAGRAPH, Kind.QUOTE))


def _refrain_start(same: list[bool], i: int, since: int) -> int:
    """The first line of the refrain that block ``i`` ends: back over the lines before it
    that are said as often (after ``since``)."""
    while i - 1 > since and same[i - 1]:
        i -= 1
    return i


def _refrain_end(same: list[bool], i: int) -> int:
    """The last line of the refrain that block ``i`` begins: on over the lines after it
    that are said as often."""
    while i + 1 < len(same) and same[i + 1]:
        i += 1
    return i


def _stanza_after(own: list[int], i: int) -> int:
    """How many lines said once stand right after block ``i``."""
    count, k = 0, i + 1
    while k < len(own) and own[k]:
        count += own[k]
        k += 1
    return count


def _stanza_before(own: list[int], i: int, since: int) -> int:
    """How many lines said once stand right before block ``i`` (after ``since``)."""
    count, k = 0, i - 1
    while k > since and own[k]:
        count += own[k]
        k -= 1
    return count


VERSE_CHARS = 64
REFRAIN_OWN = 2


# Groups of one count compared pairwise for a frame, at most (a page of hundreds of
# repeated lines would cost a comparison per pair).
_FRAME_GROUPS = 64
# A frame repeats for three items or more: twice is as often the page printed twice (a
# desktop and a mobile copy of the article) as an interview of two.
_FRAME_COPIES = 3
# A chorus printed as a stanza of this many lines or more may be sung only twice.
_CHORUS_LINES = 3


def _chorus_lines(block: Block) -> int:
    """The lines a chorus sung only twice has at least: in a song quoted as such (a
    blockquote's stanzas), a couplet."""
    return _CHORUS_LINES - 1 if block.kind is Kind.QUOTE else _CHORUS_LINES


# ... of three lines or more: a widget's heading and its "by Taboola" around different
# advertisements each time are two.
_FRAME_LINES = 3
_STAMP_WORDS = 8
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")


def companions(
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    removals: Sequence[Removal],
    config: Config,
    pictures: bool = True,
) -> list[Removal]:
    """Short lines that go with the block beside them: a line too short to be matched on
    its own ("Anna Kowalska", "17H ago 50 photos") right before or after a block removed
    as its twin's copy word for word, whose twin has the same line at the same side (a
    near copy, a comment posted twice with an edit, is another item). An author box, a teaser with its
    date, a caption with its credit printed again go whole; the same short line beside
    different blocks stays. A line of one word stays ("Share"), and so do a menu's labels
    and what ``removable`` keeps. (``norms`` are the matching forms: a line too short to be
    matched has none, and none is part of a frame or a caption under several pictures.)"""
    gone = {r.index: r.duplicate_of for r in removals}
    if not gone:
        return []
    out: dict[int, tuple[int, Reason]] = {}  # line -> its kept twin, and why
    twins = set(gone.values())  # (the kept twins of removals stay)
    taken: set[int] = set()  # the kept twins of the lines found here
    for i in sorted(gone):
        kept = gone[i]
        for side in (-1, 1):
            c, twin = i + side, kept + side
            if not 0 <= c < len(blocks) or c in gone or c in out or c in twins or c in taken:
                continue
            line = blocks[c]
            if _attribution_of(line, blocks[i], blocks[kept]):
                out[c] = (kept, Reason.CONTAINED)  # (the story names the speaker)
                taken.add(kept)
                continue
            if not 0 <= twin < len(blocks) or twin in gone or twin in out:
                continue
            if not _an_item(norms[i].key) or norms[i].key != norms[kept].key:
                continue  # the item beside it is printed again word for word, or it stays
            if (
                long_enough(line, norms[c].key, config)
                # (a line as long as a stamp's item: a stamp's fate may hang on it)
                or len(fold(line.text)) >= config.min_chars
                or (line.furniture and line.kind is Kind.LIST_ITEM)
            ):
                continue  # a long line is matched on its own; a menu's labels stay
            key = normalize(line.text).key
            if len(WORD.findall(key)) < _COMPANION_WORDS or key != normalize(blocks[twin].text).key:
                continue
            if removable(line, blocks[twin], config, pictures):
                out[c] = (twin, Reason.EXACT)
                taken.add(twin)
    return [
        Removal(c, twin, 1.0, reason, blocks[c].kind, blocks[c].text)
        for c, (twin, reason) in sorted(out.items())
    ]


_COMPANION_WORDS = 2
# What a short line stands beside to go with it: an item of some words (a headline, a
# bio, a summary), not another short line (a "Follow" button, a commenter's name), whose
# repeats are no item printed again.
_ITEM_WORDS = 3
_ITEM_CHARS = 25


def _an_item(key: str) -> bool:
    return len(WORD.findall(key)) >= _ITEM_WORDS and weighed_length(key) >= _ITEM_CHARS


def _attribution_of(line: Block, quote: Block, story: Block) -> bool:
    """Whether ``line`` is the attribution of a removed pull quote beside it ("— Name,
    minister"), whose every word the story it was pulled from says: it goes with it."""
    if not (line.pull_quote and quote.pull_quote and line.kind is Kind.QUOTE):
        return False
    said = _ATTRIBUTION.match(line.text)
    words = set(fold(line.text).split())
    return said is not None and bool(words) and words <= set(fold(story.text).split())


def _names_an_item(block: Block) -> bool:
    """A heading of the article, however short, names what the lines under it are about
    (a product's name above its price): a stamp's item."""
    return block.kind is Kind.HEADING and not block.furniture and bool(block.text.strip())


def _items_own_line(
    blocks: Sequence[Block], g: list[int], said: Counter[str], absent: Container[int] = ()
) -> bool:
    """Whether each copy of a short paragraph stands under an item of its own, two
    different ones at least: a line that says where or by whom of each item ("Letní kino
    ve Smetanových sadech, Olomouc" under each screening, "umair haque in Eudaimonia and
    Co" under two of his stories' titles, a venue under each year of a timeline), a stamp
    without numbers (``_item_of``), as the cleaned page, without the lines ``absent``
    from it, reads it."""
    first = blocks[g[0]]
    if not _may_be_own_line(first):
        return False
    heads = set()
    for i in g:
        head = _item_of(blocks, i, said, absent)
        if head is None:
            return False
        heads.add(head)
    # (under the same heading again, a list printed twice: ``stamps_that_stay`` reads it)
    return len(heads) > 1


def _may_be_own_line(block: Block) -> bool:
    """A short paragraph under no picture: what may be an item's own line."""
    return (
        block.kind is Kind.PARAGRAPH
        and block.picture is None
        and len(block.text.split()) <= _STAMP_WORDS
    )


def _item_of(
    blocks: Sequence[Block], i: int, said: Counter[str], absent: Container[int] = ()
) -> str | None:
    """The item block ``i`` is a line of, folded: the heading of the article right above
    it, or right above the item's other short lines; or a year or a date right above it,
    said once on the page (a timeline's year, an event's day); None when it stands under
    none. The lines above are read as the cleaned page reads them, without the lines
    ``absent`` from it, so that cleaning it again finds the same: a heading removed as a
    copy of an earlier line is no item."""
    lines = 0
    for k in range(i - 1, -1, -1):
        if k in absent:
            continue
        b = blocks[k]
        if _names_an_item(b):
            return fold(b.text)
        text = fold(b.text)
        if not text or len(text.split()) > _STAMP_WORDS or b.furniture:
            return None
        if lines == 0 and said[text] == 1 and _a_date(b.text):
            return text
        lines += 1
        if lines == _ITEM_LINES:
            return None
    return None


def _a_date(text: str) -> bool:
    """Whether a short line is a year or a date and little else ("2016", "12.07.2024"): a
    timeline's or a calendar's item."""
    words = WORD.findall(text)
    numbers = sum(1 for w in words if _DIGIT.search(w))
    return numbers * 2 >= len(words) and bool(_YEAR.search(text) or _TIME_OR_DATE.search(text))


# The short lines of an item a line of it may stand under, after its heading ("Saturday 13
# July, 21.30" between an event's title and its venue), at most.
_ITEM_LINES = 2


def _is_stamp(block: Block) -> bool:
    if block.picture is not None or block.attr is not None or not _DIGIT.search(block.text):
        return False
    if block.furniture and block.kind is Kind.LIST_ITEM:
        return False  # a menu's entry ("Elections 2020") is a label, not a stamp
    words = WORD.findall(block.text)
    numbers = sum(1 for w in words if _DIGIT.search(w))
    if numbers == 1 and any(_YEAR.fullmatch(w) for w in words):
        return False  # a year alone dates a title ("Best tech gadgets of 2019"), no item
    count = sum(map(word_count, words))
    return count <= _STAMP_WORDS and numbers * 5 >= count


# A line that asks: it ends with a question mark (Latin, full-width, Arabic, Greek, which
# is a semicolon), before any closing quote or bracket.
_QUESTION = re.compile(r"[?？؟;;][\s\"'”’»)\]]*$")


def _answered(i: int, own: list[bool], until: int) -> bool:
    """Whether the block right after ``i`` (before ``until``) is a line of its own: an
    answer said once, not a repeat, a short option or a label."""
    return i + 1 < until and own[i + 1]


def stamps_that_stay(
    blocks: Sequence[Block],
    norms: Sequence[Normalized],
    groups: Iterable[list[int]],
    removals: Sequence[Removal],
    config: Config,
    pictures: bool = True,
    short: Sequence[Removal] = (),
) -> set[int]:
    """The copies of stamps that the plan ``removals`` removes and that stay.

    A stamp is a short line that is much about numbers (a time, a date, a reading time, a
    rating; a fifth of its words or more are numbers, and more than a year alone, which
    dates a title: "Best tech gadgets of 2019"; not a copyright line, nor a picture's text).
    Repeated under different items, it tells when or how much of each: the first copy
    under each item stays. Its item is the nearest long line or heading before it that
    stays (not a repeated stamp; long enough to be matched, its label aside, so that a
    line the plan keeps now and a later rule takes is no item), so that cleaning the
    cleaned text finds the same. A copy that comes right after a line removed as a copy,
    word for word, of the line an earlier copy comes after (the same teaser printed in two
    lists) goes with its item; so does one followed by the short label an earlier copy is
    followed by ("75 with 51 posters participating" over "reader comments", above the
    story and below it): one widget printed twice.

    An item's own line stays only where the cleaned page reads each of the copies that
    stay under an item of its own: a heading that goes (a credit line said twice, a
    heading printed again) is no item there. ``short`` are the lines too short to be
    matched that go as well, whatever the plan (``short_twins``).
    """
    groups = [g for g in groups if len(g) > 1]
    if not groups:
        return set()
    said: Counter[str] = Counter()  # (read once a copy may be an item's own line)

    def own_line(g: list[int]) -> bool:
        if not _may_be_own_line(blocks[g[0]]):
            return False
        if not said:
            said.update(fold(b.text) for b in blocks)
        return _items_own_line(blocks, g, said)

    repeated = [g for g in groups if _is_stamp(blocks[g[0]]) or own_line(g)]
    if not repeated:
        return set()
    gone = {r.index: r.duplicate_of for r in removals}
    copied = {r.index for r in removals if r.reason is Reason.EXACT}
    if not any(i in gone for g in repeated for i in g):
        return set()
    for r in short:
        gone.setdefault(r.index, r.duplicate_of)
    # A teaser cut with an ellipsis that a later rule takes for its full text is no item
    # either: the cleaned text reads the stamp under the item before it.
    for r in cut_teasers(blocks, removals, config, pictures):
        gone.setdefault(r.index, r.duplicate_of)
    copies = {i for g in repeated for i in g}
    long = [
        (len(norms[b.index].key) >= config.min_chars or _names_an_item(b)) and b.index not in copies
        for b in blocks
    ]

    def kept_of(i: int) -> int:
        while i in gone:
            i = gone[i]
        return i

    out: set[int] = set()
    for g in repeated:
        if normalize(blocks[g[0]].text).credited:
            continue
        items: dict[int, int] = {}
        teasers: set[int] = set()  # the kept lines earlier copies come right after
        labels: set[str] = set()  # the short labels right after earlier copies
        for i in g:
            right_after = _previous(i, long)
            if right_after in copied and kept_of(right_after) in teasers:
                continue  # its item printed again: it goes with it
            teasers.add(kept_of(right_after))
            label = _label_after(blocks, i, config, gone)
            if label in labels:
                continue  # a widget printed again ("75 comments" / "reader comments")
            if label is not None:
                labels.add(label)
            items.setdefault(_previous(i, long, gone), i)
        if len(items) > 1:  # the first copy under each item stays
            out.update(i for i in items.values() if i in gone)
    return _own_lines_read_again(blocks, repeated, gone, out, said) if said else out


def _own_lines_read_again(
    blocks: Sequence[Block],
    repeated: list[list[int]],
    gone: dict[int, int],
    out: set[int],
    said: Counter[str],
) -> set[int]:
    """``out`` without the copies of items' own lines that the cleaned page (without what
    goes but ``out``) would not read as such: there the copies that stay must each stand
    under an item, two at least, as ``_items_own_line`` reads the page (a heading that
    goes is no item), or cleaning it again removes them. Until no more are undone."""
    own = [g for g in repeated if not _is_stamp(blocks[g[0]])]
    while own and out:
        absent = {i for i in gone if i not in out}
        undone = []
        for g in own:
            stay = [i for i in g if i not in absent]
            if any(i in out for i in g) and len(stay) > 1:
                if not _items_own_line(blocks, stay, said, absent):
                    undone.append(g)
        if not undone:
            break
        for g in undone:
            out.difference_update(g)
        own = [g for g in own if g not in undone]
    return out


def _label_after(
    blocks: Sequence[Block], i: int, config: Config, gone: Container[int]
) -> str | None:
    """The line right after block ``i`` that stays (as the cleaned text reads it), folded,
    when it is a short label without a number (a button's, a heading's: "reader
    comments"); else None."""
    k = i + 1
    while k < len(blocks) and k in gone:
        k += 1
    if k < len(blocks):
        after = fold(blocks[k].text)
        if after and weighed_length(after) < config.min_chars and not _DIGIT.search(after):
            return after
    return None


def _previous(i: int, long: list[bool], gone: Container[int] = ()) -> int:
    """The nearest long line before ``i`` that is not ``gone`` (-1 when none): the item a
    stamp stands under."""
    for k in range(i - 1, -1, -1):
        if long[k] and k not in gone:
            return k
    return -1


def _interleaved(a: list[int], b: list[int], own: list[bool]) -> bool:
    """Whether a's copies and b's alternate (a, b, a, b...) with a line of text of its
    own between each copy and the next."""
    merged = sorted([*a, *b])
    expected = [*(x for pair in zip(a, b, strict=True) for x in pair)]
    if merged != expected:
        return False
    return all(
        any(own[k] for k in range(x + 1, y)) for x, y in zip(merged, merged[1:], strict=False)
    )


# The label a credit line starts with: "Photo:", "Image credit:", "Source:", "©", "By".
_CREDIT_LABEL = re.compile(
    r"^\s*(?:(?:(?:image|photo|picture)\s+)?(?:credits?|source)|photo(?:graph)?s?|fotos?|bild"
    r"|images?|pictures?|copyright|by)\s*[:,|]?\s*|^\s*[©(]\s*",
    re.IGNORECASE,
)
_CREDIT_NAME_CHARS = 8


def credit_lines_said_again(
    blocks: Sequence[Block], credited: list[int], removals: Sequence[Removal], pictures: bool
) -> list[Removal]:
    """The removals, and lines that are only a credit ("REUTERS/Jane Doe", "Image: ©
    TNG Collaboration") whose credit a kept caption carries at its end ("... Image credit:
    REUTERS/Jane Doe"), or a kept line of credits says ("Photo illustration by Slate. Photo
    by Jane Doe."): the credit is said there, and goes here, with the copies of the line
    that were removed for it. With ``pictures`` (HTML) only under the same picture."""
    gone = {r.index for r in removals}
    carried: list[tuple[str | frozenset[str], Block]] | None = None
    found: dict[int, Block] = {}  # credit line -> the caption that carries its credit
    used: set[int] = set()  # the captions lines go for
    for i in credited:
        block = blocks[i]
        if i in gone or i in used or block.kind is Kind.ALT:
            continue  # (a line another one goes for stays)
        raw = block.text.strip()
        name = _credit_name(raw)
        if len(name) < _CREDIT_NAME_CHARS or credit_of(raw):
            continue  # a line that says more than its credit is no credit line
        if carried is None:  # the credits kept captions end with (only credited ones have)
            carried = [
                (c, blocks[k])
                for k in credited
                if k not in gone
                and blocks[k].kind is not Kind.ALT
                and (c := _credits_carried(blocks[k].text))
            ]
        for credits, keeper in carried:
            if (
                keeper.index != i
                and keeper.index not in found
                and (f" {name} " in credits if isinstance(credits, str) else name in credits)
            ):
                if pictures and (keeper.picture is None or different_pictures(block, keeper)):
                    continue
                found[i] = keeper
                used.add(keeper.index)
                break
    if not found:
        return list(removals)
    out = [
        Removal(r.index, found[r.duplicate_of].index, 1.0, Reason.CONTAINED, r.kind, r.text)
        if r.duplicate_of in found  # a copy of the line goes for the caption too
        else r
        for r in removals
    ]
    out += [
        Removal(i, k.index, 1.0, Reason.CONTAINED, blocks[i].kind, blocks[i].text)
        for i, k in found.items()
    ]
    return sorted(out, key=lambda r: r.index)


def notices_said_again(
    blocks: Sequence[Block], removals: Sequence[Removal], pictures: bool
) -> list[Removal]:
    """The removals, and copyright notices whose words a longer notice that stays all says
    ("Copyright © 2023 KGO-TV. All Rights Reserved." in "Copyright © 2023 ABC, Inc.,
    KGO-TV San Francisco. All Rights Reserved."): a page's notice is said once, however
    its copies word it. A notice is a line of ``_NOTICE_CHARS`` at most with a © or the
    word "copyright", and says two words or more besides; of notices with the same words
    the first stays. With ``pictures`` (HTML) a notice under a picture stays: it is that
    photo's credit."""
    gone = {r.index for r in removals}
    notices = [
        (b, words)
        for b in blocks
        if b.index not in gone
        and len(b.text) <= _NOTICE_CHARS
        and b.kind is not Kind.ALT
        and b.kind is not Kind.TABLE_CELL
        and not b.protected
        and _a_notice(b.text)
        and len(words := frozenset(WORD.findall(fold(b.text))) - _NOTICE_WORDS) >= 2
    ]
    if len(notices) < 2:
        return list(removals)
    kept: list[tuple[Block, frozenset[str]]] = []
    out = list(removals)
    for b, words in sorted(notices, key=lambda n: (-len(n[1]), n[0].index)):
        twin = next((k for k, said in kept if words <= said), None)
        if twin is None or (pictures and b.picture is not None):
            kept.append((b, words))
        else:
            out.append(Removal(b.index, twin.index, 1.0, Reason.CONTAINED, b.kind, b.text))
    return sorted(out, key=lambda r: r.index)


_NOTICE = re.compile(r"©|\bcopyright\b", re.IGNORECASE)


def _a_notice(text: str) -> bool:
    """Whether ``_NOTICE`` finds a notice's mark in a text: looked for only in a text that
    holds its words (``caseless``: whatever the pattern matches, a substring test finds)."""
    return ("©" in text or "copyright" in caseless(text)) and bool(_NOTICE.search(text))


_NOTICE_WORDS = frozenset(("copyright", "c"))
_NOTICE_CHARS = 200


def _credits_carried(text: str) -> str | frozenset[str]:
    """What a line says of credits, folded: a caption's trailing credit (a name inside it
    is said there), or for a line that is only credits ("Photo illustration by Slate.
    Photo by Jane Doe."), the names its credits give one by one (only a whole one is said
    there: "Blue Origin" is not "Future/SpaceX/Blue Origin, Sierra Nevada")."""
    credit = credit_of(text)
    if credit:
        return f" {credit} "
    norm = normalize(text)
    if not norm.credited or norm.key != fold(text):
        return ""
    return frozenset(_credit_name(part) for part in _SENTENCES.split(text) if part.strip())


_SENTENCES = re.compile(r"(?<=[.;])\s+")


def bare_credits_said_again(
    blocks: Sequence[Block], credited: list[int], removals: Sequence[Removal], pictures: bool
) -> list[Removal]:
    """The removals, and lines in a picture's region that say only the name a credit line
    of that picture says after its label ("PA Media" of "Image source, PA Media"): the
    label tells that the name is a credit, which the bare line says again. With
    ``pictures`` (HTML) only under the same picture."""
    gone = {r.index for r in removals}
    names: dict[str, list[int]] = {}
    for i in credited:
        block = blocks[i]
        if i in gone or block.kind is Kind.ALT or block.picture is None:
            continue
        raw = block.text.strip()
        name = _credit_name(raw)
        if len(name) >= _CREDIT_NAME_CHARS and name != fold(raw):
            names.setdefault(name, []).append(i)
    if not names:
        return list(removals)
    said = set(credited)
    more = []
    for b in blocks:
        if b.index in gone or b.index in said or b.picture is None or b.kind is Kind.ALT:
            continue
        for k in names.get(fold(b.text), ()):
            if pictures and different_pictures(b, blocks[k]):
                continue
            more.append(Removal(b.index, k, 1.0, Reason.CONTAINED, b.kind, b.text))
            break
    return sorted([*removals, *more], key=lambda r: r.index) if more else list(removals)


def _credit_name(line: str) -> str:
    """A credit line's name, folded: what follows its labels ("Photo by", "Image: ©")."""
    name = line.strip()
    while (m := _CREDIT_LABEL.match(name)) and m.end() > 0:
        name = name[m.end() :]
    return fold(name)


def keep_credits(
    removals: list[Removal], blocks: Sequence[Block], pictures: bool = False
) -> list[Removal]:
    """The removals, changed so that none takes the last copy of a photo credit.

    A caption matches its twin with its trailing credit set aside ("Pleno del Comité.
    Foto: Estudios Revolución" is the headline "Pleno del Comité"), so its twin may lack the
    credit. When no kept block carries that credit, the credit is said once: an exact copy
    that may go itself goes instead, for the credited one (an uncredited mobile copy, a
    slideshow's text, a paragraph that a credited caption repeats); with ``pictures`` (HTML
    output) only when that copy stands under no other picture. Else, or when the twin is
    the headline, the first such caption stays beside it. The other copies go as before.
    In text (no ``pictures``) a caption that the story says, inside a longer block or as
    a block that is no caption, goes with its credit: the picture it named is gone.
    """
    kept: str | None = None
    restored: set[int] = set()
    swapped: dict[int, int] = {}  # the twin that goes -> the credited copy kept for it
    for r in removals:
        credit = credit_of(blocks[r.index].text)
        if not credit:
            continue
        if kept is None:
            gone = {x.index for x in removals}
            kept = " " + " ".join(fold(b.text) for b in blocks if b.index not in gone) + " "
        if f" {credit} " in kept or _name_said(blocks[r.index].text, credit, kept):
            continue
        twin = blocks[r.duplicate_of]
        if not pictures and r.reason is not Reason.EXACT and not _about_a_picture(twin):
            continue  # (in text the story says it: the caption goes, its credit with it)
        if (
            _headline_place(twin)
            and not _about_a_picture(blocks[r.index])
            and credit.split()[0] not in GENERIC_CREDIT
        ):
            continue  # the page's title with its site's name: "Title | AP News"
        if (
            not (
                pictures and twin.picture is not None and different_pictures(twin, blocks[r.index])
            )
            and r.reason is Reason.EXACT
            and r.duplicate_of not in swapped
            and not _headline_place(twin)
            and not twin.protected
        ):
            swapped[r.duplicate_of] = r.index
        else:
            restored.add(r.index)
        kept += fold(blocks[r.index].text) + " "
    if not restored and not swapped:
        return removals
    out = []
    for r in removals:
        if r.index in restored:
            continue
        if r.index in swapped.values():
            twin = blocks[r.duplicate_of]
            r = Removal(twin.index, r.index, 1.0, Reason.EXACT, twin.kind, twin.text)
        elif r.duplicate_of in swapped:  # a copy of the twin: the same key as the new keeper
            r = replace(r, duplicate_of=swapped[r.duplicate_of])
        out.append(r)
    return sorted(out, key=lambda r: r.index)


def _name_said(text: str, credit: str, kept: str) -> bool:
    """Whether a caption's credit is said by the kept text without its label
    (``_credited_name``); a line that is all credit ("Image credit: REUTERS/Jane Doe") is
    said only whole."""
    name = _credited_name(credit)
    return name != credit and f" {name} " in kept and not normalize(text).key.endswith(name)


def _credited_name(credit: str) -> str:
    """A folded credit without the words that label it ("foto reproducao instagram" is
    "reproducao instagram"): said so, with no label, by a copy of the caption that glues
    it on ("... da estacao Reproducao/Instagram"). A credit that is a label and a short
    name ("foto ap") stays whole: two letters are said by many a line."""
    words = credit.split()
    k = 0
    while k < len(words) - 1 and words[k] in _CREDIT_LABEL_WORDS:
        k += 1
    name = " ".join(words[k:])
    return name if k and len(name) >= _CREDIT_NAME_CHARS else credit


_CREDIT_LABEL_WORDS = GENERIC_CREDIT | {
    *"by por de von par credits credito creditos copyright".split()
}


def _headline_place(block: Block) -> bool:
    """A heading, or the first line of plain text (where a headline stands)."""
    return block.kind is Kind.HEADING or (block.tag is None and block.index == 0)


def cut_teasers(
    blocks: Sequence[Block],
    removals: Sequence[Removal],
    config: Config,
    pictures: bool = True,
    page: PageLines | None = None,
) -> list[Removal]:
    """The removals, with the teasers cut short with an ellipsis, too short to be matched,
    whose words begin a block that stays: "Нови технически..." of the lede, "유시민 “일개
    시민이 자유롭게…”" of the ranked "8 유시민 “일개 시민이 자유롭게 말한 것…”". The ellipsis
    says the line was cut from a longer text; when that text begins a block on the page
    (after its rank), the cut copy goes for it. Words that begin a sentence inside a block
    are no teaser of it (a pun of a subheading, a comment's title). A line of one word or
    two short ones ("Loading…", "En attendant…") stays, and so does what ``removable``
    keeps. ``page`` holds what both calls read (text, then HTML)."""
    gone = {r.index for r in removals}
    page = page or PageLines(blocks)
    ends = page.ends
    cut: list[tuple[Block, str]] = []
    for b, end in zip(blocks, ends, strict=True):
        if end is None or b.index in gone or b.tag == "h1":  # (a headline may end in "…")
            continue
        if b.kind is Kind.TABLE_CELL or b.attr is not None or b.protected:
            continue
        words = b.text.strip()[: end.start()]
        # (a label before the teaser's words is the box's: "Discuss: Title…", "Image caption, …")
        unlabelled = strip_labels(words)[0]
        # (its words, with no label, nor the rank of a "most read" list: "1. Title…")
        least = fold(_RANK.sub("", _LEAD_LABEL.sub("", unlabelled), count=1))
        if len(least.split()) < 2 and weighed_length(least) < config.min_chars:
            continue
        if weighed_length(least) < _CUT_MIN:
            continue
        heads = [fold(words), fold(unlabelled), least]
        # (and without a time or date before it, as a list of the latest stories writes
        # one: "14:05 Title…", "Saa 3 zilizopita Title…", "2 hours ago Title…")
        parts = least.split(" ", _STAMP_LEAD)
        for k in range(1, len(parts)):
            rest = " ".join(parts[k:])
            if any(map(_DIGIT.search, parts[:k])) and weighed_length(rest) >= _CUT_MIN:
                heads.append(rest)
        cut += [(b, head) for head in dict.fromkeys(heads)]
    if not cut:
        return list(removals)
    starts = page.starts()  # the first characters -> the blocks they begin

    out: list[Removal] = []
    found: set[int] = set()
    for b, head in cut:
        twin = next(
            (
                k
                for k, opening in starts.get(head[:2], ())
                if k.index != b.index
                and k.index not in gone
                and opening.startswith(head)
                and len(opening) > len(head)
                and removable(b, k, config, pictures)
            ),
            None,
        )
        if twin is not None and b.index not in found:
            found.add(b.index)
            out.append(Removal(b.index, twin.index, 1.0, Reason.CONTAINED, b.kind, b.text))
    return _joined(removals, out)


# The words of a time or a date before a teaser's words, at most: "14 05", "saa 3
# zilizopita", "2 hours ago", one of them a number.
_STAMP_LEAD = 4


def _joined(removals: Sequence[Removal], out: list[Removal]) -> list[Removal]:
    """The removals and the lines ``out`` that go after them: a line that other copies
    went for goes too, and they go for its twin."""
    if not out:
        return list(removals)
    moved = {r.index: r.duplicate_of for r in out}
    return sorted(
        [
            *(
                replace(r, duplicate_of=moved[r.duplicate_of], reason=Reason.CONTAINED)
                if r.duplicate_of in moved
                else r
                for r in removals
            ),
            *out,
        ],
        key=lambda r: r.index,
    )


# An ellipsis that ends a line, maybe inside closing quotes or brackets: "Title…",
# "“Quoted words…”", "Title (...)".
_CUT_END = re.compile(r"(?:\.\.\.|…|[\[(]\s*(?:\.\.\.|…)\s*[\])])[\s\"'”’»」』)\]]*$")
_CUT_LAST = frozenset(".…)]\"'”’»」』")


class PageLines:
    """What the rules on lines (``cut_teasers``, ``glued_twins``) read of a page's blocks,
    made once for the text and the HTML plan: their texts stripped, the ellipsis that ends
    each (or None), and the blocks by their first characters (folded, and past a rank)."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = blocks
        self.texts = [b.text.strip() for b in blocks]
        # (every cut says "..." or "…": a line that says neither is not searched)
        self.ends = [
            _CUT_END.search(t) if t[-1:] in _CUT_LAST and ("…" in t or "..." in t) else None
            for t in self.texts
        ]
        self._starts: dict[str, list[tuple[Block, str]]] | None = None

    def starts(self) -> dict[str, list[tuple[Block, str]]]:
        if self._starts is None:
            self._starts = {}
            for k, end in zip(self.blocks, self.ends, strict=True):
                if end is not None or k.attr is not None:
                    continue
                said = fold(k.text)
                # (a story's first paragraph may open with its dateline: "BATUSANGKAR,
                # KABARRANAH.ID - Hujan deras ...", "Lorient (APA) - Des ...")
                dated = _DATELINE.match(k.text)
                after = fold(k.text[dated.end() :]) if dated else said
                for opening in dict.fromkeys((said, _LEADING_RANK.sub("", said), after)):
                    self._starts.setdefault(opening[:2], []).append((k, opening))
        return self._starts


_CUT_MIN = 14
# A dateline: a place (and the outlet or agency) in a few capitalised words before a
# spaced dash.
_DATELINE = re.compile(
    rf"^\s*[{CAPITALS}][^\s.!?–—-]*(?:[ ,]+[{CAPITALS}(][^\s–—-]*){{0,5}}\s+[-–—]\s+(?=\w)"
)
# A short label before a teaser's words: "Discuss: ", "Read: ".
# (of any script: a word is what stands between spaces, its vowel signs too, "इसे शेयर करें:")
_LEAD_LABEL = re.compile(r"^\s*[^\s:]+(?:\s[^\s:]+){0,2}\s*:\s+")
# A rank or a counter before a teaser's words: "8 ", "13.- ", "(30026)".
_LEADING_RANK = re.compile(r"^(?:\(?\d+\)?[.)\-]*\s*)+")


def glued_twins(
    blocks: Sequence[Block],
    removals: Sequence[Removal],
    config: Config,
    pictures: bool = True,
    page: PageLines | None = None,
) -> list[Removal]:
    """Lines printed again glued to the block beside them: a card that shows its source's
    name on the picture and after the title ("The Most Addicting Game Of The YearSoldiers:
    Free Online Game", then "Soldiers: Free Online Game"). The neighbour ends (or starts)
    with the line's words run into its own, no space between: one element's text said
    twice, the line goes for the block that holds it. A line of one word stays, and so
    does a neighbour's last sentence said again after a space (a refrain, an emphasis).
    Beside means among the blocks that stay, so that cleaning the cleaned page finds the
    same."""
    gone = {r.index for r in removals}
    twins: set[int] = set()  # (the lines found here hold: they stay)
    texts = (page or PageLines(blocks)).texts
    lines = [
        b
        for b in blocks
        if b.kind not in (Kind.HEADING, Kind.TABLE_CELL, Kind.QUOTE)
        and b.attr is None
        and not b.protected
        and " " in texts[b.index]
    ]
    out: list[Removal] = []
    found = True
    while found:  # (a line that goes makes the blocks beside it neighbours)
        found = False
        for b in lines:
            if b.index in gone or b.index in twins:
                continue
            text = texts[b.index]
            for step in (-1, 1):
                j = _kept_beside(b.index, step, gone, blocks)
                if j is None or not _glued(texts[j], text) or weighed_length(text) < _CUT_MIN:
                    continue
                if removable(b, blocks[j], config, pictures):
                    out.append(Removal(b.index, j, 1.0, Reason.CONTAINED, b.kind, b.text))
                    gone.add(b.index)
                    twins.add(j)
                    found = True
                    break
    return _joined(removals, out)


def _kept_beside(i: int, step: int, gone: Container[int], blocks: Sequence[Block]) -> int | None:
    """The nearest block before (``step`` -1) or after (1) block ``i`` that stays."""
    j = i + step
    while 0 <= j < len(blocks) and j in gone:
        j += step
    return j if 0 <= j < len(blocks) else None


def _glued(holder: str, text: str) -> bool:
    """Whether ``holder`` ends or starts with ``text`` run into its other words."""
    if len(holder) <= len(text) + 1:
        return False
    if holder.endswith(text):
        before = holder[-len(text) - 1]
        return before.isalnum() or before in "…"
    if holder.startswith(text):
        return holder[len(text)].isalnum()
    return False

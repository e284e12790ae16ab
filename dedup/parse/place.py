"""Facts about where an HTML block stands, read off the tree once, while the page is parsed.

Matching never sees the tree: what a rule needs to know of a block's place (page furniture,
a form or a quiz, a pull quote, the picture a caption stands under, the embedded post a
quote belongs to) is set here on the block as plain data. Blocks share most of their
ancestors, so each verdict about an element is found once per page and remembered.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import TypeAlias

from lxml import etree

from ..model import Kind

Element: TypeAlias = etree._Element

# Page furniture: navigation, sidebars, footers, lists of related or trending stories.
FURNITURE_TAGS = frozenset(("nav", "aside", "footer", "header", "menu"))
FURNITURE_ATTR = re.compile(
    r"\b(?:nav|navbar|navigation|menu|sidebar|side-bar|footer|header|related|trending|"
    r"most-?read|most-?popular|popular|recommended|widget|breadcrumbs?|promo|teaser)\b",
    re.I,
)
# Containers whose repeats are the content itself: a quiz repeats its questions.
# Whole words of a class or id ("quiz-box", "pollWidget"), not parts of others ("pollard").
PROTECTED_ATTR = re.compile(
    r"(?<!(?-i:[a-z]))(?:quiz(?:zes)?|polls?|surveys?|trivia|questions?)(?!(?-i:[a-z]))", re.I)
# Class, id or itemprop values that mark pull quotes across CMSs.
QUOTE_ATTR = re.compile(r"pull-?quote|blockquote|quote-?box", re.I)
# Elements that hold a whole page: their feature flags ("f_survey_popup_on") say nothing.
_PAGE_TAGS = frozenset(("html", "body", "article", "main"))
# What a caption's picture region is: the nearest element that is, or holds, one of these.
PICTURE_TAGS = ("img", "picture", "video", "iframe", "figure")
# A form holding more paragraphs than this is a page wrapped in a form (ASP.NET), not a form.
_FORM_PARAGRAPHS = 20
_NO_MARKS = (None, None, None)
# Verdicts of (class, id, role) triples kept per site: a bound on what a long run holds.
_MARKS_MAX = 1 << 14


class Places:
    """Finds the place facts of one page's blocks; ``furniture_marks`` may be shared by
    the pages of one run (a site repeats its class names on every page)."""

    def __init__(self, root: Element, furniture_marks: dict[tuple[str | None, ...], bool]) -> None:
        self.tree = root.getroottree()
        self.marks = furniture_marks
        self._furniture: dict[Element, bool] = {}
        self._protected: dict[Element, bool] = {}
        self._figure: dict[Element, bool] = {}
        self._pictured: dict[Element, bool] = {}

    def facts(self, el: Element, kind: Kind) -> tuple[bool, bool, bool, str | None,
                                                       str | None, str | None]:
        """(furniture, protected, pull quote, picture, post, post text) of a block."""
        parent = el.getparent()
        picture = None
        if kind is Kind.CAPTION or (parent is not None and self._in_figure(parent)):
            region = self._picture_region(el)
            picture = None if region is None else self.tree.getpath(region)
        post = post_text = None
        pull = False
        if kind is Kind.QUOTE:
            pull = _pull_quote(el)
            quote = _quote_of(el)
            if quote is not None and quote is not el:
                post, post_text = self.tree.getpath(quote), "".join(quote.itertext())
        return (
            el.tag != "h1" and self._in_furniture(el),
            parent is not None and self._in_protected(parent),
            pull,
            picture,
            post,
            post_text,
        )

    def _in_furniture(self, el: Element) -> bool:
        """Inside nav/aside/footer/header/menu or an element marked as such, and not inside
        an article or main: the nearest ancestor-or-self with a verdict decides."""
        return _nearest(el, self._furniture, self._furniture_verdict)

    def _furniture_verdict(self, el: Element) -> bool | None:
        if el.tag in ("article", "main"):
            return False
        if el.tag in FURNITURE_TAGS:
            return True
        marks = (el.get("class"), el.get("id"), el.get("role"))
        if marks == _NO_MARKS:
            return None
        verdict = self.marks.get(marks)
        if verdict is None:
            if len(self.marks) >= _MARKS_MAX:
                self.marks.clear()
            verdict = self.marks[marks] = bool(FURNITURE_ATTR.search(" ".join(filter(None, marks))))
        return True if verdict else None

    def _in_protected(self, el: Element) -> bool:
        """Whether ``el`` or an ancestor is a form or a quiz, poll or survey."""
        return _nearest(el, self._protected, lambda e: True if _protects(e) else None)

    def _in_figure(self, el: Element) -> bool:
        """Whether ``el`` or an ancestor is a ``<figure>``."""
        return _nearest(el, self._figure, lambda e: True if e.tag == "figure" else None)

    def _picture_region(self, el: Element) -> Element | None:
        """The nearest ancestor-or-self that is or holds a picture: the photo a caption
        belongs to."""
        for anc in (el, *el.iterancestors()):
            held = self._pictured.get(anc)
            if held is None:
                held = self._pictured[anc] = anc.tag in PICTURE_TAGS or next(
                    anc.iterdescendants(*PICTURE_TAGS), None) is not None
            if held:
                return anc
        return None


def _nearest(el: Element, memo: dict[Element, bool],
             verdict: Callable[[Element], bool | None]) -> bool:
    """The verdict of the nearest ancestor-or-self of ``el`` that has one (False when none
    has), remembered for every element walked through."""
    walked = []
    node: Element | None = el
    found = False
    while node is not None:
        known = memo.get(node)
        if known is not None:
            found = known
            break
        walked.append(node)
        own = verdict(node)
        if own is not None:
            found = own
            break
        node = node.getparent()
    for node in walked:
        memo[node] = found
    return found


def _protects(el: Element) -> bool:
    return _a_form(el) or (el.tag not in _PAGE_TAGS and bool(
        PROTECTED_ATTR.search(f"{el.get('class', '')} {el.get('id', '')}")))


def _a_form(el: Element) -> bool:
    """A form whose repeats are its own (labels, options), not a page wrapped whole in a
    form element, as ASP.NET pages are: such a form holds the article, its headline or
    more paragraphs than a form has."""
    if el.tag != "form" or next(el.iter("article", "main", "h1"), None) is not None:
        return False
    return sum(1 for _ in itertools.islice(el.iter("p"), _FORM_PARAGRAPHS + 1)) <= _FORM_PARAGRAPHS


def _pull_quote(el: Element) -> bool:
    """A quote the page marks as pulled from its own text (class "pullquote", "pull-quote",
    "quote-box"): a short one inside a paragraph is its echo, not a mention."""
    for anc in (el, *el.iterancestors()):
        if QUOTE_ATTR.search(f"{anc.get('class', '')} {anc.get('id', '')}"):
            return True
        if anc.tag in ("body", "article", "main"):
            return False
    return False


def _quote_of(el: Element) -> Element | None:
    """The blockquote or quote box ``el`` is part of (itself included)."""
    for anc in (el, *el.iterancestors()):
        if anc.tag == "blockquote" or QUOTE_ATTR.search(f"{anc.get('class', '')}"):
            return anc
    return None

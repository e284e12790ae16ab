"""Facts about where an HTML block stands, read off the tree once, while the page is parsed.

Matching never sees the tree: what a rule needs to know of a block's place (page furniture,
a form or a quiz, a pull quote, the picture a caption stands under, the embedded post a
quote belongs to) is set here on the block as plain data. Blocks share most of their
ancestors, so each verdict about an element is found once per page and remembered.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import TypeAlias

from lxml import etree

from ..match.normalize import fold
from ..model import Kind

Element: TypeAlias = etree._Element


def name_of(el: Element) -> str:
    """An element's tag name ("" for a comment or a processing instruction, whose tag is a
    function): libxml2's HTML parser names every element with a plain lower-case str."""
    tag = el.tag
    return tag if isinstance(tag, str) else ""


# Page furniture: navigation, sidebars, footers, lists of related or trending stories.
FURNITURE_TAGS = frozenset(("nav", "aside", "footer", "header", "menu"))
FURNITURE_ATTR = re.compile(
    r"\b(?:nav|navbar|navigation|menu|sidebar|side-bar|footer|header|related|trending|"
    r"most-?read|most-?popular|popular|recommended|widget|breadcrumbs?|promo|teaser|"
    # A lightbox or photo viewer shows the page's pictures again, with their captions.
    r"lightbox\w*|pswp\w*|photo-?viewer\w*)\b",
    re.I,
)
# Containers whose repeats are the content itself: a quiz repeats its questions.
# Whole words of a class or id ("quiz-box", "pollWidget"), not parts of others ("pollard").
PROTECTED_ATTR = re.compile(
    r"(?<!(?-i:[a-z]))(?:quiz(?:zes)?|polls?|surveys?|trivia|questions?)(?!(?-i:[a-z]))", re.I
)
# Class or id values that mark one reader's comment or reply (WordPress's "comment
# even depth-2" and "comment-10354215", Kinja's "reply" and "reply_1690287621"); not a
# comment count, a form or a button ("comment-count", "comment-form", "reply-link").
COMMENT_CLASS = re.compile(r"(?:^|\s)(?:comment|reply)(?:\s|$)", re.I)
COMMENT_ID = re.compile(r"^(?:comment|reply)[-_]?\d+$", re.I)
# Class, id or itemprop values that mark pull quotes across CMSs; not a theme's setting for
# how the quotes inside an element look ("post-entry blockquote-style-2").
QUOTE_ATTR = re.compile(r"pull-?quote|blockquote(?![-_]?styles?)|quote-?box", re.I)
# Elements that hold a whole page: their feature flags ("f_survey_popup_on") say nothing.
_PAGE_TAGS = frozenset(("html", "body", "article", "main"))
# Elements that show something other than text: pictures, video, sound, embedded frames
# and drawings. An echo's removal never takes one along.
MEDIA_TAGS = frozenset(
    "img amp-img picture video audio iframe svg object embed canvas source".split()
)
# What a caption's picture region is: the nearest element that is, or holds, one of these.
# Fewer than MEDIA_TAGS on purpose: a <source> or an <svg> icon beside a photo does not make
# a second picture of it (a responsive image's sources are one photo).
PICTURE_TAGS = ("img", "amp-img", "picture", "video", "iframe", "figure")
# A form holding more paragraphs than this is a page wrapped in a form (ASP.NET), not a form.
_FORM_PARAGRAPHS = 20
# An element with no class, id or third mark attribute (itemprop, role): most elements.
NO_MARKS = (None, None, None)
# Verdicts of class, id or role values kept per run: a bound on what a long run holds.
_MARKS_MAX = 1 << 14


def new_marks() -> Marks:
    """Empty verdicts of class, id and role values, for ``Places``."""
    return ({}, {}, {})


class Places:
    """Finds the place facts of one page's blocks. ``marks`` holds what class, id and role
    values mean (a dict each, ``new_marks``) and may be shared by the pages of one run (a
    site repeats its class names on every page)."""

    def __init__(self, root: Element, marks: Marks) -> None:
        self.tree = root.getroottree()
        self.marks = marks
        # Per element: (furniture, in a form or quiz, in a figure) for it or an ancestor.
        self._states: dict[Element, _State] = {}
        self._pictured: dict[Element, bool] = {}
        self._shown: Counter[str] | None = None  # how many images of the page show each file
        self._stems: set[str] = set()  # the stems of renditions (``_rendition_stem``)
        self._names: dict[Element, tuple[str, ...]] = {}  # an image's files and link target
        self._region_files: dict[Element, tuple[str, ...]] = {}  # ``_files``, per region

    def facts(
        self, el: Element, kind: Kind
    ) -> tuple[
        bool,
        bool,
        str | None,
        bool,
        str | None,
        tuple[str, ...],
        str | None,
        str | None,
        str | None,
        bool,
    ]:
        """(furniture, protected, form, pull quote, picture, picture files, post, post text,
        around, in a reader's comment) of a block."""
        parent = el.getparent()
        furniture, _, _, _, comment = self._state(el)
        _, quiz, form, in_figure, _ = self._state(parent) if parent is not None else _NOWHERE
        if form is None and el.tag == "form" and _a_form(el):
            form = el  # text straight inside a form (a label's) is the form's
        # (text straight inside a fieldset of choices, its options' labels, is the poll's)
        quiz = quiz or (el.tag == "fieldset" and _choices(el))
        protected = quiz or form is not None
        form_path = self.tree.getpath(form) if form is not None and not quiz else None
        picture, files = None, _NO_FILES
        if kind is Kind.CAPTION or in_figure:
            region = self._picture_region(el)
            if region is not None:
                picture, files = self.tree.getpath(region), self._files(region)
        post = post_text = around = None
        pull = False
        if kind is Kind.QUOTE:
            pull = _pull_quote(el)
            quote = _quote_of(el)
            if quote is not None and quote is not el and not pull:
                # (a pull quote is the article's own sentence, never an embedded post)
                post, post_text = self.tree.getpath(quote), "".join(map(str, quote.itertext()))
            if not pull:
                around = _around(quote if quote is not None else el)
        furniture = el.tag != "h1" and furniture
        in_comment = comment is not None
        return (
            furniture,
            protected,
            form_path,
            pull,
            picture,
            files,
            post,
            post_text,
            around,
            in_comment,
        )

    def _state(self, el: Element) -> _State:
        """(furniture, in a quiz, the form, in a figure) of ``el`` or its ancestors:
        furniture is the verdict of the nearest ancestor-or-self that has one (inside nav,
        aside, footer, header, menu or an element marked as such, and not inside an article
        or main); the others hold when an ancestor-or-self is a quiz, poll or survey (or a
        fieldset of choices), a form (not a page wrapped whole in one), or a ``<figure>``.
        Found from the nearest ancestor already known, and remembered."""
        states = self._states
        known = states.get(el)
        if known is not None:
            return known
        walked = [el]
        node = el.getparent()
        state = _NOWHERE
        while node is not None:
            known = states.get(node)
            if known is not None:
                state = known
                break
            walked.append(node)
            node = node.getparent()
        for node in reversed(walked):
            furniture, quiz, form, figure, comment = state
            tag = node.tag
            marks = (node.get("class"), node.get("id"), node.get("role"))
            furniture_mark, quiz_mark, comment_mark = (
                self._marked(marks) if marks != NO_MARKS else _UNMARKED
            )
            if comment_mark:
                comment = node
            if tag == "article" or tag == "main":
                furniture = False
            elif tag in FURNITURE_TAGS or furniture_mark:
                furniture = True
            quiz = (
                quiz
                or (quiz_mark and tag not in _PAGE_TAGS)
                or (tag == "fieldset" and _choices(node))
            )
            if form is None and tag == "form" and _a_form(node):
                form = node
            state = states[node] = (furniture, quiz, form, figure or tag == "figure", comment)
        return state

    def _marked(self, marks: tuple[str | None, ...]) -> tuple[bool, bool, bool]:
        """Whether a (class, id, role) triple marks furniture, a quiz, poll or survey, and
        one reader's comment: what one of its values marks (no pattern's word holds a
        space, so none reads across two values). A value's verdict is remembered: a
        site's class names repeat on every element and page, its ids rarely."""
        furniture = quiz = comment = False
        for slot, value in enumerate(marks):
            if value:
                known = self.marks[slot]
                verdict = known.get(value)
                if verdict is None:
                    if len(known) >= _MARKS_MAX:
                        known.clear()
                    verdict = known[value] = _value_marks(slot, value)
                if verdict is not _UNMARKED:
                    furniture = furniture or verdict[0]
                    quiz = quiz or verdict[1]
                    comment = comment or verdict[2]
        return furniture, quiz, comment

    def _files(self, region: Element) -> tuple[str, ...]:
        """The files a picture region shows, as ``file_name`` gives them; a file shown by
        many images of the page (a lazy-loading placeholder, an icon) says nothing of
        which picture a region holds and is left out. Remembered per region: the blocks
        of a figure share theirs."""
        known = self._region_files.get(region)
        if known is None:
            known = self._region_files[region] = self._region_s_files(region)
        return known

    def _region_s_files(self, region: Element) -> tuple[str, ...]:
        if self._shown is None:
            # An image is an img or the picture (or video) its sources belong to: a
            # picture's sources are renditions of one photo, not more images showing it.
            units: dict[Element, set[str]] = {}
            root = self.tree.getroot()
            # The elements links of the page open in place (a photo's enlargement in a modal
            # box, "#photo-modal-1"): an image inside one shows what the link's image shows.
            opened = _opened(root)
            for img in root.iter(*_IMAGE_TAGS):
                unit = next(
                    (a for a in itertools.islice(img.iterancestors(), 3) if a.tag in _SOURCED), img
                )  # (the HTML parser nests what follows a <source> inside it)
                found = self._names[img] = (
                    *_file_names(img),
                    *_link_target(img),
                    *_opened_in(img, opened),
                )
                units.setdefault(unit, set()).update(found)
            shown = list(units.values())
            self._stems = {stem for names in shown if (stem := _rendition_stem(names))}
            # A file named as another with a word more is a rendition of it too
            # ("seca-rio-paraguai-mobile" of "seca-rio-paraguai"; a number more is another
            # photo of a series: "cleanup-2").
            every = {n for names in shown for n in names}
            for name in every:
                cut = max(name.rfind("-"), name.rfind("_"))
                if cut >= _STEM_CHARS and name[cut + 1 :].isalpha() and name[:cut] in every:
                    self._stems.add(name[:cut])
            self._shown = Counter(
                p for names in shown for p in {self._picture_of(n) for n in names}
            )
        seen = self._names
        names = {self._picture_of(name) for img in region.iter(*_IMAGE_TAGS) for name in seen[img]}
        return tuple(
            sorted(n for n in names if self._shown[n] <= _SHOWN_MAX and not _PLACEHOLDER.search(n))
        )

    def _picture_of(self, name: str) -> str:
        """The picture a file name shows: the stem of its renditions when the page names
        them as one image's do (``_rendition_stem``), else the name."""
        if self._stems:
            cut = max(name.rfind("-"), name.rfind("_"))
            if cut > 0 and name[:cut] in self._stems:
                return name[:cut]
        return name

    def _picture_region(self, el: Element) -> Element | None:
        """The nearest ancestor-or-self that is or holds a picture: the photo a caption
        belongs to."""
        for anc in (el, *el.iterancestors()):
            held = self._pictured.get(anc)
            if held is None:
                held = self._pictured[anc] = (
                    anc.tag in PICTURE_TAGS
                    or next(anc.iterdescendants(*PICTURE_TAGS), None) is not None
                )
            if held:
                return anc
        return None


_State = tuple[bool, bool, "Element | None", bool, "Element | None"]
_NOWHERE: _State = (False, False, None, False, None)
_NO_FILES: tuple[str, ...] = ()
# Elements and attributes that name the file a picture shows, lazy-loading ones included.
_IMAGE_TAGS = ("img", "amp-img", "source", "video", "iframe")
_SOURCED = ("picture", "video", "audio")
_IMAGE_ATTRS = (
    "src",
    "data-src",
    "data-lazy-src",
    "data-lazy",
    "data-lazy-srcset",
    "data-original",
    "data-url",
    "poster",
    "srcset",
    "data-srcset",
)
# The name of a data- attribute that holds an image's URL for a lazy loader.
_LAZY_NAME = re.compile(r"lazy|src|bg|original|image|img|full|large|zoom")
# ... a URL or a path with no space in it (not a caption a data- attribute holds).
_A_URL = re.compile(r"^\s*(?:https?:)?/?[^\s]*[/.][^\s]*\s*$")
# A file shown by more images of one page than this is a placeholder or an icon: a mobile
# and a desktop copy of a photo show it twice, a gallery's renditions a few times more.
_SHOWN_MAX = 4
# What a site appends to a file name for one size of a picture: "-300x200", "_800w",
# "-w960", "@2x", "-1024"; and the extension.
_SIZE = r"(?:\d{2,5}x\d{2,5}|\d{2,5}w|[wh]\d{2,5}|\d(?:\.\d)?x|\d{3,4})"
# A size and what a rendition's name writes after it: a ratio, a focal point, a quality
# ("_w948_r1.778_fpx44_fpy52", "-1200x800-q80").
_SIZE_SUFFIX = re.compile(rf"[-_.@]{_SIZE}(?:[-_.@](?:{_SIZE}|[a-z]{{1,3}}\d{{1,4}}(?:\.\d+)?))*$")
# Names of the files lazy-loading pages show until the photo loads: a shared placeholder
# may stand in fewer images than _SHOWN_MAX on a page with few photos.
_PLACEHOLDER = re.compile(r"placeholder|lazy|blank|spacer|transparent|pixel|loading|dummy|empty")
_EXTENSION = re.compile(r"\.[a-z0-9]{2,5}$")


# The stem two renditions of one image share is a name, not a word: "hedge-laying" of
# "hedge-laying-large" and "hedge-laying-small", never "img" or "photo".
_STEM_CHARS = 8


def _rendition_stem(names: set[str]) -> str | None:
    """The stem of the renditions one image element names (its ``src`` and ``srcset``
    are one picture), when they differ in their last word only: "00panama-hfmq" of
    "00panama-hfmq-articlelarge" and "00panama-hfmq-jumbo". Another image of the page
    whose file is that stem and one more word shows the same picture (a lightbox's
    "-superjumbo")."""
    names = {n for n in names if not n.startswith(_LINKED)}
    if len(names) < 2:
        return None
    cuts = [(n, max(n.rfind("-"), n.rfind("_"))) for n in names]
    stems = {n[:cut] for n, cut in cuts if cut > 0}
    if len(stems) != 1 or any(cut <= 0 for _, cut in cuts):
        return None
    stem = stems.pop()
    return stem if len(stem) >= _STEM_CHARS else None


# How a link's target stands among an image's file names.
_LINKED = "→"
_LINK_LEVELS = 2


def _link_target(img: Element) -> list[str]:
    """The page a link around ``img`` opens (its photo page, its full size: "→001" of
    ``<a href="/photo/20240316-001/"><img src="001_l.jpg">``), as a name: two images that
    open the same one show the same picture (a photo and its thumbnail in a list)."""
    for anc in itertools.islice(img.iterancestors(), _LINK_LEVELS):
        if anc.tag == "a" and (href := anc.get("href")):
            if href.strip().startswith("#"):
                return []  # (an element of the page: ``_opened_in`` names it)
            name = _url_name(href)
            return [_LINKED + name] if name else []
    return []


def _opened(root: Element) -> set[str]:
    """The ids of the elements around an image (within ``_LINK_LEVELS``) that another
    element of the page opens: a link to "#photo-modal-1", a button whose
    ``aria-controls`` or ``data-*`` attribute names "lb-1" (a lightbox)."""
    framed = {
        at
        for img in root.iter(*_IMAGE_TAGS)
        for el in itertools.islice(img.iterancestors(), _LINK_LEVELS)
        if (at := el.get("id"))
    }
    if not framed:
        return set()
    return {
        name
        for value in _OPENS(root)
        if (name := str(value).strip().lstrip("#")) in framed
        and value.getparent().get("id") != name
    }


# What a ``data-*`` attribute's name says when scripts read it to open an element.
_OPENING_WORDS = ("target", "trigger", "modal", "lightbox", "open", "toggle")
# Attributes that name an element the page opens in place: an in-page link, and the
# attributes scripts read for it (an XPath runs in C: a page has thousands of attributes).
# ``_opens`` says the same of one attribute's name.
_OPENS = etree.XPath(
    "//@href[starts-with(normalize-space(.), '#')] | //@aria-controls | //@*[starts-with(name(),"
    " 'data-') and (" + " or ".join(f"contains(name(), '{w}')" for w in _OPENING_WORDS) + ")]"
)


def _opened_in(img: Element, opened: set[str]) -> list[str]:
    """The in-page target an image stands in ("→#photo-modal-1"), when an element of the
    page opens it, or that the element around the image opens: one name for both, so the
    photo and its enlargement are one picture."""
    if not opened:
        return []
    for anc in itertools.islice(img.iterancestors(), _LINK_LEVELS):
        if (at := anc.get("id")) and at in opened:
            return [_LINKED + "#" + at]
        for key, value in anc.items():
            if _opens(key) and (name := value.strip().lstrip("#")) in opened:
                return [_LINKED + "#" + name]
    return []


def _opens(key: str) -> bool:
    return (
        key == "href"
        or key == "aria-controls"
        or (key.startswith("data-") and any(w in key for w in _OPENING_WORDS))
    )


def _url_name(url: str) -> str:
    """The last part of a URL's path, lower-case, without its extension and size suffixes."""
    path = url.strip().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    name = _EXTENSION.sub("", path.rsplit("/", 1)[-1].lower())
    return _SIZE_SUFFIX.sub("", name)


def _file_names(img: Element) -> list[str]:
    """The file names an image element shows, from every attribute that names one: the
    last part of each URL's path, lower-case, without its extension and size suffixes
    (photo-300x200.jpg and photo.jpg?w=800 are one file). Inline data is no file."""
    names = []
    # (and any other data- attribute a lazy loader names the file in: "data-splide-lazy",
    # "data-flickity-lazyload", "data-bg")
    attrs = [
        *_IMAGE_ATTRS,
        *(
            a
            for a in img.attrib
            if a.startswith("data-") and a not in _IMAGE_ATTRS and _LAZY_NAME.search(a)
        ),
    ]
    for attr in attrs:
        value = img.get(attr)
        if not value or (attr not in _IMAGE_ATTRS and not _A_URL.match(value)):
            continue
        urls = (
            [part.split()[0] for part in value.split(",") if part.strip()]
            if "srcset" in attr
            else [value]
        )
        for url in urls:
            url = url.strip()
            if url and not url.startswith("data:") and (name := _url_name(url)):
                names.append(name)
    return names


_UNMARKED = (False, False, False)
# Verdicts of a page's class, id and role values (``Places.marks``): one dict a slot.
Marks: TypeAlias = tuple[dict[str, tuple[bool, bool, bool]], ...]


def _value_marks(slot: int, value: str) -> tuple[bool, bool, bool]:
    """What a class (slot 0), id (1) or role (2) value marks: furniture, a quiz, poll or
    survey (a class or id), one reader's comment (``COMMENT_CLASS``, ``COMMENT_ID``)."""
    verdict = (
        FURNITURE_ATTR.search(value) is not None,
        slot < 2 and PROTECTED_ATTR.search(value) is not None,
        (
            COMMENT_CLASS.search(value)
            if slot == 0
            else COMMENT_ID.match(value)
            if slot == 1
            else None
        )
        is not None,
    )
    return _UNMARKED if verdict == _UNMARKED else verdict


def _choices(el: Element) -> bool:
    """Whether ``el`` holds choices (radio buttons or check boxes): a poll's or a quiz's
    options, repeated under each question, are its own."""
    return any((i.get("type") or "").lower() in ("radio", "checkbox") for i in el.iter("input"))


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


# Words beside a quote that make its container its context: an attribution ("— Jane Doe,
# the mayor") is fewer.
_AROUND_WORDS = 8


def _around(quote: Element) -> str | None:
    """The folded text beside ``quote`` in the nearest element around it that holds
    ``_AROUND_WORDS`` words or more of its own (None up to the page's body)."""
    for anc in quote.iterancestors():
        if anc.tag in ("body", "html"):
            return None
        text = fold(_text_beside(anc, quote))
        if len(text.split()) >= _AROUND_WORDS:
            return text
    return None


def _text_beside(root: Element, skip: Element) -> str:
    """The text of ``root`` without that of ``skip`` (one of its descendants)."""
    parts: list[str] = []
    stack: list[tuple[Element, bool]] = [(root, False)]
    while stack:
        el, done = stack.pop()
        if done:
            if el is not root and el.tail:
                parts.append(el.tail)
            continue
        stack.append((el, True))
        if el is skip or not isinstance(el.tag, str):
            continue
        if el.text:
            parts.append(el.text)
        stack.extend((child, False) for child in reversed(el))
    return " ".join(parts)


def _quote_of(el: Element) -> Element | None:
    """The blockquote or quote box ``el`` is part of (itself included)."""
    for anc in (el, *el.iterancestors()):
        if anc.tag == "blockquote" or QUOTE_ATTR.search(f"{anc.get('class', '')}"):
            return anc
    return None

"""Parse HTML with lxml into blocks: the units that are compared, kept or removed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from lxml import etree

from .. import core
from ..errors import InputError
from ..match.normalize import CJK_BR, caseless
from ..model import Block, Kind
from ..profile import Stopwatch
from .place import NO_MARKS, QUOTE_ATTR, Element, Places, new_marks

# Never text: code, styling, embedded documents, form controls, metadata.
SKIP_TAGS = frozenset(
    "script style noscript template svg math iframe object embed canvas head title meta link "
    "select option optgroup datalist textarea button input video audio map source track "
    "frameset frame applet param base noembed noframes xmp plaintext".split()
)
_BLOCK_KINDS: dict[object, Kind] = {
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), Kind.HEADING),
    **dict.fromkeys(("li", "dt", "dd"), Kind.LIST_ITEM),
    **dict.fromkeys(("td", "th"), Kind.TABLE_CELL),
    "blockquote": Kind.QUOTE,
    "figcaption": Kind.CAPTION,
    "caption": Kind.CAPTION,
    **dict.fromkeys(
        (
            "p div section article main aside header footer nav pre address figure form "
            "fieldset legend center details summary dialog body html ul ol dl table tbody thead "
            "tfoot tr hgroup menu"
        ).split(),
        Kind.PARAGRAPH,
    ),
}
# Class, id or itemprop values that mark captions across CMSs and languages (QUOTE_ATTR
# marks quotes): the words sites write for a caption ("legende", "didascalia", "pie de
# foto", "bildtext", "onderschrift", "img_cptn") and for a photo's author.
CAPTION_ATTR = re.compile(
    r"caption|credit|cutline|imagecap|cptn|legend|l[eé]gende|leyenda"
    r"|didascal|pie-?(?:de-?)?foto|bildtext|bildunterschrift|onderschrift"
    # A picture's word and who or what it shows: "pic-desc", "photo_desc", "img-author".
    r"|(?:img|image|photo|foto|pic)[-_]?(?:desc|author)",
    re.I,
)
# What the walk finds: (start order, kind, text, element, attribute or None).
Found = tuple[int, Kind, str, Element, str | None, int]
# Kinds of (class, id, itemprop) triples a parser keeps at most: sites repeat their class
# names on every page, so the regexes run once per distinct triple, not once per element.
_MARK_KINDS_MAX = 1 << 14
# Whether a page has data-caption or data-alt attributes at all (names are case-insensitive
# in HTML and lowercased by the parser): most pages have none, so their elements are not
# asked. The search looks for the "-" first, which is fast.
_DATA_ATTRS = re.compile(r"-(?<=[dD][aA][tT][aA]-)(?:[cC][aA][pP][tT][iI][oO][nN]|[aA][lL][tT])")


def _mark_kind(
    marks: tuple[str | None, ...], known: dict[tuple[str | None, ...], Kind | None]
) -> Kind | None:
    """The kind a (class, id, itemprop) triple not yet in ``known`` marks, remembered."""
    if len(known) >= _MARK_KINDS_MAX:
        known.clear()
    kind = known[marks] = mark_kind(" ".join(filter(None, marks)))
    return kind


# Every word of both patterns holds one of these; most values hold none.
_MARK_WORDS = (
    "cap",
    "cred",
    "cutl",
    "desc",
    "quot",
    "cptn",
    "leg",
    "lég",
    "ley",
    "didasc",
    "foto",
    "bildt",
    "bildu",
    "onders",
    "author",
)


def mark_kind(value: str) -> Kind | None:
    """The kind of block a class, id or itemprop value marks: a caption, a quote, or none."""
    low = caseless(value)
    if not any(map(low.__contains__, _MARK_WORDS)):
        return None
    if CAPTION_ATTR.search(value):
        return Kind.CAPTION
    if QUOTE_ATTR.search(value):
        return Kind.QUOTE
    return None


def _attribute_blocks(found: list[Found], order: int, el: Element, include_alt: bool) -> None:
    caption = el.get("data-caption")
    if caption and caption.strip():
        found.append((order, Kind.CAPTION, _attribute_text(caption), el, "data-caption", 1))
    if include_alt:
        # Lazy-loading placeholders carry the alt text as data-alt.
        for name in ("alt", "title", "data-alt") if el.tag == "img" else ("data-alt",):
            value = el.get(name)
            if value and value.strip():
                found.append((order, Kind.ALT, " ".join(value.split()), el, name, 1))


_MARKUP = re.compile(r"<[A-Za-z/!]")


def _attribute_text(value: str) -> str:
    """The text an attribute shows: a lightbox's ``data-caption`` often holds markup (a
    link around the caption: ``<a href="...">Title</a>``), which the page renders as its
    text, so that is what the caption says."""
    if _MARKUP.search(value):
        data = f"<html><body><div>{value}</div></body></html>".encode("utf-8", "surrogatepass")
        try:
            shown = etree.fromstring(data, parser=html_parser())
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            shown = None
        if shown is not None:
            value = "".join(shown.itertext())
    return " ".join(value.split())


@dataclass(frozen=True)
class HtmlPage:
    """A parsed page: its tree, its blocks, and the element each block came from (the
    rewriter's business alone: matching reads the blocks)."""

    root: Element = field(repr=False)
    blocks: list[Block]
    elements: list[Element] = field(repr=False)


class HtmlParser:
    """Parses pages into blocks. What a site's class names mean is remembered across the
    pages one parser reads (a site repeats them on every page); nothing else is kept."""

    def __init__(self, include_alt: bool = False) -> None:
        self.include_alt = include_alt
        self._mark_kinds: dict[tuple[str | None, ...], Kind | None] = {}
        self._place_marks = new_marks()

    def parse(
        self, text: str, utf8: bytes | None = None, watch: Stopwatch | None = None
    ) -> HtmlPage:
        """Parse a page; ``utf8``, when given, is ``text`` encoded (the input as read).
        ``watch`` times the stages: the parse, the walk, the blocks' places."""
        watch = watch or Stopwatch()
        root = _parse_tree(text, utf8)
        watch.lap("parse")
        found = walk(root, text, self.include_alt, self._mark_kinds)
        watch.lap("walk")
        places = Places(root, self._place_marks)
        page = HtmlPage(root, _html_blocks(found, places), [f[3] for f in found])
        watch.lap("place")
        return page


def parse_html(text: str, include_alt: bool = False, utf8: bytes | None = None) -> HtmlPage:
    """Parse one page into its tree and its blocks, in reading order."""
    return HtmlParser(include_alt).parse(text, utf8)


_OWN_IN_QUOTE = frozenset((Kind.HEADING, Kind.TABLE_CELL))


def walk(
    root: Element,
    text: str,
    include_alt: bool,
    mark_kinds: dict[tuple[str | None, ...], Kind | None],
) -> list[Found]:
    """The blocks of a tree, as ``_walk`` finds them: on the compiled walk where the
    compiled core runs (``dedup._walk``, which returns the same), else on ``_walk``."""
    if core.compiled is None or core.walk is None:
        return _walk(root, text, include_alt, mark_kinds)
    found: list[Found] = core.walk.walk(
        root, _DATA_ATTRS.search(text) is not None, include_alt, mark_kinds
    )
    found.sort(key=itemgetter(0))
    return found


def _walk(
    root: Element,
    text: str,
    include_alt: bool,
    mark_kinds: dict[tuple[str | None, ...], Kind | None],
) -> list[Found]:
    """The blocks of a tree as (start order, kind, text, element, attribute), in order.

    A block is the text a block-level element holds itself: its text and its inline
    children's, not the text of nested block elements (those are blocks of their own), so
    every piece of text appears once. lxml's ``iterwalk`` drives the walk from C and this
    function keeps its own stack, so nesting depth is bounded by memory, not by Python's
    recursion limit. The loop is written out flat: it runs once per element of the page.
    """
    data_attrs = _DATA_ATTRS.search(text) is not None
    found: list[Found] = []
    # One frame per open element: (its kind if it is a block, else None or _SKIP; the
    # caption or quote context of its parent, restored when it closes; its start order).
    # ``context`` is what the open elements pass on to their children; ``buffers`` holds
    # the text of the open blocks, ``buf`` the innermost one, where inline text goes.
    # Frames of elements that are not blocks are shared constants: most elements are
    # inline, and this loop runs once per element of the page.
    frames: list[tuple] = []
    buffers: list[list[str]] = [[]]
    buf = buffers[0]
    context = None
    order = 0
    roles = _ROLES.get
    caption, quote = Kind.CAPTION, Kind.QUOTE
    inline = {None: (None, None, 0), caption: (None, caption, 0), quote: (None, quote, 0)}
    skipped = {None: (_SKIP, None, 0), caption: (_SKIP, caption, 0), quote: (_SKIP, quote, 0)}
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "start":
            base = roles(el.tag)  # a Kind for block tags, _SKIP, _BR or _IMG, else None
            if base is _SKIP:
                walker.skip_subtree()
                if data_attrs and (el.get(b"data-caption") or el.get(b"data-alt")):
                    order += 1
                    _attribute_blocks(found, order, el, include_alt)
                frames.append(skipped[context])
                continue
            if base is _BR:
                buf.append(_LINE_BREAK)
                frames.append(skipped[context])
                continue
            order += 1
            if base is _IMG:
                base = None
                _attribute_blocks(found, order, el, include_alt)
            elif data_attrs and (el.get(b"data-caption") or el.get(b"data-alt")):
                _attribute_blocks(found, order, el, include_alt)
            # Keys as bytes: lxml encodes a str key on every call.
            marks = (el.get(b"class"), el.get(b"id"), el.get(b"itemprop"))
            marked: Kind | None = None
            if marks != NO_MARKS:
                try:
                    marked = mark_kinds[marks]
                except KeyError:  # a triple not seen before: rare, sites repeat their names
                    marked = _mark_kind(marks, mark_kinds)
            if (
                context is caption
                and base is None
                and buf
                and (marks[0] is not None or el.tag in _CAPTION_PARTS)
            ):
                # The parts of a caption are spans of their own class, which the site's
                # CSS sets apart ("<span class=credit>"), or a cite or small for the
                # credit: their words must not run into the words before them
                # ("stormJane Doe/AP").
                last = buf[-1][-1:]
                if last and not last.isspace() and last not in _OPENING:
                    buf.append(" ")
            if base is None and marked is None:
                frames.append(inline[context])
            else:
                kind, own = _block_kind(base, marked, context)
                if kind is not None:
                    buf = []
                    buffers.append(buf)
                frames.append((kind, context, order))
                context = own
            value = el.text
            if value:
                buf.append(value)
        elif event == "end":
            kind, context, start = frames.pop()
            tail = el.tail
            if kind is None or kind is _SKIP:
                if tail and frames:
                    buf.append(tail)
                continue
            block, lines = _block_text("".join(buffers.pop()))
            if block:
                found.append((start, kind, block, el, None, lines))
            if frames:
                buf = buffers[-1]
                if tail:
                    # Text after a nested block starts a new line of the enclosing block.
                    buf.append(_LINE_BREAK + tail)
        else:  # comments and processing instructions: only their tail is text
            tail = el.tail
            if tail:
                buf.append(tail)
    found.sort(key=itemgetter(0))
    return found


def _block_kind(
    base: Kind | None, marked: Kind | None, context: Kind | None
) -> tuple[Kind | None, Kind | None]:
    """The kind of block an element starts (None: its text is its parent's) and the
    caption or quote context it passes on, from its tag's kind (``base``), the kind its
    class, id or itemprop marks and the context of its parent."""
    own = marked or (base if base is Kind.CAPTION or base is Kind.QUOTE else None) or context
    kind: Kind | None
    if base is not None:
        # A heading or a table inside a quoted passage keeps its own kind: a table's cells
        # stay cells, whatever holds the table.
        kind = base if own is None or (base in _OWN_IN_QUOTE and own is Kind.QUOTE) else own
    else:
        # An inline element marked as a caption (span.caption) is a block of its own,
        # unless it is inside a caption already, whose text it is.
        kind = marked if context is None else None
    return kind, own


def _block_text(raw: str) -> tuple[str, int]:
    """A block's text from what its element gathered, and how many lines it is printed on."""
    lines = _lines(raw) if _LINE_BREAK in raw else 1
    if lines > 1:
        raw = CJK_BR.sub(r"\1", raw)  # (no space where a CJK line breaks)
    return " ".join(raw.split()), lines


def _html_blocks(found: list[Found], places: Places) -> list[Block]:
    """The walk's finds as Blocks with the facts of their place, their fields set through
    the slots directly.

    Equal to ``Block(i, kind, text, line, None, None, attr, tag, *places.facts(el, kind))``:
    a frozen dataclass's ``__init__`` sets every field through ``object.__setattr__``, which
    costs twice as much, and a page has thousands of blocks.
    """
    new, append = object.__new__, list.append
    blocks: list[Block] = []
    (
        set_index,
        set_kind,
        set_text,
        set_line,
        set_start,
        set_end,
        set_attr,
        set_tag,
        set_furniture,
        set_protected,
        set_form,
        set_pull_quote,
        set_picture,
        set_picture_files,
        set_post,
        set_post_text,
        set_around,
        set_link,
        set_anchor,
        set_target,
        set_lines,
        set_comment,
    ) = _SLOT_SETTERS
    facts = places.facts
    links: dict[Element, tuple[int, bool, str]] = {}
    holders = _link_holders(places.tree.getroot())
    for i, (_, kind, text, el, attr, lines) in enumerate(found):
        if kind is Kind.PARAGRAPH and _entry_s_paragraph(el):
            kind = Kind.LIST_ITEM
        (
            furniture,
            protected,
            form,
            pull_quote,
            picture,
            files,
            post,
            post_text,
            around,
            comment,
        ) = facts(el, kind)
        b = new(Block)
        set_index(b, i)
        set_kind(b, kind)
        set_text(b, text)
        set_line(b, el.sourceline or 0)
        set_start(b, None)
        set_end(b, None)
        set_attr(b, attr)
        set_tag(b, el.tag)
        set_furniture(b, furniture)
        set_protected(b, protected)
        set_form(b, form)
        set_pull_quote(b, pull_quote)
        set_picture(b, picture)
        set_picture_files(b, files)
        set_post(b, post)
        set_post_text(b, post_text)
        set_around(b, around)
        linked, anchor, target = (
            _links(el, text, links)
            if (kind is Kind.LIST_ITEM or (kind in _LINKED and len(text) <= _LINK_TEXT_MAX))
            and el in holders
            else _NO_LINKS
        )
        set_link(b, linked and kind is Kind.LIST_ITEM)
        set_anchor(b, anchor and kind is Kind.LIST_ITEM)
        set_target(b, target)
        set_lines(b, lines)
        set_comment(b, comment)
        append(blocks, b)
    return blocks


def _entry_s_paragraph(el: Element) -> bool:
    """Whether a paragraph is the whole of a list's entry (``<li><p>...</p></li>``, as
    Substack and editors that wrap every line write a list): the entry, read as one."""
    parent = el.getparent()
    return (
        el.tag == "p"
        and parent is not None
        and parent.tag == "li"
        and len(parent) == 1
        and not (parent.text or "").strip()
        and not (el.tail or "").strip()
    )


_SLOT_SETTERS = tuple(
    getattr(Block, name).__set__
    for name in (
        "index",
        "kind",
        "text",
        "line",
        "start",
        "end",
        "attr",
        "tag",
        "furniture",
        "protected",
        "form",
        "pull_quote",
        "picture",
        "picture_files",
        "post",
        "post_text",
        "around",
        "link",
        "anchor",
        "target",
        "lines",
        "comment",
    )
)


def _link_holders(root: Element) -> set[Element]:
    """The elements of a page that are or hold a link (``<a>``): most blocks hold none,
    and ``_links`` need not look."""
    holders: set[Element] = set()
    for a in root.iter("a"):
        el: Element | None = a
        while el is not None and el not in holders:
            holders.add(el)
            el = el.getparent()
    return holders


def _links(
    el: Element, text: str, known: dict[Element, tuple[int, bool, str]]
) -> tuple[bool, bool, str | None]:
    """Whether a block's text is all inside links (``<a>``: a teaser's title), whether
    those links all lead to places in the page ("#section-2": a table of contents), and
    the one page they lead to (its path), in one pass over its links. What a link says
    is read once a page (``known``): a block holding others holds their links too."""
    words, inside, targets = 0, True, set()
    for a in el.iter("a"):
        link = known.get(a)
        if link is None:
            href = (a.get("href") or "").strip()
            link = known[a] = (
                len("".join(a.itertext()).split()),
                href.startswith("#") and len(href) > 1,
                _path_of(href),
            )
        count, here, path = link
        words += count
        inside = inside and here
        targets.add(path)
    if not words or words < len(text.split()):
        return _NO_LINKS
    target = targets.pop() if len(targets) == 1 else None
    return True, inside, target or None


def _path_of(href: str) -> str:
    """The page a link leads to: its path, without scheme, host, query, fragment or a
    trailing slash ("" for an in-page link or a script)."""
    if href.startswith(("#", "javascript:", "mailto:")):
        return ""
    path = _URL_TAIL.sub("", _URL_HEAD.sub("", href))
    return path.rstrip("/")


_URL_HEAD = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/?#]*")
_URL_TAIL = re.compile(r"[?#].*$", re.S)
_LINKED = frozenset((Kind.LIST_ITEM, Kind.HEADING, Kind.PARAGRAPH))
# A heading or paragraph longer than this is no title in a link (its target is not read).
_LINK_TEXT_MAX = 200


_NO_LINKS: tuple[bool, bool, str | None] = (False, False, None)


# Inline tags that hold a part of a caption of their own (its credit).
_CAPTION_PARTS = frozenset(("cite", "small"))
# Characters after which a word follows without a space: "(Artist: X)", "“Quote”".
_OPENING = frozenset("([{<\"'“‘«„¿¡")
_SKIP = object()
_BR = object()
_IMG = object()
# Where a line ends inside a block: at a <br>, or after a block nested in it. A character
# that splitting on whitespace drops, as it drops the source's own line breaks, which
# only wrap the markup: a line of the page is where the page breaks one.
_LINE_BREAK = "\u2028"


def _lines(raw: str) -> int:
    """How many lines of words a block's collected text holds."""
    return sum(1 for line in raw.split(_LINE_BREAK) if line.strip())


# What the walk does with a tag: a block Kind, skip the subtree, a line break, a picture
# (attribute text); any other tag is inline.
_ROLES: dict[object, Any] = {
    **_BLOCK_KINDS,
    **dict.fromkeys(SKIP_TAGS, _SKIP),
    "br": _BR,
    "img": _IMG,
}


if core.walk is not None:
    core.walk.configure(
        _ROLES,
        _SKIP,
        _BR,
        _IMG,
        Kind.CAPTION,
        Kind.QUOTE,
        _CAPTION_PARTS,
        _OPENING,
        _LINE_BREAK,
        _block_kind,
        _block_text,
        _attribute_blocks,
        _mark_kind,
    )


def html_parser() -> etree.HTMLParser:
    """libxml2's HTML parser as every page is parsed: UTF-8 input, no network.

    lxml.etree's parser, not lxml.html's: the latter looks up a Python class for every
    element it hands out, which costs more than the parse itself. The HTML parser never
    loads DTDs or external entities and never expands entities declared in the page. Ids
    are not indexed (nothing looks elements up by id).
    """
    return etree.HTMLParser(encoding="utf-8", no_network=True, huge_tree=True, collect_ids=False)


# libxml2 stops building the tree below this depth and drops what is deeper.
MAX_DEPTH = 2048


def _parse_tree(text: str, utf8: bytes | None = None) -> Element:
    """Parse with libxml2's HTML parser, never touching the network or external entities.

    A page nested deeper than libxml2 keeps is refused: its deeper text would be lost from
    the tree, and with it from a cleaned copy.
    """
    data = text.encode("utf-8", "surrogatepass") if utf8 is None else utf8
    parser = html_parser()
    try:
        root = etree.fromstring(data, parser=parser) if data.strip() else None
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"cannot parse HTML: {exc}") from exc
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in entry.message:
            raise InputError(
                f"HTML nested deeper than {MAX_DEPTH} levels (line {entry.line}): "
                "the parser drops what lies deeper, so the page is not cleaned"
            )
    if root is None:  # nothing but whitespace or comments
        root = etree.fromstring(b"<html></html>", parser=html_parser())
    return root

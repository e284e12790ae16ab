"""Invariants over generated documents (hypothesis): what holds for every input."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import dedup
from dedup.parse.html import parse_html
from dedup.parse.md_lines import line_roles
from dedup.parse.text import parse_text

from .conftest import deletions_only, threshold, twin_similarity

CONFIG = dedup.Config()
WORDS = [
    "police",
    "said",
    "the",
    "man",
    "was",
    "arrested",
    "on",
    "Monday",
    "near",
    "station",
    "الأمير",
    "محمد",
    "وزير",
    "Café",
    "naïve",
    "2019",
    "14",
    "«quoted»",
    "“smart”",
    "—",
    "日本語",
    "テキスト",
    "Ünïcode",
    "zero\u200bwidth",
    "soft\u00adhyphen",
]

word = st.sampled_from(WORDS)
sentence = st.lists(word, min_size=1, max_size=25).map(" ".join)


@st.composite
def documents(draw) -> list[str]:
    """Paragraphs, some of them repeated or altered copies of others."""
    paragraphs = draw(st.lists(sentence, min_size=1, max_size=12))
    for _ in range(draw(st.integers(0, 6))):
        src = draw(st.sampled_from(paragraphs))
        how = draw(st.sampled_from(["same", "upper", "prefix", "cut", "label"]))
        copy = {
            "same": src,
            "upper": src.upper(),
            "prefix": "Photo: " + src,
            "cut": src[: max(1, len(src) * 2 // 3)] + "...",
            "label": "Image caption, " + src,
        }[how]
        paragraphs.insert(draw(st.integers(0, len(paragraphs))), copy)
    return paragraphs


def _text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs) + "\n"


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents())
def test_text_output_is_a_subsequence_and_only_removed_spans_change(paragraphs):
    source = _text(paragraphs)
    result = dedup.clean(source, format="text")
    before = [b.text for b in parse_text(source)]
    after = [b.text for b in parse_text(result.text)]
    assert after == [b.text for b in result.kept]
    assert _is_subsequence(after, before)
    # Deleting the removed spans (with their separators) from the source gives the output.
    rebuilt = source
    for b in sorted((result.blocks[r.index] for r in result.removed), key=lambda b: -b.start):
        rebuilt = rebuilt[: b.start] + rebuilt[b.end :]
    assert [t for t in rebuilt.split("\n") if t.strip()] == [
        t for t in result.text.split("\n") if t.strip()
    ]


@SETTINGS
@given(documents())
# A cut copy whose own copy went for it stays: it is that copy's kept twin.
@example(
    [
        "Photo: police police p...",
        "Photo: police police p...",
        "Photo: police police police police",
        "police police police police",
    ]
)
def test_every_removed_block_has_a_kept_twin_above_its_threshold(paragraphs):
    result = dedup.clean(_text(paragraphs), format="text")
    kept = {b.index for b in result.kept}
    for r in result.removed:
        assert r.duplicate_of in kept
        twin = result.blocks[r.duplicate_of].text
        assert twin_similarity(r.text, twin, r.reason, CONFIG) >= threshold(r.reason, CONFIG) - 1e-9


@SETTINGS
@given(documents())
# Two credit lines under no picture: text says them once, and so does the page.
@example(["Photo: police", "Photo: police", "police", "police"])
# A cut copy that its own copy went for goes too, and that copy goes for the full text.
@example([f"{'police ' * 11}201...", f"{'police ' * 11}201...", f"{'police ' * 11}2019 said"])
# A labelled copy of a labelled copy: every label is set aside, not the first two.
@example(["Photo: " * n + "police police police" for n in (4, 3, 2, 1, 0)])
# A stamp followed by the same short label twice is one widget printed twice, as the
# cleaned text reads it: the line after the first copy goes as a copy.
@example(
    [
        "police 2019 2019 police",
        "Photo: police police police",
        "police",
        "police",
        "police police police",
        "police 2019 2019 police",
        "police",
    ]
)
def test_cleaning_is_idempotent_for_text_and_html(paragraphs):
    once = dedup.clean(_text(paragraphs), format="text")
    assert dedup.clean(once.text, format="text").removed == ()
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"
    cleaned = dedup.clean(html, format="html")
    again = dedup.clean(cleaned.html, format="html")
    assert again.removed == ()
    assert [b.text for b in again.blocks] == [b.text for b in cleaned.kept]


@SETTINGS
@given(documents(), st.sampled_from(["\n", "\r\n"]))
# The first line goes, and the next is the third with a stamp joined on: it is read as the
# first block (a headline's place) as the cleaned text will read it.
@example(
    [
        "police police police police police",
        "2019 2019 police police police",
        "police police police",
    ],
    "\n",
)
# A stamp's item is a line long enough to be matched: a labelled line too short to be is
# taken by a later rule, and the second stamp would find another item in the cleaned text.
@example(
    [
        "Photo: police police said",
        "police police said",
        "police police said",
        "police police police 14",
        "Photo: police police said",
        "police police police 14",
    ],
    "\n",
)
def test_text_written_a_paragraph_a_line_cleans_like_paragraphs(paragraphs, newline):
    by_blank = dedup.clean(_text(paragraphs), format="text")
    by_line = dedup.clean(newline.join(paragraphs) + newline, format="text")
    plan = [(r.index, r.duplicate_of, r.reason) for r in by_blank.removed]
    assert [(r.index, r.duplicate_of, r.reason) for r in by_line.removed] == plan
    assert by_line.text == newline.join(b.text for b in by_blank.kept) + newline
    assert dedup.clean(by_line.text, format="text").removed == ()


@SETTINGS
@given(st.text(max_size=400), st.sampled_from(["html", "text", "markdown"]))
def test_any_text_parses_without_crashing(text, fmt):
    result = dedup.clean(text, format=fmt)
    assert len(result.kept) + len(result.removed) == len(result.blocks)


@SETTINGS
@given(st.binary(max_size=600))
def test_any_bytes_clean_or_raise_an_input_error(data):
    try:
        result = dedup.clean(data)
    except dedup.InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(result.text, str)


@SETTINGS
@given(documents())
def test_html_blocks_keep_their_text(paragraphs):
    html = "<html><body>" + "".join(f"<div><p>{p}</p></div>" for p in paragraphs) + "</body></html>"
    blocks = parse_html(html).blocks
    assert [b.text for b in blocks] == [" ".join(p.split()) for p in paragraphs if p.strip()]


def _seeded_documents(count: int) -> list[list[str]]:
    rng = random.Random(7)
    docs = []
    for _ in range(count):
        paragraphs = [
            " ".join(rng.choices(WORDS, k=rng.randint(3, 25))) for _ in range(rng.randint(2, 12))
        ]
        for _ in range(rng.randint(1, 5)):
            src = rng.choice(paragraphs)
            paragraphs.insert(
                rng.randint(0, len(paragraphs)), rng.choice([src, src.upper(), "Photo: " + src])
            )
        docs.append(paragraphs)
    return docs


def test_results_do_not_depend_on_the_hash_seed():
    docs = _seeded_documents(40)
    code = (
        "import dedup, json, sys\n"
        "docs = json.load(sys.stdin)\n"
        "out = [[(r.index, r.duplicate_of, r.similarity, r.reason) for r in "
        "dedup.clean('\\n\\n'.join(d), format='text').removed] for d in docs]\n"
        "print(json.dumps(out))\n"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(docs),
            text=True,
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("0", "1", "4242")
    }
    assert len(outs) == 1
    assert any(json.loads(outs.pop()))  # something was removed: the comparison means something


# Letters that case-insensitive regexes match to ASCII letters in surprising ways.
TRICKY = [
    "K",
    "ſ",
    "İ",
    "ı",
    "ß",
    "Σ",
    "é",
    " ",
    "-",
    "(",
    ")",
    "/",
    "|",
    "©",
    ".",
    ":",
    ",",
    ").",
    ") .",
    "\n",
    "\u00a0",
]
HINT_WORDS = [
    "photo",
    "Image",
    "CREDIT",
    "source",
    "Foto",
    "bild",
    "Copyright",
    "video",
    "gallery",
    "watch",
    "caption",
    "Credit",
    "cutline",
    "pull-quote",
    "BlockQuote",
    "quote-box",
    "imagecap",
    "photo-desc",
    "AP",
    "Reuters",
    "Getty",
    "by",
    "AFP",
    "Shutterstock",
    "iStock",
    "Xinhua",
    "via",
    "submitted",
    "Staff",
    "file",
    "courtesy",
    "Illustration",
    "graphics",
    "Bildquelle",
    "Quelle",
    "Crédits photo",
    "Fuente",
    "Photograph",
    "Picture",
    "Photos by",
    "Image source",
    "مصدر الصورة،",
    "Автор фото,",
    "Fotoğraf kaynağı,",
    "Sumber gambar:",
    "图片来源，",
    "Crédito,",
    "Source image,",
    "تصویر کا ذریعہ،",
    "رويترز",
    "أ ف ب",
    "أ.ب",
    "تصوير:",
    "المصدر،",
    "الجزيرة",
    "مواقع التواصل",
    "غيتي",
    "د.ب.أ",
    "فرانس برس",
    "hide caption",
    "Toggle Caption",
    "Enlarge this image",
    "Click to enlarge",
    "view larger image",
    "See full-size photo",
    "expand image",
    "open in gallery",
]
# Kelvin sign for k, long s for s, dotted and dotless capital/small i for i.
LOOKALIKES = {"k": "\u212a", "s": "\u017f", "i": "\u0130", "I": "\u0131"}


@st.composite
def hint_word(draw) -> str:
    w = draw(st.sampled_from(HINT_WORDS))
    return "".join(LOOKALIKES[c] if c in LOOKALIKES and draw(st.booleans()) else c for c in w)


hinted = st.lists(
    st.one_of(hint_word(), st.sampled_from(TRICKY), word), min_size=1, max_size=12
).map(" ".join)


@st.composite
def credit_shaped(draw) -> str:
    """Text ending (or made of) something like a photo credit, in the shapes the credit
    regexes know and near them: separators, parentheses, heads, agencies, trailing dots."""
    parts = [
        draw(
            st.sampled_from(["", "Ships at dawn", "Le port", "x", "By the sea", "سفن في الميناء"])
        ),
        draw(st.sampled_from(["", " ", ". ", " | ", " / ", " - ", ", ", " — ", "; "])),
        draw(st.sampled_from(["", "(", "( "])),
        draw(
            st.sampled_from(
                [
                    "",
                    "©",
                    "© ",
                    "via ",
                    "Photo: ",
                    "Image ",
                    "Credit, ",
                    "Source: ",
                    "Foto: ",
                    "Bild: ",
                    "Copyright: ",
                    "AP Photo/",
                    "Photos by ",
                    "Staff photo",
                    "Illustration: ",
                    "تصوير: ",
                    "صورة، ",
                ]
            )
        ),
        draw(st.one_of(st.just(""), hint_word())),
        draw(st.sampled_from(["", " Jane Doe", "/Reuters", " Images", " photo"])),
        draw(st.sampled_from(["", ")", " )"])),
        draw(st.sampled_from(["", ".", " .", " ", "\n", ". ", "..."])),
    ]
    return "".join(parts)


def _viewer_words_by_regex_alone(text):
    from dedup.match.normalize import _UI_LEADING, _UI_TRAILING, _UI_WINDOW

    found = False
    m = _UI_LEADING.match(text)
    if m and m.end() < len(text):
        text, found = text[m.end() :], True
    m = _UI_TRAILING.search(text, max(0, len(text) - _UI_WINDOW))
    if m and m.start() > 0:
        text, found = text[: m.start()], True
    return text, found


@settings(max_examples=1500, deadline=None)
@given(st.one_of(hinted, credit_shaped()))
@example("photo expand image \xa0")  # the regexes take any white space at the end
def test_substring_prefilters_never_hide_a_regex_match(text):
    # The fast tests in front of the credit and class-name regexes may say "maybe" wrongly,
    # never "no" where the case-insensitive regex matches.
    from dedup.match.normalize import (
        _AGENCY_ONLY,
        _CREDIT,
        _CREDIT_ONLY,
        _may_be_credit_only,
        _may_hold_credit,
        strip_viewer_words,
    )
    from dedup.parse.html import CAPTION_ATTR, mark_kind
    from dedup.parse.place import QUOTE_ATTR

    if _CREDIT.search(text):
        assert _may_hold_credit(text)
    if _CREDIT_ONLY.match(text) or _AGENCY_ONLY.match(text):
        assert _may_be_credit_only(text)
    assert strip_viewer_words(text) == _viewer_words_by_regex_alone(text)
    expected = (
        "caption" if CAPTION_ATTR.search(text) else "quote" if QUOTE_ATTR.search(text) else None
    )
    kind = mark_kind(text)
    assert (str(kind) if kind else None) == expected


# Ways pages write a block: case, quoting, a ">" inside a quoted value, attributes over
# several lines, comments and scripts holding look-alike tags, nesting, entities.
WRAPPERS = [
    "<p>{}</p>",
    "<P CLASS=body>{}</P>",
    "<div class='caption' data-x=\"a>b\">{}</div>",
    "<figure><img src=a.jpg alt=''>\n<figcaption\n   class=\"wp-caption-text\">{}</figcaption></figure>",
    "<div><!-- <p>not a tag</p> --><p>{}</p></div>",
    "<script>var s = '<p>x</p>';</script><p>{}</p>",
    "<div class=caption>{}<img src=b.jpg></div>",
    "<blockquote class=pullquote><p>{}</p></blockquote>",
    "<li>{}</li>",
    "<div><div>{}</div></div>",
    "<p>{}<br>\r\n</p>",
    "<h2>{}</h2>",
]


@st.composite
def pages(draw) -> str:
    paragraphs = draw(documents())
    body = []
    for p in paragraphs:
        text = p.replace("&", "&amp;").replace("<", "&lt;")
        body.append(draw(st.sampled_from(WRAPPERS)).format(text))
    sep = draw(st.sampled_from(["\n", "", "\r\n", "\n  "]))
    return "<!DOCTYPE html>\n<html><body>" + sep + sep.join(body) + sep + "</body></html>\n"


_LEAD_INS = (
    "<!DOCTYPE html>\n<html><body>\n"
    + "<p>police — the police was arrested polic...</p>\n" * 3
    + "<div class='caption'>police — the police was arrested police police police man</div>\n"
    + "<div class='caption'>police police — the police was arrested police police police man</div>\n"
    + "<p>police — the police was arrested polic...</p>\n" * 2
    + "</body></html>\n"
)


# A short line's copies under two headings, one of them a credit line said twice ("Photo:
# police", a copy of the first line), which goes: the cleaned page reads the first copy
# under no heading of its own, so the copies are no items' own lines but a repeat.
_CREDIT_HEADING = (
    "<!DOCTYPE html>\n<html><body>\n<p>Photo: police</p>\n<p>police</p>\n"
    "<h2>Photo: police</h2>\n<p>police</p>\n<p>police police police</p>\n<p>police</p>\n"
    "<h2>police</h2>\n<p>police police police</p>\n</body></html>\n"
)


def test_a_heading_that_goes_heads_no_item_in_either_clean():
    result = dedup.clean(_CREDIT_HEADING, format="html")
    plan = [(r.index, r.duplicate_of, r.text) for r in result.html_removed]
    assert plan == [(2, 0, "Photo: police"), (7, 4, "police police police")]
    assert [(r.index, r.duplicate_of) for r in result.removed] == [(2, 0), (7, 4)]
    again = dedup.clean(result.html, format="html")
    assert again.html_removed == () and again.removed == ()
    assert [b.text for b in again.blocks] == [b.text for b in result.kept_in("html")]
    # So is a heading printed again, which goes as a copy of the first.
    title = "<h2>Police arrested the man on Monday</h2>"
    page = _CREDIT_HEADING.replace("<p>Photo: police</p>", title).replace(
        "<h2>Photo: police</h2>", title
    )
    result = dedup.clean(page, format="html")
    assert [(r.index, r.duplicate_of) for r in result.html_removed] == [(2, 0), (7, 4)]
    assert dedup.clean(result.html, format="html").html_removed == ()


# A heading cut short with an ellipsis and, last, its full text: the full heading reads as
# the cut one with a name joined on at a "»" ("Title » Site"), so it ranked after the
# paragraph inside it, which stayed. The cut heading goes for the full one, and the
# cleaned page has no headline to join a name to: there the full heading comes first and
# the paragraph goes for it. It goes in the first clean too.
_CUT_HEADLINE = (
    "<!DOCTYPE html>\n<html><body>\n"
    + "<p>police</p>\n" * 5
    + "<h2>police police station «quoted» «quoted» ...</h2>\n"
    + "<p>police</p>\n" * 3
    + "<p>police police police said police</p>\n"
    + "<h2>police police station «quoted» «quoted» said police said said</h2>\n"
    + "</body></html>\n"
)


def test_a_headline_that_goes_makes_no_titled_copy_in_either_clean():
    result = dedup.clean(_CUT_HEADLINE, format="html")
    plan = [(r.index, r.duplicate_of, r.reason) for r in result.html_removed]
    assert plan == [(5, 10, dedup.Reason.CONTAINED), (9, 10, dedup.Reason.CONTAINED)]
    assert [(r.index, r.duplicate_of, r.reason) for r in result.removed] == plan
    again = dedup.clean(result.html, format="html")
    assert again.html_removed == () and again.removed == ()
    assert [b.text for b in again.blocks] == [b.text for b in result.kept_in("html")]


# A headline said again with a credit's label ("Photo: ..."), which goes as a copy of the
# list entry, and the heading that joins a name to it, which the page keeps for its credit:
# once the headline goes that heading is no titled copy, and the entry goes for it. Text
# and HTML read the same headlines (the page removes no more than the text).
_CREDITED_TITLE = (
    "<!DOCTYPE html>\n<html><body>\n<li>Police arrested the man near the station</li>\n"
    "<h2>Site » Photo: Police arrested the man near the station</h2>\n"
    "<h3>Photo: Police arrested the man near the station</h3>\n</body></html>\n"
)


def test_a_titled_copy_kept_for_its_credit_is_read_without_its_headline():
    result = dedup.clean(_CREDITED_TITLE, format="html")
    plan = [(r.index, r.duplicate_of, r.reason) for r in result.html_removed]
    assert plan == [(0, 1, dedup.Reason.CONTAINED), (2, 1, dedup.Reason.CONTAINED)]
    assert [(r.index, r.duplicate_of, r.reason) for r in result.removed] == plan
    again = dedup.clean(result.html, format="html")
    assert again.html_removed == () and again.removed == ()


_CREDIT_LINES = "<!DOCTYPE html>\n<html><body>\n<p>Photo: police police</p>\n<p>police police</p>\n<div class='caption' data-x=\"a>b\">police</div>\n<p>Photo: police police</p>\n<div class='caption' data-x=\"a>b\">police police</div>\n<figure><img src=a.jpg alt=''>\n<figcaption\n   class=\"wp-caption-text\">police</figcaption></figure>\n<p>Photo: police police</p>\n</body></html>\n"


@SETTINGS
@given(pages())
# Two captions whose lead-ins differ and whose rests are one: the first keeps its own text.
@example(_LEAD_INS)
@example(_LEAD_INS.replace("police police —", "police —"))
# Credit lines under no picture, and a caption that is their words without the label: the
# credit lines go for each other in the page too, whatever becomes of the caption.
@example(_CREDIT_LINES)
# A stamp under a heading cut with an ellipsis, which goes for the stamp's other item: the
# cleaned page reads that stamp under the item before, where its first copy stands.
@example(
    "<html><body>"
    + "<p>police police police 14</p>" * 3
    + "<h2>police police p...</h2>"
    + "<p>police police police 14</p>" * 2
    + "</body></html>"
)
# A heading that goes as a credit line said twice is no item: what stood under it does
# not stand under an item of its own in the cleaned page either.
@example(_CREDIT_HEADING)
# A heading cut short and its full text, which reads as it with a name joined on: once the
# cut one goes, the full one is no titled copy, in the first clean as in the second.
@example(_CUT_HEADLINE)
@example(_CREDITED_TITLE)
# A caption said again as the paragraph after it, and a second caption that retells that
# paragraph: it is read against the paragraph, not against the caption that goes.
@example(
    "<!DOCTYPE html>\n<html><body>\n"
    + f"<div class='caption'>{'police ' * 10}said</div>\n"
    + f"<p>{'police ' * 10}said</p>\n" * 2
    + f"<div class='caption'>{'police ' * 11}the</div>\n"
    + "</body></html>\n"
)
# An entry under two labels, the second a copy of the first, which goes: the cleaned page
# reads the entries in one list, a repeat, and so does the first clean.
@example(
    "<!DOCTYPE html>\n<html><body>\n<p>police police police</p>\n"
    "<li>police police police said</li>\n"
    + "<p>police police police</p>\n"
    * 3
    + "<p>police police police police</p>\n<li>police police police said</li>\n"
    "<p>police police police</p>\n</body></html>\n"
)
# ... so does an entry whose heading goes after the plan (a teaser cut short).
@example(
    "<!DOCTYPE html>\n<html><body>\n<h2>police police ze...</h2>\n"
    "<li>police police police</li>\n<p>police</p>\n<p>police police zero\u200bwidth</p>\n"
    + "<p>police</p>\n" * 4
    + "<li>police police police</li>\n</body></html>\n"
)
def test_cleaned_html_is_the_source_minus_the_echoes(page):
    result = dedup.clean(page, format="html")
    again = dedup.clean(result.html, format="html")
    assert again.html_removed == ()
    assert [b.text for b in again.blocks] == [b.text for b in result.kept_in("html")]
    assert deletions_only(page, result.html)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@st.composite
def laid_out(draw) -> str:
    """A document's paragraphs as a writer lays them out: lines indented by spaces or a
    tab, some with trailing spaces, paragraphs of one line or more, LF or CR LF."""
    paragraphs = draw(documents())
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out = []
    for i, p in enumerate(paragraphs):
        indent = draw(st.sampled_from(["", "", "  ", "    ", "        ", "\t"]))
        trail = draw(st.sampled_from(["", "", "  ", "\t"]))
        gap = newline if i + 1 == len(paragraphs) else draw(st.sampled_from([newline, newline * 2]))
        out.append(indent + p + trail + gap)
    return "".join(out)


@SETTINGS
@given(laid_out(), st.sampled_from(["markdown", "text"]))
# A copy indented by 8 spaces on the line above a paragraph's line that is not.
@example("police police police\n\n        police police police\n2019\n", "markdown")
def test_every_line_of_the_output_is_a_line_of_the_input(source, fmt):
    # Removed blocks go with their whole lines: a line that stays keeps every byte (its
    # indentation, its trailing spaces) and its place.
    result = dedup.clean(source, format=fmt)
    assert _is_subsequence(_LINE_BREAK.split(result.text), _LINE_BREAK.split(source))


# Sentences long enough to be matched, and a short line that never is.
SENTENCES = [
    "The river rose above the old stone bridge before dawn on Monday",
    "Rescue workers search the rubble of the collapsed building in the old town",
    "The mayor said the main street would stay closed until Friday at least",
    "Volunteers filled sandbags outside the library through the night",
    "Short line",
]
_IMAGE_FILE = re.compile(r"\]\((x\d\.jpg)\)")


@st.composite
def markdown_documents(draw) -> str:
    """Markdown as converters and writers lay it out: headings, paragraphs (a line carried
    on by an indented one), lists (nested, an entry led by an image), quotes, code fenced
    (a fence left open) and indented, images alone or beside words, thematic breaks, and
    sentences said again (whole, in capitals, labelled or cut short), with or without a
    blank line between blocks."""

    def said() -> str:
        s = draw(st.sampled_from(SENTENCES))
        how = draw(st.sampled_from(["same", "same", "same", "upper", "label", "cut"]))
        return {
            "same": s,
            "upper": s.upper(),
            "label": "Photo: " + s,
            "cut": s[: len(s) * 2 // 3] + "...",
        }[how]

    def image() -> str:
        alt = draw(st.sampled_from(["Photo of the flooded main street", said()]))
        return f"![{alt}](x{draw(st.integers(1, 3))}.jpg)"

    def block() -> str:
        kind = draw(
            st.sampled_from(
                [
                    "heading",
                    "paragraph",
                    "lines",
                    "carried",
                    "bullets",
                    "numbers",
                    "nested",
                    "entry image",
                    "quote",
                    "quotes",
                    "fence",
                    "open fence",
                    "indented",
                    "image",
                    "image words",
                    "rule",
                ]
            )
        )
        if kind == "heading":
            return "#" * draw(st.integers(1, 3)) + " " + said()
        if kind == "paragraph":
            return said()
        if kind == "lines":
            return f"{said()}\n{said()}"
        if kind == "carried":
            return f"{said()}\n    {said()}"
        if kind in ("bullets", "numbers"):
            n = draw(st.integers(1, 3))
            marks = [draw(st.sampled_from("-*+")) for _ in range(n)]
            if kind == "numbers":
                marks = [f"{i + 1}." for i in range(n)]
            return "\n".join(f"{mark} {said()}" for mark in marks)
        if kind == "nested":
            return f"- {said()}\n  - {said()}\n\n    {said()}"
        if kind == "entry image":
            return f"- {image()} {said()}"
        if kind == "quote":
            return f"> {said()}"
        if kind == "quotes":
            return f"> {said()}\n>\n> {said()}"
        if kind == "fence":
            return f"```\n{said()}\n```"
        if kind == "open fence":
            return f"```\n{said()}"
        if kind == "indented":
            return f"    {said()}"
        if kind == "image":
            return image()
        if kind == "image words":
            return f"{image()} {said()}"
        return draw(st.sampled_from(["* * *", "---", "___", "- - -"]))

    blocks = [block() for _ in range(draw(st.integers(2, 8)))]
    return "".join(b + draw(st.sampled_from(["\n", "\n\n"])) for b in blocks)


@SETTINGS
@given(markdown_documents(), st.booleans())
# Lines split apart by their copies, read whole again once the copies are gone: the text
# beside the quote then reaches its twin.
@example(
    f"{SENTENCES[0]}\n{SENTENCES[0]}\n- {SENTENCES[0]}\n  - {SENTENCES[0]}\n\n"
    f"    {SENTENCES[0]}\n{SENTENCES[0]}\n{SENTENCES[0]}\n{SENTENCES[0]}\nShort line\n"
    f"{SENTENCES[1]}\n> {SENTENCES[0]}\n",
    False,
)
def test_cleaning_markdown_twice_changes_nothing_and_keeps_code_rules_and_images(md, alt):
    config = dedup.Config(include_alt=alt)
    once = dedup.clean(md, format="markdown", config=config)
    again = dedup.clean(once.text, format="markdown", config=config)
    assert again.text == once.text
    # Code and rules are never removed; an image goes only with its own alt copy.
    fixed = [md[s:e] for s, e, role in line_roles(md) if role in ("code", "rule")]
    assert _is_subsequence(fixed, _LINE_BREAK.split(once.text))
    if not alt:
        assert _IMAGE_FILE.findall(once.text) == _IMAGE_FILE.findall(md)

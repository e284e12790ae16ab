import pytest

from dedup.model import Kind
from dedup.parse.html import parse_html


def kinds(html, **kw):
    blocks = parse_html(html, **kw).blocks
    return [(b.kind, b.text) for b in blocks]


def test_every_text_once_with_its_kind():
    html = """<html><head><title>T</title><style>p{}</style></head><body>
    <h1>Headline <a href="#">here</a></h1>
    <div>Intro <b>bold</b> text<p>First <i>para</i></p>after the para</div>
    <figure><img src="a.jpg" alt="Alt words"><figcaption>The caption</figcaption></figure>
    <blockquote><p>Quoted words</p></blockquote>
    <aside class="pull-quote">Pulled words</aside>
    <ul><li>One</li><li>Two<ul><li>Nested</li></ul></li></ul>
    <table><tr><td>Cell</td></tr><caption>Table caption</caption></table>
    <script>var x = "never text";</script><noscript>never</noscript><template><p>never</p></template>
    </body></html>"""
    assert kinds(html) == [
        (Kind.HEADING, "Headline here"),
        (Kind.PARAGRAPH, "Intro bold text after the para"),
        (Kind.PARAGRAPH, "First para"),
        (Kind.CAPTION, "The caption"),
        (Kind.QUOTE, "Quoted words"),
        (Kind.QUOTE, "Pulled words"),
        (Kind.LIST_ITEM, "One"),
        (Kind.LIST_ITEM, "Two"),
        (Kind.LIST_ITEM, "Nested"),
        (Kind.TABLE_CELL, "Cell"),
        (Kind.CAPTION, "Table caption"),
    ]


@pytest.mark.parametrize(
    "markup",
    [
        '<p class="imageCaption">Words under a photo</p>',
        '<div class="wp-caption-text">Words under a photo</div>',
        '<span class="caption-full">Words under a photo</span>',
        '<p id="photo-credit">Words under a photo</p>',
        '<div itemprop="caption">Words under a photo</div>',
        '<figure><figcaption><span class="off-screen">Image caption</span>'
        '<span class="media-caption__text">Words under a photo</span></figcaption></figure>',
    ],
)
def test_caption_markup_of_many_sites(markup):
    found = kinds(f"<body>{markup}</body>")
    assert found[-1][0] is Kind.CAPTION
    assert found[-1][1].endswith("Words under a photo")


def test_classed_parts_of_a_caption_are_words_of_their_own():
    # A site's CSS sets a caption's credit apart; the text must not run "stormJane" together.
    html = (
        '<body><figure><img src=a><figcaption><span class="caption-text">Waters rise in the '
        'storm</span><span class="credit">Jane Doe/AP</span></figcaption></figure>'
        '<div class="caption">(<span class="who">Artist</span>: <b>Name</b>)</div>'
        "<figcaption>Waters rise<cite>Photo: Jane Doe</cite></figcaption>"
        '<p>A wo<span class="hl">rd</span> split by a highlight</p></body>'
    )
    assert kinds(html) == [
        (Kind.CAPTION, "Waters rise in the storm Jane Doe/AP"),
        (Kind.CAPTION, "(Artist: Name)"),
        (Kind.CAPTION, "Waters rise Photo: Jane Doe"),
        (Kind.PARAGRAPH, "A word split by a highlight"),
    ]


def test_alt_text_only_when_asked():
    html = '<body><img src="a.jpg" alt="Alt words" title="Title words"><div data-alt="Lazy alt"></div></body>'
    assert kinds(html) == []
    blocks = parse_html(html, include_alt=True).blocks
    assert [(b.kind, b.text, b.attr) for b in blocks] == [
        (Kind.ALT, "Alt words", "alt"),
        (Kind.ALT, "Title words", "title"),
        (Kind.ALT, "Lazy alt", "data-alt"),
    ]


def test_data_caption_attribute_is_a_caption():
    blocks = parse_html(
        '<body><figure data-caption="From the attribute"><img src=x></figure></body>'
    ).blocks
    assert [(b.kind, b.text, b.attr) for b in blocks] == [
        (Kind.CAPTION, "From the attribute", "data-caption")
    ]


def test_comments_and_processing_instructions_are_not_text_but_their_tails_are():
    assert kinds("<body><p>a<!-- hidden -->b<?pi x?>c</p></body>") == [(Kind.PARAGRAPH, "abc")]


def test_line_numbers_point_at_the_source():
    blocks = parse_html("<html>\n<body>\n<p>one</p>\n\n<p>two</p></body></html>").blocks
    assert [b.line for b in blocks] == [3, 5]


def test_deep_nesting_does_not_recurse():
    # deeper than Python's recursion limit, within what libxml2 keeps (2048 levels)
    html = "<body>" + "<div>" * 1500 + "deep" + "</div>" * 1500 + "</body>"
    texts = [t for _, t in kinds(html)]
    assert texts == ["deep"]


def test_xml_declaration_and_broken_markup_are_tolerated():
    html = '<?xml version="1.0" encoding="utf-8"?><html><body><p>one<p>two</div></span><li>three'
    assert [t for _, t in kinds(html)] == ["one", "two", "three"]


def test_captions_are_known_by_the_words_sites_write_for_them_in_their_languages():
    for cls in (
        "pie-foto",
        "didascalia",
        "legende",
        "bildtext",
        "onderschrift",
        "img_cptn",
        "news-detail-img-author",
    ):
        blocks = parse_html(
            f"<html><body><div><img src=/a.jpg><p class='{cls}'>A view of the bridge at dawn</p></div></body></html>"
        )
        assert [b.kind for b in blocks.blocks] == [Kind.CAPTION], cls
    # A class that only holds such letters is no caption ("legal", "author").
    for cls in ("legal", "author-name", "fotograf-profile"):
        blocks = parse_html(
            f"<html><body><div><img src=/a.jpg><p class='{cls}'>A view of the bridge at dawn</p></div></body></html>"
        )
        assert [b.kind for b in blocks.blocks] == [Kind.PARAGRAPH], cls


def test_a_theme_s_quote_style_on_the_article_makes_no_quote_of_its_paragraphs():
    html = (
        "<article><div class='post-entry blockquote-style-2'><p>First paragraph of the story.</p>"
        "<figure class=wp-block-pullquote><blockquote><p>A pulled sentence.</p></blockquote>"
        "</figure><p>Second paragraph.</p></div></article>"
    )
    assert kinds(html) == [
        (Kind.PARAGRAPH, "First paragraph of the story."),
        (Kind.QUOTE, "A pulled sentence."),
        (Kind.PARAGRAPH, "Second paragraph."),
    ]

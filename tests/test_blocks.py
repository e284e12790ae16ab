import pytest

from dedup.model import Kind
from dedup.parse.html import parse_html
from dedup.parse.markdown import parse_markdown
from dedup.parse.text import parse_text


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
    html = ('<body><figure><img src=a><figcaption><span class="caption-text">Waters rise in the '
            'storm</span><span class="credit">Jane Doe/AP</span></figcaption></figure>'
            '<div class="caption">(<span class="who">Artist</span>: <b>Name</b>)</div>'
            '<figcaption>Waters rise<cite>Photo: Jane Doe</cite></figcaption>'
            '<p>A wo<span class="hl">rd</span> split by a highlight</p></body>')
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
    blocks = parse_html('<body><figure data-caption="From the attribute"><img src=x></figure></body>').blocks
    assert [(b.kind, b.text, b.attr) for b in blocks] == [(Kind.CAPTION, "From the attribute", "data-caption")]


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


def test_text_blocks_have_exact_spans():
    text = "First para\nline two\n\n\n  Second  \r\n\r\nThird"
    blocks = parse_text(text)
    assert [text[b.start:b.end] for b in blocks] == ["First para\nline two", "Second", "Third"]
    assert [b.line for b in blocks] == [1, 5, 7]


def test_text_without_blank_lines_is_a_block_a_line():
    text = "First line, a paragraph\r\n  Second  \nThird\rFourth\n"
    blocks = parse_text(text)
    assert [text[b.start:b.end] for b in blocks] == ["First line, a paragraph", "Second", "Third", "Fourth"]
    assert [b.line for b in blocks] == [1, 2, 3, 4]
    # One blank line anywhere and the text is read as paragraphs separated by blank lines.
    assert [b.text for b in parse_text("One\nline two\n\nThree")] == ["One\nline two", "Three"]
    # A CR LF is one line break, not a blank line.
    assert [b.text for b in parse_text("One\r\nline two\r\n\r\nThree")] == ["One\r\nline two", "Three"]


def test_a_paragraph_holding_a_repeated_line_is_read_a_line_a_block():
    cap = "Rescue workers search the rubble of the collapsed building"
    text = f"Opening paragraph of the story.\n\n{cap}\nImage caption, {cap}\n\nWrapped prose\nline two\n"
    assert [b.text for b in parse_text(text)] == [
        "Opening paragraph of the story.", cap, f"Image caption, {cap}", "Wrapped prose\nline two"]
    # A line repeated as a whole paragraph elsewhere splits its paragraph too.
    text = f"{cap}\n\nBody text.\nRescue workers search the rubble of the collapsed building\n"
    assert len(parse_text(text)) == 3
    # A paragraph written again whole (here with its line broken) stays whole: its copy
    # goes whole, with no stray line of it left behind.
    text = f"{cap}?\n\nBody text.\n\n{cap}\n?\n"
    assert [b.text for b in parse_text(text)] == [f"{cap}?", "Body text.", f"{cap}\n?"]
    # Short lines ("Share") never split a paragraph.
    assert [b.text for b in parse_text("Share\nShare\n\nBody.\n")] == ["Share\nShare", "Body."]


def test_markdown_blocks():
    md = (
        "# Title\n\n![A photo](a.jpg)\n\n*Caption of the photo*\n\n- item one\n- item [two](http://x)\n\n"
        "```\ncode\n\nstill code\n```\n\n> quoted\n\nA **bold** paragraph.\n"
    )
    blocks = parse_markdown(md, include_alt=True)
    assert [(b.kind, b.text) for b in blocks] == [
        (Kind.HEADING, "Title"),
        (Kind.ALT, "A photo"),
        (Kind.CAPTION, "Caption of the photo"),
        (Kind.LIST_ITEM, "item one"),
        (Kind.LIST_ITEM, "item two"),
        (Kind.QUOTE, "quoted"),
        (Kind.PARAGRAPH, "A bold paragraph."),
    ]
    assert md[blocks[4].start:blocks[4].end] == "- item [two](http://x)"
    assert all(b.kind is not Kind.ALT for b in parse_markdown(md))

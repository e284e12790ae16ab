"""What the parser records about where each block stands: the facts matching reads."""

from dedup.model import Kind
from dedup.parse.html import parse_html


def blocks_by_text(html, **kw):
    return {b.text: b for b in parse_html(html, **kw).blocks}


def test_furniture_is_navigation_sidebars_and_footers_but_never_the_article_or_its_h1():
    found = blocks_by_text("""<body>
      <nav><p>Menu entry text</p></nav>
      <div class="sidebar-related"><p>A related story</p></div>
      <aside><article><p>An article inside an aside</p></article></aside>
      <header class="sticky-nav-trigger"><h1>The headline</h1></header>
      <footer><h1>A footer headline</h1></footer>
      <article><p>Body text</p></article>
    </body>""")
    assert found["Menu entry text"].furniture
    assert found["A related story"].furniture
    assert not found["An article inside an aside"].furniture
    assert not found["The headline"].furniture
    assert not found["A footer headline"].furniture  # the page's <h1> never is
    assert not found["Body text"].furniture


def test_forms_and_quizzes_protect_what_they_hold_but_a_page_wrapped_in_a_form_does_not():
    found = blocks_by_text("""<body>
      <form><p>Which city is the capital?</p></form>
      <div class="quiz-box"><p>Question one text</p></div>
      <div class="pollard"><p>A pollard willow</p></div>
      <p>Plain text</p>
    </body>""")
    assert found["Which city is the capital?"].protected
    assert found["Question one text"].protected
    assert not found["A pollard willow"].protected
    assert not found["Plain text"].protected
    page = "<body><form><h1>Title</h1><p>Article text inside the form</p></form></body>"
    assert not blocks_by_text(page)["Article text inside the form"].protected


def test_a_pull_quote_is_marked_and_a_plain_blockquote_is_not():
    found = blocks_by_text("""<body><article>
      <aside class="pullquote"><blockquote>Pulled words</blockquote></aside>
      <blockquote>Quoted words</blockquote>
    </article></body>""")
    assert found["Pulled words"].pull_quote and found["Pulled words"].kind is Kind.QUOTE
    assert not found["Quoted words"].pull_quote


def test_captions_know_their_picture_region_and_regions_nest_as_paths():
    page = parse_html("""<body>
      <figure><img src="a.jpg"><figcaption>First caption</figcaption></figure>
      <figure><img src="b.jpg"><figcaption>Second caption</figcaption>
        <p>A credit line in the figure</p></figure>
      <p>Body text</p>
    </body>""")
    found = {b.text: b for b in page.blocks}
    first, second = found["First caption"].picture, found["Second caption"].picture
    assert first and second and first != second
    assert found["A credit line in the figure"].picture == second
    assert found["Body text"].picture is None  # only captions and lines in figures have one
    # The path names the element in the page's own tree.
    assert page.root.getroottree().xpath(first)[0].tag == "figure"


def test_a_quote_inside_an_embedded_post_knows_the_post():
    found = blocks_by_text("""<body>
      <blockquote class="twitter-tweet"><p>The post text</p>
        <p>— Name (@handle) May 1, 2024</p></blockquote>
      <blockquote>Alone</blockquote>
    </body>""")
    line = found["— Name (@handle) May 1, 2024"]
    assert line.post is not None and "The post text" in line.post_text
    assert found["Alone"].post is None  # the block is the quote itself


def test_text_and_markdown_blocks_keep_the_defaults():
    import dedup

    for fmt in ("text", "markdown"):
        for b in dedup.clean("A paragraph of text.\n\nAnother one here.", format=fmt).blocks:
            assert (b.tag, b.furniture, b.protected, b.pull_quote, b.picture, b.post) == (
                None,
                False,
                False,
                False,
                None,
                None,
            )


def test_a_lazy_loading_placeholder_is_no_picture_file():
    found = blocks_by_text(
        "<body><figure><img src='/assets/lazy-loading-14x9.png' data-src='/photos/120109.jpg'>"
        "<figcaption>A caption under a lazy photo</figcaption></figure></body>"
    )
    assert found["A caption under a lazy photo"].picture_files == ("120109",)


def test_a_block_in_a_form_knows_its_form_unless_a_quiz_protects_it():
    found = blocks_by_text(
        "<body><form id=a><p>Line in the first form</p></form>"
        "<form id=b><div class=quiz><p>A quiz question here</p></div></form></body>"
    )
    line, question = found["Line in the first form"], found["A quiz question here"]
    assert line.protected and line.form and line.form.endswith("form[1]")
    assert question.protected and question.form is None

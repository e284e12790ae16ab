import dedup
from dedup.model import Kind
from dedup.parse.markdown import parse_markdown


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
    assert md[blocks[4].start : blocks[4].end] == "- item [two](http://x)"
    # Alt text is printed in Markdown: a block either way, its words only without
    # ``include_alt`` (a copy's words go, the image stays).
    alt = next(b for b in parse_markdown(md) if b.kind is Kind.ALT)
    assert md[alt.start : alt.end] == "A photo"


def test_an_image_s_alt_text_said_by_its_caption_goes_and_the_image_stays():
    said = "Passengers board the water bus at the Apgujeong pier on its first morning"
    md = (
        f"# Water buses start on the Han\n\n![{said}](https://img.example/b-01.jpg)\n\n"
        f"{said}. Photo: Hanbit Ilbo\n\nThe service runs every 15 minutes at rush hour and "
        "every 30 minutes otherwise, the city said on Monday.\n\n"
        "![Map of the route](https://img.example/map.png)\n"
    )
    r = dedup.clean(md, name="page.md")
    assert r.text.count(said) == 1 and "![](https://img.example/b-01.jpg)" in r.text
    assert "![Map of the route](https://img.example/map.png)" in r.text
    assert dedup.clean(r.text, name="page.md").removed == ()


def test_a_web_readers_header_is_apart_from_the_page_it_converted():
    title = "Chengdu opens its third airport terminal"
    md = (
        f"Title: {title}\n\nURL Source: https://example.com/t3\n\nMarkdown Content:\n{title}\n"
        f"{'=' * 40}\n\nThe terminal opened at midnight with 912 flights on its first day.\n\n"
        f"- [{title}](https://example.com/t3)\n- Plain entry of a list\n"
    )
    blocks = parse_markdown(md)
    assert [(b.kind, b.text) for b in blocks[2:4]] == [
        (Kind.PARAGRAPH, "Markdown Content:"),
        (Kind.HEADING, title),
    ]
    # A list's entry records whether it is a link whole.
    assert [b.link for b in blocks if b.kind is Kind.LIST_ITEM] == [True, False]
    r = dedup.clean(md, name="page.md")
    assert r.text.count(title) == 1 and f"# {title}" not in r.text and f"{title}\n===" in r.text


def test_a_caption_on_the_line_under_its_image_is_a_caption():
    # html2text writes an image and its caption with no blank line between.
    md = "# Title\n\n![A train](t.jpg)\n_Trains stand in the depot on Monday. Photo: City Transit_\n\nBody text.\n"
    blocks = parse_markdown(md, include_alt=True)
    assert [(b.kind, b.text) for b in blocks] == [
        (Kind.HEADING, "Title"),
        (Kind.ALT, "A train"),
        (Kind.CAPTION, "Trains stand in the depot on Monday. Photo: City Transit"),
        (Kind.PARAGRAPH, "Body text."),
    ]
    assert md[blocks[2].start : blocks[2].end].startswith("_Trains")


def test_a_reader_s_title_line_with_the_site_s_name_is_the_headline_again():
    title = "Kaohsiung's circular light rail opens in full, 200,000 riders in its first week"
    md = (
        f"Title: {title} | Southern Daily\n\nURL Source: https://example.com/lrt\n\n"
        f"Markdown Content:\n{title}\n{'=' * 30}\n\n"
        "![Image 1: Trams pass the Love River station as people take photos](https://e.x/1.jpg)\n\n"
        "Trams pass the Love River station as people take photos. (Photo: Lin Pei-chun)\n\n"
        "The operator said the line carried 213,000 riders in its first week of free rides.\n"
    )
    r = dedup.clean(md, name="page.md")
    assert r.text.count(title) == 1 and r.text.count("Trams pass the Love River") == 1
    assert "![](https://e.x/1.jpg)" in r.text


P = "The river rose above the old stone bridge before dawn on Monday"


def test_an_indented_code_block_is_code_it_stays_and_removes_nothing():
    line = "    print('the river rose above the old stone bridge')\n"
    md = f"# Notes\n\nRun it twice:\n\n{line}{line}\nThen it stops.\n"
    assert dedup.clean(md, format="markdown").text == md
    md = f"# Notes\n\n{P}\n\n    {P}\n\nEnd of the notes.\n"
    assert dedup.clean(md, format="markdown").text == md
    # An indented line that carries on a paragraph, or a list's entry, is text.
    md = f"# Notes\n\n{P}\n\nThe notes say it again.\n    {P}\n"
    assert dedup.clean(md, format="markdown").text == f"# Notes\n\n{P}\n\nThe notes say it again.\n"
    md = f"# Notes\n\n{P}\n\n- An entry of the list\n\n    {P}\n"
    assert dedup.clean(md, format="markdown").text == f"# Notes\n\n{P}\n\n- An entry of the list\n"


def test_code_is_never_the_twin_that_removes_prose_nor_removed():
    long = P + ", and the town woke to water in its streets"
    for code in (
        f"Run this:\n```\n{long}\n```\n",  # a fence right under a line of text
        f"Run this:\n```\nfirst\n\n{long}\n```\n",  # a blank line inside the fence
        f"> ```\n> {long}\n> ```\n",  # a fence inside a quote
        f"- Run this:\n  ```\n  {long}\n  ```\n",  # a fence inside a list's entry
    ):
        md = f"# Notes\n\n{long}\n\n{code}"
        assert dedup.clean(md, format="markdown").text == md, code


def test_a_rule_under_a_list_is_a_rule_and_only_the_echo_goes():
    # "* * *" is a thematic break, not a list's entry; the quote under the entry is a block
    # of its own, the only echo here. The image, the fence and the code stay.
    photo = "![Photo of the flooded main street](x.jpg)"
    md = f"1. {P}\n> {P}\n* * *\n{photo}\n```\n{P.upper()}\n"
    r = dedup.clean(md, format="markdown")
    assert r.text == f"1. {P}\n* * *\n{photo}\n```\n{P.upper()}\n"
    assert [(b.kind, b.text) for b in r.blocks] == [
        (Kind.LIST_ITEM, P),
        (Kind.QUOTE, P),
        (Kind.ALT, "Photo of the flooded main street"),
    ]


def test_a_heading_or_a_quote_right_under_a_line_is_a_block_of_its_own():
    body = "The water was waist deep in the square by noon, the police said."
    md = f"# {P}\nBy Jane Doe, 4 May 2024\n\n{body}\n\n{P} | The Daily News\n"
    r = dedup.clean(md, format="markdown")
    assert r.text == f"# {P}\nBy Jane Doe, 4 May 2024\n\n{body}\n"
    # A sentence pulled from the story, quoted right under a paragraph's line.
    md = f"{body}\n> {P}\n\n{P}, the mayor said at noon on Tuesday.\n"
    r = dedup.clean(md, format="markdown")
    assert r.text == f"{body}\n\n{P}, the mayor said at noon on Tuesday.\n"


def test_an_image_among_words_has_its_alt_text_read_too():
    # Once the words beside it go as a repeat, the image stands alone: its alt text must be
    # read the same before and after, or a second clean would remove more.
    alt = "Photo of the flooded main street"
    md = f"![{alt}](a.jpg)\n\n{P}\n\n![{alt}](b.jpg) {P}\n"
    r = dedup.clean(md, format="markdown")
    assert r.text == f"![{alt}](a.jpg)\n\n{P}\n\n![](b.jpg)\n"
    assert dedup.clean(r.text, format="markdown").removed == ()
    blocks = parse_markdown(f"- ![{alt}](a.jpg) {P}\n")
    assert [(b.kind, b.text) for b in blocks] == [(Kind.LIST_ITEM, P), (Kind.ALT, alt)]


def test_a_line_is_told_repeated_by_its_words_not_its_image_or_link():
    # "![Photo](x.jpg) P" says P again: its paragraph is read a line a block, and only the
    # copy's words go (the image stays), not the first paragraph for the longer one.
    alt = "Photo of the flooded main street"
    body = "Volunteers filled sandbags outside the library through the night"
    md = f"{P}\n\n{body}\n![{alt}](x.jpg) {P}\n"
    r = dedup.clean(md, format="markdown")
    assert r.text == f"{P}\n\n{body}\n![{alt}](x.jpg)\n"
    assert dedup.clean(r.text, format="markdown").removed == ()


def test_a_quote_left_with_nothing_beside_it_goes_in_the_first_clean():
    # The paragraph beside the quote goes (a copy of the heading); the quote, left alone,
    # is a sentence pulled from the text, not a reply quoting another post.
    body = "Volunteers filled sandbags outside the library through the night"
    md = f"> {body}\n\n{P}\n\n# {P}\n\n{body}\n"
    r = dedup.clean(md, format="markdown")
    assert r.text == f"# {P}\n\n{body}\n"
    assert dedup.clean(r.text, format="markdown").removed == ()

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
    assert all(b.kind is not Kind.ALT for b in parse_markdown(md))


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

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

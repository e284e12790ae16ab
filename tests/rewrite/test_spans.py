"""The rewriter changes nothing but the removed echoes."""

import dedup

CAP = "Rescue workers search the rubble of the collapsed building in the old town"


def test_text_rewrite_deletes_exact_spans_only():
    src = f"Title  line\n\n{CAP}\n\n\n  Odd   spacing kept  \n\n{CAP}\n\nLast line"
    r = dedup.clean(src)
    assert [x.index for x in r.removed] == [3]
    assert r.text == f"Title  line\n\n{CAP}\n\n\n  Odd   spacing kept  \n\nLast line"


def test_text_rewrite_of_the_last_block_drops_the_gap_before_it():
    src = f"{CAP}\n\nMiddle paragraph.\n\n{CAP}\n"
    assert dedup.clean(src).text == f"{CAP}\n\nMiddle paragraph.\n"


def test_text_rewrite_of_the_last_blocks_drops_the_gaps_back_to_what_stays():
    other = "A second paragraph, long enough to count as one."
    src = f"{CAP}\n\n{other}\n\n{CAP}\n\n{other}\n"
    assert dedup.clean(src).text == f"{CAP}\n\n{other}\n"
    src = f"{CAP}\n{other}\n{CAP}\n{other}\n"  # a paragraph a line
    assert dedup.clean(src, format="text").text == f"{CAP}\n{other}\n"


def test_a_copy_on_the_next_line_of_a_paragraph_goes_with_its_line_break():
    first = "The storm hit the coast on Monday night."
    last = "Residents were told to stay indoors."
    for nl in ("\n", "\r\n"):
        src = nl.join([first, "", CAP, CAP, "", last, ""])
        r = dedup.clean(src, format="text")
        assert [(x.index, x.duplicate_of) for x in r.removed] == [(2, 1)]
        assert r.text == nl.join([first, "", CAP, "", last, ""])  # the blank line stays
        assert dedup.clean(r.text, format="text").removed == ()
    src = f"{first}\n\n{CAP}\n\n{last}\n{CAP}\nMore of the last paragraph.\n"
    assert dedup.clean(src).text == f"{first}\n\n{CAP}\n\n{last}\nMore of the last paragraph.\n"


def test_text_with_crlf_keeps_its_line_endings():
    src = f"{CAP}\r\n\r\nMiddle paragraph.\r\n\r\n{CAP}\r\n\r\nEnd.\r\n"
    assert dedup.clean(src).text == f"{CAP}\r\n\r\nMiddle paragraph.\r\n\r\nEnd.\r\n"


def test_markdown_list_item_removal_keeps_the_list():
    src = f"# Notes\n\n- {CAP}\n- Second item stays\n\n{CAP}\n"
    r = dedup.clean(src, format="markdown")
    assert r.text == f"# Notes\n\n- Second item stays\n\n{CAP}\n"


def test_markdown_last_list_item_or_line_removal_keeps_the_blank_line_after_it():
    body = "The storm hit the coast on Monday night."
    src = f"# Notes\n\n{CAP}\n\n- First item stays\n- {CAP}\n\n{body}\n"
    assert (
        dedup.clean(src, format="markdown").text
        == f"# Notes\n\n{CAP}\n\n- First item stays\n\n{body}\n"
    )
    # A caption's copy on the next line of a paragraph, under an image.
    src = f"# Notes\n\n![photo](a.jpg)\n*{CAP}*\n\n{body}\n\n{CAP}\n"
    r = dedup.clean(src, format="markdown")
    assert r.text == f"# Notes\n\n![photo](a.jpg)\n\n{body}\n\n{CAP}\n"
    assert dedup.clean(r.text, format="markdown").removed == ()
    src = f"# Notes\n\n{body}\n{CAP}\n{CAP}\n\nEnd.\n"
    assert dedup.clean(src, format="markdown").text == f"# Notes\n\n{body}\n{CAP}\n\nEnd.\n"
    # Never split: a setext heading (its underline would head the line above) and code.
    for src in (f"{CAP}\n=====\n\n{body}\n\n{CAP}\n", f"# T\n\n```\n{CAP}\n{CAP}\n```\n\n{body}\n"):
        r = dedup.clean(src, format="markdown")
        assert "=====" in r.text or "```" in r.text
        assert r.text.count(CAP) == 1 + ("```" in r.text)


BODY = "The storm hit the coast on Monday night."


def test_an_indented_copy_goes_with_its_indentation_not_onto_the_next_line():
    # Its indentation left behind would indent the line below it: 4 spaces or a tab
    # would make that paragraph code in Markdown.
    for nl in ("\n", "\r\n"):
        for indent in ("  ", "    ", "        ", "\t"):
            src = nl.join(["# Notes", "", CAP, "", indent + CAP, BODY, ""])
            code = len(indent.expandtabs(4)) >= 4  # after a blank line: code in Markdown
            for fmt in ("text",) if code else ("markdown", "text"):
                r = dedup.clean(src, format=fmt)
                assert r.text == nl.join(["# Notes", "", CAP, "", BODY, ""])
                assert not r.text.split(nl)[4].startswith(" ")
                assert dedup.clean(r.text, format=fmt).removed == ()
            if code:
                # In Markdown that copy is an indented code block: an example, which stays.
                r = dedup.clean(src, format="markdown")
                assert r.text == src and r.removed == ()
                # Right under a paragraph's line it carries the paragraph on, and goes.
                src = nl.join(["# Notes", "", CAP, "", BODY, indent + CAP, "End.", ""])
                r = dedup.clean(src, format="markdown")
                assert r.text == nl.join(["# Notes", "", CAP, "", BODY, "End.", ""])


def test_the_lines_that_stay_keep_their_own_indentation():
    # A paragraph whose lines are indented unlike each other.
    src = f"{CAP}\n\n  {CAP}\n   {BODY}\n"
    assert dedup.clean(src, format="markdown").text == f"{CAP}\n\n   {BODY}\n"
    # Four columns: the line carries on the paragraph; after a blank line it would be
    # code. The copy stays, so that the line stays text.
    src = f"{CAP}\n\n  {CAP}\n    {BODY}\n"
    assert dedup.clean(src, format="markdown").text == src
    # A nested list item: the next item stays at the top of the list, not nested.
    src = f"# Notes\n\n{CAP}\n\n- First item stays\n  - {CAP}\n- Second item stays\n"
    r = dedup.clean(src, format="markdown")
    assert r.text == f"# Notes\n\n{CAP}\n\n- First item stays\n- Second item stays\n"
    assert dedup.clean(r.text, format="markdown").removed == ()
    # Text written a line a block.
    src = f"{CAP}\n  {CAP}\n{BODY}\n"
    assert dedup.clean(src, format="text").text == f"{CAP}\n{BODY}\n"
    # The first block and the first line of a paragraph.
    src = f"   Photo: {CAP}\n\n{BODY}\n\n{CAP}\n"
    assert dedup.clean(src, format="markdown").text == f"{BODY}\n\n{CAP}\n"
    src = f"  {CAP}\n{BODY}\n\n# {CAP}\n"
    assert dedup.clean(src, format="markdown").text == f"{BODY}\n\n# {CAP}\n"


def test_a_removed_line_takes_its_trailing_spaces_with_it():
    # Two spaces at the end of a Markdown line are a line break: they stay where they were.
    src = f"{CAP}\n\n{BODY}\n{CAP}   \n\nEnd of the story.\n"
    assert dedup.clean(src, format="markdown").text == f"{CAP}\n\n{BODY}\n\nEnd of the story.\n"
    src = f"{CAP}\n\n{BODY}\n\n   {CAP}  \n"
    for fmt in ("markdown", "text"):
        assert dedup.clean(src, format=fmt).text == f"{CAP}\n\n{BODY}\n"


def test_lines_that_are_no_block_stay():
    # Code and a picture without words are no blocks; the cut stops at them.
    code = "```\nprint('hello')\n```"
    src = f"# T\n\n{CAP}\n\n{BODY}\n\n{CAP}\n\n{code}\n\nEnd of the story.\n"
    r = dedup.clean(src, format="markdown")
    assert r.text == f"# T\n\n{CAP}\n\n{BODY}\n\n{code}\n\nEnd of the story.\n"
    src = f"# T\n\n{CAP}\n\n{BODY}\n\n{code}\n\n{CAP}\n"
    assert dedup.clean(src, format="markdown").text == f"# T\n\n{CAP}\n\n{BODY}\n\n{code}\n"
    src = f"# T\n\n{CAP}\n\n{BODY}\n\n{CAP}\n\n![](a.jpg)\n\nEnd of the story.\n"
    r = dedup.clean(src, format="markdown")
    assert r.text == f"# T\n\n{CAP}\n\n{BODY}\n\n![](a.jpg)\n\nEnd of the story.\n"
    # The last copy goes back to the image above it, not into the image's link.
    image = "![A harbour at dawn](a.jpg)"
    src = f"# T\n\n{CAP}\n\n{BODY}\n\n{image}\n\n{CAP}\n"
    r = dedup.clean(src, format="markdown")
    assert r.text == f"# T\n\n{CAP}\n\n{BODY}\n\n{image}\n"
    assert dedup.clean(r.text, format="markdown").removed == ()


def test_an_image_that_shares_its_line_goes_alone():
    image = "![Boats in the harbour at dawn](b.jpg)"
    src = f"# T\n\n{CAP}\n\n{image} ![{CAP}](a.jpg)\n\n{BODY}\n"
    r = dedup.clean(src, format="markdown", config=dedup.Config(include_alt=True))
    assert r.text == f"# T\n\n{CAP}\n\n{image}\n\n{BODY}\n"
    src = f"# T\n\n![{CAP}](a.jpg) {image}\n\n{BODY}\n\n{CAP}\n"
    r = dedup.clean(src, format="markdown", config=dedup.Config(include_alt=True))
    assert r.text == f"# T\n\n{image}\n\n{BODY}\n\n{CAP}\n"


def test_an_image_stays_when_the_words_beside_it_go():
    photo = "![Photo of the flooded main street](x.jpg)"
    said = "The river rose above the old stone bridge before dawn on Monday"
    src = f"- {said}\n- {photo} {said}\n"
    assert dedup.clean(src, format="markdown").text == f"- {said}\n- {photo}\n"
    linked = f"[{photo}](https://example.com/flood)"
    for copy, left in (
        (f"{CAP} {photo}", photo),  # words before it
        (CAP.replace(" of the", f" {photo} of the"), photo),  # words either side
        (f"> {photo}\n> {CAP}", f"> {photo}"),  # a quote, the image on a line of its own
        (f"- {linked} **{CAP}**\n- Second item stays", f"- {linked}\n- Second item stays"),
    ):
        src = f"# T\n\n{CAP}\n\n{copy}\n\n{BODY}\n"
        r = dedup.clean(src, format="markdown")
        assert r.text == f"# T\n\n{CAP}\n\n{left}\n\n{BODY}\n"
        assert dedup.clean(r.text, format="markdown").removed == ()
    # An alt copy with alt text on takes its image: the words beside it are not that copy.
    src = f"# T\n\n{CAP}\n\n![{CAP}](a.jpg)\n\n{BODY}\n"
    r = dedup.clean(src, format="markdown", config=dedup.Config(include_alt=True))
    assert r.text == f"# T\n\n{CAP}\n\n{BODY}\n"


def test_a_quote_whose_words_all_go_leaves_no_bare_quote_marks():
    src = f"# T\n\n{CAP}\n\n{BODY}\n\n> {CAP}\n>\n> {BODY}\n\nEnd of the story.\n"
    r = dedup.clean(src, format="markdown")
    assert r.text == f"# T\n\n{CAP}\n\n{BODY}\n\nEnd of the story.\n"
    # A quote that keeps a paragraph keeps its marks.
    src = f"# T\n\n{CAP}\n\n> {CAP}\n>\n> {BODY}\n\nEnd of the story.\n"
    r = dedup.clean(src, format="markdown")
    assert r.text == f"# T\n\n{CAP}\n\n>\n> {BODY}\n\nEnd of the story.\n"


def test_no_removal_makes_code_of_text_or_text_of_code():
    # The paragraph between a list and the code under it ends the list: without it, the
    # list would take the code in as its words. The copy stays.
    code = "    print('the water is rising')"
    src = f"- {BODY}\n\n{CAP}\n\n{code}\n\n# {CAP}\n"
    assert dedup.clean(src, format="markdown").text == src

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

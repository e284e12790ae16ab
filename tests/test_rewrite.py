"""The rewriter changes nothing but the removed echoes."""

import lxml.html

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


def test_text_with_crlf_keeps_its_line_endings():
    src = f"{CAP}\r\n\r\nMiddle paragraph.\r\n\r\n{CAP}\r\n\r\nEnd.\r\n"
    assert dedup.clean(src).text == f"{CAP}\r\n\r\nMiddle paragraph.\r\n\r\nEnd.\r\n"


def test_markdown_list_item_removal_keeps_the_list():
    src = f"# Notes\n\n- {CAP}\n- Second item stays\n\n{CAP}\n"
    r = dedup.clean(src, format="markdown")
    assert r.text == f"# Notes\n\n- Second item stays\n\n{CAP}\n"


def test_html_rewrite_drops_the_element_and_keeps_its_tail():
    html = f"<html><body><div><p>{CAP}</p>tail text<p class=caption>{CAP}</p>after</div></body></html>"
    r = dedup.clean(html)
    doc = lxml.html.fromstring(r.html)
    assert doc.text_content().count(CAP) == 1
    assert "tail text" in doc.text_content() and "after" in doc.text_content()


def test_html_rewrite_keeps_nested_blocks_that_stay_and_images():
    html = (f"<html><body><p>{CAP}</p><div class=caption>{CAP}<img src=photo.jpg>"
            "<p>A different nested paragraph that stays.</p></div></body></html>")
    r = dedup.clean(html)
    assert [x.index for x in r.removed] == [1]
    doc = lxml.html.fromstring(r.html)
    assert doc.text_content().count(CAP) == 1
    assert "A different nested paragraph that stays." in doc.text_content()
    assert doc.xpath("//img/@src") == ["photo.jpg"]


def test_unchanged_html_comes_back_byte_for_byte():
    html = "<!DOCTYPE html>\n<html><body><p>Only   one\tparagraph &amp; nothing else.</p></body></html>\n"
    assert dedup.clean(html).html == html


def test_html_output_keeps_the_doctype():
    html = f"<!DOCTYPE html><html><body><p>{CAP}</p><p>{CAP}</p></body></html>"
    assert dedup.clean(html).html.startswith("<!DOCTYPE html>")

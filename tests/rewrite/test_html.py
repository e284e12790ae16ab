"""The rewriter changes nothing but the removed echoes."""

import lxml.html

import dedup

from ..conftest import deletions_only

CAP = "Rescue workers search the rubble of the collapsed building in the old town"


def test_html_rewrite_drops_the_element_and_keeps_its_tail():
    html = (
        f"<html><body><div><p>{CAP}</p>tail text<p class=caption>{CAP}</p>after</div></body></html>"
    )
    r = dedup.clean(html)
    doc = lxml.html.fromstring(r.html)
    assert doc.text_content().count(CAP) == 1
    assert "tail text" in doc.text_content() and "after" in doc.text_content()


def test_html_rewrite_keeps_nested_blocks_that_stay_and_images():
    html = (
        f"<html><body><p>{CAP}</p><div class=caption>{CAP}<img src=photo.jpg>"
        "<p>A different nested paragraph that stays.</p></div></body></html>"
    )
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


PAGE = f"""<!DOCTYPE html>
<HTML lang=en>
<body>
  <!-- a comment, kept -->
  <article>
    <h1 class='headline'>A headline &amp; more</h1>
    <P>{CAP}.</P>
    <figure>
      <img SRC="photo.jpg" Alt = 'Rescue &amp; rubble'>
      <figcaption
          class="wp-caption-text">{CAP}.</figcaption>
    </figure>
    <p>Another paragraph, <b>with markup</b>&nbsp;that stays.</p>
  </article>
</body>
</HTML>
"""


def test_html_rewrite_cuts_the_echo_lines_out_of_the_source_and_nothing_else():
    r = dedup.clean(PAGE)
    assert [x.kind for x in r.removed] == [dedup.Kind.CAPTION]
    expected = PAGE.replace(
        f'      <figcaption\n          class="wp-caption-text">{CAP}.</figcaption>\n', ""
    )
    assert r.html == expected


def test_html_rewrite_of_alt_text_edits_only_the_attribute_value():
    page = PAGE.replace("Alt = 'Rescue &amp; rubble'", f'Alt = "{CAP}."')
    r = dedup.clean(page, include_alt=True)
    assert sorted(str(x.kind) for x in r.removed) == ["alt", "caption"]
    assert 'Alt = "">' in r.html
    assert deletions_only(page, r.html)
    assert r.html.count(CAP) == 1


def test_html_rewrite_of_an_echo_holding_a_picture_keeps_the_picture_markup():
    page = (
        f"<html><body>\n<p>{CAP}</p>\n<div class=caption>\n  {CAP}\n"
        "  <img src=photo.jpg\n       alt=''>\n  <p>A different nested paragraph that stays.</p>\n"
        "</div>\n</body></html>\n"
    )
    r = dedup.clean(page)
    assert [x.index for x in r.removed] == [1]
    assert r.html == page.replace(f"  {CAP}\n", "")
    again = dedup.clean(r.html)
    assert again.removed == () and [b.text for b in again.blocks] == [b.text for b in r.kept]


def test_html_that_cannot_be_matched_to_its_source_is_rewritten_from_the_tree():
    # The parser moves the second paragraph out of the table: its markup and its place in
    # the tree disagree, so the page is rewritten from the tree, still without the echo.
    page = (
        f"<html><body><p>{CAP}</p><table><p>{CAP}</p><tr><td>cell</td></tr></table></body></html>"
    )
    r = dedup.clean(page)
    assert len(r.removed) == 1
    doc = lxml.html.fromstring(r.html)
    assert doc.text_content().count(CAP) == 1 and "cell" in doc.text_content()


def test_alt_echo_is_emptied_between_its_own_quotes():
    caption = f"<figcaption>{CAP}.</figcaption>"
    for written, emptied in [
        (f"alt='{CAP}.'", "alt=''"),
        (f'alt="{CAP}."', 'alt=""'),
        (f'alt="{CAP}.\r\n"', 'alt=""'),  # the parser reads CR LF as LF
        ("alt=" + CAP.replace(" ", "&#32;") + ".", 'alt=""'),
    ]:
        page = f"<html><body><figure><img src=a.jpg {written}>{caption}</figure></body></html>"
        r = dedup.clean(page, include_alt=True)
        assert [str(x.kind) for x in r.removed] == ["alt"]
        assert r.html == page.replace(written, emptied)


def _filler(start: int, stop: int) -> str:
    return "".join(
        f"<p>Filler paragraph number {i} says something of its own.</p>" for i in range(start, stop)
    )


def test_the_copy_removed_is_the_one_cut_on_a_page_written_on_one_line():
    # Two identical paragraphs on one line among a hundred others: the source cut must
    # take the later copy (the one the plan removes), not the first of that markup.
    copy = f"<p>{CAP}.</p>"
    page = f"<html><body>{_filler(0, 80)}{copy}{_filler(80, 95)}{copy}{_filler(95, 99)}</body></html>\n"
    r = dedup.clean(page)
    assert len(r.removed) == 1 and r.blocks[r.removed[0].index].text == f"{CAP}."
    assert r.blocks[r.removed[0].duplicate_of].index < r.removed[0].index
    first = page.index(copy)
    second = page.index(copy, first + 1)
    assert r.html == page[:second] + page[second + len(copy) :]


def test_the_copy_removed_is_the_one_cut_when_lines_hold_several_elements():
    copy = f"<p>{CAP}.</p>"
    page = (
        "<html><body>\n"
        + "\n".join(_filler(i, i + 3) for i in range(0, 30, 3))
        + f"\n{_filler(30, 32)}{copy}<p>Between the copies, a sentence.</p>{copy}{_filler(32, 33)}\n"
        + "\n".join(_filler(i, i + 3) for i in range(33, 60, 3))
        + "\n</body></html>\n"
    )
    r = dedup.clean(page)
    assert len(r.removed) == 1
    first = page.index(copy)
    second = page.index(copy, first + 1)
    assert r.html == page[:second] + page[second + len(copy) :]


def test_lone_carriage_returns_do_not_throw_the_source_cut_off_its_line():
    # A CR alone, inside text or an attribute value (pasted from an old editor), is not
    # a line break to every libxml2: the cut must still find the echo on its own line.
    page = (
        "<html><body>\n"
        + '<p title="Before\r">Before\r</p>\n' * 3
        + f"<figure><img src=a.jpg>\n<figcaption>{CAP}.</figcaption></figure>\n"
        + "<p>Between the two copies of the caption.</p>\n"
        + f"<p>{CAP}</p>\n</body></html>\n"
    )
    r = dedup.clean(page)
    assert len(r.removed) == 1
    echo = r.blocks[r.removed[0].index]
    assert echo.kind is dedup.Kind.CAPTION
    assert r.html == page.replace(f"<figcaption>{CAP}.</figcaption>", "")


def test_an_echo_holding_a_list_written_without_spaces_is_cut_from_the_source():
    # The kept items stand tag against tag ("...list</li><li>Second..."): what stays must
    # still be recognised as what the cut leaves, or the page is re-serialised.
    page = (
        f"<html><body>\n<p>{CAP}</p>\n<div class=box>{CAP}<ul><li>First kept item of the list"
        "</li><li>Second kept item of the list</li></ul></div>\n</body></html>\n"
    )
    r = dedup.clean(page)
    assert [r.blocks[x.index].text for x in r.removed] == [CAP]
    assert r.html == page.replace(f"<div class=box>{CAP}", "<div class=box>")

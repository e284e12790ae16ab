import html
import io
import json

import lxml.html

import dedup
from dedup.report import ReportWriter, Summary, format_for_path, render, report_part
from dedup.report.as_html import contained_span, document_section, kept_text

CAP = "Rescue workers search the rubble of the collapsed building in the old town"
SRC = f"<html><body><p>{CAP}</p><p>Other words in between here.</p><p class=caption>{CAP}</p></body></html>"


def test_json_report_schema():
    r = dedup.clean(SRC, name="page.html")
    data = json.loads(r.report("json"))
    assert data["summary"] == {
        "documents": 1,
        "blocks": 3,
        "removed": 1,
        "by_kind": {"caption": 1},
        "by_reason": {"exact": 1},
        "errors": 0,
    }
    (doc,) = data["documents"]
    assert doc["source"] == "page.html" and doc["blocks"] == 3
    (rem,) = doc["removed"]
    assert {
        k: rem[k] for k in ("index", "duplicate_of", "similarity", "reason", "kind", "text")
    } == {
        "index": 2,
        "duplicate_of": 0,
        "similarity": 1.0,
        "reason": "exact",
        "kind": "caption",
        "text": CAP,
    }


def test_diff_report_shows_only_removals():
    r = dedup.clean(f"{CAP}\n\nMiddle.\n\n{CAP}\n", name="a.txt")
    diff = r.report("diff")
    assert diff.startswith("--- a/a.txt\n+++ b/a.txt\n")
    changed = [line for line in diff.splitlines()[2:] if line[:1] in "+-"]
    assert changed and all(line.startswith("-") for line in changed)


def test_html_report_is_self_contained():
    page = dedup.clean(SRC, name="page.html").report("html")
    doc = lxml.html.fromstring(page)
    # One inline script (the filter) and nothing the page would load.
    assert [s.get("src") for s in doc.xpath("//script")] == [None] and doc.xpath("//link") == []
    assert doc.xpath("//*[@src]") == [] and doc.xpath("//*[@href]") == []
    (policy,) = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy.startswith("default-src 'none';")
    assert "1 removed" in doc.get_element_by_id("summary").text_content()
    assert CAP in doc.xpath("//table[@class='removals']//del")[0].text_content()


def test_report_kind_from_extension():
    assert format_for_path("r.JSON") == "json"
    assert format_for_path("r.patch") == "diff"
    assert format_for_path("r.htm") == "html"
    assert format_for_path("r.txt") is None


def test_report_writer_streams_documents():
    for kind in ("json", "diff", "html"):
        out = io.StringIO()
        writer, summary = ReportWriter(kind, out), Summary()
        for name in ("a.html", "b.html"):
            r = dedup.clean(SRC, name=name)
            summary.add(r)
            writer.add(report_part(kind, r))
        writer.close(summary)
        text = out.getvalue()
        assert "a.html" in text and "b.html" in text
        if kind == "json":
            data = json.loads(text)
            assert [d["source"] for d in data["documents"]] == ["a.html", "b.html"]
            assert data["summary"]["removed"] == 2


def test_empty_json_report_is_valid():
    out = io.StringIO()
    ReportWriter("json", out).close(Summary())
    assert json.loads(out.getvalue())["documents"] == []


def test_html_section_is_titled_by_the_record_url_or_id():
    r = dedup.clean(SRC, name="crawl.jsonl:16")
    url = "https://example.com/news/quake?id=1&lang=en"
    head = lxml.html.fromstring(document_section(r, title=url)).xpath("//h2")[0]
    (link,) = head.xpath("a")
    assert link.get("href") == url and link.text == url and link.get("rel") == "noreferrer"
    assert head.findtext("small") == "crawl.jsonl:16"
    # An id is shown as text; so is an address a browser would run, never as a link.
    for title in ("rec-0016", "javascript:alert(1)"):
        head = lxml.html.fromstring(document_section(r, title=title)).xpath("//h2")[0]
        assert head.xpath("a") == [] and head.findtext("span") == title
        assert head.findtext("small") == "crawl.jsonl:16"
    # Without a title the heading is the name, as before.
    assert lxml.html.fromstring(document_section(r)).findtext(".//h2") == "crawl.jsonl:16"


def test_json_entry_carries_the_title_when_given():
    r = dedup.clean(SRC, name="crawl.jsonl:16")
    assert report_part("json", r, title="https://example.com/a")["title"] == "https://example.com/a"
    assert "title" not in report_part("json", r)


def test_html_report_counts_unchanged_documents_in_one_line():
    out, summary = io.StringIO(), Summary()
    writer = ReportWriter("html", out)
    plain = "<html><body><p>Nothing here repeats at all, not a single line of it.</p></body></html>"
    for n in range(1, 1202):
        r = dedup.clean(SRC if n % 400 == 0 else plain, format="html", name=f"crawl.jsonl:{n}")
        summary.add(r)
        writer.add(report_part("html", r, title=f"https://example.com/{n}"))
    writer.close(summary)
    page = lxml.html.fromstring(out.getvalue())
    # Only the three documents with removals have a section...
    sections = page.xpath("//section[@class='document']")
    assert [s.xpath("string(h2/a)") for s in sections] == [
        f"https://example.com/{n}" for n in (400, 800, 1200)
    ]
    # ...the other 1,198 are one line, their names folded away under it.
    (unchanged,) = page.xpath("//details[@id='unchanged']")
    assert unchanged.findtext("summary") == "1,198 documents with nothing removed"
    entries = unchanged.xpath("ol/li")
    assert len(entries) == 1198 and entries[0].findtext("small") == "crawl.jsonl:1"
    assert "Nothing removed" not in out.getvalue()
    assert "3 removed" in page.get_element_by_id("summary").text_content()
    # A report where every document lost something has no such line.
    page = lxml.html.fromstring(dedup.clean(SRC, name="page.html").report("html"))
    assert page.xpath("//details[@id='unchanged']") == []


def test_html_report_tells_apart_blocks_of_a_page_on_one_line():
    one, two = (
        "Rescue workers search the rubble of the collapsed building in the old town",
        "Volunteers hand out blankets and water to families outside the stadium gates",
    )
    page = (
        f"<html><body><article><p>{one}</p><p>{two}</p>"
        f'<figure><img src="a.jpg" alt="{one}"><figcaption>{one}</figcaption></figure>'
        f"<figure><figcaption>{two}</figcaption></figure></article></body></html>"
    )
    r = dedup.clean(page, format="html", include_alt=True, name="min.html")
    assert {b.line for b in r.blocks} == {1}  # the whole page is one line
    rows = lxml.html.fromstring(r.report("html")).xpath("//table[@class='removals']//tr[td]")
    places = [row.xpath("string(td[1])") for row in rows]
    assert len(rows) == 3 and len(set(places)) == 3
    assert places[0].startswith("#2 img alt line 1")
    assert places[1].startswith("#3 <figcaption> line 1")
    assert "figure[2]/figcaption" in places[2]
    assert rows[2].xpath("td[1]/span/@title") == ["/html/body/article/figure[2]/figcaption"]
    # A kept block's place is told the same way.
    assert rows[2].xpath("string(td[4])").startswith("#1 <p> line 1")


def test_html_report_gives_text_blocks_their_column():
    text = f"Intro line that is long enough to count.\n\n   {CAP}\n\nMiddle words.\n\n{CAP}\n"
    r = dedup.clean(text, format="markdown", name="a.md")
    (row,) = lxml.html.fromstring(r.report("html")).xpath("//table[@class='removals']//tr[td]")
    assert row.xpath("string(td[1])") == "#3 line 7"
    assert row.xpath("string(td[4])").startswith("#1 line 3, col 4")


LONG = (
    "The council met on Tuesday evening and, after a long debate that ran past midnight, "
    "voted to approve the new budget for the coming year, which raises spending on schools "
    "and roads while cutting the cost of permits for small shops & stalls <b>downtown</b>."
)


def test_html_report_marks_the_part_of_the_kept_text_a_removal_repeats():
    short = "voted to approve the NEW budget for the coming year, which raises spending on schools"
    text = f"{LONG}\n\nSomething else entirely is said in this paragraph here.\n\n“{short}”\n"
    r = dedup.clean(text, format="text", name="a.txt")
    (rem,) = r.removed
    assert rem.reason == "contained"
    (ins,) = lxml.html.fromstring(r.report("html")).xpath("//table[@class='removals']//ins")
    (mark,) = ins.xpath("mark")
    assert mark.text == short.replace("NEW", "new")
    assert ins.text_content() == LONG  # the rest of the kept text, escaped as it was


def test_mark_maps_back_to_the_kept_text_and_never_breaks_escaping():
    assert contained_span("STRASSE ist lang", "Die Straße ist lang und breit") == (4, 19)
    assert kept_text("shops & stalls <b>downtown</b>", LONG).endswith(
        "<mark>shops &amp; stalls &lt;b&gt;downtown&lt;/b&gt;.</mark>"
    )
    # Words changed or left out: the passage they stand in is marked, whole words only.
    span = contained_span("voted to approve a new budget, raising spending on schools", LONG)
    assert span is not None
    assert LONG[slice(*span)] == (
        "voted to approve the new budget for the coming year, which raises spending on schools"
    )
    # No mark where nothing is contained, or the removed text is as long as the kept one.
    assert contained_span("Something entirely unrelated to it", LONG) is None
    assert contained_span(LONG, LONG) is None and kept_text(LONG, LONG) == html.escape(LONG)


def test_long_kept_text_is_cut_around_its_mark():
    kept = " ".join(["filler words"] * 200) + " " + LONG + " " + " ".join(["more text"] * 200)
    shown = lxml.html.fromstring(f"<ins>{kept_text('spending on schools', kept)}</ins>")
    assert shown.findtext("mark") == "spending on schools"
    assert shown.text_content().startswith("\u2026") and shown.text_content().endswith("\u2026")
    assert len(shown.text_content()) < 500


def test_html_filter_counts_the_rows_of_each_kind_and_rule():
    text = f"{LONG}\n\n{CAP}\n\nvoted to approve the new budget for the coming year, which raises spending\n\n{CAP}\n"
    results = [dedup.clean(SRC, name="page.html"), dedup.clean(text, name="a.txt")]
    page = lxml.html.fromstring(render("html", results))
    rows = page.xpath("//table[@class='removals']//tr[td]")
    assert [(r.get("data-kind"), r.get("data-rule")) for r in rows] == [
        ("caption", "exact"),
        ("paragraph", "contained"),
        ("paragraph", "exact"),
    ]
    options = {
        s.get("name"): [o.text for o in s.xpath("option")]
        for s in page.xpath("//form[@id='filter']//select")
    }
    assert options == {
        "kind": ["all (3)", "paragraph (2)", "caption (1)"],
        "rule": ["all (3)", "exact (2)", "contained (1)"],
    }

"""The HTML report as a person sees it: rendered by a real headless Chromium."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

import dedup
from dedup.report import ReportWriter, Summary, report_part

from ..conftest import SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    # The flags keep Chromium off the network (background services, updates, sync) and
    # out of the user's profile.
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_html_report_renders_in_a_browser(tmp_path):
    report, data = tmp_path / "report.html", tmp_path / "report.json"
    for path in (report, data):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "dedup",
                "clean",
                "--alt",
                str(SAMPLES),
                "--exclude",
                "expected",
                "--exclude",
                "README.md",
                "--report",
                str(path),
                "-q",
                "-o",
                str(tmp_path / "out"),
            ],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
    expected = json.loads(data.read_text(encoding="utf-8"))
    dom = _chromium(tmp_path, "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr
    page = lxml.html.fromstring(dom.stdout)
    # What the browser built: one section per document with removals, one row per removal.
    sections = page.xpath("//section[@class='document']")
    changed = [d["source"] for d in expected["documents"] if d["removed"]]
    assert [s.findtext("h2") for s in sections] == changed
    rows = page.xpath("//table[@class='removals']//tr[td]")
    assert len(rows) == expected["summary"]["removed"] > 0
    first = expected["documents"][0]["removed"][0]
    assert rows[0].xpath("string(.//del)") == first["text"]
    summary = page.get_element_by_id("summary").text_content()
    assert f"{expected['summary']['removed']} removed" in summary
    shot = tmp_path / "report.png"
    assert (
        _chromium(
            tmp_path, f"--screenshot={shot}", "--window-size=1200,900", report.as_uri()
        ).returncode
        == 0
    )
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one


def _records(path: Path, count: int) -> None:
    """``count`` JSONL records like a crawl's, of made-up words: most say nothing twice;
    every 25th is a page written on one line whose photo caption repeats a paragraph; the
    7th of every 25 a text with a short paragraph that a longer one holds; the 13th of
    every 50 a text with a paragraph said twice. Most have a ``url``, every 9th an ``id``
    instead, every 31st neither."""
    rng = random.Random(2000)
    vocabulary = [
        "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(3))
        for _ in range(4000)
    ]

    def sentence(words: int) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(words)).capitalize() + "."

    with path.open("w", encoding="utf-8") as out:
        for n in range(1, count + 1):
            paragraphs = [sentence(rng.randint(14, 30)) for _ in range(4)]
            record: dict[str, str] = {}
            if n % 25 == 0:
                caption = sentence(12)
                record["html"] = (
                    f"<html><body><article><h1>{sentence(6)}</h1><p>{paragraphs[0]}</p>"
                    f"<p>{caption}</p><p>{paragraphs[1]}</p><figure><img src='p{n}.jpg'>"
                    f"<figcaption>{caption}</figcaption></figure><p>{paragraphs[2]}</p>"
                    "</article></body></html>"
                )
            else:
                if n % 25 == 7:
                    long = f"{paragraphs[1]} {sentence(20)} {sentence(10)}"
                    paragraphs[1] = long
                    paragraphs.append(long.split(". ")[1] + ".")
                elif n % 50 == 13:
                    paragraphs.append(paragraphs[0])
                record["text"] = "\n\n".join(paragraphs)
            if n % 31 == 0:
                pass
            elif n % 9 == 0:
                record["id"] = f"rec-{n:05d}"
            else:
                record["url"] = f"https://news.example.com/{n // 100}/story-{n}.html?ref=feed&n={n}"
            out.write(json.dumps(record) + "\n")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_report_of_2000_records_reads_well_in_a_browser(tmp_path):
    crawl, report = tmp_path / "crawl.jsonl", tmp_path / "report.html"
    _records(crawl, 2000)
    changed: dict[str, list[str]] = {}  # a changed document's heading: its removals' kinds
    unchanged = 0
    with crawl.open(encoding="utf-8") as lines, report.open("w", encoding="utf-8") as out:
        writer, summary = ReportWriter("html", out), Summary()
        for n, line in enumerate(lines, 1):
            record = json.loads(line)
            fmt = "html" if "html" in record else "text"
            name = f"crawl.jsonl:{n}"
            r = dedup.clean(record[fmt], format=fmt, name=name)
            title = record.get("url") or record.get("id")
            summary.add(r)
            writer.add(report_part("html", r, title=title))
            if r.removed:
                changed[title or name] = [str(rem.kind) for rem in r.removed]
            else:
                unchanged += 1
        writer.close(summary)
    kinds = {kind for removed in changed.values() for kind in removed}
    assert kinds == {"caption", "paragraph"} and (len(changed), unchanged) == (200, 1800)

    page = _dom(tmp_path, report.as_uri())
    # One section per document with removals, headed by its URL (a link) or its id.
    sections = page.xpath("//section[@class='document']")
    assert [s.xpath("string(h2/a | h2/span | h2[not(*)])") for s in sections] == list(changed)
    first = sections[0].xpath("h2/a")[0]
    assert first.get("href") == first.text and first.get("rel") == "noreferrer"
    # The documents with nothing removed are one line.
    (line,) = page.xpath("//details[@id='unchanged']/summary")
    assert line.text == f"{unchanged:,} documents with nothing removed"
    assert "Nothing removed" not in lxml.html.tostring(page, encoding="unicode")
    rows = page.xpath("//table[@class='removals']//tr[td]")
    assert len(rows) == summary.removed and not any(r.get("hidden") is not None for r in rows)
    # A short paragraph held in a longer one: the part it repeats is marked in the kept text.
    contained = [r for r in rows if r.get("data-rule") == "contained"]
    assert contained
    for row in contained:
        (mark,) = row.xpath(".//ins/mark")
        assert mark.text == row.xpath("string(.//del)")

    # The fragment filters: only caption rows, and only the sections that hold one.
    page = _dom(tmp_path, report.as_uri() + "#kind=caption")
    rows = page.xpath("//table[@class='removals']//tr[td]")
    shown = [r for r in rows if r.get("hidden") is None]
    assert shown and {r.get("data-kind") for r in shown} == {"caption"}
    assert len(shown) == sum(1 for r in rows if r.get("data-kind") == "caption") < len(rows)
    visible = [s for s in page.xpath("//section[@class='document']") if s.get("hidden") is None]
    assert len(visible) == sum("caption" in removed for removed in changed.values())
    assert f"showing {len(shown)} of {len(rows)} removals" == page.findtext(".//output")
    # Kind and rule at once.
    page = _dom(tmp_path, report.as_uri() + "#kind=paragraph&rule=contained")
    shown = [r for r in page.xpath("//tr[td]") if r.get("hidden") is None]
    assert len(shown) == len(contained)

    shot = tmp_path / "report2000.png"
    done = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", report.as_uri())
    assert done.returncode == 0 and shot.stat().st_size > 10_000


def _dom(tmp_path: Path, url: str) -> lxml.html.HtmlElement:
    """The page as the browser built it, its script run."""
    dom = _chromium(tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr
    return lxml.html.fromstring(dom.stdout)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_corpus_report_shows_twins_and_boilerplate_in_a_browser(tmp_path):
    box = "Get the morning newsletter: the day's top stories in your inbox every weekday."
    wire = "The storm brought down power lines across the region, the agency's report said."
    with (tmp_path / "crawl.jsonl").open("w", encoding="utf-8") as out:
        for i in range(6):
            text = f"Story {i} of the council's day\n\nMembers met on day {i} to debate the roads."
            text += f"\n\n{wire}" * (i in (1, 4)) + f"\n\n{box}\n"
            out.write(json.dumps({"id": f"a{i}", "url": f"https://news.example/{i}", "text": text}))
            out.write("\n")
    report, data = tmp_path / "corpus.html", tmp_path / "corpus.json"
    for path in (report, data):
        proc = subprocess.run(
            [sys.executable, "-m", "dedup", "corpus", "crawl.jsonl", "--report", path.name, "-q"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert proc.returncode == 0, proc.stderr
    expected = json.loads(data.read_text(encoding="utf-8"))
    page = _dom(tmp_path, report.as_uri())
    sections = page.xpath("//section[@class='document']")
    assert [s.findtext("h2").strip() for s in sections] == [
        d["document"] for d in expected["documents"]
    ]
    assert sections[0].xpath("string(h2/small)") == "news.example"
    rows = page.xpath("//table[@class='removals']//tr[td]")
    assert len(rows) == expected["summary"]["removed"] == 6  # the box five times, the wire once
    cells = [[td.text_content() for td in row.xpath("td")] for row in rows]
    assert ["2", "paragraph", "duplicate", "1.00", wire, "block 2 of a1"] in cells
    assert cells[-1][-1] == "block 2 of a0" and cells[-1][2] == "boilerplate"
    (plate,) = page.xpath("//table[@class='boilerplate']//tr[td]")
    assert [td.text_content() for td in plate.xpath("td")] == [
        box,
        "6",
        "news.example",
        "a0, a1, a2",
    ]
    # The filter, from the address: only the boilerplate rows.
    page = _dom(tmp_path, report.as_uri() + "#rule=boilerplate")
    shown = page.xpath("//table[@class='removals']//tr[td][not(@hidden)]")
    assert len(shown) == 4 and "showing 4 of 6" in page.get_element_by_id("shown").text_content()

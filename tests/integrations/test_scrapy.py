"""The Scrapy pipeline in a real crawl: a local HTTP server serves corpus pages with known
echoes, ``scrapy runspider`` crawls them in its own process (a fresh reactor each time),
and the exported feed is compared with what ``dedup clean`` writes for the same records."""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, fields
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("scrapy")
pytest.importorskip("itemadapter")

from parsel import Selector  # noqa: E402
from scrapy import Field, Item  # noqa: E402
from scrapy.settings import Settings  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

import dedup  # noqa: E402
from dedup.integrations.scrapy import DedupPipeline, read_settings  # noqa: E402

from ..conftest import CORPUS, ROOT  # noqa: E402

# Corpus pages with echoes of different kinds, each with the text of one block removed and
# how often that text is left in the cleaned text: a copyright line printed at the top and
# the bottom (once), a caption repeated inside a link to its article (once, in the link),
# a caption that retells a sentence of the story (gone; the sentence stays).
PAGES = {
    "chicagotribune.html": (
        "postlight__www.chicagotribune.com.html",
        "Copyright © 2022, Chicago Tribune",
        1,
    ),
    "soundofscience.html": (
        "trafilatura__soundofscience.fr.1927.html",
        "[Exclusif] Le montage du CNRS pour attirer des « stars internationales »",
        1,
    ),
    "ok.html": (
        "newspaper3k__ok.co.uk2.html",
        "She gave birth to daughter Zoe Slater at 13 after being raped",
        0,
    ),
}

SPIDER = """
from dataclasses import dataclass, field

import scrapy


class Page(scrapy.Item):  # declares no "dedup" field
    kind = scrapy.Field()
    url = scrapy.Field()
    title = scrapy.Field()
    html = scrapy.Field()
    text = scrapy.Field()


@dataclass
class PageRecord:
    kind: str
    url: str
    title: str
    html: str
    text: str | None = None
    dedup: list = field(default_factory=list)


class Pages(scrapy.Spider):
    name = "pages"
    allowed_domains = ["127.0.0.1"]
    custom_settings = {
        "ITEM_PIPELINES": {"dedup.integrations.scrapy.DedupPipeline": 300},
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "HTTPPROXY_ENABLED": False,
        "LOG_LEVEL": "DEBUG",
    }

    def __init__(self, start, items="dict", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]
        self.items = items.split(",")

    def _items(self, response):
        values = {
            "url": response.url,
            "title": response.css("title::text").get(),
            "html": response.text,
        }
        for kind in self.items:
            if kind == "dict":
                yield dict(values)
            elif kind == "item":
                yield Page(kind=kind, **values)
            else:
                yield PageRecord(kind=kind, **values)

    def parse(self, response):
        if response.url.endswith("/"):
            yield from response.follow_all(css="a")
        else:
            yield from self._items(response)
"""


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {".html": "text/html; charset=utf-8", "": "application/octet-stream"}

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local site: the pages and an index linking them, on a free port of 127.0.0.1."""
    pages = CORPUS / "pages"
    if not all((pages / source).is_file() for source, *_ in PAGES.values()):
        pytest.skip(f"corpus not found at {CORPUS}: the crawl has no pages to serve")
    root = tmp_path_factory.mktemp("site")
    for name, (source, *_) in PAGES.items():
        shutil.copyfile(pages / source, root / name)
    links = "".join(f'<li><a href="{name}">{name}</a></li>' for name in PAGES)
    (root / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def crawl(
    tmp_path: Path, start: str, *settings: str, items: str = "dict"
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    """``scrapy runspider`` over the site with ``-s`` settings; the process and its feed."""
    spider = tmp_path / "pages_spider.py"
    spider.write_text(SPIDER)
    feed = tmp_path / "out.jsonl"
    args = [sys.executable, "-m", "scrapy", "runspider", str(spider), "-o", str(feed)]
    args += ["-a", f"start={start}", "-a", f"items={items}"]
    for setting in settings:
        args += ["-s", setting]
    proc = subprocess.run(
        args, cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=120
    )
    records = _lines(feed.read_text(encoding="utf-8")) if feed.exists() else []
    return proc, records


def _lines(jsonl: str) -> list[dict[str, Any]]:
    # Not splitlines(): a JSON string may hold U+2028 or U+0085, which it splits at.
    return [json.loads(line) for line in jsonl.split("\n") if line]


def _served(site: str) -> dict[str, str]:
    """Each page's URL and its HTML as the spider read it."""
    return {
        site + name: (CORPUS / "pages" / source).read_bytes().decode("utf-8")
        for name, (source, *_) in PAGES.items()
    }


def _cli(tmp_path: Path, records: list[dict[str, Any]], *args: str) -> list[dict[str, Any]]:
    """What ``dedup clean`` writes for these records."""
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", str(path), "-q", *args],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return _lines(proc.stdout)


def _only_local_requests(log: str) -> None:
    crawled = re.findall(r"Crawled \(\d+\) <GET (\S+)>", log)
    assert len(crawled) == len(PAGES) + 1, log[-3000:]
    assert all(url.startswith("http://127.0.0.1:") for url in crawled)
    assert "robots.txt" not in log


# ---------------------------------------------------------------- the crawl


def test_crawl_cleans_html_items_as_the_command_line_does(site: str, tmp_path: Path) -> None:
    proc, records = crawl(tmp_path, site, "DEDUP_HTML_FIELDS=html", "DEDUP_OUTPUT_FIELD=text")
    assert proc.returncode == 0, proc.stderr[-3000:]
    served = _served(site)
    assert sorted(r["url"] for r in records) == sorted(served)
    by_url = {r["url"]: r for r in records}

    # Every record is what `dedup clean --html-field html --output-field text -f text`
    # writes for it: the HTML and title kept, the cleaned text and removals added.
    originals = [
        {"url": url, "title": by_url[url]["title"], "html": html} for url, html in served.items()
    ]
    expected = _cli(
        tmp_path, originals, "--html-field", "html", "--output-field", "text", "-f", "text"
    )
    assert [by_url[r["url"]] for r in expected] == expected

    for name, (_, echo, left) in PAGES.items():
        url = site + name
        record, html = by_url[url], served[url]
        assert record["html"] == html
        assert record["title"] == Selector(text=html).css("title::text").get()
        result = dedup.clean(html, format="html")
        assert record["text"] == result.text
        before, _ = result.comparable_texts()  # every block's text, none removed
        assert before.count(echo) > record["text"].count(echo) == left
        assert echo in {r["text"] for r in record["dedup"]}
        assert list(record) == ["url", "title", "html", "text", "dedup"]

    log = proc.stderr
    _only_local_requests(log)
    removed = sum(len(r["dedup"]) for r in records)
    assert f"'dedup/blocks_removed': {removed}" in log
    assert f"'dedup/items_cleaned': {len(PAGES)}" in log
    assert "'dedup/removed/caption': 2" in log
    assert re.search(rf"\[pages\] INFO: dedup: 3 items cleaned, {removed} blocks removed \(", log)
    debug = re.findall(r"\[pages\] DEBUG: dedup: (\S+): (\d+) blocks? removed \(", log)
    assert sorted(debug) == sorted((r["url"], str(len(r["dedup"]))) for r in records)


def test_crawl_with_item_classes(site: str, tmp_path: Path) -> None:
    """A ``scrapy.Item`` that declares no ``dedup`` field gets the cleaned text and one
    warning; a dataclass that declares it gets the removals too."""
    proc, records = crawl(
        tmp_path,
        site,
        "DEDUP_HTML_FIELDS=html",
        "DEDUP_OUTPUT_FIELD=text",
        "DEDUP_MIN_CHARS=25",
        items="item,dataclass",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    served = _served(site)
    assert len(records) == 2 * len(PAGES)
    cleaner = dedup.Cleaner(dedup.Config(min_chars=25))
    for record in records:
        result = cleaner.clean(served[record["url"]], format="html")
        assert record["text"] == result.text
        assert record["html"] == served[record["url"]]
        if record["kind"] == "item":
            assert "dedup" not in record
        else:
            assert record["dedup"] == json.loads(json.dumps([r.as_dict() for r in result.removed]))
    log = proc.stderr
    assert log.count("Page declares no field 'dedup'") == 1
    assert f"'dedup/undeclared_field': {len(PAGES)}" in log
    assert f"'dedup/items_cleaned': {2 * len(PAGES)}" in log


def test_a_bad_setting_stops_the_crawl_before_any_request(site: str, tmp_path: Path) -> None:
    proc, records = crawl(tmp_path, site, "DEDUP_JACCARD=abc")
    assert proc.returncode != 0
    last = proc.stderr.strip().splitlines()[-1]
    assert last == "dedup.errors.ConfigError: DEDUP_JACCARD must be a number, got 'abc'"
    assert "Crawled (" not in proc.stderr
    assert records == []


# ---------------------------------------------------------------- settings and items


def _pipeline(**settings: Any) -> DedupPipeline:
    return DedupPipeline(*read_settings(Settings(settings)))


CAP = "Rescue workers search the rubble of the collapsed building in the old town"
HTML = (
    f"<h1>Headline of the day</h1><figure><img src='a.jpg'><figcaption>{CAP}</figcaption>"
    f"</figure><p>Body text of the article, long enough to stay.</p><p>{CAP}</p>"
)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"DEDUP_JACCARD": "1.5"}, "DEDUP_JACCARD: jaccard must be in (0, 1], got 1.5"),
        ({"DEDUP_MIN_CHARS": "2.5"}, "DEDUP_MIN_CHARS must be an integer, got '2.5'"),
        ({"DEDUP_MIN_CHARS": 2.5}, "DEDUP_MIN_CHARS must be an integer, got 2.5"),
        ({"DEDUP_NUM_PERM": True}, "DEDUP_NUM_PERM must be an integer, got True"),
        ({"DEDUP_INCLUDE_ALT": "maybe"}, "DEDUP_INCLUDE_ALT must be true or false, got 'maybe'"),
        (
            {"DEDUP_MIN_CHAR": 10},
            "DEDUP_MIN_CHAR: no such dedup setting; did you mean DEDUP_MIN_CHARS?",
        ),
        ({"DEDUP_FIELDS": [""]}, "DEDUP_FIELDS must be a list of field names, got ['']"),
        ({"DEDUP_FIELDS": ""}, "DEDUP_FIELDS and DEDUP_HTML_FIELDS name no field to clean"),
        ({"DEDUP_OUTPUT_FIELD": 3}, "DEDUP_OUTPUT_FIELD must be a field name, got 3"),
    ],
)
def test_a_bad_setting_is_an_error_naming_it(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(dedup.ConfigError) as error:
        read_settings(Settings(settings))
    assert str(error.value) == message


def test_settings_map_every_config_option() -> None:
    # Each option as DEDUP_<OPTION>, set as -s on the command line sets it (a string).
    changed: dict[str, Any] = {}
    for option in fields(dedup.Config):
        default = option.default
        if isinstance(default, bool):
            changed[option.name] = not default
        elif isinstance(default, int):
            changed[option.name] = default + 1
        else:
            changed[option.name] = round(default / 2, 3)
    settings = {f"DEDUP_{name.upper()}": str(value) for name, value in changed.items()}
    config, _ = read_settings(Settings(settings))
    assert config == dedup.Config(**changed) != dedup.Config()


def test_settings_of_python_types() -> None:
    config, targets = read_settings(
        Settings(
            {
                "DEDUP_JACCARD": "0.9",
                "DEDUP_MIN_CHARS": "30",
                "DEDUP_INCLUDE_ALT": "True",
                "DEDUP_REMOVE_TABLE_CELLS": 1,
                "DEDUP_MAX_BYTES": 1000.0,
            }
        )
    )
    assert config == dedup.Config(
        jaccard=0.9, min_chars=30, include_alt=True, remove_table_cells=True, max_bytes=1000
    )
    assert [(t.field, t.html, t.output, t.removals) for t in targets] == [
        ("text", False, "text", "dedup")
    ]


def test_several_fields_need_a_field_template() -> None:
    config, targets = read_settings(
        Settings({"DEDUP_FIELDS": "body,summary", "DEDUP_OUTPUT_FIELD": "{field}_clean"})
    )
    assert [(t.field, t.output, t.removals) for t in targets] == [
        ("body", "body_clean", "dedup_body"),
        ("summary", "summary_clean", "dedup_summary"),
    ]
    with pytest.raises(dedup.ConfigError, match=r"DEDUP_OUTPUT_FIELD is 'clean' for 2 fields"):
        read_settings(Settings({"DEDUP_FIELDS": ["a", "b"], "DEDUP_OUTPUT_FIELD": "clean"}))
    with pytest.raises(dedup.ConfigError, match=r"DEDUP_REMOVALS_KEY is 'dedup' for 2 fields"):
        read_settings(Settings({"DEDUP_FIELDS": ["a", "b"], "DEDUP_REMOVALS_KEY": "dedup"}))
    with pytest.raises(dedup.ConfigError, match=r"DEDUP_OUTPUT_FIELD: 'a_clean' would be"):
        read_settings(
            Settings({"DEDUP_FIELDS": "a,a_clean", "DEDUP_OUTPUT_FIELD": "{field}_clean"})
        )
    with pytest.raises(dedup.ConfigError, match=r"DEDUP_REMOVALS_KEY: 'text' is also a field"):
        read_settings(Settings({"DEDUP_REMOVALS_KEY": "text"}))
    with pytest.raises(dedup.ConfigError, match="both name html"):
        read_settings(Settings({"DEDUP_FIELDS": "html", "DEDUP_HTML_FIELDS": "html"}))


def test_missing_none_and_non_text_fields(caplog: pytest.LogCaptureFixture) -> None:
    pipeline = _pipeline(DEDUP_HTML_FIELDS=["html"], DEDUP_OUTPUT_FIELD="text")
    assert pipeline.process_item({"url": "u1"}) == {"url": "u1", "dedup": []}
    assert pipeline.process_item({"url": "u2", "html": None}) == {
        "url": "u2",
        "html": None,
        "text": None,
        "dedup": [],
    }
    with caplog.at_level(logging.WARNING):
        item = {"url": "u3", "html": b"<p>bytes</p>"}
        assert pipeline.process_item(item) == {"url": "u3", "html": b"<p>bytes</p>"}
    assert "dedup: u3: field 'html' holds bytes, not text; left as it is" in caplog.text


def test_text_fields_in_place_without_removals_still_counted() -> None:
    text = f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n\n{CAP}\n"
    crawler = get_crawler(settings_dict={"DEDUP_REMOVALS_KEY": ""})
    pipeline = DedupPipeline.from_crawler(crawler)
    item = pipeline.process_item({"id": 1, "text": text})
    assert item == {"id": 1, "text": dedup.clean(text).text}
    assert item["text"].count(CAP) == 1
    assert pipeline.process_item({"id": 2}) == {"id": 2}
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    assert {k: v for k, v in stats.items() if k.startswith("dedup/")} == {
        "dedup/items_cleaned": 1,
        "dedup/blocks_removed": 1,
        "dedup/removed/paragraph": 1,
    }


def test_text_over_a_limit_is_left_as_it_is(caplog: pytest.LogCaptureFixture) -> None:
    pipeline = _pipeline(DEDUP_MAX_BYTES=100)
    with caplog.at_level(logging.WARNING):
        item = pipeline.process_item({"url": "u", "text": "x" * 101})
    assert item == {"url": "u", "text": "x" * 101}
    assert "dedup: u: field 'text': 101 characters is over the limit of 100" in caplog.text


@dataclass
class Article:
    url: str
    body: str


def test_a_dataclass_without_the_removals_field_keeps_its_cleaned_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pipeline = _pipeline(DEDUP_HTML_FIELDS=["body"])
    with caplog.at_level(logging.WARNING):
        first, second = (pipeline.process_item(Article(f"u{i}", HTML)) for i in (1, 2))
    assert first.body == second.body == dedup.clean(HTML, format="html").text
    assert first.body.count(CAP) == 1
    assert caplog.text.count("Article declares no field 'dedup'") == 1


class Story(Item):
    url = Field()
    html = Field()
    dedup = Field()


def test_a_scrapy_item_that_declares_the_removals_field() -> None:
    item = _pipeline(DEDUP_HTML_FIELDS="html").process_item(Story(url="u", html=HTML))
    assert item["html"] == dedup.clean(HTML, format="html").text
    assert [r["text"] for r in item["dedup"]] == [CAP]

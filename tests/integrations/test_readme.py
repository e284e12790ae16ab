"""The README's integration examples, run as they are printed (the datasets one runs in
test_hf.py): the Scrapy settings in a real crawl, the datatrove pipeline over real files."""

from __future__ import annotations

import functools
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import dedup

from ..conftest import CORPUS, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
REPEATED = "Sign up for the morning briefing and get the day's top stories in your inbox."


def _python_block(section: str) -> str:
    """The first Python block of a README section."""
    text = README.split(f"### {section}\n", 1)[1]
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


SPIDER = """
import scrapy


class Pages(scrapy.Spider):
    name = "pages"
    allowed_domains = ["127.0.0.1"]
    custom_settings = {"ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False}

    def __init__(self, start, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]

    def parse(self, response):
        if response.url.endswith("/"):
            yield from response.follow_all(css="a")
        else:
            yield {"url": response.url, "title": response.css("title::text").get(),
                   "html": response.text}
"""


def test_the_scrapy_settings_of_the_readme_clean_a_real_crawl(tmp_path: Path) -> None:
    pytest.importorskip("scrapy")
    from .test_scrapy import PAGES, _Quiet  # the same pages as the crawl tests

    settings = _python_block("Scrapy")
    assert "ITEM_PIPELINES" in settings
    (tmp_path / "readme_settings.py").write_text(settings, encoding="utf-8")
    (tmp_path / "spider.py").write_text(SPIDER, encoding="utf-8")
    root = tmp_path / "site"
    root.mkdir()
    for name, (source, *_) in PAGES.items():
        shutil.copyfile(CORPUS / "pages" / source, root / name)
    links = "".join(f'<a href="{name}">{name}</a>' for name in PAGES)
    (root / "index.html").write_text(f"<html><body>{links}</body></html>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
            "SCRAPY_SETTINGS_MODULE": "readme_settings",
        }
        start = f"http://127.0.0.1:{server.server_address[1]}/"
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "runspider", "spider.py", "-o", "out.jsonl"]
            + ["-a", f"start={start}"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert proc.returncode == 0, proc.stderr[-2000:]
    items = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().split("\n") if line]
    assert len(items) == len(PAGES)
    for item in items:
        # As the README says: every field kept, the cleaned text added, the removals too.
        result = dedup.clean(item["html"], format="html", min_chars=30)
        assert item["text"] == result.text and item["title"] and item["url"]
        assert item["dedup"] == [r.as_dict() for r in result.removed]
    assert sum(len(item["dedup"]) for item in items) >= len(PAGES)


def test_the_datatrove_pipeline_of_the_readme_runs(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    pytest.importorskip("orjson")
    (tmp_path / "crawl").mkdir()
    stories = [
        f"Story {i}: the council met on day {i} to talk about the roads.\n\n{REPEATED}\n\n"
        f"Members of the council voted {i} times on the budget for the new library.\n\n"
        f"{REPEATED}\n"
        for i in range(6)
    ]
    with (tmp_path / "crawl" / "part.jsonl").open("w", encoding="utf-8") as out:
        for i, text in enumerate(stories):
            out.write(json.dumps({"id": f"s{i}", "text": text, "url": f"https://x.example/{i}"}))
            out.write("\n")
    # Run as a user runs it: a script of its own, in a fresh process (one whose processes
    # start as a script's do, whatever another test set in this one).
    (tmp_path / "pipeline.py").write_text(_python_block("datatrove"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "pipeline.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]

    def read(folder: str) -> dict[str, dict[str, Any]]:
        docs = {}
        for path in sorted((tmp_path / folder).glob("*.jsonl*")):
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="utf-8") as fh:
                for line in fh:
                    doc = json.loads(line)
                    docs[doc["id"]] = doc
        return docs

    clean, removed = read("clean"), read("removed")
    assert sorted(clean) == [f"s{i}" for i in range(6)]
    for i, text in enumerate(stories):
        doc = clean[f"s{i}"]
        result = dedup.clean(text, min_chars=30)
        assert doc["text"] == result.text and doc["text"].count(REPEATED) == 1
        assert doc["metadata"]["dedup"] == [r.as_dict() for r in result.removed]
        assert doc["metadata"]["url"] == f"https://x.example/{i}"
        assert removed[f"s{i}"]["text"] == REPEATED


def test_the_core_install_needs_none_of_the_integrations_libraries() -> None:
    from importlib.metadata import requires

    core = [r for r in requires("dedup") or [] if "extra ==" not in r]
    names = {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in core}
    assert "lxml" in names and "datasketch" in names
    assert not names & {"scrapy", "itemadapter", "datatrove", "orjson", "datasets", "pyarrow"}
    extras = [r for r in requires("dedup") or [] if "extra ==" in r]
    for extra, library in (
        ("scrapy", "scrapy"),
        ("datatrove", "datatrove"),
        ("datasets", "datasets"),
    ):
        assert any(r.startswith(library) and f'extra == "{extra}"' in r for r in extras)

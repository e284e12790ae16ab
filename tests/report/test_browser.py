"""The HTML report as a person sees it: rendered by a real headless Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

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
    # What the browser built: one section per document, one row per removal.
    sections = page.xpath("//section[@class='document']")
    assert [s.findtext("h2") for s in sections] == [d["source"] for d in expected["documents"]]
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

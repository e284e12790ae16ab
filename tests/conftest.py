"""Shared fixtures: paths to the samples and to ../shared/corpus (absent: tests skip, saying so)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = Path(os.environ.get("DEDUP_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"


def corpus_pages() -> list[Path]:
    pages = CORPUS / "pages"
    return sorted(pages.glob("*.html")) if pages.is_dir() else []


@pytest.fixture(scope="session")
def corpus() -> list[Path]:
    pages = corpus_pages()
    if not pages:
        pytest.skip(f"corpus not found at {CORPUS}: corpus-wide checks did not run")
    return pages

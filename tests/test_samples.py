"""End to end on the real samples: the cleaned output is checked in under samples/expected/."""

import json

import pytest

import dedup
from dedup.parse.text import parse_text

from .conftest import SAMPLES, deletions_only

SEED = SAMPLES / "arabic-musk-repeated-captions.txt"
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".html", ".txt"))


def clean_sample(path):
    return dedup.clean(path.read_bytes(), name=path.name, include_alt=True)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_matches_expected_output(path):
    expected = (SAMPLES / "expected" / (path.stem + ".txt")).read_text(encoding="utf-8")
    result = clean_sample(path)
    out = result.text if result.text.endswith("\n") else result.text + "\n"
    assert out == expected
    assert result.removed, "every sample holds echoes"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_cleaning_is_idempotent(path):
    result = clean_sample(path)
    again = result.html if result.format == "html" else result.text
    assert dedup.clean(again, name=path.name, include_alt=True).removals() == ()


@pytest.mark.parametrize(
    "path", [p for p in SAMPLE_FILES if p.suffix == ".html"], ids=lambda p: p.name
)
def test_sample_html_is_cleaned_by_deleting_markup_only(path):
    # Every character that stays is the source's own: no re-serialised markup.
    result = clean_sample(path)
    assert result.html != result.original
    assert deletions_only(result.original, result.html)
    again = dedup.clean(result.html, name=path.name, include_alt=True)
    assert [b.text for b in again.blocks] == [b.text for b in result.kept_in("html")]


def test_seed_loses_exactly_its_three_repeated_captions():
    source = SEED.read_text(encoding="utf-8")
    result = dedup.clean(source, name=SEED.name)
    assert [(r.index, r.duplicate_of, r.reason) for r in result.removed] == [
        (9, 8, "exact"),
        (11, 10, "exact"),
        (24, 23, "exact"),
    ]
    before = parse_text(source)
    after = parse_text(result.text)
    assert len(before) == 33 and len(after) == 30
    # The 30 others are byte-identical and in order.
    assert [b.text for b in after] == [b.text for b in before if b.index not in (9, 11, 24)]
    report = json.loads(result.report("json"))
    assert [r["index"] for r in report["documents"][0]["removed"]] == [9, 11, 24]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_seed_written_one_paragraph_a_line_loses_the_same_three_captions(newline):
    # Many extractors write a paragraph a line, with no blank line between: each line is
    # then a block, and the same three captions go, each with its own line break.
    source = SEED.read_text(encoding="utf-8")
    lines = [b.text for b in parse_text(source)]
    flat = newline.join(lines) + newline
    result = dedup.clean(flat, format="text")
    assert [(r.index, r.duplicate_of, r.reason) for r in result.removed] == [
        (9, 8, "exact"),
        (11, 10, "exact"),
        (24, 23, "exact"),
    ]
    kept = [t for i, t in enumerate(lines) if i not in (9, 11, 24)]
    assert result.text == newline.join(kept) + newline
    assert dedup.clean(result.text, format="text").removed == ()

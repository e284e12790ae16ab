import json
import os
import subprocess
import sys

import pytest

import dedup
from dedup import Config, ConfigError

from .conftest import SAMPLES

CAP = "Rescue workers search the rubble of the collapsed building in the old town"
TEXT = f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n\n{CAP}\n"


def test_clean_returns_a_typed_result():
    r = dedup.clean(TEXT, name="a.txt")
    assert isinstance(r, dedup.Result)
    assert r.format == "text" and r.name == "a.txt"
    assert [b.index for b in r.blocks] == [0, 1, 2, 3]
    assert [x.index for x in r.removed] == [3]
    assert isinstance(r.removed[0], dedup.Removal)
    assert json.loads(r.report("json"))["summary"]["removed"] == 1
    assert r.report("diff").startswith("--- a/a.txt")
    assert [b["kept"] for b in r.as_dict()["blocks"]] == [True, True, True, False]


def test_bytes_are_decoded():
    assert dedup.clean(TEXT.encode("utf-16")).text == dedup.clean(TEXT).text


def test_cleaner_reuses_one_config():
    cleaner = dedup.Cleaner(Config(min_chars=5))
    assert cleaner.config.min_chars == 5
    assert [x.index for x in cleaner.clean("Short one\n\nShort one\n").removed] == [1]
    assert dedup.Cleaner(min_chars=5).config == cleaner.config


def test_bad_options_are_config_errors():
    with pytest.raises(ConfigError, match="jaccard"):
        Config(jaccard=1.5)
    with pytest.raises(ConfigError, match="unknown option 'thresold'"):
        Config.from_mapping({"thresold": 0.5})
    with pytest.raises(ConfigError, match="min-chars must be int"):
        Config.from_mapping({"min-chars": "many"})


def test_unknown_format_is_a_config_error():
    # An argument no document can make right: a setting, and a ValueError as Python's are.
    with pytest.raises(ConfigError, match="unknown input format 'pdf'") as caught:
        dedup.clean("x", format="pdf")
    assert isinstance(caught.value, ValueError)


def test_idempotent():
    once = dedup.clean(TEXT)
    assert dedup.clean(once.text).removed == ()
    html = f"<html><body><p>{CAP}</p><p>Between.</p><div class=caption>{CAP}</div></body></html>"
    cleaned = dedup.clean(html).html
    assert dedup.clean(cleaned).removed == ()


def test_results_do_not_depend_on_hash_seed():
    code = (
        "import dedup, json, sys; "
        "r = dedup.clean(sys.stdin.read(), name='x.html'); "
        "print(json.dumps([(x.index, x.duplicate_of, x.similarity, x.reason) for x in r.removed]))"
    )
    html = (
        "<html><body>"
        + "".join(
            # (each paragraph said twice: no interview's frame of questions and answers)
            f"<p>{CAP} number {i % 7}</p><p>Paragraph {i // 2} about something else entirely.</p>"
            for i in range(30)
        )
        + "</body></html>"
    )
    outs = set()
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code],
            input=html,
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        outs.add(out)
    assert len(outs) == 1 and json.loads(outs.pop())


def test_a_result_prints_short_whatever_the_page():
    page = (SAMPLES / "dailymail-imagecaption-alt.html").read_bytes()
    result = dedup.clean(page, name="page.html", include_alt=True)
    assert repr(result) == (
        f"<Result 'page.html': html, {len(result.blocks)} blocks, {len(result.removed)} removed>"
    )


def test_stage_timings_are_collected_only_inside_the_block():
    from dedup.profile import stage_timings

    cleaner = dedup.Cleaner()
    page = (SAMPLES / "bbc-image-caption-label.html").read_bytes()
    with stage_timings() as timings:
        cleaner.clean(page)
    assert {"decode", "parse", "normalize", "shingle", "plan"} <= set(timings)
    assert all(seconds >= 0 for seconds in timings.values())
    before = dict(timings)
    cleaner.clean(page)  # outside the block: nothing is added
    assert timings == before

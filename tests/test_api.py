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


# ---------------------------------------------------------------- as a Python programmer expects


def test_clean_lists_every_setting_as_a_typed_documented_keyword():
    import dataclasses
    import inspect

    params = inspect.signature(dedup.clean).parameters
    assert list(params)[:5] == ["source", "format", "name", "config", "content_type"]
    for field in dataclasses.fields(Config):
        assert field.name in params, f"clean() has no keyword for the setting {field.name}"
        param = params[field.name]
        assert param.kind is inspect.Parameter.KEYWORD_ONLY
        assert param.annotation != inspect.Parameter.empty
        assert f"{field.name}:" in (dedup.clean.__doc__ or "")
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    assert dedup.clean(TEXT, min_chars=200).removed == ()


def test_wrong_sources_and_settings_are_dedup_errors_naming_what_was_wrong(tmp_path):
    with pytest.raises(dedup.InputError, match="not NoneType"):
        dedup.clean(None)
    with pytest.raises(dedup.InputError, match="not int"):
        dedup.clean(42)
    with pytest.raises(ConfigError, match="unknown report format 'markdown'") as caught:
        dedup.clean(TEXT).report("markdown")
    assert isinstance(caught.value, ValueError)
    with pytest.raises(ConfigError, match="min_chars must be an integer, got '10'"):
        Config(min_chars="10")
    with pytest.raises(ConfigError, match="unknown output format 'pdf'"):
        dedup.clean(TEXT).output("pdf")
    records = tmp_path / "r.jsonl"
    records.write_text('{"text": "x"}\n', encoding="utf-8")
    with pytest.raises(dedup.InputError, match="clean_records"):
        dedup.clean(records)


def test_clean_reads_a_path(tmp_path):
    from pathlib import Path

    path = tmp_path / "a.md"
    path.write_text(TEXT, encoding="utf-8")
    r = dedup.clean(Path(path))
    assert r.name == str(path) and r.format == "markdown"
    assert r.text == dedup.clean(TEXT, format="markdown").text
    assert dedup.Cleaner().clean(path).text == r.text


def test_clean_records_is_what_the_command_line_writes(tmp_path):
    records = [
        {"id": 1, "text": TEXT, "lang": "en"},
        {"id": 2, "text": None},
        {"id": 3, "body": "no text field"},
        {"id": 4, "html": f"<p>{CAP}</p><p>Body text here.</p><p>{CAP}</p>"},
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", str(path), "-q", "--on-error", "skip"],
        capture_output=True,
        check=False,
    )
    assert [json.loads(line) for line in cli.stdout.splitlines()] == list(
        dedup.clean_records(records, on_error="skip")
    )
    out = list(dedup.clean_records(records[:2]))
    assert out[0]["text"].count(CAP) == 1 and out[0]["lang"] == "en"
    assert out[0]["dedup"][0]["kind"] == "paragraph" and out[1]["dedup"] == []
    assert records[0]["text"] == TEXT  # the caller's records are not changed
    with pytest.raises(dedup.InputError, match=r"record 3: no field 'text' .*'body'"):
        list(dedup.clean_records(records))
    html = next(dedup.clean_records(records[3:], html_field="html", output_field="clean"))
    assert html["clean"] == f"<p>{CAP}</p><p>Body text here.</p>"
    assert list(dedup.clean_records(records[2:3], on_error="pass")) == [records[2]]


def test_warc_iterator_and_clean_warc(tmp_path):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "crawl.warc.gz"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, ctype in enumerate(("text/html", "image/png", "text/html; charset=utf-8")):
            body = f"<h1>Page {i}</h1><p>{CAP}</p><p>Body.</p><p>{CAP}</p>".encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"https://example.org/{i}",
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=headers,
                )
            )
    responses = list(dedup.warc_responses(warc))
    assert [(r.number, r.url) for r in responses] == [
        (1, "https://example.org/0"),
        (3, "https://example.org/2"),
    ]
    assert responses[0].payload.startswith(b"<h1>Page 0</h1>")
    cleaned = list(dedup.clean_warc(warc))
    assert [r["url"] for r in cleaned] == ["https://example.org/0", "https://example.org/2"]
    assert cleaned[0]["text"] == f"Page 0\n\n{CAP}\n\nBody."
    cli = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", str(warc), "-q"], capture_output=True, check=True
    )
    assert [json.loads(line) for line in cli.stdout.splitlines()] == cleaned


def test_settings_given_as_keywords_are_checked_as_config_fields_are():
    for wrong in ({"min_chars": "10"}, {"include_alt": "no"}, {"min_chars": True}):
        with pytest.raises(ConfigError):
            dedup.clean(TEXT, **wrong)
        with pytest.raises(ConfigError):
            dedup.Cleaner(**wrong)
    with pytest.raises(ConfigError, match="unknown option 'thresold'"):
        dedup.Cleaner(thresold=0.5)

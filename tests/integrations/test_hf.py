"""dedup.integrations.hf on real datasets: Dataset.map over corpus pages and texts, the
schema it declares, worker processes, and a dataset saved and loaded again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# datasets reads these once, when first imported: nothing here may reach the network or the
# user's cache (the fixture below also points an already imported datasets elsewhere).
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HOME", os.path.join(tempfile.gettempdir(), f"dedup-hf-{os.getpid()}"))

datasets = pytest.importorskip("datasets")

import dedup  # noqa: E402
from dedup.integrations import hf  # noqa: E402

from ..conftest import CORPUS, SAMPLES  # noqa: E402

# Pages with echoes in the shared corpus, small ones (each cleans in milliseconds): a
# caption and alt text under one picture, a shortened headline, a copy that HTML keeps under
# each picture and text drops ("text-only": the text's plan is not the page's), a list.
PAGES = (
    "newspaper3k__nydailynews.com1.html",
    "postlight__medium.com.html",
    "trafilatura__soundofscience.fr.1927.html",
    "newspaper3k__ok.co.uk2.html",
    "trafilatura__piratenpartei-marburg.de.fridays.html",
    "aeb__7916ecca969ffdd8f6fc32d171fbe0dd63db40fe4c1d2ade02b1dec5929a162f.html",
)
CAP = "Rescue workers search the rubble of the collapsed building in the old town"
NO_REPEATS = "A short note.\n\nNothing in it is said twice, and nothing goes.\n"


@pytest.fixture(scope="module", autouse=True)
def offline(tmp_path_factory):
    """datasets offline, its cache in a temporary directory, whenever it was imported."""
    home = tmp_path_factory.mktemp("hf-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_DATASETS_OFFLINE", "1")
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("HF_HOME", str(home))
        mp.setattr(datasets.config, "HF_HUB_OFFLINE", True)
        mp.setattr(datasets.config, "HF_DATASETS_OFFLINE", True, raising=False)
        mp.setattr(datasets.config, "HF_CACHE_HOME", str(home))
        mp.setattr(datasets.config, "HF_DATASETS_CACHE", home / "datasets")
        yield


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """The pages' HTML, decoded as the JSONL tests write it."""
    paths = [CORPUS / "pages" / name for name in PAGES]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        pytest.skip(f"corpus pages not found at {CORPUS}: {', '.join(missing)}")
    return {p.name: p.read_bytes().decode("utf-8", "replace") for p in paths}


@pytest.fixture(scope="module")
def html_records(pages) -> list[dict]:
    """One record a page, and one whose extractor found nothing (html None) first, so that
    the first batch of two holds a single page's removals."""
    records = [{"id": 0, "url": None, "html": None, "lang": "en", "score": 0.5}]
    for i, (name, html) in enumerate(pages.items(), start=1):
        records.append(
            {
                "id": i,
                "url": f"https://example.org/{name}",
                "html": html,
                "lang": "en",
                "score": i / 10,
            }
        )
    return records


@pytest.fixture(scope="module")
def text_records(pages) -> list[dict]:
    """Texts with repeated paragraphs: each page's blocks one after another (its echoes
    among them), a sample's Arabic article with its captions told again, and a paragraph
    said twice; the first batch of two has no removal at all (a text with no repeats, and
    no text)."""
    texts = [
        NO_REPEATS,
        None,
        (SAMPLES / "arabic-musk-repeated-captions.txt").read_text(encoding="utf-8"),
        f"Headline of the day\n\n{CAP}\n\nBody text of the article, long enough.\n\n{CAP}\n",
    ]
    for html in pages.values():
        blocks = dedup.clean(html, format="html").blocks
        texts.append("\n\n".join(b.text for b in blocks) + "\n")
    return [{"id": i, "text": t, "tags": ["news", f"t{i}"]} for i, t in enumerate(texts)]


def mapped(records, **kwargs):
    """``records`` as a Dataset, mapped with clean_batch and the schema features() gives."""
    num_proc = kwargs.pop("num_proc", None)
    batch_size = kwargs.pop("batch_size", 2)
    ds = datasets.Dataset.from_list(records)
    schema = hf.features(ds.features, **kwargs)
    out = ds.map(
        hf.clean_batch,
        batched=True,
        batch_size=batch_size,
        fn_kwargs=kwargs,
        features=schema,
        num_proc=num_proc,
    )
    return ds, schema, out


def test_html_rows_get_the_clean_text_and_the_clis_removals(html_records, tmp_path):
    ds, schema, out = mapped(html_records, html_field="html")
    assert out.features == schema
    assert out.column_names == ["id", "url", "html", "lang", "score", "text", "dedup"]
    assert out.features["text"] == datasets.Value("string")
    assert out.features["dedup"] == hf.removals_feature()
    rows = out.to_list()
    expected = list(
        dedup.clean_records(
            html_records, html_field="html", output_field="text", output_format="text"
        )
    )
    # the command line, on the same records as JSONL
    jsonl = tmp_path / "pages.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in html_records))
    written = tmp_path / "clean.jsonl"
    args = ["--html-field", "html", "--output-field", "text", "--format", "text", "-q"]
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", str(jsonl), *args, "-o", str(written)],
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    # (a page may hold U+2028, which str.splitlines takes for a line break; JSONL does not)
    lines = written.read_bytes().decode("utf-8").split("\n")
    cli = [json.loads(line) for line in lines if line]
    assert len(rows) == len(expected) == len(cli) == len(html_records)
    for row, record, want, line in zip(rows, html_records, expected, cli, strict=True):
        assert {k: row[k] for k in record} == record  # every other column as it was
        assert row["dedup"] == want["dedup"] == line["dedup"]
        assert row["text"] == want["text"] == line["text"]
        if record["html"] is None:
            assert row["text"] is None and row["dedup"] == []
            continue
        result = dedup.clean(record["html"], format="html")
        assert row["text"] == result.text
        assert row["dedup"] == [r.as_dict() for r in result.removed]
        assert row["dedup"], record["url"]  # every page chosen has echoes
    reasons = {r["reason"] for row in rows for r in row["dedup"]}
    kinds = {r["kind"] for row in rows for r in row["dedup"]}
    assert "text-only" in reasons  # the text's plan, not the page's
    assert "caption" in kinds
    assert all(isinstance(r["duplicate_of"], int) for row in rows for r in row["dedup"])


def test_text_rows_are_cleaned_in_place(text_records):
    ds, schema, out = mapped(text_records)
    assert out.features == schema
    assert schema == datasets.Features({**ds.features, "dedup": hf.removals_feature()})
    assert out.column_names == ["id", "text", "tags", "dedup"]
    rows = out.to_list()
    expected = list(dedup.clean_records(text_records))
    assert rows[0]["dedup"] == rows[1]["dedup"] == []  # the first batch: nothing to remove
    assert rows[0]["text"] == NO_REPEATS and rows[1]["text"] is None
    for row, record, want in zip(rows, text_records, expected, strict=True):
        assert row == want
        assert row["id"] == record["id"] and row["tags"] == record["tags"]
        if record["text"] is not None:
            result = dedup.clean(record["text"])
            assert result.format == "text"
            assert row["text"] == result.text
    assert all(row["dedup"] for row in rows[2:])


def test_output_field_and_removals_key_name_new_columns(text_records):
    ds, schema, out = mapped(text_records, output_field="clean", removals_key="echoes")
    assert out.column_names == ["id", "text", "tags", "clean", "echoes"]
    assert out.features == schema
    for row, record in zip(out.to_list(), text_records, strict=True):
        assert row["text"] == record["text"]
        want = dedup.clean(record["text"]) if record["text"] is not None else None
        assert row["clean"] == (want.text if want else None)
        assert row["echoes"] == ([r.as_dict() for r in want.removed] if want else [])


def test_no_removals_column_when_removals_key_is_none(text_records):
    ds, schema, out = mapped(text_records[:4], removals_key=None)
    assert out.column_names == ["id", "text", "tags"]
    assert out.features == schema == ds.features
    assert out["text"][3] == dedup.clean(text_records[3]["text"]).text


def test_options_reach_the_cleaner(html_records):
    records = html_records[1:]
    options = {"include_alt": True, "min_chars": 30, "jaccard": 0.9}
    _, _, out = mapped(records, html_field="html", **options)
    _, _, config_out = mapped(records, html_field="html", config=dedup.Config(**options))
    _, _, default = mapped(records, html_field="html")
    assert out.to_list() == config_out.to_list()
    for row, record in zip(out.to_list(), records, strict=True):
        result = dedup.clean(record["html"], format="html", **options)
        assert row["text"] == result.text
        assert row["dedup"] == [r.as_dict() for r in result.removed]
    assert out["dedup"] != default["dedup"]  # alt text and the higher floor change the plans
    assert any(r["kind"] == "alt" for rows in out["dedup"] for r in rows)


def test_markdown_and_bytes_as_clean_reads_them(pages):
    markdown = f"# Headline of the day\n\n{CAP}\n\n* one item of a list\n\n> {CAP}\n"
    _, _, out = mapped([{"text": markdown}], format="markdown")
    result = dedup.clean(markdown, format="markdown")
    assert result.removed and out["text"] == [result.text] and "# Headline" in result.text
    # a binary column of raw pages, decoded as dedup.clean decodes bytes
    raw = (CORPUS / "pages" / PAGES[0]).read_bytes()
    _, _, out = mapped([{"html": raw}], html_field="html")
    assert out.features["html"] == datasets.Value("binary")
    result = dedup.clean(raw, format="html")
    assert out["text"] == [result.text]
    assert out["dedup"] == [[r.as_dict() for r in result.removed]]


def test_two_processes_give_what_one_does(html_records, text_records):
    for records, kwargs in ((html_records, {"html_field": "html"}), (text_records, {})):
        _, _, one = mapped(records, batch_size=1, **kwargs)
        _, _, two = mapped(records, batch_size=1, num_proc=2, **kwargs)
        assert two.features == one.features
        assert two.to_list() == one.to_list()


def test_saved_to_disk_and_loaded_back(html_records, tmp_path):
    _, schema, out = mapped(html_records, html_field="html", output_field="clean")
    out.save_to_disk(str(tmp_path / "cleaned"))
    back = datasets.load_from_disk(str(tmp_path / "cleaned"))
    assert back.features == schema
    assert back.to_list() == out.to_list()
    assert back[2]["dedup"] == out[2]["dedup"] and back[2]["dedup"]


def test_the_cleaner_is_built_once_per_configuration(text_records):
    hf.cleaner.cache_clear()
    batch = {"text": [r["text"] for r in text_records[:4]]}
    for _ in range(3):
        hf.clean_batch(batch, min_chars=25)
    hf.clean_batch(batch, config=dedup.Config(min_chars=25))  # the same configuration
    hf.clean_batch(batch)
    info = hf.cleaner.cache_info()
    assert (info.misses, info.hits) == (2, 3)
    same = dedup.Config().replace(min_chars=25)
    assert hf.cleaner(dedup.Config(min_chars=25)) is hf.cleaner(same)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"jacard": 0.9}, "unknown option 'jacard'; did you mean 'jaccard'?"),
        ({"colour": "red"}, "unknown option 'colour'; the options are jaccard, containment"),
        ({"min_chars": "10"}, "min_chars must be an integer, got '10'"),
        ({"include_alt": "yes"}, "include_alt must be true or false"),
        ({"jaccard": 2.0}, "jaccard must be in (0, 1], got 2.0"),
        ({"config": {"jaccard": 0.9}}, "config must be a dedup.Config"),
        ({"field": None}, "field must be a column name, got None"),
        ({"html_field": "html", "output_field": "html"}, "not back into 'html'"),
        ({"html_field": "html", "format": "text"}, "html_field is read as HTML"),
        ({"format": "pdf"}, "unknown input format 'pdf'"),
        ({"removals_key": "text"}, "removals_key 'text' is the column of the cleaned text"),
        ({"html_field": "html", "removals_key": "html"}, "removals_key 'html' is the column read"),
    ],
)
def test_a_wrong_option_is_a_config_error(kwargs, message):
    batch = {"text": ["Some text."], "html": ["<p>Some text.</p>"]}
    with pytest.raises(dedup.ConfigError) as raised:
        hf.clean_batch(batch, **kwargs)
    assert message in str(raised.value)
    with pytest.raises(dedup.ConfigError) as raised:
        hf.features(None, **kwargs)
    assert message in str(raised.value)


def test_a_row_that_cannot_be_cleaned_is_named():
    with pytest.raises(dedup.InputError, match=r"no column 'txt' .*did you mean 'text'\?"):
        hf.clean_batch({"id": [1], "text": ["a"]}, field="txt")
    batch = {"url": ["https://a.example/1", "https://a.example/2"], "text": ["fine", 3]}
    with pytest.raises(dedup.InputError, match=r"row 1 of the batch \(https://a.example/2\)"):
        hf.clean_batch(batch)
    with pytest.raises(dedup.InputError, match=r"row 0 of the batch \(7\): .*max_bytes"):
        hf.clean_batch({"id": [7], "text": ["x" * 100]}, max_bytes=50)
    with pytest.raises(dedup.InputError, match="no column 'body' in the dataset"):
        hf.features(datasets.Features({"text": datasets.Value("string")}), field="body")
    # map without batched=True hands over one row: refused, through map, saying why
    ds = datasets.Dataset.from_list([{"text": "One row."}])
    with pytest.raises(dedup.ConfigError, match=r"batched=True"):
        ds.map(hf.clean_batch)


def test_importing_dedup_and_the_map_function_imports_no_datasets():
    code = (
        "import sys, dedup, dedup.integrations.hf as hf\n"
        f"out = hf.clean_batch({{'text': ['{CAP}\\n\\n{CAP}\\n']}})\n"
        "assert out['dedup'][0][0]['reason'] == 'exact', out\n"
        "assert 'datasets' not in sys.modules and 'pyarrow' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()


def test_the_readme_snippet_runs():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Hugging Face datasets", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    scope: dict = {}
    exec(compile(snippet, "README.md", "exec"), scope)
    assert scope["ds"].features["dedup"] == hf.removals_feature()

"""The formats table: sniffing, streams, the directory walk and the hooks all follow it."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from dedup.io.decode import FORMATS, sniff_format
from dedup.io.formats import (
    DOCUMENTS,
    EXTENSIONS,
    OUTPUTS,
    REWRITABLE,
    STREAMS,
    SUFFIXES,
    Format,
    document_format,
    format_of,
    is_compressed,
    patterns,
)
from dedup.io.inputs import DEFAULT_INCLUDE, Source, expand
from dedup.io.records import stream_format

from ..conftest import ROOT

EVERY = [(fmt, ext) for fmt, extensions in EXTENSIONS.items() for ext in extensions]


def test_a_format_is_its_value_wherever_a_string_goes():
    assert Format.HTML == "html" and Format("markdown") is Format.MARKDOWN
    assert str(Format.JSONL) == f"{Format.JSONL}" == "jsonl"
    assert json.dumps({Format.TEXT: Format.WARC}) == '{"text": "warc"}'
    assert {"html": 1}[Format.HTML] == 1


def test_every_format_read_is_a_document_or_a_stream():
    assert set(EXTENSIONS) == {*DOCUMENTS, *STREAMS}
    assert not set(DOCUMENTS) & set(STREAMS)
    assert FORMATS == DOCUMENTS  # what the API accepts as a document's format
    assert set(OUTPUTS) <= set(SUFFIXES) and Format.JSONL in SUFFIXES
    assert [document_format(f) for f in Format] == [f if f in DOCUMENTS else None for f in Format]


@pytest.mark.parametrize("fmt, ext", EVERY, ids=[ext for _, ext in EVERY])
def test_an_extension_means_one_format_to_every_reader(fmt, ext):
    name = f"dir/Page{ext}"
    assert format_of(name) is fmt and format_of(name.upper()) is fmt
    source = Source(name, name)
    if fmt in DOCUMENTS:
        # The name wins over content that looks like another format.
        assert (
            sniff_format("<p>Looks like HTML</p>" if fmt is not Format.HTML else "Plain", name)
            is fmt
        )
        assert stream_format(source, None) is None
    else:
        assert stream_format(source, None) is fmt
        assert sniff_format("Plain words", name) is Format.TEXT  # a record's text is sniffed
    assert is_compressed(name) == ext.endswith(".gz")


def test_names_without_a_known_extension_go_by_content_or_as_asked():
    assert format_of("notes.log") is None and format_of("README") is None
    assert sniff_format("<p>x</p>", "notes.log") is Format.HTML
    assert stream_format(Source("notes.log", "notes.log"), Format.JSONL) is Format.JSONL
    assert stream_format(Source("a.jsonl", "a.jsonl"), Format.HTML) is None


def test_a_directory_walk_collects_every_extension_in_the_table(tmp_path):
    for fmt, ext in EVERY:
        (tmp_path / f"{fmt}{ext.replace('.', '_')}{ext}").write_bytes(b"x")
    (tmp_path / "notes.log").write_bytes(b"x")
    (tmp_path / "data.json").write_bytes(b"x")
    found = {source.path[len(str(tmp_path)) + 1 :] for source in expand([str(tmp_path)])}
    assert found == {f"{fmt}{ext.replace('.', '_')}{ext}" for fmt, ext in EVERY}
    assert DEFAULT_INCLUDE == patterns((*DOCUMENTS, *STREAMS))


def test_the_hooks_take_exactly_the_files_fix_rewrites():
    # pre-commit passes the hooks text files (types: [text]): never a compressed stream.
    # WARC archives are only checked, and the check hook offers the same files as the fix.
    taken = {ext for fmt in REWRITABLE for ext in EXTENSIONS[fmt] if not is_compressed(ext)}
    offered = {ext for _, ext in EVERY} | {".json", ".log", ".gz", ".html.bak"}
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["dedup-check", "dedup-fix"]
    for hook in hooks:
        files = re.compile(hook["files"])
        assert {ext for ext in offered if files.search(f"articles/page{ext}")} == taken, hook["id"]
        assert hook["types"] == ["text"]

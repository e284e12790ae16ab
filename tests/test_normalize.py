from pathlib import Path

import pytest

from dedup.normalize import fold, normalize


def _cases() -> list:
    return list(_read_cases())


def _read_cases():
    path = Path(__file__).parent / "data" / "normalize_cases.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text, expected, comment = line.split("\t")
        yield pytest.param(text, expected, id=comment)


@pytest.mark.parametrize("text, expected", _cases())
def test_matching_key(text, expected):
    assert normalize(text).key == expected


def test_flags_say_what_was_peeled():
    n = normalize("Image caption, Ships in the harbour at dawn... Photo: AP")
    assert n.labelled and n.truncated
    assert normalize("Ships in the harbour. Photograph: Jane Doe").credited


def test_fold_is_idempotent():
    for text in ["Café “x” — y", "الأمير سلمانَ", "Ｆｕｌｌ", "a\u200bb"]:
        assert fold(fold(text)) == fold(text)

from pathlib import Path

import pytest

from dedup.match.normalize import fold, normalize


def _cases() -> list:
    return list(_read_cases())


def _read_cases():
    path = Path(__file__).parent.parent / "data" / "normalize_cases.tsv"
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


@pytest.mark.parametrize(
    "label, credit",
    [
        ("التعليق على الصورة، ", "مصدر الصورة، Getty Images"),
        ("Подпись к фото, ", "Автор фото, Reuters"),
        ("Pie de foto, ", "Fuente de la imagen, Getty Images"),
        ("Fotoğraf altı yazısı, ", "Fotoğraf kaynağı, AFP"),
        ("图片说明，", "图片来源，Getty Images"),
    ],
)
def test_the_bbc_labels_in_other_languages(label, credit):
    # The BBC's sites print "Image caption," and "Image source," in their own language.
    caption = "Rescue workers search the rubble of the collapsed building"
    n = normalize(label + caption)
    assert n.labelled and n.key == normalize(caption).key
    credited = normalize(credit)  # a credit line: its own key, whole, marked as a credit
    assert credited.credited and not credited.labelled and credited.key == fold(credit)


def test_the_fold_tables_blank_punctuation_and_drop_marks_and_invisibles():
    assert fold("Ｃafé\u200b “Quote”—x") == "cafe quote x"

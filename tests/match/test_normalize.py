import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.match.normalize import _CREDIT, CREDIT_BODY, caseless, credit_pattern, fold, normalize


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


# Text where credits start and end: their marks, labels, agencies, brackets, CJK stops.
_CREDIT_ALPHABET = [
    *" .,;|/-–—()（）©＝C。．！？摄攝aAbZ:：=、\n",
    "Photo",
    "Photo: ",
    "Credit",
    "Foto",
    " by ",
    "Jane Doe",
    "AFP",
    "Reuters",
    "Getty Images",
    "(",
    ")",
    "...",
    "記者",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_CREDIT_ALPHABET), max_size=40).map("".join))
def test_the_credit_pattern_finds_what_its_alternatives_alone_find(text):
    # _CREDIT tries CREDIT_STARTS first at each position: a shortcut, never a change.
    alone = re.compile(CREDIT_BODY, re.IGNORECASE).search(text)
    found = _CREDIT.search(text)
    assert (found and found.span()) == (alone and alone.span())


_GATED_ALPHABET = [
    *_CREDIT_ALPHABET,
    *"ſKİıÉ",  # letters a case-insensitive match reads as ASCII ones
    "PHOTO/",
    "ANTARA FOTO",
    ". Supplied: Jane Doe",
    "Beeld ",
    "mynd: ",
    "Credit...",
    "(Photo by ",
    "(MP Photo/",
    "Scott Heins/Gothamist",
    " - Video",
    "courtesy photo",
    "Shutterstock",
    "Alamy",
    "(الجزيرة)",
    "/ رويترز",
    "（撮影・山田健太）",
    "（记者 王磊 摄）",
    "（写真提供：X）",
    "nuotr.",
    "ภาพโดย",
    "լուսանկար: ",
    # where the gates read a place of the text: its end, its last sentence, a name last
    ").",
    " .",
    "J. ",
    "Photo, ",
    " - Watch",
    "file photo",
    "Alamy Stock Photo",
    ". Supplied: J. Doe-Smith",
    "(AP Photo/J. Doe)",
    "42",
    "記者 王磊 摄",
    "。",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_GATED_ALPHABET), max_size=30).map("".join))
def test_the_credit_pattern_of_a_text_finds_what_the_whole_pattern_finds(text):
    # Searching with only the alternatives whose substrings a text holds is a shortcut,
    # never a change: an alternative left out matches nowhere in the text.
    want = _CREDIT.search(text)
    found = credit_pattern(caseless(text)).search(text)
    assert (found and found.span()) == (want and want.span())


def test_the_credit_pattern_finds_every_corpus_credit_its_alternatives_find(corpus):
    alone = re.compile(CREDIT_BODY, re.IGNORECASE)
    texts = [b.text for page in corpus for b in dedup.clean(page.read_bytes()).blocks]
    for text in texts:
        start = max(0, len(text) - 240)
        found, want = _CREDIT.search(text, start), alone.search(text, start)
        assert (found and found.span()) == (want and want.span()), text
        gated = credit_pattern(caseless(text[start:])).search(text, start)
        assert (gated and gated.span()) == (want and want.span()), text


def test_every_invisible_mark_is_outside_ascii():
    # ``normalize`` looks for invisible marks only in text that is not ASCII.
    from dedup.match.normalize import _INVISIBLE

    assert min(_INVISIBLE) > 0x7F
    assert normalize("a\u200bb c\u00adde") == normalize("ab cde")

import codecs
import subprocess
import sys

import pytest

from dedup import InputError
from dedup.io.decode import declared_charset, decode, sniff_format

ARABIC = "مرحبا بالعالم"
RUSSIAN = "Привет, мир"


@pytest.mark.parametrize(
    "bom, codec",
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_bom_decides_the_encoding(bom, codec):
    decoded = decode(bom + ARABIC.encode(codec))
    assert decoded.text == ARABIC
    assert decoded.bom == bom


def test_meta_charset_is_used():
    page = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'
    decoded = decode(page.encode("cp1251"))
    assert RUSSIAN in decoded.text
    assert decoded.encoding == "cp1251"


def test_http_equiv_content_type_charset():
    page = f'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>{RUSSIAN}</p>'
    assert RUSSIAN in decode(page.encode("koi8_r")).text


def test_header_charset_wins_over_meta():
    page = f'<meta charset="utf-8"><p>{RUSSIAN}</p>'.encode("cp1251")
    assert RUSSIAN in decode(page, content_type="text/html; charset=windows-1251").text


def test_a_lying_meta_charset_falls_back_to_utf8():
    # Declared latin-1 (read as windows-1252, as browsers do) but the bytes are UTF-8 with a
    # byte windows-1252 cannot decode: the declaration is ignored.
    page = f'<meta charset="iso-8859-1"><p>{ARABIC} \u0081</p>'.encode()
    assert ARABIC in decode(page).text


def test_undeclared_legacy_bytes_are_detected():
    text = "Déjà vu — naïve café"
    decoded = decode(text.encode("cp1252"))
    assert "caf" in decoded.text and "\ufffd" not in decoded.text


def test_xml_declaration_encoding():
    page = f'<?xml version="1.0" encoding="ISO-8859-5"?><html><body><p>{RUSSIAN}</p></body></html>'
    assert RUSSIAN in decode(page.encode("iso8859_5")).text


def test_unknown_declared_charset_is_ignored():
    assert declared_charset(b'<meta charset="no-such-charset">') is None


def test_invalid_bytes_after_a_bom_are_an_input_error():
    with pytest.raises(InputError, match="byte-order mark"):
        decode(codecs.BOM_UTF8 + b"\xff\xfe\xfa")


@pytest.mark.parametrize(
    "text, name, expected",
    [
        ("<!DOCTYPE html><html>", None, "html"),
        ("<!-- c --><?xml version='1.0'?><html>", None, "html"),
        ("<p>One</p>", None, "html"),
        ("<h1>Title</h1><p>Body</p>", None, "html"),
        ("\n  <figure><img src=a.jpg><figcaption>A caption</figcaption></figure>", None, "html"),
        ("<ul><li>One</li></ul>", None, "html"),
        ("<br/>line", None, "html"),
        ("<amp-img src=a.jpg></amp-img><p>x</p>", None, "html"),
        ("<!-- saved --><span class=x>Text</span>", None, "html"),
        ("Plain words\n\nMore words", None, "text"),
        ("<jane@example.com> wrote:\n\nHello", None, "text"),
        ("<3 to everyone who came", None, "text"),
        ("<brand new> is not a tag", None, "text"),
        ("# Title", "a.md", "markdown"),
        ("<p>x</p>", "notes.txt", "text"),
        ("whatever", "page.HTM", "html"),
    ],
)
def test_sniff_format(text, name, expected):
    assert sniff_format(text, name) == expected


def test_utf8_with_windows_1252_pieces_registers_no_handler_before_it_needs_one():
    # Importing dedup leaves the process's codec registry alone; the first mixed-encoding
    # input registers the handler once, and the result is the same every time.
    code = """
import codecs
import dedup
from dedup.io.decode import decode

def registered():
    try:
        codecs.lookup_error("dedup-cp1252-pieces")
    except LookupError:
        return False
    return True

mixed = ("Caf\u00e9 cr\u00e8me, d\u00e9j\u00e0 vu. " * 4).encode() + b"\\x93quoted\\x94"
print(registered(), decode(b"plain ascii").encoding, registered())
first = decode(mixed)
print(registered(), first.encoding, first.text == decode(mixed).text, ascii(first.text[-8:]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "False utf-8 False",
        "True utf-8 True '\\u201cquoted\\u201d'",
    ]


@pytest.mark.parametrize(
    "text, codec",
    [
        ("Это длинный абзац.\n", "cp1251"),
        ("Фотография: Иван Петров. Другой абзац о событиях дня в Москве.\n", "cp1251"),
        ("Zażółć gęślą jaźń — to jest polski tekst o wydarzeniach dnia.\n", "cp1250"),
        ("Größere Veränderungen für die Bürger in München.\n", "cp1252"),
    ],
)
def test_undeclared_plain_text_in_a_legacy_charset_reads_as_written(text, codec):
    # Plain text declares nothing: the charset is guessed from the bytes, by script.
    assert decode(text.encode(codec)).text == text

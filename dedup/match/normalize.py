"""Normalise block text for matching only: the output always keeps the original characters.

Every step is a C-level string operation (``str.translate``, ``unicodedata.normalize``,
compiled regexes); nothing here loops over characters in Python.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Callable
from types import ModuleType
from typing import Any, NamedTuple

# Invisible characters that scrapers carry over: zero-width spaces and joiners, bidi
# controls, the soft hyphen, the byte-order mark, Arabic tatweel, variation selectors.
_INVISIBLE = (
    [0x00AD, 0x034F, 0x061C, 0x0640, 0x180E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF]
    + list(range(0x200B, 0x2010))  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    + list(range(0x202A, 0x202F))  # LRE..RLO
    + list(range(0x2066, 0x206A))  # LRI..PDI
    + list(range(0xFE00, 0xFE10))  # variation selectors
)

# Marks removed after canonical decomposition: Latin/Greek/Cyrillic combining accents,
# Hebrew points and cantillation, Arabic tashkeel and Quranic marks.
_MARKS = (
    list(range(0x0300, 0x0370))
    + list(range(0x0483, 0x048A))
    + list(range(0x0591, 0x05BE))
    + [0x05BF, 0x05C1, 0x05C2, 0x05C4, 0x05C5, 0x05C7]
    + list(range(0x0610, 0x061B))
    + list(range(0x064B, 0x0660))
    + [0x0670]
    + list(range(0x06D6, 0x06DD))
    + list(range(0x06DF, 0x06E9))
    + list(range(0x06EA, 0x06EE))
)

# Letter variants folded to one form (applied after NFC re-composition).
_LETTERS = {
    # Arabic alef forms, hamza carriers, alef maqsura, ta marbuta
    "\u0622": "\u0627",
    "\u0623": "\u0627",
    "\u0625": "\u0627",
    "\u0671": "\u0627",
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    "\u0649": "\u064a",
    "\u0626": "\u064a",
    "\u0624": "\u0648",
    "\u0629": "\u0647",
    # Turkish dotless i: its capital is I, whose lower case elsewhere is i ("TATBİKATI"
    # and "tatbikatı" are one word)
    "\u0131": "i",
    # Persian/Urdu letter forms that are the same letter as the Arabic one
    "\u06cc": "\u064a",
    "\u06d2": "\u064a",
    "\u06a9": "\u0643",
    "\u06c1": "\u0647",
    "\u06be": "\u0647",
}
# Arabic-Indic and Extended Arabic-Indic digits become ASCII digits.
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}

_PRE_TABLE = dict.fromkeys(_INVISIBLE)
_INVISIBLE_RE = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")


def _punctuation_table() -> dict[int, str]:
    """Map every punctuation, symbol and control code point of the BMP to a space.

    Quotes, dashes, brackets and ellipses differ between two captures of the same text
    and carry no evidence of identity, so matching ignores them altogether.
    """
    categories = map(unicodedata.category, map(chr, range(0x10000)))
    return dict.fromkeys([cp for cp, cat in enumerate(categories) if cat in _BLANK_CATEGORIES], " ")


# Every punctuation (P*) and symbol (S*) category, space separators and control codes.
_BLANK_CATEGORIES = frozenset("Pc Pd Ps Pe Pi Pf Po Sm Sc Sk So Zs Cc".split())


_FOLD_TABLE = (
    _punctuation_table()
    | dict.fromkeys(_INVISIBLE)
    | dict.fromkeys(_MARKS)
    | str.maketrans(_LETTERS)
    | _DIGITS
)

# "Photo" as a credit's label in more languages and scripts ("Фото: Name / TASS").
PHOTO_LABELS = (
    r"фото|фотография|снимка|світлина|zdjęcie|fotó|fotoğraf|fotografie|φωτογραφία|φωτό|צילום"
    r"|摄影|攝影|图片|圖片|사진|ảnh|ภาพ|gambar|عکس|فوٹو|تصویر|फोटो|तस्वीर|ছবি|படம்|ఫోటో|kuva|billede"
    r"|picha|ፎቶ|ფოტო|լուսանկար(?:ը)?|ֆոտո|រូបថត|ဓာတ်ပုံ|ඡායාරූපය|तस्बिर|hoto"
)
# Labels that pages put before a caption, in the languages of the corpus.
_LABEL = re.compile(
    r"^\s*(?:(?:image|media|video|photo)\s+caption\b\s*[:,|\-–—]?\s*"
    # ("图为", "pictured is", as Chinese captions open: no separator after it)
    r"|(?:图为|圖為)\s*"
    # A gallery's counter: "Photo 3 of 10", "Image 2/7", "Slide 4 of 9:".
    r"|(?:image|photo|picture|slide|foto)\s*\d{1,3}\s*(?:of|/)\s*\d{1,3}\b\s*[:,|\-–—.]?\s*|(?:"
    r"(?:image|media|video|photo|picture|audio)\s+(?:caption|description|source)"
    # (a number after "Image" or "Photo" counts the page's pictures: a reader writes an
    # alt text as "Image 1: ...")
    r"|caption|photo(?:graph)?s?(?:\s*\d{1,3})?|pictured?|image(?:\s*\d{1,3})?|video|watch|gallery"
    r"|figure\s*\d*|fig\.?\s*\d*"
    # (a wire's archive picture: "FILE - ...", "FILE PHOTO: ...")
    r"|file(?:\s+photo)?"
    r"|foto(?:s|grafía)?|bild(?:unterschrift)?|imagen|légende|didascalia|leyenda"
    r"|صورة|الصورة|تعليق\s+على\s+الصورة|写真|图片|图|圖|사진|фото"
    # The "Image caption" label of the BBC's sites in other languages.
    r"|التعليق\s+على\s+الصورة|توضیح\s+تصویر|تصویر\s+کا\s+کیپشن|подпись\s+к\s+фото"
    r"|підпис\s+до\s+фото|pie\s+de\s+foto|legenda\s+da\s+foto|légende\s+(?:image|photo)"
    r"|fotoğraf\s+altı\s+yazısı|इमेज\s+कैप्शन|keterangan\s+gambar|maelezo\s+ya\s+picha"
    r"|图片说明|图像加注文字|圖像加註文字|사진\s+설명|bayanan\s+hoto"
    # (the word for "photo" of more scripts, as credits use it: "ภาพ: ...")
    r"|" + PHOTO_LABELS + r")\s*[:,|\-–—،，、：]\s*)",
    re.IGNORECASE,
)
# A block that is only a credit line: "Image source, Getty Images", "Credit: Jane Doe".
_CREDIT_ONLY = re.compile(
    r"^\s*(?:(?:(?:image|photo|picture)\s+(?:source|credit)s?|credits?|source|copyright|bildquelle"
    r"|quelle|crédits?\s+photo|fuente|(?:photo\s+)?illustrations?|graphics?"
    # The "Image source" label of the BBC's sites in other languages.
    r"|مصدر\s+الصورة|منبع\s+تصویر|تصویر\s+کا\s+ذریعہ|автор\s+фото|джерело\s+фото"
    r"|fuente\s+de\s+la\s+imagen|crédito|source\s+(?:image|photo)|fotoğraf\s+kaynağı"
    r"|तस्वीर\s+का\s+स्रोत|sumber\s+gambar|chanzo\s+cha\s+picha|图片来源|사진\s+출처"
    r")\s*[:,،，、]"
    r"|©|copyright\s*(?:©|\(c\)|\d{4})"
    r"|(?:photo(?:graph)?s?|(?:photo\s+)?illustrations?|video|graphics?)\s+by\b"
    r"|by\s+[^.]{0,60}$|[^.]{0,60}\b(?:(?:submitted|file|staff|courtesy)\s+photos?|photos?\s+staff)\s*$)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*by\s+[^.]{0,60}$", re.IGNORECASE)
# ... unless it names a source: "By The New York Times | Source: Reuters" credits a chart.
_SOURCE_WORDS = re.compile(
    r"\b(?:source|photo|image|credit|graphic|illustration)s?\b|\|", re.IGNORECASE
)
# Trailing credits: "Photograph: Jane Doe/Reuters", "(AP Photo/John Smith)", "| Getty Images",
# "© Reuters", "Credit: ...", "Image source, Getty Images".
_AGENCIES = (
    r"(?:getty(?:\s+images)?|reuters|ap|afp|epa|pa|shutterstock|alamy|ansa|dpa|xinhua|efe|bloomberg"
    r"|istock"
    # In Arabic: Reuters, AFP (written out and as initials), AP, Getty, Anadolu, EPA,
    # Shutterstock, "agencies", DPA, Xinhua, Sputnik. Initials need their dots or spaces
    # ("أ ف ب"): the bare letters are words.
    r"|رويترز|فرانس\s+برس|[أا]\s*[.\s]\s*ف\s*[.\s]\s*ب\b|أسوشي{1,2}تد\s+برس|[أا]\s*[.\s]\s*ب\b"
    r"|غيتي|جيتي|الأناضول|إي\s+بي\s+إيه|شترستوك|وكالات|د\s*[.\s]\s*ب\s*[.\s]\s*[أا]\b|شينخوا|سبوتنيك)"
)
_AGENCY_ONLY = re.compile(
    r"^\s*(?:(?:photo|image|picture|foto)s?\s*[:,]\s*)?(?:"
    + _AGENCIES
    + r")(?:\s*(?:/|via)\s*[^.]{0,40})?\s*$",
    re.IGNORECASE,
)
# Two to four capitalised words of a name, a slash, and a capitalised outlet of up to four
# words, "via" one more ("(Elias Funez/The Union via AP)"; case matters: "rock/pop" is no
# credit).
_NAME_SLASH_OUTLET = (
    r"(?-i:(?:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]*){1,3}"
    # (or an outlet of one word in capitals: "WARTAPANTURA/BAGUS PRASETYO")
    r"|[A-Z]{3,}(?:\.[A-Z]{2,})?)\s*/\s*[A-Z][\w.&'’-]*"
    r"(?:\s+(?:via\s+|VIA\s+)?[A-Z][\w.&'’-]*){0,3})"
)
# More words for "picture" that are common words too ("een beeld, zei hij"): a credit's
# label only before a colon.
COLON_LABELS = (
    r"mynd|ljósmynd|slika|fotografija|fotografia|attēls|pilt|fénykép|grianghraf|argazkia|imatge"
    r"|beeld|afbeelding"
)
# Capital letters of the scripts that have them (Latin, Greek, Cyrillic, Armenian): a
# name's words start with one.
CAPITALS = "".join(c for c in map(chr, range(0x41, 0x590)) if c.isupper())
_LOWER = "".join(c for c in map(chr, range(0x61, 0x590)) if c.islower())
_NAME = rf"(?-i:[{CAPITALS}][^\W\d_]*\.?(?:[\s-]+[{CAPITALS}][^\W\d_]*\.?){{0,3}})"
# Two to four capitalised words: a person's name.
_NAMES = rf"(?-i:[{CAPITALS}][^\W\d_]+(?:[\s-]+[{CAPITALS}][^\W\d_]*\.?){{1,3}})"
# A credit as a phrase, no colon, after a mark that ends the caption's words (". Photo by
# Jane Doe", ". Foto de Juan Pérez", ". Fot. Jan Kowalski", ". Фото Ивана Петрова"; not
# "... an exhibition of photos by Ansel Adams"); or the name first, the word after, as Baltic papers
# write it after a caption's last sentence: "Vytauto Liaudanskio nuotr.".
_BY_LABELS = r"photo(?:graph)?s?|fotos?|fot\.|fotó|фото|kuva|bild|zdjęcie"
_BY_WORDS = r"by|de|von|di|par|por|door|av|af|przez|від|от"
# "Photo by" written as one word: Thai, Lao.
_BY_ONE_WORD = r"ภาพโดย|รูปโดย|ຮູບໂດຍ|ພາບໂດຍ"
_AFTER_NAME = r"nuotr\.?|nuotrauka|foto|fotó|kuva"
# Substring tests that must pass wherever _CREDIT matches (most blocks pass none): every
# credit it finds either names a photo word (_PHOTO_WORDS), or a credit word followed by ":"
# or a comma (Latin or Arabic), or "©", or ends with ")", or follows "|" or "/" with an
# agency's name. They run on the casefolded tail and cost far less than the regex.
_PHOTO_WORDS = ("photo", "image", "picture", "video", "gallery", "watch")
# Picture libraries whose name may end a caption with no separator (lowercased).
_LIBRARIES = ("shutterstock", "istock", "istockphoto", "pixabay", "unsplash")


def _words(alternation: str) -> tuple[str, ...]:
    """The words of a regex alternation of words, as substrings: an optional ending
    ("(?:ը)?") dropped, since the word without it is in every match."""
    return tuple(re.sub(r"\(\?:[^()]*\)\?", "", alternation).split("|"))


_CREDIT_WORDS = (
    "credit",
    "crédit",
    "source",
    "foto",
    "bild",
    "copyright",
    "تصوير",
    "صورة",
    "المصدر",
    *_words(PHOTO_LABELS),
    *_words(COLON_LABELS),
)
_LATIN_AGENCY_WORDS = (
    "getty",
    "reuters",
    "ap",
    "afp",
    "epa",
    "pa",
    "shutterstock",
    "alamy",
    "ansa",
    "dpa",
    "xinhua",
    "efe",
    "bloomberg",
    "istock",
)
# Every Arabic agency above holds one of these (the initials a "ب").
_AGENCY_WORDS = (
    *_LATIN_AGENCY_WORDS,
    "ب",
    "رويترز",
    "غيتي",
    "جيتي",
    "الأناضول",
    "شترستوك",
    "وكالات",
    "شينخوا",
    "سبوتنيك",
)
_BY_LABEL_WORDS = ("photo", "foto", "fot.", "fotó", "фото", "kuva", "bild", "zdjęcie")
_OPEN = ("(", "（")


class _Placed(tuple[str, ...]):
    """A gate's group of words read at a place of the text: never the same group as a
    plain tuple of the same words, which a text must merely hold."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self))


class Ends(_Placed):
    """A gate's group of words of which a text must end with one, not merely hold one: the
    text with its trailing white space, one full stop and the white space before it set
    aside (what ``_CREDIT_END`` reads after an alternative)."""


class Last(_Placed):
    """A gate's group of words of which a text must hold one after its last full stop (one
    that ends it set aside): where an alternative's words are followed by no full stop
    before the end ("[^.]{0,80}"), they are in the text's last sentence."""


class NameLast(_Placed):
    """The gate of a label and a name after a colon (". Supplied: Jane Doe"): the text
    ends with up to four words after its last colon, of letters, full stops and hyphens
    (``_NAME``); a digit, a comma or a quote mark there is no name's."""


_CLOSE = Ends((")", "）"))
_CLOSE_ASCII = Ends((")",))

# A trailing credit: its alternatives, each to the end of the text, and beside each what a
# text must hold for it to match, casefolded (``caseless``): one substring of each group,
# in its place where the alternative says where (``Ends``, ``Last``, ``NameLast``): most
# paragraphs that hold a credit's word, a colon or a bracket hold none there.
# Searching with only the alternatives a text passes finds what searching with all of them
# finds (those left out match nowhere in it), at a fraction of the cost.
_CREDIT_ALTERNATIVES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    (
        rf"\s*[.,;|\-–—]\s*(?:(?:{_BY_LABELS})\s*(?:{_BY_WORDS})\s+|(?:фото|fot\.)\s*){_NAME}",
        (_BY_LABEL_WORDS,),
    ),
    (rf"(?<=[.!?])\s+{_NAME}\s+(?:{_AFTER_NAME})", (("nuotr", "foto", "fotó", "kuva"),)),
    # ... or "Credit" and an ellipsis: "...last July. Credit...Maren Okafor for The Times".
    (r"(?<=[.!?])\s*(?-i:Credit)\s*(?:\.\.\.|…)\s*[^.]{1,80}", (("credit",), ("...", "…"))),
    # ... or the word for "picture" and the name, no colon, as Dutch papers write it:
    # ". Beeld Jeroen Tuinstra".
    (rf"(?<=[.!?])\s+(?-i:Beeld|BEELD)\s+{_NAME}", (("beeld",),)),
    (
        rf"[\s.,;|\-–—]+(?:{COLON_LABELS})\s*:\s*[^.]{{0,80}}",
        (Last((":",)), Last(_words(COLON_LABELS))),
    ),
    # "Photo by" and a name in brackets: "(Photo by Jane Doe)", "(ภาพโดย ธนากร)".
    (
        rf"\s*[（(]\s*(?:(?:{_BY_LABELS})\s+(?:{_BY_WORDS})|{_BY_ONE_WORD})\s*[^()（）]{{1,48}}[)）]",
        (_OPEN, (*_BY_LABEL_WORDS, *_words(_BY_ONE_WORD)), _CLOSE),
    ),
    # A photographer's name alone in brackets after the caption's last sentence: ".
    # (Marcelo Manera)".
    (rf"(?<=[.!?])\s*\(\s*{_NAMES}\s*\)", (("(",), _CLOSE_ASCII)),
    (
        r"[\s.,;|/\-–—]*\(\s*(?:(?:photo|image|picture|credit|foto|source|fuente|fonte|quelle)"
        r"[^()]{0,80}|" + _AGENCIES + r"[^()]{0,60})\)\s*",
        (("(",), _CLOSE_ASCII),
    ),
    (
        r"[\s.,;|\-–—]+(?:photo(?:graph)?|image|picture|cr[eé]dit(?:o|os)?|source|foto|bild|"
        r"copyright|image\s+source|photo\s+credit|تصوير|صورة|الصورة|المصدر|مصدر\s+الصورة|"
        + PHOTO_LABELS
        # ("사진=서울교통공사 제공": Korean papers credit a photo after an equals sign; after a
        # comma, a name, not a sentence going on: "a photo, then left")
        + rf")s?\s*(?:[:،=|]|,(?!\s*(?-i:[{_LOWER}])))\s*[^.]{{0,80}}",
        (Last((":", "،", "=", "|", ",")), Last(("photo", "image", "picture", *_CREDIT_WORDS))),
    ),
    # Al Jazeera's and others' own name, or social media, as the whole parenthesis.
    (
        r"\s*\(\s*(?:الجزيرة(?:\s+نت)?|مواقع\s+التواصل(?:\s+الاجتماعي)?)\s*\)",
        (("الجزيرة", "مواقع"), _CLOSE_ASCII),
    ),
    (r"\s*[|/]\s*" + _AGENCIES + r"[^.|]{0,40}", (("|", "/"), _AGENCY_WORDS)),
    (r"\s*©[^.]{0,80}", (Last(("©",)),)),
    (r"[\s.,;]+(?:submitted|file|staff|courtesy)\s+photos?", (Ends(("photo", "photos")),)),
    (
        r"\s+[|\-–—]\s*(?:photos?|images?|video|gallery|pictures?|watch)",
        (Ends((*_PHOTO_WORDS, "photos", "images", "pictures")),),
    ),
    # A picture library's name with no separator at all: "... as they should be Getty
    # Images" (the library's name and the caption's words run together when scraped).
    (
        r"(?<=[a-z])\s+(?-i:Getty\s+Images|Shutterstock|iStock(?:photo)?|Pixabay|Unsplash"
        r"|Alamy(?:\s+Stock\s+Photo)?)(?=\s*$)",
        (("getty", "alamy", *_LIBRARIES), Ends(("images", "alamy", "photo", *_LIBRARIES))),
    ),
    # A label in any language and a name, in brackets at the end: "(צילום: רמי שלוש)",
    # "(ছবি: দীপু মালাকার)", "（撮影・山田健太）". No number: "(Update: 5 dead)" is news.
    # (A label of any script: its vowel signs are no word characters, "ඡායාරූපය".)
    (
        r"\s*[（(]\s*[^\W\d_][^\s\d()（）:：,.・]{1,15}(?:\s+[^\W\d_][^\s\d()（）:：,.・]{0,15}){0,3}"
        r"\s*[:：・]\s*[^\W\d_][^()（）.\d:：]{1,48}[）)]",
        (_OPEN, (":", "：", "・"), _CLOSE),
    ),
    # A one-word label and a name after the caption's last sentence: ". Supplied: ABC
    # Central West".
    (rf"(?<=[.!?])\s+(?-i:[{CAPITALS}][{_LOWER}]+)\s*:\s*{_NAME}", ((":",), NameLast())),
    # The outlet and the photographer after the caption's last sentence: ". WARTA
    # PRIANGAN/ASEP SUPRIATNA", ". Jane Doe/Reuters".
    (r"(?<=[.!?])\s+" + _NAME_SLASH_OUTLET + r"(?:\s+(?:file|pool|handout))?", (("/",),)),
    # ... or in capitals after the caption's last sentence: ". ANTARA FOTO/Rizki
    # Hamdani/foc."
    (
        r"(?<=[.!?])\s+(?-i:[A-Z][A-Z&.]+(?:\s+[A-Z][A-Z&.]+){0,2})\s+(?-i:FOTO|PHOTO|PHOTOS)"
        r"\s*/[^.]{1,60}",
        (("/",), ("foto", "photo")),
    ),
    # An outlet's "Photo" and the photographer, in parentheses, as wires write it: "(MP
    # Photo/Rosa Iturralde, File)".
    (
        r"[\s.,;]*\(\s*(?-i:[A-Z][\w.&'’-]*)(?:\s+[\w.&'’-]+){0,2}\s+(?:photo|foto)s?\s*/[^()]{1,60}\)",
        (("(",), ("/",), ("foto", "photo"), _CLOSE_ASCII),
    ),
    # A photographer's name and the outlet, in parentheses: "(Scott Heins/Gothamist)".
    (r"[\s.,;]*\(\s*" + _NAME_SLASH_OUTLET + r"\s*\)", (("(",), ("/",), _CLOSE_ASCII)),
    # Where and when, after an equals sign, as Japanese papers write it after a caption:
    # "...乗り込む外国人観光客ら＝1日午前、京都市下京区の京都駅前".
    (r"\s*＝[^＝=。]{1,48}", (("＝",),)),
    # Chinese and Japanese: "（记者 王磊 摄）", "（田中撮影）", "（写真提供：X）".
    (r"\s*[（(][^（）()]{1,30}?(?:摄|攝|撮影|提供)[）)]", (("摄", "攝", "撮影", "提供"), _CLOSE)),
    # ... or the reporter who took it, named in brackets: "（钱塘晚报记者 王琳）".
    (r"\s*[（(][^（）()]{0,20}?(?:记者|記者)\s*[^（）()\d]{1,12}[）)]", (("记者", "記者"), _CLOSE)),
    (
        r"\s*[（(]\s*(?:写真提供|图片来源|圖片來源)\s*[：:][^（）()]{1,30}[）)]",
        (("写真提供", "图片来源", "圖片來源"), _CLOSE),
    ),
    # ... and with no brackets after the caption's last sentence: "。新华社记者 刘大伟 摄".
    (r"(?<=[。．！？])\s*[^。．！？()（）]{1,30}?\s*(?:摄|攝)", (Ends(("摄", "攝")),)),
)
_CREDIT_END = r")\.?\s*$"
CREDIT_BODY = "(?:" + "|".join(p for p, _ in _CREDIT_ALTERNATIVES) + _CREDIT_END
# Where a credit can start: every alternative above opens with white space, one of these
# marks, "Credit" after a sentence, or anything after a CJK full stop. Tried first, this
# one test spares the alternatives at every other position of the tail (a test checks
# that the two patterns find the same credits).
CREDIT_STARTS = r"(?=[\s.,;|/\-–—(（©＝C]|(?<=[。．！？]))"
_CREDIT = re.compile(CREDIT_STARTS + CREDIT_BODY, re.IGNORECASE)
# A line that is only a photographer's name and the outlet: "Scott Heins/Gothamist".
_NAME_SLASH_OUTLET_ONLY = re.compile(r"^\s*" + _NAME_SLASH_OUTLET + r"\s*$")
_CREDIT_WINDOW = 240
_CREDIT_MAX = 80
# The same for _CREDIT_ONLY and _AGENCY_ONLY, which match at the start of a short block.
_CREDIT_ONLY_STARTS = (
    "image",
    "photo",
    "picture",
    "credit",
    "source",
    "copyright",
    "bildquelle",
    "quelle",
    "crédit",
    "fuente",
    "illustration",
    "graphic",
    "foto",
    "مصدر",
    "منبع",
    "تصویر",
    "автор",
    "джерело",
    "तस्वीर",
    "sumber",
    "chanzo",
    "图片",
    "사진",
    *_LATIN_AGENCY_WORDS,
    "رويترز",
    "فرانس",
    "أسوشي",
    "غيتي",
    "جيتي",
    "الأناضول",
    "إي",
    "شترستوك",
    "وكالات",
    "شينخوا",
    "سبوتنيك",
)


def caseless(text: str) -> str:
    """``text`` in one case, for substring tests that must find whatever a case-insensitive
    regex of ASCII words finds: lowercase for ASCII; else casefold, with the dotless i and
    the capital I with dot (which IGNORECASE matches to "i") made plain "i"."""
    if text.isascii():
        return text.lower()
    return text.casefold().replace("\u0131", "i").replace("i\u0307", "i")


_BY_HINTS = ("foto", "fot.", "fotó", "фото", "kuva", "bild", "zdjęcie", "nuotr", "โดย", "ໂດຍ")


_LABEL_ENDS = (",", ":", "،", "=", "|")


_SLASH_TAIL = re.compile(r"[A-Z][\w.'’-]*\s*/\s*[A-Z][^/]{0,40}$")


def _may_hold_credit(tail: str) -> bool:
    """False only when ``_CREDIT`` cannot match ``tail``."""
    return _may_hold(caseless(tail), tail)


def _least(words: tuple[str, ...], ascii: bool) -> tuple[str, ...]:
    """The words that hold none of the others (a text holds one of ``words`` exactly when
    it holds one of these), of ASCII alone if ``ascii`` (all an ASCII text can hold)."""
    words = tuple(w for w in dict.fromkeys(words) if w.isascii() or not ascii)
    return tuple(w for w in words if not any(o != w and o in w for o in words))


# The word lists the substring tests run through, for any text and for ASCII text.
_HOLD_WORDS = {
    ascii: (_least(_CREDIT_WORDS, ascii), _least(_AGENCY_WORDS, ascii), _least(_BY_HINTS, ascii))
    for ascii in (False, True)
}


def _may_hold(low: str, tail: str) -> bool:
    ascii = low.isascii()
    bits = _scans(ascii)[0].bits_in(low)
    if bits & (_PHOTO | _SAID):
        return True
    if bits & _LABEL_END and bits & _CREDIT_WORD:
        return True
    if bits & _BAR and bits & _AGENCY:
        return True
    if bits & _SLASH and _SLASH_TAIL.search(tail):  # "... DARRYL WONG/THE CANADIAN PRESS"
        return True
    end = low.rstrip()
    return (
        end.endswith((")", "）"))
        or (end.endswith(".") and end[:-1].rstrip().endswith(")"))
        or end.endswith(_LIBRARIES)
    )


# What ``_may_hold`` looks for, a bit a kind: a photo word (or a mark that says "photo"), a
# label's end, a credit word, a bar or slash, an agency, a slash, a phrase that opens a
# credit.
_PHOTO, _LABEL_END, _CREDIT_WORD, _BAR, _AGENCY, _SLASH, _SAID = (1 << n for n in range(7))


def _hold_words(ascii: bool) -> dict[str, int]:
    """The words ``_may_hold`` looks for in a text (ASCII or not), with their bits."""
    credit_words, agency_words, by_hints = _HOLD_WORDS[ascii]
    groups: list[tuple[tuple[str, ...], int]] = [
        (_least(_PHOTO_WORDS, ascii), _PHOTO),
        (() if ascii else ("©", "＝", "摄", "攝"), _PHOTO),
        (_LABEL_ENDS, _LABEL_END),
        (credit_words, _CREDIT_WORD),
        (("|", "/"), _BAR),
        (agency_words, _AGENCY),
        (("/",), _SLASH),
        (("credit...", "credit…", ": ", "beeld ", *by_hints), _SAID),
    ]
    return _bits_of(groups)


def _gate_words(ascii: bool) -> dict[str, int]:
    """The words of the credit alternatives' gates, with a bit a group of words."""
    groups = [(g, 1 << n) for n, g in enumerate(_GATE_GROUPS) if type(g) in (tuple, Last)]
    return _bits_of([(_least(group, ascii), bit) for group, bit in groups])


def _bits_of(groups: list[tuple[tuple[str, ...], int]]) -> dict[str, int]:
    words: dict[str, int] = {}
    for group, bit in groups:
        for word in group:
            words[word] = words.get(word, 0) | bit
    return words


class PureWordScan:
    """Words to look for in a text, each with its bits: ``bits_in`` gives the bits of every
    word a text holds, or'd together, a substring test a word (the compiled core's
    ``WordScan`` does it in one pass over the text)."""

    def __init__(self, words: dict[str, int]) -> None:
        self.words = tuple(words.items())

    def bits_in(self, text: str) -> int:
        out = 0
        for word, bits in self.words:
            if bits & ~out and word in text:
                out |= bits
        return out


def _scans(ascii: bool) -> tuple[PureWordScan, PureWordScan]:
    """The scans for ``_may_hold`` and for the credit gates, of a text ASCII or not, on the
    path that runs."""
    return _made_scans(ascii, (_core or _load_core()).compiled)


@functools.cache
def _made_scans(ascii: bool, compiled: Any) -> tuple[PureWordScan, PureWordScan]:
    scan = PureWordScan if compiled is None else compiled.WordScan
    return scan(_hold_words(ascii)), scan(_gate_words(ascii))


def _may_be_credit_only(text: str) -> bool:
    """False only when none of ``_CREDIT_ONLY``, ``_AGENCY_ONLY`` and
    ``_NAME_SLASH_OUTLET_ONLY`` can match ``text``."""
    low = caseless(text)
    start = low.lstrip()
    return (
        start.startswith(_CREDIT_ONLY_STARTS)
        or "©" in low
        or "/" in low
        or "by" in low
        or "photo" in low
        # An Arabic agency's initials: a letter, then a dot or a space ("أ.ف.ب", "د ب أ").
        or (start[:1] in ("أ", "ا", "د") and (start[1:2] == "." or start[1:2].isspace()))
    )


_SEPARATORS = re.compile(r"[\s.,;|/\-–—…]*")
_ELLIPSES = ("...", "…", "]", ")")
# An ellipsis at the end, bare or in brackets: "...", "…", "[...]", "(...)".
_TRUNCATED = re.compile(r"(?:\.\.\.|…|[\[(]\s*(?:\.\.\.|…)\s*[\])])\s*$")
# A teaser cut short, then the counters of the list it stands in (views, comments): "Title
# of the story... 5512 0". The numbers are the widget's, not the teaser's words.
_COUNTERS_AFTER_CUT = re.compile(r"(\.\.\.|…)(?:\s*\d+)+\s*$")


class Normalized(NamedTuple):
    """The matching form of one block and what was peeled off it (a tuple: a page makes
    thousands, and a tuple is built in a fraction of a frozen dataclass's time)."""

    key: str  # text used for shingling and exact comparison
    labelled: bool  # a caption label ("Image caption,") was removed
    credited: bool  # a trailing photo credit was removed
    truncated: bool  # the original ends with an ellipsis


def _ascii_table() -> bytes:
    table = bytearray(range(256))
    for c in range(256):
        ch = chr(c)
        if ch.isupper():
            table[c] = ord(ch.lower())
        elif c < 128 and not ch.isalnum() and not ch.isspace():
            table[c] = 0x20
    return bytes(table)


_ASCII_TABLE = _ascii_table()


def fold(text: str) -> str:
    """Fold text to its matching form: NFKC, casefold, marks, letter variants, punctuation."""
    if text.isascii():
        # The same result for ASCII text, in one byte-level pass.
        return " ".join(text.encode("ascii").translate(_ASCII_TABLE).decode("ascii").split())
    # (a circled c is a copyright sign, as Korean papers write it: not the letter c that
    # its compatibility decomposition makes of it)
    if "ⓒ" in text or "Ⓒ" in text:
        text = text.replace("ⓒ", "©").replace("Ⓒ", "©")
    # (a line broken between two Chinese or Japanese characters breaks no word, as a
    # browser reads it; a space or a separator between them, "ガジェット > 普通", does)
    if "\n" in text or "\u2028" in text:
        text = CJK_BREAK.sub(r"\1", text)
    compiled = _compiled_fold()
    if compiled is not None and (folded := compiled(text)) is not None:
        return folded  # (the steps below, through the table the core was built with)
    # Compatibility decomposition first, so that one table then deletes the marks it split
    # off (accents, hamza), folds letter variants and digits and blanks punctuation.
    text = unicodedata.normalize("NFKD", text).casefold()
    # _FOLD_TABLE applied as two regex substitutions (blank, delete) and, only for text that
    # holds letter variants or non-ASCII digits, a translate: str.translate looks every
    # character up in the table one by one, the regexes test a character class in C.
    text = _DELETE_RE.sub("", _BLANK_RE.sub(" ", text))
    if _OTHER_RE.search(text):
        text = text.translate(_OTHER)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _compiled_fold() -> Callable[[str], str | None] | None:
    """The compiled core's fold, where it is built from this module's table and the running
    Unicode data (``dedup._foldgen``); else None."""
    compiled = (_core or _load_core()).compiled
    return compiled.fold if compiled is not None and _table_current(compiled) else None


_core: ModuleType | None = None


def _load_core() -> ModuleType:
    """``dedup.core``, imported on first use (a build loads this module alone, to make the
    core's table) and held: an import statement a call costs more than a scan of a line."""
    global _core
    from .. import core

    _core = core
    return core


@functools.cache
def _table_current(compiled: ModuleType) -> bool:
    from .. import _foldgen

    spec = _foldgen.spec(sys.modules[__name__])
    return compiled.FOLD_UNIDATA == unicodedata.unidata_version and compiled.FOLD_SPEC == spec


_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_BREAK = re.compile(f"([{_CJK}])[^\\S\\n\u2028]*[\\n\u2028]\\s*(?=[{_CJK}])")
# ... in a page, only where it breaks the line itself (<br>): a line break in its source is
# as often a space between two links ("IT・デジタル\nガジェット").
CJK_BR = re.compile(f"([{_CJK}])[^\\S\u2028]*\u2028\\s*(?=[{_CJK}])")


def _char_class(codes: list[int]) -> re.Pattern[str]:
    """A regex matching any one of these code points, written as ranges."""
    codes = sorted(codes)
    parts, start = [], 0
    for i in range(1, len(codes) + 1):
        if i == len(codes) or codes[i] != codes[i - 1] + 1:
            a, b = codes[start], codes[i - 1]
            parts.append(
                re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
            )
            start = i
    return re.compile("[" + "".join(parts) + "]")


_BLANK_RE = _char_class([c for c, v in _FOLD_TABLE.items() if v == " " and c != 0x20])
_DELETE_RE = _char_class([c for c, v in _FOLD_TABLE.items() if v is None])
_OTHER = {c: v for c, v in _FOLD_TABLE.items() if v is not None and v != " "}
_OTHER_RE = _char_class(list(_OTHER))


def strip_label(text: str) -> tuple[str, bool]:
    """Remove a leading caption label; return the rest and whether one was found."""
    m = _LABEL.match(text)
    if m and m.end() < len(text):
        return text[m.end() :], True
    m = _COUNTER.match(text)
    if m and m.end() < len(text) and 0 < int(m.group(1)) <= int(m.group(2)):
        return text[m.end() :], True
    return text, False


# A gallery's counter before a caption, in any language, with or without a word for
# "photo": "1/3", "2of4A shopper...", "(3/12)", "Billede 1 af 5:", "Fot. 1/6", "Φωτογραφία 2 από 4",
# "3 з 8." (the first number no more than the second; not a fraction of something, "1/3
# of voters"; not a date, "03/04/2025").
_COUNTER = re.compile(
    r"^\s*(?:[^\W\d_][^\s\d/]{1,19}\.?\s*)?[(\[]?\s*(\d{1,3})\s*"
    r"(?:/|／|of|de|di|du|von|van|av|af|из|з|z|ze|από|dari|sur|su)\s*(\d{1,3})(?![/／\d])"
    r"\s*[)\]]?\s*[:,|\-–—.·]?\s*"
    r"(?!(?:of|de|du|del|des|di|von|van|av|af|из|з|z|ze|από|dari|sur|su)\b)(?=\S)",
    re.IGNORECASE,
)


def strip_labels(text: str) -> tuple[str, bool]:
    """Remove every leading caption label: "Image caption, Photo: ..." carries two, and a
    copy of a labelled copy one more."""
    body, labelled = strip_label(text)
    more = labelled
    while more:
        body, more = strip_label(body)
    return body, labelled


# What a photo viewer writes beside a caption, scraped with it: NPR's "hide caption" and
# "toggle caption", "Enlarge this image", "Click to enlarge", "View larger image".
_UI_WORDS = (
    r"(?:(?:hide|show|toggle|close|open)\s+caption|caption\s+(?:hidden|closed)"
    r"|enlarge\s+this\s+(?:image|photo|picture)"
    r"|(?:click|tap)\s+(?:to|for)\s+(?:enlarge|expand|zoom|(?:a\s+)?larger\s+(?:image|version)|full\s+size)"
    r"|(?:view|see)\s+(?:larger|full[-\s]?size[d]?)(?:\s+(?:image|photo|picture|version))?"
    r"|expand\s+(?:this\s+)?(?:image|photo|picture)|open\s+(?:image\s+)?in\s+gallery)"
)
_UI_LEADING = re.compile(r"^\s*" + _UI_WORDS + r"\s*[:|\-–—]?\s*", re.IGNORECASE)
_UI_TRAILING = re.compile(r"[\s|\-–—.]*\b" + _UI_WORDS + r"\s*\.?\s*$", re.IGNORECASE)
_UI_WINDOW = 48
# The first and the last word of every phrase above: a text that starts and ends with
# none of them holds none (a substring test costs a fraction of the regex search).
_UI_FIRST = (
    "hide",
    "show",
    "toggle",
    "close",
    "open",
    "caption",
    "enlarge",
    "click",
    "tap",
    "view",
    "see",
    "expand",
)
_UI_LAST = (
    "caption",
    "hidden",
    "closed",
    "image",
    "photo",
    "picture",
    "enlarge",
    "expand",
    "zoom",
    "version",
    "size",
    "sized",
    "larger",
    "gallery",
)


def strip_viewer_words(text: str) -> tuple[str, bool]:
    """Remove a photo viewer's words ("hide caption", "Enlarge this image") from either end
    of a caption; return the rest and whether any were found."""
    found = False
    if caseless(text.lstrip()[:12]).startswith(_UI_FIRST):
        m = _UI_LEADING.match(text)
        if m and m.end() < len(text):
            text, found = text[m.end() :], True
    last = caseless(text.rstrip()[-14:]).rstrip()
    if last.endswith("."):
        last = last[:-1].rstrip()
    if last.endswith(_UI_LAST):
        m = _UI_TRAILING.search(text, max(0, len(text) - _UI_WINDOW))
        if m and m.start() > 0:
            text, found = text[: m.start()], True
    return text, found


def strip_credit(text: str) -> tuple[str, bool]:
    """Remove a trailing photo credit; return the rest and whether one was found."""
    # Credits are short and at the end: search only the tail (a long paragraph would
    # otherwise be scanned from every position).
    start = max(0, len(text) - _CREDIT_WINDOW)
    tail = text[start:]
    low = caseless(tail)
    if not _may_hold(low, tail):
        return text, False
    pattern = credit_pattern(low)
    m = pattern.search(text, start) if pattern is not _NOTHING else None
    if m:
        # Keep the punctuation before the credit: it may be an ellipsis ("dawn... Photo: AP").
        sep = _SEPARATORS.match(m.group(0))
        return text[: m.start()] + (sep.group(0) if sep else ""), True
    return text, False


def credit_pattern(low: str) -> re.Pattern[str]:
    """``_CREDIT`` with only the alternatives that may match a text, given the text
    casefolded (``caseless``): what it finds is what ``_CREDIT`` finds."""
    scan = _scans(low.isascii())[1]
    end = low.rstrip()
    stop = end[:-1] if end.endswith(".") else end
    # (the words of a ``Last`` group are looked for in the last sentence alone)
    last = stop[stop.rfind(".") + 1 :]
    held = (scan.bits_in(low) & ~_IN_LAST) | (scan.bits_in(last) & _IN_LAST)
    stop = stop.rstrip()
    for bit, group in _PLACED:
        if type(group) is Ends:
            held |= bit if stop.endswith(group) else 0
        elif type(group) is NameLast:
            held |= bit if _a_name_last(end) else 0
    return _credit_of(tuple(i for i, gate in enumerate(_GATES) if held & gate == gate))


def _a_name_last(end: str) -> bool:
    """Whether a casefolded text (its trailing space gone) may end with a colon and a
    name (``NameLast``)."""
    colon = end.rfind(":")
    if colon < 0:
        return False
    rest = end[colon + 1 :]
    return not _NO_NAME.search(rest) and 0 < len(rest.replace("-", " ").split()) <= 4


# What no name's words (``_NAME``: letters, full stops, hyphens) hold, nor letters
# casefolded: digits, marks of punctuation.
_NO_NAME = re.compile(r"[\d_,;:!?\"'()\[\]{}/\\&%$#@*+=<>|~^“”‘’«»…–—]")


# The gates' groups of words, each once; each alternative's gate, a bit a group; the
# groups read at the end of the text (``Ends``, ``NameLast``), with their bits; the bits
# of the groups read in its last sentence (``Last``).
_GATE_GROUPS = list(dict.fromkeys(group for _, gate in _CREDIT_ALTERNATIVES for group in gate))
_GATES = [sum(1 << _GATE_GROUPS.index(g) for g in set(gate)) for _, gate in _CREDIT_ALTERNATIVES]
_PLACED = [(1 << n, g) for n, g in enumerate(_GATE_GROUPS) if type(g) in (Ends, NameLast)]
_IN_LAST = sum(1 << n for n, g in enumerate(_GATE_GROUPS) if type(g) is Last)


@functools.lru_cache(maxsize=256)
def _credit_of(alternatives: tuple[int, ...]) -> re.Pattern[str]:
    if not alternatives:
        return _NOTHING
    body = "|".join(_CREDIT_ALTERNATIVES[i][0] for i in alternatives)
    return re.compile(CREDIT_STARTS + "(?:" + body + _CREDIT_END, re.IGNORECASE)


_NOTHING = re.compile(r"(?!)")


def credit_of(text: str) -> str:
    """The trailing photo credit of a text that says more than its credit, folded ("foto
    estudios revolucion"); "" when it has none."""
    raw = text.strip()
    body = strip_labels(raw)[0]
    body = strip_viewer_words(body)[0]
    rest, credited = strip_credit(body)
    if not credited or not fold(rest):
        return ""
    credit = fold(body[len(rest) :])
    # "(pictured, broiler chickens on a farm)" says what the photo shows, not who took it:
    # with the photo gone it is no one's credit. "(File photo)", "(FUENTE EXTERNA)" name
    # no one either.
    if credit.startswith(_DESCRIBES) or not set(credit.split()) - GENERIC_CREDIT:
        return ""
    return credit


GENERIC_CREDIT = frozenset(
    "photo photos foto fotos image images picture credit source fuente externa external file "
    "archive archivo submitted courtesy handout supplied stock photograph illustration".split()
)
_DESCRIBES = ("pictured", "above", "below", "left", "right", "top", "bottom", "inset", "centre")


# A gallery's counter in brackets after a caption: "... (2/5)", "... （1/3）".
_TRAILING_COUNTER = re.compile(r"\s*[(（\[]\s*(\d{1,3})\s*[/／]\s*(\d{1,3})\s*[)）\]]\s*$")
_COUNTER_ENDS = frozenset(")）]")


@functools.lru_cache(maxsize=4096)
def normalize(text: str) -> Normalized:
    """Return the matching form of a block's text (the last few thousand remembered: a
    page's blocks are normalised again by the later steps, and by corpus mode).

    Labels and credits are recognised on the raw text (they need its punctuation), then the
    remainder is folded. A block that is nothing but a credit is its own key whole, marked
    ``credited``: the same credit repeated is a repeat like any other line (in HTML, one
    under each picture stays), but never a copy of a caption that carries it. A byline
    ("By Jane Doe") has no key: under two articles of a list it names two authors.
    """
    # (every invisible mark is outside ASCII, and ASCII text says so at no cost)
    hidden = not text.isascii() and _INVISIBLE_RE.search(text)
    raw = (text.translate(_PRE_TABLE) if hidden else text).strip()
    # Credit lines are short; a long notice that starts with "©" is page text like any other.
    if (
        len(raw) <= _CREDIT_MAX
        and _may_be_credit_only(raw)
        and (
            _CREDIT_ONLY.match(raw) or _AGENCY_ONLY.match(raw) or _NAME_SLASH_OUTLET_ONLY.match(raw)
        )
    ):
        # A byline names who wrote the item it stands under: the same byline under two
        # articles of a list is content, and matches nothing.
        byline = _BYLINE.match(raw) and not _SOURCE_WORDS.search(raw)
        return Normalized("" if byline else fold(raw), False, True, False)
    body, labelled = strip_labels(raw)
    body, viewer = strip_viewer_words(body)
    labelled = labelled or viewer
    if body[-1:] in _COUNTER_ENDS and (counter := _TRAILING_COUNTER.search(body)):
        if 0 < int(counter.group(1)) <= int(counter.group(2)):
            body, labelled = body[: counter.start()], True  # "... （1/3）", a viewer's counter
    body, credited = strip_credit(body)
    if credited:  # "... Photo: Dan Stein | Getty Images" carries two
        body = strip_credit(body)[0]
    if body[-1:].isdigit() and (counted := _COUNTERS_AFTER_CUT.search(body)):
        body = body[: counted.end(1)]
    truncated = body.rstrip().endswith(_ELLIPSES) and bool(_TRUNCATED.search(body))
    key = fold(body)
    if credited and len(raw) <= _CREDIT_MAX and _a_label(key, "©" in raw[len(body) :]):
        # Nothing but a credit in a shape only the trailing form knows ("(Credit: Jane
        # Doe/CNET)"), or a credit after words too few to be matched that label it
        # ("저작권자 © 조선일보 ...", copyright holder): a credit line, its own key whole.
        return Normalized(fold(raw), False, True, False)
    return Normalized(key, labelled, credited, truncated)


def _a_label(key: str, notice: bool) -> bool:
    """Whether what stands before a credit is nothing, or words that label it: one short
    word, or before a copyright notice ("جميع الحقوق محفوظة ©", all rights reserved), words
    too few to be matched on their own (a Chinese character weighing three). Before a
    photographer's credit they are the caption ("A man walks home. Photograph: ...")."""
    if notice:
        return weighed_length(key) < _NOTICE_LABEL
    return " " not in key and weighed_length(key) <= _LABEL_MAX


_LABEL_MAX = 12
_NOTICE_LABEL = 20


# Scripts written without spaces, whose one character carries about a word: Han, kana,
# Hangul (the ranges of their letters, and of their compatibility and extension forms).
_WORD_CHARACTERS = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
# What a character of those scripts weighs against a length floor, in the characters of an
# alphabetic script (a word of English is about five letters and a space).
WORD_WEIGHT = 3


# A word's characters: letters, digits and the marks of scripts that write vowels as marks
# (Devanagari, Bengali, Thai, Arabic and Hebrew points), which ``\w`` leaves out, so that
# "টেবিল" is one word, not four; a word may hold ":", "/", "." or "," between its parts
# ("20:36", "1/2").
_LETTER = (
    r"[\w\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    r"\u06d6-\u06ed\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f]"
)
WORD = re.compile(rf"{_LETTER}+(?:[:/.,]{_LETTER}+)*")
# A word's characters after its first letter, and the marks that join its parts: "O'Neil".
WORD_TAIL = _LETTER[:-1] + "'’.]*"


def unspaced_inside(key: str, kept: str) -> bool:
    """Whether a key in a script written without spaces lies inside another once their
    spaces are gone: there a space is punctuation an editor set or dropped ("展望フロアから
    は、石狩湾や" and "展望フロアからは石狩湾や")."""
    return bool(_WORD_CHARACTERS.search(key)) and key.replace(" ", "") in kept.replace(" ", "")


def word_count(token: str) -> int:
    """How many words a token of ``\\w`` characters holds: one, or in a script written
    without spaces, one per two characters of Chinese, Japanese or Korean (a Japanese
    headline is a single token, and a word of those is one to three characters), one per
    ``_UNSPACED_WORD`` of Thai, Lao, Khmer or Burmese (whose words are longer)."""
    if token.isascii():
        return 1
    return max(
        1,
        (len(_WORD_CHARACTERS.findall(token)) + 1) // 2
        + len(_UNSPACED.findall(token)) // _UNSPACED_WORD,
    )


# Letters and signs of the scripts of South-East Asia written without spaces between words.
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
_UNSPACED_WORD = 5


def weighed_length(text: str) -> int:
    """A text's length against the length floors (``min_chars``, ``min_contained_chars``):
    a character of a script written without spaces (Chinese, Japanese, Korean) counts as
    ``WORD_WEIGHT``, since it carries about a word. A seven-character Chinese headline says
    as much as a twenty-letter English one, and a 48-character one as a long English line."""
    if text.isascii():
        return len(text)
    return len(text) + (WORD_WEIGHT - 1) * len(_WORD_CHARACTERS.findall(text))

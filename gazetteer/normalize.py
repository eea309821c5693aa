"""Name normalisation: one function turns every spelling of a place name into one key.

The same function runs over the index's names at build time and over every query, so
two spellings meet when their keys are equal. It folds:

- case, diacritics and transliteration marks (Ḩillah, ʿAyn, ’);
- the Arabic article in every written form (al-, Al , el-, ad-/ar-/as-/at-/az-/an-, ال);
- 'Ain / Ayn / Ein, hyphens, apostrophes and repeated letters (Ain al-Assad);
- a final -ah / -eh (Basrah, Basra);
- generic words around the name (province, governorate, district, city, air base, camp,
  airport ...), which are returned apart as a feature hint by :func:`parse_name`.

A second, looser key, :func:`loose_key`, brings the spellings news uses for transliterated
names ("Dhuluiya", "Kharkov", "Makhmoor") to those GeoNames stores ("Aḑ Ḑulū‘īyah",
"Kharkiv", "Makhmūr"). It is made from the normalised key: anyascii writes its letters in
ASCII (Cyrillic and Greek too), then the rules of ``gazetteer/data/transliteration.csv``
fold the digraphs and vowels that romanisations spell differently (dh/d, kh/k, sh/s, ch/s,
q/k, e/i, o/u, ay/ai/ei, -iyeh/-iya, -ov/-iv, -obod/-abad ...). Lookups try it only when the
normalised key finds nothing, and only for places in the countries whose names news
transliterates (``gazetteer/data/transliterated_countries.csv``): it merges more than
spellings (Mosul and Musul, but also Ras and Rus), so it never replaces the normalised key.

>>> normalize_name("ʿAyn al-Assad Air Base")
'ain asad'
>>> normalize_name("Basra Governorate") == normalize_name("Al-Basrah")
True
>>> parse_name("Camp Taji")
('taji', 'military_base')
>>> loose_key("Dhuluiya") == loose_key("Aḑ Ḑulū‘īyah")
True
"""

from __future__ import annotations

import csv
import operator
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from importlib import resources

__all__ = [
    "GENERIC_WORDS",
    "fold",
    "loose_key",
    "loose_key_of",
    "name_keys",
    "normalize_name",
    "parse_name",
    "transliterated_countries",
    "transliteration_rules",
]

# Letters NFKD does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "ł": "l",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ħ": "h",
        "þ": "th",
        "ð": "d",
        # Arabic script: one form per letter
        "ة": "ه",
        "ى": "ي",
        "ـ": "",
    }
)
# Marks that transliterations use for ayn, hamza and the like, dropped outright.
_MARKS = re.compile("[\u02bb\u02bc\u02bf\u02be\u2018\u2019\u201b\u0060\u00b4'\u02b9\u02c8\u2032]")
_NON_WORD = re.compile(r"[^\w]+|_")
_REPEATS = re.compile(r"([^\W\d])\1+")
_FINAL_H = re.compile(r"(?<=[a-z][aeiu]{1})h$")

_ARTICLES = frozenset(
    {"al", "el", "ad", "ar", "as", "at", "az", "an", "ash", "adh", "ath", "ed", "er", "es", "ez"}
    | {"ال"}  # the Arabic article written apart
)
_AIN = frozenset({"ain", "ayn", "ein", "ayin", "ayun", "ayoun", "uyun"})
_ARABIC_ARTICLE = "ال"

#: Generic words around a name and the feature type each one hints at.
#: Multi-word phrases are matched before single words.
GENERIC_WORDS: dict[str, str] = {
    "international airport": "airport",
    "airport": "airport",
    "airfield": "military_base",
    "air field": "military_base",
    "air base": "military_base",
    "airbase": "military_base",
    "air station": "military_base",
    "military base": "military_base",
    "base": "military_base",
    "camp": "military_base",
    "garrison": "military_base",
    "province": "admin1",
    "governorate": "admin1",
    "muhafazat": "admin1",
    "muhafazah": "admin1",
    "muhafaza": "admin1",
    "wilayat": "admin1",
    "district": "admin2",
    "county": "admin2",
    "qada": "admin2",
    "city": "populated_place",
    "town": "populated_place",
    "region": "region",
}
_GENERIC_TOKENS: list[tuple[tuple[str, ...], str]] = sorted(
    ((tuple(k.split()), v) for k, v in GENERIC_WORDS.items()), key=lambda kv: -len(kv[0])
)
# Generic words that also lead a name ("Camp Taji", "Province of Babel").
_LEADING = frozenset(
    {
        "camp",
        "base",
        "province",
        "governorate",
        "muhafazat",
        "muhafazah",
        "muhafaza",
        "wilayat",
        "city",
        "district",
        "qada",
    }
)
# Words the rules above look for, which the letter rules must neither change nor create.
_SPECIAL = _ARTICLES | {"the", "of"} | {w for phrase in GENERIC_WORDS for w in phrase.split()}


def fold(text: str) -> str:
    """Casefold and strip diacritics and transliteration marks, keeping the words.

    >>> fold("Al Ḩillah")
    'al hillah'
    """
    text = unicodedata.normalize("NFKC", text)
    text = _MARKS.sub("", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_LETTERS)
    return " ".join(_NON_WORD.sub(" ", text).split())


def _strip_arabic_article(token: str) -> str:
    while token.startswith(_ARABIC_ARTICLE) and len(token) > 3:
        token = token[2:]
    return token


def _token_key(token: str) -> str:
    if token.isdigit() or token in _SPECIAL:
        return token
    # the article before the letters: in اللاذقية (al-Lādhiqīyah) the doubled lam is not a repeat
    key = _REPEATS.sub(r"\1", _strip_arabic_article(token))
    key = _FINAL_H.sub("", _strip_arabic_article(key))
    if key in _AIN:
        return "ain"
    # "all" and "ann" must not become the articles "al" and "an": keep such a word whole.
    return token if key in _SPECIAL else key


def _strip_generic(tokens: list[str]) -> tuple[list[str], str | None]:
    hint: str | None = None
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for words, feature in _GENERIC_TOKENS:
            n = len(words)
            if len(tokens) > n and tuple(tokens[-n:]) == words:
                tokens, hint, changed = tokens[:-n], hint or feature, True
                break
            if len(tokens) > n and tuple(tokens[:n]) == words and words[0] in _LEADING:
                tokens, hint, changed = tokens[n:], hint or feature, True
                if len(tokens) > 1 and tokens[0] == "of":
                    tokens = tokens[1:]
                break
    return tokens, hint


def parse_name(name: str) -> tuple[str, str | None]:
    """Split a name into its normalised key and the feature type its generic words hint at.

    >>> parse_name("Basra province")
    ('basra', 'admin1')
    >>> parse_name("Basra")
    ('basra', None)
    """
    if not isinstance(name, str):
        msg = f"a place name must be a string, got {type(name).__name__}: {name!r}"
        raise TypeError(msg)
    tokens = [_token_key(t) for t in fold(name).split()]
    hint: str | None = None
    while True:  # until nothing changes, so that the key is its own key
        before = tokens
        if len(tokens) > 1 and tokens[0] == "the":
            tokens = tokens[1:]
        tokens, found = _strip_generic(tokens)
        hint = hint or found
        # a name made only of articles keeps them
        tokens = [t for t in tokens if t not in _ARTICLES] or tokens
        if tokens == before:
            return " ".join(tokens), hint


def normalize_name(name: str) -> str:
    """The index key of a place name; idempotent, and ``""`` for a name with no letters.

    >>> normalize_name("Ain Al-Asad") == normalize_name("Ayn al Assad")
    True
    """
    return parse_name(name)[0]


# Keys in these scripts have a loose key: anyascii writes Latin, Greek and Cyrillic letters
# as news romanises them. It writes Arabic, Hebrew and the other abjads as bare consonants
# ("ldlwyh"), which no news spelling has, and Chinese or Thai as syllables that would meet
# unrelated Latin words: their keys have no loose key.
_ALPHABETIC = re.compile(r"[\x00-\u024f\u0370-\u03ff\u0400-\u052f\u1e00-\u1fff]*")
_ANYASCII_MARKS = re.compile("['\"`]")  # anyascii's soft sign, hard sign and ayn
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9 ]+")
_Replacement = str | Callable[["re.Match[str]"], str]


@cache
def transliteration_rules() -> tuple[dict[str, str], ...]:
    """The loose key's rewrite rules, in order: the rows of ``data/transliteration.csv``."""
    text = (resources.files("gazetteer") / "data" / "transliteration.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(csv.DictReader(lines))


@cache
def _compiled_rules() -> tuple[tuple[str, re.Pattern[str] | None, _Replacement], ...]:
    """``(pattern, compiled or None, replacement)``: plain letters are replaced as strings,
    five times quicker than a regular expression (the build keys 600,000 names)."""
    compiled: list[tuple[str, re.Pattern[str] | None, _Replacement]] = []
    for row in transliteration_rules():
        text, replacement = row["pattern"], row["replacement"]
        if text.isalpha():
            compiled.append((text, None, replacement))
        elif replacement == "\\1":  # a group reference is expanded in Python: 2 µs a call
            compiled.append((text, re.compile(text), operator.itemgetter(1)))
        else:
            compiled.append((text, re.compile(text), replacement))
    return tuple(compiled)


@cache
def transliterated_countries() -> frozenset[str]:
    """Countries whose places the loose key is tried for (``data/transliterated_countries.csv``):
    their names reach English news transliterated, from another script or alphabet."""
    text = (resources.files("gazetteer") / "data" / "transliterated_countries.csv").read_text(
        "utf-8"
    )
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return frozenset(row["country"] for row in csv.DictReader(lines))


def loose_key_of(key: str) -> str:
    """The loose key of a normalised key (see :func:`loose_key`, which also reads the
    letters the key folded away: ẓ is dh); ``""`` for none.

    >>> loose_key_of("kharkov") == loose_key_of("kharkiv")
    True
    """
    loose = key  # an ASCII key is lowercase letters and digits already
    if not key.isascii():
        if _ALPHABETIC.fullmatch(key) is None:
            return ""
        from anyascii import anyascii

        loose = _ANYASCII_MARKS.sub("", anyascii(key).lower())
        loose = " ".join(_NOT_ASCII_WORD.sub(" ", loose).split())
    for text, pattern, replacement in _compiled_rules():
        if pattern is None:
            loose = loose.replace(text, str(replacement))
        else:
            loose = pattern.sub(replacement, loose)
    return loose


# Letters of scholarly and BGN romanisations that stand for an Arabic digraph, which fold()
# would reduce to their base letter: ẓ and z̧ (za, which Iraqi news writes dh: Kāẓimīyah,
# Kadhimiya), ḏ, ṯ, ẖ, ġ, š, č. The loose key writes them as news does.
_DIGRAPH_LETTERS = str.maketrans(
    {"ẓ": "dh", "Ẓ": "Dh", "ḏ": "dh", "Ḏ": "Dh", "ṯ": "th", "Ṯ": "Th", "ẖ": "kh",
     "ġ": "gh", "Ġ": "Gh", "š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch"}
)  # fmt: skip
_Z_CEDILLA = re.compile("[zZ]\u0327")


def loose_key(name: str) -> str:
    """The loose lookup key of a place name: news spellings of transliterated names meet.

    ``""`` for a name without letters or written in a script other than Latin, Greek
    and Cyrillic.

    >>> loose_key("Kharkov") == loose_key("Kharkiv") == loose_key("Харків")
    True
    >>> loose_key("Mazar-i-Sharif") == loose_key("Mazār-e Sharīf")
    True
    >>> loose_key("Kadhimiya") == loose_key("Al Kāẓimīyah")
    True
    """
    if not name.isascii():
        name = unicodedata.normalize("NFC", name).translate(_DIGRAPH_LETTERS)
        name = _Z_CEDILLA.sub("dh", unicodedata.normalize("NFD", name))
    return loose_key_of(normalize_name(name))


def name_keys(name: str) -> tuple[str, ...]:
    """The keys a name is looked up by, in order: normalised, then loose (when different).

    >>> name_keys("Makhmoor")
    ('makhmor', 'makmur')
    """
    key = normalize_name(name)
    loose = loose_key(name)
    return (key, loose) if loose and loose != key else (key,) if key else ()

"""Name normalisation: one function turns every spelling of a place name into one key.

The same function runs over the index's names at build time and over every query, so
two spellings meet when their keys are equal. It folds:

- case, diacritics and transliteration marks (Ḩillah, ʿAyn, ’);
- the Arabic article in every written form (al-, Al , el-, ad-/ar-/as-/at-/az-/an-, ال);
- 'Ain / Ayn / Ein, hyphens, apostrophes and repeated letters (Ain al-Assad);
- a final -ah / -eh (Basrah, Basra);
- generic words around the name (province, governorate, district, city, air base, camp,
  airport ...), which are returned apart as a feature hint by :func:`parse_name`.

>>> normalize_name("ʿAyn al-Assad Air Base")
'ain asad'
>>> normalize_name("Basra Governorate") == normalize_name("Al-Basrah")
True
>>> parse_name("Camp Taji")
('taji', 'military_base')
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["GENERIC_WORDS", "fold", "normalize_name", "parse_name"]

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

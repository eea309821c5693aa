"""Tests for gazetteer.normalize: one key for every spelling of a place name.

Each group of spellings must share one key; the hints are the feature types that
:func:`parse_name` reads from generic words. The property tests check that a key is its
own key (the index stores keys and queries are normalised once) and that no ``str`` makes
the function raise.
"""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import normalize
from gazetteer.normalize import GENERIC_WORDS, fold, normalize_name, parse_name

# Spellings that must share one key, one group per rule.
SAME_KEY: dict[str, tuple[str, ...]] = {
    "case": ("Basra", "BASRA", "basra", "bAsRa"),
    "diacritics": ("Hillah", "Ḩillah", "Ḥillah", "Al Ḩillah"),
    "diacritics in a division name": ("Al Basrah", "Al Başrah", "Başrah"),
    "ayn mark": ("ʿAyn al-Asad", "Ayn al-Asad", "ʻAyn al Asad"),
    "right quote": ("’Ayn al Asad", "Ayn al Asad"),
    "article al-": ("al-Anbar", "Anbar"),
    "article Al ": ("Al Anbar", "Anbar"),
    "article el-": ("El-Anbar", "el Anbar", "Anbar"),
    "article in capitals": ("AL-ANBAR", "Anbar"),
    "article ad-": ("ad-Diwaniyah", "Diwaniyah"),
    "article ar-": ("ar-Ramadi", "Ramadi"),
    "article as-": ("as-Sulaymaniyah", "Sulaymaniyah"),
    "article at-": ("at-Tanf", "At Tanf", "Tanf"),
    "article az-": ("az-Zubair", "Zubair"),
    "article an-": ("an-Najaf", "An Najaf", "Najaf"),
    "article ash-": ("Ash Shirqat", "ash-Shirqat", "Shirqat"),
    "article inside a name": ("Deir ez-Zor", "Deir Zor", "Deir al-Zor"),
    "ain ayn ein": ("Ain Issa", "Ayn Issa", "Ein Issa", "'Ain Issa", "ʿAyn ʿIssa"),
    "hyphens": ("Jurf al-Sakhar", "Jurf al Sakhar", "Jurf-al-Sakhar", "Jurf  al  Sakhar"),
    "apostrophes": ("A'zaz", "A’zaz", "Azaz"),
    "apostrophe in a word": ("Ta'mim", "Ta’mim", "Tamim"),
    "repeated letters": ("Ain al-Assad", "Ain al-Asad", "Ayn al Asad"),
    "repeated letters in a word": ("Karrada", "Karada"),
    "final -ah": ("Basrah", "Basra"),
    "final -ah after a double letter": ("Hillah", "Hilla"),
    "leading the": ("The Hague", "Hague"),
    "arabic article": ("البصرة", "بصرة"),
    "arabic ta marbuta": ("بصرة", "بصره"),
    "arabic hamza seat": ("الأنبار", "انبار"),
    "arabic tatweel": ("بـصرة", "بصرة"),
    "arabic article before lam": ("اللاذقية", "لاذقية"),
}

# Spellings that must not share one key.
DIFFERENT_KEYS: list[tuple[str, str]] = [
    ("Tower 22", "Tower 2"),
    ("Tower 22", "Tower 222"),
    ("K-1 Air Base", "K-11 Air Base"),
    ("Baghdadi", "Baghdad"),
    ("All Saints", "Saints"),  # "all" is not the article "al"
    ("Ann Arbor", "Arbor"),  # "ann" is not the article "an"
    ("Najaf", "Najran"),
]

# (name, key, hint)
PARSED: list[tuple[str, str, str | None]] = [
    ("Basra", "basra", None),
    ("Basra province", "basra", "admin1"),
    ("Basra Province", "basra", "admin1"),
    ("Basra Governorate", "basra", "admin1"),
    ("Muhafazat al-Basrah", "basra", "admin1"),
    ("Muḩāfaz̧at al Başrah", "basra", "admin1"),
    ("Province of Babel", "babel", "admin1"),
    ("Babylon province", "babylon", "admin1"),
    ("Basra district", "basra", "admin2"),
    ("Basra city", "basra", "populated_place"),
    ("Kurdistan Region", "kurdistan", "region"),
    ("Ain al-Asad Air Base", "ain asad", "military_base"),
    ("Al Asad Air Base", "asad", "military_base"),
    ("Al Asad Airbase", "asad", "military_base"),
    ("Al Asad airbase", "asad", "military_base"),
    ("Taji base", "taji", "military_base"),
    ("Camp Taji", "taji", "military_base"),
    ("Al Camp Taji", "taji", "military_base"),
    ("K-1 Air Base", "k 1", "military_base"),
    ("Erbil airport", "erbil", "airport"),
    ("Baghdad International Airport", "baghdad", "airport"),
    ("Tower 22", "tower 22", None),
    ("Route 66", "route 66", None),
    ("T-4", "t 4", None),
    # A name made only of a generic word or of articles keeps it.
    ("Camp", "camp", None),
    ("Province", "province", None),
    ("Al", "al", None),
    ("al-", "al", None),
    ("The", "the", None),
    # No letters, no key.
    ("", "", None),
    ("   ", "", None),
    ("-'’", "", None),
]

# Words that lead or end names and hint at a feature type, as the normaliser knows them.
GENERIC_EXAMPLES = [
    ("province", "admin1"),
    ("governorate", "admin1"),
    ("muhafazat", "admin1"),
    ("district", "admin2"),
    ("city", "populated_place"),
    ("air base", "military_base"),
    ("airbase", "military_base"),
    ("base", "military_base"),
    ("camp", "military_base"),
    ("airport", "airport"),
]


@pytest.mark.parametrize(
    "spellings", list(SAME_KEY.values()), ids=[k.replace(" ", "-") for k in SAME_KEY]
)
def test_spellings_share_one_key(spellings: tuple[str, ...]) -> None:
    keys = {s: normalize_name(s) for s in spellings}
    assert len(set(keys.values())) == 1, keys
    assert next(iter(keys.values())) != ""


@pytest.mark.parametrize(("a", "b"), DIFFERENT_KEYS)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


@pytest.mark.parametrize(("name", "key", "hint"), PARSED)
def test_parse_name(name: str, key: str, hint: str | None) -> None:
    assert parse_name(name) == (key, hint)


def test_digits_are_kept_whole() -> None:
    assert normalize_name("Tower 22") == "tower 22"
    assert normalize_name("1100") == "1100"
    assert normalize_name("a11") == "a11"


@pytest.mark.parametrize(("word", "feature"), GENERIC_EXAMPLES)
def test_generic_word_after_a_name_is_a_hint(word: str, feature: str) -> None:
    assert GENERIC_WORDS[word] == feature
    assert parse_name(f"Haditha {word}") == ("haditha", feature)
    assert parse_name(f"Haditha {word.upper()}") == ("haditha", feature)


@pytest.mark.parametrize("word", ["camp", "base", "province", "governorate", "muhafazat", "city"])
def test_generic_word_before_a_name_is_a_hint(word: str) -> None:
    assert parse_name(f"{word.title()} Haditha") == ("haditha", GENERIC_WORDS[word])
    assert parse_name(f"{word.title()} of Haditha") == ("haditha", GENERIC_WORDS[word])


def test_fold_keeps_articles_and_generic_words() -> None:
    assert fold("Al Ḩillah Province") == "al hillah province"
    assert fold("ʿAyn al-Asad") == "ayn al asad"
    assert fold("  Tower   22 ") == "tower 22"


@pytest.mark.parametrize("value", [None, 22, b"Basra", ["Basra"]])
def test_non_string_is_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match="a place name must be a string, got"):
        parse_name(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a string"):
        normalize_name(value)  # type: ignore[arg-type]


def test_docstring_examples() -> None:
    failed, attempted = doctest.testmod(normalize, verbose=False)
    assert attempted > 0
    assert failed == 0


# --------------------------------------------------------------------------- properties

# Pieces of names that exercise every rule; joined by separators they find the cases
# plain random text almost never reaches ("all", "ann", "ayyn", "ال" twice ...).
_PIECES = st.sampled_from(
    [
        *("al", "Al", "el", "as", "ash", "the", "The", "of", "all", "ann", "aal", "ass"),
        *("ain", "Ayn", "ayyn", "ʿAyn", "Ein", "ال", "الال", "اللاذقية", "ااالبصرة"),
        *("camp", "Camp", "base", "Air", "province", "garrison", "muhafazah", "city"),
        *("Basrah", "Ḩillah", "Assad", "Tower", "22", "2", "ah", "h", "ß", "Ⅻ", "ﬁ"),
    ]
)
_SEPARATORS = st.sampled_from([" ", "-", "'", "’", "  ", "_", ", "])
_NAMEISH = st.lists(st.tuples(_PIECES, _SEPARATORS), max_size=8).map(
    lambda parts: "".join(p + s for p, s in parts)
)


@settings(max_examples=500)
@given(st.one_of(st.text(), _NAMEISH))
def test_normalize_name_is_idempotent(name: str) -> None:
    key = normalize_name(name)
    assert normalize_name(key) == key


@settings(max_examples=500)
@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=500)
@given(st.one_of(st.text(), st.text(st.characters(codec="utf-8")), _NAMEISH))
def test_parse_name_never_raises_on_a_string(name: str) -> None:
    key, hint = parse_name(name)
    assert isinstance(key, str)
    assert key == key.strip()
    assert "  " not in key
    assert hint is None or hint in GENERIC_WORDS.values()

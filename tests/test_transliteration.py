"""Tests for the loose key: news spellings of transliterated names meet GeoNames' ones.

The pairs are (news spelling, GeoNames' romanisation) of real places, one group per
language; each must get one loose key (:func:`gazetteer.normalize.loose_key`), and the
names of different places must not. Lookups and geoparsing use a small index built in
``tmp_path`` (see ``tests/test_index_build.py``) with a few places of our own.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import normalize
from gazetteer.build import build_index, transliteration_paths
from gazetteer.lookup import Gazetteer
from gazetteer.normalize import loose_key, name_keys, normalize_name, transliteration_rules
from geomap.geoparser.parse import geoparse

PAIRS: dict[str, list[tuple[str, str]]] = {
    "Arabic": [
        ("Dhuluiya", "Aḑ Ḑulū‘īyah"),
        ("Baiji", "Bayjī"),
        ("Saqlawiya", "Aş Şaqlāwīyah"),
        ("Diwania", "Ad Dīwānīyah"),
        ("Fallouja", "Al Fallūjah"),
        ("Kadhimiya", "Al Kāẓimīyah"),
        ("Adhamiya", "Al A‘ẓamīyah"),
        ("Nasiriyah", "An Nāşirīyah"),
        ("Hussaybah", "Al Ḩuşaybah"),
        ("Sheikh Maqsoud", "Shaykh Maqşūd"),
        ("Khan Sheikhoun", "Khān Shaykhūn"),
        ("Qusair", "Al Quşayr"),
        ("Douma", "Dūmā"),
        ("Qamishli", "Al Qāmishlī"),
        ("Houla", "Al Ḩūlah"),
        ("Achrafieh", "Al Ashrafīyah"),
        ("Chouf", "Ash Shūf"),
        ("Zahle", "Zaḩlah"),
        ("Nabatieh", "An Nabaţīyah"),
        ("Djerba", "Jerba"),
        ("Bani Walid", "Banī Walīd"),
        ("Marib", "Ma’rib"),
        ("Hodeidah", "Al Ḩudaydah"),
        ("Saada", "Şa‘dah"),
        ("Mukalla", "Al Mukallā"),
        ("Taiz", "Ta‘izz"),
        ("Tikrit", "Tikrīt"),
        ("Amerli", "Āmirlī"),
    ],
    "Kurdish": [
        ("Zakho", "Zaxo"),
        ("Makhmoor", "Makhmūr"),
        ("Akre", "Akrê"),
        ("Mergasor", "Mêrgasur"),
        ("Koya", "Koye"),
        ("Duhok", "Dohuk"),
        ("Amedi", "Amêdî"),
        ("Halabja", "Ḩalabjah"),
    ],
    "Persian": [
        ("Oshnavieh", "Oshnavīyeh"),
        ("Hasan Abad", "Ḩasanābād"),
        ("Kermanshah", "Kermānshāh"),
        ("Saqqez", "Saqqez"),
        ("Bandar Abbas", "Bandar ‘Abbās"),
        ("Zahedan", "Zāhedān"),
        ("Ahwaz", "Ahvāz"),
        ("Zafarobod", "Zafarabad"),
    ],
    "Pashto": [
        ("Mazar-i-Sharif", "Mazār-e Sharīf"),
        ("Qandahar", "Kandahār"),
        ("Khost", "Khōst"),
        ("Jalalabad", "Jalālābād"),
        ("Pul-i-Khumri", "Pul-e Khumrī"),
        ("Qala-i-Naw", "Qal‘ah-ye Now"),
        ("Sheberghan", "Shibirghān"),
        ("Spin Boldak", "Spīn Būldak"),
    ],
    "Turkish": [
        ("Sirnak", "Şırnak"),
        ("Cukurca", "Çukurca"),
        ("Semdinli", "Şemdinli"),
        ("Yuksekova", "Yüksekova"),
        ("Diyarbakir", "Diyarbakır"),
        ("Mus", "Muş"),
        ("Bingol", "Bingöl"),
        ("Agri", "Ağrı"),
        ("Igdir", "Iğdır"),
        ("Hakkari", "Hakkâri"),
    ],
    "Ukrainian": [
        ("Kharkov", "Kharkiv"),
        ("Kharkov", "Харків"),
        ("Mykolayiv", "Mykolaiv"),
        ("Kyiv", "Kiev"),
        ("Lvov", "Lviv"),
        ("Avdeevka", "Avdiivka"),
        ("Severodonetsk", "Sievierodonetsk"),
        ("Lisichansk", "Lysychansk"),
        ("Artemovsk", "Artemivsk"),
        ("Kramatorsk", "Краматорськ"),
        ("Bakhmut", "Бахмут"),
        ("Zhitomir", "Zhytomyr"),
        ("Nikopol", "Нікополь"),
        ("Izyum", "Izium"),
        ("Kupyansk", "Kupiansk"),
        ("Pokrovsk", "Покровськ"),
    ],
}
ALL_PAIRS = [(lang, news, geonames) for lang, pairs in PAIRS.items() for news, geonames in pairs]

# Names of different places, close in spelling, that must keep different loose keys.
DIFFERENT: list[tuple[str, str]] = [
    ("Najaf", "Najran"),
    ("Homs", "Hama"),
    ("Basra", "Busra"),
    ("Kirkuk", "Karkh"),
    ("Ramadi", "Rumaila"),
    ("Kut", "Kuwait"),
    ("Hit", "Hayt"),
    ("Idlib", "Ibb"),
    ("Sinjar", "Sinjil"),
    ("Tal Afar", "Tall Abyad"),
    ("Baghdad", "Baghdadi"),
    ("Amara", "Amiriya"),
    ("Erciyes", "Erciş"),
    ("Kabul", "Kunduz"),
    ("Kharkiv", "Kherson"),
    ("Lviv", "Luhansk"),
    ("Sumy", "Sambir"),
    ("Herat", "Hirat Tower"),
    ("Mosul", "Masyaf"),
    ("Zakho", "Zaxmur"),
]


def test_pairs_cover_the_languages() -> None:
    assert len(ALL_PAIRS) >= 60
    assert all(len(pairs) >= 8 for pairs in PAIRS.values())


@pytest.mark.parametrize(("language", "news", "geonames"), ALL_PAIRS)
def test_news_spelling_meets_geonames(language: str, news: str, geonames: str) -> None:
    assert loose_key(news), language
    assert loose_key(news) == loose_key(geonames)


def test_most_pairs_need_the_loose_key() -> None:
    """The table tests the loose key, not the normalised key it is made from."""
    apart = [(n, g) for _, n, g in ALL_PAIRS if normalize_name(n) != normalize_name(g)]
    assert len(apart) >= 40


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_places_keep_different_keys(one: str, other: str) -> None:
    assert loose_key(one) != loose_key(other)


@pytest.mark.parametrize("name", ["البصرة", "بغداد", "תל אביב", "北京", "", "   ", "123", "ʿ"])
def test_no_loose_key_for_abjads_and_other_scripts(name: str) -> None:
    """anyascii writes Arabic and Hebrew as bare consonants, Chinese as syllables: those
    keys would meet unrelated Latin words, so they have none."""
    assert loose_key(name) in ("", "123")


def test_name_keys_in_lookup_order() -> None:
    assert name_keys("Makhmoor") == ("makhmor", "makmur")
    assert name_keys("Mosul") == ("mosul", "musul")
    assert name_keys("Basra") == ("basra",)
    assert name_keys("") == ()


def _rule_rows() -> list[dict[str, str]]:
    return [r for r in transliteration_rules() if r["news"]]


@pytest.mark.parametrize("row", _rule_rows(), ids=lambda r: r["pattern"])
def test_each_rule_brings_its_example_together(
    row: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each example pair of the table meets with every rule, and not without its own."""
    assert loose_key(row["news"]) == loose_key(row["geonames"])
    others = tuple(r for r in transliteration_rules() if r is not row)
    monkeypatch.setattr(normalize, "transliteration_rules", lambda: others)
    normalize._compiled_rules.cache_clear()
    try:
        assert loose_key(row["news"]) != loose_key(row["geonames"])
    finally:
        monkeypatch.undo()
        normalize._compiled_rules.cache_clear()


def test_rule_table_is_documented() -> None:
    rules, countries = transliteration_paths()
    for path in (rules, countries):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# ")
        assert "Where from:" in text
    for row in transliteration_rules():
        re.compile(row["pattern"])
        assert row["note"], row["pattern"]
    lines = [s for s in countries.read_text("utf-8").splitlines() if not s.startswith("#")]
    codes = [r["country"] for r in csv.DictReader(lines)]
    assert len(codes) == len(set(codes))
    assert {"IQ", "SY", "AF", "IR", "TR", "UA"} <= set(codes)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_loose_key_is_lowercase_ascii_words(name: str) -> None:
    loose = loose_key(name)
    assert loose == " ".join(loose.split())
    assert re.fullmatch(r"[a-z0-9 ]*", loose)


# --------------------------------------------------------------------------- lookup

OUR_PLACES = [
    "test:dhuluiya,Aḑ Ḑulū‘īyah,,34.24,44.24,populated_place,IQ,Salah ad Din,IQ-SD,30000,ours",
    "test:kadhimiya,Al Kāẓimīyah,,33.38,44.34,populated_place,IQ,Baghdad,IQ-BG,,ours",
    "test:kharkiv,Kharkiv,Харків,49.99,36.23,populated_place,UA,Kharkiv,UA-63,1400000,ours",
    "test:hasanabad,Ḩasanābād,,35.37,51.23,populated_place,IR,Tehran,IR-07,5000,ours",
    "test:oshnavieh,Oshnavīyeh,,37.04,45.10,populated_place,IR,West Azerbaijan,IR-02,39000,ours",
    "test:messy,Messy,,48.97,2.70,populated_place,FR,Ile-de-France,FR-IDF,1000,ours",
]


@pytest.fixture
def gaz(small_sources: Path, tmp_path: Path) -> Iterator[Gazetteer]:
    with small_sources.open("a", encoding="utf-8") as f:
        f.write("\n".join(OUR_PLACES) + "\n")
    path = build_index(tmp_path / "index" / "gazetteer.sqlite", overlay=small_sources)
    with Gazetteer(path) as g:
        yield g


@pytest.mark.parametrize(
    ("news", "place_id"),
    [
        ("Dhuluiya", "overlay:test:dhuluiya"),
        ("al-Dhuluiya", "overlay:test:dhuluiya"),
        ("Kadhimiya", "overlay:test:kadhimiya"),
        ("Kharkov", "overlay:test:kharkiv"),
        ("Hasan Abad", "overlay:test:hasanabad"),
    ],
)
def test_lookup_finds_a_news_spelling(gaz: Gazetteer, news: str, place_id: str) -> None:
    found = gaz.lookup(news, fuzzy=False)
    assert [c.id for c in found] == [place_id]
    assert "the same loose key" in found[0].why[0]
    assert gaz.lookup(news, fuzzy=False, loose=False) == []


def test_a_loose_match_ranks_below_a_normalised_one(gaz: Gazetteer) -> None:
    loose = gaz.lookup("Dhuluiya", fuzzy=False)[0]
    same = gaz.lookup("Ad Duluiyah", fuzzy=False)[0]
    assert loose.id == same.id
    assert loose.score < same.score


def test_loose_key_keeps_filters(gaz: Gazetteer) -> None:
    assert gaz.lookup("Dhuluiya", country="IQ", fuzzy=False)
    assert gaz.lookup("Dhuluiya", country="US", fuzzy=False) == []


def test_no_loose_match_outside_transliterated_countries(gaz: Gazetteer) -> None:
    """Messy is a French village: a different spelling of a French name is another name."""
    assert normalize_name("Messi") != normalize_name("Messy")
    assert loose_key("Messi") == loose_key("Messy")
    assert gaz.lookup("Messi", fuzzy=False) == []


def test_geoparse_finds_news_spellings(gaz: Gazetteer) -> None:
    text = "Gunmen attacked a checkpoint in Dhuluiya, north of Baghdad, on Monday."
    places = {m.surface: m.place.id for m in geoparse(text, gazetteer=gaz) if m.place}
    assert places == {"Dhuluiya": "overlay:test:dhuluiya", "Baghdad": "geonames:98182"}


def test_geoparse_needs_support_for_a_respelling(gaz: Gazetteer) -> None:
    """A name known only by its loose key is kept where the report is about its country."""
    text = "Reporters gathered in Paris. Later, Oshnavieh was quiet."
    assert "Oshnavieh" not in {m.surface for m in geoparse(text, gazetteer=gaz) if m.place}
    hinted = geoparse(text, gazetteer=gaz, country_hint="IR")
    assert "Oshnavieh" in {m.surface for m in hinted if m.place}


def test_geoparse_leaves_english_words_and_people(gaz: Gazetteer) -> None:
    text = "Messi scored twice in Paris as Kadhimiya fans watched."
    found = {m.surface for m in geoparse(text, gazetteer=gaz, country_hint="IQ") if m.place}
    assert "Messi" not in found
    assert "Kadhimiya" in found

"""The geoparser on hostile and odd text: it never crashes, and its offsets always hold.

Uses the full index, built once (about 30 s) into the user cache directory.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import Gazetteer
from geomap.geoparser.parse import geoparse
from geomap.records import Mention

pytestmark = pytest.mark.slow

ARABIC_SENTENCE = "قال مسؤول محلي إن صاروخا سقط قرب البصرة، وإن الوضع في بغداد هادئ."


def _random_text(seed: int, size: int) -> str:
    rnd = random.Random(seed)
    return bytes(rnd.getrandbits(8) for _ in range(size)).decode("utf-8", errors="replace")


HOSTILE = {
    "empty": "",
    "whitespace": " \n\t \r\n\u00a0\u2003 \n\n",
    "one-token-megabyte": "Baghdad" * 150_000,
    "one-word-repeated": "baghdad " * 130_000,
    "random-bytes": _random_text(20240806, 200_000),
    "arabic": ARABIC_SENTENCE,
    "mixed-scripts": "Rockets hit البصرة and Мосул, near 巴格达 and Baghdad: Erbil/أربيل. Ηit?",
    "no-punctuation": " ".join(
        ["gunmen attacked a checkpoint near Ramadi then fled toward Fallujah at dawn"] * 300
    ),
    "control-characters": (
        "Baghdad\x00\x01\x02 Erbil\x0b\x0c\x1b[31m Basra\x7f\u200b\u200eMosul\ufeff"
        " Hit\x85Anbar\u2028Kirkuk\u2029Ramadi\r"
    ),
    "capitalised-run": ("Baghdad Basra Kurdistan Region Camp Al New York City " * 200)[:10_000],
    "capital-letters": ("QWERTYUIOPASDFGHJKL " * 600)[:10_000],
    "lone-surrogates-replaced": "Basra \ufffd\ufffd Baghdad \ufffd",
    "punctuation-only": ".,;:!?'\"()[]{}-–—…" * 100,
    "digits": "20 km 3.5 miles 1,000 2024-08-06 12:30" * 50,
    "hyphen-chains": "al-al-al-Baghdad-al-Basra-Al-Anbar-" * 50,
    # every mention is a list item and every name recurs thousands of times
    "listed-names": ("Baghdad, Basra, Mosul and Erbil counties, " * 2500)[:100_000],
}


def _check(text: str, mentions: list[Mention]) -> None:
    assert isinstance(mentions, list)
    previous = (0, 0)
    for m in mentions:
        assert isinstance(m, Mention)
        assert 0 <= m.start <= m.end <= len(text)
        assert text[m.start : m.end] == m.surface
        assert (m.start, m.end) >= previous
        previous = (m.start, m.end)
        assert m.sentence[0] <= m.start and m.end <= m.sentence[1] <= len(text)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_never_crashes(gazetteer: Gazetteer, name: str) -> None:
    text = HOSTILE[name]
    _check(text, geoparse(text, gazetteer=gazetteer))


@pytest.mark.parametrize("name", ["empty", "whitespace", "punctuation-only", "one-token-megabyte"])
def test_text_without_names_has_no_mentions(gazetteer: Gazetteer, name: str) -> None:
    assert geoparse(HOSTILE[name], gazetteer=gazetteer) == []


def test_lowercase_repetition_has_no_mentions(gazetteer: Gazetteer) -> None:
    # lowercase "baghdad" is not a name, however often it comes
    assert geoparse(HOSTILE["one-word-repeated"], gazetteer=gazetteer) == []


def test_text_without_sentence_punctuation(gazetteer: Gazetteer) -> None:
    text = HOSTILE["no-punctuation"]
    mentions = geoparse(text, gazetteer=gazetteer)
    assert {m.surface for m in mentions} == {"Ramadi", "Fallujah"}
    assert len(mentions) == 600


def test_control_characters_do_not_hide_names(gazetteer: Gazetteer) -> None:
    text = HOSTILE["control-characters"]
    surfaces = [m.surface for m in geoparse(text, gazetteer=gazetteer)]
    for name in ("Baghdad", "Erbil", "Basra", "Mosul", "Kirkuk", "Ramadi"):
        assert name in surfaces


def test_arabic_script_names(gazetteer: Gazetteer) -> None:
    mentions = geoparse(ARABIC_SENTENCE, gazetteer=gazetteer)
    _check(ARABIC_SENTENCE, mentions)
    by_surface = {m.surface: m for m in mentions}
    basra, baghdad = by_surface["البصرة"], by_surface["بغداد"]
    assert basra.place is not None
    assert basra.place.id == "geonames:99532"
    assert baghdad.place is not None
    assert baghdad.place.id == "geonames:98182"


def test_arabic_particles_are_not_places(gazetteer: Gazetteer) -> None:
    mentions = geoparse(ARABIC_SENTENCE, gazetteer=gazetteer)
    assert [m.surface for m in mentions] == ["البصرة", "بغداد"]


def test_mixed_scripts(gazetteer: Gazetteer) -> None:
    text = HOSTILE["mixed-scripts"]
    ids = {m.surface: m.place.id for m in geoparse(text, gazetteer=gazetteer) if m.place}
    assert ids["البصرة"] == "geonames:99532"
    assert ids["Baghdad"] == "geonames:98182"
    assert ids["Erbil"] == ids["أربيل"] == "geonames:95446"


@pytest.mark.parametrize("value", [b"Baghdad", None, 42, ["Baghdad"], bytearray(b"Basra")])
def test_text_must_be_a_str(gazetteer: Gazetteer, value: Any) -> None:
    with pytest.raises(TypeError, match=r"takes the report's text as a str, got "):
        geoparse(value, gazetteer=gazetteer)


# --------------------------------------------------------------------------- property

PLACE_NAMES = [
    "Baghdad",
    "Basra",
    "Basra province",
    "Babel",
    "Babil",
    "Ain al-Assad",
    "Ain al-Assad airbase",
    "western Iraq",
    "Kurdistan Region",
    "Erbil",
    "Hit",
    "Anbar",
    "Paris",
    "Texas",
    "Glasgow",
    "Ky.",
    "U.S.",
    "B.C.",
    "Nice",
    "Reading",
    "İstanbul",
    "Iraqi",
    "Syrian",
    "American",
    "Kareem Al-Jabouri",
    "Al-Jabouri",
    "Col.",
    "The National",
    "Islamic Resistance in Iraq",
    "Baghdad Today",
    "north of",
    "20 km south of",
    "Camp",
    "Air Base",
    "County",
]
ARABIC_WORDS = ["البصرة", "بغداد", "أربيل", "الأنبار", "الموصل", "قال", "إن", "في", "قرب"]
PUNCTUATION = [".", ",", ";", ":", "!", "?", "-", "–", "’", "'", '"', "(", ")", "“", "”", "…"]
SEPARATORS = ["", " ", " ", " ", "\n", "\n\n", ", ", ". ", "-", "\t"]

pieces = st.one_of(
    st.sampled_from(PLACE_NAMES),
    st.sampled_from(ARABIC_WORDS),
    st.sampled_from(PUNCTUATION),
    st.integers(min_value=0, max_value=10**6).map(str),
    st.text(max_size=6),
)
texts = st.lists(st.tuples(pieces, st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda parts: "".join(piece + sep for piece, sep in parts)
)


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_offsets_always_slice_the_text(gazetteer: Gazetteer, text: str) -> None:
    _check(text, geoparse(text, gazetteer=gazetteer))

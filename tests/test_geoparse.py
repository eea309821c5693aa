"""The geoparser on short news-style reports, field by field, with the full index.

The reports in ``tests/data/reports`` are original texts written for these tests. The
full gazetteer is built once (about 30 s) into the user cache directory, then reused.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from gazetteer import Candidate, Gazetteer
from geomap.geoparser.parse import geoparse
from geomap.geoparser.resolve import PASSES, PassCounter
from geomap.readers.reports import read_reports
from geomap.records import Mention

pytestmark = pytest.mark.slow

REPORTS = Path(__file__).parent / "data" / "reports"
REPORT_FILES = {
    "babel": "babel-drone-strike.md",
    "ain": "ain-al-assad-rockets.md",
    "kurdistan": "kurdistan-anbar-basra.md",
    "us": "us-local-news.txt",
}
DECISIONS = (*PASSES, "demonym")


class Parsed(NamedTuple):
    """A report's text and the mentions the geoparser returned for it."""

    text: str
    mentions: list[Mention]


@pytest.fixture(scope="session")
def parsed(gazetteer: Gazetteer) -> dict[str, Parsed]:
    """Each test report, read with ``read_reports`` and geoparsed once."""
    out = {}
    for key, name in REPORT_FILES.items():
        result = read_reports([REPORTS / name])
        assert result.skipped == []
        (report,) = result.reports
        out[key] = Parsed(report.text, geoparse(report.text, gazetteer=gazetteer))
    return out


def _start(text: str, phrase: str, nth: int = 0) -> int:
    """Offset of the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start


def _mention(doc: Parsed, phrase: str, surface: str, nth: int = 0) -> Mention:
    """The mention of ``surface`` inside the ``nth`` occurrence of ``phrase``, checked."""
    start = _start(doc.text, phrase, nth) + phrase.index(surface)
    found = [m for m in doc.mentions if m.start == start]
    assert found, f"no mention at {start} ({surface!r} in {phrase!r}): {doc.mentions}"
    (m,) = found
    assert m.end == start + len(surface), m
    assert m.surface == surface
    assert doc.text[m.start : m.end] == surface
    return m


def _places(gazetteer: Gazetteer, text: str) -> list[str]:
    """The place names geoparsed from ``text``, in order."""
    return [m.surface for m in geoparse(text, gazetteer=gazetteer) if m.kind == "place"]


def _overlapping(doc: Parsed, start: int, end: int) -> list[Mention]:
    return [m for m in doc.mentions if m.start < end and start < m.end]


# --------------------------------------------------------------------------- every mention


@pytest.mark.parametrize("key", list(REPORT_FILES))
def test_every_mention_is_well_formed(parsed: dict[str, Parsed], key: str) -> None:
    text, mentions = parsed[key]
    assert mentions
    assert [(m.start, m.end) for m in mentions] == sorted((m.start, m.end) for m in mentions)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.surface
        s0, s1 = m.sentence
        assert s0 <= m.start and m.end <= s1 <= len(text), m
        assert m.surface in text[s0:s1]
        assert m.kind in ("place", "demonym")
        assert m.place is not None  # recognised names that match nothing are dropped
        assert isinstance(m.alternatives, tuple)
        assert m.place.id not in {a.id for a in m.alternatives}
        assert m.decision.rule in DECISIONS
        assert 0.0 <= m.score <= 1.0


@pytest.mark.parametrize(
    ("key", "phrase", "surface"),
    [
        ("babel", "Iraqi militia", "Iraqi"),
        ("babel", "in Babel province", "Babel"),
        ("babel", "south of Baghdad", "Baghdad"),
        ("babel", "blamed American", "American"),
        ("babel", "20 km north of Baghdad", "Baghdad"),
        ("babel", "Residents of Babil", "Babil"),
        ("ain", "the Ain al-Assad airbase", "Ain al-Assad"),
        ("ain", "in western Iraq", "western Iraq"),
        ("ain", "four American contractors", "American"),
        ("ain", "Syrian and Iraqi officials", "Syrian"),
        ("ain", "Syrian and Iraqi officials", "Iraqi"),
        ("kurdistan", "Iraqi security forces", "Iraqi"),
        ("kurdistan", "across Anbar", "Anbar"),
        ("kurdistan", "In Hit, in Anbar", "Hit"),
        ("kurdistan", "In Hit, in Anbar", "Anbar"),
        ("kurdistan", "west of Ramadi", "Ramadi"),
        ("kurdistan", "officials in Erbil", "Erbil"),
        ("kurdistan", "in the Kurdistan Region, said", "Kurdistan Region"),
        ("kurdistan", "The Kurdistan Region has", "Kurdistan Region"),
        ("kurdistan", "governor of Basra province", "Basra"),
        ("kurdistan", "Traders in Basra", "Basra"),
        ("us", "from Paris, Texas", "Paris"),
        ("us", "from Paris, Texas", "Texas"),
        ("us", "tours in Iraq", "Iraq"),
        ("us", "near Baghdad", "Baghdad"),
        ("us", "in Glasgow, Ky.,", "Glasgow"),
        ("us", "in Glasgow, Ky.,", "Ky."),
        ("us", "from Anbar", "Anbar"),
    ],
)
def test_surface_is_found_at_its_offsets(
    parsed: dict[str, Parsed], key: str, phrase: str, surface: str
) -> None:
    _mention(parsed[key], phrase, surface)


# --------------------------------------------------------------------------- resolution


def test_babel_province(parsed: dict[str, Parsed]) -> None:
    doc = parsed["babel"]
    # "province" is a hint for the lookup, not part of the surface
    m = _mention(doc, "in Babel province", "Babel")
    assert m.kind == "place"
    assert m.place is not None
    assert m.place.id == "iso3166-2:IQ-BB"
    assert m.place.feature == "admin1"
    assert m.place.country == "IQ"
    assert m.place.admin1_code == "IQ-BB"
    assert m.relation == ""
    sentence = doc.text[m.sentence[0] : m.sentence[1]].strip()
    assert sentence.startswith("A drone struck")
    assert sentence.endswith("officials said.")


def test_babil_is_the_same_province(parsed: dict[str, Parsed]) -> None:
    m = _mention(parsed["babel"], "Residents of Babil", "Babil")
    assert m.place is not None
    assert m.place.id == "iso3166-2:IQ-BB"
    assert m.place.admin1_code == "IQ-BB"


@pytest.mark.parametrize(
    ("phrase", "relation"),
    [
        ("farmland south of Baghdad", "south of"),
        ("convoy 20 km north of Baghdad", "20 km north of"),
    ],
)
def test_baghdad_as_a_reference_point(
    parsed: dict[str, Parsed], phrase: str, relation: str
) -> None:
    m = _mention(parsed["babel"], phrase, "Baghdad")
    assert m.place is not None
    assert m.place.id == "geonames:98182"
    assert m.place.feature == "populated_place"
    assert m.place.country == "IQ"
    assert m.place.admin1_code == "IQ-BG"
    assert m.relation == relation
    assert m.alternatives  # the governorate of the same name, at least
    assert "iso3166-2:IQ-BG" in {a.id for a in m.alternatives}


def test_ain_al_assad_airbase(parsed: dict[str, Parsed]) -> None:
    m = _mention(parsed["ain"], "the Ain al-Assad airbase", "Ain al-Assad")
    assert m.place is not None
    assert m.place.id == "overlay:ain-al-asad-air-base"
    assert m.place.feature == "military_base"
    assert m.place.country == "IQ"
    assert m.place.admin1_code == "IQ-AN"


def test_western_iraq_is_an_area(parsed: dict[str, Parsed]) -> None:
    doc = parsed["ain"]
    m = _mention(doc, "in western Iraq", "western Iraq")
    assert m.place is not None
    assert m.place.id.startswith("overlay:")
    assert m.place.feature == "area"
    assert m.place.country == "IQ"
    # "Iraq" is not reported a second time inside "western Iraq"
    assert _overlapping(doc, m.start, m.end) == [m]


@pytest.mark.parametrize("nth", [0, 1])
def test_kurdistan_region(parsed: dict[str, Parsed], nth: int) -> None:
    m = _mention(parsed["kurdistan"], "Kurdistan Region", "Kurdistan Region", nth)
    assert m.place is not None
    assert m.place.id == "iso3166-2:IQ-KR"
    assert m.place.feature == "region"
    assert m.place.country == "IQ"


def test_erbil_in_the_kurdistan_region(parsed: dict[str, Parsed]) -> None:
    m = _mention(parsed["kurdistan"], "officials in Erbil, in the Kurdistan Region", "Erbil")
    assert m.place is not None
    assert m.place.id == "geonames:95446"
    assert m.place.feature == "populated_place"
    assert m.place.admin1_code == "IQ-AR"


@pytest.mark.parametrize("phrase", ["across Anbar", "In Hit, in Anbar"])
def test_anbar(parsed: dict[str, Parsed], phrase: str) -> None:
    m = _mention(parsed["kurdistan"], phrase, "Anbar")
    assert m.place is not None
    assert m.place.id == "iso3166-2:IQ-AN"
    assert m.place.feature == "admin1"


def test_hit_in_anbar(parsed: dict[str, Parsed]) -> None:
    # "Hit" is a common English word: kept because "In" cues it and "in Anbar" places it
    m = _mention(parsed["kurdistan"], "In Hit, in Anbar", "Hit")
    assert m.place is not None
    assert m.place.feature == "populated_place"
    assert m.place.country == "IQ"
    assert m.place.admin1_code == "IQ-AN"


def test_basra_province(parsed: dict[str, Parsed]) -> None:
    m = _mention(parsed["kurdistan"], "governor of Basra province", "Basra")
    assert m.place is not None
    assert m.place.id == "iso3166-2:IQ-BA"
    assert m.place.feature == "admin1"
    assert m.place.admin1_code == "IQ-BA"


def test_basra_alone_is_the_city(parsed: dict[str, Parsed]) -> None:
    m = _mention(parsed["kurdistan"], "Traders in Basra", "Basra")
    assert m.place is not None
    assert m.place.id == "geonames:99532"
    assert m.place.feature == "populated_place"
    assert m.place.admin1_code == "IQ-BA"


@pytest.mark.parametrize(
    ("key", "phrase", "surface", "country"),
    [
        ("babel", "Iraqi militia", "Iraqi", "IQ"),
        ("babel", "blamed American", "American", "US"),
        ("ain", "four American contractors", "American", "US"),
        ("ain", "Syrian and Iraqi officials", "Syrian", "SY"),
        ("ain", "Syrian and Iraqi officials", "Iraqi", "IQ"),
        ("kurdistan", "Iraqi security forces", "Iraqi", "IQ"),
    ],
)
def test_demonyms(
    parsed: dict[str, Parsed], key: str, phrase: str, surface: str, country: str
) -> None:
    m = _mention(parsed[key], phrase, surface)
    assert m.kind == "demonym"
    assert m.country == country
    assert m.place is not None
    assert m.place.id == f"iso3166-1:{country}"
    assert m.place.feature == "country"
    assert str(m.decision) == "demonym"
    assert m.score == 1.0


# --------------------------------------------------------------------------- US hierarchy


@pytest.mark.parametrize(
    ("phrase", "surface", "admin1_code", "parent", "parent_id"),
    [
        ("from Paris, Texas", "Paris", "US-TX", "Texas", "iso3166-2:US-TX"),
        ("in Glasgow, Ky.,", "Glasgow", "US-KY", "Ky.", "iso3166-2:US-KY"),
    ],
)
def test_us_town_with_its_state(
    parsed: dict[str, Parsed],
    phrase: str,
    surface: str,
    admin1_code: str,
    parent: str,
    parent_id: str,
) -> None:
    doc = parsed["us"]
    m = _mention(doc, phrase, surface)
    assert m.place is not None
    assert m.place.country == "US"
    assert m.place.feature == "populated_place"
    assert m.place.admin1_code == admin1_code
    assert str(m.decision).startswith(("hierarchy", "discourse")), m.decision
    # the better-known namesake is kept as an alternative
    assert any(a.country != "US" for a in m.alternatives)
    state = _mention(doc, phrase, parent)
    assert state.place is not None
    assert state.place.id == parent_id


# --------------------------------------------------------------------------- not places


@pytest.mark.parametrize(
    ("key", "phrase"),
    [
        ("babel", "Kareem Al-Jabouri"),
        ("babel", "Al-Jabouri said"),
        ("ain", "Col. Wayne Hensley"),
        ("ain", "Hensley added"),
        ("ain", "The Islamic Resistance in Iraq"),
        ("ain", "told The National"),
    ],
)
def test_people_and_organisations_are_not_places(
    parsed: dict[str, Parsed], key: str, phrase: str
) -> None:
    doc = parsed[key]
    start = _start(doc.text, phrase)
    assert _overlapping(doc, start, start + len(phrase)) == []


@pytest.mark.parametrize("surname", ["Al-Jabouri", "Jabouri", "Hensley", "Wayne", "National"])
def test_names_of_people_are_never_places(parsed: dict[str, Parsed], surname: str) -> None:
    for doc in parsed.values():
        assert all(surname not in m.surface for m in doc.mentions)


@pytest.mark.parametrize(
    ("key", "phrase", "word"),
    [
        ("babel", "Reading the statement aloud", "Reading"),
        ("ain", "Nice words from diplomats", "Nice"),
        ("us", "Reading from a prepared text", "Reading"),
        ("us", "Nice weather brought", "Nice"),
    ],
)
def test_sentence_initial_common_words_are_not_places(
    parsed: dict[str, Parsed], key: str, phrase: str, word: str
) -> None:
    doc = parsed[key]
    start = _start(doc.text, phrase)
    assert doc.text[start : start + len(word)] == word
    assert _overlapping(doc, start, start + len(phrase)) == []


@pytest.mark.parametrize(
    ("text", "person", "places"),
    [
        ("He is survived by his wife, Florence, and a brother in Tulsa.", "Florence", ["Tulsa"]),
        ("The son of Marion and the late Ruth Goss, he farmed near Salina.", "Marion", ["Salina"]),
        ("Neighbours found Beverly, 62, at her home in Amarillo.", "Beverly", ["Amarillo"]),
        ("Deputies said Eugene R. Walsh drove from Topeka.", "Eugene", ["Topeka"]),
        ("Friends said Chester and Maria Lopez moved to Fresno.", "Chester", ["Fresno"]),
        ("The award went to Aurora\n    Blackwell, a teacher in Boise.", "Aurora", ["Boise"]),
        ("Det.-Sgt. Troy Hamm of the Reno police said the road was closed.", "Hamm", ["Reno"]),
    ],
)
def test_a_person_named_by_context_is_not_a_place(
    gazetteer: Gazetteer, text: str, person: str, places: list[str]
) -> None:
    # a relative, an age in apposition, a middle initial, "X and Y Surname", a name broken
    # across a hard-wrapped line and a hyphenated title each make the name a person's
    mentions = geoparse(text, gazetteer=gazetteer)
    assert [m.surface for m in mentions if m.kind == "place"] == places
    assert all(person not in m.surface for m in mentions)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("A rescued cat named Tiger rode the train from Winnipeg.", ["Winnipeg"]),
        ("Volunteers planted a Garden of Peace near Hamilton.", ["Hamilton"]),
        ("Storms swept across the Pacific toward Fiji.", ["Pacific", "Fiji"]),
    ],
)
def test_a_common_word_must_be_a_places_own_name(
    gazetteer: Gazetteer, text: str, places: list[str]
) -> None:
    # "Tiger" is Macon only by its nickname "Tiger Town", "Garden" Singapore by "Garden
    # City"; a sea keeps its short name
    assert _places(gazetteer, text) == places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("The crash happened on Cedar Flat Rd. in Metcalfe County.", ["Metcalfe County"]),
        ("Police searched a house on Wooster St., the report said.", []),
        ("The family moved from Wooster to St. Louis last year.", ["Wooster", "St. Louis"]),
        ("Homes near Fort St. John were flooded.", ["Fort St. John"]),
        ("Both were taken to St. Michael's Hospital in Toronto.", ["Toronto"]),
        ("Crowds filled the church of St. Peter and St. Paul in Cairo.", ["Cairo"]),
    ],
)
def test_abbreviations_with_a_period(gazetteer: Gazetteer, text: str, places: list[str]) -> None:
    # "Rd." and "St." after a name make a street; "St." before one is part of the name,
    # unless the saint's name is a church's or a hospital's
    assert _places(gazetteer, text) == places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Youth crime rose in Far North Queensland last year.", ["Queensland"]),
        (
            "Rain fell in Western Australia and in the South West on Sunday.",
            ["Western Australia", "South West"],
        ),
    ],
)
def test_a_direction_before_a_name_describes_it(
    gazetteer: Gazetteer, text: str, places: list[str]
) -> None:
    # "Far North" is a region of Cameroon, but here it only says where in Queensland; a
    # direction name with no name after it stays a place
    assert _places(gazetteer, text) == places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Talks aimed to mend Russia-Turkey ties after the shooting.", ["Russia", "Turkey"]),
        ("Flights on the London-Paris route resumed.", ["London", "Paris"]),
        ("Shares of Coca-Cola fell in Atlanta.", ["Atlanta"]),
        (
            "Buffalo, Rochester and Syracuse saw snow on Monday.",
            ["Buffalo", "Rochester", "Syracuse"],
        ),
        ("Nice, Cannes, and Monaco were busy.", ["Nice", "Cannes", "Monaco"]),
        ("Reading, writing and arithmetic were taught in Leeds.", ["Leeds"]),
        ("Police in Moscow and Berlin arrested suspects.", ["Moscow", "Berlin"]),
        ("The Department of Fish and Wildlife closed the lake.", []),
    ],
)
def test_names_joined_by_a_hyphen_or_listed(
    gazetteer: Gazetteer, text: str, places: list[str]
) -> None:
    # two famous places a hyphen joins are both places, a brand is not; a common word
    # opening a sentence is a place when a list of places follows it
    assert _places(gazetteer, text) == places


@pytest.mark.parametrize(
    ("text", "demonyms"),
    [
        ("The gunman shouted about Aleppo in Turkish, witnesses said.", []),
        ("Officials in Beirut speak French and Arabic.", []),
        ("She is teaching English to pupils in Perpignan.", []),
        ("He was held in Turkish custody near Ankara.", ["Turkish"]),
        ("Funds went into American and European firms.", ["American", "European"]),
    ],
)
def test_a_language_is_not_a_demonym(gazetteer: Gazetteer, text: str, demonyms: list[str]) -> None:
    # a language says nothing of where the report is; an adjective before a noun does
    mentions = geoparse(text, gazetteer=gazetteer)
    assert [m.surface for m in mentions if m.kind == "demonym"] == demonyms


@pytest.mark.parametrize(
    "city",
    [
        "Istanbul",
        "İstanbul",
    ],
)
def test_actor_mask_after_a_dotted_capital_i(gazetteer: Gazetteer, city: str) -> None:
    text = (
        f"After talks in {city}, a minister of the Kurdistan Regional Government "
        "flew home to Erbil."
    )
    mentions = geoparse(text, gazetteer=gazetteer)
    assert [m.surface for m in mentions] == [city, "Erbil"]


def test_a_lowercase_phrase_is_not_an_actor(gazetteer: Gazetteer) -> None:
    text = "Hundreds of teachers marched in Baghdad today to demand unpaid salaries."
    mentions = geoparse(text, gazetteer=gazetteer)
    assert [(m.surface, m.place.id if m.place else None) for m in mentions] == [
        ("Baghdad", "geonames:98182")
    ]


def test_an_actor_name_hides_the_place_inside_it(gazetteer: Gazetteer) -> None:
    text = "Hundreds of teachers marched in Basra, the outlet Baghdad Today reported."
    mentions = geoparse(text, gazetteer=gazetteer)
    assert [m.surface for m in mentions] == ["Basra"]


# --------------------------------------------------------------------------- given spans

SPANS_TEXT = (
    "Iraqi police said the blast near Xqzvwplk, 20 km north of Baghdad, killed two people. "
    "Officials in Babel province said the roads were open again."
)


def _span(text: str, surface: str) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


def test_given_spans_are_answered_one_each_in_order(gazetteer: Gazetteer) -> None:
    spans = [
        _span(SPANS_TEXT, "Babel"),
        _span(SPANS_TEXT, "Xqzvwplk"),
        _span(SPANS_TEXT, "Iraqi"),
        _span(SPANS_TEXT, "Baghdad"),
    ]
    counter = PassCounter()
    mentions = geoparse(SPANS_TEXT, gazetteer=gazetteer, spans=spans, counter=counter)
    assert [(m.start, m.end) for m in mentions] == spans
    for m in mentions:
        assert SPANS_TEXT[m.start : m.end] == m.surface
    babel, unknown, iraqi, baghdad = mentions

    assert babel.kind == "place"
    assert babel.place is not None
    assert babel.place.id == "iso3166-2:IQ-BB"

    assert unknown.surface == "Xqzvwplk"
    assert unknown.kind == "place"
    assert unknown.place is None
    assert not unknown.resolved
    assert unknown.score == 0.0
    assert unknown.alternatives == ()
    assert str(unknown.decision) == "no match"

    assert iraqi.kind == "demonym"
    assert iraqi.country == "IQ"
    assert iraqi.place is not None
    assert iraqi.place.id == "iso3166-1:IQ"
    assert str(iraqi.decision) == "demonym"

    assert baghdad.place is not None
    assert baghdad.place.id == "geonames:98182"
    assert baghdad.relation == "20 km north of"

    assert counter  # the passes that decided the two resolved place spans
    assert set(counter) <= set(PASSES)


def test_given_spans_accept_names_the_recogniser_skips(gazetteer: Gazetteer) -> None:
    text = "Reading the statement aloud, the governor named Hit as the next stop."
    spans = [_span(text, "Hit"), _span(text, "Reading")]
    mentions = geoparse(text, gazetteer=gazetteer, spans=spans, country_hint="IQ")
    assert [(m.start, m.end) for m in mentions] == spans
    hit = mentions[0]
    assert hit.place is not None
    assert hit.place.country == "IQ"
    assert hit.place.admin1_code == "IQ-AN"


def test_no_given_spans_gives_no_mentions(gazetteer: Gazetteer) -> None:
    assert geoparse(SPANS_TEXT, gazetteer=gazetteer, spans=[]) == []


def test_given_span_outside_the_text_is_refused(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValueError, match=r"span \(5, 999\) is outside the text of length"):
        geoparse(SPANS_TEXT, gazetteer=gazetteer, spans=[(5, 999)])


def test_country_hint_leaves_offsets_alone(gazetteer: Gazetteer, parsed: dict[str, Parsed]) -> None:
    doc = parsed["babel"]
    hinted = geoparse(doc.text, gazetteer=gazetteer, country_hint="iq")
    assert [(m.start, m.end, m.surface) for m in hinted] == [
        (m.start, m.end, m.surface) for m in doc.mentions
    ]


def _resolved(gazetteer: Gazetteer, text: str, surface: str) -> Mention:
    return next(m for m in geoparse(text, gazetteer=gazetteer) if m.surface == surface)


def _place_of(gazetteer: Gazetteer, text: str, surface: str) -> Candidate:
    place = _resolved(gazetteer, text, surface).place
    assert place is not None, f"{surface!r} was not resolved"
    return place


def test_neighbouring_names_support_each_other(gazetteer: Gazetteer) -> None:
    # Alone, "Edmonton" is the Canadian city; beside Enfield and Tottenham it is the
    # north London district, whose readings lie within a few kilometres of each other.
    alone = _resolved(gazetteer, "The council met in Edmonton on Monday.", "Edmonton")
    assert alone.place is not None and alone.place.country == "CA"
    text = (
        "Volunteers cleared a footpath in Edmonton on Saturday. The council in Enfield "
        "paid for the new trees, and a school from Tottenham sent forty pupils."
    )
    together = _resolved(gazetteer, text, "Edmonton")
    assert together.place is not None and together.place.country == "GB"
    assert str(together.decision).startswith("proximity")


def test_a_named_country_keeps_its_famous_city(gazetteer: Gazetteer) -> None:
    text = (
        "LEXINGTON, Ky. - A nurse from Lexington is stranded in France. Her flight "
        "home from Paris was cancelled on Tuesday, her family in Kentucky said."
    )
    paris = _resolved(gazetteer, text, "Paris")
    assert paris.place is not None and paris.place.country == "FR"


def test_a_country_named_just_before_outweighs_the_datelines_state(gazetteer: Gazetteer) -> None:
    text = (
        "WINCHESTER, Ky. - Two teachers from Winchester are on a school trip to France "
        "this week. They were walking near the river in Paris when the sirens started, "
        "they told relatives in Kentucky. Winchester officials sent their wishes."
    )
    paris = _resolved(gazetteer, text, "Paris")
    assert paris.place is not None and paris.place.country == "FR"


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("KY", "Kentucky"),  # a postal code given as a place
        ("Ky", "Kentucky"),  # an abbreviation without its period
        ("North London", "London"),  # a part of a place named after it
        ("Greater Toronto Area", "Toronto"),
        ("Mosul Museum", "Mosul"),  # a facility named after its city
    ],
)
def test_given_spans_fall_back_to_the_place_they_are_built_on(
    gazetteer: Gazetteer, surface: str, name: str
) -> None:
    text = f"Crews were sent to {surface} on Monday."
    (mention,) = geoparse(text, gazetteer=gazetteer, spans=[_span(text, surface)])
    assert mention.place is not None and mention.place.name == name


def test_a_facility_on_no_place_stays_unresolved(gazetteer: Gazetteer) -> None:
    text = "She was taken to University Hospital on Monday."
    (mention,) = geoparse(text, gazetteer=gazetteer, spans=[_span(text, "University Hospital")])
    assert mention.place is None and str(mention.decision) == "no match"


def test_a_county_abbreviated_co_is_placed_in_its_state(gazetteer: Gazetteer) -> None:
    text = "PLYMOUTH CO., Iowa - Deputies searched a farm near Le Mars."
    spans = [_span(text, "PLYMOUTH CO."), _span(text, "Iowa")]
    county, _state = geoparse(text, gazetteer=gazetteer, spans=spans)
    assert county.place is not None and county.place.admin1_code == "US-IA"


@pytest.mark.parametrize(
    ("text", "feature"),
    [
        ("Police in Quebec said the roads were icy.", "admin1"),
        ("The mayor of Quebec City spoke on Monday.", "populated_place"),
        ("Officials in Washington said the talks would resume.", "populated_place"),
        ("Officials in New York said the talks would resume.", "populated_place"),
    ],
)
def test_a_division_of_millions_outranks_a_small_namesake_city(
    gazetteer: Gazetteer, text: str, feature: str
) -> None:
    # Quebec the province has twenty times its capital's people; the District of Columbia
    # and New York City are large beside their states
    (mention,) = [m for m in geoparse(text, gazetteer=gazetteer) if m.kind == "place"]
    assert mention.place is not None
    assert mention.place.feature == feature


@pytest.mark.parametrize(
    ("text", "surface", "admin1_code"),
    [
        ("Clashes broke out in the Anbar province town of Hit.", "Anbar", "IQ-AN"),
        (
            "The fair is held in the Hall County town near his farm in Texas.",
            "Hall County",
            "US-TX",
        ),
    ],
)
def test_generic_words_after_a_name_hint_once(
    gazetteer: Gazetteer, text: str, surface: str, admin1_code: str
) -> None:
    # "province town" is a province's town: the name is looked up as "Anbar province",
    # and "Hall County" already says it is a county
    assert _place_of(gazetteer, text, surface).admin1_code == admin1_code


@pytest.mark.parametrize(
    ("text", "surface", "country"),
    [
        (
            "U.S. officials met in Washington on Monday. The U.S. envoy then flew to Paris.",
            "Paris",
            "FR",
        ),
        ("The U.S. said its envoy would fly to Paris and then to Berlin.", "Berlin", "DE"),
        (
            "Youths broke into homes in Edmonton, police in Cairns said, as crime rose across "
            "Townsville and Queensland.",
            "Edmonton",
            "AU",
        ),
    ],
)
def test_a_countrys_mentions_do_not_shrink_a_world_city(
    gazetteer: Gazetteer, text: str, surface: str, country: str
) -> None:
    # "the U.S." names an actor: Paris stays in France; towns named in Queensland do make
    # Edmonton the Cairns suburb rather than the Canadian city
    assert _place_of(gazetteer, text, surface).country == country


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("The Springfield City Council voted Monday to fix the roads.", ["Springfield"]),
        ("A District Court judge in Austin ruled on Friday.", ["Austin"]),
        ("The Mobile City Council met in Alabama.", ["Mobile", "Alabama"]),
    ],
)
def test_a_generic_word_and_common_words_name_a_body(
    gazetteer: Gazetteer, text: str, places: list[str]
) -> None:
    # "City Council" is not Council, Idaho; the place before it is the council's
    assert _places(gazetteer, text) == places


def test_a_plural_generic_word_after_a_list_says_what_each_name_is(gazetteer: Gazetteer) -> None:
    # "Jefferson and Madison counties" are counties; Watertown and Binghamton put them in
    # New York
    text = (
        "Flooding closed roads in Jefferson and Madison counties on Tuesday, and schools in "
        "Watertown canceled classes, the weather service in Binghamton said."
    )
    for surface in ("Jefferson", "Madison"):
        place = _place_of(gazetteer, text, surface)
        assert (place.name, place.feature, place.admin1_code) == (
            f"{surface} County",
            "admin2",
            "US-NY",
        )

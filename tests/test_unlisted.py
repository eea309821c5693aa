"""Names the gazetteer does not list, placed by what the report says around them.

The texts are original, written for these tests; they use the full index.
"""

from __future__ import annotations

import pytest

from gazetteer import Gazetteer
from geomap.geoparser.parse import geoparse
from geomap.geoparser.resolve import PASSES, PassCounter
from geomap.records import Mention

pytestmark = pytest.mark.slow


def _spans(text: str, *surfaces: str) -> list[tuple[int, int]]:
    out = []
    for surface in surfaces:
        start = text.index(surface)
        out.append((start, start + len(surface)))
    return out


def _given(gazetteer: Gazetteer, text: str, *surfaces: str) -> list[Mention]:
    return geoparse(text, gazetteer=gazetteer, spans=_spans(text, *surfaces))


def test_given_spans_in_any_order_read_their_neighbours(gazetteer: Gazetteer) -> None:
    text = "PARIS, Tenn. - The council met on Monday; the mayor then flew to Lyon."
    surfaces = ("Lyon", "Tenn.", "PARIS")  # not in text order
    paris = _given(gazetteer, text, *surfaces)[2]
    assert paris.place is not None and paris.place.admin1_code == "US-TN"
    assert str(paris.decision).startswith("hierarchy")


def test_a_name_missing_from_its_parent_is_placed_at_the_parent(gazetteer: Gazetteer) -> None:
    # The gazetteer has no Holliday in Missouri, only a Holiday in Florida.
    text = "A grain truck overturned near Holliday, Missouri, on Friday evening."
    counter = PassCounter()
    mentions = geoparse(text, gazetteer=gazetteer, counter=counter)
    holliday = next(m for m in mentions if m.surface == "Holliday")
    assert holliday.place is not None
    assert holliday.place.id == "iso3166-2:US-MO"
    assert str(holliday.decision) == "hierarchy (parent)"
    assert any("not in the gazetteer under Missouri" in w for w in holliday.place.why)
    assert counter["within_parent"] >= 1


def test_a_lowercase_description_is_not_a_place_or_a_parent(gazetteer: Gazetteer) -> None:
    text = "The co-op, based in Linn County in north central Missouri, sells hay."
    surfaces = [m.surface for m in geoparse(text, gazetteer=gazetteer)]
    assert "north central" not in surfaces
    linn = next(m for m in geoparse(text, gazetteer=gazetteer) if m.surface == "Linn County")
    assert linn.place is not None and linn.place.admin1_code == "US-MO"


def test_a_building_is_placed_in_the_town_named_after_it(gazetteer: Gazetteer) -> None:
    text = "The driver was flown to Mercy General Hospital in Columbia, Missouri."
    hospital, _town, _state = _given(
        gazetteer, text, "Mercy General Hospital", "Columbia", "Missouri"
    )
    assert hospital.place is not None
    assert hospital.place.name == "Columbia" and hospital.place.admin1_code == "US-MO"
    assert str(hospital.decision) == "locality (approximate)"
    assert hospital.relation == "in"
    assert hospital.score <= 0.5


def test_a_building_is_placed_in_the_last_town_named_before_it(gazetteer: Gazetteer) -> None:
    text = (
        "Two men were hurt in a crash on the ring road in Winnipeg on Sunday. "
        "Police closed the lanes for hours. Both were taken to Red River Memorial Clinic."
    )
    _city, clinic = _given(gazetteer, text, "Winnipeg", "Red River Memorial Clinic")
    assert clinic.place is not None and clinic.place.name == "Winnipeg"
    assert str(clinic.decision) == "locality (approximate)"


def test_other_unknown_names_need_a_locality_close_by(gazetteer: Gazetteer) -> None:
    close = "Crowds gathered in Lyon, and marchers filled Quai Baldrimont by noon."
    far = (
        "Crowds gathered in Lyon on Saturday. The unions said turnout was high. "
        "Organisers thanked volunteers. Marchers later filled Quai Baldrimont."
    )
    _lyon, quai = _given(gazetteer, close, "Lyon", "Quai Baldrimont")
    assert quai.place is not None and quai.place.name == "Lyon"
    _lyon, quai = _given(gazetteer, far, "Lyon", "Quai Baldrimont")
    assert quai.place is None and str(quai.decision) == "no match"


def test_a_lone_foreign_small_town_yields_to_the_reports_locality(
    gazetteer: Gazetteer,
) -> None:
    # "Haram" is also a town of 9,000 in Norway; nothing else in this report is there.
    text = (
        "Police in Cairo said the protest began in Giza on Friday, near Haram, "
        "before it moved on toward Alexandria."
    )
    mentions = _given(gazetteer, text, "Cairo", "Giza", "Haram", "Alexandria")
    haram = mentions[2]
    assert haram.place is not None and haram.place.country == "EG"
    assert str(haram.decision) == "locality (approximate)"


def test_the_locality_fallback_is_a_named_pass() -> None:
    assert "locality" in PASSES


@pytest.mark.parametrize(
    ("text", "parent", "expected"),
    [  # a North Carolina story datelined WASHINGTON is filed from the capital
        ("WASHINGTON (AP) - Lawmakers from North Carolina asked for aid.", "North Carolina", "DC"),
        (
            "Aid sought\n\nWASHINGTON (AP) - Lawmakers from North Carolina asked.",
            "North Carolina",
            "DC",
        ),
        ("WASHINGTON, N.C. - The town council met on Tuesday.", "N.C.", "NC"),
    ],
)
def test_a_standalone_dateline_is_a_city_that_needs_no_qualifier(
    gazetteer: Gazetteer, text: str, parent: str, expected: str
) -> None:
    washington = _given(gazetteer, text, "WASHINGTON", parent)[0]
    assert washington.place is not None and washington.place.admin1_code == f"US-{expected}"


def test_the_parent_in_a_hierarchy_is_read_as_the_division(gazetteer: Gazetteer) -> None:
    text = "He trained at a clinic in Bronx, New York, before moving south."
    _bronx, new_york = _given(gazetteer, text, "Bronx", "New York")
    assert new_york.place is not None and new_york.place.feature == "admin1"
    listed = "The tour stops in Montreal, Quebec City and Halifax."
    quebec_city = _given(gazetteer, listed, "Montreal", "Quebec City", "Halifax")[1]
    assert quebec_city.place is not None and quebec_city.place.feature == "populated_place"


@pytest.mark.parametrize(
    "text",
    [
        "Talks with the Quebec government resumed, officials in Montreal said.",
        "Quebec Health Minister Ana Roy said clinics in Montreal would stay open.",
    ],
)
def test_a_government_or_minister_after_a_name_points_at_the_division(
    gazetteer: Gazetteer, text: str
) -> None:
    (quebec,) = [m for m in geoparse(text, gazetteer=gazetteer) if m.surface == "Quebec"]
    assert quebec.place is not None and quebec.place.feature == "admin1"


def test_a_generic_word_may_sit_between_a_name_and_its_parent(gazetteer: Gazetteer) -> None:
    text = "Rescuers reached Lixian county in Sichuan province on Saturday."
    lixian, _sichuan = _given(gazetteer, text, "Lixian", "Sichuan")
    assert lixian.place is not None and lixian.place.admin1_code == "CN-SC"


def test_a_building_of_a_city_is_placed_in_that_city(gazetteer: Gazetteer) -> None:
    text = "Pilgrims filled the Greek Orthodox Patriarchate of Alexandria on Sunday."
    church, city = _given(gazetteer, text, "Greek Orthodox Patriarchate", "Alexandria")
    assert city.place is not None and church.place is not None
    assert church.place.id == city.place.id


def test_a_street_is_placed_in_the_last_district_named(gazetteer: Gazetteer) -> None:
    text = (
        "Volunteers in Edmonton and Enfield planted trees on Saturday. The council thanked "
        "them. Next spring they will plant bulbs along the Crescent, organisers said."
    )
    mentions = _given(gazetteer, text, "Edmonton", "Enfield", "Crescent")
    crescent = mentions[2]
    assert crescent.place is not None and crescent.place.country == "GB"
    assert str(crescent.decision) == "locality (approximate)"


def test_later_mentions_follow_a_name_placed_at_its_parent(gazetteer: Gazetteer) -> None:
    text = (
        "A grain truck overturned near Holliday, Missouri, on Friday. "
        "The road into Holliday stayed closed until the evening."
    )
    first, later = [m for m in geoparse(text, gazetteer=gazetteer) if m.surface == "Holliday"]
    assert first.place is not None and later.place is not None
    assert later.place.id == first.place.id == "iso3166-2:US-MO"


def test_names_listed_together_are_alike(gazetteer: Gazetteer) -> None:
    # Alone, in a report about Alberta, "Queensland" could be the Alberta hamlet; listed
    # with two Australian states it is the third.
    text = (
        "Officials in Edmonton and Calgary said Alberta would follow New South Wales, "
        "Western Australia and Queensland, which already run such schemes."
    )
    (queensland,) = [m for m in geoparse(text, gazetteer=gazetteer) if m.surface == "Queensland"]
    assert queensland.place is not None and queensland.place.id == "iso3166-2:AU-QLD"


@pytest.mark.parametrize(
    ("text", "not_a_place"),
    [
        ("The Kentucky Department of Fish and Wildlife closed the lake.", "Fish"),
        ("Prosecutors at the Department of Justice filed the charges.", "Justice"),
        ("Rules issued under the Obama administration were withdrawn.", "Obama"),
    ],
)
def test_portfolios_and_leaders_terms_are_not_places(
    gazetteer: Gazetteer, text: str, not_a_place: str
) -> None:
    assert not_a_place not in [m.surface for m in geoparse(text, gazetteer=gazetteer)]


def test_a_country_after_a_name_and_a_comma_is_not_its_parent(gazetteer: Gazetteer) -> None:
    text = "According to Conrad, South Africa now ships more citrus to Asia."
    conrad = [m for m in geoparse(text, gazetteer=gazetteer) if m.surface == "Conrad"]
    assert all(m.place is None or m.place.country != "ZA" for m in conrad)


def test_news_agencies_named_like_places_are_not_places(gazetteer: Gazetteer) -> None:
    text = (
        "The blast was heard across Shiraz, the state news agency IRNA reported, and "
        "Al-Ahram said the talks in Cairo would go on."
    )
    surfaces = [m.surface for m in geoparse(text, gazetteer=gazetteer)]
    assert "IRNA" not in surfaces and "Al-Ahram" not in surfaces
    assert "Shiraz" in surfaces and "Cairo" in surfaces


def test_a_street_named_after_a_town_is_not_the_town(gazetteer: Gazetteer) -> None:
    text = "Volunteers cleared litter from Hertford Road and Dufferin Street in the morning."
    surfaces = [m.surface for m in geoparse(text, gazetteer=gazetteer)]
    assert "Hertford" not in surfaces and "Dufferin" not in surfaces
    (wall,) = [m for m in geoparse("Shares fell on Wall Street.", gazetteer=gazetteer)]
    assert wall.place is not None and wall.place.id == "overlay:wall-street"


def test_a_persons_first_name_is_not_a_place_nothing_else_supports(
    gazetteer: Gazetteer,
) -> None:
    skater = (
        "RED DEER - Ten-year-old Georgia Mallory won the regional title in Red Deer on "
        "Sunday. Georgia trains in Lacombe before school."
    )
    places = {m.surface for m in geoparse(skater, gazetteer=gazetteer) if m.place}
    assert "Georgia" not in places and "Lacombe" in places
    minister = (
        "Israel Katz said the army would press on in Gaza. Israeli jets struck Rafah "
        "overnight, and Israel said the talks in Cairo would go on."
    )
    places = {m.surface for m in geoparse(minister, gazetteer=gazetteer) if m.place}
    assert "Israel" in places


def test_a_found_name_read_as_a_lone_foreign_village_is_dropped(gazetteer: Gazetteer) -> None:
    text = (
        "The dossier was written in London by a former officer whose firm, Orbis Business "
        "Intelligence, had worked for clients in Washington and Moscow."
    )
    surfaces = {m.surface for m in geoparse(text, gazetteer=gazetteer)}
    assert "Orbis" not in surfaces
    assert {"London", "Washington", "Moscow"} <= surfaces
    cued = "Aid reached families in Orbis after trucks left London, Washington and Moscow."
    assert "Orbis" in {m.surface for m in geoparse(cued, gazetteer=gazetteer)}


def test_a_found_name_read_as_a_small_foreign_division_is_dropped(gazetteer: Gazetteer) -> None:
    # "Paul" is also a municipality of Cape Verde, a first-level division there.
    text = (
        "Worshippers filled the church of St. Peter and St. Paul in Cairo after prayers "
        "in Alexandria."
    )
    surfaces = {m.surface for m in geoparse(text, gazetteer=gazetteer)}
    assert surfaces == {"Cairo", "Alexandria"}

"""Incidents placed where the report says, on the full gazetteer: issue 21's items 2 to 5.

Each report is a sentence of our own, for Iraq, Syria, Yemen and Ukraine: a finer name
under its named parent, a possessive parent, a part of a city, a reference point.
"""

from __future__ import annotations

import pytest
from geopy.distance import great_circle

from gazetteer import Gazetteer
from geomap import Incident, Report, incidents_from_reports

pytestmark = pytest.mark.slow


def _one(gazetteer: Gazetteer, text: str) -> Incident:
    report = Report(id="r", text=text, published=None)
    (incident,) = incidents_from_reports([report], gazetteer=gazetteer)
    return incident


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(great_circle(a, b).km)


def _at(i: Incident) -> tuple[float, float]:
    assert i.latitude is not None and i.longitude is not None
    return i.latitude, i.longitude


BAGHDAD = (33.34, 44.40)
MOSUL = (36.34, 43.12)
ALEPPO = (36.20, 37.16)
KHARKIV = (49.98, 36.25)


# ---------------------------------------------------------- 2. a finer name under its parent


@pytest.mark.parametrize(
    ("text", "name", "country", "code", "precision"),
    [
        (
            "Gunmen killed two farmers in Zawiyat Hamdi, Salah ad Din governorate, Iraq.",
            "Zawiyat Hamdi",
            "IQ",
            "IQ-SD",
            3,
        ),
        (
            "Shelling killed three civilians in Tell Zaghrub, Idlib governorate, Syria.",
            "Tell Zaghrub",
            "SY",
            "SY-ID",
            3,
        ),
        (
            "An airstrike killed four people in Bayt Qasim, Taiz governorate.",
            "Bayt Qasim",
            "YE",
            "YE-TA",
            3,
        ),
        # a district the gazetteer lacks, before its province
        (
            "Assailants fired mortars at homes in Al-Dhuluiya district, Salah ad Din governorate.",
            "Al-Dhuluiya",
            "IQ",
            "IQ-SD",
            3,
        ),
        # a division as event coders spell it (gazetteer/data/aliases.csv)
        (
            "On 19 March 2017, militants attacked a base in Leego, Lower Shabelle.",
            "Leego",
            "SO",
            "SO-SH",
            3,
        ),
        # conflict notes: a name whose first word is a place elsewhere, a bracketed parent
        (
            "On 3 February 2021, militants clashed with police near Qara Tapa, Diyala.",
            "Qara Tapa",
            "IQ",
            "IQ-DI",
            3,
        ),
        (
            "On 8 August 2019, a mine exploded in Wadi al-Shay (Kirkuk), killing two.",
            "Wadi al-Shay",
            "IQ",
            "IQ-KI",
            2,
        ),
        (
            "On 15 June 2019, militants attacked army positions in Mutaibija area "
            "(Samarra, Salah al-Din), killing three.",
            "Mutaibija",
            "IQ",
            "IQ-SD",
            2,
        ),
        (
            "On 2 March 2020, an airstrike hit Tell Sukkar village, Hama governorate.",
            "Tell Sukkar",
            "SY",
            "SY-HM",
            3,
        ),
    ],
)
def test_an_unknown_name_goes_to_its_named_parent(
    gazetteer: Gazetteer, text: str, name: str, country: str, code: str, precision: int
) -> None:
    i = _one(gazetteer, text)
    assert (i.location, i.country, i.admin1_code, i.geo_precision) == (
        name,
        country,
        code,
        precision,
    )
    assert i.relation.startswith("in ")


def test_an_unknown_name_is_listed_unresolved(gazetteer: Gazetteer) -> None:
    from geomap import incidents_with_summary

    report = Report(id="r", text="Shelling killed three civilians in Tell Zaghrub, Idlib.")
    summary = incidents_with_summary([report], gazetteer=gazetteer).summary
    assert ("Tell Zaghrub", 1) in summary.unresolved_places


def test_a_foreign_namesake_yields_to_the_named_country(gazetteer: Gazetteer) -> None:
    # the gazetteer's Shaab is in Israel; the report puts it in Baghdad
    i = _one(gazetteer, "A mortar round hit the Shaab district of Baghdad, killing two.")
    assert i.country == "IQ" and _km(_at(i), BAGHDAD) < 15
    assert i.location == "Shaab"


# ---------------------------------------------------------- 3. a known place linked


@pytest.mark.parametrize(
    ("text", "country", "code"),
    [
        ("A car bomb killed ten people in Iraq's Fallujah.", "IQ", "IQ-AN"),
        ("A drone struck a car in Yemen's Marib, killing two.", "YE", "YE-MA"),
        ("A missile hit a school in Ukraine's Kharkiv, killing one.", "UA", "UA-63"),
    ],
)
def test_a_possessive_parent_does_not_take_the_place(
    gazetteer: Gazetteer, text: str, country: str, code: str
) -> None:
    i = _one(gazetteer, text)
    assert (i.country, i.admin1_code) == (country, code)
    assert i.geo_precision <= 3 and i.location not in ("Iraq", "Yemen", "Ukraine")


def test_a_town_with_its_governorate_is_the_town(gazetteer: Gazetteer) -> None:
    i = _one(gazetteer, "A roadside bomb exploded in Fallujah city, Al Anbar governorate, Iraq.")
    assert i.geo_precision == 1 and i.admin1_code == "IQ-AN"


# ---------------------------------------------------------- 4. parts of cities


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("Militants attacked a checkpoint in the Old City of Mosul, killing one.", MOSUL),
        ("Shelling hit the Old City of Aleppo, killing two.", ALEPPO),
        ("Gunmen shot dead a teacher in eastern Mosul.", MOSUL),
        ("A mortar hit a market in Mosul's Old City, killing two.", MOSUL),
    ],
)
def test_a_part_of_a_city_is_the_city_never_a_namesake(
    gazetteer: Gazetteer, text: str, city: tuple[float, float]
) -> None:
    i = _one(gazetteer, text)  # the quarter where the overlay lists it, else the city
    assert _km(_at(i), city) < 15 and i.geo_precision <= 2


# ---------------------------------------------------------- 5. reference points


def test_a_distance_and_bearing_offset_the_point(gazetteer: Gazetteer) -> None:
    i = _one(gazetteer, "A bomb exploded 30 km north of Baghdad, killing four soldiers.")
    assert 25 < _km(_at(i), BAGHDAD) < 35 and _at(i)[0] > BAGHDAD[0]
    assert i.geo_precision == 2 and i.relation == "30 km north of"


def test_a_distance_in_syria(gazetteer: Gazetteer) -> None:
    i = _one(gazetteer, "A car bomb exploded 20 km east of Deir ez-Zor, killing three.")
    assert i.country == "SY" and i.geo_precision == 2 and i.relation == "20 km east of"


def test_between_two_towns_is_midway(gazetteer: Gazetteer) -> None:
    i = _one(gazetteer, "Shelling on the road between Bakhmut and Kramatorsk killed two soldiers.")
    assert i.country == "UA" and i.geo_precision == 2
    assert i.relation.startswith("between Bakhmut and ")
    assert 15 < _km(_at(i), (48.59, 38.00)) < 30  # about midway: Bakhmut to Kramatorsk is 40 km


@pytest.mark.parametrize(
    "text",
    [
        "An airstrike hit a village in Soran, Erbil, killing a shepherd.",
        "An airstrike hit Sirwah district, Marib governorate, killing four.",
        "Clashes broke out near Kharkiv, killing two.",
    ],
)
def test_somewhere_around_a_town_is_precision_two(gazetteer: Gazetteer, text: str) -> None:
    assert _one(gazetteer, text).geo_precision == 2


# ---------------------------------------------------------- conflict notes: unknown names


def test_a_square_of_a_named_city_is_in_that_city(gazetteer: Gazetteer) -> None:
    # the gazetteer's Tahrir Square is Cairo's; the note puts this one in Baghdad
    text = "On 21 January 2020, police fired tear gas at protesters in Tahrir Square, Baghdad."
    i = _one(gazetteer, text)
    assert i.country == "IQ" and _km(_at(i), BAGHDAD) < 15


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Two fighters were killed in a US airstrike in Wadi al-Shay (Kirkuk).", "IQ"),
        ("A car bomb killed five people in the Iraqi town of Khalis.", "IQ"),
        ("A car bomb kills five in Iraq town of Khalis", "IQ"),
        ("A commander was reportedly killed in Iraq Mosul", "IQ"),
        ("Protesters stormed the party headquarters in Sulaymaniyah and set it ablaze.", "IQ"),
        # a common English word ("palmyra", a palm) that is the curated name of the town
        ("Heavy fighting in Palmyra killed five soldiers.", "SY"),
        ("Government troops retake Palmyra from militants", "SY"),
        ("Rebels seize the IS-held town of Tadmur", "SY"),
    ],
)
def test_the_finer_place_is_the_event_s(gazetteer: Gazetteer, text: str, country: str) -> None:
    i = _one(gazetteer, text)
    assert i.country == country and i.geo_precision <= 2, (i.location, i.geo_precision)


def test_a_country_in_a_list_of_cities_is_no_parent(gazetteer: Gazetteer) -> None:
    i = _one(gazetteer, "A missile was fired at Basra, a southern city of Iraq.")
    assert i.location != "Iraq" and i.geo_precision == 1


@pytest.mark.parametrize(
    ("text", "country", "code", "precision"),
    [
        # a town and the region named after it: the town
        ("Assailants set fire to a school in Gao, Gao region, Mali.", "ML", "ML-7", 1),
        # a bare name shared by a city and its governorate: the city
        ("On 23 June 2019, soldiers demolished a house in Hebron.", "PS", None, 1),
        # an armed group tied to one country points at it: Yemen's Al Bayda, not Libya's
        ("On 27 June 2019, a drone strike targeted AQAP militants in Al Bayda.", "YE", None, None),
        ("On 12 June 2019, Houthi forces shelled Al Bayda, killing a child.", "YE", None, None),
        # a common word that is a town's own name but for its article: Al-Karmah
        ("On 5 May 2021, gunmen killed a man in Karma.", "IQ", "IQ-AN", 1),
        # people taken "from" a town were taken there (not a strike's origin)
        (
            "Assailants abducted 20 civilians from Hawijah town, Kirkuk governorate.",
            "IQ",
            "IQ-KI",
            1,
        ),
        # "Samarra province": the Iraqi town spelled so, not Samara in Russia
        ("Explosive devices detonated in Samarra province, killing 3 soldiers.", "IQ", "IQ-SD", 1),
        # a town of unknown size, not the listed airport or camp named after it
        ("On 14 October 2020, a mortar shell hit a house in Tal Afar.", "IQ", "IQ-NI", 1),
        ("On 16 October 2020, a landmine exploded in Makhmour, killing one.", "IQ", "IQ-AR", 1),
    ],
)
def test_a_town_its_division_and_its_country(
    gazetteer: Gazetteer, text: str, country: str, code: str | None, precision: int | None
) -> None:
    i = _one(gazetteer, text)
    assert i.country == country, (i.location, i.country)
    if code is not None:
        assert i.admin1_code == code
    if precision is not None:
        assert i.geo_precision == precision


def test_an_unknown_name_before_a_direction_and_its_parent(gazetteer: Gazetteer) -> None:
    i = _one(
        gazetteer, "Rebels and soldiers clashed near Kafr Nabudah, northern Hama, killing six."
    )
    assert i.location == "Kafr Nabudah" and i.country == "SY" and i.geo_precision >= 2


@pytest.mark.parametrize(
    "text",
    [
        "Militants kill Iraqi troops near Syria border - report",
        "A drone struck a convoy near the Turkey border, killing two.",
    ],
)
def test_a_border_is_a_reference_not_the_country(gazetteer: Gazetteer, text: str) -> None:
    i = _one(gazetteer, text)
    assert i.country not in ("SY", "TR"), (i.location, i.country)


def test_an_inner_apostrophe_belongs_to_the_name() -> None:
    from geomap.geoparser.text import tokenize

    words = [t.value for t in tokenize("Samarr'a, Sana'a and Ma’rib; Iraq's and Syria’s.")]
    assert words == ["Samarr'a", "Sana'a", "and", "Ma’rib", "Iraq", "s", "and", "Syria", "s"]


def test_a_town_spelled_with_an_apostrophe_is_not_a_namesake(gazetteer: Gazetteer) -> None:
    # "Samarr" alone reads as Samara, Russia
    i = _one(gazetteer, "Iraqi army says more than 70 militants killed Samarr'a")
    assert i.country == "IQ" and i.admin1_code == "IQ-SD"


def test_a_chain_of_parents_holds_a_name_known_abroad(gazetteer: Gazetteer) -> None:
    # Bonn is "Boni" in some language; two parents in Mali say where this Boni is
    i = _one(gazetteer, "Militants ambushed a convoy near Boni, Douentza cercle, Mopti, killing 3.")
    assert (i.location, i.country, i.geo_precision) == ("Boni", "ML", 2)


def test_a_mountain_range_fighting_is_placed_in_it(gazetteer: Gazetteer) -> None:
    i = _one(
        gazetteer,
        "On 13 March 2021, soldiers and militants exchanged fire in the Hamrin mountains.",
    )
    assert (i.location, i.country, i.geo_precision) == ("Hamrin Mountains", "IQ", 2)


def test_an_unknown_part_of_a_city_is_the_city_at_precision_one(gazetteer: Gazetteer) -> None:
    i = _one(gazetteer, "On 3 May 2021, a sticky bomb exploded in Zayouna, Baghdad.")
    assert (i.location, i.geo_precision) == ("Zayouna", 1) and _km(_at(i), BAGHDAD) < 15


def test_a_neighbourhood_named_like_a_province_is_in_its_city(gazetteer: Gazetteer) -> None:
    # Salah al-Din is also an Iraqi province; "of Aleppo" makes it a part of Aleppo
    i = _one(gazetteer, "On 8 May 2021, shelling hit the Salah al-Din neighbourhood of Aleppo.")
    assert i.country == "SY" and _km(_at(i), ALEPPO) < 15


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("On 1 February 2021, police fired on protesters in Mandalay (Mandalay).", (21.97, 96.08)),
        ("On 2 May 2022, gunmen killed two traders in Gao (Gao).", (16.27, -0.04)),
    ],
)
def test_a_town_and_its_namesake_division_in_brackets(
    gazetteer: Gazetteer, text: str, point: tuple[float, float]
) -> None:
    # the bracket is the coder's division: the town is in it, not the division itself
    i = _one(gazetteer, text)
    assert i.geo_precision == 1 and _km(_at(i), point) < 10, (i.location, _at(i))


def test_the_town_of_a_building_hit_is_the_place(gazetteer: Gazetteer) -> None:
    i = _one(gazetteer, "On 19 March 2021, a rocket landed near the US embassy in Baghdad.")
    assert i.country == "IQ" and _km(_at(i), BAGHDAD) < 15, i.location


def test_a_name_abroad_with_a_bracketed_namesake_division(gazetteer: Gazetteer) -> None:
    # Pale is a Bosnian town; "(Sagaing)" is Myanmar's region, not only Sagaing town
    i = _one(gazetteer, "On 3 May 2022, soldiers burned houses in Pale township (Sagaing).")
    assert (i.country, i.geo_precision) == ("MM", 3), (i.location, i.country)


def test_a_division_known_by_its_seat_holds_a_name_from_another_state(
    gazetteer: Gazetteer,
) -> None:
    # Kukawa is a town of Borno; the village is in Bassa LGA, Plateau, known by its seat
    i = _one(
        gazetteer,
        "On 3 May 2021, gunmen attacked Kukawa village in Bassa LGA (Plateau), killing 7.",
    )
    assert i.geo_precision == 2 and _km(_at(i), (9.94, 8.74)) < 30, (i.location, _at(i))


@pytest.mark.parametrize(
    "text",
    [
        "Troops retook Hit on Sunday after a week of fighting.",
        "Heavy fighting raged in IS-held Hit on Sunday.",
        "Militants pounded Hit with mortars on Sunday.",
    ],
)
def test_a_town_named_like_a_word_after_held_or_a_verb_of_taking(
    gazetteer: Gazetteer, text: str
) -> None:
    i = _one(gazetteer, text)
    assert i.country == "IQ" and _km(_at(i), (33.64, 42.83)) < 10, (i.location, text)


DONETSK = (48.02, 37.80)


@pytest.mark.parametrize(
    "text",
    [
        "On 4 March 2022, Russian forces shelled Donetsk, killing two civilians.",
        "Russian troops attacked Donetsk overnight, killing three civilians.",
    ],
)
def test_an_attacker_s_nation_does_not_move_the_city_abroad(
    gazetteer: Gazetteer, text: str
) -> None:
    # Donetsk is also a Russian town of 50,000; "Russian forces" says who, not where
    i = _one(gazetteer, text)
    assert i.country == "UA" and _km(_at(i), DONETSK) < 10, (i.location, i.country)


@pytest.mark.parametrize(
    "text",
    [
        "On 4 March 2022, Russian strikes hit Donetsk region, killing two civilians.",
        "On 4 March 2022, shelling in Kherson Oblast killed two civilians.",
    ],
)
def test_an_oblast_named_with_its_word_is_the_oblast(gazetteer: Gazetteer, text: str) -> None:
    i = _one(gazetteer, text)
    assert (i.country, i.geo_precision) == ("UA", 3), (i.location, i.country)


def test_a_home_namesake_of_some_size_still_takes_the_name(gazetteer: Gazetteer) -> None:
    # Tripoli, Lebanon (230,000) in a report about Lebanon, not the Libyan capital
    i = _one(gazetteer, "On 4 March 2022, two Lebanese soldiers were killed in Tripoli.")
    assert i.country == "LB", i.location


def test_a_town_its_data_files_elsewhere_is_in_its_namesake_division(
    gazetteer: Gazetteer,
) -> None:
    # GeoNames files the town of Jenin under another governorate
    i = _one(gazetteer, "On 4 March 2022, Israeli forces raided Jenin (Jenin, West Bank).")
    assert (i.country, i.geo_precision) == ("PS", 1) and _km(_at(i), (32.46, 35.30)) < 5


def test_a_raid_condemned_elsewhere_is_the_strike_told_before(gazetteer: Gazetteer) -> None:
    report = Report(
        id="r",
        text="On 19 March 2021, a drone strike hit a base near Hit, killing two fighters. "
        "Officials in Baghdad condemned the raid as a violation of sovereignty.",
        published=None,
    )
    (incident,) = incidents_from_reports([report], gazetteer=gazetteer)
    assert incident.sub_event_type == "Air/drone strike"


def test_a_village_with_a_namesake_town_elsewhere_in_the_country(gazetteer: Gazetteer) -> None:
    # Tahoua is a city of another region; the bracket names Tillaberi region
    i = _one(
        gazetteer, "On 18 June 2020, militants attacked Tahoua village (Tillaberi), killing 7."
    )
    assert (i.country, i.geo_precision) == ("NE", 3) and _km(_at(i), (14.89, 5.27)) > 200


def test_an_unknown_village_under_a_district_and_its_governorate(gazetteer: Gazetteer) -> None:
    # "Idleb" is the governorate here: the district's parent, not Idlib city
    i = _one(
        gazetteer,
        "On 7 June 2020, warplanes struck the outskirts of Kabani (Jisr-Ash-Shugur, Idleb).",
    )
    assert i.location == "Kabani" and i.geo_precision == 2
    assert _km(_at(i), (35.86, 36.32)) < 25, i.relation


@pytest.mark.parametrize(
    "text",
    [
        "Explosion at Kabul airport kills 13 people",  # not Kabul, a town in Israel
        "Explosion at Kabul airport kills 13 US troops",  # nor Cabool, Missouri
    ],
)
def test_a_site_named_with_its_kind_is_that_site(gazetteer: Gazetteer, text: str) -> None:
    i = _one(gazetteer, text)
    assert i.country == "AF" and _km(_at(i), (34.57, 69.21)) < 5, (i.location, i.country)


def test_a_name_with_an_inner_possessive_is_one_name(gazetteer: Gazetteer) -> None:
    i = _one(gazetteer, "On 6 May 2022, armed groups clashed in Ukhia (Cox's Bazar, Chittagong).")
    assert (i.country, i.geo_precision) == ("BD", 2) and _km(_at(i), (21.44, 92.01)) < 5


def test_a_state_named_without_its_word(gazetteer: Gazetteer) -> None:
    i = _one(
        gazetteer, "On 10 May 2022, raiders attacked a village in Pibor (Jonglei), killing 12."
    )
    assert (i.country, i.geo_precision) == ("SS", 3), i.location


@pytest.mark.parametrize(
    "text",
    [
        "On 12 May 2021, a clash killed 5 militants and a soldier in Wadi al-Shay.",
        "On 12 May 2021, militants attacked a patrol in Wadi Hauran.",
    ],
)
def test_a_valley_the_gazetteer_lacks_is_not_a_namesake_town(
    gazetteer: Gazetteer, text: str
) -> None:
    # Wadi is a town in India; the valleys are in Iraq and the gazetteer lacks them
    i = _one(gazetteer, text)
    assert i.country != "IN", (i.location, i.country)


def test_a_country_named_stays_that_country_in_a_report_about_another(
    gazetteer: Gazetteer,
) -> None:
    # GeoNames lists "Iraq" among the names of Arak, a city of Iran
    i = _one(
        gazetteer,
        "On 8 September 2018, Iran's army said its rockets hit Kurdish offices in Iraq. "
        "Iran's president spoke of the army in a speech in Tehran.",
    )
    assert i.country == "IQ", (i.location, i.country)


def test_a_road_named_by_two_towns_is_a_reference(gazetteer: Gazetteer) -> None:
    i = _one(
        gazetteer,
        "On 10 May 2021, an IED hit a convoy on the Baghdad-Basra highway near Diwaniyah.",
    )
    assert i.geo_precision == 2 and _km(_at(i), (31.99, 44.93)) < 10, i.location
    only = _one(gazetteer, "On 9 May 2021, militants attacked positions on the Kirkuk-Erbil road.")
    assert (only.location, only.geo_precision) == ("Kirkuk", 2)


@pytest.mark.parametrize(
    ("text", "point", "precision"),
    [
        ("On 3 May 2021, a car bomb exploded in the Iraqi capital, killing 5.", BAGHDAD, 1),
        (
            "On 3 May 2021, gunmen killed two soldiers north of the Syrian capital.",
            (33.51, 36.29),
            2,
        ),
    ],
)
def test_a_country_s_capital_named_by_its_demonym(
    gazetteer: Gazetteer, text: str, point: tuple[float, float], precision: int
) -> None:
    i = _one(gazetteer, text)
    assert i.geo_precision == precision and _km(_at(i), point) < 15, (i.location, _at(i))


def test_the_capital_of_a_country(gazetteer: Gazetteer) -> None:
    capital = gazetteer.capital("iq")
    assert capital is not None and capital.name == "Baghdad"
    assert gazetteer.capital("XX") is None


def test_a_pile_of_reports_about_one_country_lends_it_to_the_silent_ones(
    gazetteer: Gazetteer,
) -> None:
    from datetime import date

    from geomap import incidents_with_summary

    about_iraq = [
        "Gunmen killed two farmers in Baqubah, Diyala province, on Monday.",
        "A roadside bomb hit an army patrol near Tikrit, Salah al-Din, on Monday.",
        "Iraqi forces clashed with militants in Hawija district, Kirkuk, on Monday.",
        "A rocket struck near Baghdad airport in Iraq on Monday.",
        "Two soldiers were killed in an attack in Anbar province on Monday.",
    ]
    silent = "Militants attacked a checkpoint in Iskandariya on Monday, killing three policemen."
    reports = [
        Report(id=f"r{k}", text=t, published=date(2021, 5, 5))
        for k, t in enumerate([*about_iraq, silent])
    ]
    run = incidents_with_summary(reports, gazetteer=gazetteer)
    assert (run.summary.country_focus, run.summary.reports_focused) == ("IQ", 1)
    (alone,) = [i for i in run.incidents if i.report_id == "r5"]
    assert alone.country == "IQ", alone.location  # not Alexandria, Egypt
    off = incidents_with_summary(reports, gazetteer=gazetteer, run_focus=False)
    assert [i.country for i in off.incidents if i.report_id == "r5"] == ["EG"]
    few = incidents_with_summary(reports[3:], gazetteer=gazetteer)  # too few to tell
    assert few.summary.country_focus == ""


def test_a_town_by_its_division_s_point_is_in_it(gazetteer: Gazetteer) -> None:
    # GeoNames files Beit Lahia under another governorate; it lies 3 km from North Gaza's point
    i = _one(
        gazetteer,
        "On 2 March 2019, a drone struck a motorcycle in Beit Lahia (North Gaza), killing 2.",
    )
    assert i.geo_precision == 1 and _km(_at(i), (31.55, 34.50)) < 3, (i.location, i.relation)


def test_a_parent_named_in_two_countries_is_the_one_the_actors_point_at(
    gazetteer: Gazetteer,
) -> None:
    # Al Jawf is a Saudi province and a Yemeni governorate; Houthi forces fight in Yemen
    i = _one(
        gazetteer, "On 5 March 2021, Houthi forces shelled Khab wa Ash Shaf district (Al Jawf)."
    )
    assert (i.country, i.geo_precision) == ("YE", 3), (i.location, i.country)

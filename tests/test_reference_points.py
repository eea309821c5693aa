"""GeoNames' country points (``gazetteer/data/country_points.csv``) and US county points.

A country's or a county's point is a convention; these tests check that the shipped
country table is well formed and plausible (every point inside its own country), that the
index uses it, and that US counties are places of their own near their seats.
"""

from __future__ import annotations

import csv

import pycountry
import pytest
from geopy.distance import geodesic

from gazetteer import Gazetteer
from gazetteer.sources import country_points, country_points_path
from geomap.exporters.bounds import country_boxes
from geomap.geoparser.parse import geoparse


def test_country_table_is_well_formed() -> None:
    with country_points_path().open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 190
    assert len({r["iso2"] for r in rows}) == len(rows), "one row per country"
    for r in rows:
        assert pycountry.countries.get(alpha_2=r["iso2"]) is not None or r["iso2"] == "XK", r
    points = country_points()
    assert points["CA"] == (60.10867, -113.64258)  # GeoNames' Canada, not a centroid
    assert points["US"] == (39.76, -98.5)


def test_every_country_point_is_inside_its_country() -> None:
    boxes = country_boxes()
    for code, (lat, lon) in country_points().items():
        assert -90 <= lat <= 90 and -180 <= lon <= 180, code
        if code in boxes:
            assert any(b.contains(lat, lon) for b in boxes[code]), (code, lat, lon)


@pytest.mark.slow
def test_the_index_places_countries_at_their_reference_points(gazetteer: Gazetteer) -> None:
    canada = gazetteer.get("iso3166-1:CA")
    assert canada is not None and (canada.lat, canada.lon) == (60.10867, -113.64258)
    assert gazetteer.attribution_of(["iso3166-1:CA"]) == [
        "countrystatecity-countries, ODbL 1.0",
        "GeoNames (www.geonames.org), CC BY 4.0",
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "county", "near"),
    [
        ("Deputies in Plymouth County, Iowa, closed the road.", "Plymouth County", (42.79, -96.17)),
        ("A fire in Caddo Parish was contained.", "Caddo Parish", (32.58, -93.88)),
        (
            "Flooding hit Hall County overnight, officials in Georgia said.",
            "Hall County",
            (34.3, -83.8),
        ),
        ("The storm reached Los Angeles County on Monday.", "Los Angeles County", (34.05, -118.24)),
    ],
)
def test_us_counties_are_places(
    gazetteer: Gazetteer, text: str, county: str, near: tuple[float, float]
) -> None:
    (m,) = [m for m in geoparse(text, gazetteer=gazetteer) if m.surface == county]
    assert m.place is not None and m.place.feature == "admin2" and m.place.name == county
    assert geodesic((m.place.lat, m.place.lon), near).km < 60


@pytest.mark.slow
def test_a_town_named_like_a_county_stays_the_town(gazetteer: Gazetteer) -> None:
    (m,) = [
        m
        for m in geoparse("Residents of Plymouth, Massachusetts, gathered.", gazetteer=gazetteer)
        if m.surface == "Plymouth"
    ]
    assert m.place is not None and m.place.feature == "populated_place"


@pytest.mark.slow
@pytest.mark.parametrize(("division", "city"), [("US-NY", "geonames:5128581"), ("BR-SP", None)])
def test_a_division_is_not_left_on_its_namesake_city(
    gazetteer: Gazetteer, division: str, city: str | None
) -> None:
    # The division list put New York state on Manhattan and São Paulo state on the city.
    place = gazetteer.get(f"iso3166-2:{division}")
    assert place is not None
    namesake = gazetteer.get(city) if city else None
    if namesake is None:
        namesake = next(
            c for c in gazetteer.lookup(place.name, limit=10) if c.feature == "populated_place"
        )
    assert geodesic((place.lat, place.lon), (namesake.lat, namesake.lon)).km > 50
    assert place.population > 1_000_000  # the people of its towns


@pytest.mark.slow
def test_a_municipality_named_like_a_state_ranks_below_the_state(gazetteer: Gazetteer) -> None:
    # Puerto Rico's municipalities are its first-level divisions; one is called Florida.
    divisions = [c for c in gazetteer.lookup("Florida", limit=10) if c.feature == "admin1"]
    assert divisions[0].id == "iso3166-2:US-FL"
    florida_pr = next(c for c in divisions if c.country == "PR")
    assert florida_pr.score < divisions[0].score

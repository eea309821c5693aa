"""The world regions, seas and straits shipped in ``gazetteer/data/regions.csv``."""

from __future__ import annotations

import pytest

from gazetteer import Gazetteer
from gazetteer.build import regions_path
from gazetteer.places_file import read_places_file
from geomap.geoparser.parse import geoparse

ROWS = read_places_file(regions_path(), namespace="overlay")


def test_every_row_is_a_region_or_natural_feature_of_no_single_country() -> None:
    assert len(ROWS) >= 30
    for row in ROWS:
        place = row.place
        assert place is not None, f"line {row.line} adds names to {row.merge_into}"
        assert place.feature in ("region", "natural"), place
        assert place.country == "", place
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
        assert place.source, f"{place.name} says nothing of where its point comes from"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Middle East", "overlay:middle-east"),  # not the hamlet of that name in the US
        ("Red Sea", "overlay:red-sea"),  # the sea before Egypt's and Sudan's governorates
        ("North Africa", "overlay:north-africa"),  # not North America by a letter's change
        ("Maghreb", "overlay:maghreb"),  # not Ma'rib by a fuzzy match
        ("Newfoundland", "iso3166-2:CA-NL"),
    ],
)
def test_region_names_resolve_to_the_region(gazetteer: Gazetteer, name: str, expected: str) -> None:
    assert gazetteer.lookup(name, limit=1)[0].id == expected


@pytest.mark.slow
def test_regions_in_a_report(gazetteer: Gazetteer) -> None:
    text = (
        "Two missiles were fired at a cargo ship in the Red Sea on Monday, the latest "
        "attack on shipping since the fighting in the Middle East spread to the Persian Gulf."
    )
    found = {m.surface: m.place.id for m in geoparse(text, gazetteer=gazetteer) if m.place}
    assert found == {
        "Red Sea": "overlay:red-sea",
        "Middle East": "overlay:middle-east",
        "Persian Gulf": "overlay:persian-gulf",
    }

"""Incidents from text, on the full gazetteer: the shared reports and our own examples.

The shared reports (``../shared/reports``, beside the checkout) are read where they are
and never copied; their tests are skipped when the folder is absent. The examples in
``examples/reports`` are ours and are checked field by field.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from gazetteer import Gazetteer
from geomap import (
    Incident,
    incidents_from_reports,
    incidents_with_summary,
    read_reports,
    to_geodataframe,
)
from geomap.frame import SCHEMA

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "reports"
SHARED = ROOT.parent / "shared" / "reports"
SHARED_ORIGINAL = SHARED / "000_c50da1745df50ef1.txt"
SHARED_STATEMENT = SHARED / "003_051bb9a1d1dcb7e5.txt"


@pytest.fixture(scope="session")
def full_gazetteer() -> Iterator[Gazetteer]:
    """The full index for the installed sources, built once if needed."""
    with Gazetteer.open() as gaz:
        yield gaz


@pytest.fixture(scope="session")
def shared(full_gazetteer: Gazetteer) -> list[Incident]:
    if not SHARED_ORIGINAL.exists() or not SHARED_STATEMENT.exists():
        pytest.skip("the shared reports are not beside this checkout")
    return incidents_from_reports(
        read_reports([SHARED_ORIGINAL, SHARED_STATEMENT]), gazetteer=full_gazetteer
    )


@pytest.fixture(scope="session")
def examples(full_gazetteer: Gazetteer) -> list[Incident]:
    return incidents_from_reports(read_reports([EXAMPLES]), gazetteer=full_gazetteer)


def _one(incidents: list[Incident], **fields: object) -> Incident:
    found = [i for i in incidents if all(getattr(i, k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, incidents)
    return found[0]


# -- the shared reports -----------------------------------------------------------------


def test_shared_babel_drone_strike(shared: list[Incident]) -> None:
    i = _one(shared, sub_event_type="Air/drone strike")
    assert i.event_type == "Explosions/Remote violence"
    assert i.label == "drone strike"
    assert i.admin1_code == "IQ-BB"  # Babel province
    assert i.geo_precision == 3
    assert i.date_phrase == "on July 30"
    assert i.event_date is None  # no published date: the year is unknown, and it says so
    assert "no published date" in i.date_note
    assert (i.killed, i.killed_at_least) == (4, True)
    assert i.actor1 == "U.S."
    assert "Popular Mobilization Forces" in i.actor2
    assert "Babel province" in i.quote


def test_shared_ain_al_asad_claimed(shared: list[Incident]) -> None:
    i = _one(shared, report_id="000_c50da1745df50ef1", place_id="overlay:ain-al-asad-air-base")
    assert i.label == "rocket attack"
    assert i.sub_event_type == "Shelling/artillery/missile attack"
    assert i.geo_precision == 1
    assert (i.injured, i.injured_at_least) == (5, True)
    assert i.actor1 == "The Revolutionaries"
    assert i.date_phrase == "Less than a week later"
    assert i.event_date is None
    assert "unresolved" in i.date_note


def test_shared_ain_al_asad_no_injuries(shared: list[Incident]) -> None:
    i = _one(shared, report_id="003_051bb9a1d1dcb7e5", place_id="overlay:ain-al-asad-air-base")
    assert i.label == "rocket attack"
    assert i.injured == 0 and not i.injured_at_least  # "No injuries reported."
    assert i.killed is None
    assert i.date_phrase.startswith("Within hours after the statement")


def test_shared_basra_convoy(shared: list[Incident]) -> None:
    i = _one(shared, label="missile attack")
    assert i.location == "Basrah" and i.country == "IQ" and i.admin1_code == "IQ-BA"
    assert "convoy" in i.actor2.lower()
    assert i.date_phrase == "in early hours of Monday"


def test_shared_four_more_attacks_unplaced(shared: list[Incident]) -> None:
    i = _one(shared, events=4)
    assert i.location == "" and i.latitude is None and not i.mappable
    assert "four more attacks" in i.quote


def test_shared_not_incident_locations(shared: list[Incident]) -> None:
    places = {i.location for i in shared} | {i.admin1 for i in shared if i.geo_precision >= 3}
    for name in ("Baghdad", "Washington", "Al Anbar", "Anbar", "Kurdistan Region", "Iraq"):
        assert name not in places
    assert len(shared) == 5


# -- our examples, field by field -------------------------------------------------------


def test_example_babil_merged_from_two_outlets(examples: list[Incident]) -> None:
    i = _one(examples, place_id="overlay:jurf-al-nasr")
    assert i.label == "drone strike" and i.sub_event_type == "Air/drone strike"
    assert i.event_date == date(2024, 7, 30) and i.time_precision == 1
    assert i.geo_precision == 1 and i.admin1_code == "IQ-BB"
    assert (i.killed, i.killed_at_least) == (4, True)
    assert i.actor1 == "U.S."
    assert i.sources == ("Example Wire", "Example Daily")
    assert i.report_ids == ("babil-drone-strike-2024-07-30", "babil-strike-daily-2024-07-30")


def test_example_ain_al_asad_2024(examples: list[Incident]) -> None:
    i = _one(examples, place_id="overlay:ain-al-asad-air-base")
    assert i.event_date == date(2024, 8, 5) and i.date_phrase == "on Monday evening"
    assert (i.injured, i.injured_at_least) == (7, False)  # five service members, two contractors
    assert i.projectiles == 2
    assert set(i.sources) == {"Example Wire", "Example Monitor"}


def test_example_camp_taji_two_days_never_merged(examples: list[Incident]) -> None:
    first = _one(examples, place_id="overlay:camp-taji", event_date=date(2020, 3, 11))
    second = _one(examples, place_id="overlay:camp-taji", event_date=date(2020, 3, 14))
    assert (first.killed, first.injured, first.projectiles) == (3, 14, 15)
    assert (second.killed, second.injured, second.projectiles) == (None, 5, 25)
    assert second.date_phrase == "On March 14, 2020"


def test_example_erbil_airport(examples: list[Incident]) -> None:
    i = _one(examples, place_id="overlay:erbil-international-airport")
    assert i.event_date == date(2021, 2, 15)
    assert i.relation == "near" and i.geo_precision == 2
    assert (i.killed, i.injured, i.injured_at_least) == (1, 9, True)
    assert i.actor1 == "Saraya Awliya al-Dam"


def test_example_tower_22(examples: list[Incident]) -> None:
    i = _one(examples, place_id="overlay:tower-22")
    assert i.country == "JO" and i.event_date == date(2024, 1, 28)
    assert i.sub_event_type == "Air/drone strike"
    assert (i.killed, i.injured, i.injured_at_least) == (3, 40, True)
    assert i.actor1 == "Islamic Resistance in Iraq"


def test_example_nasiriyah_convoy(examples: list[Incident]) -> None:
    i = _one(examples, location="Nasiriyah")
    assert i.label == "roadside bomb"
    assert i.sub_event_type == "Remote explosive/landmine/IED"
    assert i.event_date == date(2021, 5, 23)
    assert (i.killed, i.injured) == (0, 0)  # "No casualties were reported."
    assert i.relation == "near" and i.geo_precision == 2
    assert "logistics convoy" in i.actor2


def test_examples_summary(full_gazetteer: Gazetteer) -> None:
    run = incidents_with_summary(read_reports([EXAMPLES]), gazetteer=full_gazetteer)
    s = run.summary
    assert s.reports_read == 10
    assert s.reports_without_incident == ("withdrawal-talks",)
    assert s.incidents == 7 and s.incidents_merged == 2
    assert s.incidents_unplaced == 0
    assert s.skipped == ()
    assert {i.location for i in run.incidents}.isdisjoint({"Baghdad", "Washington"})


def test_quotes_point_into_the_files(examples: list[Incident]) -> None:
    paths = {r.id: Path(r.path) for r in read_reports([EXAMPLES]).reports}
    for i in examples:
        text = paths[i.report_id].read_text("utf-8")
        assert text[i.quote_start : i.quote_end] == i.quote


def test_geodataframe_of_examples(examples: list[Incident]) -> None:
    gdf = to_geodataframe(examples)
    assert list(gdf.columns) == [c.name for c in SCHEMA] + ["geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == 7 and gdf["mappable"].all()
    empty = to_geodataframe([])
    assert list(empty.dtypes.astype(str)) == list(gdf.dtypes.astype(str))

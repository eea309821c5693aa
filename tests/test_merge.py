"""The merge rule, case by case: type family, place, date precision, sources."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap import Incident, merge_incidents, same_incident
from geomap.incidents.merge import combine

TAJI = (33.5294, 44.2775)


def _incident(**fields: Any) -> Incident:
    base: dict[str, Any] = {
        "incident_id": "a",
        "event_date": date(2020, 3, 11),
        "time_precision": 1,
        "date_phrase": "",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "label": "rocket attack",
        "location": "Camp Taji",
        "place_id": "overlay:camp-taji",
        "latitude": TAJI[0],
        "longitude": TAJI[1],
        "geo_precision": 1,
        "country": "IQ",
        "admin1": "Baghdad",
        "admin1_code": "IQ-BG",
        "source": "Wire",
        "sources": ("Wire",),
        "report_id": "r1",
        "report_ids": ("r1",),
    }
    return Incident(**(base | fields))


A = _incident()


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (_incident(incident_id="b", report_ids=("r2",)), True),
        (_incident(sub_event_type="", label="attack"), True),  # unknown means, same type
        (_incident(sub_event_type="Air/drone strike"), False),
        (_incident(event_type="Battles", sub_event_type="", label="attack"), False),
        (_incident(event_date=date(2020, 3, 14)), False),  # never different days
        (_incident(aggregate=True, killed=19), False),  # a total over several events
        (_incident(event_date=date(2020, 3, 9), time_precision=2), True),  # week overlaps
        (_incident(event_date=date(2020, 3, 1), time_precision=3), True),  # month overlaps
        (_incident(event_date=date(2020, 2, 1), time_precision=3), False),
        # another place 5 km away, both at town precision: one incident
        (_incident(place_id="p:x", latitude=TAJI[0] + 0.045, longitude=TAJI[1]), True),
        (_incident(place_id="p:x", latitude=TAJI[0] + 0.15, longitude=TAJI[1]), False),
        # a province centroid never merges with a site in it
        (_incident(place_id="iso3166-2:IQ-BG", geo_precision=3, latitude=33.3), False),
        (
            _incident(location="", place_id="", latitude=None, longitude=None, geo_precision=4),
            False,
        ),
    ],
)
def test_same_incident(other: Incident, same: bool) -> None:
    assert same_incident(A, other) is same
    assert same_incident(other, A) is same


def test_undated_rows_merge_only_within_a_report() -> None:
    undated = _incident(event_date=None, date_phrase="")
    assert same_incident(undated, replace(undated, date_phrase="hours later"))
    assert not same_incident(undated, replace(undated, report_ids=("r2",)))
    told_twice = replace(undated, date_phrase="on Monday")
    assert not same_incident(told_twice, replace(undated, date_phrase="on Tuesday"))


def test_combine_keeps_every_source_and_the_best_fields() -> None:
    first = _incident(injured=5, injured_at_least=True, killed=None)
    second = _incident(
        incident_id="b",
        report_id="r2",
        report_ids=("r2",),
        source="Monitor",
        sources=("Monitor",),
        injured=7,
        killed=0,
        actor1="Group",
        time_precision=1,
    )
    merged = combine(first, second)
    assert merged.incident_id == "a" and merged.report_id == "r1"
    assert merged.sources == ("Wire", "Monitor") and merged.report_ids == ("r1", "r2")
    assert (merged.injured, merged.injured_at_least, merged.killed) == (7, False, 0)
    assert merged.actor1 == "Group"


def test_merge_incidents_order_and_counts() -> None:
    rows = [
        A,
        _incident(incident_id="b", event_date=date(2020, 3, 14)),
        _incident(incident_id="c", report_ids=("r3",), sources=("Daily",)),
    ]
    merged = merge_incidents(rows)
    assert [i.incident_id for i in merged] == ["a", "b"]
    assert merged[0].sources == ("Wire", "Daily")
    assert merge_incidents([]) == []


def test_docs_data_dictionary_is_current() -> None:
    from pathlib import Path

    from geomap.frame import data_dictionary

    docs = (Path(__file__).resolve().parents[1] / "docs" / "incidents.md").read_text("utf-8")
    assert docs.endswith(data_dictionary())


@st.composite
def _incidents(draw: st.DrawFn) -> Incident:
    placed = draw(st.booleans())
    return _incident(
        incident_id=draw(st.text("abc", min_size=1, max_size=3)),
        event_date=draw(st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2024, 3, 1)))),
        time_precision=draw(st.sampled_from([1, 2, 3])),
        sub_event_type=draw(st.sampled_from(["", "Air/drone strike", "Armed clash"])),
        place_id=draw(st.sampled_from(["p:1", "p:2", ""])),
        location="Somewhere" if placed else "",
        latitude=draw(st.floats(33.0, 33.2)) if placed else None,
        longitude=draw(st.floats(44.0, 44.2)) if placed else None,
        geo_precision=draw(st.sampled_from([1, 2, 3])) if placed else 4,
        report_ids=(draw(st.sampled_from(["r1", "r2"])),),
    )


@given(_incidents(), _incidents())
def test_same_incident_is_symmetric(a: Incident, b: Incident) -> None:
    assert same_incident(a, b) is same_incident(b, a)


@given(st.lists(_incidents(), max_size=12))
def test_merge_keeps_every_report_and_never_grows(rows: list[Incident]) -> None:
    merged = merge_incidents(rows)
    assert len(merged) <= len(rows)
    assert {r for i in rows for r in i.report_ids} == {r for i in merged for r in i.report_ids}


def test_the_attackers_share_goes_with_the_toll_it_belongs_to() -> None:
    plain = _incident(killed=12)
    bombing = _incident(incident_id="b", killed=13, killed_perpetrators=1)
    assert combine(plain, bombing).killed_perpetrators == 1
    assert combine(bombing, _incident(killed=9)).killed_perpetrators == 1
    assert combine(_incident(killed=20), bombing).killed_perpetrators is None


def test_perpetrators_cannot_outnumber_the_dead() -> None:
    with pytest.raises(ValueError, match="killed_perpetrators must be between 0 and killed"):
        _incident(killed=1, killed_perpetrators=2)

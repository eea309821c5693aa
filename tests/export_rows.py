"""Incident rows for the export tests: our own, built with ``geomap.to_geodataframe``.

Shared constants, including the edge cases: an unplaced incident, a country-level one,
points beside the antimeridian and near the North Pole, text with quotes, markup and
Arabic, and the Iraqi incident whose latitude and longitude were swapped (it lands in
Crimea).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from geomap.records import Incident

__all__ = ["SWAPPED", "incidents"]


def _incident(incident_id: str, **kw: object) -> Incident:
    base: dict[str, object] = {
        "event_date": date(2024, 7, 30),
        "time_precision": 1,
        "date_phrase": "on July 30",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "label": "drone strike",
        "location": "Babel province",
        "place_id": "iso3166-2:IQ-BB",
        "latitude": 32.468191,
        "longitude": 44.550176,
        "geo_precision": 3,
        "country": "IQ",
        "admin1": "Babil",
        "admin1_code": "IQ-BB",
    }
    base.update(kw)
    return Incident(incident_id, **base)  # type: ignore[arg-type]


def incidents() -> list[Incident]:
    """Nine well-placed or unplaced incidents, each exercising one edge of the schema."""
    return [
        _incident(
            "iq-babel-0730",
            actor1="United States",
            actor2="Kataib Hezbollah",
            killed=4,
            killed_at_least=True,
            injured=0,
            quote='A U.S. drone strike on a base in Babel province killed "at least four" <b>&',
            quote_start=120,
            quote_end=195,
            report_id="babel-drone-strike",
            source="Reuters",
            url="https://example.org/babel?x=1&y=2",
            sources=("Reuters", "AP"),
            report_ids=("babel-drone-strike", "babel-ap"),
            confidence=0.87,
        ),
        _incident(
            "iq-ain-al-asad-0805",
            event_date=date(2024, 8, 5),
            time_precision=2,
            date_phrase="less than a week later",
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            label="rocket attack",
            location="Ain al-Asad Air Base",
            place_id="overlay:ain-al-asad-air-base",
            latitude=33.785608,
            longitude=42.441218,
            geo_precision=1,
            admin1="Anbar",
            admin1_code="IQ-AN",
            actor1="The Revolutionaries",
            actor2="U.S. forces",
            injured=5,
            injured_at_least=True,
            projectiles=2,
            sources=("The National",),
            report_ids=("ain-al-asad-rockets",),
            confidence=0.9,
        ),
        _incident(
            "iq-basra-convoy",
            event_date=date(2024, 7, 1),
            time_precision=3,
            date_phrase="last month",
            sub_event_type="Shelling/artillery/missile attack",
            label="convoy attack",
            location="Basra",
            place_id="geonames:99532",
            latitude=30.508102,
            longitude=47.783489,
            geo_precision=2,
            admin1="Basra",
            admin1_code="IQ-BA",
            relation="near",
            actor2="a logistics convoy",
            confidence=0.5,
        ),
        _incident(
            "iq-four-more",
            event_date=None,
            date_phrase="",
            label="attack",
            location="",
            place_id="",
            latitude=None,
            longitude=None,
            geo_precision=4,
            admin1="",
            admin1_code="",
            quote="four more attacks",
        ),
        _incident(
            "sy-deir-ez-zor",
            event_date=date(2023, 12, 31),
            location="Deir ez-Zor",
            latitude=35.336,
            longitude=40.14,
            geo_precision=1,
            country="SY",
            admin1="Deir ez-Zor",
            admin1_code="SY-DY",
            quote='قصف مدفعي على دير الزور; "تقرير"',
            sources=("SANA", "SOHR, UK"),
        ),
        _incident(
            "iq-country",
            location="Iraq",
            place_id="iso3166-1:IQ",
            latitude=33.0,
            longitude=44.0,
            geo_precision=4,
            admin1="",
            admin1_code="",
        ),
        _incident(
            "fj-east",
            location="Lau Islands",
            latitude=-18.25,
            longitude=-178.75,
            geo_precision=3,
            country="FJ",
            admin1="Eastern",
            admin1_code="FJ-E",
        ),
        _incident(
            "fj-west",
            location="Taveuni",
            latitude=-16.85,
            longitude=179.95,
            geo_precision=2,
            country="FJ",
            admin1="Northern",
            admin1_code="FJ-N",
        ),
        _incident(
            "sj-longyearbyen",
            location="Longyearbyen",
            latitude=78.223172,
            longitude=15.646867,
            geo_precision=1,
            country="SJ",
            admin1="",
            admin1_code="",
        ),
    ]


#: Ain al-Asad with latitude and longitude swapped: (42.44, 33.79) is in Crimea, not Iraq.
SWAPPED = replace(incidents()[1], incident_id="iq-swapped", latitude=44.441218, longitude=33.785608)

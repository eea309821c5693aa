"""Incident rows and mentions for the map tests: ordinary ones, and one hostile report.

The hostile report's quote, actors, place, source, type, division and URL carry script
tags, event-handler attributes, template-literal expressions, ``</script>``, quotes and
backticks; a page that runs any of it sets ``window.__xss`` or opens a dialog.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from gazetteer.records import Candidate
from geomap.records import Incident, Mention

__all__ = [
    "HOSTILE_PLACE",
    "HOSTILE_QUOTE",
    "HOSTILE_TYPE",
    "PAYLOADS",
    "hostile_incident",
    "incident",
    "mention",
    "sample_incidents",
    "sample_mentions",
]

PAYLOADS = (
    "<script>window.__xss='script'</script>",
    "<img src=x onerror=\"window.__xss='img'\">",
    "${window.__xss='template'}",
    "</script><script>window.__xss='close'</script>",
    "\"'`",
    "`;window.__xss='backtick';`",
    "{{ 7*7 }}",
)
HOSTILE_PLACE = "<script>window.__xss='place'</script>Tal Afar"
HOSTILE_TYPE = "<img src=x onerror=\"window.__xss='type'\">Attack"
HOSTILE_QUOTE = (
    f'Witnesses said "{PAYLOADS[0]}" after gunmen stormed {HOSTILE_PLACE} '
    f"{PAYLOADS[1]} {PAYLOADS[2]} {PAYLOADS[3]} {PAYLOADS[4]} {PAYLOADS[5]} {PAYLOADS[6]}"
)


def incident(n: int, **changes: Any) -> Incident:
    """An ordinary drone strike at Erbil, changed as asked."""
    base = Incident(
        incident_id=f"inc-{n}",
        event_date=date(2024, 1, 2),
        time_precision=1,
        date_phrase="on Tuesday",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        label="drone strike",
        location="Erbil",
        place_id="geonames:95446",
        latitude=36.19,
        longitude=44.01,
        geo_precision=1,
        country="IQ",
        admin1="Erbil",
        admin1_code="IQ-AR",
        actor1="Unidentified drone",
        actor2="Coalition forces",
        killed=0,
        injured=0,
        quote="A drone struck near Erbil airport on Tuesday, officials said.",
        report_id=f"r{n}",
        source="Example News",
        url=f"https://news.example.org/story/{n}",
    )
    return replace(base, **changes)


def hostile_incident() -> Incident:
    return incident(
        666,
        event_date=date(2024, 1, 20),
        sub_event_type=HOSTILE_TYPE,
        event_type="Violence against civilians",
        label=PAYLOADS[5],
        location=HOSTILE_PLACE,
        place_id="hostile",
        latitude=36.37,
        longitude=42.45,
        admin1=PAYLOADS[1],
        admin1_code="",
        relation=PAYLOADS[2],
        actor1=PAYLOADS[0] + PAYLOADS[4],
        actor2=PAYLOADS[3],
        killed=3,
        quote=HOSTILE_QUOTE,
        source=PAYLOADS[1] + PAYLOADS[6],
        url="javascript:window.__xss='url'",
    )


def sample_incidents() -> list[Incident]:
    """17 incidents: 15 drawn in 4 types (the hostile one alone in its type), 1 placed only at
    a country, 1 unplaced."""
    rows = [
        # six on one base, one point: they spread out when the cluster is clicked
        incident(i, event_date=date(2024, 1, 2 + i), killed=i, injured=2 * i)
        for i in range(6)
    ]
    rows += [
        incident(
            10 + i,
            sub_event_type="Shelling/artillery/missile attack",
            label="rocket attack",
            location="Kirkuk",
            place_id="geonames:94787",
            latitude=35.4681,
            longitude=44.3922,
            admin1="Kirkuk",
            admin1_code="IQ-KI",
            event_date=date(2024, 1, 8 + 3 * i),
            time_precision=2 if i % 2 else 1,
            quote="Three rockets hit Kirkuk K-1 base, the ministry said.",
            killed=None,
            injured=i,
            injured_at_least=True,
        )
        for i in range(4)
    ]
    rows += [
        incident(
            20 + i,
            sub_event_type="Armed clash",
            event_type="Battles",
            label="clash",
            location="Mosul",
            place_id="geonames:99072",
            latitude=36.335 + i / 100,
            longitude=43.119,
            admin1="Nineveh",
            admin1_code="IQ-NI",
            relation="south of" if i == 0 else "",
            event_date=date(2024, 2, 1) if i == 2 else date(2024, 1, 15 + i),
            time_precision=3 if i == 2 else 1,
            quote="Fighting broke out south of Mosul.",
            killed=10 * i,
            killed_at_least=i == 1,
        )
        for i in range(3)
    ]
    rows.append(
        incident(
            30,
            event_date=None,
            sub_event_type="Armed clash",
            location="Basra",
            place_id="geonames:99532",
            latitude=30.508,
            longitude=47.783,
            admin1="Basra",
            admin1_code="IQ-BA",
            quote="Clashes were reported in Basra, date unknown.",
        )
    )
    rows.append(hostile_incident())
    rows.append(
        incident(
            40,
            location="Iraq",
            place_id="geonames:99237",
            geo_precision=4,
            latitude=33.0,
            longitude=44.0,
            admin1="",
            admin1_code="",
        )
    )
    rows.append(
        incident(
            41,
            location="somewhere",
            place_id="",
            latitude=None,
            longitude=None,
            admin1="",
            admin1_code="",
        )
    )
    return rows


def _candidate(pid: str, name: str, lat: float, lon: float) -> Candidate:
    return Candidate(
        id=pid,
        name=name,
        lat=lat,
        lon=lon,
        feature="populated_place",
        country="IQ",
        admin1="",
        admin1_code="",
        population=0,
        score=1.0,
    )


def mention(pid: str, name: str, lat: float, lon: float) -> Mention:
    return Mention(0, len(name), name, (0, len(name)), place=_candidate(pid, name, lat, lon))


def sample_mentions() -> list[Mention]:
    """Halabja twice and a hostile name once (drawn); Erbil (an incident place) and an
    unresolved name (not drawn)."""
    return [
        mention("geonames:98463", "Halabja", 35.1778, 45.9861),
        mention("geonames:98463", "Halabja", 35.1778, 45.9861),
        mention("hostile-mention", PAYLOADS[1] + "Sinjar", 36.3209, 41.8754),
        mention("geonames:95446", "Erbil", 36.19, 44.01),
        Mention(0, 4, "Nowhere", (0, 7)),
    ]

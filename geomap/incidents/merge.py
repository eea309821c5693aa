"""Merging: several tellings of one event become one row that lists every source.

The rule lives in one function, :func:`same_incident`; :func:`merge_incidents` applies it
greedily in a stable order and :func:`combine` makes the merged row.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import timedelta

from geomap.records import Incident

__all__ = ["MERGE_DISTANCE_KM", "combine", "merge_incidents", "same_incident", "type_family"]

logger = logging.getLogger(__name__)

#: Two placed incidents at most this far apart may be one (ACLED's "same location").
MERGE_DISTANCE_KM = 10.0
_SPAN_DAYS = {1: 1, 2: 7, 3: 31}
_CELLS = 10  # grid cells per degree (about 11 km): the merge index
_FINE = 2  # geo_precision at or under which a point stands for the place itself


def type_family(incident: Incident) -> str:
    """The type family: the ACLED sub-event type, or "" for an attack of unknown means."""
    return incident.sub_event_type


def _types_agree(a: Incident, b: Incident) -> bool:
    fa, fb = type_family(a), type_family(b)
    if fa and fb:
        return fa == fb
    return a.event_type == b.event_type  # an attack of unknown means fits any of its type


def _places_agree(a: Incident, b: Incident) -> bool:
    if not a.location or not b.location:
        return False  # an unplaced row may be anywhere: never merged
    if a.place_id and a.place_id == b.place_id:
        return True  # the same installation, town or province
    if a.geo_precision > _FINE or b.geo_precision > _FINE:
        return False  # a province and a town inside it are not one place
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return False
    from geopy.distance import geodesic

    km = float(geodesic((a.latitude, a.longitude), (b.latitude, b.longitude)).km)
    return km <= MERGE_DISTANCE_KM


def _dates_agree(a: Incident, b: Incident) -> bool:
    if a.event_date is None or b.event_date is None:
        # Without dates, only two tellings in one report may be one: "the attack ... No
        # injuries reported" told twice, at most one of them with a date phrase.
        shared = set(a.report_ids) & set(b.report_ids)
        phrases = {a.date_phrase, b.date_phrase} - {""}
        return bool(shared) and len(phrases) <= 1
    a_end = a.event_date + timedelta(days=_SPAN_DAYS[a.time_precision] - 1)
    b_end = b.event_date + timedelta(days=_SPAN_DAYS[b.time_precision] - 1)
    return a.event_date <= b_end and b.event_date <= a_end


def same_incident(a: Incident, b: Incident) -> bool:
    """Whether two rows describe the same incident.

    They do when all three hold:

    1. **type**: the same ACLED sub-event type, or one is an attack of unknown means of the
       same event type ("an attack" and "a rocket attack");
    2. **place**: the same gazetteer place (one installation, town or province), or two
       points each at town or site precision (geo_precision 1 or 2) within
       ``MERGE_DISTANCE_KM``; an unplaced row never merges, and a province never merges
       with a town inside it;
    3. **date**: the days each date may mean overlap (a day, the week from it, the month
       from it, by time_precision), so two different days at day precision never merge;
       rows without a date merge only within one report and when at most one of them has
       a date phrase;

    and both or neither are aggregate rows (a total over several events is never folded
    into one event's row, nor one event into a total).

    >>> from datetime import date
    >>> base = dict(time_precision=1, date_phrase="", event_type="Battles",
    ...     sub_event_type="Armed clash", label="clash", location="Hit", place_id="p:1",
    ...     latitude=33.6, longitude=42.8, geo_precision=1, country="IQ", admin1="",
    ...     admin1_code="")
    >>> a = Incident("a", date(2024, 8, 1), **base)
    >>> same_incident(a, Incident("b", date(2024, 8, 1), **base))
    True
    >>> same_incident(a, Incident("c", date(2024, 8, 2), **base))
    False
    """
    return (
        a.aggregate == b.aggregate
        and _types_agree(a, b)
        and _places_agree(a, b)
        and _dates_agree(a, b)
    )


def _better_place(a: Incident, b: Incident) -> Incident:
    """The row whose place is finer (then: more confident)."""
    if not a.location:
        return b
    if not b.location:
        return a
    return min((a, b), key=lambda i: (i.geo_precision, -i.confidence))


def _better_date(a: Incident, b: Incident) -> Incident:
    if a.event_date is None and b.event_date is not None:
        return b
    if b.event_date is None or a.time_precision <= b.time_precision:
        return a
    return b


def _count(a: int | None, a_min: bool, b: int | None, b_min: bool) -> tuple[int | None, bool]:
    if a is None:
        return b, b_min
    if b is None or a > b:
        return a, a_min
    if b > a:
        return b, b_min
    return a, a_min and b_min


def _union(*groups: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            if item:
                seen.setdefault(item, None)
    return tuple(seen)


def combine(a: Incident, b: Incident) -> Incident:
    """One row for two tellings: ``a``'s provenance, the finest place, the most precise
    date, the higher counts (a count said exactly beats the same minimum), every source."""
    place = _better_place(a, b)
    when = _better_date(a, b)
    typed = a if type_family(a) or not type_family(b) else b
    killed, killed_min = _count(a.killed, a.killed_at_least, b.killed, b.killed_at_least)
    counted = a if killed == a.killed else b  # the attackers' share goes with its toll
    injured, injured_min = _count(a.injured, a.injured_at_least, b.injured, b.injured_at_least)
    return replace(
        a,
        event_date=when.event_date,
        time_precision=when.time_precision,
        date_phrase=when.date_phrase,
        date_note=when.date_note,
        event_type=typed.event_type,
        sub_event_type=typed.sub_event_type,
        label=typed.label,
        location=place.location,
        place_id=place.place_id,
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=place.geo_precision,
        country=place.country,
        admin1=place.admin1,
        admin1_code=place.admin1_code,
        admin2=place.admin2,
        relation=place.relation,
        actor1=a.actor1 or b.actor1,
        assoc_actor_1=a.assoc_actor_1 or b.assoc_actor_1,
        actor2=a.actor2 or b.actor2,
        killed=killed,
        killed_at_least=killed_min,
        killed_perpetrators=counted.killed_perpetrators,
        injured=injured,
        injured_at_least=injured_min,
        projectiles=a.projectiles if a.projectiles is not None else b.projectiles,
        events=max(a.events, b.events),
        sources=_union(a.sources, b.sources),
        report_ids=_union(a.report_ids, b.report_ids),
        confidence=round(min(0.99, max(a.confidence, b.confidence) + 0.05), 2),
    )


def _cells(incident: Incident) -> list[tuple[int, int]]:
    """The point's grid cell first, then the cells within ``MERGE_DISTANCE_KM`` of it."""
    if incident.latitude is None or incident.longitude is None:
        return []
    y, x = math.floor(incident.latitude * _CELLS), math.floor(incident.longitude * _CELLS)
    cell_km = 111.32 * max(math.cos(math.radians(incident.latitude)), 0.01) / _CELLS
    rx = min(math.ceil(MERGE_DISTANCE_KM / cell_km), _CELLS * 180)
    return [(y, x)] + [
        (y + dy, x + dx) for dy in (-1, 0, 1) for dx in range(-rx, rx + 1) if (dy, dx) != (0, 0)
    ]


def merge_incidents(incidents: Iterable[Incident]) -> list[Incident]:
    """Merge the rows that :func:`same_incident` says are one, keeping the first's order.

    Each row is compared with the rows kept so far that share its place or a nearby grid
    cell; a row that matches one is combined into it (the earlier row keeps its id and
    quote), otherwise it is kept as a new row.
    """
    kept: list[Incident] = []
    by_place: dict[str, list[int]] = {}
    by_cell: dict[tuple[int, int], list[int]] = {}
    merged = 0
    for incident in incidents:
        near = set(by_place.get(incident.place_id, ())) if incident.place_id else set()
        for cell in _cells(incident)[:1]:  # its own cell: kept rows index their neighbours
            near.update(by_cell.get(cell, ()))
        for k in sorted(near):
            if same_incident(kept[k], incident):
                kept[k] = combine(kept[k], incident)
                merged += 1
                break
        else:
            kept.append(incident)
            k = len(kept) - 1
            if incident.place_id:
                by_place.setdefault(incident.place_id, []).append(k)
            for cell in _cells(incident):
                by_cell.setdefault(cell, []).append(k)
    logger.info("merge_incidents merged %d rows into %d incidents", merged, len(kept))
    return kept

"""Place incident-table rows that name a place but give no point, and fill divisions.

:func:`geocode_incidents` looks a row's location up in the gazetteer within its admin1 and
country; :func:`assign_divisions` gives incidents placed at a site or town the divisions whose
imported boundary polygons cover them.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from gazetteer import Gazetteer, GazetteerError
from geomap.incidents.extract import FEATURE_RANK
from geomap.records import Incident

__all__ = ["assign_divisions", "geocode_incidents"]

logger = logging.getLogger(__name__)

_GEO_PRECISION = {0: 1, 1: 1, 2: 2, 3: 3, 4: 4}
_PLACE_FIELDS = (
    "place_id",
    "latitude",
    "longitude",
    "geo_precision",
    "country",
    "admin1",
    "admin1_code",
    "location",
)


def _place_fields(incident: Incident, place: Any, precision: int) -> Incident:
    return replace(
        incident,
        place_id=place.id,
        latitude=place.lat,
        longitude=place.lon,
        geo_precision=precision,
        country=incident.country or place.country,
        admin1=incident.admin1 or place.admin1,
        admin1_code=place.admin1_code,
        location=incident.location or place.name,
    )


def _lookup(gaz: Gazetteer, name: str, *, country: str | None, admin1: str | None = None) -> Any:
    try:
        found = gaz.lookup(name, country=country, admin1=admin1, limit=1, fuzzy=False)
    except GazetteerError:  # a country code the gazetteer does not know: no filter
        found = gaz.lookup(name, limit=1, fuzzy=False)
    return found[0] if found else None


def _geocode(gaz: Gazetteer, incident: Incident) -> tuple[Incident, str]:
    """An incident placed from its location, admin1 and country; or itself and the name
    that could not be resolved."""
    cc = incident.country or None
    if incident.location:
        place = _lookup(gaz, incident.location, country=cc, admin1=incident.admin1 or None)
        if place is None and incident.admin1:
            place = _lookup(gaz, incident.location, country=cc)
        if place is not None:
            rank = FEATURE_RANK.get(place.feature, 2)
            return _place_fields(incident, place, _GEO_PRECISION[rank]), ""
    if incident.admin1:
        place = _lookup(gaz, incident.admin1, country=cc)
        if place is not None:
            return _place_fields(incident, place, 3), incident.location
    if cc:
        country = gaz.get(f"iso3166-1:{cc}")
        if country is not None:
            return _place_fields(incident, country, 4), incident.location or incident.admin1
    return incident, incident.location or incident.admin1


def geocode_incidents(
    incidents: Iterable[Incident], gazetteer: Gazetteer
) -> tuple[list[Incident], Counter[str]]:
    """Place the rows that have place names but no coordinates, through the gazetteer.

    The location is looked up within its admin1 and country (exact and normalised names,
    no fuzzy matching: a coded table's names are spelled on purpose); failing that the
    admin1 (geo_precision 3), failing that the country (4, kept but not drawn).

    Returns
    -------
    tuple of (list of Incident, Counter)
        The incidents, and the place names that could not be resolved with their counts.
    """
    out = []
    unresolved: Counter[str] = Counter()
    cache: dict[tuple[str, str, str], tuple[Incident, str]] = {}
    for incident in incidents:
        if incident.latitude is not None or not (
            incident.location or incident.admin1 or incident.country
        ):
            out.append(incident)
            continue
        key = (incident.location, incident.admin1, incident.country)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = _geocode(gazetteer, incident)
        template, missing = hit
        placed = incident
        if template.latitude is not None:  # the place found for this key, on this row
            placed = replace(
                incident,
                **{name: getattr(template, name) for name in _PLACE_FIELDS},
            )
        out.append(placed)
        if missing:
            unresolved[missing] += 1
    return out, unresolved


def assign_divisions(incidents: list[Incident], gazetteer: Gazetteer) -> list[Incident]:
    """Fill the divisions an incident's place left empty from imported boundaries.

    Incidents placed at a site or town (``geo_precision`` 1 or 2) take the first-level
    division (``admin1``, ``admin1_code``) and the district (``admin2``) whose imported
    polygon covers their point (``geomap gazetteer import --boundaries``), by one STRtree
    query per level. What the place or the table already says is kept.
    """
    placed = [
        k
        for k, i in enumerate(incidents)
        if i.latitude is not None and i.longitude is not None and i.geo_precision <= 2
    ]
    out = list(incidents)
    points = [(float(out[k].latitude or 0.0), float(out[k].longitude or 0.0)) for k in placed]
    for level in (1, 2):
        if not placed or not gazetteer.divisions(level=level):
            continue
        for k, division in zip(placed, gazetteer.divisions_at(points, level=level), strict=True):
            incident = out[k]
            if division is None:
                continue
            if level == 1 and not incident.admin1:
                code = incident.admin1_code or division.admin1_code
                out[k] = replace(incident, admin1=division.name, admin1_code=code)
            elif level == 2 and not incident.admin2:
                out[k] = replace(incident, admin2=division.name)
    return out

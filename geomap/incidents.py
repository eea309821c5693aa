"""Reports in, incidents out: geoparse, extract, geocode table rows, merge, and account.

>>> from geomap import incidents_from_reports, read_reports, to_geodataframe  # doctest: +SKIP
>>> found = incidents_from_reports(read_reports(["examples/reports"]))  # doctest: +SKIP
>>> gdf = to_geodataframe(found)  # doctest: +SKIP

:func:`incidents_with_summary` also returns a :class:`RunSummary` that accounts for every
input: reports read, reports with no incident, incidents without a mappable place, place
names left unresolved, and inputs skipped with their file, line and reason.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from gazetteer import Gazetteer, GazetteerError
from geomap.extract import FEATURE_RANK, extract_incidents
from geomap.geoparse import default_gazetteer, geoparse
from geomap.ingest import ReadResult, Report
from geomap.merge import merge_incidents
from geomap.records import Incident, Mention

__all__ = [
    "IncidentRun",
    "RunSummary",
    "assign_divisions",
    "geocode_incidents",
    "incidents_from_reports",
    "incidents_with_summary",
]

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


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run read, found and could not place, so that nothing goes unaccounted."""

    reports_read: int
    rows_read: int  # rows of incident tables
    reports_without_incident: tuple[str, ...]  # report ids
    incidents_found: int  # before merging
    incidents: int  # after merging (table rows included)
    incidents_merged: int  # rows folded into another
    incidents_unplaced: int  # no place at all
    incidents_country_level: int  # placed at country level only: kept, not drawn
    unresolved_places: tuple[tuple[str, int], ...]  # (name, count), most frequent first
    skipped: tuple[tuple[str, int, str], ...] = field(default_factory=tuple)  # file, line, why

    @property
    def incidents_not_mappable(self) -> int:
        """Incidents without a point finer than a whole country."""
        return self.incidents_unplaced + self.incidents_country_level

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (``summary.json``)."""
        return {
            "reports_read": self.reports_read,
            "rows_read": self.rows_read,
            "reports_without_incident": list(self.reports_without_incident),
            "incidents_found": self.incidents_found,
            "incidents": self.incidents,
            "incidents_merged": self.incidents_merged,
            "incidents_unplaced": self.incidents_unplaced,
            "incidents_country_level": self.incidents_country_level,
            "incidents_not_mappable": self.incidents_not_mappable,
            "unresolved_places": dict(self.unresolved_places),
            "skipped": [{"path": p, "line": n, "reason": r} for p, n, r in self.skipped],
        }


@dataclass(frozen=True, slots=True)
class IncidentRun:
    """The incidents of a run and its summary."""

    incidents: list[Incident]
    summary: RunSummary
    # every report's place mentions, in report order: (report id, mention)
    mentions: list[tuple[str, Mention]] = field(default_factory=list)


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


def _split(
    reports: ReadResult | Iterable[Report | Incident],
) -> tuple[list[Report], list[Incident], list[tuple[str, int, str]]]:
    if isinstance(reports, ReadResult):
        skipped = [(e.path, e.line, e.problem) for e in reports.skipped]
        return list(reports.reports), list(reports.incidents), skipped
    texts: list[Report] = []
    rows: list[Incident] = []
    for item in reports:
        if isinstance(item, Incident):
            rows.append(item)
        elif isinstance(item, Report):
            texts.append(item)
        else:
            msg = f"expected Report or Incident records, got {type(item).__name__}: {item!r}"
            raise TypeError(msg)
    return texts, rows, []


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


def incidents_with_summary(
    reports: ReadResult | Iterable[Report | Incident],
    *,
    gazetteer: Gazetteer | None = None,
    published: date | datetime | None = None,
    country_hint: str | None = None,
    merge: bool = True,
) -> IncidentRun:
    """The incidents of reports and incident tables, with a summary of the run.

    Parameters
    ----------
    reports
        What :func:`geomap.read_reports` returned (its skipped inputs go into the
        summary), or Report and Incident records.
    gazetteer
        The gazetteer; by default the one opened once per process.
    published
        The published date of reports that have none.
    country_hint
        ISO 3166-1 code of the country the reports are about.
    merge
        Merge the rows extracted from text that tell of one incident (see
        :func:`geomap.merge.same_incident`). Table rows are never merged: they were coded
        by someone who already did.
    """
    texts, rows, skipped = _split(reports)
    gaz = gazetteer or default_gazetteer()
    found: list[Incident] = []
    silent: list[str] = []
    unresolved: Counter[str] = Counter()
    all_mentions: list[tuple[str, Mention]] = []
    for report in texts:
        mentions = geoparse(report.text, gazetteer=gaz, country_hint=country_hint)
        all_mentions.extend((report.id, m) for m in mentions)
        extraction = extract_incidents(
            report.text,
            mentions,
            report_id=report.id,
            published=report.published or published,
            source=report.source,
            url=report.url,
            text_offset=report.text_offset,
        )
        if not extraction.incidents:
            silent.append(report.id)
        found.extend(extraction.incidents)
        unresolved.update(extraction.unresolved)
    logger.info("extracted %d incidents from %d reports", len(found), len(texts))
    merged = merge_incidents(found) if merge else found
    placed_rows, missing = geocode_incidents(rows, gaz)
    unresolved.update(missing)
    logger.info("read %d table rows, %d place names unresolved", len(rows), sum(missing.values()))
    incidents = assign_divisions(merged + placed_rows, gaz)
    summary = RunSummary(
        reports_read=len(texts),
        rows_read=len(rows),
        reports_without_incident=tuple(silent),
        incidents_found=len(found) + len(rows),
        incidents=len(incidents),
        incidents_merged=len(found) - len(merged),
        incidents_unplaced=sum(1 for i in incidents if i.latitude is None),
        incidents_country_level=sum(
            1 for i in incidents if i.latitude is not None and not i.mappable
        ),
        unresolved_places=tuple(sorted(unresolved.items(), key=lambda kv: (-kv[1], kv[0]))),
        skipped=tuple(skipped),
    )
    return IncidentRun(incidents, summary, all_mentions)


def incidents_from_reports(
    reports: ReadResult | Iterable[Report | Incident],
    *,
    gazetteer: Gazetteer | None = None,
    published: date | datetime | None = None,
    country_hint: str | None = None,
    merge: bool = True,
) -> list[Incident]:
    """The incidents of reports and incident tables (see :func:`incidents_with_summary`)."""
    return incidents_with_summary(
        reports,
        gazetteer=gazetteer,
        published=published,
        country_hint=country_hint,
        merge=merge,
    ).incidents

"""Incident evaluation: the pipeline's incidents against human-coded events.

An event table carries, per row, a text (an ACLED note, a UCDP headline, an incident
summary) and the coders' answer: a point, a date, a toll and a type. Each row becomes a
report published on the coded date, goes through the pipeline on its own (geoparse,
extract, merge within the report, divisions), and one of its incidents is compared with
the coded event:

- **which incident**: the first incident, in text order, that has a mappable point, else
  the first incident. Event datasets code one event per row, and the row's text opens with
  it ("On 9 October 2020, militants attacked ... in X"): what follows is context, tolls or
  background ("a day after a bombing in Y"). Picking the incident nearest the coded point or
  date would use the answer to choose the question; the first one does not. An incident with
  no point is passed over for a later one that has one, because the map shows the latter.
- **place**: great-circle km from the coded point, counted within 10, 25 and 50 km, of all
  rows and of the rows placed (a mappable incident: a point at geo_precision 1-3); placed in
  another country (the coded country differs from the incident's) or more than 500 km away.
- **date**: exact when the incident's day (at time_precision 1) falls within the coded date
  (``date_start`` to ``date_end`` for UCDP).
- **toll**: over the rows whose coded toll is above 0 and that gave an incident, killed
  exact and within one (a toll the text does not give counts as 0, as ACLED writes it);
  and killed exact over those whose incident is not an aggregate row (a total the text gives
  for several events, which does not claim to be the coded event's toll).
- **type**: ACLED's ``sub_event_type`` equal to the incident's. UCDP's ``type_of_violence``
  says who fought whom (1 state-based, 2 non-state, 3 one-sided against civilians), not the
  form of the event that ACLED types by, so exact agreement is not defined: a car bomb in a
  market is UCDP 3 and ACLED Explosions/Remote violence. For UCDP the measure is
  *compatibility* of the incident's ACLED event type (``UCDP_COMPATIBLE``): fighting and
  explosions with 1 and 2, violence against civilians and explosions with 3; protests,
  riots and strategic developments with none.

Each row that fails gets the classes it failed in: one of ``no incident``, ``unplaced``
(incidents, none with a mappable point), ``abroad``, ``parent-level only`` (placed at a
province or region more than 25 km off while the coded point is finer) or ``wrong place``
(more than 25 km off, otherwise); and any of ``wrong type``, ``wrong date``, ``wrong toll``.

Everything but :func:`run_pipeline` and :func:`names_place` is a pure function of the rows
and a callable, so a test can score a fake pipeline.

Examples
--------
>>> table = load_event_table("ged.csv")  # doctest: +SKIP
>>> result = evaluate_incidents(table.events, run_pipeline())  # doctest: +SKIP
>>> print(format_incident_report(result.report))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geopy.distance import great_circle

from geomap._errors import ReportError
from geomap.acled import ACLED_COUNTRY_NAMES, parse_acled_date
from geomap.readers.reports import Report
from geomap.records import Incident

if TYPE_CHECKING:
    from gazetteer import Gazetteer

__all__ = [
    "ABROAD_KM",
    "CLASSES",
    "FIELDS",
    "LAYOUTS",
    "RADII_KM",
    "UCDP_COMPATIBLE",
    "CodedEvent",
    "EventTable",
    "IncidentEval",
    "IncidentEvalReport",
    "RowResult",
    "compared_incident",
    "evaluate_incidents",
    "filter_events",
    "format_incident_report",
    "load_event_table",
    "names_place",
    "parse_event_columns",
    "report_of",
    "run_pipeline",
    "sample_events",
    "score_row",
    "write_errors",
]

#: Distances (km) counted as "within".
RADII_KM: tuple[int, ...] = (10, 25, 50)
#: A placed incident this far (km) from the coded point is "abroad" even in the same country.
ABROAD_KM: float = 500.0
#: The radius (km) a placement must fall within to count as right.
_HIT_KM = 25
#: The error classes, placement first (one of them per failed row), then the others.
CLASSES: tuple[str, ...] = (
    "no incident",
    "unplaced",
    "abroad",
    "parent-level only",
    "wrong place",
    "wrong type",
    "wrong date",
    "wrong toll",
)
#: The fields a row is read into; ``text``, ``date``, ``latitude`` and ``longitude`` are
#: required. ``where_prec`` is the coded point's precision (1 the exact place).
FIELDS: tuple[str, ...] = (
    "id",
    "text",
    "date",
    "date_end",
    "latitude",
    "longitude",
    "killed",
    "sub_event_type",
    "type_of_violence",
    "where_prec",
    "location",
    "admin1",
    "country",
    "iso",
)
_REQUIRED = ("text", "date", "latitude", "longitude")
#: The layouts recognised by their columns: field -> the table's column.
LAYOUTS: dict[str, dict[str, str]] = {
    "ACLED": {
        "id": "event_id_cnty",
        "text": "notes",
        "date": "event_date",
        "latitude": "latitude",
        "longitude": "longitude",
        "killed": "fatalities",
        "sub_event_type": "sub_event_type",
        "where_prec": "geo_precision",
        "location": "location",
        "admin1": "admin1",
        "country": "country",
        "iso": "iso",
    },
    "UCDP GED": {
        "id": "id",
        "text": "source_headline",
        "date": "date_start",
        "date_end": "date_end",
        "latitude": "latitude",
        "longitude": "longitude",
        "killed": "best",
        "type_of_violence": "type_of_violence",
        "where_prec": "where_prec",
        "location": "where_coordinates",
        "admin1": "adm_1",
        "country": "country",
        "iso": "iso3",
    },
}
_ALIASES = {
    "notes": "text",
    "headline": "text",
    "source_headline": "text",
    "quote": "text",
    "event_date": "date",
    "date_start": "date",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "fatalities": "killed",
    "best": "killed",
    "type": "sub_event_type",
    "subtype": "sub_event_type",
    "geo_precision": "where_prec",
    "precision": "where_prec",
    "where_coordinates": "location",
    "place": "location",
    "adm_1": "admin1",
    "event_id_cnty": "id",
}
#: ACLED event types compatible with each UCDP type_of_violence (see the module notes).
UCDP_COMPATIBLE: dict[int, frozenset[str]] = {
    1: frozenset({"Battles", "Explosions/Remote violence"}),
    2: frozenset({"Battles", "Explosions/Remote violence"}),
    3: frozenset({"Violence against civilians", "Explosions/Remote violence"}),
}
# Several headlines in one UCDP field are joined by ";" with no space after it.
_HEADLINE_JOIN = re.compile(r";(?=\S)")
_WORD = re.compile(r"[^\W\d_][\w'’‘-]*")
_PHRASE_BREAK = re.compile(r"[,;:.()\[\]\"“”\n]+")
_COARSE_FEATURES = frozenset({"admin1", "country", "continent", "region"})


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class CodedEvent:
    """One row of an event table: its text and the coders' answer.

    ``day_end`` equals ``day`` unless the coders give a span; ``killed`` is None when the
    table has no toll; ``where_prec`` is the coded point's precision (1 the exact place,
    UCDP's ``where_prec`` or ACLED's ``geo_precision``), None when not given. ``country``
    is an ISO 3166-1 alpha-2 code, "" when unknown.
    """

    id: str
    line: int
    text: str
    day: date
    day_end: date
    lat: float
    lon: float
    killed: int | None = None
    sub_event_type: str = ""
    type_of_violence: int | None = None
    where_prec: int | None = None
    location: str = ""
    admin1: str = ""
    country: str = ""

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            msg = f"coordinates out of range: latitude {self.lat!r}, longitude {self.lon!r}"
            raise ValueError(msg)
        if self.day_end < self.day:
            msg = f"the date span ends ({self.day_end}) before it starts ({self.day})"
            raise ValueError(msg)


@dataclass(frozen=True, slots=True)
class EventTable:
    """An event table read: its layout, the rows with text, and the rows left out."""

    path: str
    layout: str  # "ACLED", "UCDP GED" or "columns"
    events: list[CodedEvent]
    without_text: int  # rows whose text is empty
    skipped: list[ReportError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RowResult:
    """How the pipeline did on one row.

    ``incident`` is the incident compared (see the module notes), None when there was none;
    ``km`` its distance from the coded point, None when it has no mappable point. The
    ``*_ok`` fields are None where the measure does not apply to the row.
    """

    event: CodedEvent
    incidents: int
    incident: Incident | None
    km: float | None
    classes: tuple[str, ...]
    date_ok: bool | None
    killed_exact: bool | None
    killed_within_one: bool | None
    type_ok: bool | None

    @property
    def placed(self) -> bool:
        """The compared incident has a mappable point."""
        return self.km is not None


@dataclass(frozen=True, slots=True)
class IncidentEvalReport:
    """The figures of one evaluation run (shares are fractions, None for no rows)."""

    table: str
    layout: str
    rows: int
    with_incident: int
    placed: int
    within: dict[int, int]  # radius km -> rows placed within it
    median_km: float | None
    abroad: int
    date_exact: int
    toll_rows: int  # coded toll above 0, an incident found
    killed_exact: int
    killed_within_one: int
    toll_rows_single: int  # of ``toll_rows``, those whose incident is not an aggregate row
    killed_exact_single: int
    type_rows: int  # rows with an incident whose coded type can be compared
    type_ok: int
    type_measure: str  # "agreement", "compatibility" or "n/a"
    classes: dict[str, int]
    seconds: float
    filters: tuple[str, ...] = ()

    def share(self, count: int, of: int) -> float | None:
        """``count / of``, None when ``of`` is 0."""
        return count / of if of else None

    def to_dict(self) -> dict[str, Any]:
        """The figures as JSON-ready data, counts and shares."""
        return {
            "table": self.table,
            "layout": self.layout,
            "filters": list(self.filters),
            "rows": self.rows,
            "with_incident": self.with_incident,
            "placed": self.placed,
            "placed_share": self.share(self.placed, self.rows),
            "within_km": {
                str(r): {
                    "count": n,
                    "of_all": self.share(n, self.rows),
                    "of_placed": self.share(n, self.placed),
                }
                for r, n in self.within.items()
            },
            "median_km": self.median_km,
            "abroad": self.abroad,
            "abroad_of_placed": self.share(self.abroad, self.placed),
            "date_exact": self.date_exact,
            "date_exact_share": self.share(self.date_exact, self.rows),
            "toll_rows": self.toll_rows,
            "killed_exact": self.killed_exact,
            "killed_exact_share": self.share(self.killed_exact, self.toll_rows),
            "killed_within_one": self.killed_within_one,
            "killed_within_one_share": self.share(self.killed_within_one, self.toll_rows),
            "toll_rows_single": self.toll_rows_single,
            "killed_exact_single": self.killed_exact_single,
            "killed_exact_single_share": self.share(
                self.killed_exact_single, self.toll_rows_single
            ),
            "type_measure": self.type_measure,
            "type_rows": self.type_rows,
            "type_ok": self.type_ok,
            "type_ok_share": self.share(self.type_ok, self.type_rows),
            "errors": dict(self.classes),
            "seconds": self.seconds,
        }


@dataclass(frozen=True, slots=True)
class IncidentEval:
    """The report and each row's result."""

    report: IncidentEvalReport
    results: list[RowResult]


# --------------------------------------------------------------------------- reading


def parse_event_columns(spec: str | Mapping[str, str]) -> dict[str, str]:
    """A mapping ``field=column`` (``"text=Summary,date=Day,lat=Y,lon=X"``) by field name.

    Keys are names of ``FIELDS`` or aliases (``notes``, ``headline``, ``lat``, ``lon``,
    ``fatalities``, ``best``, ``geo_precision`` ...).

    >>> parse_event_columns("text=Summary,lat=Y")
    {'text': 'Summary', 'latitude': 'Y'}
    """
    from geomap.acled import _name_mapping

    return _name_mapping(spec, FIELDS, _ALIASES, "field")


def _layout(
    header: Sequence[str], columns: Mapping[str, str] | None, path: str
) -> tuple[str, dict[str, str]]:
    """The layout's name and field -> the table's column as written in the header."""
    lowered = {h.strip().lower(): h for h in header}
    name, mapping = "columns", {}
    for layout, fields in LAYOUTS.items():
        if all(fields[f].lower() in lowered for f in _REQUIRED):
            name = layout
            mapping = {f: lowered[c.lower()] for f, c in fields.items() if c.lower() in lowered}
            break
    for f, column in (columns or {}).items():
        if column.strip().lower() not in lowered:
            msg = (
                f"the column mapping names {column!r}, which the table lacks; its columns "
                f"are {', '.join(header)}"
            )
            raise ReportError(path, 1, msg)
        mapping[f] = lowered[column.strip().lower()]
        if name != "columns" and f in _REQUIRED:
            name = f"{name} with --columns"
    missing = [f for f in _REQUIRED if f not in mapping]
    if missing:
        msg = (
            f"no {missing[0]} column: not an ACLED or UCDP GED table; its columns are "
            f"{', '.join(header) or 'none'}; map yours with --columns "
            "text=...,date=...,lat=...,lon=..."
        )
        raise ReportError(path, 1, msg)
    return name, mapping


@lru_cache(maxsize=1_000)
def _iso2(iso: str, name: str) -> str:
    """An ISO 3166-1 alpha-2 code from a numeric or alpha-3 code or a country name."""
    import pycountry

    iso, name = iso.strip(), name.strip()
    found: Any = None
    if iso.isdigit():
        found = pycountry.countries.get(numeric=f"{int(iso):03d}")
    elif len(iso) == 3:
        found = pycountry.countries.get(alpha_3=iso.upper())
    elif len(iso) == 2:
        found = pycountry.countries.get(alpha_2=iso.upper())
    if found is not None:
        return str(found.alpha_2)
    for code, acled_name in ACLED_COUNTRY_NAMES.items():
        if name and acled_name.lower() == name.lower():
            return code
    try:
        return str(pycountry.countries.lookup(name).alpha_2) if name else ""
    except LookupError:
        return ""


def _number(value: str, what: str) -> float | None:
    text = value.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        msg = f"{what} {text!r} is not a number"
        raise ValueError(msg) from None


def _event(row: Mapping[str, str], line: int, text: str) -> CodedEvent:
    day = parse_acled_date(row["date"])
    end = row.get("date_end", "").strip()
    lat, lon = _number(row["latitude"], "latitude"), _number(row["longitude"], "longitude")
    if lat is None or lon is None:
        msg = "the coded point is empty"
        raise ValueError(msg)
    killed = _number(row.get("killed", ""), "the toll")
    violence = _number(row.get("type_of_violence", ""), "type_of_violence")
    prec = _number(row.get("where_prec", ""), "the coded precision")
    return CodedEvent(
        id=row.get("id", "").strip() or str(line),
        line=line,
        text=text,
        day=day,
        day_end=parse_acled_date(end) if end else day,
        lat=lat,
        lon=lon,
        killed=None if killed is None else int(killed),
        sub_event_type=row.get("sub_event_type", "").strip(),
        type_of_violence=None if violence is None else int(violence),
        where_prec=None if prec is None else int(prec),
        location=row.get("location", "").strip(),
        admin1=row.get("admin1", "").strip(),
        country=_iso2(row.get("iso", ""), row.get("country", "")),
    )


def load_event_table(
    path: str | os.PathLike[str], *, columns: str | Mapping[str, str] | None = None
) -> EventTable:
    """Read an event table (CSV or XLSX) with a text and the coders' answer per row.

    Parameters
    ----------
    path
        An ACLED export (``notes``, ``event_date``, ``latitude``, ``longitude``, ...), a
        UCDP GED table (``source_headline``, ``date_start``, ...), or any table that
        ``columns`` maps.
    columns
        ``field=column`` pairs (see :func:`parse_event_columns`), over the recognised
        layout's where both name a field.

    Returns
    -------
    EventTable
        The rows with a text, in file order; rows whose text is empty are counted, and rows
        that cannot be read are listed with their line and reason.

    Raises
    ------
    ReportError
        The table cannot be read, or lacks a text, date or coordinate column.
    ColumnsError
        ``columns`` is malformed.
    """
    from geomap.acled import _csv_rows, _xlsx_rows

    p = Path(path)
    name = str(p)
    header, rows = _xlsx_rows(p) if p.suffix.lower() == ".xlsx" else _csv_rows(p)
    mapped = parse_event_columns(columns) if columns else None
    layout, mapping = _layout(header, mapped, name)
    position = {f: header.index(c) for f, c in mapping.items()}
    events: list[CodedEvent] = []
    skipped: list[ReportError] = []
    empty = 0
    for line, values in rows:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            msg = f"the row has {len(values)} fields, the header {len(header)}; check its quoting"
            skipped.append(ReportError(name, line, msg))
            continue
        row = {f: values[k] for f, k in position.items()}
        text = row["text"].strip()
        if not text:
            empty += 1
            continue
        if layout.startswith("UCDP"):
            text = _HEADLINE_JOIN.sub("\n", text)  # one headline per line
        try:
            events.append(_event(row, line, text))
        except ValueError as e:
            skipped.append(ReportError(name, line, f"{e}; fix the row or remove it"))
    return EventTable(name, layout, events, empty, skipped)


def filter_events(
    events: Iterable[CodedEvent], *, where_prec: Iterable[int] | None = None
) -> list[CodedEvent]:
    """The events whose coded precision is one of ``where_prec`` (all when None)."""
    wanted = None if where_prec is None else frozenset(where_prec)
    return [e for e in events if wanted is None or e.where_prec in wanted]


def sample_events(events: Sequence[CodedEvent], n: int | None, seed: int) -> list[CodedEvent]:
    """``n`` events drawn without replacement by a seeded generator, in table order."""
    if n is None or n >= len(events):
        return list(events)
    picked = sorted(random.Random(seed).sample(range(len(events)), n))
    return [events[k] for k in picked]


def names_place(
    event: CodedEvent,
    gazetteer: Gazetteer,
    *,
    km: float = _HIT_KM,
    cache: dict[str, tuple[tuple[float, float], ...]] | None = None,
) -> bool:
    """Whether the row's text names the coded place.

    True when a run of one to four words of the text (within one phrase, the first word
    capitalised) is, after normalisation, the coded location's name (its generic word,
    "town", "province", dropped), or is a name the gazetteer gives a town or site (not a
    division, country or region) within ``km`` of the coded point. The test uses the
    coders' answer and the gazetteer's spellings, not the geoparser: it selects the rows on
    which extraction can be judged without favouring the names the geoparser already finds.
    ``cache`` (name -> points) may be shared between calls.
    """
    from gazetteer import normalize_name

    coded = normalize_name(event.location) if event.location else ""
    points = {} if cache is None else cache
    for phrase in _PHRASE_BREAK.split(event.text):
        words = _WORD.findall(phrase)
        for i, first in enumerate(words):
            if not first[:1].isupper():
                continue
            for j in range(i + 1, min(i + 5, len(words) + 1)):
                run = " ".join(words[i:j])
                if coded and normalize_name(run) == coded:
                    return True
                if run not in points:
                    points[run] = _fine_points(gazetteer, run)
                if any(great_circle((event.lat, event.lon), p).km <= km for p in points[run]):
                    return True
    return False


def _fine_points(gazetteer: Gazetteer, name: str) -> tuple[tuple[float, float], ...]:
    found = gazetteer.lookup(name, limit=20, fuzzy=False)
    return tuple((c.lat, c.lon) for c in found if c.feature not in _COARSE_FEATURES)


# --------------------------------------------------------------------------- scoring


def report_of(event: CodedEvent) -> Report:
    """The row as a report published on the coded date."""
    return Report(id=f"row-{event.id}", text=event.text, published=event.day)


def compared_incident(incidents: Sequence[Incident]) -> Incident | None:
    """The first incident in text order with a mappable point, else the first one."""
    ordered = sorted(incidents, key=lambda i: i.quote_start)
    for incident in ordered:
        if incident.mappable:
            return incident
    return ordered[0] if ordered else None


def _type_ok(event: CodedEvent, incident: Incident) -> bool | None:
    if event.sub_event_type:
        return incident.sub_event_type.casefold() == event.sub_event_type.casefold()
    if event.type_of_violence in UCDP_COMPATIBLE:
        return incident.event_type in UCDP_COMPATIBLE[event.type_of_violence]
    return None


def _placement_class(event: CodedEvent, incident: Incident, km: float) -> str:
    if (event.country and incident.country and incident.country != event.country) or (
        km > ABROAD_KM
    ):
        return "abroad"
    if km <= _HIT_KM:
        return ""
    finer = event.where_prec is None or event.where_prec <= 3
    return "parent-level only" if incident.geo_precision == 3 and finer else "wrong place"


def score_row(event: CodedEvent, incidents: Sequence[Incident]) -> RowResult:
    """Compare a row's incidents with the coded event (see the module notes)."""
    incident = compared_incident(incidents)
    if incident is None:
        return RowResult(event, 0, None, None, ("no incident",), None, None, None, None)
    classes: list[str] = []
    km = None
    if incident.mappable and incident.latitude is not None and incident.longitude is not None:
        km = great_circle((event.lat, event.lon), (incident.latitude, incident.longitude)).km
        where = _placement_class(event, incident, km)
        if where:
            classes.append(where)
    else:
        classes.append("unplaced")
    type_ok = _type_ok(event, incident)
    if type_ok is False:
        classes.append("wrong type")
    day = incident.event_date
    date_ok = day is not None and incident.time_precision == 1 and event.day <= day <= event.day_end
    if not date_ok:
        classes.append("wrong date")
    exact = within = None
    if event.killed:
        said = incident.killed or 0
        exact, within = said == event.killed, abs(said - event.killed) <= 1
        if not exact:
            classes.append("wrong toll")
    return RowResult(
        event, len(incidents), incident, km, tuple(classes), date_ok, exact, within, type_ok
    )


def _type_measure(events: Sequence[CodedEvent]) -> str:
    if any(e.sub_event_type for e in events):
        return "agreement"
    if any(e.type_of_violence in UCDP_COMPATIBLE for e in events):
        return "compatibility"
    return "n/a"


def evaluate_incidents(
    events: Sequence[CodedEvent],
    pipeline: Callable[[Report], Sequence[Incident]],
    *,
    table: str = "",
    layout: str = "",
    filters: Sequence[str] = (),
) -> IncidentEval:
    """Run every row through ``pipeline`` and score it.

    Parameters
    ----------
    events
        The coded rows.
    pipeline
        Takes one report and returns its incidents (:func:`run_pipeline`, or a fake).
    table, layout, filters
        Shown in the report.
    """
    started = time.perf_counter()
    results = [score_row(e, list(pipeline(report_of(e)))) for e in events]
    placed = [r for r in results if r.km is not None]
    kms = [r.km for r in placed if r.km is not None]
    toll = [r for r in results if r.killed_exact is not None]
    single = [r for r in toll if r.incident is not None and not r.incident.aggregate]
    typed = [r for r in results if r.type_ok is not None]
    classes = Counter(c for r in results for c in r.classes)
    report = IncidentEvalReport(
        table=table,
        layout=layout,
        rows=len(results),
        with_incident=sum(1 for r in results if r.incident is not None),
        placed=len(placed),
        within={radius: sum(1 for k in kms if k <= radius) for radius in RADII_KM},
        median_km=statistics.median(kms) if kms else None,
        abroad=classes["abroad"],
        date_exact=sum(1 for r in results if r.date_ok),
        toll_rows=len(toll),
        killed_exact=sum(1 for r in toll if r.killed_exact),
        killed_within_one=sum(1 for r in toll if r.killed_within_one),
        toll_rows_single=len(single),
        killed_exact_single=sum(1 for r in single if r.killed_exact),
        type_rows=len(typed),
        type_ok=sum(1 for r in typed if r.type_ok),
        type_measure=_type_measure(events),
        classes={c: classes[c] for c in CLASSES},
        seconds=time.perf_counter() - started,
        filters=tuple(filters),
    )
    return IncidentEval(report, results)


def run_pipeline(
    gazetteer: Gazetteer | None = None,
    *,
    country_hint: str | None = None,
    dayfirst: bool | None = None,
) -> Callable[[Report], list[Incident]]:
    """The pipeline as ``geomap run`` runs it, on one report at a time.

    Each report is run alone (merged within itself, never with another row), so that one
    row's incidents are never folded into another's.
    """
    from geomap.geoparser.parse import default_gazetteer
    from geomap.pipeline import incidents_from_reports

    gaz = gazetteer or default_gazetteer()

    def run(report: Report) -> list[Incident]:
        return incidents_from_reports(
            [report], gazetteer=gaz, country_hint=country_hint, dayfirst=dayfirst
        )

    return run


# --------------------------------------------------------------------------- output


def _pct(count: int, of: int) -> str:
    return f"{100.0 * count / of:5.1f}%" if of else "    -"


def format_incident_report(report: IncidentEvalReport) -> str:
    """The figures as a readable table, without a trailing newline."""
    r = report
    title = f"Incident evaluation: {Path(r.table).name or 'table'} ({r.layout})"
    rows: list[tuple[str, str, str]] = [
        ("rows (reports)", f"{r.rows:,}", ""),
        ("with an incident", f"{r.with_incident:,}", _pct(r.with_incident, r.rows)),
        ("with a mappable incident (placed)", f"{r.placed:,}", _pct(r.placed, r.rows)),
    ]
    for radius, n in r.within.items():
        share = f"{_pct(n, r.rows)} of all, {_pct(n, r.placed).strip()} of placed"
        rows.append((f"within {radius} km", f"{n:,}", share))
    median = "-" if r.median_km is None else f"{r.median_km:.1f}"
    rows += [
        ("median km (placed)", median, ""),
        ("abroad or > 500 km", f"{r.abroad:,}", f"{_pct(r.abroad, r.placed)} of placed"),
        ("exact date", f"{r.date_exact:,}", _pct(r.date_exact, r.rows)),
        ("rows with a coded toll > 0 and an incident", f"{r.toll_rows:,}", ""),
        ("killed exact", f"{r.killed_exact:,}", _pct(r.killed_exact, r.toll_rows)),
        ("killed within one", f"{r.killed_within_one:,}", _pct(r.killed_within_one, r.toll_rows)),
        (
            "killed exact, single-event incidents",
            f"{r.killed_exact_single:,}",
            f"{_pct(r.killed_exact_single, r.toll_rows_single)} of {r.toll_rows_single:,}",
        ),
    ]
    if r.type_measure == "n/a":
        rows.append(("type", "n/a", "the table codes no type"))
    else:
        rows.append((f"type {r.type_measure}", f"{r.type_ok:,}", _pct(r.type_ok, r.type_rows)))
    width = max(len(label) for label, _, _ in rows)
    lines = [title, "=" * len(title)]
    if r.filters:
        lines.append("rows: " + "; ".join(r.filters))
    lines += [f"{label:<{width}}  {count:>8}  {share}".rstrip() for label, count, share in rows]
    lines += ["", "errors (a row may have several; placement classes exclude each other)"]
    lines += [f"  {name:<{width - 2}}  {n:>8}" for name, n in r.classes.items()]
    lines.append(f"seconds {r.seconds:.1f}")
    return "\n".join(lines)


def _incident_dict(incident: Incident | None) -> dict[str, Any] | None:
    if incident is None:
        return None
    return {
        "label": incident.label,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "location": incident.location,
        "country": incident.country,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "geo_precision": incident.geo_precision,
        "relation": incident.relation,
        "event_date": incident.event_date.isoformat() if incident.event_date else None,
        "time_precision": incident.time_precision,
        "date_phrase": incident.date_phrase,
        "killed": incident.killed,
        "killed_perpetrators": incident.killed_perpetrators,
        "aggregate": incident.aggregate,
        "quote": incident.quote,
    }


def write_errors(results: Iterable[RowResult], path: str | os.PathLike[str]) -> int:
    """Write every failed row as one JSON line (text, coded answer, incident, classes).

    Returns
    -------
    int
        The number of lines written.
    """
    n = 0
    with Path(path).open("w", encoding="utf-8") as out:
        for r in results:
            if not r.classes:
                continue
            e = r.event
            line = {
                "id": e.id,
                "line": e.line,
                "classes": list(r.classes),
                "text": e.text,
                "coded": {
                    "date": e.day.isoformat(),
                    "date_end": e.day_end.isoformat(),
                    "latitude": e.lat,
                    "longitude": e.lon,
                    "where_prec": e.where_prec,
                    "location": e.location,
                    "admin1": e.admin1,
                    "country": e.country,
                    "killed": e.killed,
                    "sub_event_type": e.sub_event_type,
                    "type_of_violence": e.type_of_violence,
                },
                "incidents": r.incidents,
                "incident": _incident_dict(r.incident),
                "km": None if r.km is None else round(r.km, 1),
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            n += 1
    return n

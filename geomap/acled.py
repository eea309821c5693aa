"""ACLED's format both ways: incident tables read into :class:`Incident` records, and
incidents written back in ACLED's columns and codes.

Tables are recognised by their columns: ACLED exports (the older format and the 2023 one,
with dates as ``31-Dec-20``, ``2020-12-31``, ``20201231`` or ``31 December 2020``), geomap's
own CSV, or any table whose columns are mapped with ``columns={"date": "Date", ...}`` (the
CLI's ``--columns date=Date,location=Town``). Every bad row is reported with its file and
line and the rest is read.

>>> parse_columns("date=Date,location=Town")
{'event_date': 'Date', 'location': 'Town'}
"""

from __future__ import annotations

import csv
import io
import logging
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from gazetteer.files import read_regular_file
from geomap._errors import ColumnsError, ReportError, shown
from geomap._formulas import guard_cell, unguard_cell
from geomap.records import Incident, date_out_of_range

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_COUNTRY_NAMES",
    "COLUMN_ALIASES",
    "DISORDER_TYPES",
    "MAX_FATALITIES",
    "TABLE_SUFFIXES",
    "PointCheck",
    "TableRead",
    "acled_country",
    "acled_csv",
    "incident_from_row",
    "incidents_to_acled_rows",
    "parse_acled_date",
    "parse_columns",
    "read_acled",
    "read_table",
    "write_acled_csv",
]

logger = logging.getLogger(__name__)

#: ACLED's columns in its 2023 export order. The older format has the same names, plus
#: ``data_id`` and ``event_id_no_cnty``, less ``disorder_type`` and ``civilian_targeting``.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
#: File endings read as incident tables.
TABLE_SUFFIXES = (".csv", ".xlsx")
#: Short names accepted by ``parse_columns`` for the ACLED column they stand for.
COLUMN_ALIASES = {
    "date": "event_date",
    "id": "event_id_cnty",
    "type": "event_type",
    "subtype": "sub_event_type",
    "sub_type": "sub_event_type",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "killed": "fatalities",
    "quote": "notes",
    "place": "location",
    "incident_id": "event_id_cnty",
}
#: ACLED's spelling of the countries whose ISO 3166 names differ.
ACLED_COUNTRY_NAMES = {
    "SY": "Syria",
    "IR": "Iran",
    "RU": "Russia",
    "PS": "Palestine",
    "TR": "Turkey",
    "KR": "South Korea",
    "KP": "North Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "TZ": "Tanzania",
    "VN": "Vietnam",
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "CI": "Ivory Coast",
    "XK": "Kosovo",
    "US": "United States",
    "GB": "United Kingdom",
}
#: ACLED's disorder_type of each event_type (its 2023 codebook).
DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
#: The most fatalities a row may give: more is a typo or an overflow (1e30, inf).
MAX_FATALITIES = 1_000_000
#: Checks a row's point against its country: ``(country, lat, lon) -> (lat, lon, note)``,
#: the point as placed and a note when it was corrected (latitude and longitude swapped);
#: raises ValueError saying what is wrong and the fix when the point cannot be right.
PointCheck = Callable[[str, float, float], tuple[float, float, str]]
_DATE_FORMATS = ("%Y-%m-%d", "%d-%b-%y", "%Y%m%d", "%d %B %Y", "%d-%B-%Y", "%d-%b-%Y", "%d %b %Y")
_GEOMAP_MARKERS = ("incident_id", "event_date", "label")
_REQUIRED = ("event_date",)
_PLACE_COLUMNS = ("location", "admin1", "country", "latitude")


def parse_columns(spec: str | Mapping[str, str]) -> dict[str, str]:
    """A column mapping ``ours=theirs`` (``"date=Date,location=Town"``) as ACLED names.

    Keys are ACLED column names or their short aliases (``COLUMN_ALIASES``).
    """
    return _name_mapping(spec, ACLED_COLUMNS, COLUMN_ALIASES, "column")


def _name_mapping(
    spec: str | Mapping[str, str],
    names: Iterable[str],
    aliases: Mapping[str, str],
    what: str,
) -> dict[str, str]:
    """``ours=theirs`` pairs keyed by one of ``names`` (or an alias of one)."""
    known = frozenset(names)
    pairs = spec.items() if isinstance(spec, Mapping) else _pairs(spec)
    mapping = {}
    for key, value in pairs:
        name = aliases.get(key.strip().lower(), key.strip().lower())
        if name not in known:
            valid = ", ".join(sorted({*known, *aliases}))
            msg = f"unknown {what} {key!r} in the column mapping; valid names are {valid}"
            raise ColumnsError(msg)
        mapping[name] = value.strip()
    return mapping


def _pairs(spec: str) -> Iterator[tuple[str, str]]:
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            msg = f"bad column mapping {part!r}; write ours=theirs, e.g. date=Date,location=Town"
            raise ColumnsError(msg)
        yield key, value


@lru_cache(maxsize=50_000)
def parse_acled_date(value: str) -> date:
    """A date in one of ACLED's styles: ``31-Dec-20``, ``2020-12-31``, ``20201231`` ...

    >>> parse_acled_date("31-Dec-20"), parse_acled_date("20201231")
    (datetime.date(2020, 12, 31), datetime.date(2020, 12, 31))
    """
    text = value.strip()
    if "T" in text[8:11]:  # an ISO datetime: its day
        text = text[:10]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    msg = f"cannot read the date {shown(value)}; write it as 2020-12-31, 31-Dec-20 or 20201231"
    raise ValueError(msg)


@lru_cache(maxsize=1_000)
def _country_code(iso: str, name: str) -> str:
    import pycountry

    if iso.strip().isdigit():
        found = pycountry.countries.get(numeric=f"{int(iso):03d}")
        if found is not None:
            return str(found.alpha_2)
    name = name.strip()
    if not name:
        return ""
    for code, acled_name in ACLED_COUNTRY_NAMES.items():
        if acled_name.lower() == name.lower():
            return code
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return ""


@lru_cache(maxsize=1_000)
def acled_country(code: str) -> tuple[str, str]:
    """ACLED's ``iso`` (ISO 3166-1 numeric) and ``country`` name for an alpha-2 code."""
    import pycountry

    if not code:
        return "", ""
    found = pycountry.countries.get(alpha_2=code.upper())
    if found is None:
        return "", ACLED_COUNTRY_NAMES.get(code.upper(), code)
    name = ACLED_COUNTRY_NAMES.get(code.upper()) or getattr(found, "common_name", found.name)
    return str(int(found.numeric)), str(name)


def _int(row: Mapping[str, str], key: str, default: int | None, high: int) -> int | None:
    """A whole number from 0 (or 1 for a precision) to ``high``; "3.0" is 3, "1e30" an error."""
    value = _float(row, key)
    if value is None:
        return default
    low = 0 if default is None else 1
    if not (value.is_integer() and low <= value <= high):  # inf and nan fail too
        msg = f"{key} {shown(row[key].strip())} is not a whole number from {low} to {high:,}"
        raise ValueError(msg)
    return int(value)


def _float(row: Mapping[str, str], key: str) -> float | None:
    text = (row.get(key) or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        msg = f"{key} {shown(text)} is not a number"
        raise ValueError(msg) from None


def _out_of_range(lat: float, lon: float) -> str:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return f"latitude {lat} and longitude {lon} must be finite numbers"
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return ""
    return (
        f"latitude {lat}, longitude {lon} is out of range (latitude -90 to 90, "
        "longitude -180 to 180)"
    )


def _point(
    row: Mapping[str, str], country: str, check_point: PointCheck | None
) -> tuple[float | None, float | None, str]:
    """The row's latitude and longitude, checked, and a note if they were corrected."""
    lat, lon = _float(row, "latitude"), _float(row, "longitude")
    if lat is None or lon is None:
        if (lat is None) != (lon is None):
            msg = "latitude and longitude must both be given or both be empty"
            raise ValueError(msg)
        return None, None, ""
    if problem := _out_of_range(lat, lon):
        if _out_of_range(lon, lat):
            raise ValueError(problem)
        if check_point is None or not country:
            msg = f"{problem}; they look swapped: exchange the latitude and longitude values"
            raise ValueError(msg)
        try:  # swapped, the point must lie in the row's country for the swap to be sure
            placed = check_point(country, lon, lat)
        except ValueError:
            msg = f"{problem}; swapped they are not in {country} either: correct them"
            raise ValueError(msg) from None
        if placed[2]:  # the checker swapped them back: no sure reading
            msg = f"{problem}; correct the latitude and longitude"
            raise ValueError(msg)
        note = (
            f"latitude {lat} and longitude {lon} were swapped: placed at latitude {lon}, "
            f"longitude {lat}, in {country}; exchange the values in the table"
        )
        return lon, lat, note
    if check_point is None or not country:
        return lat, lon, ""
    return check_point(country, lat, lon)


@lru_cache(maxsize=64)
def _file_names(path: str) -> tuple[str, str]:
    p = Path(path)
    return p.stem, p.name


def incident_from_row(
    row: Mapping[str, str], *, path: str, line: int, check_point: PointCheck | None = None
) -> Incident:
    """One ACLED-named row as an incident; rows without coordinates keep their place names
    for geocoding (``latitude`` None). Raises :class:`ReportError` naming the file and line.

    Coordinates must be in range, and with ``check_point`` inside the row's country; a row
    whose latitude and longitude are out of range but swapped lie in its country is placed
    swapped (:func:`read_table` gives the note)."""
    return _incident_and_note(row, path=path, line=line, check_point=check_point)[0]


def _incident_and_note(
    row: Mapping[str, str], *, path: str, line: int, check_point: PointCheck | None
) -> tuple[Incident, str]:
    try:
        raw_date = (row.get("event_date") or "").strip()
        if not raw_date:
            msg = "the event_date is empty"
            raise ValueError(msg)
        event_date = parse_acled_date(raw_date)
        if why := date_out_of_range(event_date):
            msg = f"the event_date {why}"
            raise ValueError(msg)
        country = _country_code(row.get("iso") or "", row.get("country") or "")
        lat, lon, note = _point(row, country, check_point)
        stem, name = _file_names(path)
        source = (row.get("source") or "").strip()
        sub = (row.get("sub_event_type") or "").strip()
        event_type = (row.get("event_type") or "").strip()
        incident = Incident(
            incident_id=(row.get("event_id_cnty") or "").strip() or f"{stem}-{line}",
            event_date=event_date,
            time_precision=_int(row, "time_precision", 1, 3) or 1,
            date_phrase="",
            event_type=event_type,
            sub_event_type=sub,
            label=(sub or event_type).lower(),
            location=(row.get("location") or "").strip(),
            place_id="",
            latitude=lat,
            longitude=lon,
            geo_precision=_int(row, "geo_precision", 1, 4) or 1,
            country=country,
            admin1=(row.get("admin1") or "").strip(),
            admin1_code="",
            admin2=(row.get("admin2") or "").strip(),
            actor1=(row.get("actor1") or "").strip(),
            assoc_actor_1=(row.get("assoc_actor_1") or "").strip(),
            actor2=(row.get("actor2") or "").strip(),
            killed=_int(row, "fatalities", None, MAX_FATALITIES),
            quote=(row.get("notes") or "").strip(),
            report_id=f"{name}:{line}",
            source=source,
            sources=tuple(s.strip() for s in source.split(";") if s.strip()),
            report_ids=(f"{name}:{line}",),
            confidence=1.0,
        )
    except ValueError as e:
        raise ReportError(path, line, f"{e}; fix the row or remove it") from e
    return incident, note


def _mapped(header: list[str], columns: Mapping[str, str] | None, path: str) -> dict[str, str]:
    """ACLED name -> the table's column, for a table's header."""
    names = {h.strip(): h for h in header}
    lowered = {h.strip().lower(): h for h in header}
    if columns:
        missing = [theirs for theirs in columns.values() if theirs not in names]
        if missing:
            msg = (
                f"the column mapping names {missing[0]!r}, which the table lacks; "
                f"its columns are {', '.join(names)}"
            )
            raise ReportError(path, 1, msg)
        mapping = {ours: names[theirs] for ours, theirs in columns.items()}
    else:
        mapping = {c: lowered[c] for c in ACLED_COLUMNS if c in lowered}
        if all(m in lowered for m in _GEOMAP_MARKERS):  # geomap's own CSV
            mapping["event_id_cnty"] = lowered["incident_id"]
            for ours, theirs in (("fatalities", "killed"), ("notes", "quote")):
                if theirs in lowered:
                    mapping[ours] = lowered[theirs]
    missing = [c for c in _REQUIRED if c not in mapping]
    if missing:
        msg = (
            f"no {missing[0]} column: this is not an ACLED or geomap table; its columns are "
            f"{', '.join(names) or 'none'}; map yours with --columns date=...,location=... "
            "(geomap run and geomap incidents)"
        )
        raise ReportError(path, 1, msg)
    if not any(c in mapping for c in _PLACE_COLUMNS):
        msg = (
            "no location, admin1, country or latitude column; map one with --columns "
            "location=... (geomap run and geomap incidents)"
        )
        raise ReportError(path, 1, msg)
    return mapping


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    data = read_regular_file(path)
    if b"\x00" in data[:8192]:
        raise ReportError(str(path), 0, "this is a binary file, not a CSV table")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        msg = f"invalid UTF-8 byte {data[e.start : e.end]!r} at line {line}; save the file as UTF-8"
        raise ReportError(str(path), line, msg) from e
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ReportError(str(path), 0, "the table is empty; give a header row and data rows")

    def rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise ReportError(str(path), reader.line_num, f"not valid CSV ({e})") from e
            yield reader.line_num, [unguard_cell(v) for v in values]

    return header, rows()


def _xlsx_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError as e:
        msg = 'reading .xlsx tables needs openpyxl: pip install "geomap[xlsx]"'
        raise ImportError(msg) from e
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a file that is not a workbook
        raise ReportError(str(path), 0, f"cannot open the workbook ({e})") from e
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    first = next(it, None)
    if first is None:
        raise ReportError(str(path), 0, "the workbook's first sheet is empty")

    def cell(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, datetime):
            return v.date().isoformat()
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(it, start=2):
            yield number, [cell(v) for v in values]

    return [cell(v) for v in first], rows()


@dataclass(slots=True)
class TableRead:
    """What :func:`read_table` read: the rows, the rows skipped, and notes on rows corrected."""

    incidents: list[Incident] = field(default_factory=list)
    skipped: list[ReportError] = field(default_factory=list)
    notes: list[ReportError] = field(default_factory=list)  # file, line, what was corrected


def read_table(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    check_point: PointCheck | None = None,
) -> TableRead:
    """Read an incident table (CSV or XLSX): its rows, its bad rows, and corrections made.

    Parameters
    ----------
    path
        An ACLED export, a geomap CSV, or any table when ``columns`` maps it.
    columns
        ACLED column name (or alias) -> the table's column (see :func:`parse_columns`).
    check_point
        Checks each row's point against its country (see :data:`PointCheck`); without it
        coordinates are only checked to be in range.

    Raises
    ------
    ReportError
        For a table that cannot be read at all.
    """
    path = Path(path)
    name = str(path)
    header, rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    mapping = _mapped(header, parse_columns(columns) if columns else None, name)
    position = {ours: header.index(theirs) for ours, theirs in mapping.items()}
    read = TableRead()
    width = len(header)
    for line, values in rows:
        if not any(v.strip() for v in values):
            continue
        if len(values) != width:
            msg = f"the row has {len(values)} fields, the header {width}; check its quoting"
            read.skipped.append(ReportError(name, line, msg))
            continue
        row = {ours: values[k] for ours, k in position.items()}
        try:
            incident, note = _incident_and_note(row, path=name, line=line, check_point=check_point)
        except ReportError as e:
            read.skipped.append(e)
            continue
        read.incidents.append(incident)
        if note:
            read.notes.append(ReportError(name, line, note))
    logger.info(
        "read_table read %s rows from %s (%s skipped)", len(read.incidents), name, len(read.skipped)
    )
    return read


def read_acled(
    path: str | Path, *, columns: Mapping[str, str] | None = None
) -> tuple[list[Incident], list[ReportError]]:
    """Read an incident table: its rows as incidents, and each row skipped with its file,
    line and reason (:func:`read_table`, without a country check of the coordinates).

    A table that cannot be read at all raises :class:`ReportError`.
    """
    read = read_table(path, columns=columns)
    return read.incidents, read.skipped


def _number(value: float | None) -> str:
    return "" if value is None else repr(round(value, 6))


def incidents_to_acled_rows(
    incidents: Iterable[Incident], *, date_format: str = "%Y-%m-%d"
) -> list[dict[str, str]]:
    """Incidents as rows of ACLED's columns (``ACLED_COLUMNS``), every value a string.

    ``fatalities`` is ``killed``, 0 when not said (ACLED's convention); geo_precision 4
    (country) becomes ACLED's 3; ``source`` joins every outlet with "; "; ``notes`` is the
    quote; ``iso`` is the ISO 3166-1 numeric code; columns geomap does not know are empty.
    """
    out = []
    for i in incidents:
        iso, country = acled_country(i.country)
        row = dict.fromkeys(ACLED_COLUMNS, "")
        row.update(
            event_id_cnty=i.incident_id,
            event_date=i.event_date.strftime(date_format) if i.event_date else "",
            year=str(i.event_date.year) if i.event_date else "",
            time_precision=str(i.time_precision),
            disorder_type=DISORDER_TYPES.get(i.event_type, ""),
            event_type=i.event_type,
            sub_event_type=i.sub_event_type,
            actor1=i.actor1,
            assoc_actor_1=i.assoc_actor_1,
            actor2=i.actor2,
            iso=iso,
            country=country,
            admin1=i.admin1,
            admin2=i.admin2,
            location=i.location,
            latitude=_number(i.latitude),
            longitude=_number(i.longitude),
            geo_precision=str(min(i.geo_precision, 3)),
            source="; ".join(i.sources) if i.sources else i.source,
            notes=i.quote,
            fatalities=str(i.killed or 0),
        )
        out.append(row)
    return out


def acled_csv(incidents: Iterable[Incident], *, date_format: str = "%Y-%m-%d") -> str:
    """Incidents as the text of an ACLED-format CSV (LF line ends), formulas neutralised.

    A text cell a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``@SUM(...)``)
    gets a leading apostrophe (``geomap._formulas``); reading it back removes it.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in incidents_to_acled_rows(incidents, date_format=date_format):
        writer.writerow({k: guard_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def write_acled_csv(
    incidents: Iterable[Incident], path: str | Path, *, date_format: str = "%Y-%m-%d"
) -> int:
    """Write incidents as an ACLED-format CSV (:func:`acled_csv`); the number of rows."""
    text = acled_csv(incidents, date_format=date_format)
    Path(path).write_text(text, encoding="utf-8", newline="")
    return text.count("\n") - 1

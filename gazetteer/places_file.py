"""Read places files: the curated overlay shipped in ``gazetteer/data`` and users' own files.

Both share one CSV layout (UTF-8, a header row)::

    id,name,alternate_names,lat,lon,feature,country,admin1,admin1_code,population,source

``name``, ``lat``, ``lon`` and ``country`` are required; ``alternate_names`` are separated
by ``|``. A row whose ``id`` is an id the index already has (``iso3166-1:IQ``,
``iso3166-2:IQ-KR``, ``geonames:98182``) adds its names to that place instead of making a
new one; it may then leave ``lat`` and ``lon`` empty, and its ``feature`` replaces the
stored one. In the curated overlay, such a row's ``name`` also becomes a GeoNames place's
name ("Palmyra" for GeoNames' "Tadmur"); a division keeps its ISO 3166-2 name.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from gazetteer._errors import PlacesFileError
from gazetteer.records import FEATURE_TYPES, Place

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "PlaceRow", "read_places_file"]

COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "alternate_names",
    "lat",
    "lon",
    "feature",
    "country",
    "admin1",
    "admin1_code",
    "population",
    "source",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("name", "lat", "lon", "country")
_MERGE_PREFIXES = ("iso3166-1:", "iso3166-2:", "geonames:")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MAX_PROBLEMS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """One row of a places file: a new place, or names added to an existing one."""

    line: int
    names: tuple[str, ...]
    place: Place | None = None  # a new place (or the replacement of a merged one's data)
    merge_into: str = ""  # the existing id this row adds names to
    feature: str = ""


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        bad = data[e.start : e.end]
        problem = f"invalid UTF-8 byte {bad!r}; save the file as UTF-8 and try again"
        raise PlacesFileError(str(path), line, problem) from e


def _float(value: str, column: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        msg = f"{column} {value!r} is not a number"
        raise ValueError(msg) from None
    if not low <= number <= high:  # NaN fails this too
        msg = f"{column} {value!r} is outside [{low:g}, {high:g}]"
        if column == "lat":
            msg += "; are latitude and longitude swapped?"
        raise ValueError(msg)
    return number


def _row(record: dict[str, str], line: int, namespace: str) -> PlaceRow:
    for key, value in record.items():
        if value and _CONTROL.search(value):
            msg = f"column {key!r} holds a control character: {value!r}"
            raise ValueError(msg)
    name = record.get("name", "").strip()
    if not name:
        msg = "the name is empty"
        raise ValueError(msg)
    alternates = [a.strip() for a in record.get("alternate_names", "").split("|") if a.strip()]
    names = tuple(dict.fromkeys([name, *alternates]))
    feature = record.get("feature", "").strip()
    if feature and feature not in FEATURE_TYPES:
        msg = f"unknown feature {feature!r}; use one of {', '.join(FEATURE_TYPES)}"
        raise ValueError(msg)
    row_id = record.get("id", "").strip()
    lat_text, lon_text = record.get("lat", "").strip(), record.get("lon", "").strip()
    if row_id.startswith(_MERGE_PREFIXES) and not (lat_text or lon_text):
        return PlaceRow(line=line, names=names, merge_into=row_id, feature=feature)
    feature = feature or "populated_place"
    if not (lat_text and lon_text):
        msg = "lat and lon are required for a new place"
        raise ValueError(msg)
    country = record.get("country", "").strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        msg = f"country {country!r} is not an ISO 3166-1 alpha-2 code such as IQ"
        raise ValueError(msg)
    population_text = record.get("population", "").strip()
    if population_text and not population_text.isdigit():
        msg = f"population {population_text!r} is not a whole number"
        raise ValueError(msg)
    place = Place(
        id=row_id if row_id.startswith(_MERGE_PREFIXES) else f"{namespace}:{row_id or line}",
        name=name,
        lat=_float(lat_text, "lat", -90, 90),
        lon=_float(lon_text, "lon", -180, 180),
        feature=feature,
        country=country,
        admin1=record.get("admin1", "").strip(),
        admin1_code=record.get("admin1_code", "").strip().upper(),
        population=int(population_text or 0),
        source=record.get("source", "").strip() or namespace,
    )
    merge = row_id if row_id.startswith(_MERGE_PREFIXES) else ""
    return PlaceRow(line=line, names=names, place=place, merge_into=merge, feature=feature)


def read_places_file(path: str | Path, *, namespace: str = "user") -> list[PlaceRow]:
    """Read and check a places CSV file.

    Parameters
    ----------
    path
        The file.
    namespace
        Prefix of the ids of new places: ``overlay`` for the curated file, ``user`` for
        users' files.

    Raises
    ------
    PlacesFileError
        For every problem, naming the file, the line and the fix; the first problem is in
        ``.line`` and the message lists the first few.
    """
    path = Path(path)
    try:
        text = _decode(path)
    except OSError as e:
        raise PlacesFileError(str(path), 0, f"cannot read the file: {e.strerror}") from e
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        optional = ", ".join(c for c in COLUMNS if c not in REQUIRED_COLUMNS)
        problem = (
            f"missing column(s) {', '.join(missing)}; the header must hold "
            f"{', '.join(REQUIRED_COLUMNS)} (optional: {optional})"
        )
        raise PlacesFileError(str(path), 1, problem)
    rows: list[PlaceRow] = []
    problems: list[tuple[int, str]] = []
    for record in reader:
        line = reader.line_num
        if None in record:
            problems.append((line, "more fields than the header has columns"))
            continue
        try:
            rows.append(_row({k: v or "" for k, v in record.items()}, line, namespace))
        except (ValueError, TypeError) as e:
            problems.append((line, str(e)))
    if problems:
        line, first = problems[0]
        more = "; ".join(f"line {n}: {p}" for n, p in problems[1:_MAX_PROBLEMS_SHOWN])
        if more:
            first += f" (also {more}"
            hidden = len(problems) - _MAX_PROBLEMS_SHOWN
            first += f", and {hidden} more)" if hidden > 0 else ")"
        raise PlacesFileError(str(path), line, first)
    return rows

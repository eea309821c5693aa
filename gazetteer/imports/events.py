"""Event tables as gazetteers: the places of ACLED, UCDP GED and GTD exports.

An event export codes each event's location: a name, its parents and a point, with a
precision that says whether the point is the named place or only an area around it.
Every distinct named location coded precisely becomes a place of the imports database:

- **ACLED** (``location``, ``admin1``-``admin3``, ``latitude``, ``longitude``,
  ``geo_precision``): precision 1 is the named town; 2 ("near" it) and 3 (a district or
  province) name areas and are not points;
- **UCDP GED** (``where_coordinates``, ``adm_1``, ``adm_2``, ``latitude``, ``longitude``,
  ``where_prec``): precision 1 is the exact location and 2 a known point within about
  25 km of the event, both places; 3 and coarser are divisions, regions and countries;
- **GTD** (``city``, ``provstate``, ``latitude``, ``longitude``, ``specificity``):
  specificity 1 is the city's own point; 2 to 5 are centroids of divisions.

Tables are told apart by their columns (:func:`event_format`), as CSV or ``.xlsx``, and
read row by row: memory grows with the number of distinct locations, never with the file.

**Names and types.** A location's first or last word may say its type (:data:`TYPE_WORDS`):
"Al Fallūjah town" is a populated place named "Al Fallūjah" (the words UCDP appends to
a settlement's name are dropped), "Qaḑā’ al Fallūjah" a district, "Jabal Sinjār" a
mountain, "Ain Assad Air Base" a military base. Other locations are populated places. A
name that is a country, or a direction and a country ("Northern Iraq"), is an area, as
is a description with a distance ("river 8 km into Iraq"): neither becomes a point.
ACLED names a city's quarter "City - Quarter": the place has both names.

**Parents.** A place keeps its first-level division (with its ISO 3166-2 code when a
known division has that name, else the name as written) and its district, which
:meth:`gazetteer.Gazetteer.parents` gives and geoparsing matches against the text.

**Merging.** A location named like a place the gazetteer has (built in, or imported
before from any file) within :data:`EVENT_MERGE_KM`, of the same or a close feature type,
is that place, and nothing is added ("merged"). A location whose name gave no type
merges with any namesake that is not a division. The same location coded again (another
spelling of its point, another event) is counted once.

**Ranking.** Event places have no population and a prominence of 0, and the lookup ranks
them after every other place of the same name (:mod:`gazetteer.lookup`); a parent named in
the text that agrees only with them (their division) still lets them win.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import math
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gazetteer._errors import ImportFileError
from gazetteer.imports.db import EVENT_ID_PREFIX
from gazetteer.imports.geonames import BuiltinContext, Problems
from gazetteer.imports.user_files import _country_near, _Parents, _Sink
from gazetteer.normalize import fold, parse_name

__all__ = [
    "EVENT_FORMATS",
    "EVENT_ID_PREFIX",
    "EVENT_MERGE_KM",
    "EVENT_SUFFIXES",
    "TYPE_WORDS",
    "EventFormat",
    "EventImportResult",
    "event_format",
    "import_events",
    "read_header",
]

#: A location named like a known place this close to it is that place.
EVENT_MERGE_KM = 10.0
#: File endings an event table may have.
EVENT_SUFFIXES = (".csv", ".tsv", ".xlsx")

_PROGRESS_ROWS = 1 << 14
_MAX_NAME = 200  # longer "names" are descriptions (the lookup ignores them too)
_NOT_NAMES = frozenset({"unknown", "n a", "na", "none", "not known", "unspecified"})  # folded


@dataclass(frozen=True, slots=True)
class EventFormat:
    """The columns of one event export and what its precision codes mean."""

    name: str  # "acled"
    label: str  # "ACLED"
    location: str  # the column naming the location
    admins: tuple[str, ...]  # parent columns, largest first
    precision: str  # the precision column
    precise: frozenset[str]  # precision values whose point is the named place
    countries: tuple[str, ...]  # columns giving the country, the most exact first
    licence: str

    @property
    def required(self) -> tuple[str, ...]:
        """The columns that tell this format (and that the import needs)."""
        return (self.location, self.admins[0], "latitude", "longitude", self.precision)


def _precise(*values: int) -> frozenset[str]:
    # CSV writes 1, a spreadsheet 1 or 1.0
    return frozenset(v for n in values for v in (str(n), f"{n}.0"))


#: The event exports the import knows, tried in this order.
EVENT_FORMATS: tuple[EventFormat, ...] = (
    EventFormat(
        "acled", "ACLED", "location", ("admin1", "admin2", "admin3"), "geo_precision",
        _precise(1), ("iso", "country"),
        "ACLED (Armed Conflict Location & Event Data, acleddata.com), under ACLED's Terms "
        "of Use and Attribution Policy: credit ACLED; no redistribution of its data "
        "without ACLED's permission",
    ),
    EventFormat(
        "ucdp", "UCDP GED", "where_coordinates", ("adm_1", "adm_2"), "where_prec",
        _precise(1, 2), ("iso3", "country"),
        "UCDP Georeferenced Event Dataset (ucdp.uu.se), CC BY 4.0: cite Sundberg and "
        "Melander (2013) and the GED codebook",
    ),
    EventFormat(
        "gtd", "GTD", "city", ("provstate",), "specificity", _precise(1), ("country_txt",),
        "Global Terrorism Database (START, University of Maryland, start.umd.edu/gtd), "
        "under GTD's terms of use: cite START; non-commercial use, no redistribution "
        "without START's permission",
    ),
)  # fmt: skip

#: Words a location starts or ends with, and the feature type each says.
TYPE_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("town", "city", "village", "locality", "hamlet", "settlement", "neighbourhood",
         "neighborhood", "quarter", "suburb"),
        "populated_place",
    ),
    **dict.fromkeys(
        ("district", "districts", "qada", "subdistrict", "nahiya", "nahiyah", "raion",
         "rayon", "woreda", "county"),
        "admin2",
    ),
    **dict.fromkeys(
        ("province", "governorate", "muhafazah", "muhafazat", "oblast", "wilayah"), "admin1"
    ),
    **dict.fromkeys(
        ("mountain", "mountains", "mount", "jabal", "jebel", "hill", "hills", "wadi",
         "valley", "river", "lake", "island", "desert", "plain"),
        "natural",
    ),
    **dict.fromkeys(
        ("dam", "refinery", "station", "bridge", "crossing", "checkpoint", "prison",
         "hospital", "port", "oilfield"),
        "facility",
    ),
    **dict.fromkeys(
        ("base", "airbase", "camp", "garrison", "barracks", "airfield"), "military_base"
    ),
    "airport": "airport",
    **dict.fromkeys(("area", "border", "zone"), "area"),
}  # fmt: skip
# Trailing words that describe a name rather than belong to it: dropped from the name.
_DESCRIPTIVE = frozenset({"town", "city", "village", "locality", "hamlet", "settlement", "area"})
_DIRECTIONS = frozenset(
    "north northern south southern east eastern west western central northeast "
    "northeastern northwest northwestern southeast southeastern southwest southwestern "
    "upper lower middle".split()
)
_DISTANCE = re.compile(r"\d\s*(?:km|kms|kilomet(?:er|re)s?|mi|miles)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_DIVISIONS = frozenset({"continent", "country", "region", "admin1", "admin2"})
_CLOSE = (
    frozenset({"military_base", "airport"}),
    frozenset({"populated_place", "area"}),
    frozenset({"admin1", "region"}),
)


@functools.lru_cache(maxsize=1024)
def _spoken(name: str) -> tuple[str, ...]:
    """The folded words of a name (of a country: remembered)."""
    return tuple(_WORD.findall(fold(name)))


def event_format(header: list[str]) -> EventFormat | None:
    """The event export whose columns a header (lower-cased) has, or None."""
    columns = set(header)
    for fmt in EVENT_FORMATS:
        if columns.issuperset(fmt.required):
            return fmt
    return None


@dataclass(frozen=True, slots=True)
class _Table:
    """An open table: its lower-cased header, its rows, where the reading is."""

    header: list[str]
    rows: Iterator[list[str]]
    line: Callable[[], int]  # the line (row of a sheet) of the row last read
    position: Callable[[], int]  # bytes read so far (0 for a sheet)


@contextlib.contextmanager
def _csv_table(path: Path) -> Iterator[_Table]:
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        reader = csv.reader(text, delimiter=delimiter)
        header = [h.strip().lower() for h in next(reader, [])]
        try:
            yield _Table(header, reader, lambda: reader.line_num, raw.tell)
        finally:
            text.detach()


@contextlib.contextmanager
def _xlsx_table(path: Path) -> Iterator[_Table]:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError as e:
        msg = f'reading {path} needs openpyxl: pip install "geomap[xlsx]"'
        raise ImportFileError(msg) from e
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a file that is not a workbook
        msg = f"cannot read {path} as a workbook: {e}"
        raise ImportFileError(msg) from e
    try:
        cells = book.active.iter_rows(values_only=True)
        header = [str(v or "").strip().lower() for v in next(cells, ())]
        line = [1]

        def rows() -> Iterator[list[str]]:
            for values in cells:  # read_only: one row at a time, never the whole sheet
                line[0] += 1
                yield ["" if v is None else str(v) for v in values]

        yield _Table(header, rows(), lambda: line[0], lambda: 0)
    finally:
        book.close()


def _table(path: Path) -> contextlib.AbstractContextManager[_Table]:
    """A CSV, TSV or .xlsx table, opened to be read row by row."""
    return _xlsx_table(path) if path.suffix.lower() == ".xlsx" else _csv_table(path)


def read_header(path: Path) -> list[str]:
    """The lower-cased column names of a table.

    Raises
    ------
    ImportFileError
        When the file cannot be read as a table.
    """
    try:
        with _table(path) as table:
            return table.header
    except (OSError, csv.Error, UnicodeError) as e:
        msg = f"cannot read {path} as a table: {e}"
        raise ImportFileError(msg) from e


@dataclass(frozen=True, slots=True)
class EventImportResult:
    """What an event table gave: rows read, places added and merged, rows left as areas."""

    format: EventFormat
    rows: int  # rows read
    places: int  # places added
    merged: int  # distinct locations that were a known place
    imprecise: int  # rows whose precision (or name) makes no point
    repeats: int  # precise rows of a location counted before

    @property
    def note(self) -> str:
        return (
            f"{self.format.label} table: {self.rows:,} rows read, {self.places:,} places "
            f"added, {self.merged:,} merged with known places, {self.imprecise:,} rows "
            "name areas or no place and are not points"
        )


@dataclass
class _Location:
    """One distinct location, as the importer reads it."""

    name: str
    names: list[str]
    feature: str
    typed: bool  # its words said its type


def _location(name: str, country_name: str) -> _Location | None:
    """Name, names and type of a location as an export writes it; None for no point."""
    name = " ".join(name.split())
    if len(name) > _MAX_NAME or _DISTANCE.search(name):
        return None
    words = tuple(_WORD.findall(fold(name)))
    if not words or " ".join(words) in _NOT_NAMES:
        return None
    rest = words
    while rest and rest[0] in _DIRECTIONS:
        rest = rest[1:]
    if country_name and (not rest or rest == _spoken(country_name)):
        return None  # "Iraq", "Northern Iraq": an area, not a point
    names = [name]
    if " - " in name:  # ACLED's "City - Quarter"
        names.append(name.split(" - ", 1)[1].strip())
    feature = TYPE_WORDS.get(words[-1]) if len(words) > 1 else None
    if feature is not None and words[-1] in _DESCRIPTIVE:
        cut = name.rstrip()[: -len(name.split()[-1])].strip()
        if cut:
            names = [cut, *names[1:]]
            name = cut
    elif feature is None and len(words) > 1:
        feature = TYPE_WORDS.get(words[0])
    if feature is None:
        return _Location(name, names, "populated_place", typed=False)
    return _Location(name, names, feature, typed=True)


def _mergeable(typed: bool, feature: str, other: str) -> bool:
    if not typed:
        return other not in _DIVISIONS
    return feature == other or frozenset({feature, other}) in _CLOSE


def _km(lat: float, lon: float, olat: float, olon: float) -> float:
    dx = (olon - lon) * math.cos(math.radians(lat))
    return 111.2 * math.hypot(olat - lat, dx)


class _Countries:
    """ISO 3166-1 alpha-2 codes of the country columns' values, remembered."""

    def __init__(self, builtin: sqlite3.Connection) -> None:
        self.builtin = builtin
        self.known: dict[str, str] = {}

    def code(self, value: str) -> str:
        found = self.known.get(value)
        if found is None:
            found = self.known[value] = self._code(value.strip())
        return found

    def _code(self, value: str) -> str:
        import pycountry

        if not value:
            return ""
        record = None
        if value.isdigit():  # ACLED's ISO 3166 numeric code
            record = pycountry.countries.get(numeric=value.zfill(3))
        elif len(value) in (2, 3) and value.isalpha() and value.isupper():
            if len(value) == 2:
                record = pycountry.countries.get(alpha_2=value)
            else:
                record = pycountry.countries.get(alpha_3=value)
        else:
            with contextlib.suppress(LookupError):
                record = pycountry.countries.lookup(value)
        if record is not None:
            return str(record.alpha_2)
        key = parse_name(value)[0]
        row = self.builtin.execute(
            "SELECT p.country FROM names n JOIN places p ON p.pid = n.pid "
            "WHERE n.key = ? AND p.feature = 'country' LIMIT 1",
            (key,),
        ).fetchone()
        return str(row[0]) if row else ""


@dataclass
class _Importer:
    """Turns distinct precise locations into places, merging with the known ones."""

    con: sqlite3.Connection
    builtin: sqlite3.Connection
    sink: _Sink
    parents: _Parents
    countries: _Countries
    problems: Problems
    own: dict[str, list[tuple[float, float, str]]] = field(default_factory=dict)
    divisions: dict[tuple[str, str], tuple[str, str] | None] = field(default_factory=dict)
    places: int = 0
    merged: int = 0
    imprecise: int = 0
    repeats: int = 0

    def known(self, keys: list[str], lat: float, lon: float, loc: _Location) -> bool:
        """Whether a place of these keys, close and of a fitting type, is known."""
        sql = (
            "SELECT p.lat, p.lon, p.feature FROM names n JOIN places p ON p.pid = n.pid "
            "WHERE n.key = ?"
        )
        for key in keys:
            for db in (self.builtin, self.con):
                for olat, olon, feature in db.execute(sql, (key,)):
                    if _mergeable(loc.typed, loc.feature, feature) and (
                        _km(lat, lon, olat, olon) <= EVENT_MERGE_KM
                    ):
                        return True
        return False

    def repeat(self, keys: list[str], lat: float, lon: float) -> bool:
        for key in keys:
            for olat, olon, _ in self.own.get(key, ()):
                if _km(lat, lon, olat, olon) <= EVENT_MERGE_KM:
                    return True
        return False

    def add(self, line: int, row: list[str], cols: _Columns) -> None:
        """Consider a precise row whose location was not seen before."""
        point = []
        for column, i in (("latitude", cols.lat), ("longitude", cols.lon)):
            try:
                point.append(float(row[i]))
            except ValueError:
                self.problems.add(line, f"{column} {row[i]!r} is not a number")
                return
        lat, lon = point
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # NaN fails too
            self.problems.add(line, f"coordinates ({lat!r}, {lon!r}) are out of range")
            return
        country_text = next((row[i] for i in cols.countries if row[i].strip()), "")
        country_name = row[cols.country_name] if cols.country_name is not None else ""
        loc = _location(row[cols.location], country_name or country_text)
        if loc is None:
            self.imprecise += 1
            return
        keys = list(dict.fromkeys(k for n in loc.names if (k := self.sink.keys(n)[1])))
        if not keys:
            self.problems.add(line, f"the location {loc.name!r} has no letters or digits")
            return
        if self.repeat(keys, lat, lon):
            self.repeats += 1
            return
        for key in keys:
            self.own.setdefault(key, []).append((lat, lon, loc.feature))
        if self.known(keys, lat, lon, loc):
            self.merged += 1
            return
        cc = self.countries.code(country_text) or _country_near(self.builtin, lat, lon)
        admins = [row[i].strip() for i in cols.admins]
        admin1 = admins[0] if admins else ""
        if (cc, admin1) not in self.divisions:  # a table names few divisions, many times
            self.divisions[(cc, admin1)] = self.parents.by_name(cc, admin1)
        found = self.divisions[(cc, admin1)] or self.parents.by_point(lat, lon)
        code, admin1 = found if found else ("", admin1)
        admin2 = next((a for a in admins[1:] if a), "")
        self.places += 1
        place_id = f"{EVENT_ID_PREFIX}{self.sink.source}:{self.places}"
        self.sink.add(
            (place_id, loc.name, lat, lon, loc.feature, cc, admin1, code, 0), loc.names,
            merged=False, extra=(admin2, ""), prominence=0.0,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Columns:
    location: int
    lat: int
    lon: int
    precision: int
    admins: tuple[int, ...]
    countries: tuple[int, ...]
    country_name: int | None
    width: int


def _columns(header: list[str], fmt: EventFormat) -> _Columns:
    at = {name: i for i, name in reversed(list(enumerate(header)))}
    name_column = next((c for c in ("country_txt", "country") if c in at), None)
    return _Columns(
        at[fmt.location], at["latitude"], at["longitude"], at[fmt.precision],
        tuple(at[a] for a in fmt.admins if a in at),
        tuple(at[c] for c in fmt.countries if c in at),
        at[name_column] if name_column else None,
        max(at[c] for c in fmt.required) + 1,
    )  # fmt: skip


def import_events(
    con: sqlite3.Connection,
    path: Path,
    *,
    sid: int,
    source: str,
    ctx: BuiltinContext,
    builtin: sqlite3.Connection,
    problems: Problems,
    advance: Callable[[int], None] | None = None,
) -> EventImportResult:
    """Import the distinct precise locations of an event table as places.

    ``advance`` is told the number of bytes read as the import goes (CSV only).

    Raises
    ------
    ImportFileError
        When the file is not an event export the import knows.
    """
    with _table(path) as table:
        header = table.header
        fmt = event_format(header)
        if fmt is None:
            msg = (
                f"{path} is not an event table: it needs the columns of an ACLED, UCDP GED "
                f"or GTD export; its columns are {', '.join(header) or 'none'}"
            )
            raise ImportFileError(msg)
        cols = _columns(header, fmt)
        importer = _Importer(
            con, builtin, _Sink(con, sid, source), _Parents(con, ctx), _Countries(builtin),
            problems,
        )  # fmt: skip
        precise, width, position, done = fmt.precise, cols.width, table.position, 0
        seen: set[tuple[str, str, str, str]] = set()
        n = imprecise = 0
        i_loc, i_a1, i_lat, i_lon, i_prec = (
            cols.location, cols.admins[0], cols.lat, cols.lon, cols.precision
        )  # fmt: skip
        # the work of every row: what a row of a large table costs is spent here
        for row in table.rows:
            n += 1
            if advance is not None and not n & (_PROGRESS_ROWS - 1):
                advance(position() - done)
                done = position()
            if len(row) < width:
                if any(row):
                    problems.add(table.line(), f"{len(row)} columns; the header has {len(header)}")
                else:
                    n -= 1  # a blank line is no row
                continue
            if row[i_prec] not in precise and row[i_prec].strip() not in precise:
                imprecise += 1
                continue
            location = (row[i_loc], row[i_a1], row[i_lat], row[i_lon])
            if location in seen:
                importer.repeats += 1
                continue
            seen.add(location)
            importer.add(table.line(), row, cols)
        if advance is not None:  # the whole file is read (a sheet tells no position)
            advance(path.stat().st_size - done)
    return EventImportResult(
        fmt, n, importer.places, importer.merged, imprecise + importer.imprecise,
        importer.repeats,
    )  # fmt: skip

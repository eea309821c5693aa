"""Import GeoNames dumps into the imports database (companion files: :mod:`.geonames_extras`).

Formats, as published at https://download.geonames.org/export/dump/ (tab-separated, UTF-8):

- a dump (a country extract such as ``IQ.txt`` or ``allCountries.txt``): 19 columns,
  geonameid, name, asciiname, alternatenames (comma-separated), latitude, longitude,
  feature class, feature code, country code, cc2, admin1 .. admin4 codes, population,
  elevation, dem, timezone, modification date;
- ``admin1CodesASCII.txt`` and ``admin2Codes.txt``: code ("IQ.01", "IQ.01.1234"), name,
  ASCII name, geonameid;
- ``alternateNamesV2.txt`` (or a country's alternate names): alternateNameId, geonameid,
  isolanguage, name, isPreferredName, isShortName, isColloquial, isHistoric, from, to;
- ``hierarchy.txt``: parent geonameid, child geonameid, type ("ADM");
- ``countryInfo.txt``: ISO, ISO3, ..., Country (name), ..., geonameid (column 17).

Merging with the built index: a row whose GeoNames id the index has (a place of
cities500, or one the curated overlay merged into) adds its names to that place; so does
a country (``A.PCL*``) to its ISO 3166-1 place, a first-level division (``A.ADM1``) to
its ISO 3166-2 place, and a place named like a curated overlay place of a close feature
type within :data:`OVERLAY_MERGE_KM`. Nothing is duplicated.

Parents: GeoNames admin1 codes ("01") are matched to ISO 3166-2 codes ("IQ-AN") the way
the built index links them (:mod:`gazetteer.sources`): the built index's places of a
GeoNames admin1 code vote for its division, and ``admin1CodesASCII.txt`` names that match
a division's name decide the codes no place voted for.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from gazetteer._fastnames import NameKeys
from gazetteer._textfiles import open_lines, open_raw
from gazetteer.build import feature_prominence
from gazetteer.normalize import parse_name
from gazetteer.records import FEATURE_TYPES
from gazetteer.sources import _good_alternate

__all__ = [
    "FEATURE_BY_CODE",
    "GEONAMES_LICENCE",
    "OVERLAY_MERGE_KM",
    "BuiltinContext",
    "DumpParser",
    "Parallel",
    "Problems",
    "apply_votes",
    "feature_type",
    "fill_admin1",
    "fill_admin_names",
    "import_dump",
    "record_votes",
]

logger = logging.getLogger(__name__)

#: The licence note of GeoNames data: its attribution travels with the data it names.
GEONAMES_LICENCE = "GeoNames (www.geonames.org), CC BY 4.0"
#: An imported place this close to a curated overlay place of the same name and a close
#: feature type is that place.
OVERLAY_MERGE_KM = 10.0

_FIELDS = 19
_BATCH = 20_000
_PROBLEMS_KEPT = 1_000
_PROBLEMS_LOGGED = 10

#: GeoNames feature codes with a feature type of their own; other codes take their class's.
FEATURE_BY_CODE: dict[str, str] = {
    **dict.fromkeys(("PCL", "PCLD", "PCLF", "PCLI", "PCLIX", "PCLS"), "country"),
    "TERR": "region",
    "ADM1": "admin1",
    **dict.fromkeys(("ADM2", "ADM3", "ADMD"), "admin2"),
    **dict.fromkeys(("AIRB", "INSM", "MILB", "NVB"), "military_base"),
    **dict.fromkeys(("AIRP", "AIRF", "AIRH", "AIRQ"), "airport"),
    **dict.fromkeys(("DAM", "DAMQ", "DAMSB", "OILF", "GASF", "MNA", "PRT", "INDS"), "facility"),
    **dict.fromkeys(("MVA",), "area"),
}
_MERGING_FEATURES = frozenset({"country", "admin1"})  # may join an ISO 3166 place
_FEATURE_BY_CLASS = {
    "A": "area",
    "H": "natural",
    "L": "area",
    "P": "populated_place",
    "R": "facility",
    "S": "facility",
    "T": "natural",
    "U": "natural",
    "V": "natural",
}
# Codes whose class alone decides (H.DAM is a facility, but L.DAM does not exist).
_CODE_CLASSES = {
    "country": "A",
    "region": "A",
    "admin1": "A",
    "admin2": "A",
    "military_base": "LS",
    "airport": "S",
    "facility": "HLS",
    "area": "L",
}
_CLOSE = {
    frozenset({"military_base", "airport"}),
    frozenset({"admin1", "region"}),
    frozenset({"area", "region"}),
}


def feature_type(feature_class: str, feature_code: str) -> str:
    """The project's feature type of a GeoNames feature class and code.

    >>> feature_type("S", "AIRB"), feature_type("P", "PPLX"), feature_type("T", "MT")
    ('military_base', 'populated_place', 'natural')
    """
    by_code = FEATURE_BY_CODE.get(feature_code)
    if by_code is not None and feature_class in _CODE_CLASSES.get(by_code, ""):
        return by_code
    return _FEATURE_BY_CLASS.get(feature_class, "area")


def _feature_table() -> dict[tuple[str, str], str]:
    return {
        (c, code): feature_type(c, code)
        for code in FEATURE_BY_CODE
        for c in "AHLPRSTUV"
        if feature_type(c, code) != _FEATURE_BY_CLASS[c]
    }


@dataclass
class Problems:
    """Rows left out of an import, each with its line and what was wrong."""

    path: str
    kept: list[tuple[int, str]] = field(default_factory=list)
    count: int = 0
    log: bool = True  # worker processes leave the logging to the main one

    def add(self, line: int, problem: str) -> None:
        self.count += 1
        if len(self.kept) < _PROBLEMS_KEPT:
            self.kept.append((line, problem))
        if self.log and self.count <= _PROBLEMS_LOGGED:
            logger.warning("%s, line %d: %s; row left out", self.path, line, problem)

    def merge(self, kept: list[tuple[int, str]], count: int) -> None:
        """Add the problems other processes found (``count`` of them, ``kept`` listed)."""
        for line, problem in sorted(kept):
            self.add(line, problem)
        self.count += count - len(kept)
        self.kept.sort()


@dataclass
class BuiltinContext:
    """What an import needs to know of the built index and of earlier imports."""

    gn_admin1: dict[int, str]  # GeoNames ids of built-in places -> their ISO 3166-2 code
    countries: set[str]  # ISO 3166-1 codes of the built-in countries
    divisions: dict[str, str]  # ISO 3166-2 code -> name of the built-in division
    division_keys: dict[tuple[str, str], set[str]]  # (country, name key) -> ISO codes
    overlay: dict[str, list[tuple[str, float, float, str]]]  # key -> (id, lat, lon, feature)
    admin1_map: dict[tuple[str, str], tuple[str, str]]  # (cc, "01") -> (ISO code, name)
    admin_names: dict[str, str]  # "IQ.01" -> name (from admin1CodesASCII)
    imported_divisions: dict[str, str]  # ISO 3166-2 code -> id of an imported division

    @classmethod
    def read(cls, builtin: sqlite3.Connection, imports: sqlite3.Connection) -> BuiltinContext:
        gn_admin1 = {
            int(pid[9:]): code
            for pid, code in builtin.execute(
                "SELECT id, admin1_code FROM places WHERE id LIKE 'geonames:%'"
            )
            if pid[9:].isdigit()
        }
        countries = {
            pid[10:] for (pid,) in builtin.execute("SELECT id FROM places WHERE feature='country'")
        }
        divisions = dict(
            builtin.execute(
                "SELECT admin1_code, name FROM places WHERE feature IN ('admin1', 'region') "
                "AND id LIKE 'iso3166-2:%'"
            )
        )
        division_keys: dict[tuple[str, str], set[str]] = defaultdict(set)
        for cc, key, code in builtin.execute(
            "SELECT p.country, n.key, p.admin1_code FROM names n JOIN places p ON p.pid = n.pid "
            "WHERE p.feature IN ('admin1', 'region') AND p.id LIKE 'iso3166-2:%'"
        ):
            division_keys[(cc, key)].add(code)
        overlay: dict[str, list[tuple[str, float, float, str]]] = defaultdict(list)
        for key, pid, lat, lon, feature in builtin.execute(
            "SELECT n.key, p.id, p.lat, p.lon, p.feature FROM names n JOIN places p "
            "ON p.pid = n.pid WHERE p.id LIKE 'overlay:%'"
        ):
            overlay[key].append((pid, lat, lon, feature))
        admin1_map = {
            (cc, gn): (iso, name)
            for cc, gn, iso, name in imports.execute(
                "SELECT country, gn_code, iso_code, name FROM admin1_map"
            )
        }
        admin_names = dict(
            imports.execute("SELECT code, name FROM admin_codes WHERE code NOT LIKE '%.%.%'")
        )
        imported_divisions = dict(
            imports.execute(
                "SELECT admin1_code, id FROM places WHERE feature = 'admin1' AND merged = 0 "
                "AND admin1_code != ''"
            )
        )
        return cls(
            gn_admin1, countries, divisions, dict(division_keys), dict(overlay), admin1_map,
            admin_names, imported_divisions,
        )  # fmt: skip

    def map_by_name(self, cc: str, gn_code: str, name: str) -> tuple[str, str] | None:
        """The division an admin1 code's name names, when exactly one does."""
        codes = self.division_keys.get((cc, parse_name(name)[0]), set())
        if len(codes) != 1:
            return None
        (iso,) = codes
        return iso, self.divisions.get(iso, name)

    def overlay_twin(self, keys: Iterable[str], lat: float, lon: float, feature: str) -> str:
        """The id of the overlay place this one duplicates, or ""."""
        for key in keys:
            for pid, olat, olon, ofeature in self.overlay.get(key, ()):
                if ofeature != feature and frozenset({ofeature, feature}) not in _CLOSE:
                    continue
                dx = (olon - lon) * math.cos(math.radians(lat))
                if 111.2 * math.hypot(olat - lat, dx) <= OVERLAY_MERGE_KM:
                    return pid
        return ""


class _Writer:
    """Batched inserts of places and names rows."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.places: list[tuple[object, ...]] = []
        self.names: list[tuple[object, ...]] = []
        self.names_sql = "INSERT INTO names VALUES (?,?,?,?,?,?,?,?,?)"
        self.capitals: set[str] = set()
        self.n_places = 0
        self.n_names = 0

    def flush(self) -> None:
        if self.places:
            self.con.executemany(
                "INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                self.places,
            )
            self.n_places += len(self.places)
            self.places.clear()
        if self.names:
            self.con.executemany(self.names_sql, self.names)
            self.n_names += len(self.names)
            self.names.clear()

    def close(self) -> None:
        self.flush()
        self.con.executemany(
            "INSERT OR IGNORE INTO capitals VALUES (?)", ((c,) for c in self.capitals)
        )


def _capital(name: str) -> bool:
    return len(name) <= 6 and name == name.upper() and any(c.isalpha() for c in name)


def _bad_dump_row(f: list[str]) -> str:
    """What is wrong with a row that failed the fast checks."""
    if len(f) != _FIELDS:
        return f"{len(f)} tab-separated fields; a GeoNames row has {_FIELDS}"
    if not f[0].isdigit():
        return f"geonameid {f[0]!r} is not a whole number"
    for column, value, low, high in (("latitude", f[4], -90, 90), ("longitude", f[5], -180, 180)):
        try:
            number = float(value)
        except ValueError:
            return f"{column} {value!r} is not a number"
        if not low <= number <= high:
            return f"{column} {value!r} is outside [{low}, {high}]"
    if f[14] and not f[14].isdigit():
        return f"population {f[14]!r} is not a whole number"
    if not f[1].strip():
        return "the name is empty"
    return "invalid UTF-8"


class DumpParser:
    """Turns GeoNames dump lines into places and names rows, written through ``con``.

    :func:`import_dump` feeds it the whole file, or each worker process of
    :mod:`gazetteer._dump_workers` feeds its share of the lines, into its own database.
    """

    def __init__(
        self,
        con: sqlite3.Connection,
        *,
        sid: int,
        source: str,
        ctx: BuiltinContext,
        problems: Problems,
        remember: int | None = None,
    ) -> None:
        self.writer = _Writer(con)
        # names rows of six columns: the others are the same for every name of a dump
        self.writer.names_sql = f"INSERT INTO names VALUES (?,?,?,?,?,?,'',0,{int(sid)})"
        self.sid = sid
        self.source = source
        self.ctx = ctx
        self.problems = problems
        self.keyer = NameKeys() if remember is None else NameKeys(remember)
        self.features = _feature_table()
        self.votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.rows = 0
        self.merged = 0

    def _place_id(
        self, gid: int, feature: str, row: list[str], mapped: tuple[str, str] | None
    ) -> str:
        """The id of the built-in place a row joins, or "" for a new place."""
        ctx = self.ctx
        builtin_code = ctx.gn_admin1.get(gid)
        if builtin_code is not None:
            if builtin_code and row[10] and row[6] == "P":
                self.votes[(row[8], row[10])][builtin_code] += 1
            return f"geonames:{gid}"
        if feature == "country" and row[8] in ctx.countries:
            return f"iso3166-1:{row[8]}"
        if feature == "admin1" and mapped is not None:
            if mapped[0] in ctx.divisions:
                return f"iso3166-2:{mapped[0]}"
            return ctx.imported_divisions.get(mapped[0], "")
        return ""

    def feed(self, lines: Iterable[str], first_line: int = 1) -> None:  # noqa: C901
        """Parse lines (the first being line ``first_line`` of the file) and write them."""
        writer, sid, source, problems = self.writer, self.sid, self.source, self.problems
        fold_key = self.keyer.__call__
        features, by_class = self.features, _FEATURE_BY_CLASS
        admin1_map, admin_names = self.ctx.admin1_map, self.ctx.admin_names
        overlay_keys, gn_admin1 = self.ctx.overlay.keys(), self.ctx.gn_admin1
        priors = {f: feature_prominence(f, 0) for f in FEATURE_TYPES}
        places_append, names_extend = writer.places.append, writer.names.extend
        for lineno, line in enumerate(lines, start=first_line):
            f = line.rstrip("\r\n").split("\t")
            if len(f) == 1 and not f[0]:
                continue  # a blank line
            try:
                if len(f) != _FIELDS or "\ufffd" in line:
                    raise ValueError
                gid = int(f[0])
                lat = float(f[4])
                lon = float(f[5])
                population = int(f[14]) if f[14] else 0
                name = f[1].strip()
                if not (name and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0 and gid > 0):
                    raise ValueError
                if population < 0:
                    raise ValueError
            except ValueError:
                problems.add(lineno, _bad_dump_row(f))
                continue
            fclass, cc, a1 = f[6], f[8], f[10]
            feature = features.get((fclass, f[7])) or by_class.get(fclass, "area")
            mapped = admin1_map.get((cc, a1)) if a1 else None
            if gid in gn_admin1 or feature in _MERGING_FEATURES:
                place_id = self._place_id(gid, feature, f, mapped)
            else:
                place_id = ""
            if mapped is not None:
                admin1_code, admin1 = mapped
            else:
                admin1_code, admin1 = "", admin_names.get(f"{cc}.{a1}", "") if a1 else ""
            seen: set[str] = set()
            keys: list[str] = []
            row_names: list[tuple[object, ...]] = []
            capitals: list[str] = []
            alternates = f[3].split(",") if f[3] else ()
            ascii_name = f[2] if f[2] != name else ""
            for n in (name, ascii_name, *alternates):
                if n is not name and (not n or not _good_alternate(n)):
                    continue
                folded, key, hint = fold_key(n)
                if not key or folded in seen:
                    continue
                seen.add(folded)
                keys.append(key)
                row_names.append((key, gid, n, folded, hint, n is name))
                if len(n) <= 6 and _capital(n):
                    capitals.append(n)
            if not keys:
                problems.add(lineno, f"the name {name!r} has no letters or digits")
                continue
            if not place_id and not overlay_keys.isdisjoint(keys):
                place_id = self.ctx.overlay_twin(keys, lat, lon, feature)
            prominence = feature_prominence(feature, population) if population else priors[feature]
            places_append(
                (gid, place_id or f"geonames:{gid}", name, lat, lon, feature, cc, admin1,
                 admin1_code, population, source, prominence, int(bool(place_id)), a1, f[11],
                 "", "", sid)
            )  # fmt: skip
            names_extend(row_names)
            if capitals:
                writer.capitals.update(capitals)
            self.rows += 1
            self.merged += bool(place_id)
            if len(writer.places) >= _BATCH:
                writer.flush()

    def close(self) -> None:
        self.writer.close()


class Parallel(NamedTuple):
    """How to parse a dump in several processes: how many, and where they write."""

    workers: int
    scratch: Path  # a directory for the workers' databases


def import_dump(
    con: sqlite3.Connection,
    path: Path,
    *,
    sid: int,
    source: str,
    ctx: BuiltinContext,
    problems: Problems,
    parallel: Parallel | None = None,
    advance: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Import a GeoNames dump (``.txt`` or ``.zip``); returns (rows imported, rows merged).

    With ``parallel``, that many processes parse the file, each into a database in the
    scratch directory, and the rows are copied in at the end. ``advance`` is told the
    number of bytes read as the import goes.
    """
    if parallel is not None and parallel.workers > 1:
        from gazetteer._dump_workers import import_dump_in_parallel

        recorded: list[bool] = []

        def record(votes: dict[tuple[str, str], Counter[str]]) -> None:
            # before the rows are copied in, which take the codes as they go (fill_admin1)
            recorded.append(record_votes(con, votes, ctx))

        with open_raw(path) as (raw, _):
            rows, merged, _ = import_dump_in_parallel(
                con, raw, sid=sid, source=source, ctx=ctx, problems=problems,
                parallel=parallel, advance=advance, record_votes=record,
            )  # fmt: skip
        if any(recorded):
            fill_admin_names(con)
        return rows, merged
    else:
        parser = DumpParser(con, sid=sid, source=source, ctx=ctx, problems=problems)
        with open_lines(path, advance) as lines:
            parser.feed(lines)
        parser.close()
        rows, merged, votes = parser.rows, parser.merged, parser.votes
    apply_votes(con, votes, ctx, sid)
    return rows, merged


def apply_votes(
    con: sqlite3.Connection,
    votes: dict[tuple[str, str], Counter[str]],
    ctx: BuiltinContext,
    sid: int,
) -> None:
    """Codes that only this dump's places linked: record them and fill the rows before."""
    if record_votes(con, votes, ctx):
        fill_admin1(con, sid=sid)


def record_votes(
    con: sqlite3.Connection, votes: dict[tuple[str, str], Counter[str]], ctx: BuiltinContext
) -> bool:
    """Record the codes that only this dump's places linked; whether there were any."""
    found = []
    for (cc, a1), counter in votes.items():
        if (cc, a1) in ctx.admin1_map:
            continue
        iso = counter.most_common(1)[0][0]
        found.append((cc, a1, iso, ctx.divisions.get(iso, ""), "places"))
        ctx.admin1_map[(cc, a1)] = (iso, ctx.divisions.get(iso, ""))
    if not found:
        return False
    con.executemany("INSERT OR REPLACE INTO admin1_map VALUES (?,?,?,?,?)", found)
    return True


def fill_admin1(con: sqlite3.Connection, *, sid: int | None = None) -> int:
    """Give places without an ISO division the one their GeoNames admin1 code maps to."""
    where = "" if sid is None else f" AND places.sid = {int(sid)}"
    cur = con.execute(
        "UPDATE places SET admin1_code = m.iso_code, admin1 = m.name FROM admin1_map m "
        "WHERE places.admin1_code = '' AND places.gn_admin1 != '' "
        f"AND places.country = m.country AND places.gn_admin1 = m.gn_code{where}"
    )
    return cur.rowcount + fill_admin_names(con)


def fill_admin_names(con: sqlite3.Connection) -> int:
    """Name the division of places without one from ``admin_codes``, by admin1 code."""
    named = con.execute(
        "UPDATE places SET admin1 = a.name FROM admin_codes a WHERE places.admin1 = '' "
        "AND places.gn_admin1 != '' AND a.code = places.country || '.' || places.gn_admin1"
    )
    return named.rowcount

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from gazetteer._fastnames import NameKeys, fast_fold
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
_ROWS_A_STATEMENT = 200  # rows of a dump's INSERT statements
_PLACE_VALUES = 15  # values of a dump's places row that are not in the SQL
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


# Built-in places that are ISO 3166-2 divisions, and overlay places (SQL, places as p).
_DIVISION = "(p.feature IN ('admin1', 'region') AND p.id LIKE 'iso3166-2:%')"
_OVERLAY = "(p.id LIKE 'overlay:%')"


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
    def read(
        cls, builtin: sqlite3.Connection, imports: sqlite3.Connection, *, geonames: bool = True
    ) -> BuiltinContext:
        """Read it; without ``geonames`` (no GeoNames file to import) ``gn_admin1`` stays
        empty, which saves a second reading every built-in GeoNames id."""
        gn_admin1: dict[int, str] = {}
        if geonames:
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
            builtin.execute(f"SELECT admin1_code, name FROM places p WHERE {_DIVISION}")
        )
        division_keys: dict[tuple[str, str], set[str]] = defaultdict(set)
        overlay: dict[str, list[tuple[str, float, float, str]]] = defaultdict(list)
        # the names of divisions and of overlay places, in one pass over the names
        for key, pid, cc, code, lat, lon, feature, is_division, is_overlay in builtin.execute(
            f"SELECT n.key, p.id, p.country, p.admin1_code, p.lat, p.lon, p.feature, "
            f"{_DIVISION}, {_OVERLAY} FROM names n JOIN places p ON p.pid = n.pid "
            f"WHERE {_DIVISION} OR {_OVERLAY} ORDER BY n.rowid"
        ):
            if is_division:
                division_keys[(cc, key)].add(code)
            if is_overlay:
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


class _DumpWriter:
    """A dump's places and names rows, inserted many rows a statement.

    The rows are kept as flat lists of values. An INSERT of many rows costs about half
    as much a row as executemany's one row a statement (1.3 µs instead of 2 for a
    place, 0.6 µs instead of 1.2 for a name), and the SQL holds what every row of a
    dump shares: its source number and the columns dumps leave empty.
    """

    def __init__(self, con: sqlite3.Connection, sid: int) -> None:
        self.con = con
        self.places: list[object] = []  # _PLACE_VALUES a row
        self.names: list[object] = []  # six a row
        self.capitals: set[str] = set()
        self._place = f"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'','',{int(sid)})"
        self._name = f"(?,?,?,?,?,?,'',0,{int(sid)})"

    def flush(self) -> None:
        self._insert("INSERT OR REPLACE INTO places VALUES ", self._place, self.places)
        self._insert("INSERT INTO names VALUES ", self._name, self.names)

    def _insert(self, head: str, row: str, values: list[object]) -> None:
        width = row.count("?")
        step = _ROWS_A_STATEMENT * width
        whole = len(values) - len(values) % step
        if whole:
            sql = head + ",".join([row] * _ROWS_A_STATEMENT)
            self.con.executemany(sql, (values[i : i + step] for i in range(0, whole, step)))
        if whole < len(values):
            rest = values[whole:]
            self.con.execute(head + ",".join([row] * (len(rest) // width)), rest)
        values.clear()

    def close(self) -> None:
        self.flush()
        self.con.executemany(
            "INSERT OR IGNORE INTO capitals VALUES (?)", ((c,) for c in self.capitals)
        )


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


# What a dump parser remembers of a name: its folded form, key and hint, and flags.
_NameInfo = tuple[str, str, str, int]
_GOOD = 1  # a name the import keeps as an alternate name (_good_alternate)
_CAPITAL = 2  # a short upper-case name (_capital)
_LEFT_OUT: _NameInfo = ("", "", "", 0)  # an alternate name the import leaves out
_NO_ADMIN1: tuple[str, str, tuple[str, str] | None] = ("", "", None)
_ADMIN1_REMEMBERED = 100_000  # admin1 codes a dump parser remembers (dumps have some 4,000)


class DumpNames:
    """What dump parsers learn of names (folded form, key, hint, flags), remembered.

    Names recur all through a dump, so one of these serves all the parsers of a process.
    """

    def __init__(self, remember: int | None = None) -> None:
        self.keyer = NameKeys() if remember is None else NameKeys(remember)
        self.known: dict[str, _NameInfo] = {}
        self._key_of_folded = self.keyer.key_of_folded

    def name(self, name: str) -> _NameInfo:
        """What :meth:`DumpParser.feed` needs of a name."""
        folded = fast_fold(name)
        key, hint = self._key_of_folded(folded)
        flags = _GOOD if _good_alternate(name) else 0
        if len(name) <= 6 and _capital(name):
            flags |= _CAPITAL
        return self._remember(name, (folded, key, hint, flags))

    def alternate(self, name: str) -> _NameInfo:
        """:meth:`name` of an alternate name, without keys for one never stored."""
        if not _good_alternate(name):
            return self._remember(name, _LEFT_OUT)
        folded = fast_fold(name)
        key, hint = self._key_of_folded(folded)
        flags = _GOOD | _CAPITAL if len(name) <= 6 and _capital(name) else _GOOD
        return self._remember(name, (folded, key, hint, flags))

    def _remember(self, name: str, info: _NameInfo) -> _NameInfo:
        # up to ``remember`` names, then forgotten at once (as NameKeys does)
        known = self.known
        if len(known) >= self.keyer.remember:
            known.clear()
        known[name] = info
        return info


class DumpParser:
    """Turns GeoNames dump lines into places and names rows, written through ``con``.

    :func:`gazetteer.imports.dump.import_dump` feeds it the whole file; a worker process of
    :mod:`gazetteer.imports._workers` makes one for each chunk of the file, writing into the
    chunk's own database, all sharing the process's ``names``. The work per row is what
    an import of allCountries (13 million rows) waits for, so :meth:`feed` does as little
    as it can per row: what it learns of a name (its keys, whether it is kept as an
    alternate name) is remembered, as is what it learns of an admin1 code, and the
    columns every row of a dump shares are written by the SQL.
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
        names: DumpNames | None = None,
    ) -> None:
        self.writer = _DumpWriter(con, sid)
        self.sid = sid
        self.source = source
        self.ctx = ctx
        self.problems = problems
        self.names = DumpNames(remember) if names is None else names
        self.features = _feature_table()
        self.votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.rows = 0
        self.merged = 0
        self._admin1: dict[str, tuple[str, str, tuple[str, str] | None]] = {}

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

    def _admin1_of(self, cc: str, a1: str) -> tuple[str, str, tuple[str, str] | None]:
        """(ISO 3166-2 code, division name, mapped) of a GeoNames admin1 code, remembered.

        ``mapped`` is the (ISO code, name) the code maps to, or None.
        """
        mapped = self.ctx.admin1_map.get((cc, a1))
        found: tuple[str, str, tuple[str, str] | None]
        if mapped is not None:
            found = (mapped[0], mapped[1], mapped)
        else:
            found = ("", self.ctx.admin_names.get(f"{cc}.{a1}", ""), None)
        if len(self._admin1) < _ADMIN1_REMEMBERED:
            self._admin1[f"{cc}\t{a1}"] = found  # tabs are never in a field
        return found

    def _more_names(self, gid: int, name: str, info: _NameInfo, others: list[str]) -> list[str]:
        """Write the names of a row with alternate names or an ASCII name; their keys.

        ``others`` are the ASCII name (if not the name) and the alternate names; names
        whose folded form an earlier one has are left out. With no keys, nothing is
        written (the row is left out).
        """
        remembered, learn = self.names.known.get, self.names.alternate
        rows, capitals = self.writer.names, self.writer.capitals
        folded, key, hint, flags = info
        keys: list[str] = []
        seen: set[str] = set()
        if key:
            seen.add(folded)
            keys.append(key)
            rows += (key, gid, name, folded, hint, 1)
            if flags & _CAPITAL:
                capitals.add(name)
        for n in others:
            folded, key, hint, flags = remembered(n) or learn(n)
            if not flags & _GOOD or not key or folded in seen:
                continue
            seen.add(folded)
            keys.append(key)
            rows += (key, gid, n, folded, hint, 0)
            if flags & _CAPITAL:
                capitals.add(n)
        return keys

    def _problem(self, lineno: int, line: str) -> None:
        """Report a row that failed the fast checks (blank lines are no problem)."""
        f = line.rstrip("\r\n").split("\t")
        if len(f) != 1 or f[0]:
            self.problems.add(lineno, _bad_dump_row(f))

    def feed(self, lines: Iterable[str], first_line: int = 1) -> None:  # noqa: C901
        """Parse lines (the first being line ``first_line`` of the file) and write them."""
        writer, problems, ctx, source = self.writer, self.problems, self.ctx, self.source
        remembered, learn = self.names.known.get, self.names.name
        features, by_class = self.features, _FEATURE_BY_CLASS
        admin1_of, admin1_remembered = self._admin1_of, self._admin1.get
        overlay_keys, gn_admin1 = ctx.overlay.keys(), ctx.gn_admin1
        priors = {f: feature_prominence(f, 0) for f in FEATURE_TYPES}
        places, names, capitals = writer.places, writer.names, writer.capitals
        batch = _BATCH * _PLACE_VALUES
        rows = merged = 0
        for lineno, line in enumerate(lines, start=first_line):
            # the last field (the modification date) may keep the line's end: unused
            f = line.split("\t")
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
                self._problem(lineno, line)
                continue
            fclass, cc, a1 = f[6], f[8], f[10]
            feature = features.get((fclass, f[7])) or by_class.get(fclass, "area")
            if a1:
                admin1_code, admin1, mapped = admin1_remembered(cc + "\t" + a1) or admin1_of(cc, a1)
            else:
                admin1_code, admin1, mapped = _NO_ADMIN1
            if gid in gn_admin1 or feature in _MERGING_FEATURES:
                place_id = self._place_id(gid, feature, f, mapped)
            else:
                place_id = ""
            info = remembered(name) or learn(name)
            if not info[1]:  # no key, or left out as an alternate name before
                info = learn(name)
            if f[3] or (f[2] and f[2] != name):
                others = f[3].split(",") if f[3] else []
                if f[2] and f[2] != name:
                    others.insert(0, f[2])
                keys: Sequence[str] = self._more_names(gid, name, info, others)
                if not keys:
                    problems.add(lineno, f"the name {name!r} has no letters or digits")
                    continue
            else:  # the name alone: most rows
                folded, key, hint, flags = info
                if not key:
                    problems.add(lineno, f"the name {name!r} has no letters or digits")
                    continue
                keys = (key,)
                names += (key, gid, name, folded, hint, 1)
                if flags & _CAPITAL:
                    capitals.add(name)
            if not place_id and not overlay_keys.isdisjoint(keys):
                place_id = ctx.overlay_twin(keys, lat, lon, feature)
            prominence = feature_prominence(feature, population) if population else priors[feature]
            places += (
                gid, place_id or f"geonames:{gid}", name, lat, lon, feature, cc, admin1,
                admin1_code, population, source, prominence, 1 if place_id else 0, a1, f[11],
            )  # fmt: skip
            rows += 1
            if place_id:
                merged += 1
            if len(places) >= batch:
                writer.flush()
        self.rows += rows
        self.merged += merged

    def close(self) -> None:
        self.writer.close()


class Parallel(NamedTuple):
    """How to parse a dump in several processes: how many, and where they write."""

    workers: int
    scratch: Path  # a directory for the workers' databases


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
) -> list[tuple[str, str, str, str]]:
    """Record the codes that only this dump's places linked; returns them.

    Each is (country, GeoNames admin1 code, ISO 3166-2 code, division name).
    """
    found = []
    for (cc, a1), counter in votes.items():
        if (cc, a1) in ctx.admin1_map:
            continue
        iso = counter.most_common(1)[0][0]
        found.append((cc, a1, iso, ctx.divisions.get(iso, "")))
        ctx.admin1_map[(cc, a1)] = (iso, ctx.divisions.get(iso, ""))
    con.executemany("INSERT OR REPLACE INTO admin1_map VALUES (?,?,?,?,'places')", found)
    return found


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
    if con.execute("SELECT 1 FROM admin_codes LIMIT 1").fetchone() is None:
        return 0  # no names: no need to go through every place
    named = con.execute(
        "UPDATE places SET admin1 = a.name FROM admin_codes a WHERE places.admin1 = '' "
        "AND places.gn_admin1 != '' AND a.code = places.country || '.' || places.gn_admin1"
    )
    return named.rowcount

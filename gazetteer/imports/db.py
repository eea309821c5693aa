"""The imports database: places imported by users, kept apart from the built index.

The built index (:mod:`gazetteer.build`) is rebuilt whenever its sources or code change,
so what users import lives in its own SQLite file beside it, ``imports.sqlite`` in the
same cache directory. It has the index's ``places`` and ``names`` tables, plus:

- ``sources``: one row per imported file (name, kind, path, sha256, rows, problems, date
  and licence note);
- ``admin_codes`` and ``admin1_map``: GeoNames admin codes ("IQ.01", "IQ.01.1234") with
  their names, and GeoNames admin1 codes matched to ISO 3166-2 codes;
- ``hierarchy``: GeoNames' parent links (``hierarchy.txt``);
- ``shapes``: polygons in WKB (WGS84), of boundaries (with their level) and of users' areas;
- ``capitals``: short names written in capitals, for the recogniser;
- ``event_tables``: of each imported event table (:mod:`gazetteer.imports.events`), its
  format and the places it added, merged and left out as areas.

A place row with ``merged = 1`` stands for a built-in place of the same ``id``: it adds
names and maybe a shape to it, and its own columns are used only if the built index no
longer has that id. GeoNames rows use their GeoNames id as ``pid``; other rows use
negative ``pid`` values.

Imports write a copy of this file and rename it over the old one when complete
(:mod:`gazetteer.imports.importer`), so readers never see a half-written import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from gazetteer._errors import GazetteerNotBuiltError
from gazetteer.records import Place

__all__ = [
    "EVENTS_SCHEMA",
    "EVENT_ID_PREFIX",
    "IMPORTS_FILE",
    "NAMES_INDEX",
    "PLACES_INDEX",
    "SCHEMA",
    "EventCounts",
    "ImportedData",
    "ImportedHit",
    "Parent",
    "SourceInfo",
    "imports_path",
]

IMPORTS_FILE = "imports.sqlite"
#: Ids of places imported from event tables start so: ``event:SOURCE:N``.
EVENT_ID_PREFIX = "event:"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    sid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, path TEXT NOT NULL,
    sha256 TEXT NOT NULL, rows INTEGER NOT NULL, problems INTEGER NOT NULL,
    imported_at TEXT NOT NULL, licence TEXT NOT NULL, level INTEGER
);
CREATE TABLE places (
    pid INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, lat REAL NOT NULL,
    lon REAL NOT NULL, feature TEXT NOT NULL, country TEXT NOT NULL, admin1 TEXT NOT NULL,
    admin1_code TEXT NOT NULL, population INTEGER NOT NULL, source TEXT NOT NULL,
    prominence REAL NOT NULL, merged INTEGER NOT NULL, gn_admin1 TEXT NOT NULL,
    gn_admin2 TEXT NOT NULL, admin2 TEXT NOT NULL, code TEXT NOT NULL, sid INTEGER NOT NULL
);
CREATE TABLE names (
    key TEXT NOT NULL, pid INTEGER NOT NULL, name TEXT NOT NULL, folded TEXT NOT NULL,
    hint TEXT NOT NULL, is_primary INTEGER NOT NULL, lang TEXT NOT NULL, flags INTEGER NOT NULL,
    sid INTEGER NOT NULL
);
CREATE TABLE admin_codes (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, ascii_name TEXT NOT NULL,
    geonameid INTEGER NOT NULL, sid INTEGER NOT NULL
);
CREATE TABLE admin1_map (
    country TEXT NOT NULL, gn_code TEXT NOT NULL, iso_code TEXT NOT NULL, name TEXT NOT NULL,
    origin TEXT NOT NULL, PRIMARY KEY (country, gn_code)
);
CREATE TABLE hierarchy (
    parent INTEGER NOT NULL, child INTEGER NOT NULL, type TEXT NOT NULL, sid INTEGER NOT NULL
);
CREATE TABLE shapes (
    pid INTEGER PRIMARY KEY, level INTEGER, wkb BLOB NOT NULL, sid INTEGER NOT NULL
);
CREATE TABLE capitals (name TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE INDEX places_id ON places(id) WHERE substr(id, 1, 9) != 'geonames:' OR pid < 0;
CREATE INDEX hierarchy_child ON hierarchy(child);
"""
#: Made in every imports database, including those written before event tables were known.
EVENTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS event_tables (
    sid INTEGER PRIMARY KEY, format TEXT NOT NULL, places INTEGER NOT NULL,
    merged INTEGER NOT NULL, imprecise INTEGER NOT NULL
);
"""
#: Dropped during large imports and made again at the end (faster than keeping them up).
NAMES_INDEX = "CREATE INDEX IF NOT EXISTS names_key ON names(key)"
#: GeoNames rows are found by their pid, the GeoNames id: only other ids are indexed (and
#: those of users' rows, with negative pids, that name a GeoNames place).
PLACES_INDEX = (
    "CREATE INDEX IF NOT EXISTS places_id ON places(id) "
    "WHERE substr(id, 1, 9) != 'geonames:' OR pid < 0"
)

#: Bits of ``names.flags``, from GeoNames' alternate names.
FLAG_PREFERRED, FLAG_SHORT, FLAG_COLLOQUIAL, FLAG_HISTORIC = 1, 2, 4, 8
_FLAG_WORDS = (
    (FLAG_HISTORIC, "a historic name"),
    (FLAG_COLLOQUIAL, "a colloquial name"),
    (FLAG_SHORT, "a short name"),
)

_LEVELS = {"country": "country", "admin1": "admin1", "region": "admin1", "admin2": "admin2"}
_COLUMNS = (
    "p.id, p.name, p.lat, p.lon, p.feature, p.country, p.admin1, p.admin1_code, "
    "p.population, p.source, p.prominence, p.merged"
)


# A place by id: GeoNames ids by pid (the GeoNames id), others through places_id.
_WHERE_ID = "((p.pid = ? AND p.id = ?) OR (p.id = ? AND substr(p.id, 1, 9) != 'geonames:'))"


def _id_args(place_id: str) -> tuple[object, ...]:
    number = place_id[9:]
    pid = int(number) if place_id.startswith("geonames:") and number.isdigit() else None
    return (pid, place_id, place_id)


def imports_path(cache_dir: Path) -> Path:
    """Where the imports of a cache directory live."""
    return cache_dir / IMPORTS_FILE


class ImportedHit(NamedTuple):
    """A stored name that matched a key, and its place."""

    place: Place | tuple[Any, ...]  # a built-in Place for merged rows, else the 10 fields
    prominence: float
    name: str
    folded: str
    hint: str
    primary: bool
    note: str  # "a historic name (ar)", "" for none


@dataclass(frozen=True, slots=True)
class EventCounts:
    """What an event table added: its format, places added and merged, rows not points."""

    format: str  # "ACLED", "UCDP GED", "GTD"
    places: int
    merged: int
    imprecise: int


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One imported file, as ``geomap gazetteer info`` lists it."""

    name: str
    kind: str
    path: str
    sha256: str
    rows: int
    problems: int
    imported_at: str
    licence: str
    level: int | None = None
    events: EventCounts | None = None  # of an event table


@dataclass(frozen=True, slots=True)
class Parent:
    """A place's parent: its country, first-level division or district.

    ``code`` is the ISO 3166 code where known (``IQ``, ``IQ-AN``), else the GeoNames admin
    code (``IQ.01.1234``) or the boundary file's code; ``id`` is "" when the parent is known
    only by name.
    """

    level: str  # "country", "admin1" or "admin2"
    name: str
    code: str
    id: str = ""


def _note(lang: str, flags: int) -> str:
    words = [w for bit, w in _FLAG_WORDS if flags & bit]
    if not words:
        return ""
    return ", ".join(words) + (f", {lang}" if lang else "")


class ImportedData:
    """Read access to an imports database, beside a built index.

    Parameters
    ----------
    path
        The imports database.
    builtin
        Gives the built-in place of an id and its prominence, or None: merged rows show
        the built-in place.
    """

    def __init__(self, path: Path, builtin: Callable[[str], tuple[Place, float] | None]) -> None:
        self.path = path
        uri = f"{path.resolve().as_uri()}?mode=ro"
        self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            self.meta: dict[str, str] = dict(self._con.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as e:
            self._con.close()
            msg = f"{path} is not an imports database ({e}); delete it and import again"
            raise GazetteerNotBuiltError(msg) from e
        if self.meta.get("complete") != "1":
            self._con.close()
            msg = f"{path} is a half-written imports database; delete it and import again"
            raise GazetteerNotBuiltError(msg)
        self._builtin = builtin
        self._merged: dict[str, tuple[Place, float] | None] = {}
        self._shapes: dict[int, Any] = {}

    def close(self) -> None:
        self._con.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The read-only connection (for the division index and benchmarks)."""
        return self._con

    def _builtin_place(self, place_id: str) -> tuple[Place, float] | None:
        if place_id not in self._merged:
            self._merged[place_id] = self._builtin(place_id)
        return self._merged[place_id]

    def hits(self, key: str) -> list[ImportedHit]:
        """Every imported name with this key, with its place."""
        rows = self._con.execute(
            f"SELECT {_COLUMNS}, n.name, n.folded, n.hint, n.is_primary, n.lang, n.flags "
            "FROM names n JOIN places p ON p.pid = n.pid WHERE n.key = ?",
            (key,),
        ).fetchall()
        hits: dict[tuple[str, str], ImportedHit] = {}
        for row in rows:
            place: Place | tuple[Any, ...] = row[:10]
            prominence = float(row[10])
            if row[11]:
                found = self._builtin_place(row[0])
                if found is not None:
                    place, prominence = found
            hit = ImportedHit(
                place, prominence, row[12], row[13], row[14], bool(row[15]),
                _note(row[16], row[17]),
            )  # fmt: skip
            # one name of a place may come from a dump and from its alternate names file
            same = hits.get((row[0], row[13]))
            if same is None or (hit.primary, bool(hit.note)) > (same.primary, bool(same.note)):
                hits[(row[0], row[13])] = hit
        return list(hits.values())

    def get(self, place_id: str) -> Place | None:
        """An imported place (not a merged one) by id, or None."""
        row = self._con.execute(
            f"SELECT {_COLUMNS} FROM places p WHERE {_WHERE_ID} ORDER BY p.merged LIMIT 1",
            _id_args(place_id),
        ).fetchone()
        return Place(*row[:10]) if row else None

    def place_of_pid(self, pid: int) -> Place | None:
        """The place of a row, the built-in one for a merged row."""
        row = self._con.execute(
            f"SELECT {_COLUMNS} FROM places p WHERE p.pid = ?", (pid,)
        ).fetchone()
        if row is None:
            return None
        if row[11]:
            found = self._builtin_place(row[0])
            if found is not None:
                return found[0]
        return Place(*row[:10])

    def keys(self) -> Iterator[str]:
        """Every name key of the imports, once each."""
        for (key,) in self._con.execute("SELECT DISTINCT key FROM names"):
            yield key

    def capitals(self) -> frozenset[str]:
        return frozenset(name for (name,) in self._con.execute("SELECT name FROM capitals"))

    def sources(self) -> list[SourceInfo]:
        """The imported files, oldest first."""
        rows = self._con.execute(
            "SELECT sid, name, kind, path, sha256, rows, problems, imported_at, licence, level "
            "FROM sources ORDER BY sid"
        ).fetchall()
        events: dict[int, EventCounts] = {}
        has_events = self._con.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'event_tables'"
        ).fetchone()
        if has_events:
            for sid, *counts in self._con.execute("SELECT * FROM event_tables"):
                events[sid] = EventCounts(*counts)
        return [
            SourceInfo(name, kind, path, sha, n, problems, at, licence, level, events.get(sid))
            for sid, name, kind, path, sha, n, problems, at, licence, level in rows
        ]

    def geometry_wkb(self, place_id: str) -> bytes | None:
        """The stored shape of a place, in WKB, or None."""
        row = self._con.execute(
            f"SELECT s.wkb FROM shapes s JOIN places p ON p.pid = s.pid WHERE {_WHERE_ID} LIMIT 1",
            _id_args(place_id),
        ).fetchone()
        return bytes(row[0]) if row else None

    def division_rows(self, level: int) -> list[tuple[int, bytes, str, str]]:
        """``(pid, wkb, code, source)`` of every boundary of this level."""
        rows = self._con.execute(
            "SELECT s.pid, s.wkb, p.code, p.source FROM shapes s JOIN places p ON p.pid = s.pid "
            "WHERE s.level = ? ORDER BY s.pid DESC",
            (level,),
        )
        return [(pid, bytes(wkb), code, source) for pid, wkb, code, source in rows]

    def info(self) -> dict[str, Any]:
        """Counts and sources, for :meth:`gazetteer.Gazetteer.info`."""
        by_feature = dict(
            self._con.execute("SELECT feature, count(*) FROM places WHERE merged = 0 GROUP BY 1")
        )
        return {
            "path": str(self.path),
            "size_bytes": self.path.stat().st_size,
            "places": int(self.meta.get("places", 0)),
            "merged": int(self.meta.get("merged", 0)),
            "names": int(self.meta.get("names", 0)),
            "by_feature": by_feature,
            "sources": [
                {
                    "name": s.name,
                    "kind": s.kind,
                    "rows": s.rows,
                    "problems": s.problems,
                    "imported_at": s.imported_at,
                    "licence": s.licence,
                    "path": s.path,
                    "sha256": s.sha256,
                    **(
                        {
                            "format": s.events.format,
                            "places": s.events.places,
                            "merged": s.events.merged,
                            "imprecise": s.events.imprecise,
                        }
                        if s.events
                        else {}
                    ),
                }
                for s in self.sources()
            ],
        }

    # -- parents ---------------------------------------------------------------------

    def _known(self, place_id: str) -> bool:
        if self._builtin_place(place_id) is not None:
            return True
        row = self._con.execute(
            f"SELECT 1 FROM places p WHERE {_WHERE_ID} LIMIT 1", _id_args(place_id)
        )
        return row.fetchone() is not None

    def _row_of(self, place_id: str) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._con.execute(
            "SELECT pid, country, admin1, admin1_code, gn_admin1, gn_admin2, admin2 "
            f"FROM places p WHERE {_WHERE_ID} ORDER BY merged LIMIT 1",
            _id_args(place_id),
        ).fetchone()
        return row

    def _admin_code(self, code: str) -> tuple[str, int] | None:
        row = self._con.execute(
            "SELECT name, geonameid FROM admin_codes WHERE code = ?", (code,)
        ).fetchone()
        return (str(row[0]), int(row[1])) if row else None

    def _code_of(self, place: Place) -> str:
        if place.feature == "country":
            return place.country
        if place.feature in ("admin1", "region"):
            return place.admin1_code
        row = self._row_of(place.id)
        return f"{place.country}.{row[4]}.{row[5]}" if row and row[4] and row[5] else ""

    def _hierarchy_parents(self, pid: int) -> list[Place]:
        chain: list[Place] = []
        seen = {pid}
        while True:
            row = self._con.execute(
                "SELECT parent FROM hierarchy WHERE child = ? AND type = 'ADM' LIMIT 1", (pid,)
            ).fetchone()
            if row is None or row[0] in seen:
                return chain
            pid = int(row[0])
            seen.add(pid)
            place = self.place_of_pid(pid)
            if place is None:
                found = self._builtin_place(f"geonames:{pid}")
                if found is None:
                    return chain
                place = found[0]
            chain.append(place)

    def parents(self, place: Place) -> list[Parent]:
        """The parents the imports know for a place, largest first (may be empty)."""
        row = self._row_of(place.id)
        if row is None:
            return []
        pid, country, admin1, admin1_code, gn1, gn2, admin2 = row
        via_hierarchy = self._hierarchy_parents(pid)
        if via_hierarchy:
            return [
                Parent(_LEVELS[p.feature], p.name, self._code_of(p), p.id)
                for p in reversed(via_hierarchy)
                if p.feature in _LEVELS
            ]
        out: list[Parent] = []
        if admin1_code or admin1 or gn1:
            gn = self._admin_code(f"{country}.{gn1}") if gn1 else None
            code = admin1_code or (f"{country}.{gn1}" if gn1 else "")
            candidates = [f"iso3166-2:{admin1_code}"] if admin1_code else []
            candidates += [f"geonames:{gn[1]}"] if gn else []
            parent_id = next((c for c in candidates if self._known(c)), "")
            out.append(Parent("admin1", admin1 or (gn[0] if gn else ""), code, parent_id))
        if gn1 and gn2:
            code = f"{country}.{gn1}.{gn2}"
            found = self._admin_code(code)
            if found:
                out.append(Parent("admin2", found[0], code, f"geonames:{found[1]}"))
        elif admin2:
            out.append(Parent("admin2", admin2, "", ""))
        return out

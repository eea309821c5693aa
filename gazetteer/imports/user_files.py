"""Import users' own gazetteers and administrative boundaries.

**Gazetteers** (CSV, GeoJSON, GeoPackage or any file GDAL reads): one place per row or
feature, with fields (any case)

- ``name`` (required; or the field given as ``name_field``);
- ``alternate_names``: separated by ``|``;
- ``feature``: one of :data:`gazetteer.records.FEATURE_TYPES` or a GeoNames code such as
  ``S.AIRB`` (default: populated_place for points, area otherwise);
- ``country`` (ISO 3166-1 alpha-2 or alpha-3), ``admin1``, ``admin2`` (parent names; an
  ``admin1`` that names a known division gets its ISO 3166-2 code), ``population``, ``id``;
- the location: the feature's geometry, or in a CSV ``lat`` and ``lon`` columns or a
  ``wkt`` column. Polygons and lines keep their geometry; the place sits at the centroid.

A row whose ``id`` is a built-in id (``geonames:98182``, ``iso3166-2:IQ-AN``) adds its
names (and shape) to that place.

**Boundaries** (``--boundaries FILE --level 1|2``), as geoBoundaries, OCHA COD-AB or GADM
publish them: each polygon becomes a division with its geometry and centroid (a point
inside the polygon when the centroid falls outside it). Names and codes are read from
the usual fields (``shapeName``/``shapeISO``, ``ADM1_EN``/``ADM1_PCODE``, ``NAME_1``/
``GID_1``). A first-level polygon that names a built-in ISO 3166-2 division (by code or
by name) gives that division its shape; a second-level one takes its parent division
from its fields or from the first-level polygon holding its centroid.
"""

from __future__ import annotations

import csv
import math
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gazetteer._errors import ImportFileError
from gazetteer._fastnames import NameKeys
from gazetteer.build import feature_prominence
from gazetteer.imports.geonames import BuiltinContext, Problems, feature_type
from gazetteer.normalize import parse_name
from gazetteer.records import FEATURE_TYPES

__all__ = ["UserImportResult", "import_boundaries", "import_gazetteer"]

_MERGE_PREFIXES = ("geonames:", "iso3166-1:", "iso3166-2:", "overlay:")
_LICENCES = (
    ("shapegroup", "geoBoundaries (www.geoboundaries.org), CC BY 4.0; check the file's metadata"),
    ("adm0_pcode", "OCHA COD-AB (data.humdata.org); licence as given on the dataset's page"),
    ("gid_0", "GADM (gadm.org); free for non-commercial use, no redistribution"),
)


@dataclass(frozen=True, slots=True)
class UserImportResult:
    """Rows imported, rows merged into built-in places, a note and the licence found."""

    rows: int
    merged: int
    note: str = ""
    licence: str = ""


@dataclass(frozen=True, slots=True)
class _Feature:
    row: int  # the line of a CSV, else the feature's position (from 1)
    values: dict[str, str]  # lower-cased field name -> text
    geometry: Any  # shapely geometry in WGS84, or None


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _read_csv(path: Path, problems: Problems) -> Iterator[_Feature]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        try:
            yield from _csv_features(reader, problems)
        except UnicodeDecodeError as e:  # sniff checks first: the file changed since
            msg = f"{path}: {e.reason} after line {reader.line_num}; save it as UTF-8 text"
            raise ImportFileError(msg) from None


def _csv_features(reader: csv.DictReader[str], problems: Problems) -> Iterator[_Feature]:
    import shapely

    for record in reader:
        values = {(k or "").strip().lower(): _text(v) for k, v in record.items() if k}
        geometry = None
        wkt = values.get("wkt") or values.get("geometry")
        lat = values.get("lat") or values.get("latitude")
        lon = values.get("lon") or values.get("lng") or values.get("longitude")
        try:
            if wkt:
                geometry = shapely.from_wkt(wkt)
            elif lat and lon:
                geometry = shapely.Point(float(lon), float(lat))  # x is the longitude
        except (ValueError, shapely.errors.GEOSException) as e:
            problems.add(reader.line_num, f"bad location ({e})")
            continue
        yield _Feature(reader.line_num, values, geometry)


def _read_vector(path: Path) -> Iterator[_Feature]:
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as e:
        msg = f"cannot read {path}: {e}"
        raise ImportFileError(msg) from e
    if frame.crs is None:
        msg = (
            f"{path} has no CRS, so its coordinates cannot be placed; set one, e.g. "
            "`ogr2ogr -a_srs EPSG:4326 out.gpkg in.gpkg`"
        )
        raise ImportFileError(msg)
    if frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    for i, (values, geometry) in enumerate(
        zip(frame[columns].itertuples(index=False), frame.geometry, strict=True), start=1
    ):
        text = {str(c).lower(): _text(v) for c, v in zip(columns, values, strict=True)}
        yield _Feature(i, text, geometry)


def _features(path: Path, problems: Problems) -> Iterator[_Feature]:
    if path.suffix.lower() == ".csv":
        return _read_csv(path, problems)
    return _read_vector(path)


def _first(values: dict[str, str], *fields: str) -> str:
    for name in fields:
        value = values.get(name.lower())
        if value:
            return value
    return ""


def _country(value: str) -> str:
    value = value.strip().upper()
    if len(value) == 3 and value.isalpha():
        import pycountry

        record = pycountry.countries.get(alpha_3=value)
        return str(record.alpha_2) if record is not None else ""
    return value if len(value) == 2 and value.isalpha() else ""


def _location(geometry: Any) -> tuple[float, float, Any]:
    """(lat, lon, shape to keep or None) of a geometry."""
    import shapely

    if geometry is None or geometry.is_empty:
        msg = "no geometry (give lat and lon, a wkt column, or a geometry)"
        raise ValueError(msg)
    if geometry.geom_type == "Point":
        return geometry.y, geometry.x, None
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    point = geometry.centroid
    if geometry.geom_type in ("Polygon", "MultiPolygon") and not geometry.covers(point):
        point = geometry.representative_point()
    elif geometry.geom_type in ("LineString", "MultiLineString"):
        point = geometry.interpolate(0.5, normalized=True)
    return point.y, point.x, geometry


def _check(lat: float, lon: float) -> None:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        msg = f"coordinates (lat {lat!r}, lon {lon!r}) are out of range; is the CRS right?"
        raise ValueError(msg)


class _Parents:
    """Finds the ISO division of a parent name, or of a point from first-level boundaries."""

    def __init__(self, con: sqlite3.Connection, ctx: BuiltinContext) -> None:
        self.con = con
        self.ctx = ctx
        self._index: Any = None
        self._rows: list[tuple[str, str]] = []

    def by_name(self, cc: str, name: str) -> tuple[str, str] | None:
        """(ISO code or "", name) of a division named so, when exactly one is."""
        if not name:
            return None
        if name.upper() in self.ctx.divisions:
            return name.upper(), self.ctx.divisions[name.upper()]
        key = parse_name(name)[0]
        if cc:
            codes = self.ctx.division_keys.get((cc, key), set())
        else:
            codes = {c for (_, k), cs in self.ctx.division_keys.items() if k == key for c in cs}
        if len(codes) == 1:
            (iso,) = codes
            return iso, self.ctx.divisions.get(iso, name)
        return None

    def by_point(self, lat: float, lon: float) -> tuple[str, str] | None:
        if self._index is None:
            rows = self.con.execute(
                "SELECT s.wkb, p.admin1_code, p.name FROM shapes s JOIN places p "
                "ON p.pid = s.pid WHERE s.level = 1"
            ).fetchall()
            self._rows = [(code, name) for _, code, name in rows]
            self._index = False  # no boundaries imported: no need of shapely
            if rows:
                import shapely

                self._index = shapely.STRtree([shapely.from_wkb(wkb) for wkb, _, _ in rows])
        if not self._rows:
            return None
        import shapely

        hits = self._index.query(shapely.Point(lon, lat), predicate="intersects")
        return self._rows[int(hits[0])] if len(hits) else None


class _Sink:
    """Writes places, names and shapes of one source, with negative pids."""

    def __init__(self, con: sqlite3.Connection, sid: int, source: str) -> None:
        self.con = con
        self.sid = sid
        self.source = source
        low = con.execute("SELECT min(pid) FROM places").fetchone()[0]
        self.next_pid = min(-1, (low or 0) - 1)
        self.keys = NameKeys()
        self.rows = 0
        self.merged = 0

    def add(
        self,
        place: tuple[str, str, float, float, str, str, str, str, int],
        names: Sequence[str],
        *,
        merged: bool,
        shape: Any = None,
        level: int | None = None,
        extra: tuple[str, str] = ("", ""),
        prominence: float | None = None,
    ) -> None:
        """``place`` is (id, name, lat, lon, feature, country, admin1, admin1_code,
        population); ``extra`` is (admin2, code); ``prominence`` defaults to the feature
        type's and population's."""
        pid = self.next_pid
        self.next_pid -= 1
        place_id, name, lat, lon, feature, cc, admin1, admin1_code, population = place
        self.con.execute(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (pid, place_id, name, lat, lon, feature, cc, admin1, admin1_code, population,
             self.source,
             feature_prominence(feature, population) if prominence is None else prominence,
             int(merged), "", "",
             extra[0], extra[1], self.sid),
        )  # fmt: skip
        self._names(pid, name, names)
        if shape is not None:
            import shapely

            self.con.execute(
                "INSERT INTO shapes VALUES (?,?,?,?)", (pid, level, shapely.to_wkb(shape), self.sid)
            )
        self.rows += 1
        self.merged += int(merged)

    def attach(self, pid: int, names: Sequence[str], *, shape: Any, level: int) -> None:
        """Give an existing place (of another source) these names and this shape."""
        import shapely

        (name,) = self.con.execute("SELECT name FROM places WHERE pid = ?", (pid,)).fetchone()
        self._names(pid, name, names)
        self.con.execute(
            "INSERT OR REPLACE INTO shapes VALUES (?,?,?,?)",
            (pid, level, shapely.to_wkb(shape), self.sid),
        )
        self.rows += 1
        self.merged += 1

    def _names(self, pid: int, name: str, names: Sequence[str]) -> None:
        seen: set[str] = set()
        for n in names:
            folded, key, hint = self.keys(n)
            if key and folded not in seen:
                seen.add(folded)
                self.con.execute(
                    "INSERT INTO names VALUES (?,?,?,?,?,?,?,?,?)",
                    (key, pid, n, folded, hint, int(n == name), "", 0, self.sid),
                )
                if len(n) <= 6 and n == n.upper() and any(c.isalpha() for c in n):
                    self.con.execute("INSERT OR IGNORE INTO capitals VALUES (?)", (n,))


def _names(values: dict[str, str], name: str, *fields: str) -> list[str]:
    names = [name]
    for f in fields:
        for part in values.get(f.lower(), "").replace(";", "|").split("|"):
            if part.strip():
                names.append(part.strip())
    return list(dict.fromkeys(names))


def _name_field(features: list[_Feature], name_field: str | None, *defaults: str) -> str:
    fields = sorted({k for f in features for k in f.values})
    wanted = [name_field] if name_field else list(defaults)
    for w in wanted:
        if w.lower() in fields:
            return w.lower()
    listed = ", ".join(fields) or "none"
    msg = f"no name field {' or '.join(map(repr, wanted))}; the fields are {listed}"
    if not name_field:
        msg += "; give the one holding names with --name-field"
    raise ImportFileError(msg)


def _builtin_point(builtin: sqlite3.Connection, place_id: str) -> tuple[float, float] | None:
    row = builtin.execute("SELECT lat, lon FROM places WHERE id = ?", (place_id,)).fetchone()
    return (float(row[0]), float(row[1])) if row else None


def _feature(value: str, geometry: Any) -> str:
    if not value:
        return "populated_place" if geometry is None or geometry.geom_type == "Point" else "area"
    if value in FEATURE_TYPES:
        return value
    if len(value) > 2 and value[1] == "." and value[0] in "AHLPRSTUV":
        return feature_type(value[0], value[2:])
    msg = f"unknown feature {value!r}; use one of {', '.join(FEATURE_TYPES)} or a GeoNames code"
    raise ValueError(msg)


def import_gazetteer(
    con: sqlite3.Connection,
    path: Path,
    *,
    sid: int,
    source: str,
    ctx: BuiltinContext,
    builtin: sqlite3.Connection,
    problems: Problems,
    name_field: str | None = None,
) -> UserImportResult:
    """Import a user's gazetteer file (see the module's docstring for its fields)."""
    features = list(_features(path, problems))
    if not features:
        return UserImportResult(0, 0, "the file holds no rows")
    field = _name_field(features, name_field, "name", "toponym", "place", "shapename")
    sink = _Sink(con, sid, source)
    parents = _Parents(con, ctx)
    for feat in features:
        v = feat.values
        row_id = _first(v, "id")
        builtin_point = (
            _builtin_point(builtin, row_id) if row_id.startswith(_MERGE_PREFIXES) else None
        )
        try:
            name = v.get(field, "")
            if not name:
                msg = f"the {field} field is empty"
                raise ValueError(msg)
            if feat.geometry is None and builtin_point is not None:
                lat, lon, shape = (*builtin_point, None)
            else:
                lat, lon, shape = _location(feat.geometry)
            _check(lat, lon)
            feature = _feature(_first(v, "feature", "feature_type"), feat.geometry)
            population_text = _first(v, "population", "pop")
            population = int(float(population_text)) if population_text else 0
        except ValueError as e:
            problems.add(feat.row, str(e))
            continue
        cc = _country(_first(v, "country", "country_code", "cc", "iso_a2", "adm0_pcode"))
        admin1 = _first(v, "admin1", "province", "governorate", "adm1_en")
        found = parents.by_name(cc, admin1) or parents.by_point(lat, lon)
        code, admin1 = found if found else ("", admin1)
        merged = builtin_point is not None
        place_id = row_id if merged else f"import:{source}:{row_id or feat.row}"
        names = _names(v, name, "alternate_names", "alternatenames", "alt_names", "aliases")
        extra = (_first(v, "admin2", "district", "adm2_en"), "")
        sink.add(
            (place_id, name, lat, lon, feature, cc, admin1, code, population), names,
            merged=merged, shape=shape, extra=extra,
        )  # fmt: skip
    return UserImportResult(sink.rows, sink.merged)


def _country_near(builtin: sqlite3.Connection, lat: float, lon: float) -> str:
    """The country of the built-in populated place nearest a point, "" if none near."""
    row = builtin.execute(
        "SELECT country FROM places WHERE feature = 'populated_place' AND country != '' "
        "AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? "
        "ORDER BY (lat - ?) * (lat - ?) + (lon - ?) * (lon - ?) LIMIT 1",
        (lat - 3, lat + 3, lon - 3, lon + 3, lat, lat, lon, lon),
    ).fetchone()
    return str(row[0]) if row else ""


def _boundary_fields(level: int) -> dict[str, tuple[str, ...]]:
    up = level - 1
    return {
        "name": ("shapeName", f"ADM{level}_EN", f"ADM{level}_NAME", f"NAME_{level}", "name"),
        "code": ("shapeISO", f"ADM{level}_PCODE", f"GID_{level}", f"HASC_{level}", "shapeID"),
        "alternates": (
            f"ADM{level}_AR", f"ADM{level}_REF", f"ADM{level}ALT1_EN", f"ADM{level}ALT2_EN",
            f"ADM{level}ALT1_AR", f"ADM{level}ALT2_AR", f"VARNAME_{level}", f"NL_NAME_{level}",
        ),
        "parent": (f"ADM{up}_EN", f"NAME_{up}", f"ADM{up}_NAME"),
        "country": ("ADM0_PCODE", "shapeGroup", "GID_0", "ISO_A2", "ISO", "country"),
    }  # fmt: skip


class _Twins:
    """Imported divisions of other sources (GeoNames ADM1/ADM2 rows) a polygon may be."""

    def __init__(self, con: sqlite3.Connection, feature: str, sid: int) -> None:
        self.rows = con.execute(
            "SELECT pid, name, country, admin1_code, lat, lon FROM places "
            "WHERE feature = ? AND merged = 0 AND sid != ?",
            (feature, sid),
        ).fetchall()
        self._keys: list[str] | None = None

    def find(self, cc: str, iso: str, keys: set[str], shape: Any) -> int | None:
        """The pid of the division with this ISO code, or named so in the same country."""
        import shapely

        if self._keys is None:
            self._keys = [parse_name(r[1])[0] for r in self.rows]
        if iso:
            for pid, _, country, code, _, _ in self.rows:
                if code == iso and country == cc:
                    return int(pid)
        found = [
            row
            for row, key in zip(self.rows, self._keys, strict=True)
            if key in keys and row[2] == cc
        ]
        inside = [r for r in found if shape.covers(shapely.Point(r[5], r[4]))]
        best = inside or found
        return int(best[0][0]) if len(best) == 1 else None


def import_boundaries(  # noqa: PLR0913 (the import's context, passed by the orchestrator)
    con: sqlite3.Connection,
    path: Path,
    *,
    level: int,
    sid: int,
    source: str,
    ctx: BuiltinContext,
    builtin: sqlite3.Connection,
    problems: Problems,
    name_field: str | None = None,
) -> UserImportResult:
    """Import the polygons of a boundary file as divisions of ``level`` (1 or 2)."""
    features = list(_features(path, problems))
    if not features:
        return UserImportResult(0, 0, "the file holds no polygons")
    fields = _boundary_fields(level)
    name_key = _name_field(features, name_field, *fields["name"])
    all_fields = {k for f in features for k in f.values}
    licence = next((note for key, note in _LICENCES if key in all_fields), "")
    sink = _Sink(con, sid, source)
    parents = _Parents(con, ctx)
    twins = _Twins(con, "admin1" if level == 1 else "admin2", sid)
    for feat in features:
        v = feat.values
        try:
            name = v.get(name_key, "")
            if not name:
                msg = f"the {name_key} field is empty"
                raise ValueError(msg)
            if feat.geometry is None or feat.geometry.geom_type not in ("Polygon", "MultiPolygon"):
                kind = "nothing" if feat.geometry is None else f"a {feat.geometry.geom_type}"
                msg = f"a boundary must be a Polygon or MultiPolygon, got {kind}"
                raise ValueError(msg)
            lat, lon, shape = _location(feat.geometry)
        except ValueError as e:
            problems.add(feat.row, str(e))
            continue
        code = _first(v, *fields["code"])
        cc = _country(_first(v, *fields["country"])) or _country_near(builtin, lat, lon)
        names = _names(v, name, *fields["alternates"])
        place_id = f"import:{source}:{code or feat.row}"
        if level == 1:
            found = parents.by_name(cc, code) or parents.by_name(cc, name)
            if found and found[0]:
                iso, admin1 = found
                division = (f"iso3166-2:{iso}", name, lat, lon, "admin1", cc, admin1, iso, 0)
                sink.add(division, names, merged=True, shape=shape, level=1, extra=("", code))
                continue
            iso = code if re.fullmatch(rf"{cc}-[A-Z0-9]{{1,3}}", code) else ""
            admin1 = name
        else:
            parent = parents.by_name(cc, _first(v, *fields["parent"])) or parents.by_point(lat, lon)
            iso, admin1 = parent if parent else ("", _first(v, *fields["parent"]))
        twin = twins.find(cc, iso if level == 1 else "", {sink.keys(n)[1] for n in names}, shape)
        if twin is not None:
            sink.attach(twin, names, shape=shape, level=level)
            continue
        feature = "admin1" if level == 1 else "admin2"
        place = (place_id, name, lat, lon, feature, cc, admin1, iso, 0)
        sink.add(place, names, merged=False, shape=shape, level=level, extra=("", code))
    return UserImportResult(sink.rows, sink.merged, licence=licence)

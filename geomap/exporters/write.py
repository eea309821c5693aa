"""GIS exports: GeoJSON (RFC 7946), GeoJSON Sequence, GeoPackage, CSV, KML and GeoParquet.

``export(gdf, path)`` checks every point, then writes the incidents through GDAL (pyogrio)
or pyarrow, atomically, with one stable schema whatever the rows:

========== ============ ============================================================
format     extension    what is written
========== ============ ============================================================
geojson    .geojson     RFC 7946: lon/lat WGS 84, no ``crs``, ``precision`` decimals,
                        ``id`` = incident_id, ISO 8601 dates, lists as JSON arrays
geojsonseq .geojsonl    the same Features, one per line (RFC 8142 without RS)
gpkg       .gpkg        GeoPackage 1.3: layers ``incidents``, ``mentions`` and, when
                        given, ``regions``; DATE, INTEGER and BOOLEAN columns
csv        .csv         ``WKT`` plus latitude/longitude columns; a ``.csvt`` gives the
                        types to GDAL and QGIS; ACLED's columns with ``schema="acled"``
kml        .kml         Placemarks with name, an HTML description quoting the report
                        (escaped), a TimeStamp and every field as ExtendedData
parquet    .parquet     GeoParquet 1.1 (WKB), dates as date32, lists as lists
========== ============ ============================================================

Lists (``sources``, ``report_ids``) are ``"; "``-joined in GeoPackage, CSV and KML. With
``schema="acled"`` the columns are ACLED's (see ``ACLED_COLUMNS``). GeoJSON has no schema
of its own: a zero-row GeoJSON file has no properties to type, and ``read_incidents``
restores the schema.

Before writing, each point must be in range, match its latitude/longitude columns and lie
inside the bounding box of the country the row names (``geomap.exporters.bounds``). Failing rows are
reported (``ExportResult.suspects`` and a ``UserWarning``) and left out, unless
``keep_suspect``. Files are written to a temporary name and renamed when complete, and a
file that geomap did not write is not overwritten unless ``force`` (``geomap._atomic``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap._atomic import atomic_output, check_overwrite
from geomap._errors import ExportSchemaError
from geomap._formulas import guard_array
from geomap.acled import ACLED_COLUMNS
from geomap.exporters.formats import FORMATS, Format, format_for
from geomap.exporters.geojsonseq import write_geojsonseq
from geomap.exporters.kml import write_kml
from geomap.exporters.read import read_incidents, read_layers
from geomap.exporters.suspects import Suspect, find_suspects, rounded
from geomap.exporters.tables import (
    MENTION_SCHEMA,
    Dates,
    acled_table,
    conform,
    date_column,
    incident_table,
    kml_columns,
    mentions_to_geodataframe,
    table_from_frame,
)

if TYPE_CHECKING:
    import geopandas
    import pyarrow as pa

__all__ = [
    "ACLED_COLUMNS",
    "FORMATS",
    "SCHEMAS",
    "ExportResult",
    "Format",
    "Suspect",
    "export",
    "find_suspects",
    "format_for",
    "mentions_to_geodataframe",
    "read_incidents",
    "read_layers",
]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

SCHEMAS = ("geomap", "acled")


def _version() -> str:
    from geomap._version import __version__

    return __version__


_LAYERS = ("mentions", "regions")
# Numbers in GeoJSON properties: 15 significant figures round-trip every value typed with
# up to 15 digits and halve GDAL's time against its default of 17.
_SIGNIFICANT_FIGURES = 15


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What ``export`` wrote: where, how, how many rows and bytes, and the suspect rows."""

    path: Path
    format: str
    schema: str
    rows: int
    bytes: int
    suspects: tuple[Suspect, ...]
    kept_suspects: bool
    seconds: float


def _require_ids(gdf: geopandas.GeoDataFrame) -> None:
    empty = gdf.index[gdf["incident_id"] == ""]
    if len(empty):
        msg = (
            f"{len(empty)} rows have no incident_id (first: row {int(empty[0])}); every "
            "exported row needs one, as the GeoJSON Feature id and ACLED's event_id_cnty"
        )
        raise ExportSchemaError(msg)


# GDAL stamps GeoPackages with the time of writing (gpkg_contents.last_change); a fixed
# date keeps two runs over the same input byte-identical.
_FIXED_DATE = {"OGR_CURRENT_DATE": "2000-01-01T00:00:00.000Z"}


@contextlib.contextmanager
def _fixed_gdal_date() -> Iterator[None]:
    import pyogrio

    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options(_FIXED_DATE)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def _write_gdal(table: pa.Table, path: Path, fmt: Format, *, layer: str, **opts: Any) -> None:
    from pyogrio.raw import write_arrow

    geometry = "geometry" in table.column_names
    with _fixed_gdal_date():
        write_arrow(
            table,
            str(path),
            driver=fmt.driver,
            layer=layer,
            geometry_name="geometry" if geometry else None,
            geometry_type=opts.pop("geometry_type", "Point") if geometry else None,
            crs="EPSG:4326" if geometry else None,
            **opts,
        )


def _write_parquet(
    table: pa.Table, path: Path, gdf: geopandas.GeoDataFrame, attribution: list[str]
) -> None:
    import pyarrow.parquet as pq
    import pyproj

    bounds = gdf.geometry.total_bounds
    column: dict[str, Any] = {
        "encoding": "WKB",
        "geometry_types": ["Point"],
        "crs": pyproj.CRS("EPSG:4326").to_json_dict(),
    }
    if len(gdf.geometry.dropna()):
        column["bbox"] = [float(b) for b in bounds]
    geo = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
    meta = {
        b"geo": json.dumps(geo).encode(),
        b"geomap": json.dumps({"version": _version(), "attribution": attribution}).encode(),
    }
    pq.write_table(table.replace_schema_metadata(meta), str(path), compression="zstd")


def _fix_csvt(path: Path, table: pa.Table) -> None:
    """GDAL types ISO date text as String: declare the date columns as Date for readers."""
    csvt = path.with_suffix(".csvt")
    types = csvt.read_text(encoding="ascii").strip().split(",")
    offset = len(types) - len(table.column_names) + ("geometry" in table.column_names)
    for i, name in enumerate(c for c in table.column_names if c != "geometry"):
        if name == "event_date":
            types[offset + i] = "Date"
    csvt.write_text(",".join(types) + "\n", encoding="ascii")


def _table(gdf: geopandas.GeoDataFrame, schema: str, *, iso_dates: bool, join: bool) -> pa.Table:
    dates: Dates = "iso" if iso_dates else "date"
    if schema == "acled":
        return acled_table(gdf, dates=dates)
    return incident_table(gdf, dates=dates, lists="joined" if join else "list")


def _write_layers(
    path: Path, fmt: Format, layers: dict[str, geopandas.GeoDataFrame], precision: int
) -> None:
    import pyarrow as pa
    import shapely

    mentions = layers.get("mentions")
    if mentions is None:
        mentions = mentions_to_geodataframe([])
    table = table_from_frame(rounded(mentions, precision), MENTION_SCHEMA, lists="joined")
    _write_gdal(table, path, fmt, layer="mentions", DESCRIPTION="place names found in reports")
    regions = layers.get("regions")
    if regions is not None:
        df = regions.to_crs(4326)
        attrs = pa.Table.from_pandas(df.drop(columns=df.geometry.name), preserve_index=False)
        wkb = pa.array(shapely.to_wkb(df.geometry.to_numpy()), type=pa.binary())
        kinds = set(df.geometry.dropna().geom_type)
        _write_gdal(
            attrs.append_column("geometry", wkb),
            path,
            fmt,
            layer="regions",
            geometry_type=kinds.pop() if len(kinds) == 1 else "Unknown",
            DESCRIPTION="incidents and casualties per first-level division",
        )


def _write(
    gdf: geopandas.GeoDataFrame,
    path: Path,
    fmt: Format,
    schema: str,
    precision: int,
    layers: dict[str, geopandas.GeoDataFrame],
    attribution: list[str],
) -> str | None:
    """Write the format; the file's SHA-256 if the writer computed it on the way."""
    import pyarrow as pa

    credits = f"; place data: {'; '.join(attribution)}" if attribution else ""

    id_field = "event_id_cnty" if schema == "acled" else "incident_id"
    if fmt.name in ("geojson", "geojsonseq"):
        table = _table(gdf, schema, iso_dates=True, join=False)
        opts: dict[str, Any] = {
            "RFC7946": "YES",
            "COORDINATE_PRECISION": precision,
            "SIGNIFICANT_FIGURES": _SIGNIFICANT_FIGURES,
            "ID_FIELD": id_field,
            "WRITE_NAME": "NO",
            "AUTODETECT_JSON_STRINGS": "NO",  # a quote "[1, 2]" stays text
        }
        if credits:
            opts["DESCRIPTION"] = f"incidents, written by geomap{credits}"
        if fmt.name == "geojsonseq":  # the same Features, without the FeatureCollection
            return write_geojsonseq(table, path, {**opts, "RFC7946": "NO"})
        _write_gdal(table, path, fmt, layer="incidents", **opts)
    elif fmt.name == "gpkg":
        table = _table(gdf, schema, iso_dates=False, join=True)
        _write_gdal(
            table,
            path,
            fmt,
            layer="incidents",
            dataset_options={"VERSION": "1.3"},
            layer_options={
                "DESCRIPTION": f"incidents ({schema} schema), written by geomap{credits}"
            },
        )
        _write_layers(path, fmt, layers, precision)
    elif fmt.name == "csv":
        table = _table(gdf, schema, iso_dates=True, join=True)
        if schema == "acled":  # ACLED's own layout: latitude and longitude, no WKT
            table = table.drop_columns(["geometry"])
        # Text a spreadsheet would run as a formula gets an apostrophe (geomap._formulas).
        table = pa.table([guard_array(c) for c in table.columns], schema=table.schema)
        opts = {"CREATE_CSVT": "YES", "LINEFORMAT": "LF"}
        if schema != "acled":
            opts["GEOMETRY"] = "AS_WKT"
        _write_gdal(table, path, fmt, layer="incidents", **opts)
        _fix_csvt(path, table)
    elif fmt.name == "kml":
        table = _table(gdf, schema, iso_dates=True, join=True).drop_columns(["geometry"])
        extra = kml_columns(gdf)
        table = table.add_column(0, "description", pa.array(extra["description"], pa.string()))
        table = table.add_column(0, "name", pa.array(extra["name"], pa.string()))
        for name in ("longitude", "latitude"):
            coords = pa.array(gdf[name], type=pa.float64(), from_pandas=True)
            table = table.append_column(f"{name}_", coords)
        dates = date_column(gdf["event_date"], "iso")
        write_kml(table, path, timestamps=dates, layer="incidents", description=credits[2:])
    else:
        table = _table(gdf, schema, iso_dates=False, join=False)
        _write_parquet(table, path, gdf, attribution)
    return None


def _check_layers(
    layers: Mapping[str, geopandas.GeoDataFrame] | None, fmt: Format
) -> dict[str, geopandas.GeoDataFrame]:
    given = dict(layers or {})
    unknown = sorted(set(given) - set(_LAYERS))
    if unknown:
        msg = f"unknown layers {unknown!r}; valid extra layers are {', '.join(_LAYERS)}"
        raise ExportSchemaError(msg)
    if fmt.name != "gpkg":
        if any(len(layer) for layer in given.values()):
            logger.info("only GeoPackage holds extra layers; %s written without them", fmt.title)
        return {}
    if "mentions" in given:
        given["mentions"] = conform(given["mentions"], MENTION_SCHEMA, "mentions")
    if "regions" in given and given["regions"].crs is None:
        msg = "CRS is not set on the regions layer. Cannot re-project to WGS84"
        raise ExportSchemaError(msg)
    return given


def export(  # noqa: PLR0913 (keyword-only options of `geomap export`)
    gdf: geopandas.GeoDataFrame,
    path: str | Path,
    *,
    format: str | None = None,
    schema: str = "geomap",
    precision: int = 6,
    keep_suspect: bool = False,
    force: bool = False,
    layers: Mapping[str, geopandas.GeoDataFrame] | None = None,
    attribution: Sequence[str] = (),
) -> ExportResult:
    """Write incidents to a GIS file, after checking every point.

    Parameters
    ----------
    gdf
        Incidents with the columns of ``geomap.frame.SCHEMA`` (``to_geodataframe``), in
        any CRS (re-projected to EPSG:4326); extra columns are not written.
    path
        The output file; its extension gives the format unless ``format`` is given.
    format
        One of ``FORMATS``: geojson, geojsonseq, gpkg, csv, kml, parquet.
    schema
        ``"geomap"`` (every column of ``SCHEMA``) or ``"acled"`` (ACLED's columns and codes).
    precision
        Decimals kept in coordinates, 0 to 15 (6 is about 0.1 m).
    keep_suspect
        Write rows whose point fails the checks too (they are still reported).
    force
        Overwrite a file that geomap did not write, or that changed since it did.
    layers
        Extra GeoPackage layers: ``"mentions"`` (``mentions_to_geodataframe``) and
        ``"regions"`` (any polygons or points). Without mentions the layer is empty.
    attribution
        Licence notes of the data behind the places (``Gazetteer.attribution_of``), e.g.
        GeoNames' CC BY 4.0: written into the file's metadata where the format has a place
        for it (GeoJSON and GeoPackage descriptions, KML, GeoParquet) and into the manifest.

    Returns
    -------
    ExportResult
        The path, format, rows and bytes written, and the suspect rows found.

    Examples
    --------
    >>> from geomap.frame import empty_frame
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "incidents.geojson"
    >>> export(empty_frame(), out).rows
    0
    """
    started = time.perf_counter()
    path = Path(path)
    fmt = format_for(path, format)
    if schema not in SCHEMAS:
        msg = f"unknown schema {schema!r}; valid schemas are {', '.join(SCHEMAS)}"
        raise ExportSchemaError(msg)
    if not 0 <= precision <= 15:
        msg = f"precision must be 0 to 15 decimals, got {precision!r}"
        raise ExportSchemaError(msg)
    extra = _check_layers(layers, fmt)
    frame = conform(gdf)
    suspects = find_suspects(frame, labels=gdf.index)
    if suspects:
        action = (
            "kept (keep_suspect)"
            if keep_suspect
            else "left out (pass keep_suspect=True to keep them)"
        )
        lines = "; ".join(str(s) for s in suspects[:5]) + ("; ..." if len(suspects) > 5 else "")
        warnings.warn(
            f"{len(suspects)} rows with suspect coordinates {action}: {lines}",
            UserWarning,
            stacklevel=2,
        )
        if not keep_suspect:
            frame = frame.drop(index=[s.position for s in suspects]).reset_index(drop=True)
    frame = rounded(frame, precision)
    _require_ids(frame)
    suffixes = (".csvt", ".prj") if fmt.name == "csv" else ()
    check_overwrite(path, [path.with_suffix(s) for s in suffixes], force=force)
    with atomic_output(path, fmt.extension, companion_suffixes=suffixes) as out:
        out.sha256 = _write(frame, out.temp, fmt, schema, precision, extra, list(attribution))
        out.info.update(
            attribution=list(attribution),
            version=_version(),
            format=fmt.name,
            schema=schema,
            rows=len(frame),
            suspect_rows=len(suspects),
            suspects_kept=keep_suspect,
            layers=["incidents", *(["mentions", *sorted(set(extra) - {"mentions"})]
                                   if fmt.name == "gpkg" else [])],
        )  # fmt: skip
    seconds = time.perf_counter() - started
    logger.info(
        "export wrote %s rows to %s (%s, %s bytes) in %.2f s; %s suspect rows %s",
        f"{len(frame):,}",
        path,
        fmt.title,
        f"{out.info['bytes']:,}",
        seconds,
        len(suspects),
        "kept" if keep_suspect else "left out",
    )
    return ExportResult(
        path=path,
        format=fmt.name,
        schema=schema,
        rows=len(frame),
        bytes=int(out.info["bytes"]),
        suspects=tuple(suspects),
        kept_suspects=keep_suspect,
        seconds=seconds,
    )

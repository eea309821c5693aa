"""Read the map command's INPUT: anything geomap writes or reads, as a GeoDataFrame.

- A CSV or XLSX in ACLED's columns (``event_id_cnty``, ``fatalities`` ...) goes through
  ``geomap.acled.read_acled``; its bad rows come back as problems to report.
- Files ``geomap export`` writes (GeoJSON, GeoPackage, CSV, ...) go through
  ``geomap.exporters.write.read_incidents``.
- Any other GeoJSON, GeoPackage or CSV with the schema's columns (a CSV with ``latitude``
  and ``longitude``, or a WKT ``geometry``) is read here with geopandas/pyogrio or pandas;
  columns it lacks read as empty.
"""

from __future__ import annotations

import csv
import importlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap._errors import GeomapError, MapDataError

if TYPE_CHECKING:
    import geopandas

__all__ = ["read_map_input"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_ACLED_MARKERS = {"event_id_cnty", "fatalities"}
_TABLES = {".csv", ".tsv", ".txt", ".xlsx"}
_NUMBERS = ("time_precision", "geo_precision", "killed", "injured", "projectiles")
_FLAGS = ("killed_at_least", "injured_at_least")


def _header(path: Path) -> set[str]:
    if path.suffix.lower() == ".xlsx":
        return set()
    with path.open(encoding="utf-8-sig", newline="") as f:
        first = f.readline()
    return {c.strip().lower() for c in next(csv.reader([first]), [])}


def _optional(module: str, name: str) -> Any:
    """A reader another stage provides, or None while it does not exist."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _read_acled(path: Path, read_acled: Any) -> tuple[geopandas.GeoDataFrame, list[str]]:
    from geomap.frame import to_geodataframe

    incidents, skipped = read_acled(path)
    return to_geodataframe(incidents), [str(e) for e in skipped]


def _read_plain(path: Path) -> geopandas.GeoDataFrame:
    import geopandas
    import pandas as pd

    if path.suffix.lower() in _TABLES - {".xlsx"}:
        sep = "\t" if path.suffix.lower() == ".tsv" else ","
        df = pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep)
        columns = {c.lower(): c for c in df.columns}
        if "latitude" in columns and "longitude" in columns:
            lat = pd.to_numeric(df[columns["latitude"]], errors="coerce")
            lon = pd.to_numeric(df[columns["longitude"]], errors="coerce")
            geometry = geopandas.GeoSeries(geopandas.points_from_xy(lon, lat), crs=4326)
            geometry[lat.isna() | lon.isna()] = None
        elif "geometry" in columns:
            wkt = df.pop(columns["geometry"]).replace("", None)
            geometry = geopandas.GeoSeries.from_wkt(wkt, crs=4326)
        else:
            msg = f"{path}: a CSV needs latitude and longitude columns, or a WKT geometry column"
            raise MapDataError(msg)
        gdf = geopandas.GeoDataFrame(df, geometry=geometry, crs=4326)
    else:
        gdf = geopandas.read_file(path)
    for name in _NUMBERS:
        if name in gdf.columns:
            gdf[name] = pd.to_numeric(gdf[name], errors="coerce")
    for name in _FLAGS:
        if name in gdf.columns:
            gdf[name] = gdf[name].astype(str).str.lower().isin(["1", "true", "yes"])
    if "event_date" in gdf.columns:
        gdf["event_date"] = pd.to_datetime(gdf["event_date"], errors="coerce", format="mixed")
    return gdf


def read_map_input(path: Path) -> tuple[geopandas.GeoDataFrame, list[str]]:
    """The incidents in ``path`` and the problems met reading it (rows skipped).

    Raises
    ------
    MapDataError
        The file cannot be read as incidents.
    """
    suffix = path.suffix.lower()
    if suffix in _TABLES and (_ACLED_MARKERS & _header(path) or suffix == ".xlsx"):
        read_acled = _optional("geomap.acled", "read_acled")
        if read_acled is not None:
            return _read_acled(path, read_acled)
    read_incidents = _optional("geomap.exporters.write", "read_incidents")
    if read_incidents is not None:
        try:
            return read_incidents(path), []
        except Exception as e:  # any failure: read it here, and say why if that fails too
            logger.debug("the export reader cannot read %s (%s); reading it here", path, e)
    try:
        return _read_plain(path), []
    except GeomapError:
        raise
    except Exception as e:  # pyogrio and pandas raise their own error classes
        msg = f"cannot read {str(path)!r} as incidents: {e}"
        raise MapDataError(msg) from e

"""Read the incident files back: every format ``export`` writes, and ACLED-format CSVs.

``read_incidents(path)`` returns the GeoDataFrame of ``geomap.frame.SCHEMA`` (columns, order,
dtypes, EPSG:4326), whatever the format spelled: ``id`` back to ``incident_id``, ISO text or
``date32`` back to dates, JSON arrays or ``"; "``-joined text back to lists. A CSV without
geomap's ``incident_id`` column is an ACLED table, read by ``geomap.acled.read_acled`` (every
ACLED layout and date style; rows it cannot read, such as undated ones, are reported in a
``UserWarning`` and left out). Other formats written with ``schema="acled"`` are mapped
back from ACLED's names and codes.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap._errors import ExportFormatError
from geomap._formulas import unguard_frame
from geomap.exporters.tables import LIST_SEPARATOR, MENTION_SCHEMA, conform
from geomap.frame import SCHEMA

if TYPE_CHECKING:
    import geopandas
    import pandas as pd

__all__ = ["read_incidents", "read_layers"]

_TRUE = {"1", "true", "yes", "y", "t"}


def _format(path: Path) -> str:
    from geomap.exporters.formats import format_for

    return format_for(path).name


def _starts_with_content(path: Path) -> bool:
    with path.open("rb") as f:
        return bool(f.read(4096).strip())


def _raw(path: Path, layer: str | None) -> geopandas.GeoDataFrame:
    import geopandas
    import pyogrio

    if not path.is_file():
        msg = f"no such file: {str(path)!r}"
        raise FileNotFoundError(msg)
    fmt = _format(path)
    if fmt == "parquet":
        return geopandas.read_parquet(path)
    if fmt == "gpkg" and layer is None:
        layer = "incidents"
    if fmt == "geojsonseq" and not _starts_with_content(path):
        return geopandas.GeoDataFrame(geometry=[], crs="EPSG:4326")  # zero Features
    try:
        return pyogrio.read_dataframe(path, layer=layer, use_arrow=True)
    except pyogrio.errors.DataSourceError as e:
        msg = f"cannot read {str(path)!r} as {fmt}: {e}"
        raise ExportFormatError(msg) from e


def _as_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        return value.split(LIST_SEPARATOR) if value else []
    return [str(v) for v in value]


def _blank_to_na(s: pd.Series) -> pd.Series:
    import pandas as pd

    if s.dtype == object or str(s.dtype) in ("str", "string"):
        return s.astype("object").where(s.astype("string").str.strip() != "", pd.NA)
    return s


def _dates(s: pd.Series) -> pd.Series:
    import pandas as pd

    s = _blank_to_na(s)
    if s.dtype == object:
        try:
            s = pd.to_datetime(s, format="ISO8601")
        except (ValueError, TypeError):
            s = pd.to_datetime(s, format="mixed", dayfirst=True)
    return pd.to_datetime(s).dt.tz_localize(None).astype("datetime64[ns]")


def _coerce(s: pd.Series | None, dtype: str, n: int) -> pd.Series:
    import pandas as pd

    if s is None:
        default: Any = {"string": "", "object": None, "boolean": False}.get(dtype, pd.NA)
        s = pd.Series([default] * n, dtype="object")
    s = s.reset_index(drop=True)
    if dtype == "object":
        return pd.Series([_as_list(v) for v in s], dtype="object")
    if dtype == "string":
        return s.astype("string").fillna("")
    if dtype.startswith("datetime64"):
        return _dates(s)
    if dtype == "boolean":
        if s.dtype == object or str(s.dtype) in ("str", "string"):
            s = s.map(lambda v: None if v is None else str(v).strip().lower() in _TRUE)
        return s.astype("boolean").fillna(False)
    return pd.to_numeric(_blank_to_na(s)).astype(dtype)


def _from_acled(df: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd
    import pycountry

    def alpha2(iso: Any, name: Any) -> str:
        c = None
        if not pd.isna(iso) and str(iso).strip():
            c = pycountry.countries.get(numeric=f"{int(float(iso)):03d}")
        if c is None and isinstance(name, str) and name:
            try:
                c = pycountry.countries.lookup(name)
            except LookupError:
                c = None
        return str(c.alpha_2) if c is not None else ""

    n = len(df)
    iso = df["iso"] if "iso" in df else pd.Series([None] * n)
    names = df["country"] if "country" in df else pd.Series([""] * n)
    sources = [_as_list(v) for v in df.get("source", pd.Series([""] * n))]
    out = pd.DataFrame(
        {
            "incident_id": df["event_id_cnty"],
            "killed": df.get("fatalities"),
            "quote": df.get("notes"),
            "country": [alpha2(i, c) for i, c in zip(iso, names, strict=True)],
            "sources": pd.Series(sources, dtype="object"),
            "source": [s[0] if s else "" for s in sources],
        }
    )
    for name in (
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "admin1",
        "admin2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
    ):
        if name in df:
            out[name] = df[name].to_numpy()
    return out


def _to_schema(
    df: pd.DataFrame, columns: list[tuple[str, str]], geometry: Any
) -> geopandas.GeoDataFrame:
    import geopandas

    n = len(df)
    data = {name: _coerce(df.get(name), dtype, n) for name, dtype in columns}
    if "mappable" in data and "mappable" not in df:
        data["mappable"] = (
            data["latitude"].notna() & (data["geo_precision"].fillna(4) <= 3)
        ).astype("boolean")
    return conform(
        geopandas.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326"), columns, "read"
    )


def _geometry(raw: geopandas.GeoDataFrame, df: pd.DataFrame) -> Any:
    import geopandas
    import pandas as pd

    if isinstance(raw, geopandas.GeoDataFrame) and raw.geometry.notna().any():
        crs = raw.crs or "EPSG:4326"  # CSV has no CRS of its own: ours is always WGS 84
        return geopandas.GeoSeries(raw.geometry.to_numpy(), crs=crs).to_crs(4326).to_numpy()
    if "latitude" in df and "longitude" in df:  # a CSV without WKT: ACLED's layout
        lat = pd.to_numeric(_blank_to_na(df["latitude"].reset_index(drop=True)))
        lon = pd.to_numeric(_blank_to_na(df["longitude"].reset_index(drop=True)))
        return geopandas.points_from_xy(lon, lat).to_numpy()
    return [None] * len(df)


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [h.strip().lower() for h in next(csv.reader(f), [])]


def _read_acled_csv(path: Path) -> geopandas.GeoDataFrame:
    from geomap.acled import read_acled
    from geomap.frame import to_geodataframe

    incidents, skipped = read_acled(path)
    if skipped:
        shown = "; ".join(str(e) for e in skipped[:3]) + ("; ..." if len(skipped) > 3 else "")
        warnings.warn(
            f"{len(skipped)} rows of {str(path)!r} could not be read and were left out: {shown}",
            UserWarning,
            stacklevel=3,
        )
    return to_geodataframe(incidents)


def read_incidents(path: str | Path, *, layer: str | None = None) -> geopandas.GeoDataFrame:
    """Read an incident file into the schema of ``geomap.frame.SCHEMA``.

    Parameters
    ----------
    path
        A file ``geomap.exporters.write`` wrote (GeoJSON, GeoJSON Sequence, GeoPackage, CSV, KML,
        GeoParquet), or a CSV in ACLED's columns.
    layer
        The GeoPackage layer, ``incidents`` by default.
    """
    import geopandas
    import pandas as pd

    path = Path(path)
    if _format(path) == "csv" and path.is_file() and "incident_id" not in _csv_header(path):
        return _read_acled_csv(path)
    raw = _raw(path, layer)
    df = pd.DataFrame(raw)
    if isinstance(raw, geopandas.GeoDataFrame):
        df = pd.DataFrame(raw.drop(columns=raw.geometry.name))
    if _format(path) == "csv":  # formulas were neutralised when written: restore the text
        df = unguard_frame(df)
    if "incident_id" not in df and "event_id_cnty" in df:
        df = _from_acled(df)
    elif "incident_id" not in df and "id" in df:
        df = df.rename(columns={"id": "incident_id"})
    geometry = _geometry(raw, df)
    return _to_schema(df, [(c.name, c.dtype) for c in SCHEMA], geometry)


def read_layers(path: str | Path) -> dict[str, geopandas.GeoDataFrame]:
    """The extra layers of a GeoPackage ``export`` wrote: ``mentions`` and ``regions``.

    Other formats hold no extra layers: the result is empty.
    """
    import pandas as pd
    import pyogrio

    path = Path(path)
    if _format(path) != "gpkg":
        return {}
    names = {str(n) for n, _ in pyogrio.list_layers(path)}
    out = {}
    if "mentions" in names:
        raw = _raw(path, "mentions")
        df = pd.DataFrame(raw.drop(columns=raw.geometry.name))
        out["mentions"] = _to_schema(df, list(MENTION_SCHEMA), _geometry(raw, df))
    if "regions" in names:
        out["regions"] = _raw(path, "regions")
    return out

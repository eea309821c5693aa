"""Typed Arrow tables for the exports: the geomap schema, ACLED's columns, place mentions.

One function turns a conformed GeoDataFrame into the ``pyarrow.Table`` a format writes, so
every format gets the same columns in the same order with the same types, whatever the
rows (none included). The writers then only choose how dates and lists are spelled:

- dates: ``date32`` (GeoPackage, GeoParquet) or ISO 8601 text ``2024-07-30`` (GeoJSON,
  GeoJSON Sequence, CSV, KML);
- lists (``sources``, ``report_ids``): Arrow lists, written as JSON arrays (GeoJSON, GeoJSON
  Sequence, GeoParquet), or ``"; "``-joined text (GeoPackage, CSV, KML), where a ``"; "``
  inside an item is written ``", "`` so that the text splits back into the same items.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from geomap._errors import ExportSchemaError
from geomap.frame import SCHEMA
from geomap.records import Mention

if TYPE_CHECKING:
    import geopandas
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "ACLED_TYPES",
    "LIST_SEPARATOR",
    "MENTION_SCHEMA",
    "Dates",
    "Lists",
    "acled_table",
    "conform",
    "date_column",
    "incident_table",
    "join_list",
    "kml_columns",
    "mentions_to_geodataframe",
    "table_from_frame",
]

Dates = Literal["date", "iso"]
Lists = Literal["list", "joined"]
LIST_SEPARATOR = "; "

#: The mentions layer: every place name found in a report, resolved or not.
MENTION_SCHEMA: tuple[tuple[str, str], ...] = (
    ("report_id", "string"),
    ("start", "Int32"),
    ("end", "Int32"),
    ("surface", "string"),
    ("kind", "string"),
    ("place_id", "string"),
    ("name", "string"),
    ("feature", "string"),
    ("country", "string"),
    ("admin1", "string"),
    ("admin1_code", "string"),
    ("latitude", "Float64"),
    ("longitude", "Float64"),
    ("score", "Float64"),
    ("decision", "string"),
    ("relation", "string"),
)

#: Arrow types of ACLED's numeric columns (``geomap.acled.ACLED_COLUMNS``); the rest are text.
ACLED_TYPES: dict[str, str] = {
    "event_date": "date",
    "year": "int32",
    "time_precision": "int8",
    "inter1": "int8",
    "inter2": "int8",
    "interaction": "int16",
    "iso": "int32",
    "latitude": "float64",
    "longitude": "float64",
    "geo_precision": "int8",
    "fatalities": "int32",
    "timestamp": "int64",
}
# ACLED columns filled from the geomap column of the same name.
_SAME_NAME = ("event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2", "admin1",
              "admin2", "location")  # fmt: skip


def join_list(values: list[str]) -> str:
    """A list as ``"; "``-joined text; a ``"; "`` inside an item becomes ``", "``.

    >>> join_list(["SANA", "SOHR; UK"])
    'SANA; SOHR, UK'
    """
    return LIST_SEPARATOR.join(v.replace(LIST_SEPARATOR, ", ") for v in values)


def _as_list(value: object) -> list[str]:
    """A list cell as a list of non-empty strings."""
    if value is None or isinstance(value, float):  # None or NaN: no list
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if v is not None and str(v)]  # type: ignore[attr-defined]


def _clean_lists(s: pd.Series) -> bool:
    """Every cell is already a list (or tuple, or array) of non-empty strings: keep the column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(s.to_numpy(dtype=object), type=pa.list_(pa.string()))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return False
    if arr.null_count:
        return False
    flat = arr.flatten()
    return len(flat) == 0 or (flat.null_count == 0 and pc.min(pc.utf8_length(flat)).as_py() > 0)


def _conform_columns(
    gdf: geopandas.GeoDataFrame, columns: Iterable[tuple[str, str]], what: str
) -> dict[str, pd.Series]:
    import pandas as pd

    cols = list(columns)
    missing = [name for name, _ in cols if name not in gdf.columns]
    if missing:
        msg = (
            f"the {what} frame lacks the columns {missing!r}; build it with "
            f"geomap.to_geodataframe (incidents) or mentions_to_geodataframe (mentions)"
        )
        raise ExportSchemaError(msg)
    data: dict[str, pd.Series] = {}
    for name, dtype in cols:
        s = gdf[name].reset_index(drop=True)
        if dtype == "object":
            data[name] = (
                s if _clean_lists(s) else pd.Series([_as_list(v) for v in s], dtype="object")
            )
        elif dtype == "string":
            data[name] = s.astype("string").fillna("")
        elif dtype.startswith("datetime64"):
            data[name] = pd.to_datetime(s).dt.tz_localize(None).astype(dtype).dt.floor("D")
        else:
            data[name] = s.astype(dtype)
    return data


def conform(
    gdf: geopandas.GeoDataFrame,
    columns: Iterable[tuple[str, str]] | None = None,
    what: str = "incidents",
) -> geopandas.GeoDataFrame:
    """The frame in EPSG:4326 with exactly the schema's columns, order and dtypes.

    Extra columns are dropped; missing ones, or a missing CRS, raise ``ExportSchemaError``.
    The index becomes 0..n-1.
    """
    import geopandas

    if gdf.crs is None:
        msg = (
            "CRS is not set. Cannot re-project to WGS84; if the coordinates are longitude "
            "and latitude, call gdf.set_crs(4326) first"
        )
        raise ExportSchemaError(msg)
    if not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs(4326)
    spec = list(columns) if columns is not None else [(c.name, c.dtype) for c in SCHEMA]
    data = _conform_columns(gdf, spec, what)
    geometry = geopandas.GeoSeries(gdf.geometry.to_numpy(), crs="EPSG:4326")
    return geopandas.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")


def date_column(s: pd.Series, dates: Dates) -> pa.Array:
    """A datetime column as ``date32`` or ISO 8601 text (``2024-07-30``), nulls kept."""
    import pyarrow as pa

    days = s.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    as_dates = pa.array(days, type=pa.date32(), from_pandas=True)
    return as_dates if dates == "date" else as_dates.cast(pa.string())  # ISO 8601: 2024-07-30


def _column(s: pd.Series, dtype: str, dates: Dates, lists: Lists) -> pa.Array:
    import pyarrow as pa

    if dtype.startswith("datetime64"):
        return date_column(s, dates)
    if dtype == "object":
        if lists == "joined":
            return pa.array([join_list(v) for v in s], type=pa.string())
        return pa.array(list(s), type=pa.list_(pa.string()))
    arrow_type = {
        "string": pa.string(),
        "Int8": pa.int8(),
        "Int16": pa.int16(),
        "Int32": pa.int32(),
        "Int64": pa.int64(),
        "Float64": pa.float64(),
        "boolean": pa.bool_(),
    }.get(dtype)  # None: what pyarrow infers from the pandas dtype
    return pa.array(s, type=arrow_type, from_pandas=True)


_POINT_WKB = [("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")]


def _geometry_wkb(gdf: geopandas.GeoDataFrame) -> pa.Array:
    """The geometry as WKB; points straight from the latitude/longitude columns.

    After ``rounded`` the columns hold exactly the points' coordinates, and packing 21-byte
    little-endian WKB points with numpy is ten times faster than shapely's writer.
    """
    import numpy as np
    import pyarrow as pa
    import shapely

    geoms = gdf.geometry.to_numpy()
    if "latitude" in gdf and "longitude" in gdf:
        lat = gdf["latitude"].to_numpy(dtype="float64", na_value=np.nan)
        lon = gdf["longitude"].to_numpy(dtype="float64", na_value=np.nan)
        present = ~np.isnan(lat)
        kinds = shapely.get_type_id(geoms)
        if np.array_equal(present, kinds == 0) and np.array_equal(kinds >= 0, present):
            packed = np.zeros(len(gdf), dtype=np.dtype(_POINT_WKB, align=False))
            packed["order"], packed["type"] = 1, 1
            packed["x"], packed["y"] = lon, lat
            validity = pa.array(present).buffers()[1]
            wkb = pa.FixedSizeBinaryArray.from_buffers(
                pa.binary(21), len(gdf), [validity, pa.py_buffer(packed.tobytes())]
            )
            return wkb.cast(pa.binary())
    return pa.array(shapely.to_wkb(geoms), type=pa.binary())


def table_from_frame(
    gdf: geopandas.GeoDataFrame,
    columns: Iterable[tuple[str, str]],
    *,
    dates: Dates = "date",
    lists: Lists = "list",
) -> pa.Table:
    """A conformed frame as an Arrow table: the columns, then ``geometry`` as WKB."""
    import pyarrow as pa

    names, arrays = [], []
    for name, dtype in columns:
        names.append(name)
        arrays.append(_column(gdf[name], dtype, dates, lists))
    names.append("geometry")
    arrays.append(_geometry_wkb(gdf))
    return pa.Table.from_arrays(arrays, names=names)


def incident_table(
    gdf: geopandas.GeoDataFrame, *, dates: Dates = "date", lists: Lists = "list"
) -> pa.Table:
    """The incidents in the geomap schema."""
    return table_from_frame(gdf, [(c.name, c.dtype) for c in SCHEMA], dates=dates, lists=lists)


def acled_table(gdf: geopandas.GeoDataFrame, *, dates: Dates = "date") -> pa.Table:
    """The incidents in ACLED's columns (``geomap.acled.ACLED_COLUMNS``, 2023 order) and codes.

    The same mapping as ``geomap.acled.incidents_to_acled_rows``: ``fatalities`` is
    ``killed``, 0 when the report does not say (ACLED's convention); ``geo_precision`` 4
    (country) becomes ACLED's 3; ``source`` joins every outlet; ``notes`` is the quote;
    ``iso`` the ISO 3166-1 numeric code. Columns geomap does not know are empty (null).
    """
    import pandas as pd
    import pyarrow as pa

    from geomap.acled import ACLED_COLUMNS, DISORDER_TYPES, acled_country

    n = len(gdf)
    codes = gdf["country"].astype(str)
    lookup = {cc: acled_country(cc) for cc in codes.unique()}
    event_date = gdf["event_date"]
    values: dict[str, pa.Array] = {
        "event_id_cnty": _column(gdf["incident_id"], "string", dates, "joined"),
        "event_date": date_column(event_date, dates),
        "year": pa.array(event_date.dt.year.astype("Int32"), type=pa.int32(), from_pandas=True),
        "time_precision": _column(gdf["time_precision"], "Int8", dates, "joined"),
        "disorder_type": pa.array(
            [DISORDER_TYPES.get(t, "") for t in gdf["event_type"]], type=pa.string()
        ),
        "iso": pa.array(
            pd.Series([lookup[c][0] or None for c in codes], dtype="object").astype("Int32"),
            type=pa.int32(),
            from_pandas=True,
        ),
        "country": pa.array([lookup[c][1] for c in codes], type=pa.string()),
        "latitude": _column(gdf["latitude"], "Float64", dates, "joined"),
        "longitude": _column(gdf["longitude"], "Float64", dates, "joined"),
        "geo_precision": pa.array(
            gdf["geo_precision"].clip(upper=3), type=pa.int8(), from_pandas=True
        ),
        "source": pa.array(
            [
                join_list(lst) if len(lst) else src
                for lst, src in zip(gdf["sources"], gdf["source"], strict=True)
            ],
            type=pa.string(),
        ),
        "notes": _column(gdf["quote"], "string", dates, "joined"),
        "fatalities": pa.array(gdf["killed"].fillna(0), type=pa.int32(), from_pandas=True),
    }
    for name in _SAME_NAME:
        column = gdf[name] if name in gdf else pd.Series([""] * n, dtype="string")
        values[name] = _column(column, "string", dates, "joined")
    arrays = []
    for name in ACLED_COLUMNS:
        if name not in values:  # a column geomap does not fill
            kind = ACLED_TYPES.get(name, "string")
            values[name] = pa.nulls(n, type=pa.type_for_alias(kind)) if kind != "string" else (
                pa.array([""] * n, type=pa.string())
            )  # fmt: skip
        arrays.append(values[name])
    return pa.Table.from_arrays([*arrays, _geometry_wkb(gdf)], names=[*ACLED_COLUMNS, "geometry"])


def kml_columns(gdf: geopandas.GeoDataFrame) -> dict[str, list[str]]:
    """KML's ``name`` and ``description`` (HTML, with the quote escaped) for each incident."""
    import numpy as np

    def counts(col: str) -> list[int | None]:
        values = gdf[col].to_numpy(dtype="float64", na_value=np.nan)
        return [None if v != v else int(v) for v in values]  # NaN != NaN

    days = gdf["event_date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    when = [("" if d == "NaT" else d) for d in np.datetime_as_string(days, unit="D")]
    names, descriptions = [], []
    rows = zip(
        gdf["label"].tolist(),
        gdf["event_type"].tolist(),
        gdf["location"].tolist(),
        when,
        gdf["quote"].tolist(),
        counts("killed"),
        gdf["killed_at_least"].tolist(),
        counts("injured"),
        gdf["injured_at_least"].tolist(),
        gdf["sources"].tolist(),
        strict=True,
    )
    esc = html.escape
    for label, kind, location, day, quote, killed, k_min, injured, i_min, sources in rows:
        what = label or kind or "incident"
        names.append(f"{what}, {location}" if location else what)
        counts_text = ", ".join(
            f"{'at least ' if least else ''}{n} {word}"
            for n, least, word in ((killed, k_min, "killed"), (injured, i_min, "injured"))
            if n is not None
        )
        descriptions.append(
            f"<p><b>{esc(what)}</b>"
            + "".join(f" · {esc(x)}" for x in (day, location) if x)
            + "</p>"
            + (f"<blockquote>{esc(quote)}</blockquote>" if quote else "")
            + (f"<p>{counts_text}</p>" if counts_text else "")
            + (f"<p>Sources: {esc(join_list(sources))}</p>" if len(sources) else "")
        )
    return {"name": names, "description": descriptions}


def mentions_to_geodataframe(
    mentions: Iterable[tuple[str, Mention]],
) -> geopandas.GeoDataFrame:
    """(report id, mention) pairs as the mentions layer; unresolved mentions keep their row."""
    import geopandas
    import pandas as pd
    from shapely.geometry import Point

    rows = []
    geometry = []
    for report_id, m in mentions:
        p = m.place
        rows.append(
            {
                "report_id": report_id,
                "start": m.start,
                "end": m.end,
                "surface": m.surface,
                "kind": m.kind,
                "place_id": p.id if p else "",
                "name": p.name if p else "",
                "feature": p.feature if p else "",
                "country": p.country if p else m.country,
                "admin1": p.admin1 if p else "",
                "admin1_code": p.admin1_code if p else "",
                "latitude": p.lat if p else None,
                "longitude": p.lon if p else None,
                "score": m.score,
                "decision": str(m.decision),
                "relation": m.relation,
            }
        )
        # The records' (lat, lon) become (x=lon, y=lat) here, as in frame.py.
        geometry.append(Point(p.lon, p.lat) if p else None)
    data = {
        name: pd.Series([r[name] for r in rows], dtype="object").astype(dtype)
        for name, dtype in MENTION_SCHEMA
    }
    return geopandas.GeoDataFrame(
        data, geometry=geopandas.GeoSeries(geometry, crs="EPSG:4326"), crs="EPSG:4326"
    )

"""Incidents to a GeoDataFrame: one documented, stable schema in EPSG:4326.

The columns, their order and their dtypes are the same whatever the rows, including none.
``SCHEMA`` is the data dictionary: column, dtype, meaning, ACLED equivalent.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from geomap.records import Incident

if TYPE_CHECKING:
    import geopandas

__all__ = ["SCHEMA", "Column", "data_dictionary", "empty_frame", "to_geodataframe"]


class Column(NamedTuple):
    """One column of the incident table."""

    name: str
    dtype: str  # pandas dtype
    meaning: str
    acled: str  # ACLED's column for it, "" when ACLED has none


SCHEMA: tuple[Column, ...] = (
    Column(
        "incident_id",
        "string",
        "stable id: the table's event id, or for text a hash of report, quote offset, label",
        "event_id_cnty",
    ),
    Column(
        "event_date",
        "datetime64[ns]",
        "the day it happened (first day of the week or month when less precise)",
        "event_date",
    ),
    Column("time_precision", "Int8", "1 day, 2 week, 3 month", "time_precision"),
    Column("date_phrase", "string", "the words the date came from", ""),
    Column(
        "date_note",
        "string",
        "why the date is missing or approximate (no published date, no date in the text)",
        "",
    ),
    Column("event_type", "string", "ACLED event type", "event_type"),
    Column("sub_event_type", "string", "ACLED sub-event type", "sub_event_type"),
    Column("label", "string", "plain label: rocket attack, drone strike, convoy attack", ""),
    Column("location", "string", "the place it happened", "location"),
    Column("place_id", "string", "gazetteer id of the place", ""),
    Column("latitude", "Float64", "WGS 84 latitude (empty when unplaced)", "latitude"),
    Column("longitude", "Float64", "WGS 84 longitude (empty when unplaced)", "longitude"),
    Column(
        "geo_precision",
        "Int8",
        "1 site or town, 2 near a town or part of an area, 3 province or region, 4 country",
        "geo_precision",
    ),
    Column("country", "string", "ISO 3166-1 alpha-2 code", "iso / country"),
    Column("admin1", "string", "first-level division", "admin1"),
    Column("admin1_code", "string", "ISO 3166-2 code of the division", ""),
    Column(
        "admin2",
        "string",
        "second-level division: the source's, or the imported boundary covering the point",
        "admin2",
    ),
    Column("relation", "string", "relative location: 'south of' the place", ""),
    Column("actor1", "string", "who did it or claimed it", "actor1"),
    Column("assoc_actor_1", "string", "actors associated with actor1", "assoc_actor_1"),
    Column("actor2", "string", "who or what was targeted", "actor2"),
    Column(
        "killed",
        "Int32",
        "every reported death, the attackers' included (empty when not said)",
        "fatalities",
    ),
    Column("killed_at_least", "boolean", "the report gives a minimum", ""),
    Column(
        "killed_perpetrators",
        "Int32",
        "the attackers among the killed: a suicide bomber, attackers shot dead (empty when "
        "not said)",
        "",
    ),
    Column("injured", "Int32", "people injured (empty when not said)", ""),
    Column("injured_at_least", "boolean", "the report gives a minimum", ""),
    Column("projectiles", "Int32", "rockets, missiles, drones or shells (empty when not said)", ""),
    Column("events", "Int32", "how many events the row stands for: 4 for 'four more attacks'", ""),
    Column(
        "aggregate",
        "boolean",
        "the counts are a total over several events told together ('bombings killed 19'), "
        "kept once on this row",
        "",
    ),
    Column("quote", "string", "the sentence it came from", "notes"),
    Column("quote_start", "Int32", "offset of the quote in the report text", ""),
    Column("quote_end", "Int32", "end offset of the quote", ""),
    Column("report_id", "string", "the first report it came from", ""),
    Column("source", "string", "the outlet of the first report", "source"),
    Column("url", "string", "the first report's URL", ""),
    Column("sources", "object", "every outlet reporting it (a list)", "source"),
    Column("report_ids", "object", "every report merged into this row (a list)", ""),
    Column("confidence", "Float64", "0 to 1: how sure the extraction is", ""),
    Column("mappable", "boolean", "has a point finer than a whole country", ""),
)


def data_dictionary() -> str:
    """``SCHEMA`` as a Markdown table: column, dtype, meaning, ACLED equivalent."""
    lines = ["| column | dtype | meaning | ACLED |", "| --- | --- | --- | --- |"]
    lines += [f"| `{c.name}` | {c.dtype} | {c.meaning} | {c.acled} |" for c in SCHEMA]
    lines.append("| `geometry` | geometry | the point (longitude, latitude), EPSG:4326 | |")
    return "\n".join(lines) + "\n"


def empty_frame() -> geopandas.GeoDataFrame:
    """A GeoDataFrame with the schema and no rows."""
    return to_geodataframe([])


def to_geodataframe(incidents: Iterable[Incident]) -> geopandas.GeoDataFrame:
    """The incidents as a GeoDataFrame in EPSG:4326, columns and dtypes as in ``SCHEMA``.

    Unplaced incidents keep their row, with an empty geometry.
    """
    import geopandas
    import numpy as np
    import pandas as pd
    import shapely

    rows = list(incidents)
    plain = [c.name for c in SCHEMA if c.name != "mappable"]
    if rows:
        columns = dict(zip(plain, zip(*map(attrgetter(*plain), rows), strict=True), strict=True))
    else:
        columns = {name: () for name in plain}
    columns["mappable"] = tuple(i.mappable for i in rows)
    data = {}
    for col in SCHEMA:
        values: list[object] = list(columns[col.name])
        if col.name in ("sources", "report_ids"):
            values = [list(v) for v in values]  # type: ignore[call-overload]
        if col.dtype == "datetime64[ns]":
            data[col.name] = pd.to_datetime(
                pd.Series(values, dtype="object"), errors="raise"
            ).astype(col.dtype)
        elif col.dtype == "object":
            data[col.name] = pd.Series(values, dtype="object")
        else:
            data[col.name] = pd.Series(values, dtype=col.dtype)
    # The one flip from (lat, lon) records to (x=lon, y=lat) geometries.
    lat = np.array([np.nan if v is None else v for v in columns["latitude"]], dtype=float)
    lon = np.array([np.nan if v is None else v for v in columns["longitude"]], dtype=float)
    geometry = np.full(len(rows), None, dtype=object)
    placed = ~(np.isnan(lat) | np.isnan(lon))
    geometry[placed] = shapely.points(lon[placed], lat[placed])
    return geopandas.GeoDataFrame(
        data, geometry=geopandas.GeoSeries(geometry, crs="EPSG:4326"), crs="EPSG:4326"
    )

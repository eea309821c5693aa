"""Incidents to a GeoDataFrame: one documented, stable schema in EPSG:4326.

The columns, their order and their dtypes are the same whatever the rows, including none.
``SCHEMA`` is the data dictionary: column, dtype, meaning, ACLED equivalent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from geomap.records import DivisionTally, Incident

if TYPE_CHECKING:
    import geopandas
    import numpy

    from gazetteer import Gazetteer

logger = logging.getLogger(__name__)

__all__ = [
    "SCHEMA",
    "Column",
    "data_dictionary",
    "division_tallies",
    "empty_frame",
    "points_of",
    "to_geodataframe",
]


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


def points_of(
    gdf: geopandas.GeoDataFrame,
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Latitudes, longitudes and whether each row has a usable point, of a frame in WGS 84.

    Lines and polygons count at a point on their surface; missing, empty, non-finite and
    out-of-range geometries are not usable.
    """
    import numpy as np
    import shapely

    geoms = np.array(gdf.geometry.values, dtype=object)
    geoms[shapely.is_empty(geoms)] = None
    shapes = ~np.isin(shapely.get_type_id(geoms), (-1, 0))  # not missing, not a point
    if shapes.any():
        geoms[shapes] = shapely.point_on_surface(geoms[shapes])
    lon = np.asarray(shapely.get_x(geoms), dtype=float)
    lat = np.asarray(shapely.get_y(geoms), dtype=float)
    usable = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    return lat, lon, usable


def division_tallies(gazetteer: Gazetteer, gdf: geopandas.GeoDataFrame) -> list[DivisionTally]:
    """Incidents per division of the boundaries imported into the gazetteer, for the map.

    Incidents are assigned by point-in-polygon (the gazetteer's STRtree of
    ``geomap gazetteer import --boundaries`` polygons), first-level divisions first, else
    second-level ones. Only the divisions of countries where an incident fell are returned
    (with zero counts for the others there), so a world-wide boundary import does not draw
    the world. Empty when no incident falls in an imported division (or none were imported).
    """
    import pandas as pd

    if gdf.crs is None or len(gdf) == 0:
        return []
    lat, lon, usable = points_of(gdf.to_crs(4326))
    if not usable.any():
        return []

    def counts(name: str) -> list[int]:
        column = gdf[name] if name in gdf.columns else pd.Series([0] * len(gdf))
        values = pd.to_numeric(column, errors="coerce").fillna(0).astype(int).to_numpy()
        return [int(v) for v in values[usable]]

    points = list(zip(lat[usable].tolist(), lon[usable].tolist(), strict=True))
    killed, injured = counts("killed"), counts("injured")
    for level in (1, 2):
        divisions = {d.place.id: d for d in gazetteer.divisions(level=level)}
        if not divisions:
            continue
        tally: dict[str, list[int]] = {}
        for place, k, i in zip(
            gazetteer.divisions_at(points, level=level), killed, injured, strict=True
        ):
            if place is not None:
                row = tally.setdefault(place.id, [0, 0, 0])
                row[0] += 1
                row[1] += k
                row[2] += i
        if not tally:
            continue
        countries = {divisions[pid].place.country for pid in tally}
        logger.info(
            "imported level-%d boundaries: %d of %d incidents in %d divisions",
            level,
            sum(c[0] for c in tally.values()),
            len(points),
            len(tally),
        )
        return [
            DivisionTally(d.place.name, d.place.country, d.geometry, *tally.get(pid, [0, 0, 0]))
            for pid, d in divisions.items()
            if d.place.country in countries
        ]
    return []

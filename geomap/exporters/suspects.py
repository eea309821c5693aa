"""The checks every point passes before it is exported, and coordinate rounding.

A row is suspect when its geometry is not a point, its coordinates are not finite or out
of range, they disagree with its latitude/longitude columns, or the point lies outside
the bounding boxes of the country the row names (``geomap.exporters.bounds``). Rows without a
geometry (unplaced incidents) are not suspect.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geomap.exporters.bounds import country_boxes, inside

if TYPE_CHECKING:
    import geopandas

__all__ = ["Suspect", "find_suspects", "rounded"]


@dataclass(frozen=True, slots=True)
class Suspect:
    """A row whose point fails a check, with what is wrong."""

    row: Hashable  # the row's index label in the frame given to export
    position: int  # 0-based position in that frame
    incident_id: str
    country: str
    latitude: float
    longitude: float
    problem: str

    def __str__(self) -> str:
        return f"row {self.row!r} (incident {self.incident_id!r}): {self.problem}"


def _country_problem(country: str, lat: float, lon: float) -> str:
    boxes = country_boxes().get(country.upper(), ())
    where = boxes[0].describe() if boxes else "no box"
    problem = (
        f"latitude {round(lat, 6)}, longitude {round(lon, 6)} is outside {country}'s "
        f"bounding box ({where})"
    )
    if -90 <= lon <= 90 and any(b.contains(lon, lat) for b in boxes):
        problem += "; latitude and longitude look swapped"
    return problem


def find_suspects(
    gdf: geopandas.GeoDataFrame, labels: Sequence[Hashable] | None = None
) -> list[Suspect]:
    """Check every row of a conformed incident frame; ``labels`` name the rows in messages."""
    import numpy as np
    import shapely

    geoms = gdf.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    is_point = shapely.get_type_id(geoms) == 0
    x = np.where(present & is_point, shapely.get_x(geoms), np.nan)
    y = np.where(present & is_point, shapely.get_y(geoms), np.nan)
    lat_col = gdf["latitude"].to_numpy(dtype="float64", na_value=np.nan)
    lon_col = gdf["longitude"].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        in_range = np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90)
        agrees = (np.abs(lat_col - y) <= 1e-9) & (np.abs(lon_col - x) <= 1e-9)
    countries = gdf["country"].to_numpy(dtype="object")
    in_country = inside(countries, y, x)
    columns_without_point = ~present & (~np.isnan(lat_col) | ~np.isnan(lon_col))
    bad = (present & ~(is_point & in_range & agrees & in_country)) | columns_without_point
    names = list(labels) if labels is not None else list(range(len(gdf)))
    out = []
    for i in np.flatnonzero(bad):
        lat, lon = float(y[i]), float(x[i])
        if not present[i]:
            problem = "latitude/longitude columns are set but the geometry is empty"
        elif not is_point[i]:
            problem = f"a {geoms[i].geom_type}, not a Point"
        elif not in_range[i]:
            problem = f"coordinates out of range: latitude {lat!r}, longitude {lon!r}"
        elif not agrees[i]:
            problem = (
                f"the point (latitude {round(lat, 6)}, longitude {round(lon, 6)}) disagrees "
                f"with the latitude/longitude columns ({lat_col[i]}, {lon_col[i]})"
            )
        else:
            problem = _country_problem(str(countries[i]), lat, lon)
        out.append(
            Suspect(
                row=names[i],
                position=int(i),
                incident_id=str(gdf["incident_id"].iat[i]),
                country=str(countries[i]),
                latitude=lat,
                longitude=lon,
                problem=problem,
            )
        )
    return out


def rounded(gdf: geopandas.GeoDataFrame, precision: int) -> geopandas.GeoDataFrame:
    """Points rounded to ``precision`` decimals, the latitude/longitude columns set from them.

    Rows whose point is missing, empty or not finite get no geometry and empty columns.
    """
    import geopandas
    import numpy as np
    import pandas as pd
    import shapely

    geoms = gdf.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    is_point = shapely.get_type_id(geoms) == 0
    x = np.round(np.where(present & is_point, shapely.get_x(geoms), np.nan), precision)
    y = np.round(np.where(present & is_point, shapely.get_y(geoms), np.nan), precision)
    ok = np.isfinite(x) & np.isfinite(y)
    out = gdf.copy(deep=False)
    out["latitude"] = pd.array(np.where(ok, y, 0.0), dtype="Float64")
    out["longitude"] = pd.array(np.where(ok, x, 0.0), dtype="Float64")
    out.loc[~ok, ["latitude", "longitude"]] = pd.NA
    with np.errstate(invalid="ignore"):
        unchanged = np.array_equal(ok, present) and bool(
            np.all((shapely.get_x(geoms[ok]) == x[ok]) & (shapely.get_y(geoms[ok]) == y[ok]))
        )
    if unchanged:  # already points at this precision: keep them
        return out
    points = np.full(len(geoms), None, dtype=object)
    points[ok] = shapely.points(x[ok], y[ok])
    return out.set_geometry(geopandas.GeoSeries(points, index=out.index, crs="EPSG:4326"))

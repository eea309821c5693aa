"""Incidents to one self-contained, layered HTML map that explains itself.

``make_map`` draws a GeoDataFrame of incidents (the schema of ``geomap.frame``) with folium:

- one overlay per incident type (``sub_event_type``), each a GeoJSON layer built in the
  browser from a compact payload, clustered (clusters split when zoomed in, and markers
  sharing one point spread out), marker size growing with the people killed or injured;
- a legend of the types with their counts and the marker sizes, a title with the count and
  dates, and a notice when there is nothing to show;
- a time slider (``folium.plugins.Timeline`` with ``TimelineSlider``): each incident shows
  from its date on, so the slider at its end shows them all;
- a heat map, the places mentioned that are not incident locations, and a summary per
  first-level division (proportional circles, or a choropleth over a boundary file), all
  off until ticked in the layer control;
- an offline basemap (Natural Earth countries and the first-level divisions of the
  countries with incidents, labelled; ``geomap.render.basemap``) as the base layer shown, and
  online tile layers from xyzservices names in the switcher; fit to the data, full screen,
  scale, mouse position, an overview map and a search box over place names;
- every script, stylesheet and image inline, from the vendored copies in
  ``geomap/data/vendor``, and a Content-Security-Policy (``geomap.render.page``): the page
  opens and works with no network, and loads nothing but the tiles the reader picks.

Report text is hostile: every string from a report is escaped in ``geomap.render.payload`` before
folium or the browser sees it, and the payload is embedded as script-safe JSON.

Tiles and pages opened from disk: OpenStreetMap's tile servers refuse requests that carry no
``Referer`` header, and a page opened from a file (``file://``) sends none, so OpenStreetMap
tiles show "Access blocked" there; serve the page over http (``python -m http.server``) to
use them. The default base layers (Esri's) load from disk as well, and need no API key.
"""

from __future__ import annotations

import difflib
import logging
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap._atomic import atomic_output
from geomap._errors import MapDataError, TileProviderError
from geomap.records import DivisionTally, Mention
from geomap.render.payload import escape_text, incident_payload, style_for

if TYPE_CHECKING:
    import folium
    import geopandas
    import pandas
    from xyzservices import TileProvider  # type: ignore[import-untyped]

    from geomap.render.page import MapPage

__all__ = [
    "DEFAULT_TILES",
    "DEFAULT_TITLE",
    "OSM_REFERER_NOTE",
    "make_map",
    "save_map",
    "tile_names",
    "tile_provider",
]

logger = logging.getLogger(__name__)

logger.addHandler(logging.NullHandler())

#: Base layers when none are named (xyzservices names); the first is shown. Esri's servers
#: need no key and answer pages opened from disk, which OpenStreetMap's do not (see
#: ``OSM_REFERER_NOTE``); CARTO's basemaps now need an API key.
DEFAULT_TILES: tuple[str, ...] = (
    "Esri.WorldStreetMap",
    "Esri.WorldGrayCanvas",
    "Esri.WorldImagery",
)
#: The map's title when none is given.
DEFAULT_TITLE = "Incidents"
OSM_REFERER_NOTE = (
    "OpenStreetMap's tile servers refuse requests without a Referer header, and a map "
    "opened from disk (file://) sends none: its OpenStreetMap tiles will read 'Access "
    "blocked'. Serve the file over http (python -m http.server) or use Esri.WorldStreetMap."
)

_TEXT_COLUMNS = (
    "sub_event_type",
    "event_type",
    "label",
    "location",
    "place_id",
    "admin1",
    "admin1_code",
    "country",
    "relation",
    "actor1",
    "actor2",
    "quote",
    "source",
    "url",
)
_OTHER_COLUMNS = (
    "event_date",
    "time_precision",
    "geo_precision",
    "killed",
    "injured",
    "killed_at_least",
    "injured_at_least",
)
_MAX_TICKS = 400  # the slider marks each incident date up to this many distinct dates
_MAX_ZOOM = 18


@dataclass(frozen=True, slots=True)
class _Rows:
    """The input as plain rows with float ``lat``/``lon`` (NaN when unusable)."""

    all: pandas.DataFrame
    drawn: pandas.DataFrame
    no_coordinates: int
    country_level: int


def _rows(gdf: geopandas.GeoDataFrame, draw_country_level: bool) -> _Rows:
    import numpy as np
    import pandas as pd

    if gdf.crs is None:
        msg = (
            "CRS is not set. Cannot re-project to WGS84: set it first, e.g. "
            "gdf.set_crs(4326) for longitude/latitude degrees"
        )
        raise MapDataError(msg)
    from geomap.frame import points_of

    gdf = gdf.to_crs(4326)
    lat, lon, usable = points_of(gdf)  # lines and polygons are drawn at a point on them
    data: dict[str, Any] = {}
    for name in _TEXT_COLUMNS:
        column = gdf[name] if name in gdf.columns else pd.Series([""] * len(gdf))
        data[name] = column.fillna("").astype(str).to_numpy()
    for name in _OTHER_COLUMNS:
        data[name] = gdf[name].to_numpy() if name in gdf.columns else np.full(len(gdf), None)
    rows = pd.DataFrame(data)
    rows["lat"] = np.where(usable, lat, np.nan)
    rows["lon"] = np.where(usable, lon, np.nan)
    types = rows["sub_event_type"].str.strip()
    rows["sub_event_type"] = types.where(types != "", rows["event_type"].str.strip())
    rows.loc[rows["sub_event_type"] == "", "sub_event_type"] = "Unspecified type"
    precision = pd.to_numeric(rows["geo_precision"], errors="coerce").fillna(1)
    country_level = usable & (precision.to_numpy() >= 4)
    drawn = usable & (draw_country_level | ~country_level)
    return _Rows(
        all=rows,
        drawn=rows[drawn].reset_index(drop=True),
        no_coordinates=int((~usable).sum()),
        country_level=int(0 if draw_country_level else country_level.sum()),
    )


def tile_names(tiles: str | Sequence[str] | None) -> list[str]:
    """The base-layer names given (repeated or comma-separated); [] for none or 'none'."""
    given = [] if tiles is None else [tiles] if isinstance(tiles, str) else list(tiles)
    names = [n.strip() for part in given for n in part.split(",") if n.strip()]
    return [] if [n.lower() for n in names] == ["none"] else names


def tile_provider(name: str) -> TileProvider:
    """The xyzservices provider of a base-layer name.

    Raises
    ------
    TileProviderError
        The name is unknown (with the closest names), or the provider needs an API key.
    """
    import xyzservices.providers as xyz  # type: ignore[import-untyped]

    try:
        provider = xyz.query_name(name)
    except ValueError as e:
        close = difflib.get_close_matches(name, list(xyz.flatten()), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        msg = (
            f"unknown tile provider {name!r}{hint} Use xyzservices names such as "
            f"{', '.join(DEFAULT_TILES)} or OpenStreetMap.Mapnik, or 'none' for no base layer"
        )
        raise TileProviderError(msg) from e
    if provider.requires_token():
        msg = f"tile provider {name!r} needs an API key; choose one of {', '.join(DEFAULT_TILES)}"
        raise TileProviderError(msg)
    return provider


def _providers(tiles: str | Sequence[str] | None) -> list[TileProvider]:
    out = [tile_provider(name) for name in tile_names(tiles)]
    if any("openstreetmap.org" in p.url for p in out):
        logger.warning(OSM_REFERER_NOTE)
    return out


def _mention_places(
    mentions: Iterable[Mention] | None, drawn: pandas.DataFrame
) -> list[tuple[float, float, str, int]]:
    """Resolved place mentions that are not incident locations, with how often each occurs."""
    if mentions is None:
        return []
    at_incident = set(drawn["place_id"]) - {""}
    points = set(zip(drawn["lat"].round(4), drawn["lon"].round(4), strict=True))
    found: dict[str, list[Any]] = {}
    for m in mentions:
        p = m.place
        if p is None or m.kind != "place" or p.id in at_incident:
            continue
        if not (-90 <= p.lat <= 90 and -180 <= p.lon <= 180):
            continue
        if (round(p.lat, 4), round(p.lon, 4)) in points:
            continue
        entry = found.setdefault(p.id, [p.lat, p.lon, p.name, 0])
        entry[3] += 1
    return [(e[0], e[1], e[2], e[3]) for e in found.values()]


def _tile_hosts(providers: list[TileProvider]) -> list[str]:
    """The origins the tile layers load from (each subdomain spelled out), for the page's CSP."""
    from urllib.parse import urlsplit

    hosts = []
    for provider in providers:
        parts = urlsplit(provider.build_url(fill_subdomain=False))
        subdomains = provider.get("subdomains") or "abc"  # Leaflet's default
        names = [parts.netloc.replace("{s}", s) for s in subdomains]
        hosts += [f"{parts.scheme}://{name}" for name in dict.fromkeys(names)]
    return list(dict.fromkeys(hosts))


def _add_base_layers(
    m: folium.Map, providers: list[TileProvider], rows: _Rows, payload: dict[str, Any]
) -> None:
    """The offline basemap (shown) and the tile layers (in the switcher, falling back to it)."""
    import folium
    import numpy as np

    from geomap.render.basemap import basemap_data
    from geomap.render.offline import Basemap, TileFallback

    places = np.asarray([p[:2] for p in payload["P"]], dtype=float).reshape(-1, 2)
    data = basemap_data(places[:, 0], places[:, 1], rows.drawn["country"].tolist())
    basemap = Basemap(data, name="Offline basemap (Natural Earth)")
    m.add_child(basemap)
    tiles = []
    for provider in providers:
        tile = folium.TileLayer(
            provider,
            name=escape_text(provider.name),
            overlay=False,
            control=True,
            show=False,
            max_zoom=_MAX_ZOOM,  # past the provider's own last level, its tiles are enlarged
            max_native_zoom=min(_MAX_ZOOM, int(provider.get("max_zoom", _MAX_ZOOM))),
        )
        m.add_child(tile)
        tiles.append(tile)
    if tiles:
        m.add_child(TileFallback(basemap, tiles))


def _add_incident_layers(m: folium.Map, types: list[tuple[str, int]]) -> list[Any]:
    from folium.plugins import MarkerCluster
    from folium.utilities import JsCode

    from geomap.render.elements import IncidentTimeline, swatch

    timelines = []
    for i, (type_name, count) in enumerate(types):
        cluster = MarkerCluster(  # type: ignore[no-untyped-call]
            name=f"{swatch(type_name, i)} {escape_text(type_name)} ({count:,})",
            overlay=True,
            control=True,
            show=True,
            icon_create_function=f"geomap.clusterIcon({i})",
            options={
                "chunkedLoading": True,
                "chunkProgress": JsCode(f"geomap.progress({i})"),
                "showCoverageOnHover": False,
                "maxClusterRadius": 80,
                "spiderfyOnMaxZoom": True,
            },
        )
        timeline = IncidentTimeline(i)
        cluster.add_child(timeline)
        m.add_child(cluster)
        timelines.append(timeline)
    return timelines


def _add_overlays(
    m: folium.Map,
    rows: _Rows,
    payload: dict[str, Any],
    boundaries: geopandas.GeoDataFrame | str | Path | None,
    regions: Sequence[DivisionTally],
) -> None:
    from geomap.render.elements import HeatLayer, MentionLayer, RegisterOverlay
    from geomap.render.regions import (
        boundary_layer,
        circle_layer,
        division_summary,
        tally_layer,
    )

    if len(rows.drawn):
        m.add_child(HeatLayer("Heat map (incidents)"))
    if payload.get("M"):
        m.add_child(MentionLayer("Places mentioned (not incident locations)"))
    divisions = division_summary(rows.all)
    if not divisions:
        return
    layer: folium.GeoJson | folium.FeatureGroup | None = None
    if boundaries is not None:
        polygons = _read_boundaries(boundaries)
        layer = boundary_layer(polygons, divisions, "Incidents per division (choropleth)")
        if layer is None:
            warnings.warn(
                "no boundary in the boundary file matched the incidents' divisions by ISO "
                "3166-2 code or name; drawing proportional circles instead",
                UserWarning,
                stacklevel=4,
            )
    elif regions:  # boundaries imported with `geomap gazetteer import`
        layer = tally_layer(regions, "Incidents per division (choropleth)")
    if layer is None:
        layer = circle_layer(divisions, "Incidents per division (circles)")
    m.add_child(layer)
    m.add_child(RegisterOverlay("regions", layer))


def _read_boundaries(boundaries: geopandas.GeoDataFrame | str | Path) -> geopandas.GeoDataFrame:
    import geopandas

    if isinstance(boundaries, geopandas.GeoDataFrame):
        return boundaries
    try:
        return geopandas.read_file(boundaries)
    except Exception as e:  # pyogrio raises its own errors for unreadable or unknown files
        msg = f"cannot read boundaries {str(boundaries)!r} as polygons: {e}"
        raise MapDataError(msg) from e


def _add_controls(m: folium.Map, payload: dict[str, Any]) -> None:
    from folium.plugins import Fullscreen, MousePosition

    from geomap.render.elements import SearchControl
    from geomap.render.offline import OverviewMap
    from geomap.render.page import asset_link

    Fullscreen(position="topleft").add_to(m)  # type: ignore[no-untyped-call]
    if payload["P"] or payload.get("M"):
        m.add_child(SearchControl())
    m.add_child(OverviewMap())
    mouse = MousePosition(  # type: ignore[no-untyped-call]
        position="bottomright", separator=" , ", prefix="lat, lon:"
    )
    mouse.default_js = [asset_link("Control_MousePosition_js")]  # the pinned npm build
    mouse.default_css = [asset_link("Control_MousePosition_css")]
    m.add_child(mouse)


def _new_map(rows: _Rows, title: str, page: MapPage) -> folium.Map:
    import folium

    from geomap.render.elements import Assets

    # The clusters need the map's last zoom level, whatever the base layers (or none).
    m = folium.Map(
        location=(20, 0), zoom_start=2, tiles=None, control_scale=True, maxZoom=_MAX_ZOOM
    )
    page.add_child(m)  # the page, not folium's Figure, is the root: see geomap.render.page
    page.title = escape_text(title)
    m.add_child(Assets())
    if not rows.drawn.empty:  # before the layers load, so that they are laid out once
        lat, lon = rows.drawn["lat"], rows.drawn["lon"]
        m.fit_bounds(  # keep the legend (right) and the slider (bottom) off the incidents
            [[lat.min(), lon.min()], [lat.max(), lon.max()]],
            padding_top_left=(50, 70),
            padding_bottom_right=(320, 110),
            max_zoom=10,
        )
    return m


def _add_slider(m: folium.Map, timelines: list[Any], payload: dict[str, Any]) -> Any:
    """The time slider over the incident layers, or None when no incident has a date."""
    from folium.plugins import TimelineSlider
    from folium.utilities import JsCode

    from geomap.render.page import asset_link

    if not timelines or payload["T"] is None:
        return None
    slider = TimelineSlider(
        auto_play=False,
        enable_keyboard_controls=True,
        show_ticks=payload["T"][1] - payload["T"][0] < _MAX_TICKS,
        playback_duration=20000,
    ).add_timelines(*timelines)  # type: ignore[no-untyped-call]
    slider.options["format_output"] = JsCode("geomap.sliderLabel")  # no moment.js needed
    slider.default_js = [asset_link("timeline")]
    m.add_child(slider)
    return slider


def _add_boxes(m: folium.Map, rows: _Rows, types: list[tuple[str, int]], title: str) -> None:
    """The legend, the title and, when nothing is drawn, a notice saying so."""
    from geomap.render.elements import HtmlBox, legend_html, title_html

    m.add_child(
        HtmlBox(
            legend_html(types, len(rows.drawn), rows.country_level, rows.no_coordinates),
            position="bottomright",
            css_class="gm-legend leaflet-control-layers",
        )
    )
    m.add_child(HtmlBox(title_html(title, rows.drawn), position="top", css_class="gm-title"))
    if rows.drawn.empty:
        notice = (
            "Nothing to show: there are no incidents."
            if rows.all.empty
            else f"Nothing to show: none of the {len(rows.all):,} incidents has a place to draw."
        )
        m.add_child(HtmlBox(escape_text(notice), position="center", css_class="gm-notice"))


def _add_credits(m: folium.Map, attribution: Sequence[str]) -> None:
    """The footer: the map's code and data with their licences, and the place data's notes."""
    from geomap.render.elements import HtmlBox, icons_licence
    from geomap.render.offline import credits_html

    html = credits_html(icons_licence(), list(attribution))
    m.add_child(HtmlBox(html, position="bottomleft", css_class="gm-credits"))


def make_map(  # noqa: PLR0913 (one keyword per option of `geomap map`)
    gdf: geopandas.GeoDataFrame,
    *,
    mentions: Iterable[Mention] | None = None,
    boundaries: geopandas.GeoDataFrame | str | Path | None = None,
    tiles: str | Sequence[str] | None = DEFAULT_TILES,
    title: str = DEFAULT_TITLE,
    draw_country_level: bool = False,
    regions: Sequence[DivisionTally] = (),
    attribution: Sequence[str] = (),
    cdn: bool = False,
) -> folium.Map:
    """A layered incident map; save it with ``.save("map.html")``.

    Parameters
    ----------
    gdf
        Incidents with the columns of ``geomap.frame.SCHEMA`` (missing columns read as
        empty) and point geometries in any CRS. Rows with missing or out-of-range
        coordinates are left off and counted in a warning; rows placed only at a country
        (``geo_precision`` 4) are left off unless ``draw_country_level``.
    mentions
        Resolved place mentions; those that are not incident locations form the "places
        mentioned" overlay (off by default).
    boundaries
        First-level division polygons (a GeoDataFrame or a file geopandas reads) with a name
        or ISO 3166-2 code field: the regional summary becomes a choropleth.
    tiles
        xyzservices provider names, or one comma-separated string: online base layers
        offered in the layer control beside the offline basemap, which is shown first (a
        tile layer that loads no tile falls back to it). None or "none" offers no tiles.
    title
        Shown above the map and as the page title.
    draw_country_level
        Also draw incidents placed only at a whole country (at its centroid).
    regions
        Incidents per imported division (:func:`geomap.frame.division_tallies`
        over the boundaries imported into the gazetteer): without ``boundaries``, they make
        the choropleth.
    attribution
        Licence notes of the place data behind the incidents (``Gazetteer.attribution_of``),
        shown at the foot of the map.
    cdn
        Load Leaflet and the plugins from jsDelivr (pinned versions, with integrity hashes)
        instead of carrying them inline: a smaller file that needs the network to open.

    Returns
    -------
    folium.Map

    Raises
    ------
    MapDataError
        The frame or the boundaries have no CRS, or the boundary file cannot be read.
    TileProviderError
        A tile name is not an xyzservices provider or needs an API key.
    """
    try:
        import folium
    except ImportError as e:  # pragma: no cover - folium is a dependency of geomap
        msg = 'make_map needs folium: pip install "folium>=0.17"'
        raise ImportError(msg) from e
    from geomap.render.elements import IconSprite, MapData, Start
    from geomap.render.page import MapPage

    rows = _rows(gdf, draw_country_level)
    if len(rows.all) == 0:
        warnings.warn(
            "no incidents to map: the map says there is nothing to show", UserWarning, stacklevel=2
        )
    if rows.no_coordinates:
        warnings.warn(
            f"{rows.no_coordinates:,} of {len(rows.all):,} incidents have missing or "
            "out-of-range coordinates and are left off the map",
            UserWarning,
            stacklevel=2,
        )
    counts = rows.drawn["sub_event_type"].value_counts()
    types = sorted(((str(t), int(n)) for t, n in counts.items()), key=lambda x: (-x[1], x[0]))
    providers = _providers(tiles)
    payload = incident_payload(
        rows.drawn, [t for t, _ in types], mentions=_mention_places(mentions, rows.drawn)
    )
    logger.info(
        "make_map: %d incidents, %d drawn in %d types (%d country-level and %d without "
        "coordinates left off), %d places",
        len(rows.all),
        len(rows.drawn),
        len(types),
        rows.country_level,
        rows.no_coordinates,
        len(payload["P"]),
    )

    m = _new_map(rows, title, MapPage(cdn=cdn, image_hosts=_tile_hosts(providers)))
    m.add_child(IconSprite([style_for(t, i).icon for i, (t, _) in enumerate(types)]))
    _add_base_layers(m, providers, rows, payload)
    m.add_child(MapData(payload))
    timelines = _add_incident_layers(m, types)
    _add_overlays(m, rows, payload, boundaries, regions)
    m.add_child(Start(_add_slider(m, timelines, payload)))
    _add_controls(m, payload)
    _add_boxes(m, rows, types, title)
    _add_credits(m, attribution)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return m


def save_map(m: folium.Map, path: Path) -> None:
    """Save a map atomically.

    The page of a ``make_map`` map numbers folium's random element ids in order of
    appearance (``geomap.render.page``), so the file is reproducible.
    """
    html = m.get_root().render()
    with atomic_output(path, ".html") as out:
        out.temp.write_text(html, encoding="utf-8")
        out.info.update(format="HTML", schema="map")

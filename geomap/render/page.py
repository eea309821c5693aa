"""The map's page: its scripts and stylesheets inline (or from a CDN), and its security policy.

folium elements name the scripts and stylesheets they need in ``default_js``/``default_css``
as (name, CDN URL) pairs, and branca links each URL in the page's header. ``MapPage`` is the
root of a geomap map instead of branca's ``Figure``: before the page renders, it takes every
element's pairs, looks each name up in ``ASSET_FILES`` (the vendored npm file it stands for),
empties the lists, and places each file once, in tree order (Leaflet first), in the header:

- inline (the default): ``<script>`` and ``<style>`` holding the vendored text, stylesheet
  ``url()`` targets turned into ``data:`` URIs (``geomap.render.vendor.inline_css``);
- ``cdn=True``: links to the same files at jsDelivr, each with its Subresource Integrity hash.

A name that is not in ``ASSET_FILES`` (an element geomap does not vendor for) is an error
that names it, rather than a page that silently reaches out. Names in ``UNUSED_ASSETS`` are
dropped: folium's defaults that the map does not use.

The page then gets a Content-Security-Policy ``<meta>``: ``default-src 'none'``; scripts only
by the SHA-256 of each inline script the page carries (and the CDN with ``cdn=True``); images
from ``data:`` and the tile hosts given; styles inline (Leaflet and geomap set ``style``
attributes); no connections, forms, frames or base URL. A script injected by a future
escaping bug would not match a hash and would not run.

folium names elements with random 32-digit ids; the page numbers them in order of first
appearance so that two renders of one map are identical. Long data (the payload, vendored
files) is held aside while the ids are renumbered (``hold``), so that no report text or
library code is ever rewritten.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from branca.element import Element, Figure

from geomap._errors import VendoredAssetError
from geomap.render.vendor import CDN, cdn_url, inline_css, subresource_integrity, vendored_text

__all__ = [
    "ASSET_FILES",
    "UNUSED_ASSETS",
    "MapPage",
    "asset_link",
    "content_security_policy",
    "hold",
    "inline_script_hashes",
]

#: Asset names (folium's, and geomap's elements') -> the vendored file: (npm package, path).
ASSET_FILES: dict[str, tuple[str, str]] = {
    "leaflet": ("leaflet", "dist/leaflet.js"),
    "leaflet_css": ("leaflet", "dist/leaflet.css"),
    "markerclusterjs": ("leaflet.markercluster", "dist/leaflet.markercluster.js"),
    "markerclustercss": ("leaflet.markercluster", "dist/MarkerCluster.css"),
    "timeline": ("leaflet.timeline", "dist/leaflet.timeline.js"),
    "leaflet-heat.js": ("leaflet.heat", "dist/leaflet-heat.js"),
    "Control.Fullscreen.js": ("leaflet.fullscreen", "Control.FullScreen.js"),
    "Control.FullScreen.css": ("leaflet.fullscreen", "Control.FullScreen.css"),
    "Leaflet.Search.js": ("leaflet-search", "dist/leaflet-search.min.js"),
    "Leaflet.Search.css": ("leaflet-search", "dist/leaflet-search.min.css"),
    "Control_MiniMap_js": ("leaflet-minimap", "dist/Control.MiniMap.min.js"),
    "Control_MiniMap_css": ("leaflet-minimap", "dist/Control.MiniMap.min.css"),
    "Control_MousePosition_js": ("leaflet-mouse-position", "src/L.Control.MousePosition.js"),
    "Control_MousePosition_css": ("leaflet-mouse-position", "src/L.Control.MousePosition.css"),
    "topojson-client": ("topojson-client", "dist/topojson-client.min.js"),
}
#: folium's defaults that the map does not use: jQuery, Bootstrap, Awesome Markers, Font
#: Awesome (the type icons are inline SVG) and the default cluster icons (geomap draws its own).
UNUSED_ASSETS = frozenset(
    {
        "jquery",
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_rotate_css",
        "awesome_markers_font_css",
        "markerclusterdefaultcss",
    }
)
_FOLIUM_ID = re.compile(r"(?<=[A-Za-z]_)[0-9a-f]{32}(?![0-9a-f])")
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_CHARSET_META = '<meta http-equiv="content-type" content="text/html; charset=UTF-8" />'


def asset_link(name: str) -> tuple[str, str]:
    """A (name, CDN URL) pair for an element's ``default_js``/``default_css``."""
    package, path = ASSET_FILES[name]
    return name, cdn_url(package, path)


def hold(element: Element, text: str) -> str:
    """Text to place in the page unchanged: a token, when ``element`` is on a ``MapPage``."""
    root = element.get_root()
    return root.hold(text) if isinstance(root, MapPage) else text


def inline_script_hashes(html: str) -> list[str]:
    """CSP hash sources (``'sha256-…'``) of the page's inline scripts, in page order.

    Scripts with a ``src`` or a type that is not JavaScript (JSON data blocks) are not run
    and need none. The page must hold no ``</script`` inside a script, which geomap ensures
    (its JSON escapes ``<``; vendored files are checked). Line breaks are hashed as the
    browser sees them: HTML parsing turns CR LF and CR into LF.
    """
    found = []
    for match in _SCRIPT.finditer(html):
        attrs, body = match.group(1), match.group(2)
        kind = _TYPE.search(attrs)
        if re.search(r"\bsrc\s*=", attrs, re.IGNORECASE) or (
            kind and kind.group(1).lower() not in _JS_TYPES
        ):
            continue
        body = body.replace("\r\n", "\n").replace("\r", "\n")  # as the HTML parser reads it
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        found.append(f"'sha256-{digest}'")
    return list(dict.fromkeys(found))


def content_security_policy(
    script_hashes: Sequence[str],
    image_hosts: Sequence[str],
    *,
    cdn: bool,
    hosts: Sequence[str] = (),
) -> str:
    """The page's policy: its own inline scripts, ``data:`` images and the given hosts.

    With ``cdn``, scripts, styles, images and fonts may also come from the CDN and from
    ``hosts`` (where assets geomap does not vendor are linked from).
    """
    extra = [CDN, *hosts] if cdn else []
    directives = [
        "default-src 'none'",
        "script-src " + " ".join([*script_hashes, *extra] or ["'none'"]),
        "style-src " + " ".join(["'unsafe-inline'", *extra]),
        "img-src " + " ".join(["data:", *image_hosts, *extra]),
        "font-src " + " ".join(["data:", *extra]),
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


def _asset_element(name: str, *, cdn: bool) -> Element:
    if name not in ASSET_FILES:  # with cdn=True, the URL of a file geomap does not vendor
        if name.split("?")[0].endswith(".css"):
            return _Held(f'<link rel="stylesheet" href="{name}"/>\n', hold_text=False)
        return _Held(f'<script src="{name}"></script>\n', hold_text=False)
    package, path = ASSET_FILES[name]
    is_css = path.endswith(".css")
    if cdn:
        url, sri = cdn_url(package, path), subresource_integrity(package, path)
        attrs = f'integrity="{sri}" crossorigin="anonymous" referrerpolicy="no-referrer"'
        if is_css:
            return _Held(f'<link rel="stylesheet" href="{url}" {attrs}/>\n', hold_text=False)
        return _Held(f'<script src="{url}" {attrs}></script>\n', hold_text=False)
    if is_css:
        text = inline_css(package, path)
        tag = "style"
    else:
        text = vendored_text(package, path)
        tag = "script"
    if f"</{tag}" in text.lower() or "<!--" in text:
        msg = f"{package}/{path} holds '</{tag}' or '<!--': it cannot be placed inline"
        raise VendoredAssetError(msg)
    return _Held(f"<{tag}>/* {package}/{path} */\n{text}\n</{tag}>\n", hold_text=True)


class _Held(Element):
    """Header text placed as it is (held aside from id renumbering when long)."""

    def __init__(self, text: str, *, hold_text: bool) -> None:
        super().__init__()
        self.text = text
        self.hold_text = hold_text

    def render(self, **kwargs: Any) -> str:
        return hold(self, self.text) if self.hold_text else self.text


def _take_assets(element: Element, names: list[str], *, cdn: bool) -> None:
    """Collect (in tree order) and clear the assets of ``element`` and its descendants.

    ``names`` gets asset names, or with ``cdn`` the URL of an asset geomap does not vendor.
    """
    for attribute in ("default_js", "default_css"):
        links = getattr(element, attribute, None)
        if not links:
            continue
        for name, url in links:
            if name in UNUSED_ASSETS:
                continue
            if name not in ASSET_FILES and cdn:
                names.append(url)
            elif name not in ASSET_FILES:
                msg = (
                    f"{type(element).__name__} needs {name!r} ({url}), which geomap does not "
                    "vendor: save the map with cdn=True (geomap map --cdn), or add the file to "
                    "geomap/data/vendor/manifest.json and ASSET_FILES"
                )
                raise VendoredAssetError(msg)
            else:
                names.append(name)
        setattr(element, attribute, [])
    for child in element._children.values():
        _take_assets(child, names, cdn=cdn)


class MapPage(Figure):
    """The root of a geomap map: assets inline or from a CDN, a CSP, stable element ids.

    Parameters
    ----------
    cdn
        Link the vendored files at jsDelivr (with integrity hashes) instead of inlining them.
    image_hosts
        Origins the page may load images from besides ``data:`` (the tile servers).
    """

    def __init__(self, *, cdn: bool = False, image_hosts: Sequence[str] = ()) -> None:
        super().__init__()
        self.cdn = cdn
        self.image_hosts = tuple(image_hosts)
        self._held: list[str] = []
        self._token = ""
        self._other_hosts: dict[str, None] = {}  # origins of unvendored assets (cdn=True)
        self._assets: list[str] = []  # what the elements asked for, in tree order
        self._pristine: list[dict[str, Element]] | None = None

    def hold(self, text: str) -> str:
        """A token that ``render`` replaces by ``text`` after renumbering the element ids."""
        self._held.append(text)
        return f"<!--gm-held-{self._token}-{len(self._held) - 1}-->"

    def _add_assets(self) -> None:
        for child in self._children.values():
            _take_assets(child, self._assets, cdn=self.cdn)
        for name in dict.fromkeys(self._assets):
            self.header.add_child(_asset_element(name, cdn=self.cdn), name=f"vendor {name}")
            if name not in ASSET_FILES:
                parts = urlsplit(name)
                self._other_hosts[f"{parts.scheme}://{parts.netloc}"] = None

    def _reset(self) -> None:
        """Back to the page's parts before the first render (folium's elements add theirs
        at each render, some under new names), so that every render gives the same page."""
        parts = (self.header, self.html, self.script)
        if self._pristine is None:
            self._pristine = [dict(part._children) for part in parts]
        for part, children in zip(parts, self._pristine, strict=True):
            part._children.clear()
            part._children.update(children)

    def render(self, **kwargs: Any) -> str:
        """The whole page (see the module docstring)."""
        self._reset()
        self._add_assets()
        self._held = []
        self._token = secrets.token_hex(8)
        skeleton = super().render(**kwargs)
        ids: dict[str, str] = {}

        def renumber(match: re.Match[str]) -> str:
            return ids.setdefault(match.group(), f"{len(ids) + 1:032x}")

        skeleton = _FOLIUM_ID.sub(renumber, skeleton)
        held = self._held
        html = re.sub(
            rf"<!--gm-held-{self._token}-(\d+)-->", lambda m: held[int(m.group(1))], skeleton
        )
        self._held = []
        policy = content_security_policy(
            inline_script_hashes(html),
            self.image_hosts,
            cdn=self.cdn,
            hosts=list(self._other_hosts),
        )
        meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
        if _CHARSET_META in html:
            return html.replace(_CHARSET_META, f"{_CHARSET_META}\n    {meta}", 1)
        return html.replace("<head>", f"<head>\n    {meta}", 1)

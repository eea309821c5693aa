"""Open geomap's HTML maps in headless Chromium with no internet (tests and benchmarks).

Debian's ``chromium`` is driven by Playwright for Python (never a downloaded browser). The
JavaScript and CSS that folium loads from CDNs are answered from the npm packages pinned in
``tests/package.json`` (``npm ci --prefix tests``), tile requests with a blank PNG, and any
other request is refused and recorded, so a test can assert that nothing was missing.
"""

from __future__ import annotations

import mimetypes
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "BLANK_PNG",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "NODE_MODULES",
    "Assets",
    "browser_missing",
    "chromium",
    "local_file",
    "new_page",
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NODE_MODULES = Path(__file__).resolve().parent / "node_modules"

# A 1x1 transparent PNG.
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

_JSDELIVR = "https://cdn.jsdelivr.net/npm/"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
# URL prefix -> (package folder, path inside it); the rest of the URL is appended.
_PREFIXES: tuple[tuple[str, str], ...] = (
    (_JSDELIVR + "leaflet@1.9.3/", "leaflet/"),
    (_JSDELIVR + "bootstrap@5.2.2/", "bootstrap/"),
    (_JSDELIVR + "@fortawesome/fontawesome-free@6.2.0/", "@fortawesome/fontawesome-free/"),
    (_JSDELIVR + "leaflet.heat@0.2.0/", "leaflet.heat/"),
    (_JSDELIVR + "leaflet-search@2.9.7/", "leaflet-search/"),
    (_JSDELIVR + "leaflet-mouse-position@1.2.0/", "leaflet-mouse-position/"),
    (_JSDELIVR + "leaflet.fullscreen@3.0.0/", "leaflet.fullscreen/"),
    (_JSDELIVR + "leaflet.timeline@1.6.0/", "leaflet.timeline/"),
    (_CDNJS + "leaflet.markercluster/1.1.0/", "leaflet.markercluster/dist/"),
    (_CDNJS + "leaflet-minimap/3.6.1/", "leaflet-minimap/dist/"),
    (
        _CDNJS + "Leaflet.awesome-markers/2.0.2/images/",
        "drmonty-leaflet-awesome-markers/css/images/",
    ),
    (_CDNJS + "Leaflet.awesome-markers/2.0.2/", "drmonty-leaflet-awesome-markers/js/"),
    (_CDNJS + "moment.js/2.18.1/", "moment/min/"),
)
# Files the CDNs serve under another name (jsdelivr minifies on the fly, cdnjs renames).
_RENAMED = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    _JSDELIVR + "leaflet.timeline@1.6.0/dist/leaflet.timeline.min.js": (
        "leaflet.timeline/dist/leaflet.timeline.js"
    ),
    _JSDELIVR + "leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": (
        "leaflet.fullscreen/Control.FullScreen.js"
    ),
    _CDNJS + "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (
        "drmonty-leaflet-awesome-markers/css/leaflet.awesome-markers.css"
    ),
    _CDNJS
    + "leaflet-minimap/3.6.1/Control.MiniMap.js": "leaflet-minimap/dist/Control.MiniMap.min.js",
    _CDNJS + "leaflet-minimap/3.6.1/Control.MiniMap.css": (
        "leaflet-minimap/dist/Control.MiniMap.min.css"
    ),
    # What explore() and folium's own plugins load (the benchmark opens explore() maps).
    "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/"
    "leaflet_heat.min.js": "leaflet.heat/dist/leaflet-heat.js",
    "https://cdn.jsdelivr.net/gh/ardhi/Leaflet.MousePosition/src/L.Control.MousePosition.min.js": (
        "leaflet-mouse-position/src/L.Control.MousePosition.js"
    ),
    "https://cdn.jsdelivr.net/gh/ardhi/Leaflet.MousePosition/src/L.Control.MousePosition.min.css": (
        "leaflet-mouse-position/src/L.Control.MousePosition.css"
    ),
}
# Stylesheets folium links that no npm package holds; geomap's maps leave them out, and
# explore()'s get an empty stylesheet.
_EMPTY_CSS = (
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css",
)
_TILE_HOSTS = (
    "basemaps.cartocdn.com",
    "server.arcgisonline.com",
    "tile.openstreetmap.org",
    "tile.opentopomap.org",
)


def local_file(url: str) -> Path | None:
    """The local copy of a CDN URL, or None when there is none."""
    url = url.split("?", 1)[0].split("#", 1)[0]
    if url in _RENAMED:
        return NODE_MODULES / _RENAMED[url]
    for prefix, folder in _PREFIXES:
        if url.startswith(prefix):
            return NODE_MODULES / folder / url[len(prefix) :]
    return None


def browser_missing() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: apt-get install -y chromium"
    if not (NODE_MODULES / "leaflet").is_dir():
        return "tests/node_modules is missing: npm ci --prefix tests"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is missing: pip install -e '.[test]'"
    if shutil.which(CHROMIUM) is None:
        return f"{CHROMIUM} is not executable"
    return ""


@dataclass
class Assets:
    """What a page asked for: answered from disk, tiles, and refused."""

    served: list[str] = field(default_factory=list)
    tiles: int = 0
    refused: list[str] = field(default_factory=list)

    def route(self, route: Any) -> None:
        url: str = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
            return
        if any(host in url for host in _TILE_HOSTS):
            self.tiles += 1
            route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
            return
        if url in _EMPTY_CSS:
            route.fulfill(status=200, content_type="text/css", body="")
            return
        path = local_file(url)
        if path is None or not path.is_file():
            self.refused.append(url)
            route.fulfill(status=404, content_type="text/plain", body="not available offline")
            return
        self.served.append(url)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".woff2":
            kind = "font/woff2"
        route.fulfill(status=200, content_type=kind, body=path.read_bytes())


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium (a Playwright ``Browser``), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, width: int = 1280, height: int = 800) -> tuple[Any, Assets]:
    """A page whose CDN requests are answered locally, and the record of its requests."""
    assets = Assets()
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", assets.route)
    return context.new_page(), assets

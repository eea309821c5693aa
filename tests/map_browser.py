"""Open HTML maps in headless Chromium with no network (tests and benchmarks).

Debian's ``chromium`` is driven by Playwright for Python (never a downloaded browser).

- ``new_page`` (geomap's maps): every request that is not ``file:`` or ``data:`` is aborted
  and recorded, so a test can assert that the page tried to reach no other host.
- ``new_page(..., stand_in=True)`` (``GeoDataFrame.explore()`` maps in the benchmark, which
  load folium's defaults from CDNs): the files geomap vendors (Leaflet) are answered from
  ``geomap/data/vendor`` at their jsDelivr address, tiles with a blank PNG, and the other
  CDN files explore's page links but does not need to draw (jQuery, Bootstrap, Font
  Awesome, Awesome Markers) with an empty body: explore() is spared their parsing, which
  only flatters it.
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
    "READY",
    "OpenedMap",
    "Requests",
    "assert_works_offline",
    "browser_missing",
    "chromium",
    "new_page",
    "open_offline",
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

# A 1x1 transparent PNG.
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
_LOCAL = ("file:", "data:", "about:")
_TILE_HOSTS = (
    "tile.openstreetmap.org",
    "server.arcgisonline.com",
    "basemaps.cartocdn.com",
    "tile.opentopomap.org",
)
_CDN_HOSTS = (
    "https://cdn.jsdelivr.net/",
    "https://cdnjs.cloudflare.com/",
    "https://code.jquery.com/",
    "https://netdna.bootstrapcdn.com/",
)


def browser_missing() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: apt-get install -y chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is missing: pip install -e '.[test]'"
    if shutil.which(CHROMIUM) is None:
        return f"{CHROMIUM} is not executable"
    return ""


def _vendored_at(url: str) -> bytes | None:
    """The vendored file a jsDelivr npm URL names (at the pinned version), or None."""
    from geomap.render.vendor import packages, vendored_bytes

    for package in packages().values():
        prefix = f"https://cdn.jsdelivr.net/npm/{package.name}@{package.version}/"
        if url.startswith(prefix) and url[len(prefix) :] in package.files:
            return vendored_bytes(package.name, url[len(prefix) :])
    return None


@dataclass
class Requests:
    """What a page asked for beyond ``file:`` and ``data:``."""

    stand_in: bool = False
    blocked: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)
    tiles: int = 0

    def route(self, route: Any) -> None:
        url: str = route.request.url
        if url.startswith(_LOCAL):
            route.continue_()
            return
        if not self.stand_in:
            self.blocked.append(url)
            route.abort("blockedbyclient")
            return
        if any(host in url for host in _TILE_HOSTS):
            self.tiles += 1
            route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
            return
        clean = url.split("?", 1)[0].split("#", 1)[0]
        body = _vendored_at(clean)
        if body is None and clean.startswith(_CDN_HOSTS):
            body = b""  # linked by folium's defaults, not needed to draw
        if body is None:
            self.blocked.append(url)
            route.abort("blockedbyclient")
            return
        self.served.append(url)
        kind = mimetypes.guess_type(clean)[0] or "application/octet-stream"
        # as jsDelivr answers: readable across origins, so integrity checks can run
        cors = {"Access-Control-Allow-Origin": "*"}
        route.fulfill(status=200, content_type=kind, body=body, headers=cors)


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


def new_page(
    browser: Any, width: int = 1280, height: int = 800, *, stand_in: bool = False
) -> tuple[Any, Requests]:
    """A page whose requests are recorded and blocked (or answered, ``stand_in``)."""
    requests = Requests(stand_in=stand_in)
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", requests.route)
    return context.new_page(), requests


#: Playwright's string predicates run through eval(), which the map's CSP forbids: functions.
READY = "() => window.geomap && geomap.isReady()"


@dataclass
class OpenedMap:
    """A map opened from disk with the network blocked, and everything the page reported."""

    page: Any
    requests: Requests
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def js(self, script: str, arg: Any = None) -> Any:
        """Evaluate a function (called with ``arg``) or an expression; a Leaflet object that
        an expression returns (a map, a layer) comes back as None: it cannot be serialized."""
        first = script.lstrip().split("\n", 1)[0]
        if "=>" in first or first.startswith(("function", "async")):
            return self.page.evaluate(script, arg)
        return self.page.evaluate(
            f"() => {{ const r = ({script}); return r instanceof L.Class ? null : r; }}"
        )

    def settle(self) -> None:
        self.page.wait_for_function(READY, timeout=60_000)
        self.page.wait_for_timeout(150)


def open_offline(
    browser: Any, path: Path, width: int = 1280, height: int = 800, *, stand_in: bool = False
) -> OpenedMap:
    """Open a map file with every request beyond ``file:`` and ``data:`` blocked (or, with
    ``stand_in``, CDN requests for vendored files answered from the vendored copies)."""
    page, requests = new_page(browser, width, height, stand_in=stand_in)
    opened = OpenedMap(page, requests)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    page.on(
        "console",
        lambda m: opened.console_errors.append(m.text) if m.type == "error" else None,
    )
    page.set_default_timeout(60_000)
    page.goto(path.resolve().as_uri())
    opened.settle()
    return opened


_OPEN_POPUP = """([li, i]) => {
    const rec = geomap.records[li];
    return new Promise(done => rec.cluster.zoomToShowLayer(rec.markers[i], () => {
        rec.cluster.fire("click", {layer: rec.markers[i]});
        setTimeout(done, 600);
    }));
}"""
_AS_TEXT = (
    "html => { const d = document.createElement('div'); d.innerHTML = html; return d.textContent; }"
)


def assert_works_offline(opened: OpenedMap, drawn: int) -> None:
    """What every map must do with no network: see tests/test_render_browser.py."""
    blocked = opened.requests.blocked
    assert blocked == [], f"the page tried to reach other hosts: {blocked}"
    assert opened.errors == [] and opened.console_errors == [] and opened.dialogs == []
    assert opened.js("geomap.drawn()") == drawn
    # the offline basemap: country shapes and labels under the incidents
    assert opened.js("geomap.map.hasLayer(geomap.basemap)")
    # (at a world view, countries smaller than a pixel are left out)
    assert opened.js("geomap.basemapParts.countries.getLayers().length") > 150
    assert opened.js("geomap.basemapParts.divisions.getLayers().length") > 0
    # the legend lists every type
    legend = opened.page.locator(".gm-legend").inner_text()
    names = opened.js(f"geomap.data.L.map(l => ({_AS_TEXT})(geomap.data.s[l.name]))")
    for name in names:
        assert name in legend, name
    # the slider filters: at its first date fewer incidents show, at its last all of them
    slider = opened.page.locator(".leaflet-timeline-control input[type=range]")
    if slider.count() and slider.evaluate("s => s.min !== s.max"):
        for end, expected in (("min", None), ("max", drawn)):
            slider.evaluate(
                "(s, end) => { s.value = s[end]; s.dispatchEvent(new Event('input')); }", end
            )
            opened.settle()
            shown = opened.js("geomap.drawn()")
            assert shown == expected if expected is not None else shown < drawn
    # a popup opens, with the report's quote as text (escaped quotes read as quotes)
    li, i = opened.js("[0, 0]")
    quote = opened.js(f"({_AS_TEXT})(geomap.data.s[geomap.data.L[0].q[0]])")
    opened.js(_OPEN_POPUP, [li, i])
    popup = opened.page.locator(".leaflet-popup-content")
    popup.wait_for()
    if quote:
        assert popup.locator(".gm-quote").inner_text() == quote
    assert opened.js("window.__xss === undefined")
    assert opened.requests.blocked == [] and opened.errors == []
    opened.js("void geomap.map.closePopup()")

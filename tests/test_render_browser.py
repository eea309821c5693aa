"""The incident map in a real browser: headless Debian Chromium driven by Playwright.

The page is the HTML ``make_map`` writes, opened from disk with every request that is not
``file:`` or ``data:`` blocked and recorded (see tests/map_browser.py): no ``npm ci``, no
CDN, no tiles. Each test checks what a reader would see and do: the incidents drawn, the
offline basemap, the legend, the layer switches, the time slider, popups (clear of the
title), tooltips, the search box, and that the hostile report runs nothing; and the same
on 10,000 synthetic incidents.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.map_browser import (
    OpenedMap,
    assert_works_offline,
    browser_missing,
    chromium,
    open_offline,
)
from tests.map_rows import (
    HOSTILE_PLACE,
    HOSTILE_TYPE,
    PAYLOADS,
    hostile_incident,
    sample_incidents,
    sample_mentions,
)

pytestmark = pytest.mark.browser

if why := browser_missing():
    if os.environ.get("CI"):  # .ci/run installs Chromium: a skip there would hide a broken map
        raise RuntimeError(f"the browser tests cannot run: {why}")
    pytest.skip(why, allow_module_level=True)

import geopandas  # noqa: E402

from geomap.frame import empty_frame, to_geodataframe  # noqa: E402
from geomap.render.map import make_map  # noqa: E402

TYPES = ("Air/drone strike", "Shelling/artillery/missile attack", "Armed clash", HOSTILE_TYPE)
Page = OpenedMap
SCREENSHOT = os.environ.get("GEOMAP_MAP_SCREENSHOT")  # also save the sample map's picture here


def _open(browser: Any, html_path: Path) -> Page:
    return open_offline(browser, html_path)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _sample_path(folder: Path) -> Path:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "1 of 17 incidents have missing", UserWarning)
        m = make_map(to_geodataframe(sample_incidents()), mentions=sample_mentions())
    path = folder / "map.html"
    m.save(str(path))
    return path


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sample_path(tmp_path_factory.mktemp("map"))


@pytest.fixture(scope="module")
def sample_map(browser: Any, sample_path: Path) -> Page:
    return _open(browser, sample_path)


def _mappable() -> int:
    return sum(
        1
        for i in sample_incidents()
        if i.mappable and i.latitude is not None and -90 <= i.latitude <= 90
    )


def _layer_index(p: Page, type_name: str) -> int:
    index: int = p.js(
        """name => geomap.data.L.findIndex(l => {
            const d = document.createElement('div'); d.innerHTML = geomap.data.s[l.name];
            return d.textContent === name; })""",
        type_name,
    )
    assert index >= 0, type_name
    return index


def _marker_center(p: Page, li: int, i: int) -> tuple[float, float]:
    """Zoom until incident ``i`` of layer ``li`` stands alone; its icon's centre on screen."""
    p.js(
        """([li, i]) => new Promise(done => {
            const rec = geomap.records[li];
            rec.cluster.zoomToShowLayer(rec.markers[i], () => done()); })""",
        [li, i],
    )
    p.page.wait_for_timeout(700)
    box = p.js(
        """([li, i]) => { const r = geomap.records[li].markers[i]._icon.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2]; }""",
        [li, i],
    )
    return box[0], box[1]


def test_nothing_failed_and_nothing_was_asked_of_another_host(sample_map: Page) -> None:
    assert sample_map.requests.blocked == [], sample_map.requests.blocked
    assert sample_map.errors == []
    assert sample_map.console_errors == []


def test_the_sample_map_works_offline(browser: Any, sample_path: Path) -> None:
    assert_works_offline(_open(browser, sample_path), drawn=15)


def test_the_offline_basemap_draws_countries_divisions_and_labels(sample_map: Page) -> None:
    names = sample_map.js(
        "geomap.basemapParts.countries.getLayers().map(l => l.feature.properties.name)"
    )
    assert {"Iraq", "Syria", "Iran", "Turkey"} <= set(names)
    assert sample_map.js("geomap.basemapParts.divisions.getLayers().length") == 18  # Iraq's
    sample_map.js("void geomap.map.setView([33.5, 44], 6, {animate: false})")
    sample_map.settle()
    labels = sample_map.page.locator(".gm-label").all_inner_texts()
    assert "IRAQ" in [t.upper() for t in labels] and "Al-Anbar" in labels
    assert sample_map.js("geomap.map.getContainer().classList.contains('gm-sea')")
    assert sample_map.page.locator(".leaflet-control-minimap canvas").count() == 1


def test_drawn_incidents_are_the_rows_with_a_mappable_place(sample_map: Page) -> None:
    assert _mappable() == 15
    assert sample_map.js("geomap.drawn()") == 15
    assert sample_map.js("geomap.records.length") == len(TYPES)


def test_legend_is_visible_and_lists_every_type(sample_map: Page) -> None:
    legend = sample_map.page.locator(".gm-legend")
    assert legend.is_visible()
    text = legend.inner_text()
    for type_name in TYPES:
        assert type_name in text
    assert "Marker size: killed + injured" in text
    assert "Not drawn: 1 placed only at a country; 1 without usable coordinates." in text


def test_each_overlay_toggles(sample_map: Page) -> None:
    page = sample_map.page
    page.locator(".leaflet-control-layers").first.hover()
    labels = page.locator(".leaflet-control-layers-overlays label")
    assert labels.count() == len(TYPES) + 3  # heat, places mentioned, per division
    base = page.locator(".leaflet-control-layers-base label")
    assert base.count() == 4  # the offline basemap (shown) and three tile layers
    assert base.first.inner_text().strip() == "Offline basemap (Natural Earth)"
    assert base.first.locator("input").is_checked()
    state = """id => { const layer = Object.values(geomap.overlays).find(l => L.stamp(l) === id);
        return layer ? geomap.map.hasLayer(layer) : null; }"""
    for k in range(labels.count()):
        label = labels.nth(k)
        layer_id = label.locator("input").evaluate("i => i.layerId")
        before = sample_map.js(state, layer_id)
        assert before is not None, label.inner_text()
        label.click()
        assert sample_map.js(state, layer_id) is (not before), label.inner_text()
        label.click()
        assert sample_map.js(state, layer_id) is before
    shown = [labels.nth(k).locator("input").is_checked() for k in range(labels.count())]
    assert shown == [True] * len(TYPES) + [False, False, False]  # extra layers start off
    page.mouse.move(5, 400)
    sample_map.settle()


def test_heat_map_follows_the_drawn_incidents(sample_map: Page) -> None:
    sample_map.js("geomap.map.addLayer(geomap.overlays.heat)")
    sample_map.page.wait_for_timeout(300)
    assert sample_map.js("geomap.heat._latlngs.length") == 7  # the distinct places drawn
    sample_map.js("geomap.map.removeLayer(geomap.overlays.heat)")


def test_slider_exists_and_filters_by_date(sample_map: Page) -> None:
    slider = sample_map.page.locator(".leaflet-timeline-control input[type=range]")
    assert slider.count() == 1

    def move_to(value: str) -> int:
        slider.evaluate(
            """(s, v) => { s.value = v === 'min' ? s.min : v === 'max' ? s.max : v;
                s.dispatchEvent(new Event('input', {bubbles: true})); }""",
            value,
        )
        sample_map.settle()
        drawn: int = sample_map.js("geomap.drawn()")
        return drawn

    assert move_to("min") == 2  # the first day's strike, and the undated clash
    day = 19732 * 86_400_000  # 2024-01-10
    assert move_to(str(day)) == 8
    assert "up to 2024-01-10" in sample_map.page.locator(".leaflet-timeline-control").inner_text()
    assert move_to("max") == 15


def test_markers_on_one_point_spread_and_popups_show_the_report(sample_map: Page) -> None:
    page = sample_map.page
    li = _layer_index(sample_map, "Air/drone strike")
    sample_map.js("geomap.map.setView([36.19, 44.01], 12)")
    page.wait_for_timeout(500)
    cluster = sample_map.js(
        """li => { const rec = geomap.records[li];
            const r = rec.cluster.getVisibleParent(rec.markers[0])._icon.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2]; }""",
        li,
    )
    page.mouse.click(*cluster)  # six strikes on one base: the cluster spreads them out
    page.wait_for_timeout(600)
    spread = sample_map.js(
        """li => geomap.records[li].markers.map(m => {
            const r = m._icon.getBoundingClientRect();
            return [Math.round(r.x), Math.round(r.y)]; })""",
        li,
    )
    assert len({tuple(xy) for xy in spread}) == 6
    x, y = spread[5]
    page.mouse.click(x + 10, y + 10)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    for needle in (
        "Air/drone strike",
        "(drone strike)",
        "2024-01-07",
        "(day)",
        "Erbil, IQ",
        "(site or town)",
        "Unidentified drone",
        "Coalition forces",
        "Killed\t5",
        "Injured\t10",
    ):
        assert needle in text, needle
    assert popup.locator("mark").inner_text() == "Erbil"
    link = popup.locator("a")
    assert link.get_attribute("href") == "https://news.example.org/story/5"
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    page.keyboard.press("Escape")


def test_tooltip_gives_type_place_and_date(sample_map: Page) -> None:
    li = _layer_index(sample_map, "Shelling/artillery/missile attack")
    sample_map.page.mouse.move(5, 400)  # a marker may have landed under the pointer
    x, y = _marker_center(sample_map, li, 1)
    sample_map.page.mouse.move(x, y)
    tooltip = sample_map.page.locator(".leaflet-tooltip", has_text="2024-01-11")
    tooltip.wait_for()
    assert tooltip.inner_text().split("\n") == [
        "Shelling/artillery/missile attack",
        "Kirkuk",
        "week of 2024-01-11",
    ]
    sample_map.page.mouse.move(5, 400)


def test_hostile_report_shows_as_text_and_runs_nothing(sample_map: Page) -> None:
    page = sample_map.page
    li = _layer_index(sample_map, HOSTILE_TYPE)
    x, y = _marker_center(sample_map, li, 0)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert HOSTILE_TYPE in text
    for payload in PAYLOADS:
        assert payload in text, payload
    assert popup.locator("mark").inner_text() == HOSTILE_PLACE
    assert popup.locator("a").count() == 0  # a javascript: URL is not a link
    assert popup.locator("img, script").count() == 0
    # the regional summary and places mentioned carry hostile names too
    sample_map.js("geomap.map.addLayer(geomap.overlays.regions)")
    sample_map.js("geomap.map.addLayer(geomap.overlays.mentions)")
    sample_map.js(
        "Object.values(geomap.overlays).forEach(l => l.eachLayer && l.eachLayer("
        "m => m.openTooltip && m.getTooltip && m.getTooltip() && m.openTooltip()))"
    )
    page.wait_for_timeout(300)
    assert page.locator(".leaflet-tooltip", has_text=PAYLOADS[1]).count() >= 1
    sample_map.js("geomap.map.removeLayer(geomap.overlays.regions)")
    sample_map.js("geomap.map.removeLayer(geomap.overlays.mentions)")
    page.keyboard.press("Escape")
    assert sample_map.js("window.__xss === undefined")
    assert sample_map.js("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert sample_map.dialogs == []
    assert sample_map.errors == []


def test_search_finds_a_place(sample_map: Page) -> None:
    page = sample_map.page
    page.click(".leaflet-control-search .search-button")
    page.locator(".leaflet-control-search input.search-input").press_sequentially("kirk")
    tip = page.locator(".leaflet-control-search .search-tip").first
    tip.wait_for()
    assert tip.inner_text() == "Kirkuk"
    tip.click()
    page.wait_for_timeout(800)
    lat, lon = sample_map.js("[geomap.map.getCenter().lat, geomap.map.getCenter().lng]")
    assert abs(lat - 35.468) < 0.01 and abs(lon - 44.392) < 0.01
    # a name with a quote in it is typed as read
    page.locator(".leaflet-control-search input.search-input").fill("")


def test_screenshot(sample_map: Page, tmp_path: Path) -> None:
    page = sample_map.page
    sample_map.js("geomap.map.fitBounds([[30.4, 42.4], [36.4, 47.8]])")
    sample_map.settle()
    shot = tmp_path / "map.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert sample_map.errors == [] and sample_map.dialogs == []
    assert sample_map.requests.blocked == []
    if SCREENSHOT:
        shutil.copyfile(shot, SCREENSHOT)


def test_empty_map_says_there_is_nothing_to_show(browser: Any, tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="no incidents to map"):
        m = make_map(empty_frame())
    path = tmp_path / "empty.html"
    m.save(str(path))
    p = _open(browser, path)
    assert p.page.locator(".gm-notice").inner_text() == "Nothing to show: there are no incidents."
    assert p.js("geomap.drawn()") == 0
    assert p.errors == [] and p.console_errors == [] and p.requests.blocked == []
    assert p.js("geomap.basemapParts.countries.getLayers().length") > 150  # at zoom 2
    p.page.screenshot(path=str(tmp_path / "empty.png"))


def test_map_without_tiles_and_with_a_choropleth_opens_cleanly(
    browser: Any, tmp_path: Path
) -> None:
    from shapely.geometry import box

    polygons = geopandas.GeoDataFrame(
        {"shapeISO": ["IQ-AR", "IQ-KI"], "shapeName": ["Erbil", PAYLOADS[1]]},
        geometry=[box(43.5, 35.8, 44.8, 36.8), box(43.8, 35.0, 44.9, 35.8)],
        crs=4326,
    )
    rows = [r for r in sample_incidents() if r.latitude is not None]
    m = make_map(to_geodataframe(rows), tiles=None, boundaries=polygons, draw_country_level=True)
    path = tmp_path / "bare.html"
    m.save(str(path))
    p = _open(browser, path)
    assert p.errors == [] and p.console_errors == [] and p.requests.blocked == []
    assert p.js("geomap.drawn()") == 16
    p.js("geomap.map.addLayer(geomap.overlays.regions)")
    p.page.wait_for_timeout(200)
    assert (
        p.page.locator("div.folium-map > .leaflet-pane > .leaflet-overlay-pane path").count() == 2
    )
    box_ = p.page.locator(
        "div.folium-map > .leaflet-pane > .leaflet-overlay-pane path"
    ).last.bounding_box()
    assert box_ is not None
    p.page.mouse.move(box_["x"] + 8, box_["y"] + box_["height"] - 8)  # clear of the markers
    tooltip = p.page.locator(".leaflet-tooltip")
    tooltip.first.wait_for()
    assert PAYLOADS[1] in tooltip.first.inner_text()  # the hostile division name, as text
    assert p.js("window.__xss === undefined") and p.dialogs == []


def test_a_popup_opens_clear_of_the_title(sample_map: Page) -> None:
    sample_map.js("void geomap.map.closePopup()")
    li = _layer_index(sample_map, "Shelling/artillery/missile attack")
    x, y = _marker_center(sample_map, li, 1)
    # put the marker right under the title box, at the top of the map, and open its popup
    sample_map.js(f"void geomap.map.panBy([{x} - 640, {y} - 30], {{animate: false}})")
    sample_map.page.wait_for_timeout(300)
    sample_map.js(
        """li => void geomap.records[li].cluster.fire(
            "click", {layer: geomap.records[li].markers[1]})""",
        li,
    )
    popup = sample_map.page.locator(".leaflet-popup")
    popup.wait_for()
    sample_map.page.wait_for_timeout(800)  # the popup pans the map into view
    title = sample_map.page.locator(".gm-title").bounding_box()
    box = popup.bounding_box()
    assert title is not None and box is not None
    assert box["y"] >= title["y"] + title["height"]
    sample_map.page.keyboard.press("Escape")


def test_tiles_that_do_not_load_give_way_to_the_offline_basemap(
    browser: Any, sample_path: Path
) -> None:
    p = _open(browser, sample_path)
    p.page.locator(".leaflet-control-layers").first.hover()
    p.page.locator(".leaflet-control-layers-base label", has_text="Esri.WorldStreetMap").click()
    p.page.locator(".gm-flash").wait_for()
    assert "showing the offline basemap" in p.page.locator(".gm-flash").inner_text()
    assert p.js("geomap.map.hasLayer(geomap.basemap)")
    hosts = {url.split("/")[2] for url in p.requests.blocked}
    assert hosts == {"server.arcgisonline.com"}  # the tiles the reader chose, and only those
    assert p.errors == []


@pytest.fixture(scope="module")
def large_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.map_synthetic import synthetic_incidents

    rows = [*synthetic_incidents(10_000), hostile_incident()]
    path = tmp_path_factory.mktemp("large") / "map.html"
    make_map(to_geodataframe(rows)).save(str(path))
    return path


def test_ten_thousand_incidents_work_offline(browser: Any, large_path: Path) -> None:
    p = _open(browser, large_path)
    assert_works_offline(p, drawn=10_001)
    assert p.js("geomap.basemapParts.divisions.getLayers().length") > 18  # Iraq's and Syria's
    li = _layer_index(p, HOSTILE_TYPE)
    x, y = _marker_center(p, li, 0)
    p.page.mouse.click(x, y)
    popup = p.page.locator(".leaflet-popup-content")
    popup.wait_for()
    for payload in PAYLOADS:
        assert payload in popup.inner_text(), payload
    assert popup.locator("img, script").count() == 0
    assert p.js("window.__xss === undefined") and p.dialogs == [] and p.errors == []
    assert p.requests.blocked == []


def test_the_cdn_page_loads_the_pinned_files_and_their_integrity_holds(
    browser: Any, tmp_path: Path
) -> None:
    """jsDelivr's answers are stood in for by the vendored files: the page's integrity
    hashes and its policy must let exactly those through."""
    path = tmp_path / "cdn.html"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "1 of 17 incidents have missing", UserWarning)
        make_map(to_geodataframe(sample_incidents()), cdn=True).save(str(path))
    p = open_offline(browser, path, stand_in=True)
    assert p.errors == [] and p.console_errors == [] and p.requests.blocked == []
    served = {url.split("/npm/")[1].split("@")[0] for url in p.requests.served}
    assert {"leaflet", "leaflet.markercluster", "leaflet.timeline", "topojson-client"} <= served
    assert p.js("geomap.drawn()") == 15
    assert p.js("geomap.basemapParts.countries.getLayers().length") > 150  # at zoom 2

"""The incident map without a browser: escaping, payload, warnings, options and the CLI.

The map is rendered to HTML and checked on substrings and on the JSON payload it embeds
(folium ``tests/plugins``, geopandas ``tests/test_explore.py``); tests/test_render_browser.py
opens the same maps in Chromium.
"""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.map_rows import (
    HOSTILE_PLACE,
    HOSTILE_TYPE,
    PAYLOADS,
    incident,
    sample_incidents,
    sample_mentions,
)

folium = pytest.importorskip("folium")
geopandas = pytest.importorskip("geopandas")

from geomap._errors import MapDataError, TileProviderError  # noqa: E402
from geomap.cli import cli  # noqa: E402
from geomap.frame import empty_frame, to_geodataframe  # noqa: E402
from geomap.render.elements import _asset  # noqa: E402
from geomap.render.map import make_map  # noqa: E402
from geomap.render.payload import escape_text, highlight_quote, link_url, script_json  # noqa: E402

MISSING = "1 of 17 incidents have missing or out-of-range coordinates"


def _html(m: Any) -> str:
    return str(m.get_root().render())


def _payload(html: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="geomap_data_[0-9a-f]+">(.*?)</script>', html
    )
    assert found, "no payload in the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.fixture(scope="module")
def sample_html() -> str:
    with pytest.warns(UserWarning, match=MISSING):
        m = make_map(
            to_geodataframe(sample_incidents()),
            mentions=sample_mentions(),
            title="Iraq, January <2024>",
        )
    return _html(m)


# -- escaping -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", PAYLOADS)
def test_escape_text_leaves_no_markup_or_template_syntax(text: str) -> None:
    escaped = escape_text(text)
    assert not set(escaped) & set("<>\"'`${}\\")


@given(st.text())
def test_escape_text_is_reversible_by_an_html_parser(text: str) -> None:
    escaped = escape_text(text)
    assert not set(escaped) & set("<>\"'`${}\\")
    assert html.unescape(escaped) == text


@given(
    st.recursive(
        st.text() | st.integers() | st.none(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)
    )
)
def test_script_json_round_trips_and_cannot_end_a_script(value: Any) -> None:
    text = script_json(value)
    assert json.loads(text) == value
    assert not set(text) & set("<>&'`$\u2028\u2029")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&amp;c=2"),
        ("http://example.org/", "http://example.org/"),
        ("HTTPS://Example.org/x", "HTTPS://Example.org/x"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("//example.org/x", ""),
        ("https://", ""),
        ("https://exa mple.org/", ""),
        (
            'https://example.org/"onmouseover="alert(1)',
            "https://example.org/&quot;onmouseover=&quot;alert(1)",
        ),
        ("", ""),
    ],
)
def test_link_url_keeps_only_http_and_https(url: str, expected: str) -> None:
    assert link_url(url) == expected


def test_highlight_quote_marks_the_place_and_escapes_the_rest() -> None:
    assert highlight_quote("Rockets hit ERBIL <today>.", "Erbil") == (
        "Rockets hit <mark>ERBIL</mark> &lt;today&gt;."
    )
    assert highlight_quote("Clashes near Ain al-Asad base.", "Ayn al Asad Air Base") == (
        "Clashes near Ain al-<mark>Asad</mark> base."
    )
    assert highlight_quote("Nothing here.", "Erbil") == "Nothing here."
    assert "<mark>" not in highlight_quote("x", "")


# -- the map ------------------------------------------------------------------------------


def test_hostile_text_never_reaches_the_page_raw(sample_html: str) -> None:
    for payload in (p for p in PAYLOADS if len(p) > 8):
        assert payload not in sample_html
    assert HOSTILE_PLACE not in sample_html and HOSTILE_TYPE not in sample_html
    assert "<img src=x" not in sample_html
    assert "${window" not in sample_html and "`;window" not in sample_html
    assert sample_html.count("</script>") == sample_html.count("<script")
    # the page title is escaped too
    assert "<title>Iraq, January &lt;2024&gt;</title>" in sample_html
    # geomap's script and the payload are placed verbatim: no second template pass
    assert _asset("map.js") in sample_html and "{{ 7*7 }}" not in sample_html


def test_payload_has_one_layer_per_type_and_only_drawable_rows(sample_html: str) -> None:
    data = _payload(sample_html)
    layers = {data["s"][layer["name"]]: layer["n"] for layer in data["L"]}
    assert layers == {
        "Air/drone strike": 6,
        "Shelling/artillery/missile attack": 4,
        "Armed clash": 4,
        escape_text(HOSTILE_TYPE): 1,
    }
    assert data["T"] == [19724, 19754]  # 2024-01-02 .. 2024-02-01, in days since 1970
    assert sorted(data["s"][m[2]] for m in data["M"]) == [
        escape_text(PAYLOADS[1] + "Sinjar"),
        "Halabja",
    ]
    assert [m[3] for m in data["M"] if data["s"][m[2]] == "Halabja"] == [2]
    hostile = next(layer for layer in data["L"] if layer["n"] == 1)
    assert data["s"][hostile["u"][0]] == ""  # a javascript: URL is not a link
    quote = data["s"][hostile["q"][0]]
    assert "<mark>" + escape_text(HOSTILE_PLACE) + "</mark>" in quote


def test_every_overlay_and_control_is_on_the_page(sample_html: str) -> None:
    for needle in (
        "L.markerClusterGroup(",
        "geomap.incidentLayer(",
        "L.timelineSliderControl(",
        "geomap.heatLayer(",
        "geomap.mentionLayer(",
        "Incidents per division (circles)",
        "Places mentioned (not incident locations)",
        "Heat map (incidents)",
        "L.control.layers(",
        "L.control.fullscreen(",
        "geomap.overviewMap(",
        "L.Control.MousePosition(",
        "geomap.searchControl(",
        ".fitBounds(",
        "L.control.scale(",
        "Incidents by type (15)",
        "Not drawn: 1 placed only at a country; 1 without usable coordinates.",
    ):
        assert needle in sample_html, needle
    # folium links these; the map uses none of them (its icons are inline SVG)
    for unused in ("bootstrap", "jquery", "fontawesome-free@", "awesome-markers", "glyphicons"):
        assert unused not in sample_html, unused
    assert '<symbol id="gm-i-jet-fighter"' in sample_html and "CC BY 4.0" in sample_html


def test_country_level_rows_are_drawn_on_request() -> None:
    with pytest.warns(UserWarning, match=MISSING):
        m = make_map(to_geodataframe(sample_incidents()), draw_country_level=True)
    assert sum(layer["n"] for layer in _payload(_html(m))["L"]) == 16


def test_empty_frame_gives_a_map_that_says_so() -> None:
    with pytest.warns(UserWarning, match="no incidents to map"):
        html = _html(make_map(empty_frame()))
    assert "Nothing to show: there are no incidents." in html
    assert "L.timelineSliderControl(" not in html and "L.control.layers(" in html
    assert _payload(html)["L"] == []


def test_unplaced_rows_only_give_a_notice() -> None:
    rows = [incident(1, latitude=None, longitude=None), incident(2, latitude=None, longitude=None)]
    with pytest.warns(UserWarning, match="2 of 2 incidents have missing"):
        html = _html(make_map(to_geodataframe(rows)))
    assert "none of the 2 incidents has a place to draw" in html


def test_out_of_range_coordinates_are_left_off_not_drawn_at_zero() -> None:
    gdf = to_geodataframe([incident(1), incident(2)])
    gdf.loc[1, "geometry"] = gdf.geometry.iloc[1].__class__(200.0, 95.0)
    with pytest.warns(UserWarning, match="1 of 2 incidents have missing or out-of-range"):
        data = _payload(_html(make_map(gdf)))
    assert [p[:2] for p in data["P"]] == [[36.19, 44.01]]


def test_a_frame_without_crs_is_refused() -> None:
    gdf = to_geodataframe([incident(1)]).set_crs(None, allow_override=True)
    with pytest.raises(MapDataError, match=r"CRS is not set\. Cannot re-project to WGS84"):
        make_map(gdf)


def test_other_crs_is_reprojected() -> None:
    gdf = to_geodataframe([incident(1)]).to_crs(3857)
    data = _payload(_html(make_map(gdf)))
    assert data["P"][0][:2] == [36.19, 44.01]


# -- base layers ----------------------------------------------------------------------------


def test_tiles_are_xyzservices_names_and_several_give_a_switcher() -> None:
    gdf = to_geodataframe([incident(1)])
    html = _html(make_map(gdf, tiles="Esri.WorldImagery, OpenTopoMap"))
    assert "server.arcgisonline.com" in html and "tile.opentopomap.org" in html
    assert html.count("L.tileLayer(") == 2  # beside the offline basemap, shown first
    assert "geomap.tileFallback(" in html
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert policy is not None
    images = next(d for d in policy.group(1).split("; ") if d.startswith("img-src"))
    assert images.split() == [
        "img-src",
        "data:",
        "https://server.arcgisonline.com",
        "https://a.tile.opentopomap.org",
        "https://b.tile.opentopomap.org",
        "https://c.tile.opentopomap.org",
    ]


def test_no_tiles() -> None:
    html = _html(make_map(to_geodataframe([incident(1)]), tiles="none"))
    assert "L.tileLayer(" not in html and "geomap.tileFallback(" not in html
    assert "geomap.basemapLayer(" in html and "geomap.overviewMap(" in html  # offline
    assert "img-src data:;" in html
    assert "L.tileLayer(" not in _html(make_map(to_geodataframe([incident(1)]), tiles=None))


def test_unknown_tiles_name_the_close_ones() -> None:
    with pytest.raises(
        TileProviderError,
        match=r"unknown tile provider 'Esri.WorldStret'; did you mean Esri.WorldStreetMap",
    ):
        make_map(to_geodataframe([incident(1)]), tiles="Esri.WorldStret")


def test_tiles_that_need_a_key_are_refused() -> None:
    with pytest.raises(TileProviderError, match=r"'CartoDB\.Positron' needs an API key"):
        make_map(to_geodataframe([incident(1)]), tiles="CartoDB.Positron")


def test_openstreetmap_tiles_come_with_the_referer_note(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="geomap.render.map"):
        make_map(to_geodataframe([incident(1)]), tiles=["OpenStreetMap.Mapnik"])
    assert "refuse requests without a Referer" in caplog.text


# -- regional summary -----------------------------------------------------------------------


def _boundaries(**columns: list[str]) -> Any:
    from shapely.geometry import box

    return geopandas.GeoDataFrame(
        columns,
        geometry=[box(43.5, 35.8, 44.8, 36.8), box(43.8, 35.0, 44.9, 35.8), box(40, 30, 41, 31)],
        crs=4326,
    )


def test_boundaries_by_iso_code_give_a_choropleth() -> None:
    gdf = to_geodataframe(
        [incident(1), incident(2), incident(3, admin1="Kirkuk", admin1_code="IQ-KI")]
    )
    polygons = _boundaries(
        shapeISO=["IQ-AR", "IQ-KI", "IQ-AN"], shapeName=["Erbil", "Kirkuk", "<b>Anbar</b>"]
    )
    html = _html(make_map(gdf, boundaries=polygons))
    assert "Incidents per division (choropleth)" in html and "(circles)" not in html
    assert '"gm_incidents": 2' in html
    assert '"gm_name": "\\u0026lt;b\\u0026gt;Anbar\\u0026lt;/b\\u0026gt;"' in html
    assert "<b>Anbar" not in html


def test_boundaries_by_name_when_there_is_no_code_field() -> None:
    gdf = to_geodataframe([incident(1)])
    polygons = _boundaries(ADM1_EN=["Erbil Governorate", "Kirkuk", "Anbar"])
    html = _html(make_map(gdf, boundaries=polygons))
    assert '"gm_incidents": 1' in html


def test_unmatched_boundaries_fall_back_to_circles() -> None:
    polygons = _boundaries(NAME_1=["Alpha", "Beta", "Gamma"])
    with pytest.warns(UserWarning, match="no boundary in the boundary file matched"):
        html = _html(make_map(to_geodataframe([incident(1)]), boundaries=polygons))
    assert "Incidents per division (circles)" in html


def test_boundaries_without_crs_are_refused() -> None:
    polygons = _boundaries(shapeISO=["IQ-AR", "IQ-KI", "IQ-AN"]).set_crs(None, allow_override=True)
    with pytest.raises(MapDataError, match="boundaries: CRS is not set"):
        make_map(to_geodataframe([incident(1)]), boundaries=polygons)


def test_boundary_file_that_cannot_be_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text("not json")
    with pytest.raises(MapDataError, match="cannot read boundaries"):
        make_map(to_geodataframe([incident(1)]), boundaries=bad)


# -- size -----------------------------------------------------------------------------------


def test_two_thousand_incidents_stay_small() -> None:
    rows = [
        incident(i, latitude=30 + (i % 97) / 10, longitude=40 + (i % 89) / 10, killed=i % 7)
        for i in range(2000)
    ]
    m = make_map(to_geodataframe(rows))
    html = _html(m)
    base = _html(make_map(to_geodataframe(rows[:1])))
    # the page carries Leaflet, the plugins and the world's outlines once: about 1.1 MB
    assert len(base.encode()) < 1_300_000
    # and the outlines of the divisions of the countries these incidents fall in
    found = re.search(r'id="basemap_[0-9a-f]+_data">(.*?)</script>', html, re.DOTALL)
    assert found is not None
    divisions = len(json.dumps(json.loads(found.group(1))["divisions"]))
    assert len(html.encode()) - len(base.encode()) < 2000 * 150 + divisions


# -- command line ---------------------------------------------------------------------------


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), prog_name="geomap")


@pytest.fixture
def geojson_input(tmp_path: Path) -> Path:
    gdf = to_geodataframe(sample_incidents())
    gdf["sources"] = gdf["sources"].map(json.dumps)
    gdf["report_ids"] = gdf["report_ids"].map(json.dumps)
    path = tmp_path / "incidents.geojson"
    gdf.to_file(path, driver="GeoJSON")
    return path


def test_cli_map_writes_the_page_and_reports_what_it_left_off(
    geojson_input: Path, tmp_path: Path
) -> None:
    out = tmp_path / "map.html"
    result = _run("map", str(geojson_input), "-o", str(out), "--title", "Test")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote a map of 17 incidents to {out}"
    assert f"warning: {MISSING} and are left off the map" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert sum(layer["n"] for layer in _payload(html)["L"]) == 15


def test_cli_map_reads_a_plain_csv(tmp_path: Path) -> None:
    gdf = to_geodataframe(
        [incident(1), incident(2, location="Kirkuk", latitude=35.47, longitude=44.39)]
    )
    path = tmp_path / "rows.csv"
    gdf.drop(columns="geometry").to_csv(path, index=False)
    out = tmp_path / "map.html"
    result = _run("map", str(path), "-o", str(out), "--tiles", "none")
    assert result.exit_code == 0, result.output
    assert sum(layer["n"] for layer in _payload(out.read_text(encoding="utf-8"))["L"]) == 2


def test_cli_map_reads_an_acled_csv(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text(
        "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,"
        "country,iso,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities\n"
        "IRQ1,15 January 2024,1,Explosions/Remote violence,Air/drone strike,Drone,,"
        'Iraq,368,Erbil,Erbil,36.19,44.01,1,Rudaw,"A drone hit Erbil, officials said.",2\n'
        "IRQ2,16 January 2024,1,Battles,Armed clash,Group A,Group B,"
        "Iraq,368,Nineveh,Mosul,36.34,43.13,1,Shafaq,Clashes in Mosul.,0\n",
        encoding="utf-8",
    )
    out = tmp_path / "map.html"
    result = _run("map", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    data = _payload(out.read_text(encoding="utf-8"))
    assert sorted(data["s"][layer["name"]] for layer in data["L"]) == [
        "Air/drone strike",
        "Armed clash",
    ]


def test_cli_map_bad_tiles_is_a_usage_error(geojson_input: Path, tmp_path: Path) -> None:
    result = _run("map", str(geojson_input), "-o", str(tmp_path / "m.html"), "--tiles", "Nope.Nope")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("Error: Invalid value for '--tiles': unknown tile provider 'Nope.Nope'")
    )
    assert not (tmp_path / "m.html").exists()


def test_cli_map_unreadable_input(tmp_path: Path) -> None:
    path = tmp_path / "x.gpkg"
    path.write_bytes(b"not a geopackage")
    result = _run("map", str(path), "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")


def test_cli_map_has_help() -> None:
    result = _run("map", "--help")
    assert result.exit_code == 0
    assert "geomap map incidents.geojson -o map.html" in result.output
    assert "--boundaries" in result.output and "--tiles" in result.output


def test_input_is_read_without_the_export_and_acled_readers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from geomap.render import inputs as _map_input

    monkeypatch.setattr(_map_input, "_optional", lambda module, name: None)
    gdf = to_geodataframe([incident(1), incident(2, latitude=None, longitude=None)])
    plain = gdf.drop(columns=["geometry", "sources", "report_ids"])
    by_columns = tmp_path / "rows.csv"
    plain.to_csv(by_columns, index=False)
    by_wkt = tmp_path / "wkt.csv"
    plain.drop(columns=["latitude", "longitude"]).assign(geometry=gdf.geometry.to_wkt()).to_csv(
        by_wkt, index=False
    )
    layer = tmp_path / "rows.geojson"
    gdf.drop(columns=["sources", "report_ids"]).to_file(layer, driver="GeoJSON")
    for path in (by_columns, by_wkt, layer):
        read, problems = _map_input.read_map_input(path)
        assert problems == []
        assert read.crs.to_epsg() == 4326
        assert read.geometry.notna().sum() == 1, path.name
        assert str(read["event_date"].dtype).startswith("datetime64")
        assert read["killed"].tolist()[0] == 0
    nowhere = tmp_path / "nowhere.csv"
    plain.drop(columns=["latitude", "longitude"]).to_csv(nowhere, index=False)
    with pytest.raises(MapDataError, match="a CSV needs latitude and longitude columns"):
        _map_input.read_map_input(nowhere)

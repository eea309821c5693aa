"""The map page without a browser: everything inline, the CSP, ``cdn=True``, the basemap data.

The page is parsed with Python's HTML parser (not the regular expressions geomap uses to
write it), so the checks of the policy's hashes are independent of the code under test.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.map_rows import PAYLOADS, incident, sample_incidents, sample_mentions

folium = pytest.importorskip("folium")

from geomap._errors import VendoredAssetError  # noqa: E402
from geomap.cli import cli  # noqa: E402
from geomap.frame import to_geodataframe  # noqa: E402
from geomap.render.basemap import basemap_data, countries, label_min_zoom, topology_shapes  # noqa: E402
from geomap.render.map import make_map  # noqa: E402
from geomap.render.page import ASSET_FILES  # noqa: E402
from geomap.render.vendor import packages, vendored_text  # noqa: E402


class _Page(HTMLParser):
    """Scripts (attributes, text), stylesheet links, and every src/href of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.links: list[dict[str, str]] = []
        self.urls: list[str] = []
        self.metas: list[dict[str, str]] = []
        self._script: dict[str, str] | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.urls += [values[k] for k in ("src", "href") if k in values and tag != "a"]
        if tag == "script":
            self._script, self._text = values, []
        elif tag == "link":
            self.links.append(values)
        elif tag == "meta":
            self.metas.append(values)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def _html(m: Any) -> str:
    return str(m.get_root().render())


def _policy(page: _Page) -> dict[str, list[str]]:
    (meta,) = [m for m in page.metas if m.get("http-equiv") == "Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in meta["content"].split("; ")}


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture(scope="module")
def sample() -> str:
    with pytest.warns(UserWarning):
        return _html(make_map(to_geodataframe(sample_incidents()), mentions=sample_mentions()))


def test_the_page_loads_nothing_from_elsewhere(sample: str) -> None:
    page = _Page(sample)
    assert page.links == [] and page.urls == []
    assert all("src" not in attrs for attrs, _ in page.scripts)
    for css in re.findall(r"<style>(.*?)</style>", sample, re.DOTALL):  # images: data: only
        assert not re.search(r"url\((?!\"?data:|#default#VML)", css), css[:80]
    for package, path in ASSET_FILES.values():
        if path.endswith(".js"):
            assert vendored_text(package, path) in sample, path


def test_every_running_script_is_allowed_by_hash_and_nothing_else(sample: str) -> None:
    page = _Page(sample.replace("\r\n", "\n"))  # as the browser's parser reads the page
    policy = _policy(page)
    running = [text for attrs, text in page.scripts if attrs.get("type") != "application/json"]
    assert len(running) >= 10
    assert sorted(policy["script-src"]) == sorted({_sha256(t) for t in running})
    assert policy["default-src"] == ["'none'"]
    assert policy["img-src"] == ["data:", "https://server.arcgisonline.com"]
    assert policy["connect-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["style-src"] == ["'unsafe-inline'"]
    # the policy comes before the first script
    assert sample.index("Content-Security-Policy") < sample.index("<script")


def test_a_vendored_file_with_windows_line_ends_is_hashed_as_the_browser_reads_it(
    sample: str,
) -> None:
    text = vendored_text("leaflet.markercluster", "dist/leaflet.markercluster.js")
    assert "\r\n" in text and text in sample  # placed as the package ships it
    (placed,) = [t for _, t in _Page(sample).scripts if text in t]
    policy = _policy(_Page(sample))["script-src"]
    assert _sha256(placed.replace("\r\n", "\n")) in policy  # HTML parsing makes CR LF a LF
    assert _sha256(placed) not in policy


def test_renders_are_identical_and_report_text_is_never_renumbered() -> None:
    quote = "Report ref_0123456789abcdef0123456789abcdef said so."
    m = make_map(to_geodataframe([incident(1, quote=quote)]))
    first, second = _html(m), _html(m)
    assert first == second
    assert "ref_0123456789abcdef0123456789abcdef" in first
    assert "map_00000000000000000000000000000001" in first


def test_cdn_links_the_pinned_files_with_integrity() -> None:
    html = _html(make_map(to_geodataframe([incident(1)]), cdn=True))
    page = _Page(html)
    scripts = {attrs["src"]: attrs for attrs, _ in page.scripts if "src" in attrs}
    leaflet = scripts["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"]
    data = vendored_text("leaflet", "dist/leaflet.js").encode()
    sri = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    assert leaflet["integrity"] == sri and leaflet["crossorigin"] == "anonymous"
    assert len(scripts) == sum(1 for _, f in ASSET_FILES.values() if f.endswith(".js"))
    assert {link["href"].split("/npm/")[0] for link in page.links} == {"https://cdn.jsdelivr.net"}
    policy = _policy(page)
    assert "https://cdn.jsdelivr.net" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert vendored_text("leaflet", "dist/leaflet.js") not in html
    assert len(html) < 900_000  # no library inline; the basemap's data stays


def test_an_element_geomap_does_not_vendor_is_refused_inline_and_linked_with_cdn() -> None:
    from folium.plugins import Draw

    m = make_map(to_geodataframe([incident(1)]))
    Draw().add_to(m)
    with pytest.raises(VendoredAssetError, match=r"Draw needs .* save the map with cdn=True"):
        _html(m)
    m = make_map(to_geodataframe([incident(1)]), cdn=True)
    Draw().add_to(m)
    page = _Page(_html(m))
    hosts = {u.split("/")[2] for u in page.urls}
    assert "cdn.jsdelivr.net" in hosts
    assert all(f"https://{h}" in _policy(page)["script-src"] for h in hosts)


def test_the_footer_credits_every_package_with_its_licence(sample: str) -> None:
    box = re.search(r'geomap.htmlControl\(map_\d+, "bottomleft", "gm-credits", (".*?")\);', sample)
    assert box is not None
    credits = json.loads(box.group(1))
    assert credits.startswith("Map: Leaflet and 8 plugins · Basemap: Natural Earth")
    for p in packages().values():
        assert f"<h5>{p.title.replace('&', '&amp;')} {p.version}</h5>" in credits
        first_line = vendored_text(p.name, p.licence_file).strip().splitlines()[0]
        assert first_line.replace("'", "&#x27;") in credits, p.name
    assert "Font Awesome Free" in credits


# -- the basemap ----------------------------------------------------------------------------


def test_basemap_draws_the_divisions_of_the_countries_with_incidents_only() -> None:
    import numpy as np

    # a point in Syria without a country code, and an incident coded Iraq with no point
    data = basemap_data(np.array([35.0]), np.array([38.5]), ["IQ", "", "not a code"])
    assert data["countries"] == ["IQ", "SY"]
    names = {name for name, _ in data["divisions"]}
    assert {"Arbil", "Al-Basrah", "Damascus", "Aleppo"} <= names and "Tehran" not in names
    assert len(data["divisionLabels"]) == len(data["divisions"]) > 18 + 13
    iraq = next(c for c in countries() if c.code == "IQ")
    assert iraq.numeric in data["focus"] and len(data["focus"]) == 2
    assert 32 < iraq.lat < 35 and 42 < iraq.lon < 45  # inside the country
    assert len(data["countryLabels"]) > 200


def test_basemap_names_are_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from geomap.render import basemap as _basemap

    line = json.dumps(
        {
            "country": "ZZ",
            "name": "Z",
            "divisions": [
                {
                    "name": PAYLOADS[1],
                    "code": "ZZ-A",
                    "label": [1.0, 1.0],
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 0]]],
                    },
                }
            ],
        }
    )
    monkeypatch.setattr(_basemap, "_admin1_lines", lambda: {"ZZ": line})
    data = basemap_data(np.array([]), np.array([]), ["ZZ"])
    name = data["divisions"][0][0]
    assert "<" not in name and "&lt;img" in name and data["divisionLabels"][0][2] == name


def test_topojson_decoding_gives_the_countries_their_area() -> None:
    topology = json.loads(vendored_text("world-atlas", "countries-50m.json"))
    shapes = {g["properties"]["name"]: s for g, s in topology_shapes(topology, "countries")}
    # square degrees: Iraq is about 438,000 km², at 33° N one square degree is about 10,300 km²
    assert 40 < shapes["Iraq"].area < 45
    assert shapes["Iraq"].is_valid and shapes["France"].geom_type == "MultiPolygon"


def test_labels_wait_for_room() -> None:
    assert label_min_zoom(360, 180) == 0
    assert label_min_zoom(10, 4) < label_min_zoom(2, 1) < label_min_zoom(0.1, 0.1)


def test_admin1_data_is_gzipped_json_lines() -> None:
    from geomap.render.vendor import derived_bytes

    first = gzip.decompress(derived_bytes("derived/admin1.jsonl.gz")).splitlines()[0]
    assert json.loads(first)["country"] == "AD"


def test_cli_cdn_flag(tmp_path: Path) -> None:
    gdf = to_geodataframe([incident(1)])
    path = tmp_path / "rows.csv"
    gdf.drop(columns="geometry").to_csv(path, index=False)
    small, full = tmp_path / "small.html", tmp_path / "full.html"
    for out, extra in ((small, ["--cdn"]), (full, [])):
        result = CliRunner().invoke(cli, ["map", str(path), "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in small.read_text()
    assert "<script src=" not in full.read_text()
    assert small.stat().st_size < full.stat().st_size - 200_000
    assert "--cdn" in CliRunner().invoke(cli, ["run", "--help"]).output


def test_division_outlines_travel_as_steps_and_add_up_to_the_outline() -> None:
    import numpy as np

    from geomap.render.basemap import DIVISION_SCALE, _admin1_lines, delta_rings

    erbil = next(d for d in json.loads(_admin1_lines()["IQ"])["divisions"] if d["code"] == "IQ-AR")
    polygons = delta_rings(erbil["geometry"])
    coordinates = erbil["geometry"]["coordinates"]
    originals = [coordinates] if erbil["geometry"]["type"] == "Polygon" else coordinates
    for rings, original in zip(polygons, originals, strict=True):
        for flat, ring in zip(rings, original, strict=True):
            decoded = np.cumsum(np.asarray(flat).reshape(-1, 2), axis=0) / DIVISION_SCALE
            assert np.allclose(decoded, ring, atol=1e-9)
    assert len(json.dumps(polygons)) < 0.7 * len(json.dumps(coordinates))

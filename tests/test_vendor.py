"""The vendored third-party files (geomap/data/vendor) and the script that fetches them.

Every file must match the manifest's sha256 and nothing else may sit in the folder; every
stylesheet must inline (each ``url()`` a vendored file); every package keeps its licence.
``scripts/vendor_assets.py`` is tested against a fake registry built here (no network).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.util
import io
import json
import re
import sys
import tarfile
import tomllib
from fnmatch import fnmatch
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from geomap._errors import VendoredAssetError
from geomap.render.page import ASSET_FILES
from geomap.render.vendor import (
    css_urls,
    derived_bytes,
    inline_css,
    packages,
    subresource_integrity,
    vendored_bytes,
    vendored_text,
)

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "geomap" / "data" / "vendor"
MANIFEST = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "vendor_assets", ROOT / "scripts" / "vendor_assets.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["vendor_assets"] = module
    spec.loader.exec_module(module)
    return module


vendor_assets = _script()


# -- the files in the repository ----------------------------------------------------------


def test_every_vendored_file_matches_the_manifest_and_nothing_else_is_there() -> None:
    assert vendor_assets.check_files(MANIFEST, VENDOR) == []
    for package in MANIFEST["packages"]:
        for path, digest in package["files"].items():
            data = (VENDOR / package["name"] / path).read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest, f"{package['name']}/{path}"
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]+={0,2}", package["integrity"]), package["name"]


def test_a_changed_or_stray_file_is_named(tmp_path: Path) -> None:
    copy = tmp_path / "vendor"
    (copy / "leaflet" / "dist").mkdir(parents=True)
    (copy / "leaflet" / "dist" / "leaflet.js").write_text("changed")
    (copy / "leaflet" / "extra.js").write_text("stray")
    problems = vendor_assets.check_files(MANIFEST, copy)
    assert "leaflet/dist/leaflet.js: sha256 differs from the manifest" in problems
    assert "leaflet/extra.js: not in the manifest" in problems
    assert "leaflet/LICENSE: missing" in problems


def test_every_package_keeps_its_licence_file() -> None:
    for p in packages().values():
        assert p.licence_file in p.files, p.name
        text = vendored_text(p.name, p.licence_file)
        assert re.search(r"copyright|permission", text, re.IGNORECASE), p.name


def test_the_package_data_globs_ship_the_vendor_folder() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["geomap"]
    for path in VENDOR.rglob("*"):
        if path.is_file():
            relative = path.relative_to(ROOT / "geomap").as_posix()
            shipped = any(
                fnmatch(relative, g.replace("**/", "*")) if "**" in g else fnmatch(relative, g)
                for g in globs
                if "/" in g and relative.count("/") >= g.count("/")
            )
            assert shipped, relative


def test_every_stylesheet_inlines_with_data_uris_only() -> None:
    stylesheets = [(p, f) for p, f in ASSET_FILES.values() if f.endswith(".css")]
    assert stylesheets
    for package, path in stylesheets:
        original = css_urls(vendored_text(package, path))
        inlined = css_urls(inline_css(package, path))
        assert len(inlined) == len(original)
        for url in inlined:
            assert url.startswith("data:") or url.startswith("#"), (package, path, url[:40])
    leaflet = inline_css("leaflet", "dist/leaflet.css")
    layers = base64.b64encode(vendored_bytes("leaflet", "dist/images/layers.png")).decode()
    assert f'url("data:image/png;base64,{layers}")' in leaflet
    assert "url(#default#VML)" in leaflet  # names no file: kept


def test_a_stylesheet_reaching_outside_its_package_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from geomap.render import vendor as _vendor

    monkeypatch.setattr(
        _vendor, "vendored_text", lambda p, f: ".a{background:url(https://x.org/a.png)}"
    )
    inline_css.cache_clear()
    try:
        with pytest.raises(VendoredAssetError, match=r"loads 'https://x\.org/a\.png' from outside"):
            inline_css("leaflet", "dist/leaflet.css")
    finally:
        inline_css.cache_clear()


def test_vendored_code_can_be_placed_inline() -> None:
    for package, path in ASSET_FILES.values():
        text = vendored_text(package, path).lower()
        assert "</script" not in text and "</style" not in text and "<!--" not in text, path


def test_only_manifest_files_are_read() -> None:
    with pytest.raises(VendoredAssetError, match=r"leaflet/package.json is not a vendored file"):
        vendored_bytes("leaflet", "package.json")
    with pytest.raises(VendoredAssetError, match="not a vendored file"):
        vendored_bytes("jquery", "dist/jquery.js")


def test_integrity_is_the_sha384_of_the_file() -> None:
    digest = hashlib.sha384((VENDOR / "leaflet" / "dist" / "leaflet.js").read_bytes()).digest()
    assert subresource_integrity("leaflet", "dist/leaflet.js") == (
        "sha384-" + base64.b64encode(digest).decode()
    )


def test_derived_admin1_has_one_line_per_country_with_named_divisions() -> None:
    lines = gzip.decompress(derived_bytes("derived/admin1.jsonl.gz")).decode().splitlines()
    rows = [json.loads(line) for line in lines]
    codes = [r["country"] for r in rows]
    assert codes == sorted(codes) and len(codes) > 200
    iraq = next(r for r in rows if r["country"] == "IQ")
    assert len(iraq["divisions"]) == 18
    assert {d["code"] for d in iraq["divisions"]} >= {"IQ-AR", "IQ-BG", "IQ-BA", "IQ-NI"}
    for d in iraq["divisions"]:
        lon, lat = d["label"]
        assert 38 < lon < 49 and 29 < lat < 38
        assert d["geometry"]["type"] in ("Polygon", "MultiPolygon")


# -- the script, against a fake registry -----------------------------------------------------

REGISTRY = "https://registry.npmjs.org"


def _tarball(files: dict[str, bytes], top: str = "package") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class _Registry:
    def __init__(self, name: str, version: str, tarball: bytes, integrity: str = "") -> None:
        self.name, self.version, self.tarball = name, version, tarball
        self.integrity = integrity or _integrity(tarball)
        self.asked: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.asked.append(url)
        if url == f"{REGISTRY}/{self.name}/{self.version}":
            dist = {
                "tarball": vendor_assets.tarball_url(REGISTRY, self.name, self.version),
                "integrity": self.integrity,
            }
            return json.dumps({"dist": dist}).encode()
        if url == vendor_assets.tarball_url(REGISTRY, self.name, self.version):
            return self.tarball
        raise AssertionError(url)


def _manifest(files: dict[str, str], integrity: str = "") -> dict[str, Any]:
    package = {"name": "demo-pkg", "version": "1.2.3", "files": files, "integrity": integrity}
    return {"registry": REGISTRY, "packages": [package], "derived": []}


@pytest.fixture(autouse=True)
def _no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vendor_assets, "CACHE", tmp_path / "cache")


def test_update_records_checksums_and_writes_the_files_unmodified(tmp_path: Path) -> None:
    content = {"LICENSE": b"Copyright me", "dist/a.js": b"var a = 1;\r\n", "other.txt": b"x"}
    registry = _Registry("demo-pkg", "1.2.3", _tarball(content))
    manifest = _manifest({"LICENSE": "", "dist/a.js": ""})
    vendor_assets.vendor(manifest, fetch=registry, out=tmp_path / "out", update=True)
    assert (tmp_path / "out" / "demo-pkg" / "dist" / "a.js").read_bytes() == b"var a = 1;\r\n"
    assert not (tmp_path / "out" / "demo-pkg" / "other.txt").exists()
    package = manifest["packages"][0]
    assert package["files"]["dist/a.js"] == hashlib.sha256(b"var a = 1;\r\n").hexdigest()
    assert package["integrity"] == registry.integrity
    assert vendor_assets.check_files(manifest, tmp_path / "out") == []
    # a second run checks against what was recorded, and reads the verified cache
    vendor_assets.vendor(manifest, fetch=registry, out=tmp_path / "out")
    assert registry.asked.count(vendor_assets.tarball_url(REGISTRY, "demo-pkg", "1.2.3")) == 1


def test_a_tarball_that_does_not_match_the_registry_integrity_is_refused(tmp_path: Path) -> None:
    registry = _Registry("demo-pkg", "1.2.3", _tarball({"a.js": b"1"}), _integrity(b"other"))
    with pytest.raises(vendor_assets.VendorError, match=r"integrity sha512-.* does not match"):
        vendor_assets.vendor(_manifest({"a.js": ""}), fetch=registry, out=tmp_path, update=True)


def test_a_republished_package_is_refused_without_update(tmp_path: Path) -> None:
    registry = _Registry("demo-pkg", "1.2.3", _tarball({"a.js": b"1"}))
    manifest = _manifest({"a.js": ""}, integrity=_integrity(b"the tarball we pinned"))
    with pytest.raises(vendor_assets.VendorError, match="the registry now gives integrity"):
        vendor_assets.vendor(manifest, fetch=registry, out=tmp_path)


def test_a_changed_file_is_refused_without_update(tmp_path: Path) -> None:
    registry = _Registry("demo-pkg", "1.2.3", _tarball({"a.js": b"new"}))
    manifest = _manifest({"a.js": hashlib.sha256(b"old").hexdigest()})
    with pytest.raises(vendor_assets.VendorError, match=r"a\.js has sha256 .* the manifest says"):
        vendor_assets.vendor(manifest, fetch=registry, out=tmp_path)


def test_a_file_missing_from_the_tarball_is_named(tmp_path: Path) -> None:
    registry = _Registry("demo-pkg", "1.2.3", _tarball({"a.js": b"1"}, top="demo"))
    with pytest.raises(vendor_assets.VendorError, match=r"the tarball has no file 'b\.js'"):
        vendor_assets.vendor(
            _manifest({"a.js": "", "b.js": ""}), fetch=registry, out=tmp_path, update=True
        )


def test_only_the_npm_registry_is_fetched() -> None:
    with pytest.raises(vendor_assets.VendorError, match="only the npm registry"):
        vendor_assets._registry_fetch("https://example.org/x.tgz")


def _division(name: str, code: str, coordinates: Any, label: list[float]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "iso_a2": "ZZ",
            "admin": "Zedland",
            "name": name,
            "iso_3166_2": code,
            "longitude": label[0],
            "latitude": label[1],
        },
        "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
    }


def test_admin1_outlines_keep_shared_borders_and_drop_specks() -> None:
    import shapely
    from shapely.geometry import shape

    # two provinces sharing a wiggly border; the second has a tiny island offshore
    border = [[1.0, y / 10] for y in range(11)]
    wiggle = [[1.0 + (0.002 if i % 2 else 0.0), p[1]] for i, p in enumerate(border)]
    west = [[[[0.0, 0.0], *wiggle, [0.0, 1.0], [0.0, 0.0]]]]
    east = [
        [[[1.0, 0.0], [2.0, 0.0], [2.0, 1.0], *wiggle[::-1][:-1], [1.0, 0.0]]],
        [[[3.0, 3.0], [3.01, 3.0], [3.01, 3.01], [3.0, 3.0]]],
    ]
    source = {
        "type": "FeatureCollection",
        "features": [
            _division("West", "ZZ-W", west, [0.5, 0.5]),
            _division("East <b>", "ZZ-E", east, [1.5, 0.5]),
        ],
    }
    data = vendor_assets.derive_admin1(
        json.dumps(source).encode(), tolerance=0.02, min_area=0.001, precision=0.001
    )
    assert data == vendor_assets.derive_admin1(
        json.dumps(source).encode(), tolerance=0.02, min_area=0.001, precision=0.001
    )  # reproducible
    (line,) = gzip.decompress(data).decode().splitlines()
    row = json.loads(line)
    assert row["country"] == "ZZ" and row["name"] == "Zedland"
    west_shape, east_shape = (shape(d["geometry"]) for d in row["divisions"])
    assert [d["name"] for d in row["divisions"]] == ["West", "East <b>"]  # escaped when drawn
    assert row["divisions"][1]["label"] == [1.5, 0.5]
    assert shapely.get_num_geometries(east_shape) == 1  # the speck of an island is gone
    assert west_shape.intersection(east_shape).area < 1e-9  # no overlap
    assert abs(west_shape.union(east_shape).area - 2.0) < 0.01  # and no gap
    assert shapely.get_num_coordinates(west_shape) < 9  # the wiggle is simplified away

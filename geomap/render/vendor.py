"""The map's vendored third-party files (``geomap/data/vendor``): read, inlined and credited.

``manifest.json`` there pins each npm package and lists its files with their sha256;
``scripts/vendor_assets.py`` fetches them. This module only reads: a file not in the manifest
is refused, so a page can carry nothing but the pinned, checked copies.

A stylesheet is inlined with each ``url()`` it names replaced by a ``data:`` URI of the
vendored file it points to (resolved relative to the stylesheet, inside the same package);
a ``url()`` to anything else (another host, a file not vendored) is an error, so an inlined
page never fetches an image or a font. The files on disk stay as the package ships them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from geomap._errors import VendoredAssetError

__all__ = [
    "CDN",
    "VendoredPackage",
    "cdn_url",
    "css_urls",
    "derived_bytes",
    "inline_css",
    "packages",
    "subresource_integrity",
    "vendored_bytes",
    "vendored_text",
]

#: Where ``cdn=True`` maps load the same files: jsDelivr serves npm tarballs' files as they are.
CDN = "https://cdn.jsdelivr.net"
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""")
_MEDIA_TYPES = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}


@dataclass(frozen=True, slots=True)
class VendoredPackage:
    """One npm package as the manifest pins it."""

    name: str
    version: str
    title: str
    copyright: str
    licence: str
    licence_file: str
    homepage: str
    files: tuple[str, ...]


def _root() -> Any:
    return resources.files("geomap").joinpath("data", "vendor")


@lru_cache(maxsize=1)
def _manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_root().joinpath("manifest.json").read_text("utf-8"))
    return data


@lru_cache(maxsize=1)
def packages() -> dict[str, VendoredPackage]:
    """The vendored packages by npm name, in the manifest's order."""
    return {
        p["name"]: VendoredPackage(
            name=p["name"],
            version=p["version"],
            title=p["title"],
            copyright=p["copyright"],
            licence=p["licence"],
            licence_file=p["licence_file"],
            homepage=p["homepage"],
            files=tuple(p["files"]),
        )
        for p in _manifest()["packages"]
    }


def _package(package: str, path: str) -> VendoredPackage:
    found = packages().get(package)
    if found is None or path not in found.files:
        msg = (
            f"{package}/{path} is not a vendored file; add it to "
            "geomap/data/vendor/manifest.json and run scripts/vendor_assets.py --update"
        )
        raise VendoredAssetError(msg)
    return found


@lru_cache(maxsize=64)
def vendored_bytes(package: str, path: str) -> bytes:
    """A vendored file as the package ships it."""
    _package(package, path)
    data: bytes = _root().joinpath(package, *path.split("/")).read_bytes()
    return data


def derived_bytes(output: str) -> bytes:
    """A file the vendor script derived (``derived`` in the manifest), as written."""
    if output not in {d["output"] for d in _manifest().get("derived", [])}:
        msg = f"{output} is not a derived file of geomap/data/vendor/manifest.json"
        raise VendoredAssetError(msg)
    data: bytes = _root().joinpath(*output.split("/")).read_bytes()
    return data


def vendored_text(package: str, path: str) -> str:
    """A vendored text file (UTF-8)."""
    return vendored_bytes(package, path).decode("utf-8")


def css_urls(css: str) -> list[str]:
    """The targets of every ``url()`` in a stylesheet.

    >>> css_urls(".a{background:url(images/a.png)} .b{background:url('../b.svg')}")
    ['images/a.png', '../b.svg']
    """
    return [m.group(2).strip() for m in _URL.finditer(css)]


@lru_cache(maxsize=32)
def inline_css(package: str, path: str) -> str:
    """A vendored stylesheet whose ``url()`` targets are ``data:`` URIs of vendored files.

    Fragment-only targets (``url(#default#VML)``, an old Internet Explorer behaviour) name
    no file and are kept.
    """
    css = vendored_text(package, path)

    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if target.startswith(("#", "data:")):
            return match.group(0)
        if ":" in target or target.startswith("/"):
            msg = f"{package}/{path} loads {target!r} from outside its package: not inlinable"
            raise VendoredAssetError(msg)
        file = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        kind = _MEDIA_TYPES.get(posixpath.splitext(file)[1].lower())
        if kind is None:
            msg = f"{package}/{path}: no media type known for {target!r}"
            raise VendoredAssetError(msg)
        encoded = base64.b64encode(vendored_bytes(package, file)).decode("ascii")
        return f'url("data:{kind};base64,{encoded}")'

    return _URL.sub(replace, css)


def cdn_url(package: str, path: str) -> str:
    """The file at the CDN, at the pinned version."""
    found = _package(package, path)
    return f"{CDN}/npm/{found.name}@{found.version}/{path}"


@lru_cache(maxsize=64)
def subresource_integrity(package: str, path: str) -> str:
    """The ``integrity`` value (SHA-384) of the file, for a CDN ``<script>`` or ``<link>``."""
    digest = hashlib.sha384(vendored_bytes(package, path)).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")

"""Test-session guards: no test reaches the network.

Every outgoing socket connection is refused unless it goes to the loopback interface,
where tests run their own stub servers (the Nominatim stub, the map's asset server).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gazetteer import Gazetteer


class NetworkBlockedError(RuntimeError):
    """A test tried to reach a host other than the loopback interface."""


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
    else:  # AF_UNIX paths are local; anything else is not an address we know
        return isinstance(address, str | bytes)
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if not _is_loopback(address):
        msg = f"tests must not touch the network: connection to {address!r} refused"
        raise NetworkBlockedError(msg)
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if not _is_loopback(address):
        msg = f"tests must not touch the network: connection to {address!r} refused"
        raise NetworkBlockedError(msg)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not _is_loopback((name,)):
        msg = f"tests must not touch the network: name lookup of {name!r} refused"
        raise NetworkBlockedError(msg)
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def _block_network() -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    mp.setattr(socket.socket, "connect", _guarded_connect)
    mp.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    mp.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    yield
    mp.undo()


@pytest.fixture(scope="session")
def gazetteer() -> Iterator[Gazetteer]:
    """The full index for the installed sources, built once (about 30 s) if needed."""
    with Gazetteer.open() as gaz:
        yield gaz


@pytest.fixture
def small_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Make index builds read the small index's places (``tests/test_index_build.py``) and
    no shipped aliases, with its overlay as the package's; return the overlay's path."""
    from gazetteer import build
    from tests.test_index_build import OVERLAY, _sources

    monkeypatch.setattr("gazetteer.sources.load_sources", _sources)
    # The shipped short forms ("U.S.", "UK") name countries the small index lacks.
    monkeypatch.setattr(build, "aliases_path", lambda: tmp_path / "no-aliases.csv")
    overlay = tmp_path / "overlay.csv"
    overlay.write_text(OVERLAY, encoding="utf-8")
    monkeypatch.setattr(build, "overlay_path", lambda: overlay)
    return overlay


@pytest.fixture
def small_cache(small_sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory (``$GEOMAP_CACHE_DIR``) holding the small index, as the command
    line opens it."""
    from gazetteer.build import build_index, index_path

    cache = tmp_path / "cache"
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(cache))
    build_index(index_path())
    return cache


@pytest.fixture
def installed_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The admin1 codes of the installed cities as the import tests expect them."""
    from tests.test_imports import INSTALLED_CODES

    monkeypatch.setattr(
        "gazetteer.imports.geonames_extras.installed_admin1_codes", lambda: dict(INSTALLED_CODES)
    )


@pytest.fixture(scope="session")
def mini_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gazetteer]:
    """An index of the 372 places of ``tests/data/gazetteer/mini.tsv`` (about a second),
    with no curated files: for the rules' unit tests."""
    from gazetteer import build
    from tests.mini_gazetteer import mini_sources

    folder = tmp_path_factory.mktemp("mini-gazetteer")
    empty = folder / "none.csv"
    empty.write_text(
        "id,name,alternate_names,lat,lon,feature,country,admin1,admin1_code,population,source\n",
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("gazetteer.sources.load_sources", mini_sources)
        mp.setattr(build, "_curated_files", lambda overlay=None: (empty,))
        path = build.build_index(folder / "mini.sqlite", overlay=empty)
    with Gazetteer(path) as gaz:
        yield gaz

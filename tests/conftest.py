"""Test-session guards: no test reaches the network.

Every outgoing socket connection is refused unless it goes to the loopback interface,
where tests run their own stub servers (the Nominatim stub, the map's asset server).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
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

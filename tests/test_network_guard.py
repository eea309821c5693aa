import socket

import pytest

from tests.conftest import NetworkBlockedError


def test_outside_connection_is_refused() -> None:
    with socket.socket() as s, pytest.raises(NetworkBlockedError, match="must not touch"):
        s.connect(("93.184.216.34", 80))


def test_name_lookup_is_refused() -> None:
    with pytest.raises(NetworkBlockedError, match="name lookup"):
        socket.getaddrinfo("example.com", 80)


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket() as client:
            client.connect(server.getsockname())

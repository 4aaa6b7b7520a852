import socket

import pytest

from tests.conftest import NetworkAccessDenied


def test_connecting_to_a_public_address_fails_the_test():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkAccessDenied):
        sock.connect(("192.0.2.1", 443))


def test_resolving_a_public_name_fails_the_test():
    with pytest.raises(NetworkAccessDenied):
        socket.getaddrinfo("example.com", 443)


def test_loopback_connections_are_allowed():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass

"""Shared fixtures, and a guard that fails any test trying to reach a non-loopback address."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from scanner.catalogue import load_catalogue
from scanner.inventory.database import open_db

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkAccessDenied(AssertionError):
    pass


def _is_loopback(host) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _check_address(address) -> None:
    if isinstance(address, tuple) and address and not _is_loopback(address[0]):
        raise NetworkAccessDenied(f"test tried to reach {address!r}: only loopback is allowed in tests")


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _is_loopback(host) and not str(host).endswith(".localhost"):
        raise NetworkAccessDenied(f"test tried to resolve {host!r}: only loopback is allowed in tests")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Keep the parsed-catalogue cache out of the user's home during tests (subprocesses inherit it)."""
    import os

    os.environ["SHADOWAI_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture
def db(tmp_path: Path):
    return open_db(tmp_path / "inventory.db")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "inventory.db"

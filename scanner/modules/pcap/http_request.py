"""HTTP/1.x requests: the method, target and Host header of the first request on a connection (RFC 9112 §3,
RFC 9110 §7.2). A forward proxy's absolute-form target (``GET http://host/path``) and a CONNECT's
authority-form target (``CONNECT host:443``) name the host themselves."""

from __future__ import annotations

from dataclasses import dataclass

METHODS = (b"GET ", b"POST ", b"PUT ", b"HEAD ", b"DELETE ", b"OPTIONS ", b"PATCH ", b"CONNECT ", b"TRACE ")
MAX_HEAD = 16384


class MalformedRequest(ValueError):
    """Bytes that start like an HTTP request but are not one."""


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    host: str | None
    path: str | None


def looks_like_request(data: bytes) -> bool:
    return data[:8].startswith(METHODS) or any(method.startswith(data[:8]) for method in METHODS)


def parse_request_head(data: bytes) -> Request | None:
    """The request once its head is complete (ending in an empty line), else None. Raises MalformedRequest."""
    end = data.find(b"\r\n\r\n")
    if end == -1:
        end = data.find(b"\n\n")
    if end == -1:
        if len(data) > MAX_HEAD:
            raise MalformedRequest(f"no end of request head in {MAX_HEAD} bytes")
        return None
    lines = data[:end].decode("latin-1").splitlines()
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise MalformedRequest("request line is not 'METHOD target HTTP/1.x'")
    method, target = parts[0], parts[1]
    host = None
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() == "host":
            host = value.strip()
            break
    path = None
    if method == "CONNECT":
        host = target
    elif target.startswith(("http://", "https://")):
        authority, _, rest = target.split("://", 1)[1].partition("/")
        host, path = authority, "/" + rest
    else:
        path = target
    return Request(method, bare_host(host) if host else None, path)


def bare_host(authority: str) -> str | None:
    """'Example.COM:8080' -> 'example.com'; '[2001:db8::1]:80' -> '2001:db8::1'."""
    authority = authority.rsplit("@", 1)[-1]
    if authority.startswith("["):
        return authority[1:].split("]", 1)[0].lower() or None
    host = authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority
    return host.rstrip(".").lower() or None

"""TLS ClientHello: the server name (SNI) a client asks for, from TLS over TCP and from QUIC's CRYPTO stream.

RFC 8446 §4.1.2 (ClientHello) and RFC 6066 §3 (server_name). A ClientHello may be split over several TLS
records (RFC 8446 §5.1: handshake messages may be fragmented) and those records over several TCP segments:
``client_hello_from_records`` joins the handshake fragments of consecutive records until the whole message is
there. ECH (draft-ietf-tls-esni, extension 0xfe0d) leaves an outer SNI that names a client-facing front, not the
real server: ``ClientHello.ech`` says whether the extension is present (browsers also send it as GREASE, so a
caller decides ECH from the outer name).
"""

from __future__ import annotations

from dataclasses import dataclass

HANDSHAKE = 22
CLIENT_HELLO = 1
EXT_SERVER_NAME = 0x0000
EXT_ALPN = 0x0010
EXT_ECH = 0xFE0D
MAX_HELLO = 1 << 16  # a ClientHello larger than this is not worth waiting for


class MalformedHello(ValueError):
    """Bytes that claim to be a ClientHello but do not parse as one."""


@dataclass(frozen=True, slots=True)
class ClientHello:
    sni: str | None
    ech: bool = False
    alpn: tuple[str, ...] = ()


def looks_like_tls(data: bytes) -> bool:
    """The first bytes of a client's TLS stream: a handshake record, TLS 1.0-1.3 record version, ClientHello."""
    return len(data) >= 1 and data[0] == HANDSHAKE and (len(data) < 2 or data[1] == 3) and (
        len(data) < 6 or data[5] == CLIENT_HELLO)


def client_hello_from_records(data: bytes) -> bytes | None:
    """The ClientHello handshake message (type, length, body) from the start of a TLS stream, or None while more
    bytes are needed. Raises MalformedHello when the records are not a ClientHello."""
    message = bytearray()
    position = 0
    needed = None
    while True:
        if len(data) < position + 5:
            return None
        content_type, major, length = data[position], data[position + 1], int.from_bytes(
            data[position + 3:position + 5], "big")
        if content_type != HANDSHAKE or major != 3 or length == 0 or length > 18432:
            raise MalformedHello("not a TLS handshake record")
        fragment = data[position + 5:position + 5 + length]
        message += fragment
        if needed is None and len(message) >= 4:
            if message[0] != CLIENT_HELLO:
                raise MalformedHello(f"handshake type {message[0]}, not ClientHello")
            needed = 4 + int.from_bytes(message[1:4], "big")
            if needed > MAX_HELLO:
                raise MalformedHello(f"ClientHello of {needed} bytes")
        if needed is not None and len(message) >= needed:
            return bytes(message[:needed])
        if len(fragment) < length:
            return None  # the record itself is not complete yet
        position += 5 + length


def parse_client_hello(message: bytes) -> ClientHello:
    """Parse a ClientHello handshake message (starting with its 4-byte handshake header)."""
    try:
        if message[0] != CLIENT_HELLO:
            raise MalformedHello(f"handshake type {message[0]}, not ClientHello")
        end = 4 + int.from_bytes(message[1:4], "big")
        if end > len(message):
            raise MalformedHello("ClientHello cut short")
        position = 4 + 2 + 32  # legacy_version, random
        position += 1 + message[position]  # legacy_session_id
        position += 2 + int.from_bytes(message[position:position + 2], "big")  # cipher_suites
        position += 1 + message[position]  # legacy_compression_methods
        if position == end:
            return ClientHello(None)  # SSL 3.0 / TLS 1.0 without extensions
        extensions_end = position + 2 + int.from_bytes(message[position:position + 2], "big")
        if extensions_end > end:
            raise MalformedHello("extensions run past the ClientHello")
        position += 2
        sni, ech, alpn = None, False, ()
        while position + 4 <= extensions_end:
            kind = int.from_bytes(message[position:position + 2], "big")
            length = int.from_bytes(message[position + 2:position + 4], "big")
            body = message[position + 4:position + 4 + length]
            if len(body) != length or position + 4 + length > extensions_end:
                raise MalformedHello(f"extension {kind:#06x} runs past the extensions")
            if kind == EXT_SERVER_NAME:
                sni = server_name(body)
            elif kind == EXT_ECH:
                ech = True
            elif kind == EXT_ALPN:
                alpn = protocols(body)
            position += 4 + length
        if position != extensions_end:
            raise MalformedHello("extensions do not add up to their length")
        return ClientHello(sni, ech, alpn)
    except IndexError as exc:
        raise MalformedHello("ClientHello cut short") from exc


def server_name(body: bytes) -> str | None:
    """RFC 6066 §3: ServerNameList; the first host_name entry."""
    listed = int.from_bytes(body[0:2], "big")
    position, end = 2, min(2 + listed, len(body))
    while position + 3 <= end:
        name_type, length = body[position], int.from_bytes(body[position + 1:position + 3], "big")
        name = body[position + 3:position + 3 + length]
        if len(name) != length:
            raise MalformedHello("server_name cut short")
        if name_type == 0:
            try:
                return name.decode("ascii").rstrip(".").lower() or None
            except UnicodeDecodeError as exc:
                raise MalformedHello("server_name is not ASCII") from exc
        position += 3 + length
    return None


def protocols(body: bytes) -> tuple[str, ...]:
    names, position = [], 2
    while position < len(body):
        length = body[position]
        names.append(body[position + 1:position + 1 + length].decode("ascii", "replace"))
        position += 1 + length
    return tuple(names)

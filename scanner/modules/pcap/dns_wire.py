"""DNS messages from the wire (RFC 1035 §4), read with dnspython's wire parser.

Only what a capture needs: the question of a query, and for a response the question plus the A/AAAA addresses
of its answer section with their TTLs (to attribute later connections to the name the client asked for).
dnspython's ``dns.wire.Parser`` and ``dns.name.from_wire_parser`` read names (with compression pointers) and
check every length; building full ``dns.message.Message`` objects for every packet would cost ten times more
and tell nothing more here. Question names repeat a lot in real traffic: their text is cached by wire bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.exception
import dns.name
import dns.wire

TYPE_A, TYPE_AAAA = 1, 28
QR = 0x80
_names: dict[bytes, str] = {}
MAX_CACHED_NAMES = 65536


class MalformedDns(ValueError):
    """Not a DNS message, or one cut short."""


@dataclass(frozen=True, slots=True)
class DnsMessage:
    id: int
    response: bool
    name: str | None  # the question, lower case, without the final dot
    qtype: int
    rcode: int
    addresses: tuple[tuple[bytes, int], ...] = ()  # (packed A/AAAA address, TTL) from the answer section


def question_end(wire: bytes, position: int) -> int:
    """Where an uncompressed question name starting at ``position`` ends (after its root label)."""
    while True:
        length = wire[position]
        if length == 0:
            return position + 1
        if length & 0xC0:
            return -1  # compressed: let dnspython follow it
        position += 1 + length


def question_name(wire: bytes, parser: dns.wire.Parser) -> str:
    start = parser.current
    end = question_end(wire, start)
    key = wire[start:end] if end > 0 else None
    text = _names.get(key) if key else None
    if text is None:
        name = dns.name.from_wire_parser(parser)
        text = name.to_text(omit_final_dot=True).lower()
        if key:
            if len(_names) >= MAX_CACHED_NAMES:
                _names.clear()
            _names[key] = text
    else:
        parser.seek(end)
    return text


def parse(wire: bytes) -> DnsMessage:
    if len(wire) < 12:
        raise MalformedDns(f"{len(wire)} bytes, shorter than a DNS header")
    try:
        parser = dns.wire.Parser(wire)
        ident, flags, qdcount, ancount, _, _ = parser.get_struct("!HHHHHH")
        response = bool(flags >> 8 & QR)
        name, qtype = None, 0
        if qdcount:
            name = question_name(wire, parser)
            qtype, _ = parser.get_struct("!HH")
            for _ in range(qdcount - 1):
                dns.name.from_wire_parser(parser)
                parser.get_struct("!HH")
        addresses = []
        if response:
            for _ in range(ancount):
                skip_name(parser)
                rtype, _, ttl, length = parser.get_struct("!HHIH")
                rdata = parser.get_bytes(length)
                if (rtype == TYPE_A and length == 4) or (rtype == TYPE_AAAA and length == 16):
                    addresses.append((rdata, ttl))
        return DnsMessage(ident, response, name, qtype, flags & 0x0F, tuple(addresses))
    except (dns.exception.FormError, dns.exception.DNSException, IndexError, ValueError) as exc:
        raise MalformedDns(str(exc) or type(exc).__name__) from exc


def skip_name(parser: dns.wire.Parser) -> None:
    """Step over an owner name without building it (answers repeat the question through pointers)."""
    wire, position = parser.wire, parser.current
    while True:
        if position >= len(wire):
            raise dns.exception.FormError("name runs past the message")
        length = wire[position]
        if length == 0:
            parser.seek(position + 1)
            return
        if length & 0xC0 == 0xC0:
            parser.seek(position + 2)
            return
        if length & 0xC0:
            raise dns.exception.FormError("unknown label type")
        position += 1 + length

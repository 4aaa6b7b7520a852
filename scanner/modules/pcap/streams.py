"""The start of a client's TCP byte stream, put back in order, until it names its server.

Only the first bytes of a connection matter here (a TLS ClientHello or an HTTP request head), so a stream
keeps at most MAX_BYTES: segments in order are appended, segments ahead of a hole wait (at most
MAX_PENDING), retransmissions and overlaps are trimmed. Sequence numbers are compared modulo 2**32.
"""

from __future__ import annotations

from scanner.modules.pcap import http_request, tls

MAX_BYTES = 1 << 16
MAX_PENDING = 64
HALF = 1 << 31
MASK = 0xFFFFFFFF

NEED_MORE = None


class GiveUp(Exception):
    """The stream cannot be completed (a hole that never filled, too much data, bytes cut by the snap length)."""


class ClientStream:
    __slots__ = ("next_seq", "data", "pending", "kind")

    def __init__(self, isn: int) -> None:
        self.next_seq = isn & MASK
        self.data = b""
        self.pending: dict[int, bytes] = {}
        self.kind: str | None = None

    def add(self, seq: int, payload: bytes) -> bool:
        """Put a segment in place; True when the in-order data grew."""
        ahead = (seq - self.next_seq) & MASK
        if ahead >= HALF:  # starts before what we have: keep only the new tail of a retransmission
            overlap = (self.next_seq - seq) & MASK
            if overlap >= len(payload):
                return False
            payload = payload[overlap:]
            ahead = 0
        if ahead:
            if len(self.pending) >= MAX_PENDING:
                raise GiveUp("too many segments after a hole")
            if len(payload) > len(self.pending.get(seq, b"")):
                self.pending[seq] = payload
            return False
        self.data += payload
        self.next_seq = (self.next_seq + len(payload)) & MASK
        while self.pending:
            grew = False
            for start in list(self.pending):
                ahead = (start - self.next_seq) & MASK
                if ahead >= HALF or ahead == 0:
                    piece = self.pending.pop(start)
                    overlap = (self.next_seq - start) & MASK if ahead else 0
                    if overlap < len(piece):
                        self.data += piece[overlap:]
                        self.next_seq = (self.next_seq + len(piece) - overlap) & MASK
                        grew = True
            if not grew:
                break
        if len(self.data) > MAX_BYTES:
            raise GiveUp(f"no ClientHello or request head in the first {MAX_BYTES} bytes")
        return True

    def result(self):
        """("tls", ClientHello) / ("http", Request) / ("other", None) once known, else NEED_MORE. Raises
        tls.MalformedHello or http_request.MalformedRequest on bad data."""
        data = self.data
        if self.kind is None:
            if tls.looks_like_tls(data[:6]):
                self.kind = "tls"
            elif http_request.looks_like_request(data[:8]):
                self.kind = "http"
            else:
                return ("other", None)
            if self.kind == "tls" and len(data) < 6 or self.kind == "http" and len(data) < 8:
                self.kind = None  # too short to tell yet
                return NEED_MORE
        if self.kind == "tls":
            message = tls.client_hello_from_records(data)
            return NEED_MORE if message is None else ("tls", tls.parse_client_hello(message))
        request = http_request.parse_request_head(data)
        return NEED_MORE if request is None else ("http", request)


def could_start_stream(payload: bytes) -> bool:
    """A first segment seen without its SYN: worth following only if it starts a ClientHello or a request."""
    return tls.looks_like_tls(payload[:6]) or http_request.looks_like_request(payload[:8])

"""What the dissector learnt, turned into HostSeen observations and findings.

- DNS: every client question is a sighting of its name (a retransmitted query, and the response to a query
  already seen, are not counted again; a response whose query the capture missed counts instead). A
  response's A/AAAA answers go into a short-lived map from address to the name asked for, per client and
  overall, each entry kept for its TTL (at most MAX_TTL) plus GRACE seconds.
- Connections: the name the client sent (TLS SNI, QUIC SNI, HTTP Host) is a sighting; a connection that named
  nothing is attributed to the name its client (else anyone) last resolved to the server's address.
- Encrypted DNS and ECH hide names: connections to public DNS-over-HTTPS/TLS/QUIC resolvers and TLS
  connections whose outer SNI is an ECH front are tallied here and reported as coverage gaps.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from typing import Callable

from scanner.modules.pcap import dns_wire
from scanner.modules.pcap.resolvers import ECH_FRONTS, doh_resolver
from scanner.observations import HostSeen
from scanner.subjects import SubjectMap
from scanner.subjects import apply as apply_subjects

SOURCE = "pcap"
MAX_TTL = 3600
GRACE = 60
MAX_MAP = 200_000
MAX_PENDING_QUERIES = 100_000
QUERY_WINDOW = 30.0
NOT_ATTRIBUTED = ("tcp-midflow", "quic-midflow")  # connections older than the capture: their DNS is not in it


@dataclass
class Hidden:
    """Connections whose names the capture cannot see, per resolver or ECH front."""

    connections: int = 0
    clients: set[str] = field(default_factory=set)
    first: float | None = None
    last: float | None = None
    attributed: int = 0

    def add(self, client: str, ts: float) -> None:
        self.connections += 1
        if len(self.clients) < 1000:
            self.clients.add(client)
        self.first = ts if self.first is None else min(self.first, ts)
        self.last = ts if self.last is None else max(self.last, ts)


def iso(ts: float) -> str | None:
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
    except (OverflowError, OSError, ValueError):
        return None


def address_text(packed: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET if len(packed) == 4 else socket.AF_INET6, packed)


def mac_text(mac: bytes | None) -> str | None:
    return mac.hex(":") if mac else None


def split_key(key: bytes) -> tuple[bytes, bytes, int, int]:
    """A connection key (source address, destination address, source port, destination port)."""
    half = (len(key) - 4) // 2
    return key[:half], key[half:2 * half], key[-4] << 8 | key[-3], key[-2] << 8 | key[-1]


class Sightings:
    def __init__(self, *, location: str, record_name: str, emit: Callable[[HostSeen], None],
                 problem: Callable[[int | None, str], None], subjects: SubjectMap | None = None) -> None:
        self.location = location
        self.record_name = record_name
        self.emit_observation = emit
        self.report_problem = problem
        self.subjects = subjects
        self.resolved: dict[tuple[bytes, bytes], tuple[str, float]] = {}
        self.resolved_any: dict[bytes, tuple[str, float]] = {}
        self.pending_queries: dict[tuple, float] = {}
        self.doh: dict[str, Hidden] = {}
        self.ech: dict[str, Hidden] = {}
        self.counts: dict[str, int] = {}

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount

    def problem(self, number: int | None, message: str) -> None:
        self.count("malformed_records")
        self.report_problem(number, message)

    # -- DNS ----------------------------------------------------------------------------------------------
    def dns(self, payload: bytes, ts: float, key: bytes, number: int, mac: bytes | None, transport: str) -> None:
        try:
            message = dns_wire.parse(payload)
        except dns_wire.MalformedDns as exc:
            return self.problem(number, f"DNS over {transport.upper()}: {exc}")
        source, destination, sport, dport = split_key(key)
        if not message.response:
            self.count("dns_queries")
            query = (source, sport, message.id, message.name)
            if query in self.pending_queries:
                return None  # a retransmission
            self.remember_query(query, ts)
            if message.name:
                self.sighting(message.name, "dns-query", ts, source, mac, number)
            return None
        self.count("dns_responses")
        if self.pending_queries.pop((destination, dport, message.id, message.name), None) is None and message.name:
            self.sighting(message.name, "dns-response", ts, destination, None, number)
        if message.name and message.addresses:
            for address, ttl in message.addresses:
                entry = (message.name, ts + min(ttl, MAX_TTL) + GRACE)
                self.resolved[(destination, address)] = entry
                self.resolved_any[address] = entry
            if len(self.resolved) > MAX_MAP:
                self.forget_expired(ts)
        return None

    def remember_query(self, query: tuple, ts: float) -> None:
        if len(self.pending_queries) >= MAX_PENDING_QUERIES:
            self.pending_queries = {k: t for k, t in self.pending_queries.items() if t >= ts - QUERY_WINDOW}
        self.pending_queries[query] = ts

    def forget_expired(self, ts: float) -> None:
        self.resolved = {k: v for k, v in self.resolved.items() if v[1] >= ts}
        self.resolved_any = {k: v for k, v in self.resolved_any.items() if v[1] >= ts}
        if len(self.resolved) > MAX_MAP:  # unexpired but too many: keep the newest half
            newest = sorted(self.resolved.items(), key=lambda item: item[1][1])[len(self.resolved) // 2:]
            self.resolved = dict(newest)

    def resolved_name(self, client: bytes, server: bytes, ts: float) -> str | None:
        entry = self.resolved.get((client, server)) or self.resolved_any.get(server)
        return entry[0] if entry and entry[1] >= ts else None

    # -- connections --------------------------------------------------------------------------------------
    def named(self, host: str, via: str, ts: float, key: bytes, number: int | None, mac: bytes | None, *,
              path: str | None = None, method: str | None = None, ech_extension: bool = False) -> None:
        client, server, _, dport = split_key(key)
        self.count(via.replace("-", "_"))
        self.hidden_dns(server, dport, host, client, ts)
        if host in ECH_FRONTS:
            hidden = self.ech.setdefault(host, Hidden())
            hidden.add(address_text(client), ts)
            real = self.resolved_name(client, server, ts)
            if real:
                hidden.attributed += 1
                return self.sighting(real, f"{via}-ech:dns-answer", ts, client, mac, number)
            return self.sighting(host, f"{via}-ech-outer", ts, client, mac, number)
        return self.sighting(host, via, ts, client, mac, number, path=path, method=method)

    def unnamed(self, ts: float, key: bytes, number: int | None, mac: bytes | None, why: str) -> None:
        client, server, _, dport = split_key(key)
        self.hidden_dns(server, dport, None, client, ts)
        if why in NOT_ATTRIBUTED:
            return None
        self.count("connections_unnamed")
        name = self.resolved_name(client, server, ts)
        if name is None:
            return None
        self.count("connections_attributed")
        return self.sighting(name, "dns-answer", ts, client, mac, number)

    def hidden_dns(self, server: bytes, dport: int, host: str | None, client: bytes, ts: float) -> None:
        resolver = doh_resolver(server, dport, host)
        if resolver:
            self.count("encrypted_dns_connections")
            self.doh.setdefault(resolver, Hidden()).add(address_text(client), ts)

    # -- observations -------------------------------------------------------------------------------------
    def sighting(self, host: str, via: str, ts: float, client: bytes, mac: bytes | None, number: int | None, *,
                 path: str | None = None, method: str | None = None) -> None:
        self.count("sightings")
        fields = {"host": host, "client": address_text(client), "timestamp": iso(ts), "path": path,
                  "method": method}
        apply_subjects(fields, self.subjects)
        self.emit_observation(HostSeen(
            source=SOURCE, location=self.location, mac=mac_text(mac), via=via,
            record=f"{self.record_name}:{number}" if number else self.record_name, **fields))

    def gaps(self) -> list[tuple[str, str]]:
        """(what, why) for each resolver and ECH front that hid names."""
        found = []
        for resolver, hidden in sorted(self.doh.items()):
            found.append((f"encrypted DNS: {resolver}",
                          f"DNS hidden from this capture: {hidden.connections} connection(s) to this DNS-over-HTTPS/"
                          f"TLS resolver from {describe_clients(hidden.clients)}, {iso(hidden.first)} to "
                          f"{iso(hidden.last)}; names those clients resolved there are not seen"))
        for front, hidden in sorted(self.ech.items()):
            found.append((f"Encrypted Client Hello: {front}",
                          f"server names hidden by ECH: {hidden.connections} TLS connection(s) with outer name "
                          f"{front} from {describe_clients(hidden.clients)}; {hidden.attributed} attributed from "
                          f"DNS answers in the capture"))
        return found


def describe_clients(clients: set[str]) -> str:
    listed = sorted(clients)
    text = ", ".join(listed[:5])
    return f"{len(listed)} client(s) ({text}{', …' if len(listed) > 5 else ''})"

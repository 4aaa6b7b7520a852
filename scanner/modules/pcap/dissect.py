"""Dissect packets by offset: link layer, IPv4/IPv6, UDP/TCP, and only as far as a name can be learnt.

Most packets of a capture are bulk data of connections whose server is already known. They cost a few byte
lookups and one dict lookup here: ``packet`` reads the headers straight from the capture's buffer (no copy, no
objects), and a connection is followed only until its client has named the server — by a TLS ClientHello
(TCP or QUIC) or an HTTP request head — or shown that it will not. DNS messages over UDP and TCP go to the sink
whole. What is learnt goes to a sink (see sightings.py): ``named`` (a connection and the name its client
used), ``unnamed`` (a connection that named nothing: the sink may attribute it from DNS answers), ``dns``.

Connections are kept in two generations of ROTATE_SECONDS of capture time: one not seen for that long is
forgotten (a stream still waiting for its ClientHello is first given up), so memory stays flat.
"""

from __future__ import annotations

from scanner.modules.pcap import quic, tls
from scanner.modules.pcap.streams import ClientStream, GiveUp, could_start_stream
from scanner.modules.pcap import http_request

ROTATE_SECONDS = 120.0
MAX_FLOWS = 400_000  # per generation: rotate early in very busy captures
DONE = object()  # a connection with nothing more to learn
HTTP_FOLLOW = object()  # an HTTP/1.x connection after its first request: later requests are read per segment

# Link types (https://www.tcpdump.org/linktypes.html) this dissector reads.
LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LOOP = 0, 1, 101, 108
LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL2 = 113, 228, 229, 276
LINKTYPE_RAW_OLD = (12, 14)  # DLT_RAW as some BSDs number it
SUPPORTED_LINKTYPES = frozenset({0, 1, 12, 14, 101, 108, 113, 228, 229, 276})
VLAN_TYPES = (0x8100, 0x88A8, 0x9100)
IPV6_EXTENSIONS = (0, 43, 60)  # hop-by-hop, routing, destination options
TLS_PORTS_QUIC = 443


class PacketProblem(Exception):
    pass


class Dissector:
    def __init__(self, sink) -> None:
        self.sink = sink
        self.flows: dict[bytes, object] = {}
        self.old_flows: dict[bytes, object] = {}
        self.rotate_at: float | None = None
        self.number = 0  # the packet being dissected, 1-based, as Wireshark numbers frames
        self.snapped = 0  # the last packet the capture cut to its snap length: "cut short" is no fault there
        self.counts = {"malformed_packets": 0, "fragment_packets": 0, "non_ip_packets": 0, "snapped_packets": 0}

    # -- the hot path ------------------------------------------------------------------------------------
    def packet(self, buf: bytes, off: int, end: int, ts: float, link: int) -> None:
        """One captured frame: ``buf[off:end]`` holds its captured bytes."""
        mac = -1
        if link == 1:
            if end - off < 14:
                return self.malformed("Ethernet header cut short")
            kind = buf[off + 12] << 8 | buf[off + 13]
            mac = off + 6
            nl = off + 14
            while kind in VLAN_TYPES:
                if nl + 4 > end:
                    return self.malformed("VLAN tag cut short")
                kind = buf[nl + 2] << 8 | buf[nl + 3]
                nl += 4
        else:
            kind, nl, mac = self.link_header(buf, off, end, link)
            if kind < 0:
                return
        if kind == 0x0800:
            if nl + 20 > end:
                return self.malformed("IPv4 header cut short")
            vihl = buf[nl]
            ihl = (vihl & 15) << 2
            if vihl >> 4 != 4 or ihl < 20:
                return self.malformed("not a valid IPv4 header")
            total = buf[nl + 2] << 8 | buf[nl + 3]
            if total == 0:  # segmentation offload on the capturing host
                total = end - nl
            elif total < ihl:
                return self.malformed("IPv4 total length shorter than its header")
            ip_end = nl + total
            if ip_end > end:
                ip_end = end
            if buf[nl + 6] & 0x3F or buf[nl + 7]:  # more fragments, or a fragment offset
                self.counts["fragment_packets"] += 1
                return None
            proto = buf[nl + 9]
            tp = nl + ihl
            addresses = buf[nl + 12:nl + 20]
        elif kind == 0x86DD:
            if nl + 40 > end:
                return self.malformed("IPv6 header cut short")
            if buf[nl] >> 4 != 6:
                return self.malformed("not a valid IPv6 header")
            length = buf[nl + 4] << 8 | buf[nl + 5]
            ip_end = nl + 40 + length if length else end
            if ip_end > end:
                ip_end = end
            proto = buf[nl + 6]
            tp = nl + 40
            if proto != 6 and proto != 17:
                proto, tp = self.ipv6_extensions(buf, proto, tp, ip_end)
            addresses = buf[nl + 8:nl + 40]
        else:
            self.counts["non_ip_packets"] += 1
            return None
        if proto == 6:
            if tp + 20 > ip_end:
                return self.malformed("TCP header cut short")
            flags = buf[tp + 13]
            po = tp + ((buf[tp + 12] >> 4) << 2)
            if po < tp + 20 or po > ip_end:
                return self.malformed("TCP data offset outside the segment")
            if (buf[tp + 1] == 53 and buf[tp] == 0) or (buf[tp + 3] == 53 and buf[tp + 2] == 0):
                return self.tcp_dns(buf, addresses + buf[tp:tp + 4], tp, po, ip_end, ts, mac, flags)
            if flags & 0x02:
                if not flags & 0x10:
                    self.syn(addresses + buf[tp:tp + 4], int.from_bytes(buf[tp + 4:tp + 8], "big") + 1)
                return None
            if po == ip_end:
                return None
            key = addresses + buf[tp:tp + 4]
            state = self.flows.get(key)
            if state is DONE:
                return None
            if state is None:
                state = self.old_flows.pop(key, None)
                if state is DONE:
                    self.flows[key] = DONE
                    return None
            return self.tcp_payload(key, state, buf, tp, po, ip_end, ts, mac)
        if proto == 17:
            if tp + 8 > ip_end:
                return self.malformed("UDP header cut short")
            sport = buf[tp] << 8 | buf[tp + 1]
            dport = buf[tp + 2] << 8 | buf[tp + 3]
            if sport == 53 or dport == 53:
                return self.sink.dns(buf[tp + 8:ip_end], ts, addresses + buf[tp:tp + 4], self.number,
                                     buf[mac:mac + 6] if mac >= 0 else None, "udp")
            if dport == TLS_PORTS_QUIC or dport == 853:
                return self.udp_client(addresses + buf[tp:tp + 4], buf, tp + 8, ip_end, ts, mac, dport)
        return None

    # -- the rest ---------------------------------------------------------------------------------------
    def malformed(self, why: str) -> None:
        if self.snapped == self.number and why.endswith("cut short"):
            self.counts["snapped_packets"] += 1
            return
        self.counts["malformed_packets"] += 1
        self.sink.problem(self.number, why)

    def link_header(self, buf: bytes, off: int, end: int, link: int) -> tuple[int, int, int]:
        """(ethertype, network layer offset, source MAC offset or -1); ethertype -1 when the frame is dropped."""
        if link == 113:  # Linux cooked capture v1
            if end - off < 16:
                self.malformed("Linux cooked header cut short")
                return -1, 0, -1
            halen = buf[off + 4] << 8 | buf[off + 5]
            return buf[off + 14] << 8 | buf[off + 15], off + 16, off + 6 if halen == 6 else -1
        if link == 276:  # Linux cooked capture v2
            if end - off < 20:
                self.malformed("Linux cooked v2 header cut short")
                return -1, 0, -1
            return buf[off] << 8 | buf[off + 1], off + 20, off + 12 if buf[off + 11] == 6 else -1
        if link in (101, 228, 229, 12, 14):
            if off >= end:
                self.malformed("empty packet")
                return -1, 0, -1
            version = buf[off] >> 4
            return (0x0800 if version == 4 else 0x86DD if version == 6 else 0), off, -1
        if link in (0, 108):  # BSD loopback: a 4-byte address family, host or network byte order
            if end - off < 4:
                self.malformed("loopback header cut short")
                return -1, 0, -1
            family = int.from_bytes(buf[off:off + 4], "little")
            if family > 0xFFFF:  # written in network byte order
                family = int.from_bytes(buf[off:off + 4], "big")
            return (0x0800 if family == 2 else 0x86DD if family in (10, 24, 28, 30) else 0), off + 4, -1
        return -1, 0, -1

    def ipv6_extensions(self, buf: bytes, proto: int, position: int, end: int) -> tuple[int, int]:
        while proto in IPV6_EXTENSIONS or proto == 44 or proto == 51:
            if position + 8 > end:
                self.malformed("IPv6 extension header cut short")
                return -1, position
            if proto == 44:  # a fragment: not reassembled, counted
                self.counts["fragment_packets"] += 1
                return -1, position
            following = buf[position]
            position += (buf[position + 1] + 2) * 4 if proto == 51 else (buf[position + 1] + 1) * 8
            proto = following
        return proto, position

    def syn(self, key: bytes, isn: int) -> None:
        state = self.flows.get(key)
        if isinstance(state, ClientStream) and state.next_seq == isn & 0xFFFFFFFF:
            return  # a retransmitted SYN
        self.old_flows.pop(key, None)
        self.flows[key] = ClientStream(isn)

    def tcp_payload(self, key: bytes, state, buf: bytes, tp: int, po: int, ip_end: int, ts: float,
                    mac: int) -> None:
        payload = buf[po:ip_end]
        if state is not None and state is not HTTP_FOLLOW and not isinstance(state, ClientStream):
            state = None  # a UDP flow with the same addresses and ports
        if state is HTTP_FOLLOW:
            self.flows[key] = state
            return self.next_request(payload, key, ts, buf, mac)
        seq = int.from_bytes(buf[tp + 4:tp + 8], "big")
        if state is None:
            if not could_start_stream(payload):  # a server's bytes, or a connection older than the capture
                self.flows[key] = DONE
                return self.sink.unnamed(ts, key, self.number, self.mac(buf, mac), "tcp-midflow")
            state = ClientStream(seq)
        self.flows[key] = state
        try:
            if not state.add(seq, payload):
                return
            outcome = state.result()
        except GiveUp:
            self.flows[key] = DONE
            return self.sink.unnamed(ts, key, self.number, self.mac(buf, mac), "tcp-incomplete")
        except (tls.MalformedHello, http_request.MalformedRequest) as exc:
            self.flows[key] = DONE
            self.sink.problem(self.number, str(exc))
            return self.sink.unnamed(ts, key, self.number, self.mac(buf, mac), "tcp-malformed")
        if outcome is None:
            return None
        self.flows[key] = DONE
        kind, found = outcome
        if kind == "tls" and found.sni:
            return self.sink.named(found.sni, "tls-sni", ts, key, self.number, self.mac(buf, mac),
                                   ech_extension=found.ech)
        if kind == "http":
            self.flows[key] = HTTP_FOLLOW
        if kind == "http" and found.host:
            return self.sink.named(found.host, "http-host", ts, key, self.number, self.mac(buf, mac),
                                   path=found.path, method=found.method)
        return self.sink.unnamed(ts, key, self.number, self.mac(buf, mac), f"{kind}-no-name")

    def next_request(self, payload: bytes, key: bytes, ts: float, buf: bytes, mac: int) -> None:
        """A later request on a kept-alive HTTP/1.x connection, when a segment starts with one (bodies and
        requests split over segments are passed over)."""
        if not http_request.looks_like_request(payload[:8]) or len(payload) < 8:
            return None
        try:
            request = http_request.parse_request_head(payload)
        except http_request.MalformedRequest:
            return None
        if request is not None and request.host:
            self.sink.named(request.host, "http-host", ts, key, self.number, self.mac(buf, mac),
                            path=request.path, method=request.method)
        return None

    def udp_client(self, key: bytes, buf: bytes, start: int, end: int, ts: float, mac: int, dport: int) -> None:
        state = self.flows.get(key)
        if state is DONE:
            return None
        if state is None:
            state = self.old_flows.pop(key, None)
            if state is DONE:
                self.flows[key] = DONE
                return None
        if start >= end:
            return None
        datagram = buf[start:end]
        if not isinstance(state, quic.CryptoStream):
            state = None  # (a TCP connection with the same addresses and ports)
        if state is None:
            header = None
            if dport == TLS_PORTS_QUIC and datagram[0] & 0xC0 == 0xC0:
                try:
                    header = quic.long_header(datagram)
                except IndexError:
                    header = None
            if header is None or not quic.is_initial(header):
                self.flows[key] = DONE  # a QUIC connection seen after its start, another version, or DoQ
                why = "quic-midflow" if dport == TLS_PORTS_QUIC and not datagram[0] & 0x80 else "udp"
                return self.sink.unnamed(ts, key, self.number, self.mac(buf, mac), why)
            state = quic.CryptoStream(header.version, header.dcid)
        elif datagram[0] & 0x80 == 0:
            return None  # 1-RTT packets while Initial packets are still missing
        self.flows[key] = state
        try:
            state.add_datagram(datagram)
            message = state.client_hello()
            if message is None:
                if state.packets >= 8:
                    raise ValueError("no complete ClientHello in 8 Initial packets")
                return None
            hello = tls.parse_client_hello(message)
        except quic.NotDecryptable:
            if state.packets:
                return None  # a later packet under other keys (a server's Initial echoed back, damage)
            self.flows[key] = DONE
            return self.sink.unnamed(ts, key, self.number, self.mac(buf, mac), "quic-undecryptable")
        except (ValueError, IndexError, tls.MalformedHello) as exc:
            self.flows[key] = DONE
            self.sink.problem(self.number, f"QUIC Initial: {exc}")
            return self.sink.unnamed(ts, key, self.number, self.mac(buf, mac), "quic-malformed")
        self.flows[key] = DONE
        if hello.sni:
            return self.sink.named(hello.sni, "quic-sni", ts, key, self.number, self.mac(buf, mac),
                                   ech_extension=hello.ech)
        return self.sink.unnamed(ts, key, self.number, self.mac(buf, mac), "quic-no-name")

    def tcp_dns(self, buf: bytes, key: bytes, tp: int, po: int, ip_end: int, ts: float, mac: int,
                flags: int) -> None:
        """DNS over TCP (RFC 1035 §4.2.2, RFC 7766): two-byte length prefixes over each direction's stream."""
        seq = int.from_bytes(buf[tp + 4:tp + 8], "big")
        if flags & 0x02:
            self.flows[key] = self.dns_stream(seq + 1)
            return
        if po == ip_end:
            return
        state = self.flows.get(key)
        if state is None:
            state = self.old_flows.pop(key, None)
        if not isinstance(state, ClientStream):
            state = self.dns_stream(seq)
        self.flows[key] = state
        try:
            state.add(seq, buf[po:ip_end])
        except GiveUp:
            self.flows[key] = self.dns_stream(seq + ip_end - po)
            return
        data = state.data
        while len(data) >= 2:
            length = data[0] << 8 | data[1]
            if len(data) < 2 + length:
                break
            self.sink.dns(data[2:2 + length], ts, key, self.number, self.mac(buf, mac), "tcp")
            data = data[2 + length:]
        state.data = data

    @staticmethod
    def dns_stream(isn: int) -> ClientStream:
        stream = ClientStream(isn)
        stream.kind = "dns"
        return stream

    @staticmethod
    def mac(buf: bytes, offset: int) -> bytes | None:
        return buf[offset:offset + 6] if offset >= 0 else None

    # -- time ---------------------------------------------------------------------------------------------
    def tick(self, ts: float) -> None:
        """Called between blocks of packets: forget connections idle for a generation."""
        if self.rotate_at is None:
            self.rotate_at = ts + ROTATE_SECONDS
        elif ts >= self.rotate_at or len(self.flows) > MAX_FLOWS:
            self.rotate(ts)

    def rotate(self, ts: float) -> None:
        self.give_up(self.old_flows, ts)
        self.old_flows, self.flows = self.flows, {}
        self.rotate_at = ts + ROTATE_SECONDS

    def finish(self, ts: float) -> None:
        """The end of the capture: streams still waiting for their ClientHello are given up."""
        self.give_up(self.old_flows, ts)
        self.give_up(self.flows, ts)
        self.old_flows, self.flows = {}, {}

    def give_up(self, flows: dict, ts: float) -> None:
        for key, state in flows.items():
            if isinstance(state, ClientStream) and state.data and state.kind != "dns":
                self.sink.unnamed(ts, key, None, None, "tcp-incomplete")
            elif isinstance(state, quic.CryptoStream) and state.packets:
                self.sink.unnamed(ts, key, None, None, "quic-incomplete")

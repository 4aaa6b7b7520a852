"""Small real-shaped captures for the tests, written with scapy.

Packets are scapy objects with their capture time set; ``write_pcap``/``write_pcapng`` save them. The TLS
ClientHello comes from scapy's TLS layer and the QUIC Initial is protected here, per RFC 9001 §5, with the
`cryptography` package's own HKDF — independent of the code under test.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand
from scapy.all import DNS, DNSQR, DNSRR, IP, TCP, UDP, Ether, IPv6, PcapNgWriter, PcapWriter, Raw, load_layer

load_layer("tls")
from scapy.layers.tls.extensions import ServerName, TLS_Ext_ServerName  # noqa: E402
from scapy.layers.tls.handshake import TLSClientHello  # noqa: E402
from scapy.layers.tls.record import TLS  # noqa: E402

T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z
CLIENT, CLIENT_MAC = "10.20.1.11", "02:00:00:00:00:11"
OTHER, OTHER_MAC = "10.20.1.12", "02:00:00:00:00:12"
RESOLVER = "10.20.0.53"
GATEWAY_MAC = "02:00:00:00:00:01"
OPENAI_IP, CLAUDE_IP, PLAIN_IP = "104.18.32.47", "160.79.104.10", "93.184.215.14"


def at(packet, seconds: float):
    packet.time = T0 + seconds
    return packet


def ether(source: str = CLIENT, mac: str = CLIENT_MAC, towards: bool = True):
    return Ether(src=mac, dst=GATEWAY_MAC) if towards else Ether(src=GATEWAY_MAC, dst=mac)


def dns_query(name: str, *, client: str = CLIENT, mac: str = CLIENT_MAC, ident: int = 0x1234, sport: int = 53001,
              qtype: str = "A", t: float = 0.0):
    return at(ether(client, mac) / IP(src=client, dst=RESOLVER) / UDP(sport=sport, dport=53)
              / DNS(id=ident, rd=1, qd=DNSQR(qname=name, qtype=qtype)), t)


def dns_answer(name: str, address: str, *, client: str = CLIENT, mac: str = CLIENT_MAC, ident: int = 0x1234,
               sport: int = 53001, ttl: int = 300, t: float = 0.01):
    return at(ether(client, mac, towards=False) / IP(src=RESOLVER, dst=client) / UDP(sport=53, dport=sport)
              / DNS(id=ident, qr=1, rd=1, ra=1, qd=DNSQR(qname=name),
                    an=DNSRR(rrname=name, type="A", ttl=ttl, rdata=address)), t)


def dns_over_tcp(name: str, address: str, *, client: str = CLIENT, sport: int = 40053, t: float = 0.0):
    """A DNS query and its answer over one TCP connection (RFC 7766), each message split over two segments."""
    query = bytes(DNS(id=7, rd=1, qd=DNSQR(qname=name)))
    answer = bytes(DNS(id=7, qr=1, rd=1, ra=1, qd=DNSQR(qname=name), an=DNSRR(rrname=name, rdata=address)))
    framed_query = len(query).to_bytes(2, "big") + query
    framed_answer = len(answer).to_bytes(2, "big") + answer
    c, s = 1000, 5000
    up = ether() / IP(src=client, dst=RESOLVER)
    down = ether(towards=False) / IP(src=RESOLVER, dst=client)
    return [
        at(up / TCP(sport=sport, dport=53, flags="S", seq=c - 1), t),
        at(down / TCP(sport=53, dport=sport, flags="SA", seq=s - 1, ack=c), t + 0.001),
        at(up / TCP(sport=sport, dport=53, flags="PA", seq=c, ack=s) / Raw(framed_query[:5]), t + 0.002),
        at(up / TCP(sport=sport, dport=53, flags="PA", seq=c + 5, ack=s) / Raw(framed_query[5:]), t + 0.003),
        at(down / TCP(sport=53, dport=sport, flags="PA", seq=s, ack=c + len(framed_query))
           / Raw(framed_answer[:20]), t + 0.004),
        at(down / TCP(sport=53, dport=sport, flags="PA", seq=s + 20, ack=c + len(framed_query))
           / Raw(framed_answer[20:]), t + 0.005),
    ]


def client_hello_record(server_name: str) -> bytes:
    return bytes(TLS(msg=[TLSClientHello(ext=[TLS_Ext_ServerName(servernames=[ServerName(
        servername=server_name.encode())])])]))


def client_hello_message(server_name: str) -> bytes:
    return bytes(TLSClientHello(ext=[TLS_Ext_ServerName(servernames=[ServerName(servername=server_name.encode())])]))


def tcp_connection(server: str, payload: bytes, *, client: str = CLIENT, mac: str = CLIENT_MAC, sport: int = 50000,
                   dport: int = 443, t: float = 1.0, pieces: int = 1, order: list[int] | None = None,
                   with_syn: bool = True, bulk: int = 3, ipv6: bool = False):
    """A TCP connection: handshake, the client's first bytes in ``pieces`` segments (sent in ``order``), then
    ``bulk`` data segments from the server and their ACKs."""
    layer = IPv6 if ipv6 else IP
    up = ether(client, mac) / layer(src=client, dst=server)
    down = ether(client, mac, towards=False) / layer(src=server, dst=client)
    c, s = 100_000, 900_000
    packets = []
    if with_syn:
        packets += [at(up / TCP(sport=sport, dport=dport, flags="S", seq=c - 1), t),
                    at(down / TCP(sport=dport, dport=sport, flags="SA", seq=s - 1, ack=c), t + 0.001),
                    at(up / TCP(sport=sport, dport=dport, flags="A", seq=c, ack=s), t + 0.002)]
    size = -(-len(payload) // pieces)
    segments = [(c + i * size, payload[i * size:(i + 1) * size]) for i in range(pieces)]
    for n, index in enumerate(order or range(pieces)):
        seq, data = segments[index]
        packets.append(at(up / TCP(sport=sport, dport=dport, flags="PA", seq=seq, ack=s) / Raw(data),
                          t + 0.003 + n * 0.001))
    c += len(payload)
    for n in range(bulk):
        packets.append(at(down / TCP(sport=dport, dport=sport, flags="A", seq=s, ack=c) / Raw(os.urandom(1400)),
                          t + 0.01 + n * 0.001))
        s += 1400
        packets.append(at(up / TCP(sport=sport, dport=dport, flags="A", seq=c, ack=s), t + 0.0105 + n * 0.001))
    return packets


def http_request(host: str, path: str = "/v1/models?key=secret", method: str = "GET") -> bytes:
    return (f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n").encode()


# -- QUIC v1 Initial packets, protected per RFC 9001 §5 --------------------------------------------------------
QUIC_V1_SALT = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def _expand_label(secret: bytes, label: str, length: int) -> bytes:
    full = b"tls13 " + label.encode()
    info = length.to_bytes(2, "big") + bytes([len(full)]) + full + b"\x00"
    return HKDFExpand(hashes.SHA256(), length, info).derive(secret)


def _extract(salt: bytes, key: bytes) -> bytes:
    import hmac
    import hashlib

    return hmac.new(salt, key, hashlib.sha256).digest()


def _varint(value: int) -> bytes:
    if value < 64:
        return bytes([value])
    if value < 16384:
        return (value | 0x4000).to_bytes(2, "big")
    return (value | 0x80000000).to_bytes(4, "big")


def quic_initial(dcid: bytes, frames: bytes, packet_number: int, *, scid: bytes = b"\x01\x02\x03\x04") -> bytes:
    """A client Initial packet carrying ``frames``, padded to 1200 bytes and protected."""
    secret = _expand_label(_extract(QUIC_V1_SALT, dcid), "client in", 32)
    key, iv, hp = (_expand_label(secret, "quic key", 16), _expand_label(secret, "quic iv", 12),
                   _expand_label(secret, "quic hp", 16))
    pn = packet_number.to_bytes(4, "big")
    fixed = bytes([0xC3]) + (1).to_bytes(4, "big") + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + b"\x00"
    padding = 1200 - (len(fixed) + 2 + len(pn) + len(frames) + 16)
    plaintext = frames + bytes(max(padding, 0))
    header = fixed + ((len(pn) + len(plaintext) + 16) | 0x4000).to_bytes(2, "big") + pn
    nonce = (int.from_bytes(iv, "big") ^ packet_number).to_bytes(12, "big")
    protected = AESGCM(key).encrypt(nonce, plaintext, header)
    sample = protected[4 - len(pn):20 - len(pn)]
    mask = Cipher(algorithms.AES(hp), modes.ECB()).encryptor().update(sample)
    first = bytes([header[0] ^ (mask[0] & 0x0F)])
    masked_pn = bytes(b ^ m for b, m in zip(pn, mask[1:5]))
    return first + header[1:-4] + masked_pn + protected


def crypto_frame(offset: int, data: bytes) -> bytes:
    return b"\x06" + _varint(offset) + _varint(len(data)) + data


def quic_connection(server: str, server_name: str, *, client: str = CLIENT, sport: int = 51000, t: float = 2.0,
                    split: bool = True):
    """A QUIC v1 connection whose ClientHello spans two Initial packets (CRYPTO frames out of order), then a
    few 1-RTT packets each way."""
    dcid = bytes.fromhex("0011223344556677")
    hello = client_hello_message(server_name) + bytes(600)  # padded as a post-quantum key share would be
    hello = hello[:1] + (len(hello) - 4).to_bytes(3, "big") + hello[4:]
    if split:
        half = len(hello) // 2
        datagrams = [quic_initial(dcid, b"\x01" + crypto_frame(half, hello[half:]) + b"\x01", 0),
                     quic_initial(dcid, crypto_frame(0, hello[:half]), 1)]
    else:
        datagrams = [quic_initial(dcid, crypto_frame(0, hello), 0)]
    up = ether() / IP(src=client, dst=server) / UDP(sport=sport, dport=443)
    down = ether(towards=False) / IP(src=server, dst=client) / UDP(sport=443, dport=sport)
    packets = [at(up / Raw(datagram), t + n * 0.001) for n, datagram in enumerate(datagrams)]
    for n in range(3):
        packets.append(at(down / Raw(b"\x41" + os.urandom(1100)), t + 0.01 + n * 0.001))
        packets.append(at(up / Raw(b"\x41" + os.urandom(40)), t + 0.0105 + n * 0.001))
    return packets


# -- files ----------------------------------------------------------------------------------------------------
def write_pcap(path, packets, *, linktype: int | None = None, nano: bool = False) -> str:
    writer = PcapWriter(str(path), linktype=linktype, nano=nano, sync=True)
    for packet in sorted(packets, key=lambda p: p.time):
        writer.write(packet)
    writer.close()
    return str(path)


def write_pcapng(path, packets) -> str:
    """Each packet on the interface named by its ``sniffed_on`` (one Interface Description Block each)."""
    writer = PcapNgWriter(str(path))
    for packet in sorted(packets, key=lambda p: p.time):
        writer.write(packet)
    writer.close()
    return str(path)

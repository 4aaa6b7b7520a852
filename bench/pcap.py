"""Benchmark `shadowai scan pcap` against tshark on the same capture.

Writes a capture of --packets packets (default one million) that looks like a small office's uplink: DNS over
UDP (queries and answers, some over TCP), TLS connections (ClientHello, some split over two segments, the
server's handshake, then data), plain HTTP requests, QUIC connections, and long bulk TCP transfers with their
ACKs; about 1% of the names are AI services. Then times, on the same file:
  reference: tshark -r FILE -T fields -e dns.qry.name -e tls.handshake.extensions_server_name -e http.host
  shadowai:  shadowai scan pcap FILE --db fresh.db --quiet
and prints packets/s for both, the ratio shadowai/tshark, and both peak RSS.

    python bench/pcap.py [--packets 1000000] [--keep DIR]

tshark comes from Debian's package (`apt-get install -y tshark`; answer "no" to non-root capture, or preseed
wireshark-common/install-setuid false).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

AI_HOSTS = ["chatgpt.com", "api.openai.com", "claude.ai", "api.anthropic.com", "gemini.google.com",
            "copilot.microsoft.com", "www.perplexity.ai", "chat.deepseek.com", "huggingface.co", "api.mistral.ai"]
WORDS = ["www", "mail", "api", "cdn", "static", "img", "login", "news", "shop", "app", "assets", "m"]
TLDS = ["com", "net", "org", "co.uk", "de", "io", "fr", "nl"]


def checksum_free_ipv4(src: bytes, dst: bytes, proto: int, payload_length: int, ident: int) -> bytes:
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_length, ident & 0xFFFF, 0x4000, 64, proto, 0, src, dst)


class Writer:
    """Packets as Ethernet/IPv4 frames into a classic pcap (microsecond timestamps)."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.count = 0
        self.t = 1764460800.0
        self.parts: list[bytes] = []
        handle.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))

    def frame(self, src_mac: bytes, dst_mac: bytes, ip: bytes, transport: bytes, payload: bytes) -> None:
        self.t += 0.0002
        frame = dst_mac + src_mac + b"\x08\x00" + ip + transport + payload
        seconds = int(self.t)
        self.parts.append(struct.pack("<IIII", seconds, int((self.t - seconds) * 1e6), len(frame), len(frame)))
        self.parts.append(frame)
        self.count += 1
        if len(self.parts) > 20000:
            self.flush()

    def flush(self) -> None:
        self.handle.write(b"".join(self.parts))
        self.parts.clear()

    def udp(self, client, server, sport, dport, payload, from_client=True):
        src, dst = (client, server) if from_client else (server, client)
        sport, dport = (sport, dport) if from_client else (dport, sport)
        ip = checksum_free_ipv4(src[0], dst[0], 17, 8 + len(payload), self.count)
        self.frame(src[1], dst[1], ip, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0), payload)

    def tcp(self, src, dst, sport, dport, seq, ack, flags, payload=b""):
        ip = checksum_free_ipv4(src[0], dst[0], 6, 20 + len(payload), self.count)
        self.frame(src[1], dst[1], ip, struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                                                     0x50, flags, 65535, 0, 0), payload)


def dns_name(name: str) -> bytes:
    return b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\x00"


def dns_query(ident: int, name: str) -> bytes:
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + dns_name(name) + b"\x00\x01\x00\x01"


def dns_answer(ident: int, name: str, address: bytes) -> bytes:
    question = dns_name(name) + b"\x00\x01\x00\x01"
    answer = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + address
    return struct.pack("!HHHHHH", ident, 0x8180, 1, 1, 0, 0) + question + answer


def client_hello(name: str, rng: random.Random) -> bytes:
    server_name = name.encode()
    sni = struct.pack("!HHHBH", 0, len(server_name) + 5, len(server_name) + 3, 0, len(server_name)) + server_name
    padding = struct.pack("!HH", 21, 200) + bytes(200)
    extensions = sni + struct.pack("!HHH", 43, 3, 0x0203) + b"\x04" + padding
    body = (b"\x03\x03" + rng.randbytes(32) + b"\x20" + rng.randbytes(32) + b"\x00\x04\x13\x01\x13\x02\x01\x00"
            + struct.pack("!H", len(extensions)) + extensions)
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + struct.pack("!H", len(handshake)) + handshake


def generate(path: Path, packets: int, seed: int = 11) -> int:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    names = [f"{rng.choice(WORDS)}.{''.join(rng.choice(letters) for _ in range(rng.randint(4, 12)))}."
             f"{rng.choice(TLDS)}" for _ in range(5000)]
    clients = [(bytes([10, 1, n // 250, n % 250 + 1]), bytes([2, 0, 0, 0, n // 256, n % 256])) for n in range(400)]
    resolver = (bytes([10, 1, 255, 53]), bytes.fromhex("020000ffff35"))
    gateway_mac = bytes.fromhex("02aabbccddee")
    bulk = rng.randbytes(1448)
    with path.open("wb") as handle:
        out = Writer(handle)
        while out.count < packets:
            client = rng.choice(clients)
            name = rng.choice(AI_HOSTS) if rng.random() < 0.01 else rng.choice(names)
            server = (bytes([203, 0, rng.randint(0, 255), rng.randint(1, 254)]), gateway_mac)
            client_port = rng.randint(20000, 60000)
            ident = rng.randint(0, 65535)
            out.udp(client, resolver, client_port, 53, dns_query(ident, name))
            out.udp(client, resolver, client_port, 53, dns_answer(ident, name, server[0]), from_client=False)
            kind = rng.random()
            if kind < 0.1:  # plain HTTP
                request = (f"GET /index.html HTTP/1.1\r\nHost: {name}\r\nUser-Agent: bench\r\n"
                           f"Accept: */*\r\n\r\n").encode()
                first = request
            elif kind < 0.15:  # QUIC: only its (undecryptable here) short-header packets
                for _ in range(rng.randint(5, 30)):
                    out.udp(client, server, client_port, 443, b"\x40" + bulk[:1200])
                    out.udp(client, server, client_port, 443, b"\x40" + bulk[:1200], from_client=False)
                continue
            else:
                first = client_hello(name, rng)
            c_seq, s_seq = rng.randint(0, 1 << 31), rng.randint(0, 1 << 31)
            out.tcp(client, server, client_port, 443, c_seq, 0, 0x02)
            out.tcp(server, client, 443, client_port, s_seq, c_seq + 1, 0x12)
            out.tcp(client, server, client_port, 443, c_seq + 1, s_seq + 1, 0x10)
            c_seq += 1
            s_seq += 1
            if rng.random() < 0.2:  # the ClientHello split over two segments
                out.tcp(client, server, client_port, 443, c_seq, s_seq, 0x10, first[:100])
                out.tcp(client, server, client_port, 443, c_seq + 100, s_seq, 0x18, first[100:])
            else:
                out.tcp(client, server, client_port, 443, c_seq, s_seq, 0x18, first)
            c_seq += len(first)
            # the response, then bulk data with an ACK every second segment
            for n in range(rng.choice((4, 8, 20, 60, 200))):
                out.tcp(server, client, 443, client_port, s_seq, c_seq, 0x10, bulk)
                s_seq += len(bulk)
                if n % 2:
                    out.tcp(client, server, client_port, 443, c_seq, s_seq, 0x10)
            out.tcp(client, server, client_port, 443, c_seq, s_seq, 0x11)
            out.tcp(server, client, 443, client_port, s_seq, c_seq + 1, 0x11)
        out.flush()
        return out.count


def timed(command: list[str]) -> tuple[float, float, int, int]:
    """(seconds, CPU seconds, peak RSS in MB, exit code) of a command, its output discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.stderr.write(process.stderr.read().decode(errors="replace")[-2000:])
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packets", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="Folder for the capture (kept, and reused when present).")
    args = parser.parse_args()
    tshark = shutil.which("tshark")
    if tshark is None:
        sys.exit("tshark is not installed (Debian: apt-get install -y tshark)")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="shadowai-bench-pcap-"))
    folder.mkdir(parents=True, exist_ok=True)
    capture = folder / f"bench-{args.packets}.pcap"
    if not capture.exists():
        started = time.perf_counter()
        count = generate(capture, args.packets)
        print(f"wrote {capture} ({count:,} packets, {capture.stat().st_size / 1e6:,.0f} MB) in "
              f"{time.perf_counter() - started:.1f} s")
    count = read_count(capture)
    database = folder / "bench.db"
    for stale in folder.glob("bench.db*"):
        stale.unlink()
    beside = Path(sys.executable).parent / "shadowai"
    shadowai = [str(beside)] if beside.exists() else [sys.executable, "-c", "from scanner.cli.main import cli; cli()"]
    ours, our_cpu, our_rss, code = timed([*shadowai, "scan", "pcap", str(capture), "--db", str(database), "--quiet"])
    found = subprocess.run([*shadowai, "inventory", "--db", str(database), "--format", "json"], capture_output=True,
                           text=True).stdout
    if code not in (0, 1) or '"hits"' not in found:
        sys.exit(f"shadowai scan pcap failed (exit {code}) or found nothing")
    theirs, their_cpu, their_rss, _ = timed([tshark, "-r", str(capture), "-T", "fields", "-e", "dns.qry.name",
                                  "-e", "tls.handshake.extensions_server_name", "-e", "http.host"])
    print(f"packets:   {count:,}")
    print(f"tshark:    {theirs:6.2f} s  {count / theirs:12,.0f} packets/s  CPU {their_cpu:6.2f} s  "
          f"peak RSS {their_rss} MB")
    print(f"shadowai:  {ours:6.2f} s  {count / ours:12,.0f} packets/s  CPU {our_cpu:6.2f} s  "
          f"peak RSS {our_rss} MB  (exit {code})")
    print(f"ratio shadowai/tshark: {theirs / ours:.2f}x (wall clock), {their_cpu / our_cpu:.2f}x (CPU time)")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


def read_count(capture: Path) -> int:
    count = 0
    with capture.open("rb") as handle:
        handle.seek(24)
        while len(header := handle.read(16)) == 16:
            handle.seek(struct.unpack_from("<I", header, 8)[0], os.SEEK_CUR)
            count += 1
    return count


if __name__ == "__main__":
    main()

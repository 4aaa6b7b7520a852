"""Read pcap and pcapng captures record by record, straight from the bytes, and hand each frame to a dissector.

Formats: libpcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html: microsecond and nanosecond magic,
either byte order) and pcapng (IETF draft-ietf-opsawg-pcapng: Section Header, Interface Description with
if_tsresol/if_tsoffset, Enhanced, Simple and obsolete Packet blocks; other blocks are skipped). The stream is
read in large blocks and records are located with struct at offsets, so a frame is never copied or wrapped in
an object before the dissector has decided it matters.

Damage is counted and reported, and everything around it is read: a file cut short ends with an error for its
last record; a record header that cannot be right (a length beyond any snap length) is reported and the reader
looks for the next plausible record; frames of link types the dissector cannot read are counted per interface.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO, Callable

from scanner.modules.pcap.dissect import DONE, SUPPORTED_LINKTYPES

BLOCK = 8 << 20
MAX_RECORD = 1 << 18  # 256 KiB: libpcap's largest snap length
MAX_BLOCK = 1 << 24
PCAP_MAGIC = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6), b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9), b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
PCAPNG_SHB = b"\x0a\x0d\x0d\x0a"
LINKTYPE_NAMES = {105: "IEEE 802.11", 127: "802.11 radiotap", 9: "PPP", 50: "PPP HDLC", 147: "user-defined",
                  192: "PPI", 220: "USB", 249: "USB", 195: "IEEE 802.15.4", 187: "Bluetooth"}


class NotACapture(ValueError):
    """The stream is neither pcap nor pcapng."""


def capture_kind(head: bytes) -> str:
    if head[:4] in PCAP_MAGIC:
        return "pcap"
    if head[:4] == PCAPNG_SHB:
        return "pcapng"
    if head[:4] == b"\xa1\xb2\xcd\x34" or head[:4] == b"\x34\xcd\xb2\xa1":
        raise NotACapture("a Kuznetzov-modified pcap (not supported: re-save it with editcap or tcpdump -w)")
    raise NotACapture("not a pcap or pcapng capture (unknown magic number)")


def linktype_name(link: int) -> str:
    return f"{link} ({LINKTYPE_NAMES[link]})" if link in LINKTYPE_NAMES else str(link)


@dataclass
class Interface:
    link: int
    scale: float = 1e-6
    offset: float = 0.0
    skipped: int = 0


class CaptureReader:
    """Feeds ``dissector.packet`` from a stream. ``on_block(offset, packets, ts)`` is called after each block of
    whole records with the stream offset reached; returning False stops the reading there."""

    def __init__(self, stream: BinaryIO, dissector, *, problem: Callable[[str, str], None], name: str) -> None:
        self.stream = stream
        self.dissector = dissector
        self.report = problem
        self.name = name
        self.packets = 0
        self.offset = 0
        self.last_ts = 0.0
        self.counts = {"truncated_records": 0, "corrupt_regions": 0, "unknown_link_packets": 0}
        self.interfaces: list[Interface] = []
        self.kind = ""
        self.carry = b""

    def problem(self, where: str, message: str) -> None:
        self.report(f"{self.name}:{where}", message)

    def blocks(self):
        """Yield (buffer, position of its first unread byte); the caller returns how far it consumed."""
        leftover = self.carry
        while True:
            data = self.stream.read(BLOCK)
            if not data:
                if leftover:
                    yield leftover, True
                return
            yield (leftover + data if leftover else data), False
            leftover = self.carry

    def read(self, on_block: Callable[[int, int, float], bool], *, resume_at: int = 0, resume_packets: int = 0
             ) -> bool:
        """Read to the end (True) or until on_block says stop (False)."""
        head = self.stream.read(24)
        self.kind = capture_kind(head)
        if self.kind == "pcap":
            return self.read_pcap(head, on_block, resume_at, resume_packets)
        self.carry = head
        return self.read_pcapng(on_block, resume_at, resume_packets)

    # -- libpcap ------------------------------------------------------------------------------------------
    def read_pcap(self, head: bytes, on_block, resume_at: int, resume_packets: int) -> bool:
        if len(head) < 24:
            self.problem("0", "truncated capture: the file header is cut short")
            self.counts["truncated_records"] += 1
            return True
        endian, scale = PCAP_MAGIC[head[:4]]
        snaplen, linkfield = struct.unpack_from(endian + "II", head, 16)
        link = linkfield & 0xFFFF
        supported = link in SUPPORTED_LINKTYPES
        limit = max(snaplen, MAX_RECORD) if snaplen <= 1 << 24 else MAX_RECORD
        self.offset = 24
        if resume_at > 24:
            self.skip_to(resume_at)
            self.packets = resume_packets
        if not supported:
            self.problem("0", f"link type {linktype_name(link)} is not supported: its packets are counted, not read")
        record = struct.Struct(endian + "IIII").unpack_from
        packet = self.dissector.packet
        dissector = self.dissector
        number = self.packets
        ts = self.last_ts
        ethernet = link == 1
        self.carry = b""
        for buf, last in self.blocks():
            flow_state = dissector.flows.get  # the dissector swaps its tables between blocks only
            pos, size = 0, len(buf)
            seconds = fraction = None
            while pos + 16 <= size:
                seconds, fraction, captured, original = record(buf, pos)
                start = pos + 16
                following = start + captured
                if captured > limit or original > 1 << 26:
                    self.problem(f"packet {number + 1}", f"impossible record length {captured} at offset "
                                 f"{self.offset + pos}: the capture is damaged here")
                    self.counts["corrupt_regions"] += 1
                    pos = self.resync_pcap(buf, pos + 1, record, limit, seconds)
                    continue
                if following > size:
                    break
                number += 1
                pos = following
                # The fast path (Ethernet, IPv4 without options or fragments): the frames the dissector would
                # drop without learning anything — a TCP segment without data, a segment or QUIC datagram of a
                # connection already done, UDP that is neither DNS nor QUIC — are dropped here, unread.
                if (ethernet and captured >= 54 and buf[start + 12] == 8 and buf[start + 13] == 0
                        and buf[start + 14] == 0x45 and not (buf[start + 20] & 0x3F or buf[start + 21])):
                    tp = start + 34
                    total = buf[start + 16] << 8 | buf[start + 17]
                    if buf[start + 23] == 6:
                        if (total and not buf[tp + 13] & 0x02 and buf[tp + 12] >= 0x50
                                and not (buf[tp + 1] == 53 and buf[tp] == 0)
                                and not (buf[tp + 3] == 53 and buf[tp + 2] == 0)):
                            header = 20 + ((buf[tp + 12] >> 4) << 2)
                            if header == total:
                                continue
                            if header < total and flow_state(buf[start + 26:start + 34] + buf[tp:tp + 4]) is DONE:
                                continue
                    elif buf[start + 23] == 17 and total >= 28:
                        dport = buf[tp + 2] << 8 | buf[tp + 3]
                        if dport != 53 and not (buf[tp + 1] == 53 and buf[tp] == 0):
                            if dport != 443 and dport != 853:
                                continue
                            if flow_state(buf[start + 26:start + 34] + buf[tp:tp + 4]) is DONE:
                                continue
                if supported:
                    if captured < original:
                        dissector.snapped = number
                    dissector.number = number
                    packet(buf, start, following, seconds + fraction * scale, link)
            if seconds is not None:
                ts = seconds + fraction * scale
            if not supported:
                self.counts["unknown_link_packets"] += number - self.packets
            self.packets = number
            self.last_ts = ts
            self.offset += pos
            self.carry = buf[pos:]
            if last and self.carry:
                self.truncated(len(self.carry))
            if not on_block(self.offset, number, ts):
                return False
        return True

    def resync_pcap(self, buf: bytes, start: int, record, limit: int, seconds: int) -> int:
        """The next offset where two consecutive plausible record headers start (or the block's end)."""
        last_good = self.last_ts
        for pos in range(start, len(buf) - 32):
            sec, frac, captured, original = record(buf, pos)
            if captured > limit or captured > original or original > 1 << 18 or frac >= 1_000_000_000:
                continue
            if last_good and abs(sec - last_good) > 86400:
                continue
            following = pos + 16 + captured
            if following + 16 > len(buf):
                continue
            sec2, _, captured2, original2 = record(buf, following)
            if captured2 <= limit and captured2 <= original2 and abs(sec2 - sec) <= 86400:
                return pos
        return len(buf)  # nothing plausible in this block: go on with the next one

    def truncated(self, missing_from: int) -> None:
        self.counts["truncated_records"] += 1
        self.problem(f"packet {self.packets + 1}", f"truncated capture: the file ends inside a record "
                     f"({missing_from} bytes of it present); everything before it was read")

    def skip_to(self, offset: int) -> None:
        while self.offset < offset:
            data = self.stream.read(min(BLOCK, offset - self.offset))
            if not data:
                break
            self.offset += len(data)

    # -- pcapng -------------------------------------------------------------------------------------------
    def read_pcapng(self, on_block, resume_at: int, resume_packets: int) -> bool:
        endian = "<"
        packet = self.dissector.packet
        dissector = self.dissector
        number = 0
        ts = 0.0
        interfaces = self.interfaces
        ethernet: list[bool] = []
        enhanced = struct.Struct(endian + "IIIII").unpack_from
        block_header = struct.Struct(endian + "II").unpack_from
        base = 0  # stream offset of buf[0]
        for buf, last in self.blocks():
            flow_state = dissector.flows.get
            pos, size = 0, len(buf)
            while pos + 12 <= size:
                block_type, length = block_header(buf, pos)
                if block_type == 0x0A0D0D0A:  # a section header: the same in either byte order
                    magic = buf[pos + 8:pos + 12]
                    endian = "<" if magic == b"\x4d\x3c\x2b\x1a" else ">" if magic == b"\x1a\x2b\x3c\x4d" else ""
                    if not endian:
                        self.problem(f"offset {base + pos}", "section header with an unknown byte-order magic")
                        self.counts["corrupt_regions"] += 1
                        return True
                    block_header = struct.Struct(endian + "II").unpack_from
                    enhanced = struct.Struct(endian + "IIIII").unpack_from
                    block_type, length = block_header(buf, pos)
                    interfaces.clear()
                    ethernet = []
                if length < 12 or length & 3 or length > MAX_BLOCK:
                    self.problem(f"offset {base + pos}", f"block length {length} cannot be right: the capture is "
                                 f"damaged here")
                    self.counts["corrupt_regions"] += 1
                    pos = self.resync_pcapng(buf, pos + 4, endian)
                    continue
                following = pos + length
                if following > size:
                    break
                if block_type == 6:
                    number += 1
                    if base + pos >= resume_at:
                        interface, high, low, captured, original = enhanced(buf, pos + 8)
                        start = pos + 28
                        # The same fast path as for libpcap records (see read_pcap).
                        if (interface < len(ethernet) and ethernet[interface] and captured >= 54
                                and start + captured <= following - 4 and buf[start + 12] == 8
                                and buf[start + 13] == 0 and buf[start + 14] == 0x45
                                and not (buf[start + 20] & 0x3F or buf[start + 21])):
                            tp = start + 34
                            total = buf[start + 16] << 8 | buf[start + 17]
                            if buf[start + 23] == 6:
                                if (total and not buf[tp + 13] & 0x02 and buf[tp + 12] >= 0x50
                                        and not (buf[tp + 1] == 53 and buf[tp] == 0)
                                        and not (buf[tp + 3] == 53 and buf[tp + 2] == 0)):
                                    header = 20 + ((buf[tp + 12] >> 4) << 2)
                                    if header == total or (header < total and flow_state(
                                            buf[start + 26:start + 34] + buf[tp:tp + 4]) is DONE):
                                        pos = following
                                        continue
                            elif buf[start + 23] == 17 and total >= 28:
                                dport = buf[tp + 2] << 8 | buf[tp + 3]
                                if dport != 53 and not (buf[tp + 1] == 53 and buf[tp] == 0):
                                    if dport != 443 and dport != 853 or flow_state(
                                            buf[start + 26:start + 34] + buf[tp:tp + 4]) is DONE:
                                        pos = following
                                        continue
                        if captured < original:
                            dissector.snapped = number
                        ts = self.packet_block(buf, start, captured, following - 4, interface, high, low,
                                               number, packet, dissector, ts)
                elif block_type == 3:
                    number += 1
                    if base + pos >= resume_at and interfaces:
                        original = struct.unpack_from(endian + "I", buf, pos + 8)[0]
                        captured = min(original, length - 16)
                        ts = self.packet_block(buf, pos + 12, captured, following - 4, 0, None, None, number,
                                               packet, dissector, ts)
                elif block_type == 2:
                    number += 1
                    if base + pos >= resume_at:
                        interface, _, high, low, captured, original = struct.unpack_from(endian + "HHIIII", buf,
                                                                                          pos + 8)
                        ts = self.packet_block(buf, pos + 28, captured, following - 4, interface, high, low,
                                               number, packet, dissector, ts)
                elif block_type == 1:
                    interfaces.append(self.interface(buf, pos, following, endian, len(interfaces)))
                    ethernet = [described.link == 1 for described in interfaces]
                pos = following
            self.packets = max(number, resume_packets)
            self.last_ts = ts
            self.offset = base + pos
            self.carry = buf[pos:]
            base = self.offset
            if last and self.carry:
                self.truncated(len(self.carry))
            if not on_block(self.offset, self.packets, ts):
                return False
        return True

    def packet_block(self, buf, start, captured, limit, interface, high, low, number, packet, dissector, ts):
        if start + captured > limit:
            self.problem(f"packet {number}", "packet block shorter than its captured length")
            self.counts["corrupt_regions"] += 1
            return ts
        try:
            described = self.interfaces[interface]
        except IndexError:
            self.problem(f"packet {number}", f"packet on interface {interface}, which no interface block describes")
            self.counts["corrupt_regions"] += 1
            return ts
        if high is not None:
            ts = ((high << 32) | low) * described.scale + described.offset
        if described.link in SUPPORTED_LINKTYPES:
            dissector.number = number
            packet(buf, start, start + captured, ts, described.link)
        else:
            described.skipped += 1
            self.counts["unknown_link_packets"] += 1
        return ts

    def interface(self, buf: bytes, pos: int, following: int, endian: str, index: int) -> Interface:
        link = struct.unpack_from(endian + "H", buf, pos + 8)[0]
        described = Interface(link)
        option = pos + 16
        while option + 4 <= following - 4:
            code, length = struct.unpack_from(endian + "HH", buf, option)
            if code == 0:
                break
            value = buf[option + 4:option + 4 + length]
            if code == 9 and length >= 1:  # if_tsresol
                exponent = value[0] & 0x7F
                described.scale = 2.0 ** -exponent if value[0] & 0x80 else 10.0 ** -exponent
            elif code == 14 and length == 8:  # if_tsoffset
                described.offset = float(struct.unpack(endian + "q", value)[0])
            option += 4 + ((length + 3) & ~3)
        if link not in SUPPORTED_LINKTYPES:
            self.problem(f"interface {index}", f"link type {linktype_name(link)} is not supported: its packets are "
                         f"counted, not read")
        return described

    def resync_pcapng(self, buf: bytes, start: int, endian: str) -> int:
        """The next offset holding a block whose trailing length repeats its leading one."""
        for pos in range(start - start % 4, len(buf) - 12, 4):
            block_type, length = struct.unpack_from(endian + "II", buf, pos)
            if block_type in (1, 2, 3, 5, 6) and 12 <= length <= MAX_BLOCK and not length & 3:
                if pos + length <= len(buf) and struct.unpack_from(endian + "I", buf, pos + length - 4)[0] == length:
                    return pos
        return len(buf)

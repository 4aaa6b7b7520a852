"""Reading pcap and pcapng records: timestamps, damage in the middle of a file, interfaces."""

import struct

from scanner.modules.pcap.capture_file import CaptureReader
from tests.modules.pcap.captures import T0, dns_query, write_pcap


class Recorder:
    def __init__(self):
        self.flows, self.frames, self.number = {}, [], 0

    def packet(self, buf, start, end, ts, link):
        self.frames.append((self.number, bytes(buf[start:end]), round(ts, 6), link))

    def tick(self, ts):
        pass


def read(path):
    recorder, problems = Recorder(), []
    with open(path, "rb") as stream:
        reader = CaptureReader(stream, recorder, problem=lambda where, message: problems.append((where, message)),
                               name="c")
        reader.read(lambda offset, packets, ts: True)
    return recorder.frames, problems, reader


def test_nanosecond_pcap_timestamps(tmp_path):
    frames, problems, _ = read(write_pcap(tmp_path / "ns.pcap", [dns_query("a.example", t=1.25)], nano=True))
    assert frames[0][2] == T0 + 1.25 and not problems


def test_a_damaged_record_header_is_reported_and_reading_resumes_at_the_next_record(tmp_path):
    path = write_pcap(tmp_path / "d.pcap", [dns_query(f"n{i}.example", t=i) for i in range(5)])
    data = bytearray(open(path, "rb").read())
    second = 24 + 16 + struct.unpack_from("<I", data, 24 + 8)[0]
    struct.pack_into("<I", data, second + 8, 0x7FFFFFFF)  # the second record's captured length
    open(path, "wb").write(bytes(data))
    frames, problems, reader = read(path)
    assert [frame[0] for frame in frames] == [1, 2, 3, 4]  # the damaged record is lost, the rest is read
    assert reader.counts["corrupt_regions"] == 1 and "impossible record length" in problems[0][1]


def pcapng_block(block_type, body):
    length = 12 + len(body)
    return struct.pack("<II", block_type, length) + body + struct.pack("<I", length)


def test_pcapng_interfaces_with_their_own_time_resolution(tmp_path):
    frame = bytes(dns_query("a.example"))
    shb = pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    microseconds = pcapng_block(1, struct.pack("<HHI", 1, 0, 0))
    milliseconds = pcapng_block(1, struct.pack("<HHI", 1, 0, 0) + struct.pack("<HHB3x", 9, 1, 3) + bytes(4))
    padded = frame + bytes(-len(frame) % 4)

    def epb(interface, stamp):
        return pcapng_block(6, struct.pack("<IIIII", interface, stamp >> 32, stamp & 0xFFFFFFFF, len(frame),
                                           len(frame)) + padded)

    path = tmp_path / "two.pcapng"
    path.write_bytes(shb + microseconds + milliseconds + epb(0, 1_700_000_000_500_000) + epb(1, 1_700_000_000_250))
    frames, problems, _ = read(path)
    assert [(f[0], f[2]) for f in frames] == [(1, 1_700_000_000.5), (2, 1_700_000_000.25)] and not problems

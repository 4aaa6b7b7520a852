"""Windows DNS Server debug log: length-encoded names, locale-dependent dates, CRLF, received queries only."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.windows_dns_debug import WindowsDnsDebug, question_name
from tests.modules.logs.formats.reading import first_seen, parse_each, scan_hits

KEY = """\
Message logging key (for packets - other items use a subset of these fields):
\tField #  Information         Values
\t-------  -----------         ------
\t   1     Date
\t   2     Time
\t   3     Thread ID
\t   4     Context
\t   5     Internal packet identifier
\t   6     UDP/TCP indicator
\t   7     Send/Receive indicator
\t   8     Remote IP
\t   9     Xid (hex)
\t  10     Query/Response      R = Response
\t                             blank = Query
\t  11     Opcode              Q = Standard Query
\t  12     [ Flags (hex)
\t  13     Flags (char codes)  A = Authoritative Answer
\t  14     ResponseCode ]
\t  15     Question Type
\t  16     Question Name

"""
EN_US = "DNS Server log file creation at 11/30/2025 1:00:00 AM\r\nLog file wrap at 11/30/2025 1:00:00 AM\r\n\r\n" + \
    KEY.replace("\n", "\r\n") + """\
11/30/2025 1:00:00 AM 0E1C PACKET  000000A1B2C3D4E5 UDP Rcv 10.0.0.5        1a2b   Q [0001   D   NOERROR] A      (7)chatgpt(3)com(0)\r
11/30/2025 1:00:00 AM 0E1C PACKET  000000A1B2C3D4E6 UDP Snd 192.0.2.53      7c21   Q [0001   D   NOERROR] A      (7)chatgpt(3)com(0)\r
11/30/2025 1:00:00 AM 0E1C PACKET  000000A1B2C3D4E7 UDP Rcv 192.0.2.53      7c21 R Q [8081   DR  NOERROR] A      (7)chatgpt(3)com(0)\r
11/30/2025 1:00:00 AM 0E1C PACKET  000000A1B2C3D4E5 UDP Snd 10.0.0.5        1a2b R Q [8081   DR  NOERROR] A      (7)chatgpt(3)com(0)\r
11/30/2025 1:00:02 PM 0E1C PACKET  000000A1B2C3D4E8 UDP Rcv 10.0.0.6        1a2c   Q [0001   D   NOERROR] AAAA   (3)api(6)openai(3)com(0)\r
11/30/2025 1:00:03 PM 0E1C PACKET  000000A1B2C3D4E9 UDP Rcv 10.0.0.7        1a2d   Q [0001   D   NOERROR] A      (3)www(6)debian(3)org(0)\r
11/30/2025 1:00:04 PM 0E1C PACKET  000000A1B2C3D4EA TCP Rcv 10.0.0.8        1a2e   U [2800       NOERROR] SOA    (7)example(8)internal(0)\r
11/30/2025 1:00:05 PM 0E1C EVENT   The DNS server has finished the background loading of zones.\r
"""
EN_GB = """\
DNS Server log file creation at 30/11/2025 13:00:00
Log file wrap at 30/11/2025 13:00:00

03/12/2025 13:00:01 0E1C PACKET  000000A1B2C3D4E5 UDP Rcv 10.0.0.5        1a2b   Q [0001   D   NOERROR] A      (6)claude(2)ai(0)
"""
FIXTURES = [("windows-dns-debug", EN_US), ("windows-dns-debug", EN_GB)]


def test_only_received_client_queries_count():
    results = [fields for fields in parse_each(WindowsDnsDebug, EN_US) if fields]
    assert results == [
        {"host": "chatgpt.com", "timestamp": "2025-11-30T01:00:00Z", "client": "10.0.0.5"},
        {"host": "api.openai.com", "timestamp": "2025-11-30T13:00:02Z", "client": "10.0.0.6"},
        {"host": "www.debian.org", "timestamp": "2025-11-30T13:00:03Z", "client": "10.0.0.7"},
    ]


def test_length_encoded_names_are_decoded():
    assert question_name("(3)api(6)openai(3)com(0)") == "api.openai.com"
    assert question_name("(0)") is None


def test_the_first_lines_tell_day_from_month_for_the_whole_file():
    assert parse_each(WindowsDnsDebug, EN_GB)[-1]["timestamp"] == "2025-12-03T13:00:01Z"


@pytest.mark.parametrize("date_time, expected", [
    ("3/4/2025 1:00:01 PM", "2025-03-04T13:00:01Z"),  # nothing tells: a 12-hour clock means month first
    ("3/4/2025 13:00:01", "2025-04-03T13:00:01Z"),  # nothing tells, 24-hour clock: day first
    ("25/4/2025 13:00:01", "2025-04-25T13:00:01Z"),  # the day cannot be the month
    ("04.03.2025 13:00:01", "2025-03-04T13:00:01Z"),  # de, ru
    ("2025-03-04 13:00:01", "2025-03-04T13:00:01Z"),  # sv
    ("2025/03/04 13:00:01", "2025-03-04T13:00:01Z"),  # ja
    ("20250304 13:00:01", "2025-03-04T13:00:01Z"),  # Windows Server 2003
    ("3/4/2025 12:00:01 AM", "2025-03-04T00:00:01Z"),
])
def test_locale_dates(date_time, expected):
    line = f"{date_time} 0E1C PACKET  000000A1B2C3D4E5 UDP Rcv 10.0.0.5        1a2b   Q [0001   D   NOERROR] A      (6)claude(2)ai(0)"
    assert WindowsDnsDebug().parse(line)["timestamp"] == expected


@pytest.mark.parametrize("line, reason", [
    ("11/30/2025 1:00:00 AM 0E1C PACKET  000000A1B2C3D4E5 UDP Rcv 10.0.0.5 1a2b Q (7)chatgpt(3)com(0)", "PACKET line not understood"),
    ("13/13/2025 1:00:00 0E1C PACKET  000000A1B2C3D4E5 UDP Rcv 10.0.0.5 1a2b   Q [0001   D   NOERROR] A (7)chatgpt(3)com(0)", "not a real date"),
])
def test_malformed_packet_lines_are_bad_records(line, reason):
    with pytest.raises(BadRecord, match=reason):
        WindowsDnsDebug().parse(line)


def test_scan_logs_reads_a_crlf_log_and_finds_the_clients(tmp_path, db_path):
    assert scan_hits(tmp_path, db_path, "dns.log", EN_US, newline="\r\n") == {
        ("chatgpt", "10.0.0.5"): 1, ("openai-api", "10.0.0.6"): 1,
    }
    assert first_seen(db_path, "openai-api") == "2025-11-30T13:00:02Z"

"""Squid logs with a custom logformat that keeps the native fields' order, read by the shape of the fields."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.squid_custom import SquidCustom
from tests.modules.logs.formats.reading import parse_each, scan_hits

# logformat extended %ts.%03tu %6tr %>a %>p %Ss/%03>Hs %<st %>st %<sh %>sh %rm %ru %rv %un %Sh/%<a %<p %mt "%{Referer}>h" "%{User-Agent}>h"
EXTENDED = """\
1764460800.391    104 10.0.0.5 58938 TCP_MISS/200 5120 812 364 123 POST https://chatgpt.com/backend-api/conversation 1.1 alice HIER_DIRECT/104.18.32.47 443 application/json "-" "Mozilla/5.0 (X11; Linux x86_64)"
1764460801.568    158 10.0.0.6 58948 TCP_TUNNEL/200 28854 2051 39 120 CONNECT api.openai.com:443 1.1 - HIER_DIRECT/162.159.140.245 443 - "-" "python-requests/2.31"
1764460802.379    790 10.0.0.7 58962 TCP_MISS/200 640 161 292 161 GET http://www.debian.org/ 1.1 grace HIER_DIRECT/151.101.2.132 80 text/html "https://claude.ai/" "curl (api.openai.com)"
1764460803.000      0 10.0.0.8 58970 TCP_DENIED/403 3900 0 0 0 NONE error:invalid-request 0.0 - HIER_NONE/- - text/html "-" "-"
"""
FIXTURES = [("squid-custom", EXTENDED)]


def test_fields_are_found_by_their_shape():
    results = parse_each(SquidCustom, EXTENDED)
    assert results[0] == {"host": "chatgpt.com", "path": "/backend-api/conversation",
                          "timestamp": "2025-11-30T00:00:00Z", "client": "10.0.0.5", "user": "alice",
                          "method": "POST", "status": "200", "bytes": 5120}
    assert results[1] == {"host": "api.openai.com", "timestamp": "2025-11-30T00:00:01Z", "client": "10.0.0.6",
                          "method": "CONNECT", "status": "200", "bytes": 28854}
    assert (results[2]["host"], results[2]["user"]) == ("www.debian.org", "grace")
    assert results[3] is None  # Squid's error:invalid-request names no host


def test_a_native_log_is_left_to_squid_native():
    native = "1764460800.391    104 10.0.0.5 TCP_MISS/200 5120 GET https://chatgpt.com/ alice HIER_DIRECT/104.18.32.47 text/html"
    assert not SquidCustom.sniff([native] * 3)


@pytest.mark.parametrize("line, reason", [
    ("yesterday 104 10.0.0.5 58938 TCP_MISS/200 5120 GET https://chatgpt.com/ alice", "no '%ts.%03tu' time first"),
    ("1764460800.391 104 10.0.0.5 58938 5120 812 GET https://chatgpt.com/ alice HIER_DIRECT/-", "no CODE/status"),
])
def test_malformed_lines_are_bad_records(line, reason):
    with pytest.raises(BadRecord, match=reason):
        SquidCustom().parse(line)


def test_scan_logs_reads_a_custom_logformat(tmp_path, db_path):
    assert scan_hits(tmp_path, db_path, "access.log", EXTENDED) == {
        ("chatgpt", "alice"): 1, ("openai-api", "10.0.0.6"): 1,
    }

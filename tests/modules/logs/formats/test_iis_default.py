"""IIS W3C logs without a #Fields header: the default field set and its common variants."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.iis_default import IisDefault
from tests.modules.logs.formats.reading import parse_each, scan_hits

# IIS in front of AI services (an ARR reverse proxy / AI gateway), several field selections in one file.
IIS = """\
2025-11-30 00:00:00 10.1.2.10 GET /healthz - 443 - 10.0.0.20 kube-probe/1.29 - 200 0 0 3
2025-11-30 00:00:01 W3SVC1 GW-01 10.1.2.10 POST /v1/chat/completions - 443 EXAMPLE\\ada 10.0.0.5 HTTP/1.1 python-httpx/0.27 - - api.openai.com 200 0 0 2048 812 640
2025-11-30 00:00:02 W3SVC1 10.1.2.10 GET /api/organizations - 443 - 10.0.0.6 HTTP/2.0 Mozilla/5.0+(Windows+NT+10.0) - claude.ai 200 0 0 4096 300 55
2025-11-30 00:00:03 GW-01 10.1.2.10 GET /index.html - 443 - 10.0.0.7 Mozilla/5.0 https://chatgpt.com/ 200 0 0 15 198.51.100.9
2025-11-30 00:00:04 W3SVC1 GW-01 10.1.2.10 GET / - 443 - 10.0.0.8 Mozilla/5.0 https://chatgpt.com/ www.debian.org 304 0 0 12
"""
FIXTURES = [("iis-w3c", IIS)]


def test_lines_are_read_by_the_iis_field_order():
    results = parse_each(IisDefault, IIS)
    assert results[0] is None  # the default field set has no host
    assert results[1] == {"host": "api.openai.com", "path": "/v1/chat/completions", "timestamp": "2025-11-30T00:00:01Z",
                          "client": "10.0.0.5", "user": "EXAMPLE\\ada", "method": "POST", "status": "200",
                          "bytes": 2048}
    assert (results[2]["host"], results[2]["client"], results[2]["bytes"]) == ("claude.ai", "10.0.0.6", 4096)
    assert results[3] is None  # a referer is not a host
    assert results[4]["host"] == "www.debian.org"


def test_a_line_that_is_not_iis_is_a_bad_record():
    with pytest.raises(BadRecord, match="not an IIS W3C line"):
        IisDefault().parse("2025-11-30 00:00:00 something else entirely")


def test_a_log_with_its_header_is_left_to_w3c_extended():
    assert not IisDefault.sniff(["#Fields: date time s-ip cs-method", *IIS.splitlines()])


def test_scan_logs_reads_headerless_iis(tmp_path, db_path):
    assert scan_hits(tmp_path, db_path, "u_ex251130.log", IIS) == {
        ("openai-api", "EXAMPLE\\ada"): 1, ("claude", "10.0.0.6"): 1,
    }

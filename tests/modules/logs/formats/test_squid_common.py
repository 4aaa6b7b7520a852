"""Squid common/combined format: Apache-style forward-proxy lines with absolute URLs and CONNECT targets."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.squid_common import SquidCommon
from tests.modules.logs.formats.reading import found, parse_each, scan_hits

COMBINED = """\
10.0.0.5 - alice [30/Nov/2025:01:00:00 +0100] "GET https://chatgpt.com/backend-api/conversation?x=1 HTTP/1.1" 200 5120 "-" "Mozilla/5.0 (X11; Linux x86_64)" TCP_MISS:HIER_DIRECT
10.0.0.5 - alice [30/Nov/2025:01:00:05 +0100] "CONNECT api.openai.com:443 HTTP/1.1" 200 10412 "-" "python-requests/2.31" TCP_TUNNEL:HIER_DIRECT
10.0.0.7 - - [30/Nov/2025:01:00:09 +0100] "CONNECT claude.ai:443 HTTP/1.1" 200 3311 "-" "Mozilla/5.0" TCP_TUNNEL:HIER_DIRECT
10.0.0.7 - bob%40example.com [30/Nov/2025:01:00:12 +0100] "GET http://www.debian.org/ HTTP/1.1" 304 0 "-" "Mozilla/5.0 (api.openai.com)" TCP_REFRESH_UNMODIFIED:HIER_DIRECT
10.0.0.8 - - [30/Nov/2025:01:00:15 +0100] "GET https://www.wikipedia.org/wiki/ChatGPT HTTP/1.1" 200 81234 "https://chatgpt.com/" "Mozilla/5.0" TCP_MISS:HIER_DIRECT
10.0.0.9 - carol [29/Nov/2025:19:00:20 -0500] "GET https://gemini.google.com/app HTTP/1.1" 200 2048 TCP_MISS:HIER_DIRECT
10.0.0.9 - - [30/Nov/2025:01:00:21 +0100] "NONE error:invalid-request HTTP/0.0" 400 3901 TCP_DENIED:HIER_NONE
"""
FIXTURES = [("squid-common", COMBINED)]


def test_combined_and_common_lines_give_host_user_and_utc_time():
    assert found(SquidCommon, COMBINED)[:3] == [
        {"host": "chatgpt.com", "path": "/backend-api/conversation?x=1", "timestamp": "2025-11-30T00:00:00Z",
         "client": "10.0.0.5", "user": "alice", "method": "GET", "status": "200", "bytes": 5120},
        {"host": "api.openai.com", "timestamp": "2025-11-30T00:00:05Z", "client": "10.0.0.5", "user": "alice",
         "method": "CONNECT", "status": "200", "bytes": 10412},
        {"host": "claude.ai", "timestamp": "2025-11-30T00:00:09Z", "client": "10.0.0.7", "method": "CONNECT",
         "status": "200", "bytes": 3311},
    ]
    gemini = found(SquidCommon, COMBINED)[-1]
    assert (gemini["host"], gemini["user"], gemini["timestamp"]) == ("gemini.google.com", "carol", "2025-11-30T00:00:20Z")


def test_user_is_url_decoded_and_hosts_come_from_the_request_not_referer_or_agent():
    results = parse_each(SquidCommon, COMBINED)
    assert (results[3]["host"], results[3]["user"]) == ("www.debian.org", "bob@example.com")
    assert results[4]["host"] == "www.wikipedia.org"
    assert results[6] is None  # Squid's error:invalid-request names no host


def test_an_origin_form_request_names_no_host():
    line = '10.0.0.5 - - [30/Nov/2025:01:00:00 +0000] "GET /index.html HTTP/1.1" 200 10'
    assert SquidCommon().parse(line) is None


@pytest.mark.parametrize("line, reason", [
    ('10.0.0.5 - alice [30/Nov/2025:01:00:00 +0100] "GET https://chatgpt.com/ HTTP/1.1"', "not a common/combined line"),
    ('10.0.0.5 - alice [31/Foo/2025:01:00:00 +0100] "GET https://chatgpt.com/ HTTP/1.1" 200 1', "time '31/Foo/2025"),
])
def test_malformed_lines_are_bad_records(line, reason):
    with pytest.raises(BadRecord, match=reason):
        SquidCommon().parse(line)


def test_scan_logs_finds_each_ai_service_per_user(tmp_path, db_path):
    assert scan_hits(tmp_path, db_path, "access.log", COMBINED) == {
        ("chatgpt", "alice"): 1, ("openai-api", "alice"): 1, ("claude", "10.0.0.7"): 1, ("gemini", "carol"): 1,
    }

"""BIND 9 query log: its own file with print-time, and inside syslog as Infoblox NIOS writes it."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.bind_query import BindQuery
from tests.modules.logs.formats.reading import parse_each, scan_files

PLAIN = """\
30-Nov-2025 01:00:00.123 queries: info: client @0x7f1dd4114af0 10.0.0.5#53000 (chatgpt.com): query: chatgpt.com IN A +E(0)K (10.0.0.53)
30-Nov-2025 01:00:01.000 queries: info: client @0x7f1dd4114af0 10.0.0.6#53001 (www.debian.org): view internal: query: www.debian.org IN AAAA +E(0) (10.0.0.53)
30-Nov-2025 01:00:02.000 queries: info: client @0x7f1dd4114af0 10.0.0.7#53002 (api.openai.com): query: api.openai.com IN HTTPS +E(0)K (10.0.0.53)
30-Nov-2025 01:00:03.000 query-errors: info: client @0x7f1dd4114af0 10.0.0.7#53002 (api.openai.com): query failed (SERVFAIL) for api.openai.com/IN/HTTPS at query.c:7375
30-Nov-2025 01:00:04.000 queries: info: client @0x7f1dd4114af0 10.0.0.8#53003 (version.bind): query: version.bind CH TXT + (10.0.0.53)
30-Nov-2025 01:00:05.000 general: info: zone example.internal/IN: loaded serial 2025113001
30-Nov-2025 01:00:06.000 client 2001:db8::5#53004: query: claude.ai IN A + (2001:db8::53)
"""
INFOBLOX = """\
<30>Nov 30 01:00:00 ns1.example.internal named[17742]: client @0x7f1dd4114af0 10.0.0.5#59735 (claude.ai): query: claude.ai IN A + (10.0.0.53)
<30>Nov 30 01:00:01 ns1.example.internal named[17742]: infoblox-responses: 30-Nov-2025 01:00:01.046 client 10.0.0.6#57738: UDP: query: api.anthropic.com IN A response: NOERROR + api.anthropic.com. 60 IN A 160.79.104.10;
<30>Nov 30 01:00:02 ns1.example.internal 10.0.0.53 named[17742]: client @0x7f1dd4114af0 10.0.0.7#59736 (www.debian.org): view 1: query: www.debian.org IN A + (10.0.0.53)
<29>Nov 30 01:00:03 ns1.example.internal ntpd[812]: adjusting local clock by 0.0012s
<30>Nov 30 01:00:04 ns1.example.internal named[17742]: CEF:0|Infoblox|NIOS|8.6.2|RPZ-QNAME|NXDOMAIN|7|app=DNS dst=10.0.0.53 src=10.0.0.8 spt=51424 view=_default qtype=A msg="rpz QNAME NXDOMAIN rewrite chatgpt.com [A] via chatgpt.com.rpz.example" CAT=RPZ
<30>Nov 30 01:00:05 ns1.example.internal named[17742]: 30-Nov-2025 01:00:05.010 client 10.0.0.9#57398 UDP: query: gemini.local IN A response: NXDOMAIN +ED
"""
FIXTURES = [("bind-query", PLAIN), ("bind-query", INFOBLOX)]


def test_plain_query_log_gives_name_client_and_bind_time():
    results = parse_each(BindQuery, PLAIN)
    assert results[0] == {"host": "chatgpt.com", "timestamp": "2025-11-30T01:00:00Z", "client": "10.0.0.5"}
    assert (results[1]["host"], results[1]["client"]) == ("www.debian.org", "10.0.0.6")  # with a view
    assert results[2]["host"] == "api.openai.com"
    assert results[3:6] == [None, None, None]  # query failed, CHAOS class, another category
    assert (results[6]["host"], results[6]["client"]) == ("claude.ai", "2001:db8::5")  # BIND before 9.10


def test_infoblox_syslog_lines_in_every_layout():
    results = parse_each(BindQuery, INFOBLOX)
    assert [(fields["host"], fields["client"]) if fields else None for fields in results] == [
        ("claude.ai", "10.0.0.5"), ("api.anthropic.com", "10.0.0.6"), ("www.debian.org", "10.0.0.7"),
        None, None,  # another program; an RPZ event naming chatgpt.com in its message
        ("gemini.local", "10.0.0.9"),
    ]
    assert results[1]["timestamp"] == "2025-11-30T01:00:01Z"  # BIND's own time, with its year
    assert results[0]["timestamp"].endswith("-11-30T01:00:00Z")  # the syslog header's, year inferred


def test_a_line_that_is_not_bind_is_a_bad_record():
    with pytest.raises(BadRecord, match="not a BIND log line"):
        BindQuery().parse("hello from a misplaced file")


def test_a_bad_bind_time_is_a_bad_record():
    with pytest.raises(BadRecord, match="BIND time"):
        BindQuery().parse("31-Foo-2025 01:00:00.000 client 10.0.0.5#1: query: claude.ai IN A +")


def test_scan_logs_counts_queries_only(tmp_path, db_path):
    assert scan_files(tmp_path, db_path, {"query.log": PLAIN, "infoblox.log": INFOBLOX}) == {
        ("query.log", "chatgpt", "10.0.0.5"): 1, ("query.log", "openai-api", "10.0.0.7"): 1,
        ("query.log", "claude", "2001:db8::5"): 1,
        ("infoblox.log", "claude", "10.0.0.5"): 1, ("infoblox.log", "anthropic-api", "10.0.0.6"): 1,
    }

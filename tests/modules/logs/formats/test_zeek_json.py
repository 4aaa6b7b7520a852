"""Zeek dns.log, http.log and ssl.log as JSON lines: each record's log told by _path or by its keys."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.zeek_json import ZeekDnsJson, ZeekHttpJson, ZeekSslJson
from tests.modules.logs.formats.reading import found, parse_each, scan_files

DNS = """\
{"ts":1764460800.123456,"uid":"CHhAvVGS1DHFjwGM9","id.orig_h":"10.0.0.5","id.orig_p":53211,"id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","trans_id":4123,"rtt":0.012,"query":"chatgpt.com","qclass":1,"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","AA":false,"TC":false,"RD":true,"RA":true,"Z":0,"answers":["104.18.32.47"],"TTLs":[60.0],"rejected":false}
{"ts":1764460801.5,"uid":"Cgroq4openai1xQ2","id.orig_h":"10.0.0.6","id.orig_p":53212,"id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","trans_id":4124,"query":"www.debian.org","qtype_name":"A","rcode_name":"NOERROR","answers":["api.openai.com","151.101.2.132"],"rejected":false}
{"ts":1764460802.0,"uid":"CmES5u32sYpV7JYN","id.orig_h":"10.0.0.7","id.orig_p":5353,"id.resp_h":"224.0.0.251","id.resp_p":5353,"proto":"udp","trans_id":0,"query":"gemini.local","qclass":1,"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rejected":false}
{"ts":1764460803.0,"uid":"CP5puj4I8PtEU4qzYg","id.orig_h":"10.0.0.7","id.orig_p":41000,"id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","trans_id":4125,"query":"api.openai.com","qtype_name":"AAAA","rcode_name":"NOERROR","rejected":false}
{"ts":1764460804.0,"uid":"C37jN32gN3y3AZzyf6","id.orig_h":"10.0.0.8","id.orig_p":40526,"id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","trans_id":26096,"rcode_name":"NOERROR","rejected":false}
"""
# Written with JSON::TS_ISO8601 and _path, as a Zeek that streams its logs writes them.
HTTP = """\
{"_path":"http","_write_ts":"2025-11-30T00:00:00.100000Z","ts":"2025-11-30T00:00:00.000000Z","uid":"CUM0KZ3MLUfNB0cl11","id.orig_h":"10.0.0.5","id.orig_p":48649,"id.resp_h":"104.18.32.47","id.resp_p":80,"trans_depth":1,"method":"POST","host":"chatgpt.com","uri":"/backend-api/conversation","version":"1.1","user_agent":"Mozilla/5.0","request_body_len":412,"response_body_len":5120,"status_code":200,"status_msg":"OK","username":"alice","tags":[]}
{"_path":"http","_write_ts":"2025-11-30T00:00:01.100000Z","ts":"2025-11-30T00:00:01.000000Z","uid":"Cclaude2CwjjYJ","id.orig_h":"10.0.0.6","id.orig_p":49997,"id.resp_h":"208.80.152.3","id.resp_p":80,"trans_depth":1,"method":"GET","host":"www.debian.org","uri":"/","referrer":"https://claude.ai/","user_agent":"Mozilla/5.0 (api.openai.com)","status_code":304,"tags":[]}
{"_path":"http","_write_ts":"2025-11-30T00:00:02.100000Z","ts":"2025-11-30T00:00:02.000000Z","uid":"C3eiCBGOLw3VtHfOj","id.orig_h":"10.0.0.7","id.orig_p":49996,"id.resp_h":"23.55.163.58","id.resp_p":80,"trans_depth":1,"version":"1.0","status_code":200,"tags":[]}
"""
SSL = """\
{"ts":1764460800.0,"uid":"Cclaude1ai2Zx","id.orig_h":"10.0.0.5","id.orig_p":50000,"id.resp_h":"160.79.104.10","id.resp_p":443,"version":"TLSv13","cipher":"TLS_AES_128_GCM_SHA256","curve":"x25519","server_name":"claude.ai","resumed":false,"next_protocol":"h2","established":true,"ssl_history":"CsiI"}
{"ts":1764460801.0,"uid":"CopenaiXy3","id.orig_h":"10.0.0.6","id.orig_p":50001,"id.resp_h":"151.101.2.132","id.resp_p":443,"version":"TLSv13","cipher":"TLS_AES_128_GCM_SHA256","server_name":"www.debian.org","resumed":false,"established":true,"ssl_history":"CsiI"}
{"ts":1764460802.0,"uid":"Cq7tOpILpDNH5Gri","id.orig_h":"10.0.0.7","id.orig_p":50002,"id.resp_h":"10.47.3.200","id.resp_p":443,"version":"TLSv10","cipher":"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA","resumed":false,"established":true,"ssl_history":"CsxknGIi"}
"""
FIXTURES = [("zeek-dns-json", DNS), ("zeek-http-json", HTTP), ("zeek-ssl-json", SSL)]


def test_dns_records_give_query_client_and_time():
    assert found(ZeekDnsJson, DNS) == [
        {"host": "chatgpt.com", "timestamp": "2025-11-30T00:00:00Z", "client": "10.0.0.5"},
        {"host": "www.debian.org", "timestamp": "2025-11-30T00:00:01Z", "client": "10.0.0.6"},
        {"host": "gemini.local", "timestamp": "2025-11-30T00:00:02Z", "client": "10.0.0.7"},
        {"host": "api.openai.com", "timestamp": "2025-11-30T00:00:03Z", "client": "10.0.0.7"},
    ]
    assert parse_each(ZeekDnsJson, DNS)[-1] is None  # no query


def test_http_records_with_iso_times_give_host_path_user():
    assert found(ZeekHttpJson, HTTP) == [
        {"host": "chatgpt.com", "timestamp": "2025-11-30T00:00:00Z", "client": "10.0.0.5",
         "path": "/backend-api/conversation", "method": "POST", "status": "200", "user": "alice", "bytes": 5120},
        {"host": "www.debian.org", "timestamp": "2025-11-30T00:00:01Z", "client": "10.0.0.6", "path": "/",
         "method": "GET", "status": "304"},
    ]


def test_a_stream_mixing_logs_is_read_whole():
    mixed = HTTP.splitlines()[0] + "\n" + SSL.splitlines()[0].replace('{"ts"', '{"_path":"ssl","ts"') + "\n"
    assert [fields["host"] for fields in found(ZeekHttpJson, mixed)] == ["chatgpt.com", "claude.ai"]


def test_a_splunk_export_of_a_zeek_record_is_unwrapped():
    raw = SSL.splitlines()[0].replace('"', '\\"')
    line = '{"preview":false,"offset":0,"result":{"_raw":"' + raw + '","sourcetype":"zeek:ssl"}}'
    assert ZeekSslJson().parse(line)["host"] == "claude.ai"


@pytest.mark.parametrize("line, reason", [
    ('{"ts":1764460800.0,"uid":"Cx","id.orig_h":"10.0.0.5","query":"claude.ai"', "not valid JSON"),
    ('{"ts":1764460800.0,"query":"claude.ai","trans_id":1}', "not a Zeek dns, http or ssl record"),
    ('{"ts":"last week","uid":"Cx","id.orig_h":"10.0.0.5","trans_id":1,"query":"claude.ai"}', "timestamp 'last week'"),
])
def test_malformed_records_are_bad_records(line, reason):
    with pytest.raises(BadRecord, match=reason):
        ZeekDnsJson().parse(line)


def test_scan_logs_matches_the_host_field_only(tmp_path, db_path):
    assert scan_files(tmp_path, db_path, {"dns.json": DNS, "http.json": HTTP, "ssl.json": SSL}) == {
        ("dns.json", "chatgpt", "10.0.0.5"): 1, ("dns.json", "openai-api", "10.0.0.7"): 1,
        ("http.json", "chatgpt", "alice"): 1, ("ssl.json", "claude", "10.0.0.5"): 1,
    }

"""Zeek dns.log, http.log and ssl.log in Zeek's TSV format: columns from #fields, escapes, unset fields."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.zeek_tsv import ZeekDnsTsv, ZeekHttpTsv, ZeekSslTsv, unescape
from tests.modules.logs.formats.reading import first_seen, found, parse_each, scan_files

HEADER = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
DNS = HEADER + """\
#path\tdns
#open\t2025-11-30-00-00-00
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected
#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool
1764460800.123456\tCHhAvVGS1DHFjwGM9\t10.0.0.5\t53211\t10.0.0.53\t53\tudp\t4123\t0.012000\tchatgpt.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t104.18.32.47\t60.000000\tF
1764460801.500000\tCgroq4openai1xQ2\t10.0.0.6\t53212\t10.0.0.53\t53\tudp\t4124\t0.010000\twww.debian.org\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\tapi.openai.com,151.101.2.132\t300.000000,60.000000\tF
1764460802.000000\tCmES5u32sYpV7JYN\tfe80::217:f2ff:fed7:cf65\t5353\tff02::fb\t5353\tudp\t0\t-\tgemini.local\t1\tC_INTERNET\t1\tA\t-\t-\tF\tF\tF\tF\t0\t-\t-\tF
1764460803.000000\tCP5puj4I8PtEU4qzYg\t10.0.0.7\t41000\t10.0.0.53\t53\tudp\t4125\t-\tapi.openai.com\t1\tC_INTERNET\t28\tAAAA\t0\tNOERROR\tF\tF\tT\tT\t0\t-\t-\tF
1764460804.000000\tC37jN32gN3y3AZzyf6\t10.0.0.8\t40526\t10.0.0.53\t53\tudp\t26096\t-\t-\t-\t-\t-\t-\t0\tNOERROR\tF\tF\tF\tF\t0\t-\t-\tF
#close\t2025-11-30-01-00-00
"""
# An older Zeek (2.x) http.log: fewer columns, in another order.
HTTP = HEADER + """\
#path\thttp
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi\treferrer\tuser_agent\trequest_body_len\tresponse_body_len\tstatus_code\tstatus_msg\tinfo_code\tinfo_msg\tfilename\ttags\tusername\tpassword\tproxied\torig_fuids\torig_mime_types\tresp_fuids\tresp_mime_types
#types\ttime\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\tstring\tstring\tcount\tcount\tcount\tstring\tcount\tstring\tstring\tset[enum]\tstring\tstring\tset[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]
1764460800.000000\tCUM0KZ3MLUfNB0cl11\t10.0.0.5\t48649\t104.18.32.47\t80\t1\tGET\tchatgpt.com\t/backend-api/me?token=x\t-\tMozilla/5.0\t0\t512\t200\tOK\t-\t-\t-\t(empty)\talice\t-\t-\t-\t-\tFhz1\ttext/json
1764460801.000000\tCwjjYJ2WqgTbAqiHl6\t10.0.0.6\t49997\t208.80.152.3\t80\t1\tGET\twww.debian.org\t/\thttps://claude.ai/\tMozilla/5.0 (api.openai.com)\t0\t0\t304\tNot Modified\t-\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\t-
1764460802.000000\tC3eiCBGOLw3VtHfOj\t10.0.0.7\t49996\t10.0.0.3\t3128\t1\tCONNECT\tapi.openai.com:443\tapi.openai.com:443\t-\tcurl/8.5.0\t0\t0\t200\tConnection established\t-\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\t-
"""
SSL = HEADER + """\
#path\tssl
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tcipher\tcurve\tserver_name\tresumed\tlast_alert\tnext_protocol\testablished\tssl_history\tcert_chain_fps\tclient_cert_chain_fps\tsni_matches_cert\tvalidation_status
#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tstring\tstring\tstring\tbool\tstring\tstring\tbool\tstring\tvector[string]\tvector[string]\tbool\tstring
1764460800.000000\tCclaude1ai2Zx\t10.0.0.5\t50000\t160.79.104.10\t443\tTLSv13\tTLS_AES_128_GCM_SHA256\tx25519\tclaude.ai\tF\t-\th2\tT\tCsiI\t-\t-\t-\t-
1764460801.000000\tCopenaiXy3\t10.0.0.6\t50001\t151.101.2.132\t443\tTLSv13\tTLS_AES_128_GCM_SHA256\tx25519\twww.debian.org\tF\t-\th2\tT\tCsiI\t-\t-\t-\t-
1764460802.000000\tCq7tOpILpDNH5Gri\t10.0.0.7\t50002\t10.47.3.200\t443\tTLSv10\tTLS_ECDHE_RSA_WITH_AES_256_CBC_SHA\tsecp256r1\t-\tF\t-\t-\tT\tCsxknGIi\tb2dafbcd\t(empty)\t-\tok
"""
FIXTURES = [("zeek-dns", DNS), ("zeek-http", HTTP), ("zeek-ssl", SSL)]


def test_dns_rows_are_read_by_the_names_in_fields():
    assert found(ZeekDnsTsv, DNS) == [
        {"host": "chatgpt.com", "timestamp": "2025-11-30T00:00:00Z", "client": "10.0.0.5"},
        {"host": "www.debian.org", "timestamp": "2025-11-30T00:00:01Z", "client": "10.0.0.6"},
        {"host": "gemini.local", "timestamp": "2025-11-30T00:00:02Z", "client": "fe80::217:f2ff:fed7:cf65"},
        {"host": "api.openai.com", "timestamp": "2025-11-30T00:00:03Z", "client": "10.0.0.7"},
    ]


def test_header_and_unset_query_lines_name_no_host():
    results = parse_each(ZeekDnsTsv, DNS)
    assert results[:8] == [None] * 8  # the header block
    assert results[-2] is None  # query unset
    assert results[-1] is None  # #close


def test_http_rows_give_host_uri_method_status_and_user_from_an_older_layout():
    first, debian, connect = found(ZeekHttpTsv, HTTP)
    assert first == {"host": "chatgpt.com", "timestamp": "2025-11-30T00:00:00Z", "client": "10.0.0.5",
                     "path": "/backend-api/me?token=x", "method": "GET", "status": "200", "user": "alice",
                     "bytes": 512}
    assert debian["host"] == "www.debian.org"  # not the referrer or the user agent
    assert connect["host"] == "api.openai.com"


def test_ssl_rows_give_the_server_name_and_nothing_without_one():
    assert [fields["host"] if fields else None for fields in parse_each(ZeekSslTsv, SSL)[-3:]] == \
        ["claude.ai", "www.debian.org", None]


def test_escaped_bytes_are_decoded():
    assert unescape("caf\\xc3\\xa9.example") == "café.example"
    assert unescape("/literal_\\\\x07") == "/literal_\\x07"
    row = DNS.splitlines()[8].replace("chatgpt.com", "caf\\xc3\\xa9.example")
    assert found(ZeekDnsTsv, DNS.replace(DNS.splitlines()[8], row))[0]["host"] == "café.example"


def test_a_header_with_another_separator_is_followed():
    text = ("#separator \\x2c\n#unset_field,-\n#path,dns\n#fields,ts,uid,id.orig_h,query,trans_id\n"
            "1764460800.0,Cx1,10.0.0.5,claude.ai,7\n")
    assert ZeekDnsTsv.sniff(text.splitlines())
    assert found(ZeekDnsTsv, text) == [{"host": "claude.ai", "timestamp": "2025-11-30T00:00:00Z",
                                        "client": "10.0.0.5"}]


@pytest.mark.parametrize("row, reason", [
    ("1764460800.0\tCx1\t10.0.0.5", "expected 24 fields"),
    ("yesterday\tCx1\t10.0.0.5\t1\t10.0.0.53\t53\tudp\t1\t-\tclaude.ai" + "\t-" * 14, "timestamp 'yesterday'"),
])
def test_malformed_rows_are_bad_records(row, reason):
    parser = ZeekDnsTsv()
    parser.prime(DNS.splitlines()[:9])
    with pytest.raises(BadRecord, match=reason):
        parser.parse(row)


def test_a_row_before_any_header_is_a_bad_record():
    with pytest.raises(BadRecord, match="before any #fields"):
        ZeekDnsTsv().parse("1764460800.0\tCx1\t10.0.0.5")


def test_scan_logs_matches_the_host_field_only(tmp_path, db_path):
    assert scan_files(tmp_path, db_path, {"dns.log": DNS, "http.log": HTTP, "ssl.log": SSL}) == {
        ("dns.log", "chatgpt", "10.0.0.5"): 1, ("dns.log", "openai-api", "10.0.0.7"): 1,
        ("http.log", "chatgpt", "alice"): 1, ("http.log", "openai-api", "10.0.0.7"): 1,
        ("ssl.log", "claude", "10.0.0.5"): 1,
    }
    assert first_seen(db_path, "claude") == "2025-11-30T00:00:00Z"

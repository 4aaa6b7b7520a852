"""Cisco Umbrella DNS and proxy logs: quoted CSV without a header, identities turned into user or client."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.cisco_umbrella import UmbrellaDns, UmbrellaProxy
from tests.modules.logs.formats.reading import parse_each, scan_files

DNS = """\
"2025-11-30 00:00:00","Lovelace, Ada (ada.lovelace@example.com)","Lovelace, Ada (ada.lovelace@example.com),LAPTOP-7F3K2","10.0.0.5","198.51.100.7","Allowed","1 (A)","NOERROR","chatgpt.com.","Generative AI,Application","AD Users","AD Users,Anyconnect Roaming Client",""
"2025-11-30 00:00:01","LAPTOP-7F3K2","LAPTOP-7F3K2,HQ","10.0.0.6","198.51.100.7","Allowed","28 (AAAA)","NOERROR","api.openai.com.","Generative AI,Application","Roaming Computers","Roaming Computers,Sites",""
"2025-11-30 00:00:02","HQ-Internal","HQ-Internal,Default Site","10.0.0.7","198.51.100.7","Blocked","1 (A)","NOERROR","claude.ai.","Generative AI,Block List","Internal Networks","Internal Networks,Sites","Generative AI"
"2025-11-30 00:00:03","HQ-Internal","HQ-Internal,Default Site","10.0.0.8","198.51.100.7","Allowed","1 (A)","NOERROR","www.debian.org.","Software/Technology,chatgpt.com","Internal Networks","Internal Networks,Sites",""
"2015-01-16 17:48:41","ActiveDirectoryUserName", "ActiveDirectoryUserName,ADSite,Network", "10.10.1.100","198.51.100.7","Allowed","1 (A)", "NOERROR","gemini.google.com.", "Chat,Application"
"""
PROXY = """\
"2025-11-30 00:00:00","LAPTOP-7F3K2","10.0.0.6","198.51.100.7","104.18.32.47","application/json","ALLOWED","https://chatgpt.com/backend-api/conversation","","Mozilla/5.0","200","812","5120","4980","","Generative AI","","","","","","Roaming Computers","","LAPTOP-7F3K2,HQ","Roaming Computers,Sites","POST","","","conversation","","",""
"2025-11-30 00:00:01","HQ-Internal","10.0.0.7","198.51.100.7","151.101.2.132","text/html","ALLOWED","http://www.debian.org/","https://claude.ai/","Mozilla/5.0 (api.openai.com)","200","512","20480","20000","","Software/Technology","","","","","","Internal Networks","","HQ-Internal","Internal Networks","GET","","","","","",""
"2025-11-30 00:00:02","HQ-Internal","","198.51.100.7","162.159.140.245","","BLOCKED","https://api.openai.com/v1/models","","python-requests/2.31","403","300","","","","Generative AI","","","","","","Networks","Generative AI","HQ-Internal","Networks","GET","","","models","","",""
"""
FIXTURES = [("umbrella-dns", DNS), ("umbrella-proxy", PROXY)]


def test_dns_rows_give_domain_and_who_by_identity_type():
    results = parse_each(UmbrellaDns, DNS)
    assert results[0] == {"host": "chatgpt.com", "timestamp": "2025-11-30T00:00:00Z",
                          "user": "ada.lovelace@example.com", "client": "10.0.0.5"}
    assert results[1] == {"host": "api.openai.com", "timestamp": "2025-11-30T00:00:01Z", "client": "LAPTOP-7F3K2"}
    assert results[2] == {"host": "claude.ai", "timestamp": "2025-11-30T00:00:02Z", "client": "10.0.0.7"}
    assert results[3]["host"] == "www.debian.org"  # not the categories column
    assert results[4]["user"] == "ActiveDirectoryUserName"  # an old 10-column export, spaces after commas


def test_proxy_rows_give_url_host_path_method_and_who():
    results = parse_each(UmbrellaProxy, PROXY)
    assert results[0] == {"host": "chatgpt.com", "path": "/backend-api/conversation",
                          "timestamp": "2025-11-30T00:00:00Z", "method": "POST", "status": "200", "bytes": 5120,
                          "client": "LAPTOP-7F3K2"}
    assert (results[1]["host"], results[1]["client"]) == ("www.debian.org", "10.0.0.7")
    assert (results[2]["host"], results[2]["client"]) == ("api.openai.com", "HQ-Internal")  # no internal IP


def test_an_optional_header_row_is_not_a_record():
    header = '"Timestamp","Most Granular Identity","Identities","Internal IP","External IP","Action","QueryType","ResponseCode","Domain","Categories"'
    assert UmbrellaDns().parse(header) is None


@pytest.mark.parametrize("log_format, line, reason", [
    (UmbrellaDns, '"2025-11-30 00:00:00","ada","ada","10.0.0.5","198.51.100.7","Allowed","A","NOERROR","chatgpt.com.","AI"', "query type like '1 \\(A\\)'"),
    (UmbrellaDns, '"30/11/2025","ada","ada","10.0.0.5","198.51.100.7","Allowed","1 (A)","NOERROR","chatgpt.com.","AI"', "the first field is not a time"),
    (UmbrellaDns, '"2025-11-30 00:00:00","ada,"ada"', "not a well-formed CSV line"),
    (UmbrellaProxy, '"2025-11-30 00:00:00","HQ","10.0.0.5","198.51.100.7","1.2.3.4","","ALLOWED","chatgpt.com"', "URL in the 8th"),
])
def test_malformed_rows_are_bad_records(log_format, line, reason):
    with pytest.raises(BadRecord, match=reason):
        log_format().parse(line)


def test_scan_logs_reads_both_exports(tmp_path, db_path):
    assert scan_files(tmp_path, db_path, {"dnslogs.csv": DNS, "proxylogs.csv": PROXY}) == {
        ("dnslogs.csv", "chatgpt", "ada.lovelace@example.com"): 1, ("dnslogs.csv", "openai-api", "LAPTOP-7F3K2"): 1,
        ("dnslogs.csv", "claude", "10.0.0.7"): 1, ("dnslogs.csv", "gemini", "ActiveDirectoryUserName"): 1,
        ("proxylogs.csv", "chatgpt", "LAPTOP-7F3K2"): 1, ("proxylogs.csv", "openai-api", "HQ-Internal"): 1,
    }

"""W3C extended logs with a #Fields header: ProxySG ELFF and IIS, read by field name."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.w3c_extended import W3cExtended
from tests.modules.logs.formats.reading import parse_each, scan_files

PROXYSG = """\
#Software: SGOS 7.3.16.2
#Version: 1.0
#Start-Date: 2025-11-30 00:00:00
#Date: 2025-11-30 00:00:00
#Fields: date time time-taken c-ip sc-status s-action sc-bytes cs-bytes cs-method cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-username cs-auth-group s-supplier-name rs(Content-Type) cs(Referer) cs(User-Agent) sc-filter-result cs-categories x-virus-id s-ip
#Remark: 0071997075 "PROXY-01" "10.1.1.10" "main"
2025-11-30 00:00:00 48 10.0.0.5 200 TCP_NC_MISS 5120 812 POST https chatgpt.com 443 /backend-api/conversation ?model=auto ada - chatgpt.com application/json - "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" OBSERVED "Artificial Intelligence" - 10.1.1.10
2025-11-30 00:00:01 382 10.0.0.6 200 TCP_TUNNELED 4120 912 CONNECT tcp api.openai.com 443 / - grace - - - - "python-requests/2.31" OBSERVED "Artificial Intelligence" - 10.1.1.10
2025-11-30 00:00:02 31 10.0.0.7 200 TCP_HIT 20480 400 GET http www.debian.org 80 / - - - www.debian.org text/html https://claude.ai/ "Mozilla/5.0 (api.openai.com)" OBSERVED "Technology/Internet" - 10.1.1.10
2025-11-30 00:00:03 1407 10.0.0.8 0 TUNNELED 4897 5784 unknown ssl claude.ai 443 / - - - claude.ai - - - OBSERVED "Artificial Intelligence" - 10.1.1.10
"""
IIS = """\
#Software: Microsoft Internet Information Services 10.0
#Version: 1.0
#Date: 2025-11-30 00:00:00
#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes time-taken
2025-11-30 00:00:00 10.1.2.10 POST /openai/deployments/gpt-4o/chat/completions api-version=2024-06-01 443 EXAMPLE\\ada 10.0.0.9 python-httpx/0.27 - api.openai.com 200 0 0 2048 812
2025-11-30 00:00:01 10.1.2.10 GET /index.html - 443 - 10.0.0.10 Mozilla/5.0 https://chatgpt.com/ intranet.example.com 200 0 0 512 4
#Software: Microsoft Internet Information Services 10.0
#Version: 1.0
#Date: 2025-11-30 00:00:02
#Fields: date time c-ip cs-username cs-method cs-host cs-uri-stem sc-status
2025-11-30 00:00:02 10.0.0.11 - GET claude.ai /new 200
"""
FIXTURES = [("w3c-extended", PROXYSG), ("w3c-extended", IIS)]


def test_proxysg_lines_are_read_by_the_fields_header():
    results = [fields for fields in parse_each(W3cExtended, PROXYSG) if fields]
    assert results == [
        {"host": "chatgpt.com", "path": "/backend-api/conversation?model=auto", "timestamp": "2025-11-30T00:00:00Z",
         "client": "10.0.0.5", "user": "ada", "method": "POST", "status": "200", "bytes": 5120},
        {"host": "api.openai.com", "timestamp": "2025-11-30T00:00:01Z", "client": "10.0.0.6", "user": "grace",
         "method": "CONNECT", "status": "200", "bytes": 4120},
        {"host": "www.debian.org", "path": "/", "timestamp": "2025-11-30T00:00:02Z", "client": "10.0.0.7",
         "method": "GET", "status": "200", "bytes": 20480},
        {"host": "claude.ai", "timestamp": "2025-11-30T00:00:03Z", "client": "10.0.0.8", "method": "unknown",
         "status": "0", "bytes": 4897},  # a tunnel ProxySG did not intercept: no path
    ]


def test_a_new_fields_header_mid_file_changes_the_columns():
    results = [fields for fields in parse_each(W3cExtended, IIS) if fields]
    assert [(fields["host"], fields.get("path"), fields.get("user")) for fields in results] == [
        ("api.openai.com", "/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01", "EXAMPLE\\ada"),
        ("intranet.example.com", "/index.html", None),
        ("claude.ai", "/new", None),
    ]


def test_surplus_values_are_left_unread_and_missing_ones_are_an_error():
    parser = W3cExtended()
    parser.prime(["#Fields: date time c-ip cs-host"])
    assert parser.parse("2025-11-30 00:00:00 10.0.0.5 claude.ai extra \"values here\"")["host"] == "claude.ai"
    with pytest.raises(BadRecord, match="expected 4 values"):
        parser.parse("2025-11-30 00:00:00 10.0.0.5")


def test_lines_before_any_header_and_bad_dates_are_bad_records():
    with pytest.raises(BadRecord, match="before any #Fields"):
        W3cExtended().parse("2025-11-30 00:00:00 10.0.0.5 claude.ai")
    parser = W3cExtended()
    parser.prime(["#Fields: date time c-ip cs-host"])
    with pytest.raises(BadRecord, match="not an ISO 8601"):
        parser.parse("30/11/2025 00:00:00 10.0.0.5 claude.ai")


def test_scan_logs_reads_proxysg_and_iis(tmp_path, db_path):
    assert scan_files(tmp_path, db_path, {"SG_main.log": PROXYSG, "u_ex251130.log": IIS}) == {
        ("SG_main.log", "chatgpt", "ada"): 1, ("SG_main.log", "openai-api", "grace"): 1,
        ("SG_main.log", "claude", "10.0.0.8"): 1,
        ("u_ex251130.log", "openai-api", "EXAMPLE\\ada"): 1, ("u_ex251130.log", "claude", "10.0.0.11"): 1,
    }

"""PAN-OS syslog CSV: URL filtering entries (THREAT/url), the URL at its documented position."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.panos import PanOs
from tests.modules.logs.formats.reading import parse_each, scan_hits


def threat_url(when: str, source: str, user: str, url: str, referer: str = "", method: str = "get") -> str:
    """A THREAT/url record as PAN-OS 10 forwards it (fields per the threat log field list)."""
    fields = ["1", when, "012801096514", "THREAT", "url", "2561", when, source, "162.159.140.245",
              "198.51.100.7", "162.159.140.245", "allow-web", user, "", "ssl", "vsys1", "trust", "untrust",
              "ethernet1/2", "ethernet1/1", "forward-to-siem", when, "28191", "1", "52984", "443", "37679", "443",
              "0x40b000", "tcp", "alert", f'"{url}"', "(9999)", "computer-and-internet-info", "informational",
              "client-to-server", "7726", "0x8000000000000000", "10.0.0.0-10.255.255.255", "United States", "0",
              "text/html", "0", "", "", "1", '"Mozilla/5.0"', "", "", f'"{referer}"', "", "", "", "0", "0", "0",
              "0", "0", "", "PA-440", "", "", "", method, "0", "", "0", "", "N/A", "unknown", "AppThreat-0-0",
              "0x0", "0", "4294967295", "", '"computer-and-internet-info,low-risk"', ""]
    return ",".join(fields)


TRAFFIC = ("1,2025/11/30 01:00:03,012801096514,TRAFFIC,end,2561,2025/11/30 01:00:03,10.0.0.8,160.79.104.10,"
           "198.51.100.7,160.79.104.10,allow-web,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,forward-to-siem,"
           "2025/11/30 01:00:03,28193,1,52986,443,37681,443,0x40001c,tcp,allow,5420,1240,4180,20,"
           "2025/11/30 01:00:01,2,any,0,7730,0x0,10.0.0.0-10.255.255.255,United States,0,10,10,tcp-fin")
FIREWALL_LOG = "\n".join([
    "Nov 30 01:00:00 PA-440 " + threat_url("2025/11/30 01:00:00", "10.0.0.5", "example\\ada",
                                           "chatgpt.com/backend-api/conversation"),
    "<14>Nov 30 01:00:01 PA-440 " + threat_url("2025/11/30 01:00:01", "10.0.0.6", "",
                                               "www.debian.org/", referer="https://claude.ai/"),
    "Nov 30 01:00:02 PA-440 " + threat_url("2025/11/30 01:00:02", "10.0.0.7", "example\\grace",
                                           "api.openai.com/v1/chat/completions", method="post"),
    "Nov 30 01:00:03 PA-440 " + TRAFFIC,
]) + "\n"
FIXTURES = [("panos", FIREWALL_LOG)]


def test_url_entries_give_host_path_user_and_source():
    results = parse_each(PanOs, FIREWALL_LOG)
    assert results[0] == {"host": "chatgpt.com", "path": "/backend-api/conversation",
                          "timestamp": "2025-11-30T01:00:00Z", "client": "10.0.0.5", "user": "example\\ada",
                          "method": "get"}
    assert results[1]["host"] == "www.debian.org"  # the URL field, not the referer
    assert (results[2]["host"], results[2]["user"]) == ("api.openai.com", "example\\grace")
    assert results[3] is None  # a traffic entry has no URL


@pytest.mark.parametrize("line, reason", [
    ("Nov 30 01:00:00 PA-440 this is not a PAN-OS record", "no PAN-OS CSV record"),
    ("Nov 30 01:00:00 PA-440 1,2025/11/30 01:00:00,012801096514,THREAT,url,2561,2025/11/30 01:00:00,10.0.0.5",
     "a THREAT/url entry with 8 fields"),
    ("Nov 30 01:00:00 PA-440 " + threat_url("2025/11/31 01:00:00", "10.0.0.5", "", "claude.ai/").replace(
        "2561,2025/11/31", "2561,2025/13/31"), "generated time '2025/13/31"),
])
def test_malformed_lines_are_bad_records(line, reason):
    with pytest.raises(BadRecord, match=reason):
        PanOs().parse(line)


def test_scan_logs_finds_url_filtering_entries(tmp_path, db_path):
    assert scan_hits(tmp_path, db_path, "panos.log", FIREWALL_LOG) == {
        ("chatgpt", "example\\ada"): 1, ("openai-api", "example\\grace"): 1,
    }

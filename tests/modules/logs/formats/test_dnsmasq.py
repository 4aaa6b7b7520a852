"""dnsmasq / Pi-hole query log: query[TYPE] name from client, in syslog or log-facility files."""

from datetime import datetime, timezone

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.dnsmasq import Dnsmasq
from scanner.modules.logs.formats.timestamps import syslog_time
from tests.modules.logs.formats.reading import parse_each, scan_hits

PIHOLE = """\
Nov 30 01:00:00 dnsmasq[1234]: query[A] chatgpt.com from 192.168.1.10
Nov 30 01:00:00 dnsmasq[1234]: forwarded chatgpt.com to 1.1.1.1
Nov 30 01:00:00 dnsmasq[1234]: reply chatgpt.com is 104.18.32.47
Nov 30 01:00:01 dnsmasq[1234]: query[AAAA] gemini.local from 192.168.1.11
Nov 30 01:00:02 dnsmasq[1234]: 17 192.168.1.12/53127 query[HTTPS] api.openai.com from 192.168.1.12
Nov 30 01:00:02 dnsmasq[1234]: 17 192.168.1.12/53127 gravity blocked api.openai.com is 0.0.0.0
Nov 30 01:00:03 dnsmasq[1234]: query[A] www.debian.org from 192.168.1.13
Nov 30 01:00:04 dnsmasq[1234]: cached claude.ai is 160.79.104.10
Nov  3 01:00:05 pihole dnsmasq[1234]: query[A] claude.ai from 192.168.1.14
Nov  3 01:00:06 pihole dnsmasq-dhcp[1234]: DHCPACK(eth0) 192.168.1.14 00:11:22:33:44:55 laptop
"""
FIXTURES = [("dnsmasq", PIHOLE)]


def test_only_query_lines_name_a_host():
    results = parse_each(Dnsmasq, PIHOLE)
    assert [(fields["host"], fields["client"]) if fields else None for fields in results] == [
        ("chatgpt.com", "192.168.1.10"), None, None,
        ("gemini.local", "192.168.1.11"),
        ("api.openai.com", "192.168.1.12"), None,  # log-queries=extra; Pi-hole's block line repeats it
        ("www.debian.org", "192.168.1.13"), None,
        ("claude.ai", "192.168.1.14"), None,  # a syslog host before the program; a DHCP line
    ]


def test_syslog_time_has_its_year_inferred():
    assert parse_each(Dnsmasq, PIHOLE)[0]["timestamp"] == syslog_time("Nov 30 01:00:00")
    december = datetime(2026, 1, 2, tzinfo=timezone.utc)
    assert syslog_time("Dec 31 23:59:59", now=december) == "2025-12-31T23:59:59Z"
    assert syslog_time("Jan  2 00:00:00", now=december) == "2026-01-02T00:00:00Z"
    assert syslog_time("Feb 29 12:00:00", now=december) == "2024-02-29T12:00:00Z"


@pytest.mark.parametrize("line, reason", [
    ("query[A] chatgpt.com from 192.168.1.10", "not a syslog line"),
    ("Nov 30 01:00:00 dnsmasq[1234]: query[A] chatgpt.com", "query line not understood"),
    ("Foo 30 01:00:00 dnsmasq[1234]: query[A] chatgpt.com from 192.168.1.10", "syslog time 'Foo 30"),
])
def test_malformed_lines_are_bad_records(line, reason):
    with pytest.raises(BadRecord, match=reason):
        Dnsmasq().parse(line)


def test_scan_logs_counts_client_queries(tmp_path, db_path):
    assert scan_hits(tmp_path, db_path, "pihole.log", PIHOLE) == {
        ("chatgpt", "192.168.1.10"): 1, ("openai-api", "192.168.1.12"): 1, ("claude", "192.168.1.14"): 1,
    }

"""The syslog header in front of a program's message: RFC 3164, RFC 5424 and rsyslog's ISO file format."""

import pytest

from scanner.modules.logs.formats.syslog_prefix import split_syslog


@pytest.mark.parametrize("line, program, message, timestamp", [
    ("<30>Nov 30 01:00:00 ns1 named[17742]: client 10.0.0.5#1: query: claude.ai IN A +", "named",
     "client 10.0.0.5#1: query: claude.ai IN A +", "-11-30T01:00:00Z"),
    ("Nov  3 01:00:00 dnsmasq[1234]: query[A] claude.ai from 10.0.0.5", "dnsmasq",
     "query[A] claude.ai from 10.0.0.5", "-11-03T01:00:00Z"),
    ("<30>Oct 4 10:18:07 ns1.example.internal 10.0.0.53 named[10750]: hello", "named", "hello", "-10-04T10:18:07Z"),
    ("<30>1 2025-11-30T01:00:00.000+01:00 ns1 named 17742 - - client 10.0.0.5#1: query: x IN A +", "named",
     "client 10.0.0.5#1: query: x IN A +", "2025-11-30T00:00:00Z"),
    ("<30>1 2025-11-30T01:00:00Z ns1 named 17742 ID47 [origin ip=\"10.0.0.53\"] hello", "named", "hello",
     "2025-11-30T01:00:00Z"),
    ("2025-11-30T01:00:00.123456+01:00 pihole dnsmasq[1234]: query[A] claude.ai from 10.0.0.5", "dnsmasq",
     "query[A] claude.ai from 10.0.0.5", "2025-11-30T00:00:00Z"),
])
def test_the_three_header_shapes(line, program, message, timestamp):
    syslog = split_syslog(line)
    assert (syslog.program, syslog.message) == (program, message)
    assert syslog.timestamp().endswith(timestamp)


def test_a_line_without_a_syslog_header():
    assert split_syslog("30-Nov-2025 01:00:00.000 queries: info: client 10.0.0.5#1: query: x IN A +") is None

"""The DNS client against a real BIND 9 on loopback: UDP answers truncated over 1232 bytes and asked again over
TCP, NXDOMAIN as an answer, SERVFAIL and REFUSED as errors, zone transfers allowed and refused, and servers that
never answer."""

import time

import dns.flags
import dns.message
import dns.query
import pytest

from scanner.clients.dns import (EDNS_PAYLOAD, DnsClient, DnsRefused, DnsServerFailure, DnsTimeout,
                                 TransferRefused)
from tests.support.dns_server import SilentServer, dns_server  # noqa: F401  (the session fixture)


def client(server, **options):
    return DnsClient([server.host], port=server.port, **options)


def test_an_answer_too_big_for_udp_is_asked_again_over_tcp(dns_server):
    question = dns.message.make_query("example-corp.test", "TXT", use_edns=0, payload=EDNS_PAYLOAD)
    over_udp = dns.query.udp(question, dns_server.host, port=dns_server.port, timeout=2)
    assert over_udp.flags & dns.flags.TC and not over_udp.answer  # the server really truncates it

    answer = client(dns_server).query("example-corp.test", "TXT")

    assert answer.over_tcp
    assert len(answer.records) == 9
    assert "anthropic-domain-verification-5hhhzv=U0o6oadcTgB886CyT56fZFP1M" in answer.records
    long_one = next(text for text in answer.records if text.startswith("google-site-verification=a"))
    assert long_one == "google-site-verification=" + "a" * 43 + "x" * 200  # character-strings joined


def test_a_small_answer_stays_on_udp_and_names_lose_their_final_dot(dns_server):
    answer = client(dns_server).query("chat.example-corp.test", "CNAME")
    assert not answer.over_tcp
    assert answer.records == ("corp-chat.example-corp.test",)
    assert sorted(client(dns_server).query("example-corp.test", "MX").records) == [  # BIND rotates the order
        "10 mx1.example-corp.test", "20 inbound.mailsort.ai"]


def test_a_name_that_does_not_exist_is_an_answer(dns_server):
    answer = client(dns_server).query("nope.example-corp.test", "CNAME")
    assert answer.nxdomain and answer.records == ()


def test_a_name_with_other_data_has_no_cname(dns_server):
    answer = client(dns_server).query("www.example-corp.test", "CNAME")
    assert not answer.nxdomain and answer.records == ()


def test_servfail_and_refused_are_errors_that_name_the_server(dns_server):
    with pytest.raises(DnsServerFailure, match=f"127.0.0.1:{dns_server.port}: SERVFAIL for TXT broken-corp.test"):
        client(dns_server).query("broken-corp.test", "TXT")
    with pytest.raises(DnsRefused, match="REFUSED TXT elsewhere.test"):
        client(dns_server).query("elsewhere.test", "TXT")


def test_a_zone_transfer_streams_every_record(dns_server):
    records = list(client(dns_server).transfer("example-corp.test", dns_server.host))
    assert ("chat.example-corp.test", "CNAME", "corp-chat.example-corp.test") in records
    assert ("_spf.example-corp.test", "TXT", "v=spf1 include:spf.mistral.ai -all") in records
    assert sum(1 for _owner, kind, _value in records if kind == "SOA") == 2  # it opens and closes with the SOA


def test_a_refused_zone_transfer_raises_transfer_refused(dns_server):
    with pytest.raises(TransferRefused, match="zone transfer of refused-corp.test refused"):
        list(client(dns_server).transfer("refused-corp.test", dns_server.host))


def test_a_server_that_never_answers_times_out_after_the_tries():
    with SilentServer() as silent:
        started = time.monotonic()
        with pytest.raises(DnsTimeout, match=r"no answer to TXT example-corp.test within 0.2s"):
            DnsClient(["127.0.0.1"], port=silent.port, timeout=0.2, tries=2).query("example-corp.test", "TXT")
        assert 0.35 < time.monotonic() - started < 2


def test_the_next_server_is_asked_when_one_does_not_answer(dns_server):
    import socket

    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        silent.bind(("127.0.0.2", dns_server.port))
    except OSError as exc:
        pytest.skip(f"cannot bind 127.0.0.2:{dns_server.port}: {exc}")
    with silent:
        answer = DnsClient(["127.0.0.2", "127.0.0.1"], port=dns_server.port, timeout=0.2).query(
            "refused-corp.test", "TXT")
    assert answer.nameserver == f"127.0.0.1:{dns_server.port}"
    assert answer.records == ("cursor-domain-verification-s7xqqj=rqck9beiHFV00jMGwCITEYufH",)

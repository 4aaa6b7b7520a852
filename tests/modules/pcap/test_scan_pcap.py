"""`shadowai scan pcap` end to end, on captures written with scapy."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest

from scanner.inventory.database import open_db
from tests.cli.runner import shadowai
from tests.modules.pcap.captures import (CLAUDE_IP, CLIENT, CLIENT_MAC, OPENAI_IP, OTHER, OTHER_MAC, PLAIN_IP,
                                         client_hello_record, dns_answer, dns_over_tcp, dns_query, http_request,
                                         quic_connection, tcp_connection, write_pcap, write_pcapng)
from scapy.all import IP, UDP, Ether, Raw


def findings(db_path) -> dict[tuple[str, str], dict]:
    """(service, subject) -> finding row, with its evidence parsed."""
    rows = open_db(db_path).query("select * from findings")
    return {(row["service_id"], row["subject"]): dict(row, evidence=json.loads(row["evidence"])) for row in rows}


def last_run(db_path) -> dict:
    row = next(open_db(db_path).query("select * from runs order by id desc limit 1"))
    return {key: json.loads(row[key]) if key in ("counts", "errors", "coverage_gaps", "inputs") else row[key]
            for key in row}


def scan(db_path, *paths, extra=()):
    return shadowai("scan", "pcap", *map(str, paths), "--db", str(db_path), *extra)


def test_dns_questions_over_udp_and_tcp_are_sightings_of_the_client(tmp_path, db_path):
    capture = write_pcap(tmp_path / "dns.pcap", [
        dns_query("chatgpt.com"), dns_answer("chatgpt.com", OPENAI_IP),
        dns_query("chatgpt.com", t=0.005),  # retransmitted before the answer (same id and port): not counted
        dns_query("claude.ai", client=OTHER, mac=OTHER_MAC, ident=99, sport=53002, t=1),
        *dns_over_tcp("api.mistral.ai", "51.159.1.1", t=2),
    ])
    result = scan(db_path, capture)
    assert result.exit_code == 0, result.output
    found = findings(db_path)
    assert found[("chatgpt", CLIENT)]["hits"] == 1
    assert found[("chatgpt", CLIENT)]["evidence"]["via"] == "dns-query"
    assert found[("chatgpt", CLIENT)]["evidence"]["mac"] == CLIENT_MAC
    assert found[("chatgpt", CLIENT)]["first_seen"] == "2026-01-01T00:00:00Z"  # the packet's time
    assert found[("claude", OTHER)]["hits"] == 1
    assert found[("mistral-api", CLIENT)]["evidence"]["via"] == "dns-query"
    assert last_run(db_path)["counts"]["dns_queries"] == 4


def test_a_response_whose_query_the_capture_missed_still_counts(tmp_path, db_path):
    capture = write_pcap(tmp_path / "answers-only.pcap", [dns_answer("huggingface.co", "18.244.0.1")])
    scan(db_path, capture)
    assert findings(db_path)[("huggingface-hub", CLIENT)]["evidence"]["via"] == "dns-response"


@pytest.mark.parametrize("pieces, order", [(1, None), (3, [0, 1, 2]), (4, [2, 0, 3, 1])])
def test_client_hello_split_and_out_of_order_yields_its_sni(tmp_path, db_path, pieces, order):
    capture = write_pcap(tmp_path / "tls.pcap", tcp_connection(OPENAI_IP, client_hello_record("api.openai.com"),
                                                                pieces=pieces, order=order))
    scan(db_path, capture)
    finding = findings(db_path)[("openai-api", CLIENT)]
    assert finding["hits"] == 1
    assert finding["evidence"]["via"] == "tls-sni"
    assert finding["evidence"]["record"].endswith(f"tls.pcap:{3 + pieces}")  # the segment that completed it


def test_http_host_method_and_path_without_query_string(tmp_path, db_path):
    capture = write_pcap(tmp_path / "http.pcap", tcp_connection(CLAUDE_IP, http_request("claude.ai", method="POST"),
                                                                 dport=80, pieces=2))
    scan(db_path, capture)
    evidence = findings(db_path)[("claude", CLIENT)]["evidence"]
    assert (evidence["via"], evidence["method"], evidence["path"]) == ("http-host", "POST", "/v1/models")
    assert "secret" not in json.dumps(evidence)


def test_quic_initial_spanning_two_packets_is_decrypted(tmp_path, db_path):
    capture = write_pcap(tmp_path / "quic.pcap", quic_connection(CLAUDE_IP, "api.anthropic.com"))
    result = scan(db_path, capture)
    assert result.exit_code == 0, result.output
    finding = findings(db_path)[("anthropic-api", CLIENT)]
    assert (finding["hits"], finding["evidence"]["via"]) == (1, "quic-sni")


def test_connection_without_a_name_is_attributed_from_the_dns_answer_its_client_saw(tmp_path, db_path):
    packets = [dns_query("api.openai.com"), dns_answer("api.openai.com", OPENAI_IP, ttl=60),
               *tcp_connection(OPENAI_IP, b"\x00\x01binary protocol", t=10),  # no SNI, no Host
               *tcp_connection(OPENAI_IP, b"\x00\x01binary protocol", sport=50009, t=500),  # the answer expired
               *tcp_connection(PLAIN_IP, b"\x00\x01binary protocol", sport=50010, t=11)]  # never resolved
    scan(db_path, write_pcap(tmp_path / "attributed.pcap", packets))
    finding = findings(db_path)[("openai-api", CLIENT)]
    assert finding["hits"] == 2  # the question, and the first connection
    assert last_run(db_path)["counts"]["connections_attributed"] == 1


def test_doh_resolver_connections_are_a_coverage_gap(tmp_path, db_path):
    packets = tcp_connection("1.1.1.1", client_hello_record("cloudflare-dns.com")) + tcp_connection(
        "8.8.8.8", client_hello_record("dns.google"), sport=50020, t=3)
    result = scan(db_path, write_pcap(tmp_path / "doh.pcap", packets))
    assert result.exit_code == 1  # partial: names may be missing
    gaps = last_run(db_path)["coverage_gaps"]
    assert {gap["what"].split(": ", 1)[1] for gap in gaps} == {"encrypted DNS: Cloudflare (cloudflare-dns.com)",
                                                               "encrypted DNS: Google (dns.google)"}
    assert all("DNS hidden from this capture" in gap["why"] for gap in gaps)


def test_ech_outer_name_is_noted_and_the_real_name_taken_from_dns(tmp_path, db_path):
    packets = [dns_query("chatgpt.com"), dns_answer("chatgpt.com", OPENAI_IP),
               *tcp_connection(OPENAI_IP, client_hello_record("cloudflare-ech.com"), t=1)]
    result = scan(db_path, write_pcap(tmp_path / "ech.pcap", packets))
    assert result.exit_code == 1
    finding = findings(db_path)[("chatgpt", CLIENT)]
    assert finding["hits"] == 2
    [gap] = last_run(db_path)["coverage_gaps"]
    assert "Encrypted Client Hello: cloudflare-ech.com" in gap["what"] and "1 attributed" in gap["why"]


def test_subject_map_names_the_device_and_user(tmp_path, db_path):
    subjects = tmp_path / "subjects.csv"
    subjects.write_text("network,device,user,department\n10.20.1.0/24,,,Sales\n10.20.1.11,LT-0042,alice,Research\n")
    scan(db_path, write_pcap(tmp_path / "s.pcap", [dns_query("gemini.google.com")]), extra=("--subjects", subjects))
    evidence = findings(db_path)[("gemini", "alice")]["evidence"]
    assert (evidence["device"], evidence["department"], evidence["client"]) == ("LT-0042", "Research", CLIENT)


def test_rescanning_the_same_capture_never_double_counts(tmp_path, db_path):
    packets = [dns_query("chatgpt.com"), *tcp_connection(OPENAI_IP, client_hello_record("chatgpt.com"))]
    capture = write_pcap(tmp_path / "once.pcap", packets)
    scan(db_path, capture)
    copy = tmp_path / "renamed.pcap.gz"
    with open(capture, "rb") as source, gzip.open(copy, "wb") as target:
        shutil.copyfileobj(source, target)
    scan(db_path, capture, copy)
    assert sum(row["hits"] for row in findings(db_path).values()) == 2
    assert last_run(db_path)["counts"]["files_unchanged"] == 2


def test_gzipped_pcapng_with_two_interfaces_of_different_link_types(tmp_path, db_path):
    on_ethernet = dns_query("chatgpt.com")
    on_ethernet.sniffed_on = "eth0"
    on_tunnel = IP(src="10.8.0.2", dst="10.8.0.1") / UDP(sport=5353, dport=53) / dns_query("claude.ai")[3]
    on_tunnel.time, on_tunnel.sniffed_on = on_ethernet.time + 1, "tun0"
    plain = write_pcapng(tmp_path / "two.pcapng", [on_ethernet, on_tunnel])
    with open(plain, "rb") as source, gzip.open(tmp_path / "two.pcapng.gz", "wb") as target:
        shutil.copyfileobj(source, target)
    result = scan(db_path, tmp_path / "two.pcapng.gz")
    assert result.exit_code == 0, result.output
    assert {key for key in findings(db_path)} == {("chatgpt", CLIENT), ("claude", "10.8.0.2")}
    assert findings(db_path)[("claude", "10.8.0.2")]["last_seen"] == "2026-01-01T00:00:01Z"


def test_truncated_capture_keeps_what_came_before_and_reports_the_cut(tmp_path, db_path):
    capture = write_pcap(tmp_path / "cut.pcap", [dns_query("chatgpt.com"), dns_query("claude.ai", t=1)])
    data = open(capture, "rb").read()
    open(capture, "wb").write(data[:-10])
    result = scan(db_path, capture)
    assert result.exit_code == 1
    assert "truncated capture" in result.output
    assert set(findings(db_path)) == {("chatgpt", CLIENT)}
    run = last_run(db_path)
    assert run["counts"]["truncated_records"] == 1 and run["errors"][0]["where"].endswith("cut.pcap:packet 2")


def test_unknown_link_type_is_reported_and_other_files_still_read(tmp_path, db_path):
    strange = write_pcap(tmp_path / "usb.pcap", [Raw(b"\x00" * 40)], linktype=220)
    good = write_pcap(tmp_path / "good.pcap", [dns_query("chatgpt.com")])
    result = scan(db_path, strange, good)
    assert result.exit_code == 1
    assert "link type 220 (USB) is not supported" in result.output
    assert last_run(db_path)["counts"]["unknown_link_packets"] == 1
    assert ("chatgpt", CLIENT) in findings(db_path)


def test_malformed_packets_are_counted_with_their_number(tmp_path, db_path):
    bad_ip = Ether(src=CLIENT_MAC) / Raw(b"\x45\x00\x00\x03" + bytes(16))  # total length shorter than its header
    bad_ip.type = 0x0800
    bad_dns = Ether(src=CLIENT_MAC) / IP(src=CLIENT, dst="10.20.0.53") / UDP(sport=5000, dport=53) / Raw(b"\x01\x02")
    packets = [bad_ip, bad_dns, dns_query("chatgpt.com")]
    for n, packet in enumerate(packets):
        packet.time = 1_767_225_600 + n
    result = scan(db_path, write_pcap(tmp_path / "bad.pcap", packets))
    assert result.exit_code == 1
    errors = last_run(db_path)["errors"]
    assert [error["where"].rsplit(":", 1)[1] for error in errors] == ["packet 1", "packet 2"]
    assert ("chatgpt", CLIENT) in findings(db_path)


def test_not_a_capture_is_a_coverage_gap(tmp_path, db_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a capture\n")
    result = scan(db_path, text)
    assert result.exit_code == 1
    assert "not a pcap or pcapng capture" in last_run(db_path)["coverage_gaps"][0]["why"]


def test_a_reused_four_tuple_is_a_new_connection(tmp_path, db_path):
    first = tcp_connection(OPENAI_IP, client_hello_record("api.openai.com"), t=1)
    again = tcp_connection(OPENAI_IP, client_hello_record("chatgpt.com"), t=2)  # same ports, new SYN
    ipv6 = tcp_connection("2606:4700::6810:1", client_hello_record("claude.ai"), t=3, ipv6=True, client="fd00::11")
    scan(db_path, write_pcap(tmp_path / "reuse.pcap", first + again + ipv6))
    assert {key for key in findings(db_path)} == {("openai-api", CLIENT), ("chatgpt", CLIENT), ("claude", "fd00::11")}


def test_a_capture_partly_read_by_an_interrupted_scan_is_read_on_from_its_cursor(tmp_path, db_path):
    import hashlib

    capture = write_pcap(tmp_path / "resume.pcap", [dns_query("chatgpt.com"), dns_query("claude.ai", t=1)])
    data = open(capture, "rb").read()
    first_record_end = 24 + 16 + int.from_bytes(data[32:36], "little")
    db = open_db(db_path)
    db["cursors"].insert({"source": "pcap", "identity": hashlib.sha256(data).hexdigest(), "location": capture,
                          "offset": first_record_end, "line": 1, "size": len(data), "mtime": 0.0, "run_id": 0,
                          "updated_at": "2026-01-01T00:00:00Z"}, pk=("source", "identity"))
    scan(db_path, capture)
    assert set(findings(db_path)) == {("claude", CLIENT)}  # the first question was counted by the earlier scan
    assert last_run(db_path)["counts"]["packets"] == 1
    scan(db_path, capture)
    assert last_run(db_path)["counts"]["files_unchanged"] == 1


@pytest.mark.parametrize("frame, linktype", [
    ("vlan", None), ("qinq", None), ("cooked", None), ("cooked-v2", None), ("raw", 101), ("loopback", None)])
def test_link_layers(tmp_path, db_path, frame, linktype):
    from scapy.all import Dot1AD, Dot1Q, CookedLinux, CookedLinuxV2, Loopback

    question = dns_query("chatgpt.com")[IP]
    packet = {
        "vlan": lambda: Ether(src=CLIENT_MAC) / Dot1Q(vlan=20) / question,
        "qinq": lambda: Ether(src=CLIENT_MAC) / Dot1AD(vlan=7) / Dot1Q(vlan=20) / question,
        "cooked": lambda: CookedLinux(pkttype=4, lladdrtype=1, lladdrlen=6,
                                      src=bytes.fromhex("020000000011") + bytes(2), proto=0x0800) / question,
        "cooked-v2": lambda: CookedLinuxV2(proto=0x0800, lladdrtype=1, lladdrlen=6,
                                           src=bytes.fromhex("020000000011") + bytes(2)) / question,
        "raw": lambda: question,
        "loopback": lambda: Loopback(type=2) / question,
    }[frame]()
    packet.time = 1_767_225_600
    result = scan(db_path, write_pcap(tmp_path / f"{frame}.pcap", [packet], linktype=linktype))
    assert result.exit_code == 0, result.output
    evidence = findings(db_path)[("chatgpt", CLIENT)]["evidence"]
    assert evidence.get("mac") == (CLIENT_MAC if frame in ("vlan", "qinq", "cooked", "cooked-v2") else None)

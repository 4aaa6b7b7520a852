"""Suricata eve.json: DNS questions in the v1/v2 and v3 layouts, TLS SNI, HTTP host; other events ignored."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.suricata_eve import SuricataEve
from tests.modules.logs.formats.reading import first_seen, parse_each, scan_hits

EVE = """\
{"timestamp":"2025-11-30T01:00:00.120360+0100","flow_id":298824096901438,"in_iface":"eth0","event_type":"dns","src_ip":"10.0.0.5","src_port":53211,"dest_ip":"10.0.0.53","dest_port":53,"proto":"UDP","dns":{"type":"query","id":51803,"rrname":"chatgpt.com","rrtype":"A","tx_id":0}}
{"timestamp":"2025-11-30T01:00:00.130360+0100","flow_id":298824096901438,"in_iface":"eth0","event_type":"dns","src_ip":"10.0.0.53","src_port":53,"dest_ip":"10.0.0.5","dest_port":53211,"proto":"UDP","dns":{"type":"answer","id":51803,"flags":"8180","qr":true,"rd":true,"ra":true,"rcode":"NOERROR","rrname":"chatgpt.com","rrtype":"A","ttl":60,"rdata":"104.18.32.47"}}
{"timestamp":"2025-11-30T01:00:00.140360+0100","flow_id":298824096901438,"in_iface":"eth0","event_type":"dns","src_ip":"10.0.0.53","src_port":53,"dest_ip":"10.0.0.5","dest_port":53211,"proto":"UDP","dns":{"version":2,"type":"answer","id":51803,"flags":"8180","qr":true,"rcode":"NOERROR","rrname":"chatgpt.com","rrtype":"A","answers":[{"rrname":"chatgpt.com","rrtype":"A","ttl":60,"rdata":"104.18.32.47"}],"grouped":{"A":["104.18.32.47"]}}}
{"timestamp":"2025-11-30T00:00:01.000000+0000","flow_id":1684780223079543,"in_iface":"eth0","event_type":"dns","src_ip":"10.0.0.6","src_port":39464,"dest_ip":"10.0.0.53","dest_port":53,"proto":"UDP","pkt_src":"wire/pcap","dns":{"version":3,"type":"request","tx_id":0,"id":12308,"flags":"100","rd":true,"opcode":0,"rcode":"NOERROR","queries":[{"rrname":"claude.ai","rrtype":"A"}]}}
{"timestamp":"2025-11-30T00:00:01.010000+0000","flow_id":1684780223079543,"in_iface":"eth0","event_type":"dns","src_ip":"10.0.0.53","src_port":53,"dest_ip":"10.0.0.6","dest_port":39464,"proto":"UDP","dns":{"version":3,"type":"response","tx_id":0,"id":12308,"rcode":"NOERROR","queries":[{"rrname":"claude.ai","rrtype":"A"}],"answers":[{"rrname":"claude.ai","rrtype":"A","ttl":300,"rdata":"160.79.104.10"}]}}
{"timestamp":"2025-11-30T00:00:02.000000+0000","flow_id":89751777876473,"in_iface":"eth0","event_type":"tls","src_ip":"10.0.0.7","src_port":56187,"dest_ip":"162.159.140.245","dest_port":443,"proto":"TCP","tls":{"subject":"CN=api.openai.com","issuerdn":"CN=WE1, O=Google Trust Services, C=US","sni":"api.openai.com","version":"TLS 1.3","ja3":{},"ja3s":{}}}
{"timestamp":"2025-11-30T00:00:03.000000+0000","flow_id":2115002772430095,"in_iface":"eth0","event_type":"http","src_ip":"10.0.0.5","src_port":56119,"dest_ip":"104.18.32.47","dest_port":80,"proto":"TCP","tx_id":0,"http":{"hostname":"chatgpt.com","url":"/backend-api/me","http_user_agent":"Mozilla/5.0","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":512}}
{"timestamp":"2025-11-30T00:00:04.000000+0000","flow_id":2115002772430096,"in_iface":"eth0","event_type":"http","src_ip":"10.0.0.8","src_port":56120,"dest_ip":"10.0.0.3","dest_port":3128,"proto":"TCP","tx_id":0,"http":{"hostname":"www.debian.org","url":"http://www.debian.org/?ref=chatgpt.com","http_user_agent":"curl (api.openai.com)","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":0}}
{"timestamp":"2025-11-30T00:00:05.000000+0000","flow_id":904992230150281,"in_iface":"eth0","event_type":"alert","src_ip":"10.0.0.9","src_port":55641,"dest_ip":"160.79.104.10","dest_port":443,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2024833,"rev":3,"signature":"LOCAL AI service in TLS SNI","category":"Potential Corporate Privacy Violation","severity":1},"tls":{"sni":"claude.ai","version":"TLS 1.3"},"app_proto":"tls"}
{"timestamp":"2025-11-30T00:00:06.000000+0000","flow_id":1828507008887644,"event_type":"flow","src_ip":"10.0.0.9","src_port":546,"dest_ip":"10.0.0.1","dest_port":547,"proto":"UDP","app_proto":"failed","flow":{"pkts_toserver":1,"pkts_toclient":0,"bytes_toserver":110,"bytes_toclient":0,"start":"2025-11-30T00:00:05.000000+0000","end":"2025-11-30T00:00:05.000000+0000","age":0,"state":"new","reason":"timeout","alerted":false}}
{"timestamp":"2025-11-30T00:00:07.000000+0000","flow_id":1828507008887645,"in_iface":"eth0","event_type":"dns","src_ip":"10.0.0.9","src_port":5353,"dest_ip":"224.0.0.251","dest_port":5353,"proto":"UDP","dns":{"type":"query","id":0,"rrname":"gemini.local","rrtype":"A","tx_id":0}}
{"timestamp":"2025-11-30T00:00:08.000000+0000","event_type":"stats","stats":{"uptime":5400,"capture":{"kernel_packets":430313,"kernel_drops":0}}}
"""
FIXTURES = [("suricata-eve", EVE)]


def test_questions_sni_and_http_hosts_are_read_and_nothing_else():
    results = parse_each(SuricataEve, EVE)
    assert [(fields["host"], fields["client"]) if fields else None for fields in results] == [
        ("chatgpt.com", "10.0.0.5"),  # v1 query
        None, None,  # v1 and v2 answers repeat the question
        ("claude.ai", "10.0.0.6"),  # v3 request
        None,  # v3 response
        ("api.openai.com", "10.0.0.7"),  # tls sni
        ("chatgpt.com", "10.0.0.5"),  # http hostname
        ("www.debian.org", "10.0.0.8"),  # not the URL's query, not the user agent
        None, None,  # alert, flow
        ("gemini.local", "10.0.0.9"),
        None,  # stats
    ]


def test_times_are_converted_from_their_offset_and_http_details_kept():
    results = parse_each(SuricataEve, EVE)
    assert results[0]["timestamp"] == "2025-11-30T00:00:00Z"
    assert results[6] == {"host": "chatgpt.com", "timestamp": "2025-11-30T00:00:03Z", "client": "10.0.0.5",
                          "path": "/backend-api/me", "method": "GET", "status": "200", "bytes": 512}
    assert results[7]["path"] == "/?ref=chatgpt.com"  # an absolute URL (proxied request) reduced to its path


@pytest.mark.parametrize("line, reason", [
    ('{"timestamp":"2025-11-30T00:00:00+0000","event_type":"dns","src_ip":"10.0.0.5"}', "dns event without a dns object"),
    ('{"event_type":"tls","tls":{"sni":"claude.ai"}}', "not an EVE event"),
    ('{"timestamp":"30/11/2025","event_type":"tls","tls":{"sni":"claude.ai"}}', "not an ISO 8601"),
    ('{"timestamp":"2025-11-30T00:00:00+0000","event_type":"tls",', "not valid JSON"),
])
def test_malformed_events_are_bad_records(line, reason):
    with pytest.raises(BadRecord, match=reason):
        SuricataEve().parse(line)


def test_scan_logs_counts_each_question_once(tmp_path, db_path):
    assert scan_hits(tmp_path, db_path, "eve.json", EVE) == {
        ("chatgpt", "10.0.0.5"): 2, ("claude", "10.0.0.6"): 1, ("openai-api", "10.0.0.7"): 1,
    }
    assert first_seen(db_path, "chatgpt") == "2025-11-30T00:00:00Z"

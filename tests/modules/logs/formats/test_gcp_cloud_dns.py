"""Google Cloud DNS query logs exported from Cloud Logging: jsonPayload.queryName and sourceIP."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.gcp_cloud_dns import GcpCloudDns
from tests.modules.logs.formats.reading import found, scan_hits

ENTRY = ('{{"insertId":"{id}","jsonPayload":{{"authAnswer":false,"protocol":"UDP","queryName":"{name}",'
         '"queryType":"A","rdata":"{rdata}","responseCode":"NOERROR","serverLatency":14,"sourceIP":"{ip}",'
         '"sourceNetwork":"default","vmInstanceId":8340998530665147,"vmInstanceIdString":"8340998530665147",'
         '"vmInstanceName":"694119234537.build-runner","vmProjectId":"example-project","vmZoneName":"europe-west1-b"}},'
         '"logName":"projects/example-project/logs/dns.googleapis.com%2Fdns_queries",'
         '"receiveTimestamp":"2025-11-30T00:00:0{s}.502805637Z","resource":{{"labels":{{"location":"europe-west1",'
         '"project_id":"example-project","source_type":"gce-vm","target_name":"","target_type":"external"}},'
         '"type":"dns_query"}},"severity":"INFO","timestamp":"2025-11-30T00:00:0{s}.341873447Z"}}')
CLOUD_DNS = "\n".join([
    ENTRY.format(id="vwroyze8pg7y", name="claude.ai.", rdata="claude.ai.\\t300\\tIN\\ta\\t160.79.104.10", ip="10.128.0.5", s=0),
    ENTRY.format(id="ivmbnpe95vee", name="www.debian.org.", rdata="www.debian.org.\\t300\\tIN\\tcname\\tchatgpt.com.", ip="10.128.0.6", s=1),
    ENTRY.format(id="3c0hhve794jt", name="api.openai.com.", rdata="api.openai.com.\\t60\\tIN\\ta\\t162.159.140.245", ip="10.128.0.7", s=2),
]) + "\n"
FIXTURES = [("gcp-cloud-dns", CLOUD_DNS)]


def test_each_entry_gives_query_name_source_ip_and_time():
    assert found(GcpCloudDns, CLOUD_DNS) == [
        {"host": "claude.ai", "timestamp": "2025-11-30T00:00:00Z", "client": "10.128.0.5"},
        {"host": "www.debian.org", "timestamp": "2025-11-30T00:00:01Z", "client": "10.128.0.6"},
        {"host": "api.openai.com", "timestamp": "2025-11-30T00:00:02Z", "client": "10.128.0.7"},
    ]


@pytest.mark.parametrize("line, reason", [
    ('{"jsonPayload":{"queryName":"claude.ai."},"resource":{"type":"gce_instance"}}', "not a Cloud DNS log entry"),
    ('{"jsonPayload":{"sourceIP":"10.0.0.1"},"resource":{"type":"dns_query"}}', "queryName is empty"),
    ('{"jsonPayload":{"queryName":"claude.ai."},"resource":{"type":"dns_query"},"timestamp":"now"}', "not an ISO 8601"),
])
def test_malformed_entries_are_bad_records(line, reason):
    with pytest.raises(BadRecord, match=reason):
        GcpCloudDns().parse(line)


def test_scan_logs_matches_query_names_not_rdata(tmp_path, db_path):
    assert scan_hits(tmp_path, db_path, "dns_queries.json", CLOUD_DNS) == {
        ("claude", "10.128.0.5"): 1, ("openai-api", "10.128.0.7"): 1,
    }

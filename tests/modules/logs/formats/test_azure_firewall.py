"""Azure Firewall diagnostic logs: structured DNS proxy and application rules, and the legacy msg forms."""

import pytest

from scanner.modules.logs.formats.azure_firewall import AzureFirewall
from scanner.modules.logs.formats.base import BadRecord
from tests.modules.logs.formats.reading import parse_each, scan_hits

RESOURCE = "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/NET-RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/FW-HUB"
FIREWALL = "\n".join(line.replace("RESOURCE", RESOURCE) for line in [
    '{"category":"AZFWDnsQuery","properties":{"DnssecOkBit":false,"EDNS0BufferSize":1232,"ErrorMessage":"","ErrorNumber":0,"Protocol":"udp","QueryClass":"IN","QueryId":35817,"QueryName":"chatgpt.com.","QueryType":"A","RequestDurationSecs":0.0000286,"RequestSize":32,"ResponseCode":"NOERROR","ResponseFlags":"qr,rd,ra","ResponseSize":152,"SourceIp":"10.0.2.4","SourcePort":47785},"resourceId":"RESOURCE","time":"2025-11-30T00:00:00.5623870Z"}',
    '{"category":"AZFWApplicationRule","operationName":"AZFWApplicationRule","properties":{"Protocol":"HTTPS","SourceIp":"10.0.2.5","SourcePort":56029,"DestinationPort":443,"Fqdn":"api.openai.com","TargetUrl":"https://api.openai.com/v1/chat/completions","Action":"Allow","Policy":"fw-policy","RuleCollectionGroup":"DefaultApplicationRuleCollectionGroup","RuleCollection":"ai-allow","Rule":"openai","ActionReason":"","IsTlsInspected":true,"WebCategory":"ComputersAndTechnology","IsExplicitProxyRequest":false},"resourceId":"RESOURCE","time":"2025-11-30T00:00:01+00:00"}',
    '{"category":"AzureFirewallApplicationRule","operationName":"AzureFirewallApplicationRuleLog","properties":{"msg":"HTTPS request from 10.0.2.6:56030 to claude.ai:443. Action: Allow. Rule Collection: App-Coll01. Rule: Allow-Claude"},"resourceId":"RESOURCE","time":"2025-11-30T00:00:02.2140990Z"}',
    '{"category":"AzureFirewallApplicationRule","operationName":"AzureFirewallApplicationRuleLog","properties":{"msg":"HTTP  request from 10.0.2.7:50776 to www.debian.org:80. Url: www.debian.org/?ref=chatgpt.com. Action: Allow. Policy: fw-policy. Rule Collection Group: DefaultApplicationRuleCollectionGroup. Rule Collection: generic-allow. Rule: web"},"resourceId":"RESOURCE","time":"2025-11-30T00:00:03.3635100Z"}',
    '{"category":"AzureFirewallApplicationRule","operationName":"AzureFirewallApplicationRuleLog","properties":{"msg":"HTTPS request from 10.0.2.8:6065. Action: Deny. Reason: SNI TLS extension was missing."},"resourceId":"RESOURCE","time":"2025-11-30T00:00:04.3912780Z"}',
    '{"category":"AzureFirewallDnsProxy","operationName":"AzureFirewallDnsProxyLog","properties":{"msg":"DNS Request: 10.0.2.9:48197 \u2013 15676 AAAA IN gemini.google.com. udp 55 false 512 NOERROR qr,rd,ra 194 0.000301956s"},"resourceId":"RESOURCE","time":"2025-11-30T00:00:05.751Z"}',
    '{"category":"AZFWNetworkRule","operationName":"AZFWNetworkRule","properties":{"Protocol":"TCP","SourceIp":"10.0.2.10","SourcePort":50000,"DestinationIp":"160.79.104.10","DestinationPort":443,"Action":"Allow","Policy":"fw-policy","RuleCollectionGroup":"net","RuleCollection":"net","Rule":"any","ActionReason":""},"resourceId":"RESOURCE","time":"2025-11-30T00:00:06Z"}',
]) + "\n"
FIXTURES = [("azure-firewall", FIREWALL)]


def test_dns_and_application_records_in_both_generations():
    results = parse_each(AzureFirewall, FIREWALL)
    assert results[:3] == [
        {"host": "chatgpt.com", "client": "10.0.2.4", "timestamp": "2025-11-30T00:00:00Z"},
        {"host": "api.openai.com", "path": "/v1/chat/completions", "client": "10.0.2.5",
         "timestamp": "2025-11-30T00:00:01Z"},
        {"host": "claude.ai", "client": "10.0.2.6", "timestamp": "2025-11-30T00:00:02Z"},
    ]
    assert results[3] == {"host": "www.debian.org", "path": "/?ref=chatgpt.com", "client": "10.0.2.7",
                          "timestamp": "2025-11-30T00:00:03Z"}
    assert results[4] is None  # no SNI, no host
    assert (results[5]["host"], results[5]["client"]) == ("gemini.google.com", "10.0.2.9")
    assert results[6] is None  # network rules name addresses only


@pytest.mark.parametrize("line, reason", [
    ('{"category":"AzureFirewallApplicationRule","properties":{"msg":"something else entirely"},"time":"2025-11-30T00:00:00Z"}', "application rule message not understood"),
    ('{"category":"AzureFirewallDnsProxy","properties":{"msg":"DNS Request: garbled"},"time":"2025-11-30T00:00:00Z"}', "DNS proxy message not understood"),
    ('{"operationName":"x","properties":{}}', "not an Azure Firewall log record"),
    ('{"category":"AZFWDnsQuery","properties":{"QueryName":"chatgpt.com."},"time":"30/11/2025"}', "not an ISO 8601"),
])
def test_malformed_records_are_bad_records(line, reason):
    with pytest.raises(BadRecord, match=reason):
        AzureFirewall().parse(line)


def test_scan_logs_finds_each_client(tmp_path, db_path):
    assert scan_hits(tmp_path, db_path, "PT1H.json", FIREWALL) == {
        ("chatgpt", "10.0.2.4"): 1, ("openai-api", "10.0.2.5"): 1, ("claude", "10.0.2.6"): 1,
        ("gemini", "10.0.2.9"): 1,
    }

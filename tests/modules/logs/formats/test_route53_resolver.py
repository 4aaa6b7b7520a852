"""AWS Route 53 Resolver query logs: query_name, srcaddr, query_timestamp."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.route53_resolver import Route53Resolver
from tests.modules.logs.formats.reading import found, scan_hits

RESOLVER = """\
{"version":"1.100000","account_id":"111122223333","region":"eu-west-1","vpc_id":"vpc-0a1b2c3d","query_timestamp":"2025-11-30T00:00:00Z","query_name":"chatgpt.com.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"104.18.32.47","Type":"A","Class":"IN"}],"srcaddr":"10.0.1.5","srcport":"48701","transport":"UDP","srcids":{"instance":"i-0abc1234def567890"}}
{"version":"1.100000","account_id":"111122223333","region":"eu-west-1","vpc_id":"vpc-0a1b2c3d","query_timestamp":"2025-11-30T00:00:01Z","query_name":"www.debian.org.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"api.openai.com.","Type":"CNAME","Class":"IN"}],"srcaddr":"10.0.1.6","srcport":"48702","transport":"UDP","srcids":{"instance":"i-0abc1234def567891"}}
{"srcaddr":"10.0.1.7","vpc_id":"vpc-0a1b2c3d","answers":[],"firewall_rule_group_id":"rslvr-frg-01234567890abcdef","firewall_rule_action":"BLOCK","query_name":"api.openai.com.","firewall_domain_list_id":"rslvr-fdl-01234567890abcdef","query_class":"IN","srcids":{"instance":"i-0abc1234def567892"},"rcode":"NXDOMAIN","query_type":"AAAA","transport":"UDP","version":"1.100000","account_id":"111122223333","srcport":"56067","query_timestamp":"2025-11-30T00:00:02Z","region":"eu-west-1"}
{"version":"1.100000","account_id":"111122223333","region":"eu-west-1","vpc_id":"vpc-0a1b2c3d","query_timestamp":"2025-11-30T00:00:03Z","query_name":"gemini.local.","query_type":"A","query_class":"IN","rcode":"NXDOMAIN","answers":[],"srcaddr":"10.0.1.8","srcport":"5353","transport":"UDP","srcids":{}}
"""
FIXTURES = [("route53-resolver", RESOLVER)]


def test_each_query_gives_name_client_and_time():
    assert found(Route53Resolver, RESOLVER) == [
        {"host": "chatgpt.com", "timestamp": "2025-11-30T00:00:00Z", "client": "10.0.1.5"},
        {"host": "www.debian.org", "timestamp": "2025-11-30T00:00:01Z", "client": "10.0.1.6"},
        {"host": "api.openai.com", "timestamp": "2025-11-30T00:00:02Z", "client": "10.0.1.7"},
        {"host": "gemini.local", "timestamp": "2025-11-30T00:00:03Z", "client": "10.0.1.8"},
    ]


@pytest.mark.parametrize("line, reason", [
    ('{"query_name":"chatgpt.com.","srcaddr":"10.0.1.5"}', "not a Resolver query log record"),
    ('{"query_timestamp":"2025-11-30T00:00:00Z","query_name":"","srcaddr":"10.0.1.5"}', "query_name is empty"),
    ('{"query_timestamp":"yesterday","query_name":"chatgpt.com.","srcaddr":"10.0.1.5"}', "not an ISO 8601"),
    ('["chatgpt.com."]', "not an object"),
])
def test_malformed_records_are_bad_records(line, reason):
    with pytest.raises(BadRecord, match=reason):
        Route53Resolver().parse(line)


def test_scan_logs_matches_query_names_not_answers(tmp_path, db_path):
    assert scan_hits(tmp_path, db_path, "resolver.log", RESOLVER) == {
        ("chatgpt", "10.0.1.5"): 1, ("openai-api", "10.0.1.7"): 1,
    }

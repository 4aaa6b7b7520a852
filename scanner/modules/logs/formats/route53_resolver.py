"""Amazon Route 53 Resolver query logs: one JSON object per query, as delivered to S3, CloudWatch Logs or
Firehose.

    {"version": "1.100000", "account_id": "…", "region": "us-east-1", "vpc_id": "vpc-…",
     "query_timestamp": "2021-12-11T22:46:23Z", "query_name": "chatgpt.com.", "query_type": "A",
     "rcode": "NOERROR", "answers": […], "srcaddr": "10.0.1.5", "srcport": "48701", "transport": "UDP",
     "srcids": {"instance": "i-…"}}

The host is ``query_name``, the client ``srcaddr``. Records written by DNS Firewall rules have the same fields.
See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-format.html.
"""

from __future__ import annotations

from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat, known
from scanner.modules.logs.formats.host_names import dns_name
from scanner.modules.logs.formats.json_lines import load_object, sniff_objects, text
from scanner.modules.logs.formats.timestamps import iso8601


def is_resolver_query(record: dict[str, Any]) -> bool:
    return "query_name" in record and "query_timestamp" in record


class Route53Resolver(LogFormat):
    name = "route53-resolver"
    description = "AWS Route 53 Resolver query logs, JSON (query_name; client srcaddr)"
    kind = "dns"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        return sniff_objects(lines, is_resolver_query)

    def parse(self, line: str) -> dict[str, Any] | None:
        record = load_object(line)
        if not is_resolver_query(record):
            raise BadRecord("not a Resolver query log record (no query_name and query_timestamp)")
        host = dns_name(text(record, "query_name"))
        if not host:
            raise BadRecord("query_name is empty")
        return known({
            "host": host,
            "timestamp": iso8601(text(record, "query_timestamp") or ""),
            "client": text(record, "srcaddr"),
        })

"""Google Cloud DNS query logs, as exported from Cloud Logging (a sink to Cloud Storage, or
``gcloud logging read --format=json`` flattened to one entry per line).

    {"insertId": "…", "jsonPayload": {"queryName": "chatgpt.com.", "queryType": "A", "sourceIP": "10.154.0.3",
     "vmInstanceName": "…", "responseCode": "NOERROR", …}, "logName": "projects/P/logs/dns.googleapis.com%2Fdns_queries",
     "resource": {"type": "dns_query", …}, "timestamp": "2022-01-23T09:16:05.341873447Z"}

The host is ``jsonPayload.queryName``, the client ``jsonPayload.sourceIP``; ``timestamp`` has nanoseconds.
See https://cloud.google.com/dns/docs/monitoring#dns-log-record-format.
"""

from __future__ import annotations

from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat, known
from scanner.modules.logs.formats.host_names import dns_name
from scanner.modules.logs.formats.json_lines import load_object, sniff_objects, text
from scanner.modules.logs.formats.timestamps import iso8601


def is_dns_query_entry(record: dict[str, Any]) -> bool:
    payload = record.get("jsonPayload")
    if not isinstance(payload, dict):
        return False
    return text(record, "resource", "type") == "dns_query" or "dns_queries" in (text(record, "logName") or "")


class GcpCloudDns(LogFormat):
    name = "gcp-cloud-dns"
    description = "Google Cloud DNS query logs exported from Cloud Logging, JSON (queryName; client sourceIP)"
    kind = "dns"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        return sniff_objects(lines, is_dns_query_entry)

    def parse(self, line: str) -> dict[str, Any] | None:
        record = load_object(line)
        if not is_dns_query_entry(record):
            raise BadRecord("not a Cloud DNS log entry (no jsonPayload of resource type dns_query)")
        host = dns_name(text(record, "jsonPayload", "queryName"))
        if not host:
            raise BadRecord("jsonPayload.queryName is empty")
        when = text(record, "timestamp") or text(record, "receiveTimestamp")
        return known({
            "host": host,
            "timestamp": iso8601(when) if when else None,
            "client": text(record, "jsonPayload", "sourceIP"),
        })

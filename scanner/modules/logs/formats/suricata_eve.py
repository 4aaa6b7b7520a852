"""Suricata's EVE JSON output (eve.json): its dns, tls and http events.

Every event has ``timestamp`` (with its UTC offset), ``event_type`` and the flow's ``src_ip``/``dest_ip``.

- ``tls``: the SNI is ``tls.sni``; the client is ``src_ip``.
- ``http``: ``http.hostname`` (the Host header), ``http.url``, ``http_method``, ``status``, ``length``.
- ``dns``: the question a client asked. Version 1 and 2 layouts log one event per query
  (``{"type": "query", "rrname": …}``) and per answer; version 3 (``"version": 3``, Suricata 8) logs a
  ``request`` or ``response`` with a ``queries`` array. Only queries and requests count: an answer repeats its
  question, and counting both would double every hit. Answers carry ``src_ip`` = the resolver.

Other event types (alert, flow, fileinfo, stats, anomaly…) carry nothing read here, even when an alert repeats
the tls or http object of its flow. See https://docs.suricata.io/en/latest/output/eve/eve-json-format.html.
"""

from __future__ import annotations

from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat, known
from scanner.modules.logs.formats.host_names import authority_host, dns_name, url_host_and_path
from scanner.modules.logs.formats.json_lines import load_object, sniff_objects, text
from scanner.modules.logs.formats.timestamps import iso8601

QUESTIONS = ("query", "request")


def is_eve(record: dict[str, Any]) -> bool:
    return isinstance(record.get("event_type"), str) and "timestamp" in record


class SuricataEve(LogFormat):
    name = "suricata-eve"
    description = "Suricata eve.json: dns queries (v1, v2 and v3 layouts), tls SNI, http host and URL"
    kind = "dns"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        return sniff_objects(lines, is_eve)

    def parse(self, line: str) -> dict[str, Any] | None:
        record = load_object(line)
        if not is_eve(record):
            raise BadRecord("not an EVE event (no event_type and timestamp)")
        event_type = record["event_type"]
        if event_type not in ("dns", "tls", "http"):
            return None
        detail = record.get(event_type)
        if not isinstance(detail, dict):
            raise BadRecord(f"{event_type} event without a {event_type} object")
        common = {"timestamp": iso8601(str(record["timestamp"])), "client": text(record, "src_ip")}
        if event_type == "dns":
            host = self.question(detail)
            return known({"host": host, **common}) if host else None
        if event_type == "tls":
            host = dns_name(text(detail, "sni"))
            return known({"host": host, **common}) if host else None
        host = authority_host(text(detail, "hostname") or "")
        if not host:
            return None
        url = text(detail, "url")
        path = url_host_and_path(url)[1] if url and "://" in url else url
        method = text(detail, "http_method")
        return known({
            "host": host, **common,
            "path": None if method == "CONNECT" else path,
            "method": method,
            "status": text(detail, "status"),
            "bytes": detail.get("length") if isinstance(detail.get("length"), int) else None,
        })

    @staticmethod
    def question(dns: dict[str, Any]) -> str | None:
        if dns.get("type") not in QUESTIONS:
            return None
        queries = dns.get("queries")
        if isinstance(queries, list):
            first = queries[0] if queries else None
            return dns_name(text(first, "rrname")) if isinstance(first, dict) else None
        return dns_name(text(dns, "rrname"))

"""Azure Firewall diagnostic logs, one JSON record per line (an export to a storage account, or records taken
out of Event Hubs): ``{"category": …, "time": …, "resourceId": ".../AZUREFIREWALLS/…", "properties": {…}}``.

Structured (resource-specific) categories:
- ``AZFWDnsQuery`` (DNS proxy): ``properties.QueryName``, ``SourceIp``.
- ``AZFWApplicationRule``: ``properties.Fqdn``, ``TargetUrl`` (HTTP, or HTTPS under TLS inspection),
  ``SourceIp``.
Legacy categories write one sentence in ``properties.msg``:
- ``AzureFirewallApplicationRule``: ``HTTPS request from 10.0.2.4:56029 to chatgpt.com:443. Url: ….
  Action: Allow. …`` (no ``to`` part when the client sent no SNI);
- ``AzureFirewallDnsProxy``: ``DNS Request: 10.0.0.4:48197 – 15676 A IN chatgpt.com. udp 55 false 512 …``.
Network-rule, threat-intelligence and IDPS categories name addresses, not hosts: they carry nothing here.
See https://learn.microsoft.com/azure/firewall/monitor-firewall-reference.
"""

from __future__ import annotations

import re
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat, known
from scanner.modules.logs.formats.host_names import authority_host, dns_name, url_host_and_path
from scanner.modules.logs.formats.json_lines import load_object, sniff_objects, text
from scanner.modules.logs.formats.timestamps import iso8601

APPLICATION_MESSAGE = re.compile(
    r"(?P<protocol>\S+)\s+request from (?P<client>\S+?):\d+(?: to (?P<target>\S+?))?\."
    r"(?: Url: (?P<url>.+?)\.)? Action: (?P<action>\w+)"
)
DNS_MESSAGE = re.compile(r"DNS Request: (?P<client>\S+?):\d+ \S+ \d+ (?P<type>\S+) (?P<class>\S+) (?P<name>\S+) ")


def is_firewall_record(record: dict[str, Any]) -> bool:
    category = record.get("category")
    if not isinstance(category, str) or not isinstance(record.get("properties"), dict):
        return False
    return category.startswith(("AZFW", "AzureFirewall")) or "/AZUREFIREWALLS/" in str(record.get("resourceId", ""))


class AzureFirewall(LogFormat):
    name = "azure-firewall"
    description = "Azure Firewall diagnostic logs, JSON: DNS proxy and application rules, structured and legacy"
    kind = "proxy"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        return sniff_objects(lines, is_firewall_record)

    def parse(self, line: str) -> dict[str, Any] | None:
        record = load_object(line)
        if not is_firewall_record(record):
            raise BadRecord("not an Azure Firewall log record (no category and properties)")
        category = record["category"]
        properties = record["properties"]
        if category == "AZFWDnsQuery":
            found = {"host": dns_name(text(properties, "QueryName")), "client": text(properties, "SourceIp")}
        elif category == "AZFWApplicationRule":
            found = self.application_rule(properties)
        elif category in ("AzureFirewallApplicationRule", "AzureFirewallDnsProxy"):
            found = self.message(category, text(properties, "msg") or "")
        else:
            return None
        if not found.get("host"):
            return None
        when = text(record, "time") or text(record, "TimeGenerated")
        return known({**found, "timestamp": iso8601(when) if when else None})

    @staticmethod
    def application_rule(properties: dict[str, Any]) -> dict[str, Any]:
        url = text(properties, "TargetUrl")
        path = url_host_and_path(url)[1] if url else None
        return {"host": authority_host(text(properties, "Fqdn") or ""), "path": path,
                "client": text(properties, "SourceIp")}

    @staticmethod
    def message(category: str, message: str) -> dict[str, Any]:
        if category == "AzureFirewallDnsProxy":
            match = DNS_MESSAGE.match(message)
            if not match:
                raise BadRecord(f"DNS proxy message not understood: {message[:80]!r}")
            return {"host": dns_name(match["name"]), "client": match["client"]}
        match = APPLICATION_MESSAGE.match(message)
        if not match:
            raise BadRecord(f"application rule message not understood: {message[:80]!r}")
        if not match["target"]:
            return {}  # no SNI, no host: the firewall denied it for that reason
        path = url_host_and_path(match["url"])[1] if match["url"] else None
        return {"host": authority_host(match["target"]), "path": path, "client": match["client"]}

"""Cisco Umbrella DNS and proxy logs as exported to S3: quoted CSV, no header, times in UTC.

DNS logs (``dnslogs/``), positions from 0:
    0 timestamp, 1 most granular identity, 2 identities, 3 internal IP, 4 external IP, 5 action,
    6 query type (``1 (A)``), 7 response code, 8 domain (with its root dot), 9 categories,
    10 most granular identity type, 11 identity types, 12 blocked categories, …
Proxy logs (``proxylogs/``):
    0 timestamp, 1 identity, 2 internal IP, 3 external IP, 4 destination IP, 5 content type, 6 verdict,
    7 URL, 8 referer, 9 user agent, 10 status code, 11 request size, 12 response size, 13 response body size,
    14 SHA-256, 15 categories, 16–20 AV and AMP results, 21 identity type, 22 blocked categories,
    23 identities, 24 identity types, 25 request method, …
Older exports have fewer trailing columns; newer ones append more. See
https://docs.umbrella.com/deployment-umbrella/docs/log-formats-and-versioning.

Who: the most granular identity is a user (``AD Users``), a device (roaming computer, mobile) or a network.
Users become the user (their e-mail address when the name carries one), devices the client; for a network
identity the client is the internal IP (the network's name when the log has no internal IP).
"""

from __future__ import annotations

import re
from typing import Any, Callable

from scanner.modules.logs.formats.base import BadRecord, LogFormat, known
from scanner.modules.logs.formats.csv_line import csv_fields
from scanner.modules.logs.formats.host_names import UNSET, dns_name, url_host_and_path
from scanner.modules.logs.formats.timestamps import iso8601

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
QUERY_TYPE = re.compile(r"\d+ \([A-Za-z0-9*-]+\)")
EMAIL_IN_NAME = re.compile(r"\(([^()\s]+@[^()\s]+)\)\s*$")
NETWORK_IDENTITIES = {"networks", "internal networks", "sites", "network devices", "network tunnels",
                      "cdfw tunnel device"}


def who(identity: str, identity_type: str | None, internal_ip: str) -> dict[str, str | None]:
    identity = identity.strip()
    kind = (identity_type or "").strip().lower()
    if kind in NETWORK_IDENTITIES or not identity:
        return {"client": internal_ip or identity or None}
    if "user" in kind or not kind:
        email = EMAIL_IN_NAME.search(identity)
        return {"user": email[1] if email else identity, "client": internal_ip or None}
    return {"client": identity}


def umbrella_row(line: str) -> list[str] | None:
    """The fields of a data row; None for the optional header row."""
    fields = csv_fields(line)
    if not fields or not TIMESTAMP.fullmatch(fields[0].strip()):
        if fields and fields[0].strip().lower() in ("timestamp", "time"):
            return None
        raise BadRecord("the first field is not a time like '2024-03-14 18:59:23'")
    return fields


def column(fields: list[str], index: int) -> str | None:
    if index >= len(fields):
        return None
    found = fields[index].strip()
    return None if found.lower() in UNSET else found


def sniff_rows(lines: list[str], shape: Callable[[list[str]], bool]) -> bool:
    hits = 0
    for line in lines:
        try:
            fields = umbrella_row(line)
        except BadRecord:
            continue
        hits += bool(fields) and shape(fields)
    return bool(lines) and hits >= max(1, len(lines) / 2)


def is_dns_row(fields: list[str]) -> bool:
    return len(fields) >= 10 and bool(QUERY_TYPE.fullmatch(fields[6].strip()))


def is_proxy_row(fields: list[str]) -> bool:
    return len(fields) >= 22 and "://" in fields[7]


class UmbrellaDns(LogFormat):
    name = "umbrella-dns"
    description = "Cisco Umbrella DNS logs, CSV as exported to S3 (domain; identity, internal IP)"
    kind = "dns"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        return sniff_rows(lines, is_dns_row)

    def parse(self, line: str) -> dict[str, Any] | None:
        fields = umbrella_row(line)
        if fields is None:
            return None
        if not is_dns_row(fields):
            raise BadRecord(f"expected at least 10 fields with a query type like '1 (A)' in the 7th, "
                            f"found {len(fields)} fields")
        host = dns_name(fields[8])
        if not host:
            return None
        return known({
            "host": host,
            "timestamp": iso8601(fields[0]),
            **who(fields[1], column(fields, 10), fields[3].strip()),
        })


class UmbrellaProxy(LogFormat):
    name = "umbrella-proxy"
    description = "Cisco Umbrella secure web gateway (proxy) logs, CSV as exported to S3"
    kind = "proxy"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        return sniff_rows(lines, is_proxy_row)

    def parse(self, line: str) -> dict[str, Any] | None:
        fields = umbrella_row(line)
        if fields is None:
            return None
        if not is_proxy_row(fields):
            raise BadRecord(f"expected at least 22 fields with a URL in the 8th, found {len(fields)} fields")
        host, path = url_host_and_path(fields[7])
        if not host:
            return None
        method = column(fields, 25)
        size = column(fields, 12)
        return known({
            "host": host,
            "path": None if method == "CONNECT" else path,
            "timestamp": iso8601(fields[0]),
            "method": method,
            "status": column(fields, 10),
            "bytes": int(size) if size and size.isdigit() else None,
            **who(fields[1], column(fields, 21), fields[2].strip()),
        })

"""What Zeek's dns.log, http.log and ssl.log say about a host, whichever way Zeek wrote them (TSV or JSON).

Field names are Zeek's own and have been stable across releases (https://docs.zeek.org/en/master/logs/):
every log has ``ts`` (epoch seconds, or ISO 8601 in JSON written with ``JSON::TS_ISO8601``) and
``id.orig_h``, the client. The host is ``query`` in dns.log (one record per DNS transaction), the Host
header in http.log (``host``, with ``uri``, ``method``, ``status_code``, ``username``), and the TLS SNI in
ssl.log (``server_name``). Other fields (``uid``, user agents, answers) are never read as a host.
"""

from __future__ import annotations

import re
from typing import Any, Collection, Mapping

from scanner.modules.logs.formats.base import BadRecord, epoch_to_iso, known
from scanner.modules.logs.formats.host_names import authority_host, dns_name
from scanner.modules.logs.formats.timestamps import iso8601

LOGS = ("dns", "http", "ssl")
# Fields that only one of the three logs has, in every Zeek release since 2.x.
SIGNATURE_FIELDS = {
    "dns": ("trans_id", "qtype_name", "qclass_name", "rcode_name"),
    "http": ("trans_depth",),
    "ssl": ("cipher", "established", "ssl_history"),
}
MASKED_TIME = re.compile(r"X+\.X+")  # Zeek's own test baselines mask times as XXXXXXXXXX.XXXXXX


def log_of(names: Collection[str], path: str | None = None) -> str | None:
    """Which of dns/http/ssl a record or a #fields header belongs to: by ``_path``/``#path``, else by its fields."""
    if path in LOGS:
        return path
    for log, fields in SIGNATURE_FIELDS.items():
        if any(field in names for field in fields):
            return log
    return None


def zeek_time(value: Any) -> str | None:
    if value is None or value == "" or (isinstance(value, str) and MASKED_TIME.fullmatch(value)):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return epoch_to_iso(str(value))
    text = str(value)
    return iso8601(text) if "-" in text[:10] else epoch_to_iso(text)


def host_fields(log: str, record: Mapping[str, Any]) -> dict[str, Any] | None:
    """HostSeen fields of one record (unset fields absent or None), None when it names no host."""
    if log == "dns":
        host = dns_name(scalar(record, "query"))
        extra: dict[str, Any] = {}
    elif log == "http":
        host = authority_host(scalar(record, "host") or "")
        extra = {
            "path": scalar(record, "uri"),
            "method": scalar(record, "method"),
            "status": scalar(record, "status_code"),
            "user": scalar(record, "username"),
            "bytes": number(record, "response_body_len"),
        }
    elif log == "ssl":
        host = dns_name(scalar(record, "server_name"))
        extra = {}
    else:
        raise ValueError(log)
    if not host:
        return None
    return known({"host": host, "timestamp": zeek_time(record.get("ts")), "client": scalar(record, "id.orig_h"),
                  **extra})


def scalar(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, (list, dict)):
        return None
    return str(value) or None


def number(record: Mapping[str, Any], name: str) -> int | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise BadRecord(f"{name} {str(value)[:20]!r} is not a number") from exc

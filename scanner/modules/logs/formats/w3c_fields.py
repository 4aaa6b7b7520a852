"""What a W3C extended log line says about a host, by field name (https://www.w3.org/TR/WD-logfile.html).

Shared by logs that name their fields in a ``#Fields:`` header (Blue Coat / Symantec ProxySG ELFF, IIS and
others) and by IIS logs without one (iis_default). Names are case-insensitive:

- host: ``cs-host`` (ProxySG, IIS), ``cs(Host)``, else the host of a full URL (``cs-uri``, ``cs-url``, ``r-uri``);
- path: ``cs-uri-path`` (ProxySG) or ``cs-uri-stem`` (IIS) with ``cs-uri-query``, or the full URL's; none for
  CONNECT or ProxySG's tunnelled ``tcp``/``ssl`` schemes;
- time: ``date`` and ``time`` (UTC, per the specification), else ``x-timestamp-unix``;
- client ``c-ip``, user ``cs-username``, method ``cs-method``, status ``sc-status``, bytes ``sc-bytes``.
"""

from __future__ import annotations

import re
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, epoch_to_iso, known
from scanner.modules.logs.formats.host_names import authority_host, url_host_and_path
from scanner.modules.logs.formats.timestamps import iso8601

TOKEN = re.compile(r'"[^"]*"|\S+')
HOST_FIELDS = ("cs-host", "cs(host)")
URL_FIELDS = ("cs-uri", "cs-url", "r-uri")
TUNNEL_SCHEMES = ("tcp", "ssl")


def w3c_tokens(line: str) -> list[str]:
    """Space-separated values; ProxySG double-quotes values holding spaces."""
    return [token[1:-1] if token.startswith('"') and token.endswith('"') and len(token) > 1 else token
            for token in TOKEN.findall(line)]


def present(record: dict[str, str], name: str) -> str | None:
    value = record.get(name)
    return None if value is None or value in ("-", "") else value


def w3c_fields(record: dict[str, str]) -> dict[str, Any] | None:
    """HostSeen fields from one line's values keyed by lower-case field name; None without a host."""
    host = path = None
    for name in HOST_FIELDS:
        if present(record, name):
            host = authority_host(record[name])
            break
    for name in URL_FIELDS:
        url = present(record, name)
        if url:
            url_host, path = url_host_and_path(url)
            host = host or url_host
            break
    if not host:
        return None
    stem = present(record, "cs-uri-path") or present(record, "cs-uri-stem")
    if stem:
        query = present(record, "cs-uri-query")
        path = stem + (("" if query.startswith("?") else "?") + query if query else "")
    method = present(record, "cs-method")
    if method == "CONNECT" or (present(record, "cs-uri-scheme") or "").lower() in TUNNEL_SCHEMES:
        path = None
    size = present(record, "sc-bytes")
    return known({
        "host": host,
        "path": path,
        "timestamp": w3c_time(record),
        "client": present(record, "c-ip"),
        "user": present(record, "cs-username"),
        "method": method,
        "status": present(record, "sc-status"),
        "bytes": int(size) if size and size.isdigit() else None,
    })


def w3c_time(record: dict[str, str]) -> str | None:
    date, time = present(record, "date"), present(record, "time")
    if date and time:
        return iso8601(f"{date} {time}")
    unix = present(record, "x-timestamp-unix")
    if unix:
        return epoch_to_iso(unix)
    if date or time:
        raise BadRecord("a date without a time, or a time without a date")
    return None

"""Squid's native access.log format (``logformat squid``), the default of every Squid release:

    time elapsed remotehost code/status bytes method URL rfc931 peerstatus/peerhost type

``time`` is seconds since the epoch with milliseconds; ``URL`` is ``host:port`` for CONNECT; ``rfc931`` is
the ident or authenticated user name, ``-`` when there is none (Squid URL-encodes it).
See https://wiki.squid-cache.org/Features/LogFormat.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from scanner.matching.matcher import split_url
from scanner.modules.logs.formats.base import BadRecord, LogFormat, epoch_to_iso

LINE = re.compile(
    r"^\d{9,11}\.\d{1,6}\s+-?\d+\s+\S+\s+[A-Z_]+(?:/\d{3}|/-)?\s+-?\d+\s+[A-Za-z_-]+\s+\S+\s+\S+\s+[A-Z_]+/\S+\s+\S+\s*$"
)


class SquidNative(LogFormat):
    name = "squid-native"
    description = "Squid access.log, native format (logformat squid)"
    kind = "proxy"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        # Most lines, not all: a real log has the odd corrupt line, and this pattern is too specific to fire by chance.
        return bool(lines) and sum(1 for line in lines if LINE.match(line)) >= max(1, len(lines) / 2)

    def parse(self, line: str) -> dict[str, Any] | None:
        fields = line.split()
        if not fields:
            return None
        if len(fields) != 10:
            raise BadRecord(f"expected 10 space-separated fields, found {len(fields)}")
        timestamp, _elapsed, client, code_status, size, method, url, user, _hierarchy, _type = fields
        code, _, status = code_status.partition("/")
        if not code or not code.replace("_", "").isalpha():
            raise BadRecord(f"result code {code_status[:40]!r} is not CODE/STATUS")
        host, path = split_url(url)
        if not host or url.startswith("error:"):
            return None
        if method == "CONNECT":
            path = None
        return {
            "timestamp": epoch_to_iso(timestamp),
            "client": client,
            "user": None if user == "-" else unquote(user),
            "host": host,
            "path": path,
            "method": method,
            "status": status or None,
            "bytes": int(size) if size.lstrip("-").isdigit() else None,
        }

"""Squid access.log in Apache-style formats (``logformat common`` / ``combined``), which other forward proxies
(Apache mod_proxy, nginx, Varnish) write too:

    logformat common   %>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st %Ss:%Sh
    logformat combined %>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st "%{Referer}>h" "%{User-Agent}>h" %Ss:%Sh

    10.0.0.5 - alice [30/Nov/2025:01:00:00 +0100] "GET https://chatgpt.com/backend-api/me HTTP/1.1" 200 512 "-" "Mozilla/5.0" TCP_MISS:HIER_DIRECT

``%tl`` is local time with its offset; ``%ru`` is an absolute URL, or ``host:port`` for CONNECT; ``%[un`` is
the authenticated user (``%[ui`` the ident), URL-encoded by Squid, ``-`` when none. The trailing
``%Ss:%Sh`` is optional (Apache and nginx do not write it). A web server's own log (requests for ``/path``)
names no host and is not this format. See https://wiki.squid-cache.org/Features/LogFormat.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from scanner.modules.logs.formats.base import BadRecord, LogFormat, known
from scanner.modules.logs.formats.host_names import url_host_and_path
from scanner.modules.logs.formats.timestamps import strptime_utc

LINE = re.compile(
    r'(?P<client>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]+)\] '
    r'"(?P<method>[A-Za-z_-]+) (?P<url>\S+)(?: HTTP/[\d.]+)?" (?P<status>\d{3}|-) (?P<bytes>\d+|-)'
    r'(?: "(?:[^"\\]|\\.)*" "(?:[^"\\]|\\.)*")?(?: [A-Z_]+:[A-Z_]+(?:/\S*)?)?\s*'
)
PROXY_TARGET = re.compile(r"[a-z][a-z0-9+.-]*://\S+|[^/\s]+:\d+", re.IGNORECASE)


class SquidCommon(LogFormat):
    name = "squid-common"
    description = "Squid access.log, common or combined format (Apache-style forward-proxy lines)"
    kind = "proxy"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        matches = [match for match in map(LINE.fullmatch, lines) if match]
        proxied = sum(1 for match in matches if PROXY_TARGET.fullmatch(match["url"]))
        # Mostly absolute URLs: a web server's log, where only the odd probe is absolute, is not a proxy's.
        return len(matches) >= max(1, len(lines) / 2) and proxied >= max(1, len(matches) / 2)

    def parse(self, line: str) -> dict[str, Any] | None:
        match = LINE.fullmatch(line)
        if match is None:
            raise BadRecord('not a common/combined line (client ident user [time] "METHOD URL HTTP/x" status bytes)')
        url, method = match["url"], match["method"].upper()
        if not PROXY_TARGET.fullmatch(url):
            return None  # an origin-form request ("/path") or Squid's "error:…": no host
        host, path = url_host_and_path(url)
        if not host:
            return None
        user = next((unquote(name) for name in (match["user"], match["ident"]) if name != "-"), None)
        return known({
            "host": host,
            "path": None if method == "CONNECT" else path,
            "timestamp": strptime_utc(match["time"], "%d/%b/%Y:%H:%M:%S %z", "time"),
            "client": match["client"],
            "user": user,
            "method": method,
            "status": None if match["status"] == "-" else match["status"],
            "bytes": None if match["bytes"] == "-" else int(match["bytes"]),
        })

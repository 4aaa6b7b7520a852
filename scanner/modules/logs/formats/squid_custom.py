"""Squid access.log written with a custom ``logformat`` that starts like the native one and keeps its fields in
their native order, with others in between or after: the usual way sites extend it (client port, header
sizes, HTTP version, quoted Referer, User-Agent and Host headers…).

    1764460800.391    104 10.0.0.5 58938 TCP_MISS/200 904 123 364 GET https://chatgpt.com/ 1.1 alice HIER_DIRECT/104.18.32.47 443 text/html "-" "curl/8.14.1"

A line is read by the shape of its fields, not their positions: the time (``%ts.%03tu``) first and the
client (``%>a``) third, the first ``CODE/status`` and the size after it, the first request method followed
by a URL (absolute, or ``host:port`` for CONNECT), then the user (``%un``, after an optional HTTP version)
when a hierarchy field (``HIER_DIRECT/…``) follows it. A file in the exact native layout is squid-native's.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from scanner.modules.logs.formats.base import BadRecord, LogFormat, epoch_to_iso, known
from scanner.modules.logs.formats.host_names import url_host_and_path
from scanner.modules.logs.formats.squid_native import LINE as NATIVE_LINE

TOKEN = re.compile(r'"[^"]*"|\S+')  # quoted header values (%{User-Agent}>h) hold spaces
TIME = re.compile(r"\d{9,11}\.\d{1,6}")
CODE_STATUS = re.compile(r"(?P<code>[A-Z][A-Z_]*)/(?P<status>\d{3}|-)")
METHOD = re.compile(r"[A-Z][A-Z_-]{1,19}")
URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+|[^/\s\"]+:\d+|error:\S+", re.IGNORECASE)
VERSION = re.compile(r"(?:HTTP/)?\d\.\d")
HIERARCHY = re.compile(r"[A-Z][A-Z_]*/\S+")


def request(tokens: list[str]) -> tuple[int, int] | None:
    """(index of the code/status field, index of the method field), or None when the line has no request."""
    code = next((i for i, token in enumerate(tokens) if i > 2 and CODE_STATUS.fullmatch(token)), None)
    if code is None:
        return None
    for i in range(code + 1, len(tokens) - 1):
        if METHOD.fullmatch(tokens[i]) and URL.fullmatch(tokens[i + 1]):
            return code, i
    return None


def looks_custom(line: str) -> bool:
    tokens = line.split()
    return len(tokens) > 5 and bool(TIME.fullmatch(tokens[0])) and request(tokens) is not None


class SquidCustom(LogFormat):
    name = "squid-custom"
    description = "Squid access.log, custom logformat keeping the native fields' order (extra fields between)"
    kind = "proxy"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        custom = sum(1 for line in lines if looks_custom(line))
        native = sum(1 for line in lines if NATIVE_LINE.match(line))
        return custom >= max(1, len(lines) / 2) and native < len(lines) / 2

    def parse(self, line: str) -> dict[str, Any] | None:
        tokens = TOKEN.findall(line)
        if len(tokens) < 6 or not TIME.fullmatch(tokens[0]):
            raise BadRecord("not a Squid line: no '%ts.%03tu' time first")
        found = request(tokens)
        if found is None:
            raise BadRecord("no CODE/status field followed by a method and a URL")
        code, method_at = found
        method, url = tokens[method_at], tokens[method_at + 1]
        host, path = url_host_and_path(url)
        if not host or url.startswith("error:"):
            return None
        size = tokens[code + 1]
        return known({
            "host": host,
            "path": None if method == "CONNECT" else path,
            "timestamp": epoch_to_iso(tokens[0]),
            "client": tokens[2],
            "user": self.user(tokens, method_at + 2),
            "method": method,
            "status": CODE_STATUS.fullmatch(tokens[code])["status"].replace("-", "") or None,
            "bytes": int(size) if size.isdigit() else None,
        })

    @staticmethod
    def user(tokens: list[str], after_url: int) -> str | None:
        at = after_url + 1 if after_url < len(tokens) and VERSION.fullmatch(tokens[after_url]) else after_url
        if at + 1 < len(tokens) and HIERARCHY.fullmatch(tokens[at + 1]) and tokens[at] != "-":
            return unquote(tokens[at])
        return None

"""IIS W3C logs without a ``#Fields:`` header (headers stripped by a log shipper, or lines forwarded one by one).

IIS writes the fields it is told to, always in the same relative order. The default set since IIS 7 is

    date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer)
    sc-status sc-substatus sc-win32-status time-taken

and sites often add ``s-sitename``/``s-computername`` (before ``s-ip``), ``cs-version`` (before the user
agent), ``cs(Cookie)``/``cs-host`` (around the referer), ``sc-bytes cs-bytes`` (before ``time-taken``) and a
custom X-Forwarded-For field at the end. Each line is read by that order, anchored on the method and on the
three status numbers, so the common variants are read without a header; the host is ``cs-host`` (the last
field between the user agent and the status when it is a bare host name). The default set has no host: its
lines carry none. A log with its ``#Fields:`` header is read by w3c-extended instead.
"""

from __future__ import annotations

import re
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat
from scanner.modules.logs.formats.w3c_fields import w3c_fields

LINE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2}) (?P<time>\d{2}:\d{2}:\d{2}) (?:\S+ ){0,3}?"
    r"(?P<method>[A-Z][A-Z_-]*) (?P<stem>[/*]\S*) (?P<query>\S+) (?P<port>\d+|-) (?P<user>\S+) (?P<client>\S+) "
    r"(?:HTTP/\d\S* )?\S+ (?P<between>(?:\S+ ){0,3}?)"
    r"(?P<status>\d{3}) \d+ \d+(?P<sizes> \d+ \d+)?(?: (?:\d+|-))(?: \S+)?"
)
BARE_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d+)?")


class IisDefault(LogFormat):
    name = "iis-w3c"
    description = "IIS W3C log without a #Fields header (default field set and common variants)"
    kind = "proxy"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        if any(line.startswith("#Fields:") for line in lines):
            return False
        entries = [line for line in lines if not line.startswith("#")]
        hits = sum(1 for line in entries if LINE.fullmatch(line.strip()))
        return bool(entries) and hits >= max(1, len(entries) / 2)

    def parse(self, line: str) -> dict[str, Any] | None:
        if line.startswith("#"):
            return None
        match = LINE.fullmatch(line.strip())
        if match is None:
            raise BadRecord("not an IIS W3C line (date time … method stem query port user client agent … "
                            "status substatus win32-status time-taken)")
        between = match["between"].split()
        host = between[-1] if between and BARE_HOST.fullmatch(between[-1]) else None
        if host is None:
            return None
        return w3c_fields({
            "date": match["date"], "time": match["time"], "cs-method": match["method"],
            "cs-uri-stem": match["stem"], "cs-uri-query": match["query"], "cs-username": match["user"],
            "c-ip": match["client"], "cs-host": host, "sc-status": match["status"],
            "sc-bytes": match["sizes"].split()[0] if match["sizes"] else "-",
        })

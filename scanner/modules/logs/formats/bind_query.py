"""BIND 9 query logging (``category queries``), in a file of its own or inside syslog as Infoblox NIOS and
most distributions write it:

    07-Apr-2022 08:08:10.043 queries: info: client @0x7f1dd4114af0 10.0.0.1#53000 (chatgpt.com): query: chatgpt.com IN A +E(0)K (10.0.0.53)
    <30>Mar  9 23:59:59 ns1 named[17742]: client @0x7f1d… 10.0.0.1#59735 (chatgpt.com): view internal: query: chatgpt.com IN A + (10.0.0.53)
    <30>Apr 14 16:17:20 10.50.1.227 named[2588]: infoblox-responses: 14-Apr-2022 16:17:20.046 client 10.0.0.1#57738: UDP: query: chatgpt.com IN A response: NOERROR + …

Releases before 9.10 write no ``@0x…`` client object; Infoblox's response logging writes the protocol before
``query:`` and the answer after it. The time is BIND's own (``print-time``) when the line has one, else the
syslog header's. Other named messages (zone transfers, query failures, RPZ rewrites, DNSSEC validation) and
other programs' syslog lines carry no query: they are not errors. Only Internet-class (IN) questions count.
"""

from __future__ import annotations

import re
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat, known
from scanner.modules.logs.formats.host_names import dns_name
from scanner.modules.logs.formats.syslog_prefix import split_syslog
from scanner.modules.logs.formats.timestamps import strptime_utc

BIND_TIME = re.compile(r"(?:[\w-]+: )?(?P<time>\d{2}-[A-Za-z]{3}-\d{4} \d{2}:\d{2}:\d{2})(?:\.\d+)?\b")
QUERY = re.compile(
    r"\bclient (?:@0x[0-9a-fA-F]+ )?(?P<client>\S+?)#\d+(?: \([^)]*\))?:?(?: view [^:]*:)?(?: (?:UDP|TCP):)?"
    r" query: (?P<name>\S+) (?P<class>[A-Z0-9]+) (?P<type>\S+)"
)


def named_message(line: str) -> tuple[str | None, Any]:
    """(the named message, its syslog header); (None, header) for another program's syslog line."""
    syslog = split_syslog(line)
    if syslog is None:
        return line, None
    return (syslog.message if syslog.program.startswith("named") else None), syslog


def is_bind_line(line: str) -> bool:
    message, syslog = named_message(line)
    return message is not None and (syslog is not None or bool(BIND_TIME.match(message))
                                    or message.startswith("client "))


class BindQuery(LogFormat):
    name = "bind-query"
    description = "BIND 9 query log, plain or in syslog (Infoblox NIOS too); client and question name"
    kind = "dns"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        bind_lines = sum(1 for line in lines if is_bind_line(line))
        queries = sum(1 for line in lines if is_bind_line(line) and QUERY.search(line))
        return queries >= 1 and bind_lines >= len(lines) / 2

    def parse(self, line: str) -> dict[str, Any] | None:
        message, syslog = named_message(line)
        if message is None:
            return None  # another program's line in a shared syslog file
        bind_time = BIND_TIME.match(message)
        query = QUERY.search(message)
        if query is None:
            if syslog is not None or bind_time or message.startswith("client "):
                return None
            raise BadRecord("not a BIND log line (no syslog header, BIND time or 'client …')")
        if query["class"] != "IN":
            return None  # CHAOS (version.bind) and Hesiod questions name no Internet host
        host = dns_name(query["name"])
        if not host:
            raise BadRecord("query without a name")
        if bind_time:
            timestamp = strptime_utc(bind_time["time"], "%d-%b-%Y %H:%M:%S", "BIND time")
        else:
            timestamp = syslog.timestamp() if syslog else None
        return known({"host": host, "timestamp": timestamp, "client": query["client"]})

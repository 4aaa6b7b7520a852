"""dnsmasq's query log (``log-queries``), as syslog or its own ``log-facility`` file writes it; Pi-hole's
``pihole.log`` is the same log.

    Mar 11 23:51:31 dnsmasq[1234]: query[A] chatgpt.com from 192.168.1.10
    Mar 11 23:51:31 pihole dnsmasq[1234]: 17 192.168.1.10/53127 query[AAAA] chatgpt.com from 192.168.1.10

(the second with ``log-queries=extra``: a serial number and the client's address/port first). Only
``query[…]`` lines count; ``forwarded``, ``reply``, ``cached``, ``gravity blocked`` and configuration lines
follow a query and repeat its name. The syslog time has no year (see timestamps.syslog_time).
"""

from __future__ import annotations

import re
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat, known
from scanner.modules.logs.formats.host_names import dns_name
from scanner.modules.logs.formats.syslog_prefix import split_syslog

QUERY = re.compile(r"(?:\d+ \S+/\d+ )?query\[(?P<type>[^\]]+)\] (?P<name>\S+) from (?P<client>\S+)\s*")
PROGRAMS = ("dnsmasq", "pihole-ftl")


def dnsmasq_message(line: str) -> str | None:
    syslog = split_syslog(line)
    if syslog is None or not syslog.program.lower().startswith(PROGRAMS):
        return None
    return syslog.message


class Dnsmasq(LogFormat):
    name = "dnsmasq"
    description = "dnsmasq / Pi-hole query log (query[A] name from client), syslog or log-facility file"
    kind = "dns"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        messages = [dnsmasq_message(line) for line in lines]
        queries = sum(1 for message in messages if message is not None and QUERY.fullmatch(message))
        return queries >= 1 and sum(message is not None for message in messages) >= len(lines) / 2

    def parse(self, line: str) -> dict[str, Any] | None:
        syslog = split_syslog(line)
        if syslog is None:
            raise BadRecord("not a syslog line ('Mon dd hh:mm:ss [host] dnsmasq[pid]: …')")
        if not syslog.program.lower().startswith(PROGRAMS):
            return None  # another program's line in a shared syslog file
        query = QUERY.fullmatch(syslog.message)
        if query is None:
            if syslog.message.startswith("query["):
                raise BadRecord(f"query line not understood: {syslog.message[:80]!r}")
            return None
        host = dns_name(query["name"])
        if not host:
            return None
        return known({"host": host, "timestamp": syslog.timestamp(), "client": query["client"]})

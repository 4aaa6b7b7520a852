"""The syslog header in front of a program's message, in the three shapes files on disk hold:

- RFC 3164 as syslogd writes it: ``<30>Mar  9 23:59:59 host named[123]: message`` (priority optional,
  the host missing in Pi-hole's own log, two host tokens when a relay adds its address, as Infoblox does);
- RFC 5424: ``<30>1 2024-03-09T23:59:59.123+01:00 host named 123 - - message``;
- rsyslog's high-precision file format: ``2024-03-09T23:59:59.123456+01:00 host named[123]: message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scanner.modules.logs.formats.timestamps import iso8601, syslog_time

RFC3164 = re.compile(
    r"(?:<\d{1,3}>)?(?P<time>[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2})(?:\.\d+)? +(?:\S+ +){0,2}?"
    r"(?P<program>[\w.\-/]+?)(?:\[(?P<pid>\d+)\])?: (?P<message>.*)"
)
RFC5424 = re.compile(
    r"<\d{1,3}>1 (?P<time>\S+) \S+ (?P<program>\S+) (?P<pid>\S+) \S+ (?:-|(?:\[.*?\])+) ?(?P<message>.*)"
)
ISO_PREFIXED = re.compile(
    r"(?:<\d{1,3}>)?(?P<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\S*) +(?:\S+ +)??"
    r"(?P<program>[\w.\-/]+?)(?:\[(?P<pid>\d+)\])?: (?P<message>.*)"
)


@dataclass(frozen=True)
class SyslogLine:
    time: str  # as written
    program: str
    message: str
    rfc3164: bool

    def timestamp(self) -> str:
        return syslog_time(self.time) if self.rfc3164 else iso8601(self.time)


def split_syslog(line: str) -> SyslogLine | None:
    for pattern, rfc3164 in ((RFC3164, True), (RFC5424, False), (ISO_PREFIXED, False)):
        match = pattern.match(line)
        if match:
            return SyslogLine(match["time"], match["program"], match["message"], rfc3164)
    return None

"""The Windows DNS Server debug log (DNS Manager > Debug Logging, ``dns.log``), CRLF lines:

    DNS Server log file creation at 3/14/2024 10:15:01 AM
    Message logging key (for packets - other items use a subset of these fields):
    …
    3/14/2024 10:15:01 AM 0E1C PACKET  000000A1B2C3D4E5 UDP Rcv 10.0.0.5        1a2b   Q [0001   D   NOERROR] A      (7)chatgpt(3)com(0)
    3/14/2024 10:15:01 AM 0E1C PACKET  000000A1B2C3D4E5 UDP Snd 10.0.0.5        1a2b R Q [8081   DR  NOERROR] A      (7)chatgpt(3)com(0)

Fields: date, time, thread, ``PACKET``, packet id, UDP/TCP, Rcv/Snd, remote IP, xid, ``R`` for a response
(blank for a query), opcode (Q standard query, N notify, U update), [flags, rcode], question type and the
question name with each label behind its length. A client's question is a received (``Rcv``) standard query;
what the server sends on to its forwarders and the responses repeat that name and are not counted again.
Detail lines of "details" mode, the header and EVENT lines carry nothing.

The date is written in the server's locale: ``3/14/2024 10:15:01 AM`` (en-US), ``14/03/2024 10:15:01``
(en-GB, fr…), ``14.03.2024`` (de, ru…), ``2024-03-14`` or ``2024/03/14`` (sv, ja…), ``20240314`` (Windows
2003). Day and month are told apart by a value above 12 in the line or, failing that, in the first lines of
the file; when nothing tells, a 12-hour clock (AM/PM) means month first. Times are the server's local time.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat, known
from scanner.modules.logs.formats.host_names import dns_name
from scanner.modules.logs.formats.timestamps import to_iso

DATE = r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{8}"
TIME = r"\d{1,2}:\d{2}:\d{2}(?: ?[AaPp]\.?[Mm]\.?)?"
PACKET = re.compile(
    rf"(?P<date>{DATE}) (?P<time>{TIME}) +[0-9A-Fa-f]+ +PACKET +[0-9A-Fa-f]+ +(?P<protocol>UDP|TCP) +"
    r"(?P<direction>Rcv|Snd) +(?P<remote>\S+) +[0-9A-Fa-f]+ +(?P<response>R +)?(?P<opcode>[QNU?]) +"
    r"\[(?P<flags>[^\]]*)\] +(?P<qtype>\S+) +(?P<qname>\S+)\s*"
)
DATE_AND_TIME = re.compile(rf"(?P<date>{DATE}) (?P<time>{TIME})")
LABEL_LENGTH = re.compile(r"\(\d+\)")
HEADER_MARKS = ("DNS Server log file creation at", "Message logging key (for packets")


def question_name(encoded: str) -> str | None:
    """'(7)chatgpt(3)com(0)' -> 'chatgpt.com'."""
    return dns_name(LABEL_LENGTH.sub(".", encoded).strip("."))


def day_month_order(date: str) -> bool | None:
    """True: month first; False: day first; None: this date does not tell."""
    parts = re.split(r"[/.-]", date)
    if len(parts) != 3 or len(parts[0]) == 4:
        return None
    first, second = int(parts[0]), int(parts[1])
    if first > 12 >= second:
        return False
    if second > 12 >= first:
        return True
    return None


class WindowsDnsDebug(LogFormat):
    name = "windows-dns-debug"
    description = "Windows DNS Server debug log (length-encoded names, locale dates): received queries"
    kind = "dns"
    host_encoding = "dns-labels"  # how the engine's pre-filter spells catalogue hosts in these lines

    def __init__(self) -> None:
        self.month_first: bool | None = None

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        return any(line.startswith(HEADER_MARKS) or PACKET.fullmatch(line) for line in lines)

    def prime(self, head: list[str]) -> None:
        for line in head:
            found = DATE_AND_TIME.search(line) if line.startswith(HEADER_MARKS[0]) else DATE_AND_TIME.match(line)
            order = day_month_order(found["date"]) if found else None
            if order is not None:
                self.month_first = order
                return

    def parse(self, line: str) -> dict[str, Any] | None:
        packet = PACKET.fullmatch(line)
        if packet is None:
            if DATE_AND_TIME.match(line) and " PACKET " in line:
                raise BadRecord("PACKET line not understood (expected … Rcv|Snd IP xid [R] Q [flags rcode] type "
                                "name)")
            return None  # header, EVENT and detail lines
        if packet["direction"] != "Rcv" or packet["response"] or packet["opcode"] != "Q":
            return None
        host = question_name(packet["qname"])
        if not host:
            return None
        return known({"host": host, "timestamp": self.timestamp(packet["date"], packet["time"]),
                      "client": packet["remote"]})

    def timestamp(self, date: str, time: str) -> str:
        clock = time.replace(".", "").upper().replace(" ", "")
        twelve_hour = clock.endswith(("AM", "PM"))
        if len(date) == 8 and date.isdigit():
            year, month, day = int(date[:4]), int(date[4:6]), int(date[6:])
        else:
            separator = "/" if "/" in date else ("." if "." in date else "-")
            first, second, third = date.split(separator)
            if len(first) == 4:
                year, month, day = int(first), int(second), int(third)
            else:
                order = day_month_order(date)
                if order is None:
                    order = self.month_first if self.month_first is not None else (twelve_hour and separator == "/")
                month, day = (int(first), int(second)) if order else (int(second), int(first))
                year = int(third) + (2000 if len(third) == 2 else 0)
        hours, minutes, seconds = (int(part) for part in clock.rstrip("APM").split(":"))
        if twelve_hour:
            hours = hours % 12 + (12 if clock.endswith("PM") else 0)
        try:
            return to_iso(datetime(year, month, day, hours, minutes, seconds))
        except ValueError as exc:
            raise BadRecord(f"date {date} {time} is not a real date and time") from exc

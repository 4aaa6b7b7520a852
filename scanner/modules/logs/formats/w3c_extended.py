"""Any W3C extended log with a ``#Fields:`` header: Blue Coat / Symantec ProxySG access logs (ELFF), IIS, and
other proxies and servers that write the format.

    #Software: SGOS 6.7.5.14
    #Version: 1.0
    #Fields: date time time-taken c-ip sc-status s-action sc-bytes cs-bytes cs-method cs-uri-scheme cs-host …
    2024-03-22 16:16:01 48 10.82.255.36 302 TCP_NC_MISS 1242 969 GET https chatgpt.com 443 /backend-api ?x=1 alice …

Values are read by the names of the latest ``#Fields:`` line (a log may restart with a new header block).
A line with more values than names is read by the names it has: ProxySG exports are seen whose header
leaves out a field the lines carry (``cs(User-Agent)``) or that append fields. Fewer values is an error.
What each field means is in w3c_fields.
"""

from __future__ import annotations

from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat
from scanner.modules.logs.formats.w3c_fields import w3c_fields, w3c_tokens

FIELDS_HEADER = "#Fields:"


class W3cExtended(LogFormat):
    name = "w3c-extended"
    description = "W3C extended log with a #Fields header: ProxySG ELFF, IIS, others"
    kind = "proxy"

    def __init__(self) -> None:
        self.fields: tuple[str, ...] | None = None

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        return any(line.startswith(FIELDS_HEADER) for line in lines)

    def prime(self, head: list[str]) -> None:
        for line in head:
            self.read_header(line)

    def read_header(self, line: str) -> None:
        if line.startswith(FIELDS_HEADER):
            self.fields = tuple(name.lower() for name in line[len(FIELDS_HEADER):].split())

    def parse(self, line: str) -> dict[str, Any] | None:
        if line.startswith("#"):
            self.read_header(line)
            return None
        if self.fields is None:
            raise BadRecord("a line before any #Fields header: the fields are unknown")
        values = w3c_tokens(line)
        if len(values) < len(self.fields):
            raise BadRecord(f"expected {len(self.fields)} values (as #Fields names them), found {len(values)}")
        return w3c_fields(dict(zip(self.fields, values)))

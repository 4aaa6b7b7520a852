"""Zeek's own TSV logs (the default writer, any Zeek version): dns.log, http.log and ssl.log.

The header names everything needed to read the rows, so nothing about a Zeek version is assumed:

    #separator \\x09
    #set_separator	,
    #empty_field	(empty)
    #unset_field	-
    #path	dns
    #fields	ts	uid	id.orig_h	…	query	…

Columns are taken by name from ``#fields``. Values escape bytes as ``\\xNN`` (and a backslash as ``\\\\``);
the unset field (``-``) is no value. ``#close`` and other ``#`` lines carry nothing.
See https://docs.zeek.org/en/master/logs/ and the ASCII writer's documentation.
"""

from __future__ import annotations

import re
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat
from scanner.modules.logs.formats.zeek_records import host_fields, log_of

ESCAPE = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")


def unescape(value: str) -> str:
    """Zeek writes bytes it will not print as \\xNN (a multi-byte character as several of them)."""
    if "\\" not in value:
        return value
    data, position = bytearray(), 0
    for match in ESCAPE.finditer(value):
        data += value[position:match.start()].encode("utf-8")
        data += b"\\" if match[1] == "\\" else bytes([int(match[1][1:], 16)])
        position = match.end()
    data += value[position:].encode("utf-8")
    return data.decode("utf-8", errors="replace")


class ZeekTsv(LogFormat):
    log: str  # dns | http | ssl

    def __init__(self) -> None:
        self.separator = "\t"
        self.unset = "-"
        self.empty = "(empty)"
        self.path: str | None = None
        self.fields: tuple[str, ...] | None = None

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        header = cls()
        header.prime(lines)
        return header.fields is not None and log_of(header.fields, header.path) == cls.log

    def prime(self, head: list[str]) -> None:
        for line in head:
            if line.startswith("#"):
                self.read_header(line)

    def read_header(self, line: str) -> None:
        if line.startswith("#separator "):
            self.separator = unescape(line[len("#separator "):].strip()) or "\t"
            return
        key, _, value = line[1:].partition(self.separator)
        if key == "fields":
            self.fields = tuple(value.split(self.separator))
        elif key == "path":
            self.path = value.strip()
        elif key == "unset_field":
            self.unset = value
        elif key == "empty_field":
            self.empty = value

    def parse(self, line: str) -> dict[str, Any] | None:
        if line.startswith("#"):
            self.read_header(line)
            return None
        if self.fields is None:
            raise BadRecord("a row before any #fields header: the columns are unknown")
        values = line.split(self.separator)
        if len(values) != len(self.fields):
            raise BadRecord(f"expected {len(self.fields)} fields (as #fields names them), found {len(values)}")
        record = {name: self.value(raw) for name, raw in zip(self.fields, values)}
        return host_fields(self.log, record)

    def value(self, raw: str) -> str | None:
        if raw == self.unset:
            return None
        if raw == self.empty:
            return ""
        return unescape(raw)


class ZeekDnsTsv(ZeekTsv):
    name = "zeek-dns"
    description = "Zeek dns.log, TSV with #fields header (query; client id.orig_h)"
    kind = "dns"
    log = "dns"


class ZeekHttpTsv(ZeekTsv):
    name = "zeek-http"
    description = "Zeek http.log, TSV with #fields header (Host header, URI, method, status, user)"
    kind = "proxy"
    log = "http"


class ZeekSslTsv(ZeekTsv):
    name = "zeek-ssl"
    description = "Zeek ssl.log, TSV with #fields header (TLS server_name)"
    kind = "proxy"
    log = "ssl"

"""Palo Alto Networks PAN-OS logs forwarded over syslog in the default CSV layout: the URL filtering entries.

A line is a syslog header (BSD or IETF, as configured on the server profile; the host is the firewall's
name) followed by the CSV record. The record's first fields are the same for every log type:
``FUTURE_USE, Receive Time, Serial Number, Type, Threat/Content Type, FUTURE_USE, Generated Time, …``.
URL filtering entries are ``Type`` THREAT with subtype ``url``; in the threat log layout the URL (without its
scheme) is field 32 (position 31 from 0), ``Source Address`` position 7, ``Source User`` 12 and
``HTTP Method`` 63 (PAN-OS 9.1 and later). Traffic, system and other threat entries carry no URL here.
Times are the firewall's local time, without a zone.
See https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/monitoring/use-syslog-for-monitoring/syslog-field-descriptions/threat-log-fields.
"""

from __future__ import annotations

import re
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat, known
from scanner.modules.logs.formats.csv_line import csv_fields
from scanner.modules.logs.formats.host_names import url_host_and_path
from scanner.modules.logs.formats.timestamps import strptime_utc

RECORD_START = re.compile(r"(?:^|(?<=[\s>]))[^,\s]*,\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2},[^,]*,[A-Z]+,")
GENERATED_TIME, TYPE, SUBTYPE, SOURCE, SOURCE_USER, URL, HTTP_METHOD = 6, 3, 4, 7, 12, 31, 63


def optional(fields: list[str], index: int) -> str | None:
    return (fields[index].strip() or None) if index < len(fields) else None


class PanOs(LogFormat):
    name = "panos"
    description = "Palo Alto PAN-OS syslog CSV: URL filtering (THREAT/url) entries"
    kind = "proxy"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        hits = sum(1 for line in lines if RECORD_START.search(line))
        return bool(lines) and hits >= max(1, len(lines) / 2)

    def parse(self, line: str) -> dict[str, Any] | None:
        start = RECORD_START.search(line)
        if not start:
            raise BadRecord("no PAN-OS CSV record (FUTURE_USE, receive time, serial number, type…) in the line")
        fields = csv_fields(line[start.start():])
        if fields[TYPE] != "THREAT" or fields[SUBTYPE] != "url":
            return None
        if len(fields) <= URL:
            raise BadRecord(f"a THREAT/url entry with {len(fields)} fields: the URL is field {URL + 1}")
        host, path = url_host_and_path(fields[URL])
        if not host:
            return None
        return known({
            "host": host,
            "path": path,
            "timestamp": strptime_utc(fields[GENERATED_TIME], "%Y/%m/%d %H:%M:%S", "generated time"),
            "client": optional(fields, SOURCE),
            "user": optional(fields, SOURCE_USER),
            "method": optional(fields, HTTP_METHOD),
        })

"""Zeek's dns.log, http.log and ssl.log written as JSON lines (``LogAscii::use_json``, or a JSON writer).

One object per line with Zeek's field names; unset fields are left out. Which log a record belongs to is
told by ``_path`` when present, else by fields only that log has (``trans_id``, ``trans_depth``, ``cipher``…),
so a file is detected by its records and a stream that mixes the three logs is read whole, whichever was
detected. Lines exported from Splunk are unwrapped first (see json_lines).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat
from scanner.modules.logs.formats.json_lines import load_object
from scanner.modules.logs.formats.zeek_records import host_fields, log_of

MASKED_TS = re.compile(r'"ts":X+\.X+')  # Zeek's test baselines mask times as a bare XXXXXXXXXX.XXXXXX


def zeek_record(line: str) -> dict[str, Any]:
    if '"ts":X' in line:
        line = MASKED_TS.sub('"ts":null', line, count=1)
    return load_object(line)


def log_of_record(record: dict[str, Any]) -> str | None:
    if "uid" not in record or "id.orig_h" not in record:
        return None
    return log_of(record, record.get("_path"))


class ZeekJson(LogFormat):
    log: str  # dns | http | ssl

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        entries = [line.strip() for line in lines if not line.lstrip().startswith("#")]
        found = []
        for entry in entries:
            try:
                log = log_of_record(zeek_record(entry))
            except BadRecord:
                continue
            if log:
                found.append(log)
        if not entries or len(found) < max(1, len(entries) / 2):
            return False
        return Counter(found).most_common(1)[0][0] == cls.log

    def parse(self, line: str) -> dict[str, Any] | None:
        if line.startswith("#"):
            return None
        record = zeek_record(line)
        log = log_of_record(record)
        if log is None:
            raise BadRecord("not a Zeek dns, http or ssl record (no uid, id.orig_h or fields of those logs)")
        return host_fields(log, record)


class ZeekDnsJson(ZeekJson):
    name = "zeek-dns-json"
    description = "Zeek dns.log as JSON lines (query; client id.orig_h)"
    kind = "dns"
    log = "dns"


class ZeekHttpJson(ZeekJson):
    name = "zeek-http-json"
    description = "Zeek http.log as JSON lines (Host header, URI, method, status, user)"
    kind = "proxy"
    log = "http"


class ZeekSslJson(ZeekJson):
    name = "zeek-ssl-json"
    description = "Zeek ssl.log as JSON lines (TLS server_name)"
    kind = "proxy"
    log = "ssl"

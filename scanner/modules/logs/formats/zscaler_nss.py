"""Zscaler Internet Access web logs as an NSS feed writes them, in the two shapes of its default feeds.

- JSON (the default output of Cloud NSS and of NSS for Splunk): one object per web transaction, usually in
  a Splunk envelope ``{"sourcetype": "zscalernss-web", "event": {…}}``, with the fields named as in the
  feed output format: ``time``, ``login``, ``eurl`` (the URL without its scheme), ``cip``, ``reqmethod``,
  ``respcode``, ``respsize``…
- CSV, the default feed output format: every field double-quoted, in this order (positions from 0):
  0 time, 1 login, 2 proto, 3 eurl, 4 action, 5 appname, 6 appclass, 7 reqsize, 8 respsize, 9 stime, 10 ctime,
  11 urlclass, 12 urlsupercat, 13 urlcat, 14 malwarecat, 15 threatname, 16 riskscore, 17 dlpeng, 18 dlpdict,
  19 location, 20 dept, 21 cip, 22 sip, 23 reqmethod, 24 respcode, 25 ua, 26 ereferer, … A tab-separated feed
  with the same fields is read too.

``time`` is ``Mon Jun 20 15:29:11 2022`` in the feed's time zone (GMT unless the feed says otherwise); an
``epochtime`` field is preferred when the feed has one.
See https://help.zscaler.com/zia/nss-feed-output-format-web-logs.
"""

from __future__ import annotations

import re
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat, epoch_to_iso, known
from scanner.modules.logs.formats.csv_line import csv_fields
from scanner.modules.logs.formats.host_names import UNSET, authority_host, url_host_and_path
from scanner.modules.logs.formats.json_lines import load_object, sniff_objects, text
from scanner.modules.logs.formats.timestamps import strptime_utc

NSS_TIME = re.compile(r"[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}")
NSS_TIME_LAYOUT = "%a %b %d %H:%M:%S %Y"
CSV_COLUMNS = {"time": 0, "login": 1, "proto": 2, "eurl": 3, "respsize": 8, "cip": 21, "reqmethod": 23,
               "respcode": 24}
METHOD = re.compile(r"[A-Z][A-Z_-]*|NA|None")


def value(record: dict[str, Any], *names: str) -> str | None:
    for name in names:
        found = text(record, name)
        if found and found.lower() not in UNSET:
            return found
    return None


def web_fields(record: dict[str, Any]) -> dict[str, Any] | None:
    """HostSeen fields from NSS web fields by name (JSON keys, or CSV columns named by position)."""
    url = value(record, "eurl", "url")
    host = authority_host(value(record, "ehost", "host", "hostname") or "")
    path = None
    if url:
        url_host, path = url_host_and_path(url)
        host = host or url_host
    if not host:
        return None
    method = value(record, "reqmethod")
    epoch = value(record, "epochtime")
    when = value(record, "time")
    if epoch:
        timestamp = epoch_to_iso(epoch)
    elif when:
        timestamp = strptime_utc(" ".join(when.split()), NSS_TIME_LAYOUT, "NSS time")
    else:
        timestamp = None
    size = value(record, "respsize")
    return known({
        "host": host,
        "path": None if method == "CONNECT" else path,
        "timestamp": timestamp,
        "user": value(record, "login"),
        "client": value(record, "cip"),
        "method": method,
        "status": value(record, "respcode"),
        "bytes": int(size) if size and size.isdigit() else None,
    })


def is_web_event(record: dict[str, Any]) -> bool:
    return ("eurl" in record or "url" in record) and "cip" in record and ("login" in record or "reqmethod" in record)


class ZscalerNssJson(LogFormat):
    name = "zscaler-nss-json"
    description = "Zscaler ZIA web logs, NSS JSON feed (eurl, login, cip; Splunk envelope or bare)"
    kind = "proxy"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        return sniff_objects(lines, is_web_event)

    def parse(self, line: str) -> dict[str, Any] | None:
        record = load_object(line)
        if not is_web_event(record):
            raise BadRecord("not an NSS web record (no eurl/url, cip and login)")
        return web_fields(record)


def nss_columns(line: str) -> list[str]:
    return line.split("\t") if "\t" in line else csv_fields(line)


def looks_like_nss_row(fields: list[str]) -> bool:
    return len(fields) > CSV_COLUMNS["respcode"] and bool(NSS_TIME.fullmatch(fields[0].strip())) \
        and bool(METHOD.fullmatch(fields[CSV_COLUMNS["reqmethod"]].strip()))


class ZscalerNssCsv(LogFormat):
    name = "zscaler-nss-csv"
    description = "Zscaler ZIA web logs, NSS default feed output (quoted CSV, or tab-separated)"
    kind = "proxy"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        hits = 0
        for line in lines:
            try:
                hits += looks_like_nss_row(nss_columns(line))
            except BadRecord:
                continue
        return bool(lines) and hits >= max(1, len(lines) / 2)

    def parse(self, line: str) -> dict[str, Any] | None:
        fields = nss_columns(line)
        if not looks_like_nss_row(fields):
            raise BadRecord(f"not an NSS web row: expected at least {CSV_COLUMNS['respcode'] + 1} fields starting "
                            f"with a time like 'Mon Jun 20 15:29:11 2022', found {len(fields)} fields")
        return web_fields({name: fields[index] for name, index in CSV_COLUMNS.items()})

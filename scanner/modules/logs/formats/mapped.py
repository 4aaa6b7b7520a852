"""Log formats of your own: CSV or JSON lines described by a field mapping in the config file.

    [log_formats.proxy-export]          # then: shadowai scan logs --format proxy-export FILE (or detection)
    type = "csv"                        # csv | jsonl
    url = "request_url"                 # the field holding a URL ...
    host = "dest_host"                  # ... or a host name (one of the two is required)
    timestamp = "ts"
    timestamp_format = "epoch"          # epoch | epoch_ms | iso8601 | a strptime pattern ("%d/%m/%Y %H:%M:%S")
    user = "username"
    client = "src_ip"
    delimiter = ";"                     # csv only (default ",")
    header = true                       # csv only: the first line names the columns (else columns are "1", "2"…)

JSON fields may be dotted paths into nested objects ("source.ip"). A CSV format with a header is detected by
its header line naming every mapped column; a JSON lines format by its first objects carrying the host or URL
field. Times without a zone are read as UTC unless ``timezone = "+02:00"`` says otherwise.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from scanner.modules.logs.formats.base import BadRecord, LogFormat
from scanner.modules.logs.formats.csv_line import csv_fields
from scanner.modules.logs.formats.host_names import dns_name, url_host_and_path
from scanner.modules.logs.formats.json_lines import load_object
from scanner.modules.logs.formats.timestamps import ISO_8601, iso8601, to_iso

KEYS = {
    "type": "csv or jsonl",
    "host": "field holding the host name",
    "url": "field holding the URL",
    "timestamp": "field holding the time",
    "timestamp_format": "epoch, epoch_ms, iso8601 or a strptime pattern",
    "timezone": "offset of zone-less times, e.g. +02:00 (default UTC)",
    "user": "field holding the user name",
    "client": "field holding the client IP or device",
    "delimiter": "CSV separator (default ',')",
    "header": "CSV: the first line names the columns (default true)",
    "description": "one line shown by --list-formats",
}
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def check_mapping(name: str, spec: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems as (key, message); empty when the mapping is usable."""
    problems = []
    if not NAME.match(name):
        problems.append(("", f"format name '{name}': lower-case letters, digits and '-'"))
    for key in spec:
        if key not in KEYS:
            problems.append((key, f"unknown key '{key}' (known: {', '.join(KEYS)})"))
    if spec.get("type") not in ("csv", "jsonl"):
        problems.append(("type", "type must be \"csv\" or \"jsonl\""))
    if not spec.get("host") and not spec.get("url"):
        problems.append(("", "needs 'host' or 'url': the field that names where the request went"))
    for key in ("host", "url", "timestamp", "timestamp_format", "user", "client", "delimiter", "description",
                "timezone"):
        if key in spec and not isinstance(spec[key], str):
            problems.append((key, f"'{key}' must be a string"))
    if "header" in spec and not isinstance(spec["header"], bool):
        problems.append(("header", "'header' must be true or false"))
    if isinstance(spec.get("timezone"), str) and not OFFSET.match(spec["timezone"]):
        problems.append(("timezone", "timezone must be an offset such as +02:00"))
    if spec.get("timestamp_format") and not spec.get("timestamp"):
        problems.append(("timestamp_format", "'timestamp_format' without 'timestamp'"))
    return problems


def zone_of(spec: dict[str, Any]) -> timezone:
    match = OFFSET.match(spec.get("timezone") or "+00:00")
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(delta if sign == "+" else -delta)


def read_time(text: str, layout: str, zone: timezone) -> str:
    text = text.strip()
    try:
        if layout in ("epoch", "epoch_ms"):
            seconds = float(text) / (1000 if layout == "epoch_ms" else 1)
            return to_iso(datetime.fromtimestamp(seconds, timezone.utc))
        if layout == "iso8601":
            written = ISO_8601.fullmatch(text)
            return iso8601(text if not written or written.group(7) else text + zone_suffix(zone))
        moment = datetime.strptime(text, layout)
    except (ValueError, OverflowError, OSError) as exc:
        raise BadRecord(f"time {text[:40]!r} is not {layout!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return to_iso(moment)


def zone_suffix(zone: timezone) -> str:
    minutes = int(zone.utcoffset(None).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def build_format(name: str, spec: dict[str, Any]) -> type[LogFormat]:
    """A LogFormat class for a checked mapping."""
    kind = spec["type"]
    delimiter = spec.get("delimiter", ",")
    has_header = spec.get("header", True)
    fields = {role: spec[role] for role in ("host", "url", "timestamp", "user", "client") if spec.get(role)}
    layout = spec.get("timestamp_format", "iso8601")
    zone = zone_of(spec)

    class MappedFormat(LogFormat):
        description = spec.get("description") or f"{kind} mapped in the config ([log_formats.{name}])"

        def __init__(self) -> None:
            self.columns: dict[str, int] | None = None

        @classmethod
        def sniff(cls, lines: list[str]) -> bool:
            if not lines:
                return False
            if kind == "csv":
                if not has_header:
                    return False  # nothing to recognise it by: name it with --format
                try:
                    header = [column.strip() for column in csv_fields(lines[0], delimiter)]
                except BadRecord:
                    return False
                return all(column in header for column in fields.values())
            try:
                first = load_object(lines[0])
            except BadRecord:
                return False
            return lookup(first, fields.get("url") or fields["host"]) is not None

        def prime(self, head: list[str]) -> None:
            if kind == "csv" and has_header and head:
                self.columns = {column.strip(): index for index, column in enumerate(csv_fields(head[0], delimiter))}

        def parse(self, line: str) -> dict[str, Any] | None:
            if kind == "csv":
                values = csv_fields(line, delimiter)
                if self.columns is not None and [v.strip() for v in values] == list(self.columns):
                    return None  # the header line itself
                columns = self.columns or {str(i + 1): i for i in range(len(values))}

                def get(field: str) -> str | None:
                    index = columns.get(field)
                    if index is None:
                        raise BadRecord(f"no column '{field}' in the header")
                    return values[index] if index < len(values) else None
            else:
                record = load_object(line)

                def get(field: str) -> str | None:
                    value = lookup(record, field)
                    return None if value is None else str(value)

            host, path = None, None
            if "url" in fields and get(fields["url"]):
                host, path = url_host_and_path(get(fields["url"]))
            if host is None and "host" in fields and get(fields["host"]):
                host = dns_name(get(fields["host"]))
            if host is None:
                return None
            result: dict[str, Any] = {"host": host}
            if path and "url" in fields:
                result["path"] = path
            if "timestamp" in fields and get(fields["timestamp"]):
                result["timestamp"] = read_time(get(fields["timestamp"]), layout, zone)
            for role in ("user", "client"):
                if role in fields:
                    value = get(fields[role])
                    if value and value != "-":
                        result[role] = value
            return result

    MappedFormat.name = name
    MappedFormat.kind = "proxy" if "url" in fields else "dns"
    MappedFormat.__name__ = MappedFormat.__qualname__ = f"Mapped_{name.replace('-', '_')}"
    return MappedFormat


def lookup(record: dict[str, Any], dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value

"""Logs written as one JSON object per line, as most cloud services and Suricata, Zeek and Zscaler export them.

Lines exported through Splunk arrive in an envelope, unwrapped here so that every JSON format reads them:
a search export (``{"result": {"_raw": "<the event as text>"}}``) and an HTTP Event Collector event
(``{"sourcetype": …, "event": {…}}``, the shape Zscaler's NSS JSON feeds use).
"""

from __future__ import annotations

import json
from typing import Any, Callable

from scanner.modules.logs.formats.base import BadRecord


def load_object(line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except ValueError as exc:
        message = getattr(exc, "msg", str(exc))
        raise BadRecord(f"not valid JSON ({message} at column {getattr(exc, 'colno', '?')})") from exc
    if not isinstance(value, dict):
        raise BadRecord(f"a JSON {type(value).__name__}, not an object")
    return unwrap(value)


def unwrap(record: dict[str, Any]) -> dict[str, Any]:
    result = record.get("result")
    if isinstance(result, dict) and isinstance(result.get("_raw"), str):
        return load_object(result["_raw"])
    event = record.get("event")
    if isinstance(event, dict) and "sourcetype" in record:
        return event
    return record


def sniff_objects(lines: list[str], wanted: Callable[[dict[str, Any]], bool]) -> bool:
    """True when at least half of the lines (``#`` comments aside) are JSON objects that ``wanted`` accepts."""
    entries = [line.strip() for line in lines if not line.lstrip().startswith("#")]
    accepted = 0
    for entry in entries:
        if not entry.startswith("{"):
            continue
        try:
            record = load_object(entry)
        except BadRecord:
            continue
        accepted += bool(wanted(record))
    return bool(entries) and accepted >= max(1, len(entries) / 2)


def text(record: dict[str, Any], *path: str) -> str | None:
    """The string (or number) at ``path`` in nested objects, None when absent, empty or not a scalar."""
    value: Any = record
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    value = str(value).strip()
    return value or None

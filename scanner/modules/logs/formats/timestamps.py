"""The times logs write, turned into the one form HostSeen carries: ISO 8601 UTC, whole seconds.

A time with a zone or an offset is converted to UTC. A time without one (syslog headers, PAN-OS, BIND, the
Windows DNS debug log, Umbrella, W3C) is read as UTC: W3C/IIS, Umbrella and Zscaler's default GMT feeds are
UTC by definition, and for the rest the log does not say which local time it is in.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from scanner.modules.logs.formats.base import BadRecord

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"

ISO_8601 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
SYSLOG_TIME = re.compile(r"([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})")


def to_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime(ISO_UTC)


def iso8601(text: str) -> str:
    """'2018-07-05T15:01:09.820360-0400', '2022-01-23T09:16:05.341873447Z', '2024-03-22 16:16:01' (UTC)."""
    match = ISO_8601.fullmatch(text.strip())
    if not match:
        raise BadRecord(f"time {text[:40]!r} is not an ISO 8601 date and time")
    year, month, day, hour, minute, second, zone = match.groups()
    moment = utc_moment(text, int(year), int(month), int(day), int(hour), int(minute), int(second))
    if zone and zone.upper() not in ("Z", "UTC", "GMT"):
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        moment -= offset if zone[0] == "+" else -offset
    return to_iso(moment)


def strptime_utc(text: str, pattern: str, what: str = "time") -> str:
    """A time in a fixed layout; with ``%z`` in the pattern the offset is honoured, else it is UTC."""
    try:
        return to_iso(datetime.strptime(text.strip(), pattern))
    except ValueError as exc:
        raise BadRecord(f"{what} {text[:40]!r} is not in the form {pattern!r}") from exc


def syslog_time(text: str, now: datetime | None = None) -> str:
    """'Mar  9 23:59:59' (RFC 3164 has no year): the latest year that does not put it in the future (a day of
    clock skew allowed), so December lines read in January fall in the year before."""
    match = SYSLOG_TIME.fullmatch(text.strip())
    month = MONTHS.get(match.group(1).lower()) if match else None
    if not match or month is None:
        raise BadRecord(f"syslog time {text[:40]!r} is not 'Mon dd hh:mm:ss'")
    now = now or datetime.now(timezone.utc)
    day, hour, minute, second = (int(part) for part in match.groups()[1:])
    for year in range(now.year, now.year - 8, -1):  # back to the last leap year for 29 February
        try:
            moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
        except ValueError:
            continue
        if moment <= now + timedelta(days=1):
            return to_iso(moment)
    raise BadRecord(f"syslog time {text[:40]!r} is not a date")


def utc_moment(text: str, *parts: int) -> datetime:
    try:
        return datetime(*parts, tzinfo=timezone.utc)
    except ValueError as exc:
        raise BadRecord(f"time {text[:40]!r} is not a real date") from exc

"""What a log format is: a name, a sniff test over the first lines of a file, and a line parser.

A parser instance is made per file, so formats with headers (W3C ``#Fields``, Zeek ``#fields``) can keep
state. ``parse`` returns the fields of a HostSeen (without source/location), None for a line that carries no
host (a comment, an internal error entry), or raises BadRecord with a message naming what is wrong.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar


class BadRecord(ValueError):
    """A line that should be of this format but cannot be read."""


class LogFormat:
    name: ClassVar[str]
    description: ClassVar[str]
    kind: ClassVar[str] = "proxy"  # proxy | dns | hosts

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        """True when these first non-empty lines of a file are of this format."""
        raise NotImplementedError

    def prime(self, head: list[str]) -> None:
        """See the first lines of the file (headers) even when reading resumes further on."""

    def parse(self, line: str) -> dict[str, Any] | None:
        raise NotImplementedError


def epoch_to_iso(text: str) -> str:
    try:
        value = float(text)
    except ValueError as exc:
        raise BadRecord(f"timestamp {text[:40]!r} is not a number of seconds since 1970") from exc
    if not 0 <= value < 32503680000:
        raise BadRecord(f"timestamp {text[:40]!r} is out of range")
    return datetime.fromtimestamp(value, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def known(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of a HostSeen without the unknown ones, so that the scan can fill in what it knows (the file's
    time for a record without one)."""
    return {name: value for name, value in fields.items() if value is not None}

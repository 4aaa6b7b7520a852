"""A plain list of host names, one per line (``#`` starts a comment). URLs are accepted and reduced to
their host. There are no timestamps or users: the file's modification time stands for when it was seen."""

from __future__ import annotations

from typing import Any

from scanner.matching.hostnames import normalise_host
from scanner.matching.matcher import split_url
from scanner.modules.logs.formats.base import BadRecord, LogFormat


def host_of(token: str) -> str | None:
    if "://" in token or "/" in token:
        token = split_url(token)[0]
    return normalise_host(token)


class HostList(LogFormat):
    name = "host-list"
    description = "Plain list of host names or URLs, one per line; '#' comments"
    kind = "hosts"

    @classmethod
    def sniff(cls, lines: list[str]) -> bool:
        entries = [line.split("#", 1)[0].strip() for line in lines]
        entries = [entry for entry in entries if entry]
        return bool(entries) and all(" " not in e and "\t" not in e and "." in e and host_of(e) for e in entries)

    def parse(self, line: str) -> dict[str, Any] | None:
        entry = line.split("#", 1)[0].strip()
        if not entry:
            return None
        host = host_of(entry)
        if host is None or " " in entry or "\t" in entry:
            raise BadRecord(f"{entry[:80]!r} is not a host name")
        return {"host": host}

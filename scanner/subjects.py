"""A subject map: which device, person and department stand behind a client IP address.

Network evidence names IP addresses; an AI inventory should name people or teams where it can. A CSV with a
header row maps an IP or CIDR to any of ``device``, ``user`` and ``department``:

    network,device,user,department
    10.20.1.0/24,,,Finance
    10.20.1.11,LT-0042,alice@example.com,Finance

The most specific network wins (longest prefix). A log's own user name always beats the map's. Bad rows are
reported with file:line and skipped; the rest of the map is used.
"""

from __future__ import annotations

import csv
import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

COLUMNS = ("network", "device", "user", "department")


@dataclass(frozen=True)
class SubjectInfo:
    device: str | None = None
    user: str | None = None
    department: str | None = None


class SubjectMapError(Exception):
    """The file cannot be used at all (missing, no header, no network column)."""


class SubjectMap:
    def __init__(self, entries: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, SubjectInfo]]) -> None:
        # Longest prefixes first, so the first network containing an address is the most specific one.
        self.by_prefix: dict[int, dict[tuple[int, int], SubjectInfo]] = {}
        for network, info in entries:
            self.by_prefix.setdefault(network.prefixlen, {})[(network.version, int(network.network_address))] = info
        self.prefixes = sorted(self.by_prefix, reverse=True)
        self.lookup = lru_cache(maxsize=65536)(self._lookup)

    def _lookup(self, address: str) -> SubjectInfo | None:
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return None
        bits = 32 if ip.version == 4 else 128
        value = int(ip)
        for prefix in self.prefixes:
            if prefix > bits:
                continue
            key = (ip.version, value >> (bits - prefix) << (bits - prefix))
            info = self.by_prefix[prefix].get(key)
            if info is not None:
                return info
        return None

    @classmethod
    def load(cls, path: str | Path) -> tuple["SubjectMap", list[str]]:
        """The map and the problems found (``file:line: reason``)."""
        path = Path(path)
        try:
            handle = path.open(newline="", encoding="utf-8-sig")
        except OSError as exc:
            raise SubjectMapError(f"{path}: cannot read the subject map: {exc.strerror or exc}") from exc
        problems, entries = [], []
        with handle:
            reader = csv.DictReader(handle)
            header = [name.strip().lower() for name in reader.fieldnames or []]
            if "network" not in header:
                raise SubjectMapError(f"{path}:1: the header must have a 'network' column (and any of device, "
                                      f"user, department)")
            reader.fieldnames = header
            for row in reader:
                where = f"{path}:{reader.line_num}"
                unknown = [key for key in row if key not in COLUMNS and key is not None]
                if unknown:
                    problems.append(f"{where}: unknown column(s) {', '.join(unknown)}")
                try:
                    network = ipaddress.ip_network((row.get("network") or "").strip(), strict=False)
                except ValueError:
                    problems.append(f"{where}: {row.get('network')!r} is not an IP address or CIDR network")
                    continue
                info = SubjectInfo(*((row.get(column) or "").strip() or None for column in COLUMNS[1:]))
                entries.append((network, info))
        return cls(entries), problems


def apply(fields: dict, subjects: SubjectMap | None) -> None:
    """Fill device/user/department of parsed log fields from the map (the log's own user name wins)."""
    if subjects is None or not fields.get("client"):
        return
    info = subjects.lookup(fields["client"])
    if info is None:
        return
    if info.user and not fields.get("user"):
        fields["user"] = info.user
    if info.device:
        fields["device"] = info.device
    if info.department:
        fields["department"] = info.department

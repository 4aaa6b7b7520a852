"""Where the names of a zone come from when no zone transfer gives them: a names file, or the inventory.

- A names file has one fully qualified name per line (``chat.example.com``); blank lines and ``#`` comments are
  skipped. Each name goes to the longest ``--domain`` it is under; a name under none, or not a DNS name, is a
  counted error with its ``file:line``.
- The inventory: every host name under the domain that earlier runs of any module wrote down — in a finding's
  subject or location (a previous zone scan's names) or its evidence (a proxy log's host, an OAuth app's reply
  host, a cloud endpoint).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils

from scanner.matching.dns_names import in_zone
from scanner.matching.hostnames import normalise_host

DNS_NAME = re.compile(r"(?=.{1,253}$)[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})+")
HOST_TOKEN = re.compile(r"[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?")


def dns_name(text: str) -> str | None:
    """A name as DNS compares it (lower case, IDNA, no final dot), or None when it is not a DNS name."""
    normal = normalise_host(text)
    return normal if normal and DNS_NAME.fullmatch(normal) else None


def owning_domain(name: str, domains: list[str]) -> str | None:
    under = [domain for domain in domains if in_zone(name, domain)]
    return max(under, key=len) if under else None


def file_digest(path: Path) -> dict[str, object]:
    data = path.read_bytes()
    return {"path": str(path), "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def names_from_file(path: Path, domains: list[str], error: Callable[[str, str], None]) -> dict[str, list[str]]:
    """domain -> the names the file lists under it, in file order, each once."""
    found: dict[str, dict[str, None]] = {domain: {} for domain in domains}
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            name = dns_name(text)
            if name is None:
                error(f"{path}:{number}", f"not a DNS name: {text[:80]!r}")
                continue
            domain = owning_domain(name, domains)
            if domain is None:
                error(f"{path}:{number}", f"{name} is not under any --domain ({', '.join(domains)})")
                continue
            found[domain][name] = None
    return {domain: list(names) for domain, names in found.items()}


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def names_from_inventory(db: sqlite_utils.Database, domain: str) -> list[str]:
    """Host names under the domain (not the apex itself) that the inventory holds, sorted."""
    pattern = like_pattern(domain)
    rows = db.execute(
        "select subject, location, evidence from findings where subject like :p escape '\\' "
        "or location like :p escape '\\' or evidence like :p escape '\\'", {"p": pattern})
    names: set[str] = set()
    for row in rows:
        for text in row:
            names.update(hosts_in(str(text or ""), domain))
    names.discard(domain)
    return sorted(names)


def hosts_in(text: str, domain: str) -> Iterator[str]:
    for token in HOST_TOKEN.findall(text.lower()):
        if in_zone(token, domain):
            name = dns_name(token)
            if name:
                yield name

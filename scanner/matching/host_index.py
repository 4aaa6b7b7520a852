"""Host and URL rules compiled into lookup tables.

Three kinds of rule, most specific first:

1. ``url_paths``: an exact host plus a path prefix, for shared hosts (``www.bing.com`` + ``/chat``).
   Used only when the evidence carries a path.
2. ``host_patterns``: templates in which each ``<placeholder>`` stands for exactly one label
   (``bedrock-runtime.<region>.amazonaws.com``). Bucketed by their literal tail so that a host only tries
   the patterns that can possibly fit.
3. ``domains``: suffix rules on label boundaries; the longest matching suffix wins, so ``chat.openai.com``
   can belong to one service while ``openai.com`` belongs to another.

A pattern that fits beats a domain rule with fewer labels; ties go to the pattern (it is more specific).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scanner.matching.hostnames import normalise_host, suffixes

PLACEHOLDER = re.compile(r"<[a-z_]+>")
LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"


@dataclass(frozen=True)
class HostMatch:
    service_id: str
    kind: str  # domains | host_patterns | url_paths
    rule: str


def compile_pattern(pattern: str) -> tuple[str, re.Pattern[str], int]:
    """Return (literal tail used as bucket key, compiled regex, number of labels)."""
    labels = pattern.split(".")
    tail: list[str] = []
    for label in reversed(labels):
        if PLACEHOLDER.search(label):
            break
        tail.append(label)
    bucket = ".".join(reversed(tail))
    parts = []
    for label in labels:
        pieces = PLACEHOLDER.split(label)
        parts.append(LABEL.join(re.escape(piece) for piece in pieces) if len(pieces) > 1 else re.escape(label))
    return bucket, re.compile(r"\A" + r"\.".join(parts) + r"\Z"), len(labels)


def path_matches(path: str, prefix: str) -> bool:
    if prefix in ("", "/"):
        return True
    if not path.startswith(prefix):
        return False
    rest = path[len(prefix) :]
    return prefix.endswith("/") or rest == "" or rest[0] in "/?#"


class HostIndex:
    def __init__(self) -> None:
        self.domains: dict[str, str] = {}
        self.patterns: dict[str, list[tuple[re.Pattern[str], int, str, str]]] = {}
        self.url_rules: dict[str, list[tuple[str, str]]] = {}
        self._lookup = lru_cache(maxsize=65536)(self._lookup_uncached)

    def add_domain(self, domain: str, service_id: str) -> None:
        self.domains.setdefault(domain, service_id)

    def add_pattern(self, pattern: str, service_id: str) -> None:
        bucket, regex, size = compile_pattern(pattern)
        self.patterns.setdefault(bucket, []).append((regex, size, pattern, service_id))

    def add_url_rule(self, host: str, path_prefix: str, service_id: str) -> None:
        rules = self.url_rules.setdefault(host, [])
        rules.append((path_prefix, service_id))
        rules.sort(key=lambda rule: len(rule[0]), reverse=True)

    def match(self, raw_host: str, path: str | None = None) -> HostMatch | None:
        host = normalise_host(raw_host)
        if host is None:
            return None
        if path is not None and host in self.url_rules:
            for prefix, service_id in self.url_rules[host]:
                if path_matches(path, prefix):
                    return HostMatch(service_id, "url_paths", f"{host}{prefix}")
        return self._lookup(host)

    def _lookup_uncached(self, host: str) -> HostMatch | None:
        best_domain: HostMatch | None = None
        domain_labels = 0
        for suffix in suffixes(host):
            service_id = self.domains.get(suffix)
            if service_id is not None:
                best_domain = HostMatch(service_id, "domains", suffix)
                domain_labels = suffix.count(".") + 1
                break
        if self.patterns:
            for suffix in suffixes(host):
                for regex, size, pattern, service_id in self.patterns.get(suffix, ()):
                    if size >= domain_labels and regex.match(host):
                        return HostMatch(service_id, "host_patterns", pattern)
            for regex, size, pattern, service_id in self.patterns.get("", ()):
                if size >= domain_labels and regex.match(host):
                    return HostMatch(service_id, "host_patterns", pattern)
        return best_domain

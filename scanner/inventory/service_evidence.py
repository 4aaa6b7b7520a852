"""Findings folded per AI service: who used it (users, devices, accounts, repositories), where, when, and the
finding and run ids that prove it. Shared by the scope draft, the risk register and the HTML report.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from scanner.findings import UNKNOWN_SUBJECT

SUBJECT_KINDS = ("users", "devices", "accounts", "repos", "other")
REPO_SOURCES = frozenset({"repo"})
CLOUD_SOURCES = frozenset({"aws", "azure", "gcp"})
ACCOUNT_PREFIXES = ("tenant:", "aws:", "azure:", "gcp:")
MAC = re.compile(r"^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$", re.IGNORECASE)


def finding_id(service_id: str, source: str, subject: str, location: str) -> str:
    """A short id for a finding, derived from its key: the same finding has the same id in every export."""
    digest = hashlib.sha256("\x1f".join((service_id, source, subject, location)).encode("utf-8")).hexdigest()
    return "F-" + digest[:12]


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    return True


def subject_kind(source: str, subject: str, evidence: dict[str, Any] | None = None) -> str:
    if source in REPO_SOURCES:
        return "repos"
    if not subject or subject == UNKNOWN_SUBJECT:
        return "other"
    if is_ip(subject) or MAC.match(subject) or (evidence and evidence.get("device") == subject):
        return "devices"
    if source in CLOUD_SOURCES or subject.startswith(ACCOUNT_PREFIXES):
        return "accounts"
    return "users"


# matched_by of a model vendor's finding made from a model id seen in a cloud (scanner.modules.cloud_models):
# the vendor's models are used through that platform, not the vendor's own service directly.
MODEL_EVIDENCE = "models:"


def evidence_of(row: dict[str, Any]) -> dict[str, Any]:
    try:
        value = json.loads(row.get("evidence") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class ServiceEvidence:
    service_id: str
    subjects: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in SUBJECT_KINDS})
    sources: set[str] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)
    first_seen: str | None = None
    last_seen: str | None = None
    hits: int = 0
    findings: list[str] = field(default_factory=list)
    runs: set[int] = field(default_factory=set)
    matched_by: set[str] = field(default_factory=set)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: dict[str, Any]) -> None:
        self.subjects[subject_kind(row["source"], row["subject"], evidence_of(row))].add(row["subject"])
        self.sources.add(row["source"])
        self.locations.add(row["location"])
        if row["first_seen"] and (self.first_seen is None or row["first_seen"] < self.first_seen):
            self.first_seen = row["first_seen"]
        if row["last_seen"] and (self.last_seen is None or row["last_seen"] > self.last_seen):
            self.last_seen = row["last_seen"]
        self.hits += row["hits"] or 0
        self.findings.append(finding_id(row["service_id"], row["source"], row["subject"], row["location"]))
        self.runs.update(run for run in (row.get("first_run"), row.get("last_run")) if run is not None)
        self.matched_by.add(row.get("matched_by") or "")
        self.rows.append(row)

    def count(self, kind: str) -> int:
        return len(self.subjects[kind])

    @property
    def subject_total(self) -> int:
        return sum(len(names) for kind, names in self.subjects.items() if kind != "other")

    @property
    def exposed_keys(self) -> int:
        return sum(1 for row in self.rows if (row.get("matched_by") or "").startswith("secrets:"))

    @property
    def unknown(self) -> bool:
        return self.service_id.startswith("unknown-")


def fold(rows: Iterable[dict[str, Any]]) -> dict[str, ServiceEvidence]:
    services: dict[str, ServiceEvidence] = {}
    for row in rows:
        services.setdefault(row["service_id"], ServiceEvidence(row["service_id"])).add(row)
    return services

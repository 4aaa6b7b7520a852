"""Is a finding inside a scope's boundaries?

Which boundaries apply depends on the finding's source: networks, users and departments for network evidence
(logs, captures); repository patterns for code; account, subscription and project ids for clouds; tenants and
users for SaaS grants. A finding is inside when it matches at least one boundary that applies to its source,
or when the scope sets none that applies (a scope without networks takes every device of its logs).
"""

from __future__ import annotations

import ipaddress
from fnmatch import fnmatchcase
from typing import Any

from scanner.config.model import Scope
from scanner.inventory.service_evidence import evidence_of, is_ip

PEOPLE = ("networks", "users")
BOUNDARIES_BY_SOURCE: dict[str, tuple[str, ...]] = {
    "repo": ("repos",),
    "github": ("tenants", "repos", "users"),
    "aws": ("aws_accounts",),
    "azure": ("azure_subscriptions",),
    "gcp": ("gcp_projects",),
    "entra": ("tenants", "users"),
    "google": ("tenants", "users"),
    "slack": ("tenants", "users"),
    "dns-zone": (),
}
ID_BOUNDARIES = ("aws_accounts", "azure_subscriptions", "gcp_projects", "tenants")


def people_index(people: dict[str, str]) -> dict[str, str]:
    """user -> department, also under the local part of an e-mail address (alice@x.com -> alice)."""
    index = dict(people)
    for user, department in people.items():
        local = user.split("@", 1)[0]
        index.setdefault(local, department)
    return index


class Boundaries:
    def __init__(self, scope: Scope, people: dict[str, str] | None = None) -> None:
        self.scope = scope
        self.people = people_index(people or {})
        self.user_patterns = [pattern.lower() for pattern in scope.users]
        self.departments = set(scope.departments)
        self.ids = {name: [value.lower() for value in getattr(scope, name)] for name in ID_BOUNDARIES}

    def defined(self, boundary: str) -> bool:
        if boundary == "users":
            return bool(self.user_patterns or self.departments)
        return bool(getattr(self.scope, boundary))

    def applicable(self, source: str) -> list[str]:
        return [b for b in BOUNDARIES_BY_SOURCE.get(source, PEOPLE) if self.defined(b)]

    def inside(self, row: dict[str, Any]) -> bool:
        boundaries = self.applicable(row["source"])
        if not boundaries:
            return True
        evidence = evidence_of(row)
        return any(getattr(self, f"match_{b}" if b in ("networks", "users", "repos") else "match_ids")(
            row, evidence, b) for b in boundaries)

    def match_networks(self, row: dict[str, Any], evidence: dict[str, Any], _boundary: str) -> bool:
        for candidate in (row["subject"], evidence.get("client")):
            if isinstance(candidate, str) and is_ip(candidate):
                address = ipaddress.ip_address(candidate.split("%", 1)[0])
                if any(address in network for network in self.scope.networks if network.version == address.version):
                    return True
        return False

    def match_users(self, row: dict[str, Any], evidence: dict[str, Any], _boundary: str) -> bool:
        if evidence.get("department") in self.departments:  # named by the logs' subject map
            return True
        for candidate in (row["subject"], evidence.get("user")):
            if not isinstance(candidate, str) or not candidate or is_ip(candidate):
                continue
            user = candidate.lower()
            if any(fnmatchcase(user, pattern) for pattern in self.user_patterns):
                return True
            department = self.people.get(user) or self.people.get(user.split("@", 1)[0])
            if department in self.departments:
                return True
        return False

    def match_repos(self, row: dict[str, Any], _evidence: dict[str, Any], _boundary: str) -> bool:
        return any(fnmatchcase(value, pattern) for pattern in self.scope.repos
                   for value in (row["subject"], row["location"]))

    def match_ids(self, row: dict[str, Any], evidence: dict[str, Any], boundary: str) -> bool:
        text = " ".join(str(v) for v in (row["subject"], row["location"], *evidence.values())).lower()
        return any(value in text for value in self.ids[boundary])

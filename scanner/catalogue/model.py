"""One catalogue entry, as loaded from its YAML file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DETECTION_KINDS = (
    "domains",
    "host_patterns",
    "url_paths",
    "dns_txt",
    "oauth",
    "cloud",
    "packages",
    "imports",
    "env_vars",
    "secrets",
    "containers",
    "iac",
    "models",
)

RISK_FACTS = ("trains_on_customer_data", "retention", "enterprise_tier", "hosting_country", "certifications")


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    vendor: str
    category: str
    description: str
    website: str
    detection: dict[str, Any]
    risk: dict[str, Any]
    examples: dict[str, Any]
    path: Path
    aliases: tuple[str, ...] = ()
    also_categories: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: Path) -> "Service":
        return cls(
            id=data["id"],
            name=data["name"],
            vendor=data["vendor"],
            category=data["category"],
            description=data.get("description") or "",
            website=data.get("website") or "",
            detection=data.get("detection") or {},
            risk=data.get("risk") or {},
            examples=data.get("examples") or {},
            path=path,
            aliases=tuple(data.get("aliases") or ()),
            also_categories=tuple(data.get("also_categories") or ()),
            raw=data,
        )

    def risk_value(self, fact: str) -> Any:
        entry = self.risk.get(fact) or {}
        return entry.get("value", "unknown")

"""A loaded configuration: plain data that commands and modules read."""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Any

from scanner.config.schema import SOURCES, SourceSchema

DEFAULT_CONFIG = "shadowai.toml"
DEFAULT_DRAFTS = "scope-drafts"
WHOLE_ORGANISATION = "all"


@dataclass(frozen=True)
class SourceConfig:
    name: str  # the table name: logs, repo, dns_zone…
    options: dict[str, Any]  # validated values, paths already resolved against the config's folder
    enabled: bool = True

    @property
    def schema(self) -> SourceSchema:
        return SOURCES[self.name]

    @property
    def command(self) -> str:
        return self.schema.command


@dataclass(frozen=True)
class Scope:
    name: str
    description: str = ""
    sources: tuple[str, ...] = ()  # empty: every configured source
    networks: tuple[IPv4Network | IPv6Network, ...] = ()
    users: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    aws_accounts: tuple[str, ...] = ()
    azure_subscriptions: tuple[str, ...] = ()
    gcp_projects: tuple[str, ...] = ()
    tenants: tuple[str, ...] = ()
    repos: tuple[str, ...] = ()

    @property
    def has_boundaries(self) -> bool:
        return any((self.networks, self.users, self.departments, self.aws_accounts, self.azure_subscriptions,
                    self.gcp_projects, self.tenants, self.repos))


@dataclass(frozen=True)
class Config:
    path: Path | None  # None: no file, every default
    sources: dict[str, SourceConfig] = field(default_factory=dict)
    scopes: dict[str, Scope] = field(default_factory=dict)
    signatures: tuple[Path, ...] = ()
    sanctions: Path | None = None
    departments: Path | None = None
    people: dict[str, str] = field(default_factory=dict)  # user (lower case) -> department, from the CSV
    templates: Path | None = None
    drafts: Path = Path(DEFAULT_DRAFTS)
    notifications: Any = None  # scanner.notifications.settings.NotificationSettings, or None: no [notifications]
    log_formats: dict[str, dict[str, Any]] = field(default_factory=dict)  # [log_formats.NAME] field mappings

    def scope(self, name: str | None) -> Scope:
        """The named scope; without a name, the whole organisation (every source, no boundaries)."""
        if name is None:
            return Scope(WHOLE_ORGANISATION, "The whole organisation: every configured source, no boundaries.")
        return self.scopes[name]

    def sources_for(self, scope: Scope) -> list[SourceConfig]:
        names = scope.sources or tuple(self.sources)
        return [self.sources[name] for name in names if self.sources[name].enabled]

"""What discovery modules yield: small, immutable, typed records of something seen in a source.

A module knows its source and nothing about AI; the matcher decides which observations name an AI service.
``source`` is the module's name (``logs``, ``repo``, ``aws``…) and ``location`` the place inside the source
(a log file, a region, a repository path). Timestamps are ISO 8601 UTC strings or None when the source has none.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HostSeen:
    host: str
    source: str
    location: str
    timestamp: str | None = None
    client: str | None = None  # client IP or device
    user: str | None = None
    path: str | None = None  # URL path and query when the source knows it
    method: str | None = None
    status: str | None = None
    bytes: int | None = None
    record: str | None = None  # where in the source: "file:line"


@dataclass(frozen=True, slots=True)
class DnsRecord:
    name: str
    type: str
    value: str
    source: str
    location: str
    timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class OAuthGrant:
    idp: str
    app_id: str
    app_name: str
    source: str
    location: str
    publisher_domain: str | None = None
    redirect_hosts: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    user: str | None = None  # None: consented for the whole tenant
    timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class CloudResource:
    provider: str
    account: str
    region: str
    service: str
    type: str
    id: str
    source: str
    location: str
    kind: str | None = None
    model: str | None = None
    timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class CloudActivity:
    provider: str
    account: str
    principal: str
    service: str
    action: str
    count: int
    window: str
    source: str
    location: str
    timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class PackageUse:
    ecosystem: str
    name: str
    version: str | None
    repo: str
    path: str
    source: str = "repo"
    line: int | None = None


@dataclass(frozen=True, slots=True)
class CodeReference:
    kind: str  # import | endpoint | env-var | container | iac
    value: str
    repo: str
    path: str
    line: int | None
    source: str = "repo"
    language: str | None = None


@dataclass(frozen=True, slots=True)
class SecretFound:
    rule_id: str
    service_id: str
    fingerprint: str  # never the secret itself
    repo: str
    path: str
    line: int | None
    source: str = "repo"


@dataclass(frozen=True, slots=True)
class ModelFile:
    path: str
    format: str
    size: int
    sha256: str
    repo: str
    source: str = "repo"

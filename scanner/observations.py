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
    device: str | None = None  # from a subject map (IP/CIDR -> device, user, department), when one is given
    department: str | None = None
    mac: str | None = None  # the client's link-layer address, when the source sees it (packet captures)
    via: str | None = None  # how the host was learnt when a source has several ways: tls-sni, dns-query…


@dataclass(frozen=True, slots=True)
class DnsRecord:
    name: str
    type: str  # TXT, CNAME, MX, NS, or SPF (value: a domain an SPF record includes or redirects to)
    value: str
    source: str
    location: str
    timestamp: str | None = None
    # The zone the record was read from: a target outside it that looks like AI is kept as unknown-dns-ai-record.
    zone: str | None = None
    # Facts kept with the evidence, as (name, value) pairs: the whole SPF or MX record, a CNAME chain, the server.
    details: tuple[tuple[str, str], ...] = ()


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
    # Source-specific facts kept with the evidence, as (name, value) pairs: a GitHub installation's repository
    # selection, a Copilot seat's plan, a Slack log entry's change type. Never a secret.
    details: tuple[tuple[str, str], ...] = ()


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
    # Provider-specific facts kept with the evidence, as (name, value) pairs: a deployment's SKU and capacity, a
    # model version, an endpoint host. Never a secret.
    details: tuple[tuple[str, str], ...] = ()
    # Listed by an API that holds only AI resources (Bedrock, SageMaker…): recorded as ``unknown-cloud-ai`` when
    # the catalogue has no identifier for it, instead of being dropped.
    ai_api: bool = False


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
    details: tuple[tuple[str, str], ...] = ()  # as CloudResource.details: a metric's unit, a cost's currency


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
    size: int | None  # None: not known (a .gitattributes rule names a pattern, not a file)
    sha256: str | None  # None: not hashed (over the size limit, or no file behind the evidence)
    repo: str
    source: str = "repo"
    via: str = "magic"  # magic | git-lfs-pointer | git-lfs-rule | file-name
    line: int | None = None


@dataclass(frozen=True, slots=True)
class AgentConfig:
    """A configuration file of an AI coding assistant or agent (.cursorrules, CLAUDE.md, .mcp.json…).

    ``tool`` is the catalogue service id the file belongs to when it is specific to one tool (``cursor``), or a
    short name of the convention when it is shared or not in the catalogue (``agents-md``, ``aider``)."""

    tool: str
    path: str
    repo: str
    source: str = "repo"
    line: int | None = None


@dataclass(frozen=True, slots=True)
class LicenceSeen:
    """A product subscription seen in an admin console (Microsoft 365 ``subscribedSkus``): ``assigned`` of
    ``purchased`` seats of the product named ``sku`` (its part number, e.g. ``Microsoft_365_Copilot``)."""

    provider: str
    tenant: str
    sku: str
    sku_id: str
    assigned: int
    purchased: int
    source: str
    location: str
    plans: tuple[str, ...] = ()  # the service plans the product contains
    timestamp: str | None = None

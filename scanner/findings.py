"""Findings: an AI service seen for a subject at a location, produced by the matcher from observations.

The finding key is (service id, source, subject, location). Evidence is a small dict kept as one sample;
it never holds a secret (secrets arrive here already reduced to fingerprints) and URL query strings are
dropped because they often carry tokens.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import singledispatch
from typing import TYPE_CHECKING, Any

from scanner import observations as obs
from scanner.matching.ai_names import ai_like_reason, ai_word
from scanner.matching.dns_names import ai_like_target, ai_like_verification, owner_label
from scanner.matching.names import app_name
from scanner.oauth import unknown_apps

if TYPE_CHECKING:
    from scanner.matching.matcher import Matcher

UNKNOWN_SUBJECT = "unknown"
# Findings for AI-like things that no catalogue service claims, so that nothing is silently dropped.
UNKNOWN_MODEL_FILE = "unknown-model-file"
UNKNOWN_AGENT_CONFIG = "unknown-ai-agent-config"
UNKNOWN_CLOUD_AI = "unknown-cloud-ai"  # a resource listed by a cloud AI API whose service the catalogue lacks
UNKNOWN_OAUTH_AI_APP = "unknown-oauth-ai-app"  # an OAuth/SaaS app that looks like AI or holds broad data scopes
UNKNOWN_AI_LICENCE = "unknown-ai-licence"  # a licensed product whose name looks like AI (a Copilot SKU)
UNKNOWN_DNS_AI = "unknown-dns-ai-record"  # a verification TXT or a CNAME/MX/SPF target whose name looks like AI


@dataclass(frozen=True, slots=True)
class Finding:
    service_id: str
    source: str
    subject: str
    location: str
    seen_at: str | None
    matched_by: str
    evidence: dict[str, Any] = field(default_factory=dict)
    hits: int = 1

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.service_id, self.source, self.subject, self.location)


def compact(evidence: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in evidence.items() if value not in (None, "", ())}


def strip_query(path: str | None) -> str | None:
    if path is None:
        return None
    for separator in "?#;":
        path = path.split(separator, 1)[0]
    return path[:256]


@singledispatch
def match_observation(observation: Any, matcher: "Matcher") -> Finding | None:
    raise TypeError(f"no matcher for {type(observation).__name__}")


@match_observation.register(obs.HostSeen)
def _(observation: obs.HostSeen, matcher: "Matcher") -> Finding | None:
    found = matcher.match_host(observation.host, observation.path)
    if found is None:
        return None
    return Finding(
        service_id=found.service_id,
        source=observation.source,
        subject=observation.user or observation.device or observation.client or UNKNOWN_SUBJECT,
        location=observation.location,
        seen_at=observation.timestamp,
        matched_by=f"{found.kind}:{found.rule}",
        evidence=compact({
            "host": observation.host,
            "path": strip_query(observation.path),
            "method": observation.method,
            "status": observation.status,
            "client": observation.client,
            "user": observation.user,
            "device": observation.device,
            "department": observation.department,
            "mac": observation.mac,
            "via": observation.via,
            "record": observation.record,
        }),
    )


@match_observation.register(obs.DnsRecord)
def _(observation: obs.DnsRecord, matcher: "Matcher") -> Finding | None:
    kind = observation.type.upper()
    if kind == "TXT":
        service_id = matcher.match_txt(observation.value, owner_label(observation.name))
        rule = "dns_txt"
        if service_id is None and (word := ai_like_verification(observation.name, observation.value)):
            service_id, rule = UNKNOWN_DNS_AI, f"dns-ai-like:txt:{word}"
    elif kind in ("CNAME", "MX", "NS", "SPF"):
        found = matcher.match_host(observation.value)
        service_id, rule = (found.service_id, f"{found.kind}:{found.rule}") if found else (None, "")
        if found is None and (why := ai_like_target(observation.value, observation.zone)):
            service_id, rule = UNKNOWN_DNS_AI, f"dns-ai-like:{kind.lower()}:{why}"
    else:
        return None
    if service_id is None:
        return None
    return Finding(service_id, observation.source, observation.name, observation.location, observation.timestamp,
                   rule, {"name": observation.name, "type": kind, "value": observation.value[:256],
                          **{name: value[:512] for name, value in observation.details}})


@match_observation.register(obs.OAuthGrant)
def _(observation: obs.OAuthGrant, matcher: "Matcher") -> Finding | None:
    service_id = matcher.match_oauth(
        app_name=observation.app_name,
        publisher_domain=observation.publisher_domain or "",
        client_id=observation.app_id,
    )
    matched_by = "oauth"
    for host in observation.redirect_hosts if service_id is None else ():  # reply-URL hosts: the publisher's
        service_id = matcher.match_oauth(publisher_domain=host)
        matched_by = "oauth:redirect_host"
        if service_id is not None:
            break
    location, review = observation.location, {}
    if service_id is None:  # outside the catalogue: an AI-like app, or one holding broad data scopes, for review
        details = dict(observation.details)
        if reason := ai_like_reason(observation.app_name, observation.publisher_domain, observation.redirect_hosts):
            why = unknown_apps.AI_LIKE_NAME
        elif broad := unknown_apps.broad_data_scopes(observation.idp, observation.scopes, details):
            why, reason = unknown_apps.BROAD_DATA_SCOPES, broad[0]
        else:
            return None
        service_id, matched_by = UNKNOWN_OAUTH_AI_APP, f"{unknown_apps.MATCHED_BY[why]}:{reason}"
        location, review = (unknown_apps.app_location(location, observation.app_id, observation.app_name),
                            unknown_apps.review_evidence(why))
    return Finding(service_id, observation.source, observation.user or f"tenant:{observation.idp}",
                   location, observation.timestamp, matched_by,
                   compact({"app_id": observation.app_id, "app_name": observation.app_name,
                            "publisher_domain": observation.publisher_domain,
                            "redirect_hosts": " ".join(observation.redirect_hosts[:5]),
                            "scopes": " ".join(observation.scopes), **dict(observation.details), **review}))


@match_observation.register(obs.CloudResource)
def _(observation: obs.CloudResource, matcher: "Matcher") -> Finding | None:
    # A child resource (an Azure OpenAI deployment) names its parent's type as ``service`` and its parent's kind.
    service_id = (matcher.match_cloud(observation.provider, observation.type, observation.kind)
                  or (observation.kind and matcher.match_cloud(observation.provider, observation.service,
                                                               observation.kind))
                  or matcher.match_cloud(observation.provider, observation.service))
    matched_by = "cloud"
    if service_id is None:
        if not observation.ai_api:
            return None
        service_id, matched_by = UNKNOWN_CLOUD_AI, f"cloud-unmatched:{observation.provider}:{observation.service}"
    return Finding(service_id, observation.source, f"{observation.provider}:{observation.account}",
                   observation.location, observation.timestamp, matched_by,
                   compact({"region": observation.region, "type": observation.type, "id": observation.id,
                            "model": observation.model, **dict(observation.details)}))


@match_observation.register(obs.CloudActivity)
def _(observation: obs.CloudActivity, matcher: "Matcher") -> Finding | None:
    service_id = matcher.match_cloud(observation.provider, observation.service)
    if service_id is None:
        return None
    return Finding(service_id, observation.source, observation.principal, observation.location,
                   observation.timestamp, "cloud",
                   {"account": observation.account, "action": observation.action, "window": observation.window,
                    **dict(observation.details)},
                   hits=observation.count)


@match_observation.register(obs.PackageUse)
def _(observation: obs.PackageUse, matcher: "Matcher") -> Finding | None:
    service_id = matcher.match_package(observation.ecosystem, observation.name)
    if service_id is None:
        return None
    return Finding(service_id, observation.source, observation.repo, observation.path, None,
                   f"packages:{observation.ecosystem}",
                   compact({"package": observation.name, "version": observation.version, "line": observation.line}))


@match_observation.register(obs.CodeReference)
def _(observation: obs.CodeReference, matcher: "Matcher") -> Finding | None:
    if observation.kind == "import" and observation.language:
        service_id, rule = matcher.match_import(observation.language, observation.value), "imports"
    elif observation.kind == "endpoint":
        found = matcher.match_url(observation.value)
        service_id, rule = (found.service_id, found.kind) if found else (None, "")
    elif observation.kind == "env-var":
        service_id, rule = matcher.match_env_var(observation.value), "env_vars"
    elif observation.kind == "container":
        service_id, rule = matcher.match_container(observation.value), "containers"
    elif observation.kind == "iac" and ":" in observation.value:
        tool, _, resource_type = observation.value.partition(":")
        service_id, rule = matcher.match_iac(tool, resource_type), "iac"
    else:
        return None
    if service_id is None:
        return None
    return Finding(service_id, observation.source, observation.repo, observation.path, None, rule,
                   compact({"kind": observation.kind, "value": observation.value[:200], "line": observation.line}))


@match_observation.register(obs.SecretFound)
def _(observation: obs.SecretFound, matcher: "Matcher") -> Finding | None:
    return Finding(observation.service_id, observation.source, observation.repo, observation.path, None,
                   f"secrets:{observation.rule_id}",
                   compact({"fingerprint": observation.fingerprint, "line": observation.line}))


@match_observation.register(obs.ModelFile)
def _(observation: obs.ModelFile, matcher: "Matcher") -> Finding | None:
    return Finding(UNKNOWN_MODEL_FILE, observation.source, observation.repo, observation.path, None,
                   f"model-file:{observation.format}",
                   compact({"format": observation.format, "size": observation.size, "sha256": observation.sha256,
                            "via": observation.via, "line": observation.line}))


@match_observation.register(obs.AgentConfig)
def _(observation: obs.AgentConfig, matcher: "Matcher") -> Finding | None:
    known = matcher.catalogue.service(observation.tool) is not None
    return Finding(observation.tool if known else UNKNOWN_AGENT_CONFIG, observation.source, observation.repo,
                   observation.path, None, f"agent-config:{observation.tool}",
                   compact({"tool": observation.tool, "line": observation.line}))


@match_observation.register(obs.LicenceSeen)
def _(observation: obs.LicenceSeen, matcher: "Matcher") -> Finding | None:
    service_id = product_service(matcher, observation.sku)
    matched_by = "licence:name"
    if service_id is None:
        word = ai_word(observation.sku)
        if word is None:
            return None
        service_id, matched_by = UNKNOWN_AI_LICENCE, f"licence-ai-like:name:{word}"
    return Finding(service_id, observation.source, f"tenant:{observation.provider}", observation.location,
                   observation.timestamp, matched_by,
                   {"sku": observation.sku, "sku_id": observation.sku_id, "assigned": observation.assigned,
                    "purchased": observation.purchased, "plans": " ".join(observation.plans[:20])},
                   hits=observation.assigned)


def product_service(matcher: "Matcher", product: str) -> str | None:
    """The catalogue service whose name or alias is the product's name ('Microsoft_365_Copilot' is 'Microsoft 365
    Copilot'), compared as app names are."""
    names = _product_names.get(matcher)
    if names is None:
        names = {}
        for service in matcher.catalogue.services.values():
            for name in (service.name, *(getattr(service, "aliases", None) or ())):
                names.setdefault(app_name(str(name)), service.id)
        _product_names[matcher] = names
    return names.get(app_name(product.replace("_", " ")))


_product_names: "weakref.WeakKeyDictionary[Matcher, dict[str, str]]" = weakref.WeakKeyDictionary()

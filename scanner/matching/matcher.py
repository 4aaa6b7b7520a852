"""The matcher: the catalogue compiled into indexes, one lookup method per kind of evidence.

It knows nothing about where evidence comes from. ``claims`` lists, for the lint, every key a service
stakes out, in the same normal form the lookups use, so that two services can never claim one key.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from scanner.matching import names
from scanner.matching.host_index import HostIndex, HostMatch
from scanner.matching.hostnames import normalise_host, suffixes
from scanner.matching.models import ModelIndex, ModelMatch, pattern_claim
from scanner.matching.secret_rules import SecretHit, SecretScanner

if TYPE_CHECKING:
    from scanner.catalogue.loader import Catalogue
    from scanner.catalogue.model import Service


def claims(service: "Service") -> Iterator[tuple[str, str]]:
    """Every (kind, key) the service claims, normalised. Used for lookups and for duplicate checks."""
    detection = service.detection
    for domain in detection.get("domains", ()):
        yield "domains", domain.lower()
    for pattern in detection.get("host_patterns", ()):
        yield "host_patterns", pattern.lower()
    for rule in detection.get("url_paths", ()):
        yield "url_paths", f"{rule['host'].lower()}{rule['path_prefix']}"
    for rule in detection.get("dns_txt", ()):
        yield "dns_txt", rule["prefix"].lower()
    oauth = detection.get("oauth", {})
    for name in oauth.get("app_names", ()):
        yield "oauth", "app_name:" + names.app_name(name)
    for domain in oauth.get("publisher_domains", ()):
        yield "oauth", "publisher_domain:" + domain.lower()
    for client_id in oauth.get("client_ids", ()):
        yield "oauth", "client_id:" + names.identifier(client_id)
    for provider, identifiers in detection.get("cloud", {}).items():
        for ident in identifiers:
            yield "cloud", f"{provider}:{names.identifier(ident)}"
    for ecosystem, packages in detection.get("packages", {}).items():
        for package in packages:
            yield "packages", f"{ecosystem}:{names.package_name(ecosystem, package)}"
    for language, modules in detection.get("imports", {}).items():
        for module in modules:
            yield "imports", f"{language}:{names.import_candidates(language, module)[0]}"
    for var in detection.get("env_vars", ()):
        yield "env_vars", var
    for image in detection.get("containers", ()):
        yield "containers", names.container_image(image)
    for tool, types in detection.get("iac", {}).items():
        for resource_type in types:
            yield "iac", f"{tool}:{names.identifier(resource_type)}"
    for pattern in detection.get("models", ()):
        yield "models", pattern_claim(pattern)


class Matcher:
    def __init__(self, catalogue: "Catalogue") -> None:
        self.catalogue = catalogue
        self.hosts = HostIndex()
        self.exact: dict[str, dict[str, str]] = {}
        self.txt: list[tuple[str, str | None, str]] = []
        self.secrets = SecretScanner()
        self.publisher_domains: dict[str, str] = {}
        self.models = ModelIndex()
        self.problems: list[str] = []
        for service in catalogue.services.values():
            self._add(service)

    def _add(self, service: "Service") -> None:
        detection = service.detection
        for domain in detection.get("domains", ()):
            self.hosts.add_domain(domain.lower(), service.id)
        for pattern in detection.get("host_patterns", ()):
            self.hosts.add_pattern(pattern.lower(), service.id)
        for rule in detection.get("url_paths", ()):
            self.hosts.add_url_rule(rule["host"].lower(), rule["path_prefix"], service.id)
        for rule in detection.get("dns_txt", ()):
            self.txt.append((rule["prefix"].lower(), rule.get("name"), service.id))
        for rule in detection.get("secrets", ()):
            try:
                self.secrets.add(service.id, rule["id"], rule["keywords"], rule["regex"])
            except re.error as exc:  # reported by `catalogue validate`; the other rules still work
                self.problems.append(f"{service.path}: secret rule {rule['id']}: {exc}")
        for domain in detection.get("oauth", {}).get("publisher_domains", ()):
            self.publisher_domains.setdefault(domain.lower(), service.id)
        for pattern in detection.get("models", ()):
            try:
                self.models.add(pattern, service.id, service.vendor)
            except ValueError as exc:  # reported by `catalogue validate`; the other patterns still work
                self.problems.append(f"{service.path}: {exc}")
        for kind, key in claims(service):
            if kind in {"oauth", "cloud", "packages", "imports", "env_vars", "containers", "iac"}:
                self.exact.setdefault(kind, {}).setdefault(key, service.id)

    def _exact(self, kind: str, keys: list[str]) -> str | None:
        table = self.exact.get(kind, {})
        for key in keys:
            service_id = table.get(key)
            if service_id is not None:
                return service_id
        return None

    # --- lookups, one per kind of evidence -------------------------------------------------------------
    def match_host(self, host: str, path: str | None = None) -> HostMatch | None:
        return self.hosts.match(host, path)

    def match_url(self, url: str) -> HostMatch | None:
        host, path = split_url(url)
        return self.hosts.match(host, path) if host else None

    def match_txt(self, value: str, owner_label: str | None = None) -> str | None:
        text = value.strip().strip('"').lower()
        for prefix, name, service_id in self.txt:
            if text.startswith(prefix) and (name is None or owner_label is None or name == owner_label):
                return service_id
        return None

    def match_oauth(self, *, app_name: str = "", publisher_domain: str = "", client_id: str = "") -> str | None:
        if client_id:
            found = self._exact("oauth", ["client_id:" + names.identifier(client_id)])
            if found:
                return found
        if publisher_domain:
            host = normalise_host(publisher_domain)
            for suffix in suffixes(host) if host else ():
                if suffix in self.publisher_domains:
                    return self.publisher_domains[suffix]
        if app_name:
            return self._exact("oauth", ["app_name:" + names.app_name(app_name)])
        return None

    def match_cloud(self, provider: str, identifier: str, kind: str | None = None) -> str | None:
        keys = [f"{provider}:{names.identifier(identifier)}"]
        if kind:
            keys.insert(0, f"{provider}:{names.identifier(identifier)}:{names.identifier(kind)}")
        return self._exact("cloud", keys)

    def match_package(self, ecosystem: str, name: str) -> str | None:
        return self._exact("packages", [f"{ecosystem}:{key}" for key in names.package_candidates(ecosystem, name)])

    def match_import(self, language: str, module: str) -> str | None:
        return self._exact("imports", [f"{language}:{key}" for key in names.import_candidates(language, module)])

    def match_env_var(self, name: str) -> str | None:
        return self._exact("env_vars", [name.strip()])

    def match_container(self, reference: str) -> str | None:
        return self._exact("containers", [names.container_image(reference)])

    def match_iac(self, tool: str, resource_type: str) -> str | None:
        return self._exact("iac", [f"{tool}:{names.identifier(resource_type)}"])

    def match_model(self, model_id: str, provider_hint: str | None = None) -> str | None:
        """The service of the vendor whose model family an id names: 'us.anthropic.claude-…' -> anthropic-api.
        ``provider_hint`` is a publisher named beside the id (an Azure deployment's model format)."""
        found = self.models.match(model_id, provider_hint or None)
        return found.service_id if found else None

    def model_match(self, model_id: str, provider_hint: str | None = None) -> ModelMatch | None:
        """As ``match_model``, with the pattern that matched and how sure the match is."""
        return self.models.match(model_id, provider_hint or None)

    def find_secrets(self, text: str) -> list[SecretHit]:
        return self.secrets.scan(text)

    # --- catalogue examples ------------------------------------------------------------------------------
    def example_matches(self, kind: str, example: str) -> set[str]:
        """The service ids an example string is attributed to, in the format the schema documents."""
        def one(found) -> set[str]:
            if found is None:
                return set()
            return {found.service_id if isinstance(found, HostMatch) else found}

        if kind in ("domains", "host_patterns"):
            return one(self.match_host(example))
        if kind == "url_paths":
            return one(self.match_url(example))
        if kind == "dns_txt":
            return one(self.match_txt(example))
        if kind == "env_vars":
            return one(self.match_env_var(example))
        if kind == "containers":
            return one(self.match_container(example))
        if kind == "secrets":
            return {hit.service_id for hit in self.find_secrets(example)}
        if kind == "models":  # 'model id', or 'provider hint|model id'
            hint, _, model = example.rpartition("|")
            return one(self.match_model(model, hint.strip() or None))
        prefix, _, value = example.partition(":")
        if kind == "oauth" and prefix in ("app_name", "publisher_domain", "client_id"):
            return one(self.match_oauth(**{prefix: value}))
        if kind == "cloud":
            ident, _, cloud_kind = value.partition(":")
            return one(self.match_cloud(prefix, ident, cloud_kind or None))
        if kind == "packages":
            return one(self.match_package(prefix, value))
        if kind == "imports" and prefix in names.IMPORT_SEPARATORS:
            return one(self.match_import(prefix, value))
        if kind == "iac":
            return one(self.match_iac(prefix, value))
        raise ValueError(f"example {example!r} is not in the format for {kind}")


def split_url(url: str) -> tuple[str, str]:
    """('host[:port]', '/path?query') from an absolute URL, a scheme-less 'host/path' or a CONNECT 'host:port'."""
    rest = url.strip()
    scheme_end = rest.find("://")
    if scheme_end != -1:
        rest = rest[scheme_end + 3 :]
    slash = len(rest)
    for separator in "/?#":
        index = rest.find(separator)
        if index != -1:
            slash = min(slash, index)
    authority, path = rest[:slash], rest[slash:] or "/"
    if "@" in authority:
        authority = authority.rsplit("@", 1)[1]
    if not path.startswith("/"):
        path = "/" + path
    return authority, path

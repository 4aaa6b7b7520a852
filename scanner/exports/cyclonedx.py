"""CycloneDX 1.6 AI-BOM of the code repositories in the inventory.

- SDK dependencies (from manifests, lock files, install commands) are ``library`` components with a Package URL
  (``pkg:pypi/openai@1.40.0``; the version only when the manifest pins one exactly), and where each was found
  as evidence occurrences (repository and file, line) with the detector's confidence.
- Model files are ``machine-learning-model`` components with their SHA-256 (from the file, or from its Git LFS
  pointer), size and format.
- Inference container images are ``container`` components.
- Every AI service of the catalogue that the code uses — an SDK, an endpoint, an env var name, a key, an IaC
  resource, an assistant's config — is a ``service`` with its provider, the endpoints seen, its category and
  sanction status; each library and image depends on the service it is a client or a server of.
Only the inventory's evidence goes in: a key is never more than its fingerprint, and fingerprints are left out.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any, Iterable
from urllib.parse import quote

from scanner import __version__
from scanner.catalogue.loader import Catalogue
from scanner.exports.sarif import evidence_of

SOURCE = "repo"
SPEC_VERSION = "1.6"
CONFIDENCE = {"high": 0.9, "medium": 0.6, "low": 0.3}
PURL_TYPES = {"pypi": "pypi", "npm": "npm", "go": "golang", "golang": "golang", "maven": "maven",
              "cargo": "cargo", "crates": "cargo", "nuget": "nuget", "rubygems": "gem", "gem": "gem"}
EXACT_VERSION = re.compile(r"^v?\d+(?:\.[0-9A-Za-z]+)*(?:[-+][0-9A-Za-z.+-]+)?$")


# Manifests where a bare version is a range: Cargo's "0.25" is "^0.25", NuGet's "2.0" is ">= 2.0".
BARE_VERSION_IS_RANGE = re.compile(r"(^|/)(cargo\.toml|directory\.packages\.props|[^/]*\.(cs|fs|vb)proj)$", re.I)


def exact_version(version: Any, location: str = "") -> str | None:
    """A pinned version (``1.40.0``, ``==1.40``, ``v1.32.0``); None for ranges (``^4``, ``>=1.2``, ``~=1.0``, a
    bare version in a manifest that reads it as a range)."""
    if not isinstance(version, str) or BARE_VERSION_IS_RANGE.search(location):
        return None
    value = version.strip().removeprefix("==").strip()
    return value if EXACT_VERSION.match(value) else None


def purl(ecosystem: str, name: str, version: str | None) -> str | None:
    """The Package URL of a dependency (github.com/package-url/purl-spec: type, namespace, name, version)."""
    kind = PURL_TYPES.get(ecosystem.lower())
    if kind is None or not name:
        return None
    if kind == "pypi":
        path = re.sub(r"[-_.]+", "-", name).lower()
    elif kind == "maven":
        group, _, artifact = name.partition(":")
        if not artifact:
            return None
        path = f"{quote(group, safe='')}/{quote(artifact, safe='')}"
    elif kind == "npm" and name.startswith("@") and "/" in name:
        scope, _, package = name.partition("/")
        path = f"{quote(scope, safe='')}/{quote(package, safe='')}"
    elif kind == "golang":
        path = "/".join(quote(part, safe="") for part in name.split("/"))
    else:
        path = quote(name, safe="")
    return f"pkg:{kind}/{path}" + (f"@{quote(version, safe='')}" if version else "")


def occurrence(row: dict[str, Any], evidence: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {"location": f"{row['subject']}:{row['location']}"}
    if isinstance(evidence.get("line"), int) and evidence["line"] >= 0:
        found["line"] = evidence["line"]
    return found


def properties(**values: Any) -> list[dict[str, str]]:
    return [{"name": f"shadowai:{name}", "value": str(value)} for name, value in values.items()
            if value not in (None, "")]


class AiBom:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.components: dict[str, dict[str, Any]] = {}
        self.services: dict[str, dict[str, Any]] = {}
        self.depends: dict[str, set[str]] = {}

    def service(self, row: dict[str, Any]) -> str | None:
        service_id = row["service_id"]
        if service_id.startswith("unknown-"):
            return None
        ref = f"service:{service_id}"
        entry = self.services.get(ref)
        if entry is None:
            known = self.catalogue.service(service_id)
            entry = {"bom-ref": ref, "name": row.get("service_name") or service_id}
            if row.get("vendor"):
                entry["provider"] = {"name": row["vendor"], **({"url": [known.website]}
                                                                 if known is not None and known.website else {})}
            if known is not None and known.description:
                entry["description"] = known.description
            entry["x-trust-boundary"] = True
            entry["properties"] = properties(service=service_id, category=row.get("category"),
                                             sanction=row.get("sanction_status"))
            entry["_endpoints"], entry["_kinds"], entry["_repositories"] = set(), set(), set()
            self.services[ref] = entry
        evidence = evidence_of(row)
        entry["_kinds"].add(str(evidence.get("kind") or "code"))
        entry["_repositories"].add(row["subject"])
        if evidence.get("kind") == "endpoint" and evidence.get("value"):
            entry["_endpoints"].add(str(evidence["value"]))
        return ref

    def component(self, ref: str, make) -> dict[str, Any]:
        if ref not in self.components:
            self.components[ref] = make()
        return self.components[ref]

    def add(self, row: dict[str, Any]) -> None:
        evidence = evidence_of(row)
        kind = evidence.get("kind")
        service = self.service(row)
        ref = None
        if kind == "package":
            ecosystem = str(row.get("matched_by", "")).partition(":")[2] or "generic"
            name = str(evidence.get("package") or "")
            version = exact_version(evidence.get("version"), row["location"])
            url = purl(ecosystem, name, version)
            ref = url or f"package:{ecosystem}:{name}@{version or ''}"

            def library() -> dict[str, Any]:
                entry: dict[str, Any] = {"type": "library", "bom-ref": ref, "name": name}
                if version:
                    entry["version"] = version
                if url:
                    entry["purl"] = url
                entry["properties"] = properties(ecosystem=ecosystem, service=row["service_id"])
                entry["evidence"] = {"occurrences": []}
                if url:
                    entry["evidence"]["identity"] = [{"field": "purl", "confidence": 1.0, "concludedValue": url,
                                                      "methods": [{"technique": "manifest-analysis",
                                                                   "confidence": CONFIDENCE.get(
                                                                       evidence.get("confidence"), 0.6)}]}]
                return entry
            self.component(ref, library)["evidence"]["occurrences"].append(occurrence(row, evidence))
        elif kind == "model-file":
            sha256 = evidence.get("sha256")
            ref = f"model:{sha256}" if sha256 else f"model:{row['subject']}:{row['location']}"

            def model() -> dict[str, Any]:
                entry: dict[str, Any] = {"type": "machine-learning-model", "bom-ref": ref,
                                         "name": row["location"].rsplit("/", 1)[-1]}
                if sha256:
                    entry["hashes"] = [{"alg": "SHA-256", "content": sha256}]
                entry["properties"] = properties(format=evidence.get("format"), size=evidence.get("size"),
                                                 via=evidence.get("via"))
                entry["evidence"] = {"occurrences": []}
                return entry
            self.component(ref, model)["evidence"]["occurrences"].append(occurrence(row, evidence))
        elif kind == "container" and evidence.get("value"):
            image = str(evidence["value"])
            ref = f"container:{image}"
            name, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "")

            def container() -> dict[str, Any]:
                entry: dict[str, Any] = {"type": "container", "bom-ref": ref, "name": name or image}
                if tag:
                    entry["version"] = tag
                entry["evidence"] = {"occurrences": []}
                return entry
            self.component(ref, container)["evidence"]["occurrences"].append(occurrence(row, evidence))
        if ref is not None and service is not None:
            self.depends.setdefault(ref, set()).add(service)

    def document(self) -> dict[str, Any]:
        services = []
        for entry in self.services.values():
            endpoints = sorted(entry.pop("_endpoints"))
            entry["properties"] += properties(evidence=",".join(sorted(entry.pop("_kinds"))),
                                              repositories=len(entry.pop("_repositories")))
            if endpoints:
                entry["endpoints"] = endpoints
            services.append(entry)
        components = list(self.components.values())
        for component in components:
            occurrences = component["evidence"]["occurrences"]
            unique = {(o["location"], o.get("line")): o for o in occurrences}
            component["evidence"]["occurrences"] = [unique[key] for key in sorted(unique, key=str)]
        return {
            "bomFormat": "CycloneDX", "specVersion": SPEC_VERSION,
            "serialNumber": f"urn:uuid:{uuid.uuid4()}", "version": 1,
            "metadata": {
                "timestamp": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "tools": {"components": [{"type": "application", "name": "shadowai", "version": __version__}]},
                "properties": properties(catalogue_version=self.catalogue.version, kind="ai-bom"),
            },
            "components": sorted(components, key=lambda c: c["bom-ref"]),
            "services": sorted(services, key=lambda s: s["bom-ref"]),
            "dependencies": [{"ref": ref, "dependsOn": sorted(targets)}
                             for ref, targets in sorted(self.depends.items())]
                            + [{"ref": s["bom-ref"]} for s in sorted(services, key=lambda s: s["bom-ref"])],
        }


def cyclonedx_bom(rows: Iterable[dict[str, Any]], catalogue: Catalogue) -> dict[str, Any]:
    """The AI-BOM of every repository finding in ``rows`` (finding_rows)."""
    bom = AiBom(catalogue)
    for row in rows:
        if row.get("source") == SOURCE:
            bom.add(row)
    return bom.document()

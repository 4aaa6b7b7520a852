"""SARIF 2.1.0 for code scanning (GitHub and other SARIF consumers): the repository findings of the inventory.

One run per repository, each with the rules its results use: one rule per kind of evidence and AI service
(``package/openai-api``, ``secret/anthropic-api``…), so that an alert keeps its rule from one scan to the next.
A result points at the file relative to the repository root (``%SRCROOT%``) and the line the evidence was
found on; its level follows the detector's confidence (high: error, medium: warning, low: note); an API key
is always an error with a security severity, so that code scanning lists it with security alerts. The
partial fingerprint is the inventory's stable finding id, so that re-uploads update alerts instead of
duplicating them. Evidence is the inventory's: a key is only ever its fingerprint.

GitHub's SARIF support: docs.github.com/code-security/reference/code-scanning/sarif-files/sarif-support
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

from scanner import __version__
from scanner.catalogue.loader import Catalogue

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SOURCE = "repo"
LEVELS = {"high": "error", "medium": "warning", "low": "note"}
SECRET_SEVERITY = "8.0"  # GitHub: 7.0-8.9 is "high"
KIND_TEXT = {
    "package": "dependency on an SDK", "import": "import of an SDK", "endpoint": "API endpoint",
    "env-var": "API environment variable", "secret": "API key", "model-file": "model file",
    "container": "inference container image", "iac": "infrastructure-as-code resource",
    "agent-config": "AI coding-assistant configuration", "code": "reference",
}


def evidence_of(row: dict[str, Any]) -> dict[str, Any]:
    value = row.get("evidence")
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(value or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def rule_name(rule_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", rule_id) if part)


def artifact_uri(location: str) -> str:
    return quote(location.replace("\\", "/").lstrip("/"), safe="/")


def describe_result(row: dict[str, Any], evidence: dict[str, Any]) -> str:
    kind = evidence.get("kind", "code")
    what = KIND_TEXT.get(kind, kind)
    service = row.get("service_name") or row["service_id"]
    vendor = f" ({row['vendor']})" if row.get("vendor") else ""
    detail = ""
    if kind == "package":
        detail = f": {evidence.get('package', '')}" + (f" {evidence['version']}" if evidence.get("version") else "")
    elif kind == "secret":
        detail = f" (fingerprint {evidence.get('fingerprint', '?')}): rotate it and keep keys out of the code"
    elif kind == "model-file":
        detail = f" ({evidence.get('format', '?')}, {evidence.get('size', '?')} bytes)"
    elif evidence.get("value"):
        detail = f": {evidence['value']}"
    sanction = row.get("sanction_status") or "unsanctioned"
    return f"{service}{vendor} {what}{detail}. Sanction status: {sanction}."


def rule_for(rule_id: str, row: dict[str, Any], kind: str, catalogue: Catalogue) -> dict[str, Any]:
    service = catalogue.service(row["service_id"])
    name = row.get("service_name") or row["service_id"]
    what = KIND_TEXT.get(kind, kind)
    full = f"{name}" + (f" by {row['vendor']}" if row.get("vendor") else "") + \
        (f", {row['category']}" if row.get("category") else "") + \
        f": AI in use, found as {'an' if what[0] in 'aeiou' else 'a'} {what}."
    if service is not None and service.description:
        full += f" {service.description}"
    rule: dict[str, Any] = {
        "id": rule_id, "name": rule_name(rule_id),
        "shortDescription": {"text": f"{name}: {what}"},
        "fullDescription": {"text": full},
        "help": {"text": "Check that this AI service is sanctioned for this use (shadowai inventory), and record "
                         "it in the AI inventory and risk register." + (" Rotate the key: it is in the code."
                                                                         if kind == "secret" else "")},
        "defaultConfiguration": {"level": "error" if kind == "secret" else "warning"},
        "properties": {"tags": sorted({"ai", "shadow-ai", kind, *([row["category"]] if row.get("category") else [])}),
                       "precision": "high" if kind in ("package", "import", "secret", "model-file") else "medium"},
    }
    if service is not None and service.website:
        rule["helpUri"] = service.website
    if kind == "secret":
        rule["properties"]["security-severity"] = SECRET_SEVERITY
    return rule


def repository_run(subject: str, rows: list[dict[str, Any]], catalogue: Catalogue, category: str) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    index: dict[str, int] = {}
    results = []
    for row in rows:
        evidence = evidence_of(row)
        kind = str(evidence.get("kind") or "code")
        rule_id = f"{kind}/{row['service_id']}"
        if rule_id not in rules:
            index[rule_id] = len(rules)
            rules[rule_id] = rule_for(rule_id, row, kind, catalogue)
        line = evidence.get("line")
        region = {"startLine": line if isinstance(line, int) and line > 0 else 1}
        level = "error" if kind == "secret" else LEVELS.get(str(evidence.get("confidence")), "warning")
        results.append({
            "ruleId": rule_id, "ruleIndex": index[rule_id], "level": level,
            "message": {"text": describe_result(row, evidence)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(row["location"]), "uriBaseId": "%SRCROOT%"},
                "region": region}}],
            "partialFingerprints": {"shadowaiFindingId/v1": row["finding_id"]},
            "properties": {"service": row["service_id"], "sanction": row.get("sanction_status"),
                           "confidence": evidence.get("confidence"), "hits": row.get("hits"),
                           "firstSeen": row.get("first_seen"), "lastSeen": row.get("last_seen"),
                           **({"tags": evidence["tags"].split(",")} if evidence.get("tags") else {})},
        })
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "shadowai", "semanticVersion": __version__,
                            "rules": list(rules.values())}},
        "automationDetails": {"id": category},
        "columnKind": "utf16CodeUnits",
        "results": results,
        "properties": {"repository": subject, "catalogueVersion": catalogue.version},
    }
    if urlsplit(subject).scheme in ("https", "http", "ssh", "git", "file") and "://" in subject:
        run["versionControlProvenance"] = [{"repositoryUri": subject}]
    elif subject.startswith("/"):
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": "file://" + quote(subject.rstrip("/") + "/")}}
    return run


def sarif_log(rows: Iterable[dict[str, Any]], catalogue: Catalogue) -> dict[str, Any]:
    """The SARIF log of every repository finding in ``rows`` (finding_rows), one run per repository."""
    by_repository: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get("source") == SOURCE:
            by_repository.setdefault(row["subject"], []).append(row)
    single = len(by_repository) <= 1
    runs = [repository_run(subject, found, catalogue,
                           "shadowai/" if single else f"shadowai/{re.sub(r'[^A-Za-z0-9._-]+', '-', subject)}/")
            for subject, found in sorted(by_repository.items())]
    if not runs:  # no finding: still one run, so that an upload closes the alerts of earlier ones
        runs = [repository_run("", [], catalogue, "shadowai/")]
        del runs[0]["properties"]["repository"]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": runs}

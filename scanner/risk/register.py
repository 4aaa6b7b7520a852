"""Build the risk register from the inventory: one row per AI service in use, one per unknown AI finding.

Stable ids: ``AIR-<service id>`` for a service; ``AIR-<service id>-<8 hex>`` for an unknown finding, the hex
from its finding key. The same service keeps its id in every export, so a register merges instead of
being overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.inventory.oauth_grants import GrantFigures, figures, grant_rows
from scanner.inventory.oauth_grants import lookup as grant_lookup
from scanner.inventory.service_evidence import evidence_of, fold
from scanner.oauth.unknown_apps import BROAD_DATA_SCOPES
from scanner.risk.scoring import line_grants, score
from scanner.risk.templates import RiskTemplate, TemplateError, applicable, fill, load_templates
from scanner.scope.draft import ServiceDescriber, ServiceLine

REGISTER_COLUMNS = [
    "risk_id", "service_id", "service_name", "vendor", "category", "sanction_status",
    "risk_statement", "risk_templates", "likelihood", "impact", "inherent_score", "rating", "scoring",
    "suggested_treatment", "annex_a",
    "owner", "treatment", "status", "residual_score", "notes",
    "users", "devices", "accounts", "repos", "sources", "first_seen", "last_seen", "hits",
    "consenting_users", "admin_consent", "scope_risk", "risky_scopes",
    "evidence_findings", "evidence_runs", "generated_at", "no_longer_seen",
]
# Columns a person edits: a merge keeps their values (a non-empty cell is never replaced).
HUMAN_COLUMNS = ("owner", "treatment", "status", "residual_score", "notes")
INITIAL_STATUS = "new"
STATUSES = ("new", "open", "accepted", "treating", "treated", "closed")
MAX_EVIDENCE_IDS = 50
MAX_SCOPES = 10  # riskiest scopes shown in the risky_scopes column, high first
MAX_STATED_SCOPES = 5  # and in the risk statement


def risk_id(line: ServiceLine) -> str:
    if not line.unknown:
        return f"AIR-{line.service_id}"
    row = line.rows[0]
    key = "\x1f".join((row["service_id"], row["source"], row["subject"], row["location"]))
    return f"AIR-{line.service_id}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"


def annex_key(reference: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", reference))


def listed(values, limit: int = MAX_EVIDENCE_IDS) -> str:
    values = list(values)
    text = ", ".join(str(v) for v in values[:limit])
    return text + (f" … (+{len(values) - limit} more)" if len(values) > limit else "")


def grant_columns(grants: GrantFigures | None) -> dict[str, Any]:
    """Consenting users, admin consent and the riskiest scopes of an OAuth app; empty for a service without."""
    if grants is None:
        return {"consenting_users": "", "admin_consent": "", "scope_risk": "", "risky_scopes": ""}
    return {**grants.columns(), "scope_risk": grants.scope_risk or "",
            "risky_scopes": listed(grants.risky_scopes, MAX_SCOPES)}


def scope_statement(line: ServiceLine, grants: GrantFigures | None) -> str:
    """A sentence naming the riskiest scopes of the line's OAuth app, and why an unknown app is in the register
    when it is for its scopes alone; empty without medium- or high-risk scopes."""
    if grants is None or grants.scope_risk is None:
        return ""
    text = (f"Its OAuth app holds {grants.scope_risk}-risk scopes: "
            f"{listed(grants.risky_scopes, MAX_STATED_SCOPES)}.")
    if line.unknown and line.rows and evidence_of(line.rows[0]).get("reason") == BROAD_DATA_SCOPES:
        text = ("It is listed for review for the broad data access it holds, not for a name that says AI "
                "(low confidence). " + text)
    return text


def register_row(line: ServiceLine, templates: dict[str, RiskTemplate], today: dt.date, generated_at: str,
                 grants: GrantFigures | None = None) -> dict[str, Any]:
    """One risk; ``grants``: the OAuth figures of its service or unknown app (from the line's own rows when not
    given)."""
    grants = grants or line_grants(line)
    used = [templates[template_id] for template_id in applicable(line)]
    try:
        statement = "\n".join([*(fill(t.statement, line) for t in used), scope_statement(line, grants)]).strip()
        treatment = " ".join(dict.fromkeys(fill(t.treatment, line) for t in used))
    except (ValueError, IndexError) as exc:
        raise TemplateError(f"risk templates: a placeholder cannot be filled: {exc}") from None
    result = score(line, today, grants)
    evidence_ids = sorted(set(fold(line.rows)[line.service_id].findings)) if line.rows else []
    runs = sorted({run for row in line.rows for run in (row.get("first_run"), row.get("last_run")) if run})
    return {
        "risk_id": risk_id(line), "service_id": line.service_id, "service_name": line.name, "vendor": line.vendor,
        "category": line.category, "sanction_status": line.status,
        "risk_statement": statement, "risk_templates": ", ".join(t.id for t in used),
        "likelihood": result.likelihood, "impact": result.impact, "inherent_score": result.inherent,
        "rating": result.rating, "scoring": result.explanation(), "suggested_treatment": treatment,
        "annex_a": ", ".join(sorted({ref for t in used for ref in t.annex_a}, key=annex_key)),
        "owner": line.owner, "treatment": "", "status": INITIAL_STATUS, "residual_score": "", "notes": "",
        "users": line.count("users"), "devices": line.count("devices"), "accounts": line.count("accounts"),
        "repos": line.count("repos"), "sources": ", ".join(line.sources), "first_seen": line.first_seen or "",
        "last_seen": line.last_seen or "", "hits": line.hits, **grant_columns(grants),
        "evidence_findings": listed(evidence_ids), "evidence_runs": listed(runs),
        "generated_at": generated_at, "no_longer_seen": "",
    }


def service_lines(db: sqlite_utils.Database, catalogue: Catalogue) -> list[ServiceLine]:
    """Known services folded over all their findings; each unknown finding on its own."""
    describer = ServiceDescriber(db, catalogue)
    rows = list(db.query("select * from findings order by service_id, source, subject, location"))
    known = fold(row for row in rows if not row["service_id"].startswith("unknown-"))
    lines = [describer.line(evidence) for evidence in known.values()]
    for row in rows:
        if row["service_id"].startswith("unknown-"):
            lines.append(describer.line(fold([row])[row["service_id"]]))
    return lines


def build_register(db: sqlite_utils.Database, catalogue: Catalogue, *, templates_dir: Path | None = None,
                   today: dt.date | None = None) -> list[dict[str, Any]]:
    today = today or dt.date.today()
    templates = load_templates(templates_dir)
    generated_at = today.isoformat()
    grants = figures(grant_rows(db))  # an unknown app's figures span all its findings, not only the line's
    rows = [register_row(line, templates, today, generated_at,
                         grant_lookup(grants, line.rows[0]) if line.rows else None)
            for line in service_lines(db, catalogue)]
    return sorted(rows, key=lambda r: (-r["inherent_score"], r["risk_id"]))

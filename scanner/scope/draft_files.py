"""Write a scope draft as Markdown and HTML (from templates) and CSV (fixed columns, formula-safe)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from scanner.catalogue.model import RISK_FACTS
from scanner.exports.spreadsheet_safe import neutralise
from scanner.reports.templates import render
from scanner.scope.draft import ScopeDraft, ServiceLine

DRAFT_COLUMNS = [
    "scope", "in_scope", "service_id", "service_name", "vendor", "category", "sanction_status", "owner",
    "approved_use", "review_date", "users", "devices", "accounts", "repos", "sources", "first_seen", "last_seen",
    "hits", "findings", *RISK_FACTS, "subjects",
]
FACT_LABELS = {
    "trains_on_customer_data": "Trains on inputs", "retention": "Retention", "enterprise_tier": "Enterprise tier",
    "hosting_country": "Hosting", "certifications": "Certifications",
}
MAX_CSV_SUBJECTS = 500


def subjects_cell(line: ServiceLine) -> str:
    kinds = ("users", "devices", "accounts", "repos", "other")
    names = [name for kind in kinds for name in line.subjects.get(kind, [])]
    text = "; ".join(names[:MAX_CSV_SUBJECTS])
    return text + (f"; … (+{len(names) - MAX_CSV_SUBJECTS} more)" if len(names) > MAX_CSV_SUBJECTS else "")


def csv_text(draft: ScopeDraft) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DRAFT_COLUMNS)
    for in_scope, lines in (("yes", draft.services), ("no", draft.outside)):
        for line in lines:
            row = {
                "scope": draft.scope.name, "in_scope": in_scope, "service_id": line.service_id,
                "service_name": line.name, "vendor": line.vendor, "category": line.category,
                "sanction_status": line.status, "owner": line.owner, "approved_use": line.approved_use,
                "review_date": line.review_date, "sources": ", ".join(line.sources), "first_seen": line.first_seen,
                "last_seen": line.last_seen, "hits": line.hits, "findings": line.findings,
                **{kind: line.count(kind) for kind in ("users", "devices", "accounts", "repos")},
                **line.risk, "subjects": subjects_cell(line),
            }
            writer.writerow([neutralise(row.get(column)) for column in DRAFT_COLUMNS])
    return out.getvalue()


BOUNDARY_LABELS = {
    "networks": "networks", "users": "users", "departments": "departments", "aws_accounts": "AWS accounts",
    "azure_subscriptions": "Azure subscriptions", "gcp_projects": "Google Cloud projects", "tenants": "tenants",
    "repos": "repositories",
}


def boundaries(draft: ScopeDraft) -> list[tuple[str, list[str]]]:
    return [(label, [str(v) for v in getattr(draft.scope, name)]) for name, label in BOUNDARY_LABELS.items()
            if getattr(draft.scope, name)]


def context(draft: ScopeDraft) -> dict:
    return {"draft": draft, "h": draft.headline, "facts": FACT_LABELS, "boundaries": boundaries(draft),
            "kinds": ("users", "devices", "accounts", "repos"), "tool_version": draft.tool_version}


def draft_texts(draft: ScopeDraft, templates_dir: Path | None = None) -> dict[str, str]:
    """file suffix -> content."""
    return {
        "md": render("scope-draft.md.j2", templates_dir, **context(draft)),
        "html": render("scope-draft.html.j2", templates_dir, **context(draft)),
        "csv": csv_text(draft),
    }


def write_draft(draft: ScopeDraft, out_dir: Path, templates_dir: Path | None = None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in draft_texts(draft, templates_dir).items():
        path = out_dir / f"{draft.scope.name}-scope-draft.{suffix}"
        temporary = path.with_name(f".{path.name}.tmp")
        # BOM on the CSV so that spreadsheet programs read it as UTF-8.
        temporary.write_text(text, encoding="utf-8-sig" if suffix == "csv" else "utf-8", newline="")
        os.replace(temporary, path)
        written.append(path)
    return written

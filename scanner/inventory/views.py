"""Read-only views of the inventory: one row per AI service, and one row per finding for exports; both with the
consenting-user figures of OAuth grants."""

from __future__ import annotations

from typing import Any, Iterator

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.inventory import oauth_grants
from scanner.inventory.service_evidence import finding_id

UNSANCTIONED = "unsanctioned"

# consenting_users, admin_consent: from the service's OAuth grants (scanner/inventory/oauth_grants.py); empty
# for a service seen in no grant.
SERVICE_COLUMNS = ["service", "vendor", "category", "sanction", "subjects", "sources", "hits", "first_seen",
                   "last_seen", "consenting_users", "admin_consent"]

# The CSV/JSON export columns. Stable: new columns are only ever appended. Documented in the README.
EXPORT_COLUMNS = [
    "service_id", "service_name", "vendor", "category", "sanction_status", "source", "subject", "location",
    "first_seen", "last_seen", "hits", "first_run", "last_run", "matched_by", "evidence", "finding_id",
    "consenting_users", "admin_consent",
]
NO_GRANTS = {"consenting_users": None, "admin_consent": None}


def sanction_lookup(db: sqlite_utils.Database) -> dict[str, str]:
    return {row["target"]: row["status"] for row in db.query("select target, status from sanctions")}


def sanction_status(sanctions: dict[str, str], service_id: str, category: str | None) -> str:
    return sanctions.get(service_id) or (sanctions.get(f"category:{category}") if category else None) or UNSANCTIONED


def describe(catalogue: Catalogue, service_id: str) -> dict[str, str]:
    service = catalogue.service(service_id)
    if service is None:  # unknown-* findings, or a service removed from the catalogue since it was seen
        return {"service_name": service_id, "vendor": "", "category": "unknown" if service_id.startswith("unknown-") else ""}
    return {"service_name": service.name, "vendor": catalogue.vendor_name(service.vendor),
            "category": service.category}


def service_rows(db: sqlite_utils.Database, catalogue: Catalogue, *, unsanctioned_only: bool = False
                 ) -> list[dict[str, Any]]:
    sanctions = sanction_lookup(db)
    grants = oauth_grants.figures(oauth_grants.grant_rows(db), per_app=False)
    rows = []
    for row in db.query(
        """select service_id, count(distinct subject) as subjects, group_concat(distinct source) as sources,
                  sum(hits) as hits, min(first_seen) as first_seen, max(last_seen) as last_seen
           from findings group by service_id order by sum(hits) desc, service_id"""
    ):
        info = describe(catalogue, row["service_id"])
        status = sanction_status(sanctions, row["service_id"], info["category"])
        if unsanctioned_only and status not in (UNSANCTIONED, "blocked"):
            continue
        rows.append({
            "service_id": row["service_id"], "service": info["service_name"], "vendor": info["vendor"],
            "category": info["category"], "sanction": status, "subjects": row["subjects"],
            "sources": ",".join(sorted(set((row["sources"] or "").split(",")))), "hits": row["hits"],
            "first_seen": row["first_seen"], "last_seen": row["last_seen"],
            **(grants[row["service_id"]].columns() if row["service_id"] in grants else NO_GRANTS),
        })
    return rows


def finding_rows(db: sqlite_utils.Database, catalogue: Catalogue) -> Iterator[dict[str, Any]]:
    """Every finding, with its service's consenting users and admin consent (an unknown app's own)."""
    sanctions = sanction_lookup(db)
    grants = oauth_grants.figures(oauth_grants.grant_rows(db))
    described: dict[str, dict[str, str]] = {}
    for row in db.query("select * from findings order by service_id, source, subject, location"):
        info = described.setdefault(row["service_id"], describe(catalogue, row["service_id"]))
        figures = oauth_grants.lookup(grants, row)
        yield {
            **row, **info,
            "sanction_status": sanction_status(sanctions, row["service_id"], info["category"]),
            "finding_id": finding_id(row["service_id"], row["source"], row["subject"], row["location"]),
            **(figures.columns() if figures else NO_GRANTS),
        }

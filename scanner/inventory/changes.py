"""What a run changed: AI services that were not in the inventory before it and are not sanctioned."""

from __future__ import annotations

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.inventory.service_evidence import MODEL_EVIDENCE
from scanner.inventory.views import UNSANCTIONED, describe, sanction_lookup, sanction_status


def known_services(db: sqlite_utils.Database) -> set[str]:
    """Services seen in use directly. A model vendor seen only through a cloud platform (a Bedrock or Azure
    deployment of its model) is not: the platform's own finding is what a new use of it raises."""
    return {row[0] for row in db.execute("select distinct service_id from findings where matched_by not like ?",
                                         [MODEL_EVIDENCE + "%"])}


def new_unsanctioned(db: sqlite_utils.Database, catalogue: Catalogue, before: set[str]) -> list[str]:
    sanctions = sanction_lookup(db)
    new = sorted(known_services(db) - before)
    return [s for s in new
            if sanction_status(sanctions, s, describe(catalogue, s)["category"]) in (UNSANCTIONED, "blocked")]

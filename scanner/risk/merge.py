"""Merge a fresh register into the one the risk owner keeps.

- Rows are matched on ``risk_id``; the existing order is kept and new risks are appended.
- The columns a person edits (owner, treatment, status, residual_score, notes) keep the existing value when it
  is not empty; the generated columns (statement, scores, evidence, dates) are refreshed.
- A risk no longer in the inventory is kept, with ``no_longer_seen`` set to the date it was first missed; if it
  is seen again the mark is cleared.
- Columns the owner added stay, after the register's own; rows without a risk id (risks a person added by
  hand) are kept as they are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scanner.risk.register import HUMAN_COLUMNS, REGISTER_COLUMNS


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def merge(existing: list[dict[str, Any]], existing_columns: list[str], fresh: list[dict[str, Any]],
          today: dt.date) -> tuple[list[dict[str, Any]], list[str]]:
    columns = REGISTER_COLUMNS + [c for c in existing_columns if c and c not in REGISTER_COLUMNS]
    extra = [c for c in columns if c not in REGISTER_COLUMNS]
    fresh_by_id = {row["risk_id"]: row for row in fresh}
    merged: list[dict[str, Any]] = []
    seen_ids = set()
    for old in existing:
        rid = old.get("risk_id")
        if blank(rid):
            merged.append(dict(old))
            continue
        rid = str(rid).strip()
        if rid in seen_ids:
            continue  # a duplicated row in the owner's file: the first one wins
        seen_ids.add(rid)
        new = fresh_by_id.get(rid)
        if new is None:
            kept = dict(old)
            if blank(kept.get("no_longer_seen")):
                kept["no_longer_seen"] = today.isoformat()
            merged.append(kept)
            continue
        row = dict(new)
        for column in HUMAN_COLUMNS:
            if not blank(old.get(column)):
                row[column] = old[column]
        for column in extra:
            row[column] = old.get(column)
        row["no_longer_seen"] = ""
        merged.append(row)
    merged += [row for rid, row in fresh_by_id.items() if rid not in seen_ids]
    return merged, columns

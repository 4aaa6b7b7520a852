"""Schema migration 2: unknown OAuth apps' findings move to their per-app location.

A finding of an OAuth app outside the catalogue (``unknown-oauth-ai-app``) was once kept at its grant list's
location alone (``t/oauth2PermissionGrants``), so that every unknown app of one tenant and subject folded into
one finding; it is now kept per app, at ``<location>#<app id>`` (``#<app name>`` for a grant without an id). An
inventory written before would show both rows for one app. This migration moves each old row to the new
location, taken from its own evidence (``app_id``, else ``app_name``; a row written for a grant without an id,
at ``<location>#``, gets the name appended). When a row already holds that key, the two become one: hits add
up, first_seen and first_run take the earliest, last_seen and last_run the latest, and the evidence and
``matched_by`` are the newer row's (by last run, then last sighting), or the other's when the newer one's
evidence was pruned.

Left alone: a row whose evidence was removed by ``shadowai prune`` or is unreadable (nothing says which app it
was). The run history is untouched: a run's ``row_hash`` covers the runs row only, never the findings, so
``shadowai runs --verify`` still passes. Frozen in time on purpose: it repeats the location rule rather than
importing it, so that a later change of the rule cannot change what this migration did.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

SERVICE = "unknown-oauth-ai-app"
COLUMNS = ("service_id", "source", "subject", "location", "first_seen", "last_seen", "hits", "matched_by",
           "evidence", "first_run", "last_run")
KEY = "service_id = ? and source = ? and subject = ? and location = ?"


def app_of(evidence: str | None) -> tuple[str, bool] | None:
    """The app's id (True) or, without one, its name (False), from a row's evidence; None when unknown."""
    try:
        parsed = json.loads(evidence) if evidence else None
    except ValueError:
        return None
    if not isinstance(parsed, dict):
        return None
    if parsed.get("app_id"):
        return str(parsed["app_id"]), True
    if parsed.get("app_name"):
        return str(parsed["app_name"]), False
    return None


def new_location(location: str, evidence: str | None) -> str | None:
    """The per-app location of an old-style row, or None when the row is already per app or names no app."""
    app = app_of(evidence)
    if app is None:
        return None
    ident, is_id = app
    if "#" not in location:
        return f"{location}#{ident}"
    if location.endswith("#") and not is_id:
        return location + ident
    return None


def earliest(a: Any, b: Any) -> Any:
    return min((value for value in (a, b) if value is not None), default=None)


def latest(a: Any, b: Any) -> Any:
    return max((value for value in (a, b) if value is not None), default=None)


def merged(old: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The columns of one row made of two findings of the same key."""
    newer, older = sorted((old, current), key=lambda row: (row["last_run"] or 0, row["last_seen"] or ""),
                          reverse=True)
    return {
        "hits": (old["hits"] or 0) + (current["hits"] or 0),
        "first_seen": earliest(old["first_seen"], current["first_seen"]),
        "last_seen": latest(old["last_seen"], current["last_seen"]),
        "first_run": earliest(old["first_run"], current["first_run"]),
        "last_run": latest(old["last_run"], current["last_run"]),
        "evidence": newer["evidence"] if newer["evidence"] is not None else older["evidence"],
        "matched_by": newer["matched_by"],
    }


def migrate(db: sqlite_utils.Database) -> None:
    """Move old-style unknown-app findings to their per-app location (called inside the migration transaction)."""
    names = ", ".join(COLUMNS)
    rows = [dict(zip(COLUMNS, row)) for row in db.execute(
        f"select {names} from findings where service_id = ? order by rowid", [SERVICE]).fetchall()]
    for row in rows:
        location = new_location(row["location"], row["evidence"])
        if location is None:
            continue
        old_key = [row["service_id"], row["source"], row["subject"], row["location"]]
        new_key = [row["service_id"], row["source"], row["subject"], location]
        found = db.execute(f"select {names} from findings where {KEY}", new_key).fetchone()
        if found is None:
            db.execute(f"update findings set location = ? where {KEY}", [location, *old_key])
            continue
        columns = merged(row, dict(zip(COLUMNS, found)))
        assignments = ", ".join(f"{column} = ?" for column in columns)
        db.execute(f"update findings set {assignments} where {KEY}", [*columns.values(), *new_key])
        db.execute(f"delete from findings where {KEY}", old_key)

"""Which OAuth apps outside the catalogue become ``unknown-oauth-ai-app`` findings, why, and how sure that is.

Two reasons, in this order:
- ``ai-like-name``: the app's name, publisher domain or a reply-URL host says AI (``scanner.matching.ai_names``);
  medium confidence.
- ``broad-data-scopes``: it does not look like AI, but it holds high-tier data scopes (mail, files, messages,
  code; ``scanner.oauth.scopes``) — the kind of access an AI assistant asks for, worth a reviewer's look; low
  confidence. First-party apps of the platform itself (Microsoft's own service principals, Google's own apps,
  GitHub's and Slack's built-ins) never count: the module marks them ``first_party`` in the grant's details.
  A grant that is not an app's (a person's access token, an install request not granted) sets
  ``broad_scope_review`` to ``no``.

Each finding of an app outside the catalogue is kept per app (its location ends with ``#<app id>``, or
``#<app name>`` for a grant without an id), so that two apps of one tenant never fold into one finding. A scan can leave broad-scope apps out (``--no-broad-scope-apps``):
``wanted`` says whether a finding passes that switch.
"""

from __future__ import annotations

from typing import Any

from scanner.oauth.scopes import TABLES
from scanner.oauth.tiers import HIGH

AI_LIKE_NAME = "ai-like-name"
BROAD_DATA_SCOPES = "broad-data-scopes"
CONFIDENCE = {AI_LIKE_NAME: "medium", BROAD_DATA_SCOPES: "low"}
MATCHED_BY = {AI_LIKE_NAME: "oauth-ai-like", BROAD_DATA_SCOPES: "oauth-broad-scopes"}


def broad_data_scopes(platform: str, scopes: tuple[str, ...], details: dict[str, str]) -> tuple[str, ...]:
    """The high-tier scopes of a grant that makes its app worth review; empty for a first-party app, a grant
    marked not reviewable, or a platform without a tier table."""
    table = TABLES.get(platform)
    if table is None or details.get("first_party") or details.get("broad_scope_review") == "no":
        return ()
    return tuple(scope for scope in scopes if table.tier(scope) == HIGH)


def app_location(location: str, app_id: str, app_name: str) -> str:
    """The location of an unknown app's finding: the grant list's, then the app (by name when it has no id)."""
    return f"{location}#{app_id or app_name}"


def review_evidence(reason: str) -> dict[str, Any]:
    return {"reason": reason, "confidence": CONFIDENCE[reason]}


def wanted(matched_by: str, broad_scope_apps: bool) -> bool:
    """False for a broad-scope finding when the scan was told to leave them out."""
    return broad_scope_apps or not matched_by.startswith(MATCHED_BY[BROAD_DATA_SCOPES] + ":")

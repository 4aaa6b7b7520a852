"""What the OAuth grant findings of a service say in figures: how many distinct users consented to it or are
assigned to it, whether an admin consented for the whole tenant or organisation, and its riskiest scopes.

A grant finding is one the matcher made from an ``OAuthGrant`` (``matched_by`` starts with ``oauth``: catalogue
apps, AI-like and broad-scope unknown apps), from Entra ID, Google Workspace, GitHub or Slack. Its subject is a
user (counted once per service, case-insensitively), a group (not a user: not counted), or the tenant
(``tenant:<idp>``: an admin's consent or approval for everyone, an app installed on the whole organisation).
An Entra consent event given for all users is an admin consent too, and its admin is not counted as a
consenting user. Sign-ins and pending install requests are use and demand, not consent, and a Slack log entry of
an app removed or disabled names who withdrew it: none of these counts, as a user or as an admin consent. Nor
does a finding whose evidence ``shadowai prune`` removed, since its kind of grant is no longer known.

Known services are counted over all their findings; an unknown app (``unknown-oauth-ai-app``) per app, by its
``app_id``, since the unknown service gathers unrelated apps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import sqlite_utils

from scanner.findings import UNKNOWN_SUBJECT
from scanner.inventory.service_evidence import evidence_of
from scanner.oauth.scopes import scope_tier
from scanner.oauth.tiers import LOW, ranked

OAUTH_MATCH = "oauth"  # the prefix of every matched_by the OAuthGrant matcher writes
NOT_CONSENT = frozenset({"sign-in", "app-request"})  # a grant's `grant` or `kind` that is use or demand only
# A Slack integration-log entry's change_type that names who removed or disabled the app, not who consented.
WITHDRAWN = frozenset({"removed", "disabled"})
TENANT = "tenant:"
GROUP = "group:"


def is_grant(row: dict[str, Any]) -> bool:
    return (row.get("matched_by") or "").startswith(OAUTH_MATCH)


def consent(evidence: dict[str, Any]) -> bool:
    """Whether a grant finding is a consent, an approval or an assignment (not a sign-in, an install request, or
    an app removed or disabled)."""
    return not (evidence.get("grant") in NOT_CONSENT or evidence.get("kind") in NOT_CONSENT
                or evidence.get("change_type") in WITHDRAWN)


@dataclass
class GrantFigures:
    users: set[str] = field(default_factory=set)
    admin_consent: bool = False
    tiers: dict[str, str] = field(default_factory=dict)  # scope -> tier, over every grant

    def add(self, row: dict[str, Any], evidence: dict[str, Any]) -> None:
        """Count one grant finding (``evidence``: its parsed evidence). A row whose evidence is null (removed by
        ``shadowai prune``) counts neither as a consenting user nor as an admin consent: nothing says any more
        whether it was a consent, a sign-in or an install request."""
        for scope in str(evidence.get("scopes") or "").split():
            self.tiers.setdefault(scope, scope_tier(row["source"], scope))
        subject = row["subject"] or ""
        if row.get("evidence") is None or not consent(evidence):
            return
        if subject.startswith(TENANT) or evidence.get("for_all_users") == "yes":
            self.admin_consent = True
        elif not (subject.startswith(GROUP) or subject in ("", UNKNOWN_SUBJECT)):
            self.users.add(subject.lower())

    @property
    def consenting_users(self) -> int:
        return len(self.users)

    @property
    def risky_scopes(self) -> tuple[str, ...]:
        return ranked(self.tiers)[0]

    @property
    def scope_risk(self) -> str | None:
        """The highest tier of the scopes held, when one is medium or high."""
        top = ranked(self.tiers)[1]
        return None if top == LOW else top

    def columns(self) -> dict[str, Any]:
        """The figures as the inventory and its exports show them."""
        return {"consenting_users": self.consenting_users, "admin_consent": "yes" if self.admin_consent else "no"}


def app_key(row: dict[str, Any], evidence: dict[str, Any]) -> str:
    """Known services by id; an unknown app by service id and app id."""
    service_id = row["service_id"]
    if service_id.startswith("unknown-"):
        return f"{service_id}#{evidence.get('app_id') or row['location']}"
    return service_id


def figures(rows: Iterable[dict[str, Any]], *, per_app: bool = True) -> dict[str, GrantFigures]:
    """Grant figures by ``app_key`` (or by service id alone with ``per_app=False``), from any finding rows (the
    ones that are no grants are passed over)."""
    found: dict[str, GrantFigures] = {}
    for row in rows:
        if not is_grant(row):
            continue
        evidence = evidence_of(row)
        key = app_key(row, evidence) if per_app else row["service_id"]
        found.setdefault(key, GrantFigures()).add(row, evidence)
    return found


def grant_rows(db: sqlite_utils.Database) -> Iterable[dict[str, Any]]:
    return db.query(f"select service_id, source, subject, location, matched_by, evidence from findings "
                    f"where matched_by like '{OAUTH_MATCH}%'")


def lookup(found: dict[str, GrantFigures], row: dict[str, Any]) -> GrantFigures | None:
    """The figures that go with one finding row: its app's for an unknown app, else its service's."""
    if row["service_id"].startswith("unknown-"):
        return found.get(app_key(row, evidence_of(row))) if is_grant(row) else None
    return found.get(row["service_id"])

"""What a GitHub organisation says about AI apps, read through the REST API as OAuth grants.

- App installations (``GET /orgs/{org}/installations``): one org-wide grant per installed GitHub App, named by
  its slug (``coderabbitai``, ``devin-ai-integration``), with its permissions as scopes (``contents:write``) and
  its repository selection (``all`` or ``selected``).
- Copilot seats (``GET /orgs/{org}/copilot/billing/seats``): one grant of GitHub Copilot per seat holder, seen at
  the seat's last activity, with the plan and the editor last used.
- SAML credential authorisations (``GET /orgs/{org}/credential-authorizations``): the note of each token a
  member authorised for single sign-on (an OAuth app's or a person's label: ``cursor-agent``), per member.
  SSH keys carry no app and are only counted; the token's last eight characters and fingerprints are never read.

Each grant records its permissions' risk tier (``risky_scopes``, ``scope_risk``: ``scanner.oauth.github``);
GitHub's own apps are marked ``first_party`` and a person's access token is never an app to review for its
scopes alone. Each endpoint the token may not use (Copilot billing needs ``manage_billing:copilot``; credential
authorisations exist only for SAML orgs on Enterprise Cloud) becomes a coverage gap of the run.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.clients.github import GitHubClient
from scanner.interruption import StopFlag
from scanner.modules.api_scan import ApiScan, ApiScanResult, api_time, details
from scanner.oauth import unknown_apps
from scanner.oauth.scopes import scope_details
from scanner.observations import OAuthGrant

SOURCE = "github"
# GitHub Apps that GitHub itself builds (github.com/apps/<slug>, owned by GitHub or its "integrations" account):
# never an app to review for its permissions alone.
GITHUB_APPS = frozenset({"dependabot", "github-actions", "github-advanced-security", "github-classroom",
                         "github-learning-lab", "github-pages", "slack", "microsoft-teams-for-github"})
PERSONAL_TOKEN = "personal access token"  # a person's own token, not an app: its scopes are no app's to review
# A note is free text: a word that could be a pasted token (long, letters and digits) is never kept.
TOKEN_LIKE = re.compile(r"\S*(?=\S*\d)(?=\S*[A-Za-z])\S{16,}")


def installation_grant(item: dict, location: str) -> Iterator[OAuthGrant]:
    permissions = item.get("permissions") or {}
    scopes = tuple(f"{name}:{level}" for name, level in sorted(permissions.items()))
    yield OAuthGrant(
        idp=SOURCE, app_id=str(item["app_id"]), app_name=item["app_slug"], source=SOURCE, location=location,
        scopes=scopes,
        timestamp=None,  # installed now; the installation date goes with the evidence
        details=details(kind="app-installation", installation_id=item.get("id"),
                        repository_selection=item.get("repository_selection"),
                        installed_at=api_time(item.get("created_at")), suspended_at=api_time(item.get("suspended_at")),
                        **scope_details(SOURCE, scopes),
                        first_party="github" if item["app_slug"] in GITHUB_APPS else None),
    )


def seat_grant(item: dict, location: str) -> Iterator[OAuthGrant]:
    assignee = item["assignee"]
    holder = assignee.get("login") or assignee["slug"]  # a user, or a team on older enterprise plans
    team = item.get("assigning_team") or {}
    yield OAuthGrant(
        idp=SOURCE, app_id="copilot", app_name="GitHub Copilot", source=SOURCE, location=location, user=holder,
        timestamp=api_time(item.get("last_activity_at")),
        details=details(kind="copilot-seat", plan_type=item.get("plan_type"),
                        last_activity_at=api_time(item.get("last_activity_at")),
                        last_activity_editor=item.get("last_activity_editor"), assigning_team=team.get("slug"),
                        seat_created_at=api_time(item.get("created_at")),
                        pending_cancellation_date=item.get("pending_cancellation_date")),
    )


def credential_label(note: str | None) -> str:
    if not note:
        return ""
    return " ".join(TOKEN_LIKE.sub("[redacted]", note).split())[:100]


def credential_grant(item: dict, location: str) -> Iterator[OAuthGrant]:
    credential_type = item.get("credential_type") or ""
    label = credential_label(item.get("authorized_credential_note"))
    if "ssh" in credential_type.lower() or not label:
        return
    scopes = tuple(item.get("scopes") or ())
    yield OAuthGrant(
        idp=SOURCE, app_id=f"credential:{item['credential_id']}", app_name=label, source=SOURCE, location=location,
        user=item["login"], scopes=scopes,
        timestamp=api_time(item.get("credential_accessed_at") or item.get("credential_authorized_at")),
        details=details(kind="credential-authorization", credential_type=credential_type,
                        authorized_at=api_time(item.get("credential_authorized_at")),
                        expires_at=api_time(item.get("authorized_credential_expires_at")),
                        **scope_details(SOURCE, scopes),
                        broad_scope_review="no" if credential_type.lower() == PERSONAL_TOKEN else None),
    )


def scan_github(db: sqlite_utils.Database, catalogue: Catalogue, client: GitHubClient, orgs: list[str], *,
                stop: StopFlag | None = None, on_error: Callable[[str, str], None] | None = None,
                broad_scope_apps: bool = True) -> ApiScanResult:
    scan = ApiScan(db, catalogue, SOURCE, parameters={"orgs": orgs, "api_url": client.api_url,
                                                      "broad_scope_apps": broad_scope_apps},
                   stop=stop, on_error=on_error,
                   keep=lambda finding: unknown_apps.wanted(finding.matched_by, broad_scope_apps))
    for org in orgs:
        location = f"{client.host}/{org}"
        scan.run.add_input(api=client.api_url, org=org)
        scan.read(f"{location}: app installations", lambda: client.installations(org),
                  lambda item: installation_grant(item, location), count_as="app_installations",
                  denied_hint="needs an organisation owner's token: read:org, or Administration: read")
        scan.read(f"{location}: Copilot seats", lambda: client.copilot_seats(org),
                  lambda item: seat_grant(item, location), count_as="copilot_seats",
                  denied_hint="needs an organisation owner's token with manage_billing:copilot or read:org, "
                              "and a Copilot Business or Enterprise subscription")
        scan.read(f"{location}: SAML credential authorizations", lambda: client.credential_authorizations(org),
                  lambda item: credential_grant(item, location), count_as="credential_authorizations",
                  denied_hint="needs an organisation owner's token with read:org, and SAML single sign-on "
                              "(GitHub Enterprise Cloud)")
    return scan.finish()

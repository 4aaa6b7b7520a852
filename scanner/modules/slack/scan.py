"""What a Slack workspace or Enterprise Grid org says about AI apps, read through the Web API as OAuth grants.

- Approved apps (``admin.apps.approved.list``, Enterprise Grid): one org-wide grant per app an admin approved,
  with its scopes; the homepage host stands for the publisher when Slack's App Directory reviewed the listing.
- App requests (``admin.apps.requests.list``, Enterprise Grid): pending install requests, one per requesting
  user — demand for an app that nobody has approved yet.
- The integration log (``team.integrationLogs``, paid plans): each app or service added, removed, enabled or
  disabled, by which user, with which scopes. Read in full on every scan, so the findings stay a snapshot.

Each grant records its scopes' risk tier (``risky_scopes``, ``scope_risk``: ``scanner.oauth.slack``); Slack's own
apps and classic integrations are marked ``first_party``. A removal's reason is kept as ``change_reason``.

``auth.test`` names the workspace (its URL host is the findings' location) and whether it belongs to an
Enterprise Grid org. User ids become emails through ``users.info`` — asked only for users whose entries matched
an AI app; without ``users:read.email`` the Slack user name is kept and the gap recorded once.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator
from urllib.parse import urlsplit

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.clients.http import ApiDenied, ApiError
from scanner.clients.slack import SlackClient
from scanner.interruption import StopFlag
from scanner.modules.api_scan import ApiScan, ApiScanResult, api_time, details
from scanner.oauth import unknown_apps
from scanner.oauth.scopes import scope_details
from scanner.observations import OAuthGrant

SOURCE = "slack"
USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
ADMIN_APPS_HINT = "needs admin.apps:read, granted by an Enterprise Grid org owner or admin on the whole org"


def url_host(url: str | None) -> str | None:
    return (urlsplit(url).hostname or None) if url and "://" in url else None


def app_grant(app: dict, location: str, *, scopes: list[dict], user: str | None, timestamp: str | None,
              facts: tuple[tuple[str, str], ...]) -> OAuthGrant:
    # Help and privacy pages are often hosted by third parties (a help-desk SaaS), so only the homepage counts.
    homepage = url_host(app.get("app_homepage_url"))
    reviewed = bool(app.get("is_app_directory_approved"))
    names = tuple(scope["name"] for scope in scopes)
    return OAuthGrant(
        idp=SOURCE, app_id=app["id"], app_name=app.get("name") or app["id"], source=SOURCE, location=location,
        publisher_domain=homepage if reviewed else None,
        redirect_hosts=(homepage,) if homepage and not reviewed else (),
        scopes=names, user=user, timestamp=timestamp,
        details=facts + details(sensitive_scopes=" ".join(s["name"] for s in scopes if s.get("is_sensitive")),
                                internal="yes" if app.get("is_internal") else None, **scope_details(SOURCE, names),
                                first_party="slack" if reviewed and slack_host(homepage) else None),
    )


def slack_host(host: str | None) -> bool:
    """An app whose reviewed homepage is on slack.com is one of Slack's own (Workflow Builder, Google Drive)."""
    return bool(host) and (host == "slack.com" or host.endswith(".slack.com"))


def approved_app_grant(item: dict, location: str) -> Iterator[OAuthGrant]:
    resolver = item.get("last_resolved_by") or {}
    yield app_grant(item["app"], location, scopes=item.get("scopes") or [], user=None, timestamp=None,
                    facts=details(kind="approved-app", approved_at=api_time(item.get("date_updated")),
                                  approved_by=resolver.get("actor_id")))


def app_request_grant(item: dict, location: str) -> Iterator[OAuthGrant]:
    requester = item.get("user") or {}
    team = item.get("team") or {}
    yield app_grant(item["app"], location, scopes=item.get("scopes") or [],
                    user=requester.get("email") or requester.get("id"), timestamp=api_time(item.get("date_created")),
                    facts=details(kind="app-request", requested_by=requester.get("name"), team=team.get("domain")))


class SlackUsers:
    """User ids to the emails the inventory keeps, looked up once per user and only when asked."""

    def __init__(self, client: SlackClient, scan: ApiScan) -> None:
        self.client = client
        self.scan = scan
        self.names: dict[str, str] = {}
        self.subjects: dict[str, str] = {}
        self.lookups = True

    def remember(self, user_id: str | None, name: str | None) -> str | None:
        if user_id and name:
            self.names[user_id] = name
        return user_id or name

    def subject(self, value: str) -> str:
        if not USER_ID.fullmatch(value):
            return value  # already an email or a name, or the tenant
        if value not in self.subjects:
            self.subjects[value] = self.lookup(value) or self.names.get(value, value)
        return self.subjects[value]

    def lookup(self, user_id: str) -> str | None:
        if not self.lookups:
            return None
        try:
            return self.client.user_email(user_id)
        except ApiDenied as exc:
            self.lookups = False
            self.scan.gap("user emails (users.info)", f"{exc}; subjects are Slack user names "
                                                      "(grant users:read and users:read.email for emails)")
        except ApiError as exc:
            self.scan.error(f"users.info {user_id}", str(exc))
        return None


def log_grant(item: dict, location: str, users: SlackUsers) -> Iterator[OAuthGrant]:
    if item.get("app_id"):
        app_id, name = str(item["app_id"]), item.get("app_type")
    elif item.get("service_id"):  # one of Slack's own classic integrations (incoming webhooks, RSS…)
        app_id, name = f"service:{item['service_id']}", item.get("service_type")
    else:
        raise ValueError("a log entry names neither an app_id nor a service_id")
    scopes = tuple(scope for scope in (item.get("scope") or "").split(",") if scope)
    yield OAuthGrant(
        idp=SOURCE, app_id=app_id, app_name=name or app_id, source=SOURCE, location=location,
        user=users.remember(item.get("user_id"), item.get("user_name")), scopes=scopes,
        timestamp=api_time(item.get("date")),
        details=details(kind="integration-log", change_type=item.get("change_type"), user_name=item.get("user_name"),
                        change_reason=item.get("reason"), channel=item.get("channel"),
                        **scope_details(SOURCE, scopes),
                        first_party="slack" if app_id.startswith("service:") else None),
    )


def scan_slack(db: sqlite_utils.Database, catalogue: Catalogue, client: SlackClient, *, teams: list[str],
               stop: StopFlag | None = None, on_error: Callable[[str, str], None] | None = None,
               broad_scope_apps: bool = True) -> ApiScanResult:
    scan = ApiScan(db, catalogue, SOURCE, parameters={"api_url": client.api_url, "teams": teams,
                                                      "broad_scope_apps": broad_scope_apps},
                   stop=stop, on_error=on_error,
                   keep=lambda finding: unknown_apps.wanted(finding.matched_by, broad_scope_apps))
    identity = scan.call("Slack token (auth.test)", client.identity)
    if identity is None:
        return scan.finish(failed=True)
    host = url_host(identity.get("url")) or identity.get("team_id") or "slack"
    enterprise_id = identity.get("enterprise_id") or None
    scan.run.add_input(api=client.api_url, workspace=host, enterprise_id=enterprise_id)
    users = SlackUsers(client, scan)
    for team_id in teams or [None]:
        location = f"{host}/{team_id}" if team_id else host
        if enterprise_id or team_id:
            scan.read(f"{location}: approved apps",
                      lambda: client.approved_apps(team_id=team_id, enterprise_id=enterprise_id),
                      lambda item: approved_app_grant(item, location), count_as="approved_apps",
                      denied_hint=ADMIN_APPS_HINT)
            scan.read(f"{location}: app requests",
                      lambda: client.app_requests(team_id=team_id, enterprise_id=enterprise_id),
                      lambda item: app_request_grant(item, location), count_as="app_requests",
                      denied_hint=ADMIN_APPS_HINT)
        else:
            scan.gap(f"{location}: approved apps and app requests",
                     "not an Enterprise Grid workspace: Slack's admin.apps API exists only on Enterprise Grid")
        scan.read(f"{location}: integration log", lambda: client.integration_logs(team_id=team_id),
                  lambda item: log_grant(item, location, users), count_as="integration_log_entries",
                  denied_hint="needs the admin scope (a workspace admin's user token) and a paid plan",
                  subject=users.subject)
    return scan.finish()

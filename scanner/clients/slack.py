"""Slack Web API client: bearer token, form POSTs, ``ok: false`` error bodies, cursor and page paging.

Every method is called as ``POST https://slack.com/api/METHOD`` with form-encoded arguments (every method
accepts them; some admin methods accept nothing else) and the token in ``Authorization: Bearer``; the caller
reads it from SLACK_TOKEN and it is never logged, stored or put in a message. Slack answers HTTP 200 with
``{"ok": false, "error": CODE}`` for most failures: codes that mean "these credentials may not do this"
(``not_allowed_token_type``, ``missing_scope`` with the ``needed`` scope, ``paid_only``, ``not_an_admin``…)
become ApiDenied — a coverage gap for the caller — and the rest ApiUnavailable. Rate limits arrive as HTTP 429
with ``Retry-After`` (and, defensively, as ``ratelimited`` in a 200) and are retried after that many seconds.
Lists page with ``response_metadata.next_cursor`` (admin.*) or ``paging.page``/``pages`` (team.integrationLogs).
"""

from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import urlsplit

import requests

from scanner import __version__
from scanner.clients.http import ApiDenied, ApiUnavailable, HttpClient, RetryPolicy

DEFAULT_API_URL = "https://slack.com/api"
MAX_PAGES = 10_000  # a guard against a server that never stops handing out cursors

# What each refusal means for whoever runs the scan.
DENIALS = {
    "not_allowed_token_type": "this method needs a user token (xoxp-) of an org owner or admin",
    "missing_scope": "the token lacks a scope",
    "paid_only": "only available on paid Slack plans",
    "not_an_admin": "only org owners and admins may call this method",
    "not_allowed": "the user is not allowed to call this method",
    "no_permission": "the token's user has no permission for this",
    "access_denied": "access denied",
    "feature_not_enabled": "the Admin API is not enabled (Enterprise Grid only)",
    "not_an_enterprise": "the workspace is not part of an Enterprise Grid org",
    "team_access_not_granted": "the token was not granted access to this workspace",
    "restricted_action": "the action is restricted for this workspace",
    "app_management_app_not_installed_on_org": "app management requires the admin app to be installed on the org",
    "enterprise_is_restricted": "the org restricts this method",
    "ekm_access_denied": "administrators suspended access (Enterprise Key Management)",
    "accesslimited": "access to this method is limited on the current network",
    "invalid_auth": "SLACK_TOKEN is not valid",
    "not_authed": "no token was accepted",
    "account_inactive": "the token belongs to a deactivated user or workspace",
    "token_revoked": "the token was revoked",
    "token_expired": "the token expired",
    "org_login_required": "the workspace is being migrated to an org",
    "two_factor_setup_required": "the token's user must set up two-factor authentication",
}


class SlackDenied(ApiDenied):
    def __init__(self, message: str, *, error: str, needed: str | None = None, url: str = "") -> None:
        super().__init__(message, status=200, url=url)
        self.error = error
        self.needed = needed


def rate_limited_body(response: requests.Response) -> bool:
    """An HTTP 200 whose body is ``{"ok": false, "error": "ratelimited"}``."""
    if b"ratelimited" not in response.content:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("ok") is False and body.get("error") == "ratelimited"


class SlackHttp(HttpClient):
    def throttled(self, response: requests.Response) -> bool:
        return super().throttled(response) or (response.status_code == 200 and rate_limited_body(response))


class SlackClient:
    def __init__(self, token: str, *, api_url: str = DEFAULT_API_URL, verify: bool | str = True,
                 retry: RetryPolicy | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        parts = urlsplit(self.api_url)
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError(f"the Slack API URL must be https://HOST/api, not {api_url!r}")
        self.http = SlackHttp(verify=verify, retry=retry, user_agent=f"shadowai/{__version__}")
        self.http.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, **arguments: Any) -> dict:
        """One Web API method; the body when ``ok``, else SlackDenied or ApiUnavailable."""
        form = {name: value for name, value in arguments.items() if value is not None}
        response = self.http.post(f"{self.api_url}/{method}", data=form)
        try:
            body = response.json()
        except ValueError as exc:
            raise ApiUnavailable(f"{method}: the answer is not JSON (HTTP {response.status_code})", url=method) from exc
        if not isinstance(body, dict):
            raise ApiUnavailable(f"{method}: the answer is not a JSON object", url=method)
        if body.get("ok") is True:
            return body
        error = str(body.get("error") or "unknown_error")
        if error in DENIALS:
            needed = body.get("needed") if isinstance(body.get("needed"), str) else None
            meaning = DENIALS[error] + (f" ({needed})" if needed else "")
            raise SlackDenied(f"{method}: {error}: {meaning}", error=error, needed=needed, url=method)
        if error == "ratelimited":
            raise ApiUnavailable(f"{method}: still rate limited after every retry", url=method)
        raise ApiUnavailable(f"{method}: {error}", url=method)

    def cursor_pages(self, method: str, items_key: str, **arguments: Any) -> Iterator[dict]:
        """Every item of a cursor-paged list: ``cursor`` ← ``response_metadata.next_cursor`` until it is empty."""
        cursor = None
        for _ in range(MAX_PAGES):
            body = self.call(method, **arguments, cursor=cursor)
            yield from items_of(body, method, items_key)
            cursor = (body.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return
        raise ApiUnavailable(f"{method}: more than {MAX_PAGES} pages; stopped", url=method)

    def numbered_pages(self, method: str, items_key: str, **arguments: Any) -> Iterator[dict]:
        """Every item of a page-numbered list: ``page`` = 1, 2… up to ``paging.pages``."""
        for page in range(1, MAX_PAGES + 1):
            body = self.call(method, **arguments, page=page)
            yield from items_of(body, method, items_key)
            pages = (body.get("paging") or {}).get("pages")
            if not isinstance(pages, int) or page >= pages:
                return
        raise ApiUnavailable(f"{method}: more than {MAX_PAGES} pages; stopped", url=method)

    # --- methods ------------------------------------------------------------------------------------------
    def identity(self) -> dict:
        """auth.test: the workspace URL, team and (on Enterprise Grid) enterprise of the token."""
        return self.call("auth.test")

    def approved_apps(self, *, team_id: str | None = None, enterprise_id: str | None = None) -> Iterator[dict]:
        return self.cursor_pages("admin.apps.approved.list", "approved_apps", limit=1000,
                                 team_id=team_id, enterprise_id=None if team_id else enterprise_id)

    def app_requests(self, *, team_id: str | None = None, enterprise_id: str | None = None) -> Iterator[dict]:
        return self.cursor_pages("admin.apps.requests.list", "app_requests", limit=1000,
                                 team_id=team_id, enterprise_id=None if team_id else enterprise_id)

    def integration_logs(self, *, team_id: str | None = None) -> Iterator[dict]:
        return self.numbered_pages("team.integrationLogs", "logs", count=100, team_id=team_id)

    def user_email(self, user_id: str) -> str | None:
        """users.info: the user's email (needs users:read.email), None when the profile has none."""
        user = self.call("users.info", user=user_id).get("user") or {}
        return (user.get("profile") or {}).get("email") or None


def items_of(body: dict, method: str, items_key: str) -> list[dict]:
    items = body.get(items_key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise ApiUnavailable(f"{method}: '{items_key}' is not a list", url=method)
    return items

"""Google Workspace OAuth grants, read through the Admin SDK with domain-wide delegation.

- Reports API ``activity/users/all/applications/token?eventName=authorize``: every consent in the domain
  (up to 180 days back): ``actor.email``, ``id.time`` and the event's parameters ``app_name``, ``client_id``,
  ``client_type`` and ``scope`` (a multiValue). Scope https://www.googleapis.com/auth/admin.reports.audit.readonly.
- Directory API ``users`` then ``users/{userKey}/tokens`` per user: the grants that exist now (``clientId``,
  ``displayText``, ``scopes``, ``nativeApp``). Scopes admin.directory.user.readonly and
  admin.directory.user.security.

Both become ``OAuthGrant`` observations (idp ``google``, subject the user's address) with their scopes' risk tier
(``risky_scopes``, ``scope_risk``) and Google's own apps marked ``first_party``; the matcher decides which are AI
apps (catalogue first, then AI-like names or broad data scopes as ``unknown-oauth-ai-app``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

from scanner import observations as obs
from scanner.clients.google import GoogleAuthError, GoogleClient, api_error_reason
from scanner.clients.http import ApiError
from scanner.modules.api_scan import api_time, details
from scanner.modules.google_workspace.first_party import google_app
from scanner.oauth.scopes import scope_details

SOURCE = "google"
IDP = "google"
REPORTS_LOCATION = "reports:token"
TOKENS_LOCATION = "directory:tokens"
MAX_DAYS = 180  # the Reports API keeps token activity for 180 days
USERS_PER_ROUND = 64


def grant_facts(client_id: str, scopes: tuple[str, ...]) -> dict[str, Any]:
    """The scope tiers every OAuth grant records, and whether the app is one of Google's own."""
    return {**scope_details(IDP, scopes), "first_party": "google" if google_app(client_id, scopes) else None}


def authorize_activities(client: GoogleClient, *, days: int, customer: str | None,
                         now: datetime | None = None) -> Iterator[dict[str, Any]]:
    now = now or datetime.now(timezone.utc)
    params = {"eventName": "authorize", "maxResults": 1000,
              "startTime": (now - timedelta(days=min(days, MAX_DAYS))).strftime("%Y-%m-%dT%H:%M:%S.000Z")}
    if customer and customer != "my_customer":
        params["customerId"] = customer
    yield from client.items("admin", "admin/reports/v1/activity/users/all/applications/token", "items", params)


def parameter_values(event: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for parameter in event.get("parameters") or []:
        name = parameter.get("name")
        if not name:
            continue
        if "multiValue" in parameter:
            values[name] = tuple(str(v) for v in parameter["multiValue"] or ())
        elif "value" in parameter:
            values[name] = parameter["value"]
        elif "intValue" in parameter:
            values[name] = parameter["intValue"]
        elif "boolValue" in parameter:
            values[name] = parameter["boolValue"]
    return values


def grants_from_activity(activity: dict[str, Any]) -> Iterator[obs.OAuthGrant]:
    user = (activity.get("actor") or {}).get("email")
    when = api_time((activity.get("id") or {}).get("time"))
    for event in activity.get("events") or []:
        if event.get("name") != "authorize":
            continue
        values = parameter_values(event)
        client_id = str(values.get("client_id") or "")
        if not client_id and not values.get("app_name"):
            raise ValueError("authorize event without client_id or app_name")
        scopes = values.get("scope") or ()
        scopes = scopes if isinstance(scopes, tuple) else (str(scopes),)
        name = str(values.get("app_name") or client_id)
        yield obs.OAuthGrant(idp=IDP, app_id=client_id, app_name=name, source=SOURCE, location=REPORTS_LOCATION,
                             scopes=scopes, user=user, timestamp=when,
                             details=details(client_type=values.get("client_type"), event="authorize",
                                             **grant_facts(client_id, scopes)))


def user_tokens(client: GoogleClient, *, customer: str, workers: int,
                on_user_error: Callable[[str, str], None]) -> Iterator[dict[str, Any]]:
    """Every current token of every user (each token dict gains ``user``), users read in parallel rounds."""
    users = client.items("admin", "admin/directory/v1/users",
                         "users", {"customer": customer or "my_customer", "maxResults": 500, "projection": "basic"})

    def tokens_of(email: str) -> list[dict[str, Any]]:
        try:
            body = client.get("admin", f"admin/directory/v1/users/{email}/tokens")
        except GoogleAuthError:
            raise
        except ApiError as exc:
            on_user_error(f"tokens of {email}", api_error_reason(exc))
            return []
        return [dict(token, user=email) for token in body.get("items") or [] if isinstance(token, dict)]

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        round_: list[str] = []
        for user in users:
            email = user.get("primaryEmail")
            if email and not user.get("suspended"):
                round_.append(email)
            if len(round_) >= USERS_PER_ROUND:
                for tokens in pool.map(tokens_of, round_):
                    yield from tokens
                round_ = []
        for tokens in pool.map(tokens_of, round_):
            yield from tokens


def grants_from_token(token: dict[str, Any]) -> Iterator[obs.OAuthGrant]:
    client_id = token["clientId"]
    name, scopes = token.get("displayText") or client_id, tuple(token.get("scopes") or ())
    yield obs.OAuthGrant(idp=IDP, app_id=client_id, app_name=name, source=SOURCE, location=TOKENS_LOCATION,
                         scopes=scopes, user=token["user"],
                         details=details(native_app=token.get("nativeApp"), anonymous=token.get("anonymous"),
                                         **grant_facts(client_id, scopes)))

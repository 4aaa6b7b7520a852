"""Who consented to which app and who signs in to it, from the Entra ID audit logs in Microsoft Graph.

- Consent events: ``GET /v1.0/auditLogs/directoryAudits`` filtered on ``activityDisplayName eq 'Consent to
  application'`` over the window: ``initiatedBy.user.userPrincipalName`` consented at ``activityDateTime`` to the
  service principal in ``targetResources[0]``; its ``modifiedProperties`` say whether it was an admin consent
  (``ConsentContext.IsAdminConsent``, ``ConsentContext.OnBehalfOfAll``) and which scopes
  (``ConsentAction.Permissions``: ``… ConsentType: Principal, Scope: Mail.Read offline_access, …``). Needs
  AuditLog.Read.All; Entra keeps audit logs 7 days (free) or 30 days (P1/P2).
- Sign-ins: ``GET /v1.0/auditLogs/signIns`` over the window for the non-Microsoft apps (``appId eq …`` in
  groups): each successful sign-in (``status.errorCode`` 0) of ``userPrincipalName`` at ``createdDateTime``.
  Reading sign-ins needs an Entra ID P1 or P2 licence: without one Graph answers 403
  ``Authentication_RequestFromNonPremiumTenantOrB2CTenant``, a coverage gap.

Both are event logs read as a window ending now: each event is one hit, and a re-scan replaces the counts (the
window is read again whole), while first and last seen keep the events' own times.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from scanner import observations as obs
from scanner.modules.api_scan import api_time, details
from scanner.modules.entra.directory import App, Directory
from scanner.modules.entra.grants import IDP, SOURCE
from scanner.oauth.scopes import scope_details

CONSENT = "Consent to application"
APPS_PER_QUERY = 15  # appId filters per sign-in query, to keep the URL short
_SCOPE = re.compile(r"Scope:\s*([^,\]]*)")
_CONSENT_TYPE = re.compile(r"ConsentType:\s*([A-Za-z]+)")


def since(days: int, now: datetime | None = None) -> str:
    moment = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def modified(target: dict[str, Any]) -> dict[str, str]:
    """modifiedProperties as name -> new value, the JSON string quotes around values removed."""
    values = {}
    for prop in target.get("modifiedProperties") or []:
        if isinstance(prop, dict) and prop.get("displayName"):
            values[str(prop["displayName"])] = str(prop.get("newValue") or "").strip().strip('"')
    return values


def consent_events(directory: Directory, tenant: str, days: int) -> Iterator[tuple[str, Any]]:
    """('grant', OAuthGrant) or ('bad', reason) per successful consent event."""
    location = f"{tenant}/auditLogs/directoryAudits"
    params = {"$filter": f"activityDisplayName eq '{CONSENT}' and activityDateTime ge {since(days)}"}
    for event in directory.client.graph_pages("/v1.0/auditLogs/directoryAudits", params, stop=directory.stop):
        if event.get("result") not in (None, "success"):
            continue
        targets = [t for t in event.get("targetResources") or [] if isinstance(t, dict)]
        target = next((t for t in targets if t.get("type") == "ServicePrincipal"), targets[0] if targets else None)
        if target is None:
            yield "bad", f"audit {event.get('id')}: consent without a target"
            continue
        values = modified(target)
        app_id = values.get("TargetId.ServicePrincipalNames", "").split(";")[0].strip()
        app = directory.app(str(target.get("id") or "")) if target.get("id") else None
        if app is None and app_id:
            app = directory.by_app_id(app_id)
        app = app or App(object_id=str(target.get("id") or ""), app_id=app_id or str(target.get("id") or ""),
                         name=str(target.get("displayName") or app_id or "unknown app"))
        permissions = values.get("ConsentAction.Permissions", "")
        granted = permissions.split("=>", 1)[-1]
        scopes = tuple(dict.fromkeys(scope for found in _SCOPE.findall(granted) for scope in found.split()))
        consent_type = next(iter(_CONSENT_TYPE.findall(granted)), None)
        admin = values.get("ConsentContext.IsAdminConsent", "").lower() == "true"
        for_all = values.get("ConsentContext.OnBehalfOfAll", "").lower() == "true" or consent_type == "AllPrincipals"
        who = ((event.get("initiatedBy") or {}).get("user") or {}) if isinstance(event.get("initiatedBy"), dict) else {}
        user = (who.get("userPrincipalName") or "").lower() or None
        yield "grant", obs.OAuthGrant(
            idp=IDP, app_id=app.app_id, app_name=app.name, source=SOURCE, location=location,
            redirect_hosts=app.redirect_hosts, scopes=scopes, user=user, timestamp=api_time(event.get("activityDateTime")),
            details=details(grant="consent-event", admin_consent="yes" if admin else "no",
                            for_all_users="yes" if for_all else "no", **scope_details(IDP, scopes),
                            publisher=app.publisher,
                            verified_publisher=app.verified_publisher,
                            first_party="microsoft" if app.first_party else None))


def app_filters(apps: list[App]) -> Iterator[str]:
    ids = sorted({app.app_id for app in apps})
    for start in range(0, len(ids), APPS_PER_QUERY):
        yield " or ".join(f"appId eq '{ident}'" for ident in ids[start:start + APPS_PER_QUERY])


def sign_ins(directory: Directory, tenant: str, days: int, apps: list[App]) -> Iterator[tuple[str, Any]]:
    """('grant', OAuthGrant) per successful sign-in to one of ``apps``."""
    location = f"{tenant}/auditLogs/signIns"
    start = since(days)
    for apps_filter in app_filters(apps):
        params = {"$filter": f"createdDateTime ge {start} and ({apps_filter})"}
        for item in directory.client.graph_pages("/v1.0/auditLogs/signIns", params, stop=directory.stop):
            status = item.get("status") if isinstance(item.get("status"), dict) else {}
            if status.get("errorCode") not in (0, None):
                continue
            app = directory.by_app_id(str(item.get("appId") or ""))
            if app is None:
                yield "bad", f"sign-in {item.get('id')}: app {item.get('appId')} is not one of the tenant's apps"
                continue
            user = (item.get("userPrincipalName") or "").lower() or None
            yield "grant", obs.OAuthGrant(
                idp=IDP, app_id=app.app_id, app_name=app.name, source=SOURCE, location=location,
                redirect_hosts=app.redirect_hosts, user=user, timestamp=api_time(item.get("createdDateTime")),
                details=details(grant="sign-in", client_app=item.get("clientAppUsed"),
                                resource=item.get("resourceDisplayName"), publisher=app.publisher,
                                verified_publisher=app.verified_publisher))

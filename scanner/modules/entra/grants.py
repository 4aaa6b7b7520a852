"""OAuth grants in an Entra ID tenant, from Microsoft Graph, as ``OAuthGrant`` observations (idp ``entra``).

- Delegated permissions: ``GET /v1.0/oauth2PermissionGrants``. ``consentType`` ``AllPrincipals`` is an admin's
  consent for every user (subject: the tenant), ``Principal`` one user's own consent (subject: that user);
  ``scope`` is the space-separated list of delegated permissions on the resource ``resourceId``.
- Application permissions: ``GET /v1.0/servicePrincipals/{id}/appRoleAssignments``: app roles of other APIs
  granted to the app itself (``Mail.Read`` on Microsoft Graph, for every mailbox); subject: the tenant.
- Assigned users and groups: ``GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo``: who may sign in to the app.

Users arrive as object ids (``user-id:…`` until the scan names them). Each grant's evidence says which kind
of grant it is, the resource, the publisher, and its medium- and high-risk scopes (``scanner.oauth``). These
describe what exists now: they carry no time of their own (the scan's time is their last sighting); when a
grant was made is in the evidence, and the consent events of ``activity`` date it.
"""

from __future__ import annotations

from typing import Any, Iterator

from scanner import observations as obs
from scanner.modules.api_scan import api_time, details
from scanner.modules.entra.directory import App, Directory
from scanner.oauth.scopes import scope_details

SOURCE = "entra"
IDP = "entra"
USER_ID = "user-id:"  # a subject still to be named: 'user-id:<object id>'


def grant(app: App, location: str, *, scopes: tuple[str, ...] = (), user: str | None = None, kind: str,
          timestamp: str | None = None, **extra: Any) -> obs.OAuthGrant:
    return obs.OAuthGrant(
        idp=IDP, app_id=app.app_id, app_name=app.name, source=SOURCE, location=location,
        redirect_hosts=app.redirect_hosts, scopes=scopes, user=user, timestamp=timestamp,
        details=details(grant=kind, **extra, **scope_details(IDP, scopes), publisher=app.publisher,
                        verified_publisher=app.verified_publisher,
                        first_party="microsoft" if app.first_party else None))


def resource_name(directory: Directory, resource_id: Any) -> str | None:
    resource = directory.app(str(resource_id)) if resource_id else None
    return resource.name if resource else None


def delegated_grants(directory: Directory, tenant: str) -> Iterator[tuple[str, Any]]:
    """('grant', OAuthGrant) or ('bad', reason) per oauth2PermissionGrant."""
    location = f"{tenant}/oauth2PermissionGrants"
    for item in directory.client.graph_pages("/v1.0/oauth2PermissionGrants", stop=directory.stop):
        app = directory.app(str(item.get("clientId") or ""))
        if app is None:
            yield "bad", f"grant {item.get('id')}: client {item.get('clientId')} is no service principal"
            continue
        consent = item.get("consentType")
        scopes = tuple(str(item.get("scope") or "").split())
        if consent == "AllPrincipals":
            user, kind = None, "delegated-admin-consent"
        elif consent == "Principal" and item.get("principalId"):
            user, kind = USER_ID + str(item["principalId"]), "delegated-user-consent"
        else:
            yield "bad", f"grant {item.get('id')}: consentType {consent!r} without a principal"
            continue
        yield "grant", grant(app, location, scopes=scopes, user=user, kind=kind,
                             resource=resource_name(directory, item.get("resourceId")))


def application_permissions(directory: Directory, app: App, tenant: str) -> Iterator[obs.OAuthGrant]:
    """The app roles granted to one app, one observation per resource (scopes: the role values)."""
    by_resource: dict[str, list[str]] = {}
    latest: dict[str, str | None] = {}
    for item in directory.client.graph_pages(f"/v1.0/servicePrincipals/{app.object_id}/appRoleAssignments",
                                             stop=directory.stop):
        resource = str(item.get("resourceId") or "")
        role = directory.role_name(resource, str(item.get("appRoleId") or ""))
        by_resource.setdefault(resource, [])
        if role and role not in by_resource[resource]:
            by_resource[resource].append(role)
        when = api_time(item.get("createdDateTime"))
        if when and (latest.get(resource) is None or when > (latest[resource] or "")):
            latest[resource] = when
    for resource, roles in by_resource.items():
        yield grant(app, f"{tenant}/appRoleAssignments", scopes=tuple(roles), kind="application-permission",
                    resource=resource_name(directory, resource), granted=latest.get(resource))


def assignments(directory: Directory, app: App, tenant: str) -> Iterator[obs.OAuthGrant]:
    """The users and groups assigned to one app."""
    location = f"{tenant}/appRoleAssignedTo"
    for item in directory.client.graph_pages(f"/v1.0/servicePrincipals/{app.object_id}/appRoleAssignedTo",
                                             stop=directory.stop):
        kind = item.get("principalType")
        if kind == "User" and item.get("principalId"):
            user = USER_ID + str(item["principalId"])
        elif kind == "Group":
            user = f"group:{item.get('principalDisplayName') or item.get('principalId')}"
        else:
            continue  # a service principal holding a role: an application permission, read from the other side
        yield grant(app, location, user=user, kind="assignment", assigned=api_time(item.get("createdDateTime")),
                    role=directory.role_name(app.object_id, str(item.get("appRoleId") or "")))

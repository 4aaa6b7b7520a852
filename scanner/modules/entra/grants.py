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

An app holds one grant per resource (Microsoft Graph, Exchange Online, SharePoint…), but its findings are keyed
by app, subject and grant list, not by resource: the grants of one app, consent type and principal (application
permissions: of one app) are merged into one observation first, with the scopes of every resource (in order,
each once) and the resources' names (``resource``, comma-separated), so that the risky scopes and the scope
risk reflect all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

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


@dataclass
class Merged:
    """The grants of one app to one subject, over every resource: scopes and resource names, each once."""

    app: App
    scopes: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    granted: str | None = None  # the latest creation time, when the grants have one

    def add(self, scopes: Iterable[str], resource: str | None, granted: str | None = None) -> None:
        self.scopes.extend(scope for scope in scopes if scope and scope not in self.scopes)
        if resource and resource not in self.resources:
            self.resources.append(resource)
        if granted and (self.granted is None or granted > self.granted):
            self.granted = granted

    @property
    def resource(self) -> str | None:
        return ", ".join(self.resources) or None


def delegated_grants(directory: Directory, tenant: str) -> Iterator[tuple[str, Any]]:
    """('bad', reason) per malformed oauth2PermissionGrant as it is read, then ('grant', OAuthGrant) per app,
    consent type and principal, over all their resources."""
    location = f"{tenant}/oauth2PermissionGrants"
    merged: dict[tuple[str, str, str | None], Merged] = {}
    for item in directory.client.graph_pages("/v1.0/oauth2PermissionGrants", stop=directory.stop):
        app = directory.app(str(item.get("clientId") or ""))
        if app is None:
            yield "bad", f"grant {item.get('id')}: client {item.get('clientId')} is no service principal"
            continue
        consent = item.get("consentType")
        if consent == "AllPrincipals":
            user, kind = None, "delegated-admin-consent"
        elif consent == "Principal" and item.get("principalId"):
            user, kind = USER_ID + str(item["principalId"]), "delegated-user-consent"
        else:
            yield "bad", f"grant {item.get('id')}: consentType {consent!r} without a principal"
            continue
        merged.setdefault((app.object_id, kind, user), Merged(app)).add(
            str(item.get("scope") or "").split(), resource_name(directory, item.get("resourceId")))
    for (_, kind, user), held in merged.items():
        yield "grant", grant(held.app, location, scopes=tuple(held.scopes), user=user, kind=kind,
                             resource=held.resource)


def application_permissions(directory: Directory, app: App, tenant: str) -> Iterator[obs.OAuthGrant]:
    """The app roles granted to one app, over every resource, as one observation (scopes: the role values;
    ``granted``: the latest assignment's time)."""
    held, read = Merged(app), 0
    for item in directory.client.graph_pages(f"/v1.0/servicePrincipals/{app.object_id}/appRoleAssignments",
                                             stop=directory.stop):
        resource = str(item.get("resourceId") or "")
        role = directory.role_name(resource, str(item.get("appRoleId") or ""))
        held.add([role] if role else [], resource_name(directory, resource), api_time(item.get("createdDateTime")))
        read += 1
    if read:
        yield grant(app, f"{tenant}/appRoleAssignments", scopes=tuple(held.scopes), kind="application-permission",
                    resource=held.resource, granted=held.granted)


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

"""The tenant's apps and users as the grant readers need them, read once from Microsoft Graph.

- ``GET /v1.0/servicePrincipals`` (``$select`` of id, appId, names, publisher, owner tenant, reply URLs): every
  enterprise app. An app registered in one of Microsoft's own tenants is first-party (Teams, Office, Graph
  Explorer); the others are third-party or the organisation's own.
- ``GET /v1.0/servicePrincipals/{id}?$select=id,appRoles``: a resource's app roles, to name the application
  permissions (``Mail.Read``) that ``appRoleAssignments`` give only as ids; asked once per resource.
- ``POST /v1.0/directoryObjects/getByIds`` (``types: ["user"]``): user principal names for user object ids, up
  to 1000 per call, and only for the users of grants that matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from scanner.clients.http import ApiError, ApiNotFound
from scanner.clients.microsoft import TOKEN_FAILURES, MicrosoftClient

# The tenants Microsoft registers its own (first-party) applications in.
MICROSOFT_TENANTS = frozenset({"f8cdef31-a31e-4b4a-93e4-5f571e91255a", "72f988bf-86f1-41af-91ab-2d7cd011db47",
                               "33e01921-4d64-4f8c-a055-5bdaffd5e33d", "cdc5aeea-15c5-4db6-b079-fcadd2505dc2"})
SP_FIELDS = ("id,appId,displayName,appDisplayName,appOwnerOrganizationId,publisherName,verifiedPublisher,"
             "replyUrls,homepage,servicePrincipalType,accountEnabled")
IDS_PER_CALL = 1000
NO_ROLE = "00000000-0000-0000-0000-000000000000"  # "default access": an assignment without an app role


@dataclass(frozen=True)
class App:
    object_id: str
    app_id: str
    name: str
    owner_tenant: str | None = None
    publisher: str | None = None
    verified_publisher: str | None = None
    redirect_hosts: tuple[str, ...] = ()
    kind: str | None = None  # servicePrincipalType: Application, ManagedIdentity, Legacy, SocialIdp

    @property
    def first_party(self) -> bool:
        return (self.owner_tenant or "").lower() in MICROSOFT_TENANTS

    @property
    def is_application(self) -> bool:
        return (self.kind or "Application") == "Application"


def hosts(urls: Iterable[Any]) -> tuple[str, ...]:
    found: list[str] = []
    for url in urls:
        if not isinstance(url, str):
            continue
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            continue
        if host and host not in found and host != "localhost" and not host.startswith("127."):
            found.append(host)
    return tuple(found)


def app_from(item: dict[str, Any]) -> App:
    if not item.get("id") or not item.get("appId"):
        raise ValueError("service principal without id or appId")
    verified = item.get("verifiedPublisher") if isinstance(item.get("verifiedPublisher"), dict) else {}
    return App(object_id=str(item["id"]), app_id=str(item["appId"]),
               name=str(item.get("displayName") or item.get("appDisplayName") or item["appId"]),
               owner_tenant=item.get("appOwnerOrganizationId"), publisher=item.get("publisherName"),
               verified_publisher=verified.get("displayName"),
               redirect_hosts=hosts([*(item.get("replyUrls") or []), item.get("homepage")]),
               kind=item.get("servicePrincipalType"))


class Directory:
    def __init__(self, client: MicrosoftClient, *, stop: Callable[[], bool] | None = None) -> None:
        self.client = client
        self.stop = stop
        self.apps: dict[str, App] = {}
        self.app_ids: dict[str, App] = {}  # lower-case appId -> app
        self.roles: dict[str, dict[str, str]] = {}
        self.users: dict[str, str | None] = {}
        self.missing: set[str] = set()

    def load(self, on_bad: Callable[[str], None]) -> int:
        """Every service principal; the number read."""
        for item in self.client.graph_pages("/v1.0/servicePrincipals", {"$select": SP_FIELDS, "$top": "999"},
                                            stop=self.stop):
            try:
                app = app_from(item)
            except ValueError as exc:
                on_bad(str(exc))
                continue
            self.add(app)
        return len(self.apps)

    def add(self, app: App) -> None:
        self.apps[app.object_id] = app
        self.app_ids[app.app_id.lower()] = app

    def app(self, object_id: str) -> App | None:
        """An app by its service principal's object id, asked of Graph when the list did not have it."""
        if object_id in self.apps or object_id in self.missing:
            return self.apps.get(object_id)
        try:
            app = app_from(self.client.graph_get(f"/v1.0/servicePrincipals/{object_id}", {"$select": SP_FIELDS}))
        except ApiNotFound:
            self.missing.add(object_id)
            return None
        self.add(app)
        return app

    def by_app_id(self, app_id: str) -> App | None:
        return self.app_ids.get(app_id.lower())

    def role_name(self, resource_id: str, role_id: str) -> str | None:
        if role_id == NO_ROLE:
            return None
        if resource_id not in self.roles:
            try:
                body = self.client.graph_get(f"/v1.0/servicePrincipals/{resource_id}", {"$select": "id,appRoles"})
            except TOKEN_FAILURES:
                raise
            except ApiError:
                body = {}
            self.roles[resource_id] = {str(role.get("id")): str(role.get("value") or role.get("displayName"))
                                       for role in body.get("appRoles") or [] if isinstance(role, dict)}
        return self.roles[resource_id].get(role_id, role_id)

    def user_names(self, object_ids: Iterable[str]) -> dict[str, str | None]:
        """User principal names (lower case) by object id; None for an id that is no (longer a) user. Raises the
        ApiError of a refused lookup (the caller keeps the ids as subjects and records a gap)."""
        wanted = sorted({ident for ident in object_ids if ident and ident not in self.users})
        for start in range(0, len(wanted), IDS_PER_CALL):
            chunk = wanted[start:start + IDS_PER_CALL]
            body = self.client.graph_post("/v1.0/directoryObjects/getByIds", {"ids": chunk, "types": ["user"]})
            for item in body.get("value") or []:
                if isinstance(item, dict) and item.get("id"):
                    upn = item.get("userPrincipalName") or item.get("mail")
                    self.users[str(item["id"])] = str(upn).lower() if upn else None
            for ident in chunk:
                self.users.setdefault(ident, None)
        return {ident: self.users.get(ident) for ident in object_ids}

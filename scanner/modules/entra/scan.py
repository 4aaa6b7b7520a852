"""`scan entra`: one run over a tenant's OAuth grants, consent events, sign-ins and licences (Microsoft Graph).

Sections, each read whole and committed as a snapshot batch (a re-scan replaces counts, never adds):
service principals (the directory), delegated permission grants, then per non-Microsoft app its application
permissions and assigned users, consent events and sign-ins of the last ``days``, and subscribed SKUs. Users
of matched grants are named (user principal names) in one batched lookup per section.

A refused section is a coverage gap saying what the app registration needs, and the other sections still run;
a malformed record is a counted error. A token the identity platform refuses ends the scan as failed.
SIGTERM/SIGINT are checked between pages, apps and sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable

import sqlite_utils

from scanner.clients.http import ApiDenied, ApiError
from scanner.clients.microsoft import TOKEN_FAILURES, MicrosoftClient, describe_error, error_code
from scanner.findings import Finding, match_observation
from scanner.inventory.runs import Run, finish_run, start_run
from scanner.inventory.store import FindingBatch, commit_batch
from scanner.modules.entra import activity, grants, licences
from scanner.modules.entra.directory import App, Directory
from scanner.modules.entra.grants import SOURCE, USER_ID
from scanner.oauth import unknown_apps

if TYPE_CHECKING:
    from scanner.catalogue.loader import Catalogue

NON_PREMIUM = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
NEEDS = {
    "servicePrincipals": "the app registration needs Application.Read.All",
    "oauth2PermissionGrants": "the app registration needs DelegatedPermissionGrant.Read.All or Directory.Read.All",
    "appRoleAssignments": "the app registration needs Application.Read.All",
    "appRoleAssignedTo": "the app registration needs Application.Read.All",
    "directoryAudits": "the app registration needs AuditLog.Read.All",
    "signIns": "the app registration needs AuditLog.Read.All",
    "subscribedSkus": "the app registration needs Organization.Read.All or LicenseAssignment.Read.All",
    "getByIds": "the app registration needs User.Read.All or Directory.Read.All; users are kept as object ids",
}


@dataclass
class EntraOptions:
    days: int = 30
    sign_ins: bool = True
    per_app: bool = True  # application permissions and assigned users of each non-Microsoft app
    broad_scope_apps: bool = True  # unknown apps holding high-tier data scopes, for review (scanner.oauth)


@dataclass
class EntraScanResult:
    run_id: int
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    gaps: list[dict[str, str]] = field(default_factory=list)
    errors: int = 0


def reason(exc: ApiError, endpoint: str) -> str:
    if error_code(exc) == NON_PREMIUM:
        return (f"{describe_error(exc)} (reading sign-ins needs an Entra ID P1 or P2 licence in the tenant, and "
                "AuditLog.Read.All)")
    hint = NEEDS.get(endpoint) if exc.status in (401, 403) else None
    return describe_error(exc) + (f" ({hint})" if hint else "")


class EntraScan:
    def __init__(self, db: sqlite_utils.Database, catalogue: "Catalogue", client: MicrosoftClient,
                 options: EntraOptions | None = None, *, parameters: dict[str, Any] | None = None,
                 stop: Callable[[], bool] | None = None,
                 on_error: Callable[[str, str], None] | None = None) -> None:
        self.db = db
        self.catalogue = catalogue
        self.matcher = catalogue.matcher
        self.client = client
        self.options = options or EntraOptions()
        self.parameters = parameters or {}
        self.stop = stop or (lambda: False)
        self.on_error = on_error or (lambda where, message: None)
        self.tenant = client.credentials.tenant_id
        self.directory = Directory(client, stop=self.stop)
        self.pending: list[Finding] = []
        self.naming_refused = False
        self.run_record: Run | None = None  # set by run()

    def run(self) -> EntraScanResult:
        self.run_record = run = start_run(self.db, SOURCE, catalogue_version=self.catalogue.version, parameters={
            **self.parameters, "days": self.options.days, "sign_ins": self.options.sign_ins,
            "per_app": self.options.per_app, "broad_scope_apps": self.options.broad_scope_apps,
        })
        run.add_input(api=self.client.endpoints.graph, kind="Microsoft Graph", tenant=self.tenant)
        failed = False
        try:
            self.sections()
        except TOKEN_FAILURES as exc:
            failed = True
            run.error("credentials", str(exc))
            run.gap("every section", f"no token for Microsoft Graph: {exc}")
            self.on_error("credentials", str(exc))
        except KeyboardInterrupt:
            pass
        interrupted = self.stop() and not failed
        if interrupted:
            run.gap("scan", "stopped by a signal before every section was read")
        run.count("api_requests", self.client.requests)
        run.count("api_retries", self.client.http.retries)
        status = finish_run(run, interrupted=interrupted, failed=failed)
        return EntraScanResult(run.id, status, dict(run.counts), list(run.coverage_gaps), run.errors_total)

    def sections(self) -> None:
        tenant, directory = self.tenant, self.directory
        try:
            self.run_record.count("service_principals", directory.load(
                lambda why: self.error("servicePrincipals", why)))
        except TOKEN_FAILURES:
            raise
        except ApiError as exc:
            self.gap("service principals (GET /v1.0/servicePrincipals)", reason(exc, "servicePrincipals"))
        self.section("delegated permission grants (GET /v1.0/oauth2PermissionGrants)", "oauth2PermissionGrants",
                     lambda: grants.delegated_grants(directory, tenant), "delegated_grants")
        if self.options.per_app:
            self.per_app()
        self.section(f"consent events (GET /v1.0/auditLogs/directoryAudits, last {self.options.days} days)",
                     "directoryAudits", lambda: activity.consent_events(directory, tenant, self.options.days),
                     "consent_events")
        if self.options.sign_ins:
            apps = self.third_party_apps()
            self.section(f"sign-ins (GET /v1.0/auditLogs/signIns, last {self.options.days} days)", "signIns",
                         lambda: activity.sign_ins(directory, tenant, self.options.days, apps), "sign_ins")
        self.section("licences (GET /v1.0/subscribedSkus)", "subscribedSkus",
                     lambda: licences.subscribed_skus(self.client, tenant), "licences")

    def third_party_apps(self) -> list[App]:
        return sorted((app for app in self.directory.apps.values() if app.is_application and not app.first_party),
                      key=lambda app: app.app_id)

    def per_app(self) -> None:
        """Application permissions and assigned users of each non-Microsoft app: two calls per app. An endpoint
        refused once is not asked again for the other apps."""
        refused: dict[str, str] = {}
        readers = {
            "appRoleAssignments": ("application_permissions", grants.application_permissions),
            "appRoleAssignedTo": ("assignments", grants.assignments),
        }
        apps = self.third_party_apps()
        self.run_record.count("apps_examined", len(apps))
        for app in apps:
            if self.stop():
                return
            for endpoint, (counter, read) in readers.items():
                if endpoint in refused:
                    continue
                try:
                    found = list(read(self.directory, app, self.tenant))
                except TOKEN_FAILURES:
                    raise
                except ApiDenied as exc:
                    refused[endpoint] = reason(exc, endpoint)
                    continue
                except ApiError as exc:
                    self.gap(f"{endpoint} of app {app.name} ({app.app_id})", reason(exc, endpoint))
                    continue
                self.run_record.count(counter, len(found))
                self.observe(found)
        for endpoint, why in refused.items():
            self.gap(f"{endpoint} of every app (GET /v1.0/servicePrincipals/{{id}}/{endpoint})", why)
        self.flush()

    def section(self, what: str, endpoint: str, produce: Callable[[], Iterable[tuple[str, Any]]],
                counter: str) -> None:
        if self.stop():
            return
        try:
            for kind, value in produce():
                if kind == "bad":
                    self.error(endpoint, value)
                    continue
                self.run_record.count(counter)
                self.observe([value])
        except TOKEN_FAILURES:
            raise
        except ApiError as exc:
            self.gap(what, reason(exc, endpoint))
        self.flush()

    def observe(self, observations: Iterable[Any]) -> None:
        for observation in observations:
            self.run_record.count("records")
            finding = match_observation(observation, self.matcher)
            if finding is not None and unknown_apps.wanted(finding.matched_by, self.options.broad_scope_apps):
                self.pending.append(finding)

    def flush(self) -> None:
        """Name the users of the pending findings, then commit them."""
        ids = {f.subject[len(USER_ID):] for f in self.pending if f.subject.startswith(USER_ID)}
        names: dict[str, str | None] = {}
        if ids and not self.naming_refused:
            try:
                names = self.directory.user_names(ids)
                self.run_record.count("users_named", sum(1 for name in names.values() if name))
            except TOKEN_FAILURES:
                raise
            except ApiError as exc:
                self.naming_refused = True
                self.gap("user names (POST /v1.0/directoryObjects/getByIds)", reason(exc, "getByIds"))
        batch = FindingBatch()
        for finding in self.pending:
            if finding.subject.startswith(USER_ID):
                ident = finding.subject[len(USER_ID):]
                finding = replace(finding, subject=names.get(ident) or finding.subject,
                                  evidence={**finding.evidence, "user_id": ident})
            batch.add(finding)
            self.run_record.count("matched_records")
        self.pending.clear()
        commit_batch(self.db, self.run_record, batch, snapshot=True)

    def gap(self, what: str, why: str) -> None:
        self.run_record.gap(what, why)
        self.on_error(what, why)

    def error(self, where: str, message: str) -> None:
        self.run_record.error(where, message)
        self.on_error(where, message)

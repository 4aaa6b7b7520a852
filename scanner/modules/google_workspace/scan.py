"""`scan google`: one run with two sections, each a snapshot (a re-scan replaces counts, never adds).

The Reports API section counts each user's authorisations of an app over the window; the Directory section
(``--tokens-per-user``) records the grants that exist now. A denied section — delegation not granted for its
scopes, the admin lacking the privilege — is a coverage gap; the other section still runs.
"""

from __future__ import annotations

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.clients.google import GoogleClient
from scanner.interruption import StopFlag
from scanner.modules.api_scan import ApiScan, ApiScanResult
from scanner.modules.google_workspace import grants
from scanner.oauth import unknown_apps


class WorkspaceScan(ApiScan):
    def __init__(self, db: sqlite_utils.Database, catalogue: Catalogue, reports: GoogleClient,
                 directory: GoogleClient, *, parameters: dict, stop: StopFlag | None = None, on_error=None,
                 broad_scope_apps: bool = True) -> None:
        super().__init__(db, catalogue, grants.SOURCE, parameters={**parameters, "broad_scope_apps": broad_scope_apps},
                         stop=stop, on_error=on_error,
                         keep=lambda finding: unknown_apps.wanted(finding.matched_by, broad_scope_apps))
        self.reports = reports
        self.directory = directory

    def scan(self, *, customer: str, days: int, tokens_per_user: bool, workers: int = 8) -> ApiScanResult:
        self.run.add_input(api="admin.googleapis.com", method="reports.activities.list", application="token")
        self.read("OAuth token activity (Admin SDK Reports API, admin.googleapis.com)",
                  lambda: grants.authorize_activities(self.reports, days=days, customer=customer),
                  grants.grants_from_activity, count_as="authorize_events")
        if tokens_per_user:
            self.run.add_input(api="admin.googleapis.com", method="directory.tokens.list")
            self.read("current OAuth tokens per user (Admin SDK Directory API, admin.googleapis.com)",
                      lambda: grants.user_tokens(self.directory, customer=customer, workers=workers,
                                                 on_user_error=self.error),
                      grants.grants_from_token, count_as="user_tokens")
        self.run.count("api_retries", self.reports.http.retries)
        return self.finish()

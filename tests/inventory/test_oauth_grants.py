"""Consenting users, admin consent and scope tiers counted from OAuth grant findings."""

import json

from scanner.inventory.oauth_grants import figures, grant_rows, lookup
from scanner.inventory.prune import prune
from tests.support.findings import add_findings, seen


def grant(service_id, subject, *, source="entra", location="t/oauth2PermissionGrants", matched_by="oauth",
          **evidence):
    return {"service_id": service_id, "source": source, "subject": subject, "location": location,
            "matched_by": matched_by, "evidence": json.dumps(evidence)}


def test_distinct_users_are_counted_once_across_sources_and_the_tenant_is_admin_consent_apart():
    rows = [
        grant("chatgpt", "Ann@example.com", scopes="User.Read Mail.Read"),
        grant("chatgpt", "ann@example.com", source="slack", location="acme.slack.com", scopes="channels:history"),
        grant("chatgpt", "bob@example.com", source="google", location="reports:token"),
        grant("chatgpt", "tenant:github", source="github", location="github.com/acme", scopes="contents:read"),
    ]
    chatgpt = figures(rows)["chatgpt"]
    assert chatgpt.consenting_users == 2 and chatgpt.admin_consent
    assert chatgpt.columns() == {"consenting_users": 2, "admin_consent": "yes"}
    assert chatgpt.scope_risk == "high"
    assert chatgpt.risky_scopes == ("channels:history", "contents:read", "Mail.Read")


def test_sign_ins_install_requests_groups_and_an_admins_consent_for_all_are_not_consenting_users():
    rows = [
        grant("fireflies-ai", "carol@example.com", grant="assignment"),
        grant("fireflies-ai", "bob@example.com", grant="sign-in"),
        grant("fireflies-ai", "dan@example.com", source="slack", kind="app-request", scopes="calls:read"),
        grant("fireflies-ai", "group:Sales", grant="assignment"),
        grant("fireflies-ai", "admin@example.com", grant="consent-event", for_all_users="yes",
              scopes="Calendars.Read offline_access"),
    ]
    fireflies = figures(rows)["fireflies-ai"]
    assert fireflies.users == {"carol@example.com"} and fireflies.admin_consent
    assert fireflies.scope_risk == "medium"


def test_unknown_apps_are_counted_per_app_and_findings_that_are_no_grants_are_passed_over():
    rows = [
        grant("unknown-oauth-ai-app", "ann@x.com", location="t/g#app-1", matched_by="oauth-ai-like:name:gpt",
              app_id="app-1"),
        grant("unknown-oauth-ai-app", "bob@x.com", location="t/g#app-1", matched_by="oauth-ai-like:name:gpt",
              app_id="app-1"),
        grant("unknown-oauth-ai-app", "ann@x.com", location="t/g#app-2", matched_by="oauth-broad-scopes:Mail.Read",
              app_id="app-2", scopes="Mail.Read"),
        grant("chatgpt", "10.0.0.1", source="logs", location="/var/log/squid", matched_by="domains:chatgpt.com"),
    ]
    per_app = figures(rows)
    assert lookup(per_app, rows[0]).consenting_users == 2
    assert lookup(per_app, rows[2]).consenting_users == 1 and lookup(per_app, rows[2]).scope_risk == "high"
    assert lookup(per_app, rows[3]) is None  # seen in logs only: no grant figures
    assert figures(rows, per_app=False)["unknown-oauth-ai-app"].consenting_users == 2  # ann and bob


def test_a_sign_in_without_a_user_is_no_admin_consent_and_an_admin_removing_an_app_is_no_consenting_user():
    rows = [
        grant("notes-ai", "tenant:entra", location="t/auditLogs/signIns", grant="sign-in"),
        grant("notes-ai", "tenant:slack", source="slack", location="acme.slack.com", kind="app-request"),
        grant("notes-ai", "admin@x.com", source="slack", location="acme.slack.com", kind="integration-log",
              change_type="removed", change_reason="user", scopes="channels:history"),
        grant("notes-ai", "dan@x.com", source="slack", location="acme.slack.com", kind="integration-log",
              change_type="disabled"),
        grant("notes-ai", "ann@x.com", source="slack", location="acme.slack.com", kind="integration-log",
              change_type="added", scopes="channels:history"),
    ]
    notes = figures(rows)["notes-ai"]
    assert notes.users == {"ann@x.com"} and not notes.admin_consent


def test_findings_whose_evidence_was_pruned_count_neither_as_users_nor_as_admin_consent(db):
    add_findings(db, [
        seen("fireflies-ai", "carol@example.com", source="entra", location="t/appRoleAssignedTo", matched_by="oauth",
             at="2024-01-01T00:00:00Z", evidence={"grant": "assignment"}),
        seen("fireflies-ai", "bob@example.com", source="entra", location="t/auditLogs/signIns", matched_by="oauth",
             at="2020-01-01T00:00:00Z", evidence={"grant": "sign-in"}),
        seen("fireflies-ai", "tenant:slack", source="slack", location="acme.slack.com", matched_by="oauth",
             at="2020-01-01T00:00:00Z", evidence={"kind": "app-request"}),
    ], module="entra")
    assert prune(db, "2021-01-01T00:00:00Z").evidence_samples == 2
    fireflies = figures(grant_rows(db))["fireflies-ai"]
    assert fireflies.users == {"carol@example.com"} and not fireflies.admin_consent

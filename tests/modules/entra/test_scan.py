"""`scan entra` with msal and requests against a local identity platform and Microsoft Graph over HTTPS."""

from __future__ import annotations

import csv
import json
import logging

import pytest

from scanner.clients.http import HttpClient, RetryPolicy
from scanner.clients.microsoft import MicrosoftClient
from scanner.modules.entra.scan import EntraOptions, EntraScan
from tests.cli.runner import shadowai
from tests.modules.entra import graph_tenant
from tests.support.microsoft_cloud import SECRET, TENANT, MicrosoftCloud, graph_error

GRANTS = f"{TENANT}/oauth2PermissionGrants"
GPT_APP = graph_tenant.SERVICE_PRINCIPALS[3]["appId"]  # "Meeting Notes GPT": not in the catalogue, AI-like
HR_APP = graph_tenant.SERVICE_PRINCIPALS[5]["appId"]  # "Contoso HR": not in the catalogue, not AI-like, Mail.Read


def scan(db, catalogue, cloud, sleeps=None, options=None, **credentials):
    http = HttpClient(verify=cloud.ca_file, retry=RetryPolicy(attempts=3, backoff=0.01,
                                                              sleep=(sleeps if sleeps is not None else []).append))
    client = MicrosoftClient(cloud.credentials(**credentials), cloud.endpoints(), http=http, verify=cloud.ca_file)
    return EntraScan(db, catalogue, client, options or EntraOptions()).run()


def findings(db) -> dict[tuple[str, str, str], dict]:
    return {(row["service_id"], row["subject"], row["location"]): dict(row, evidence=json.loads(row["evidence"]))
            for row in db.query("select * from findings")}


@pytest.fixture
def tenant():
    with MicrosoftCloud() as cloud:
        graph_tenant.build(cloud)
        yield cloud


def test_an_admin_consent_to_a_catalogue_app_is_a_tenant_wide_finding(db, catalogue, tenant):
    scan(db, catalogue, tenant)
    fireflies = findings(db)[("fireflies-ai", "tenant:entra", GRANTS)]
    evidence = fireflies["evidence"]
    assert evidence["grant"] == "delegated-admin-consent" and evidence["resource"] == "Microsoft Graph"
    assert evidence["scopes"] == "User.Read Calendars.Read OnlineMeetings.Read offline_access"
    assert evidence["risky_scopes"] == "Calendars.Read offline_access OnlineMeetings.Read"
    assert evidence["scope_risk"] == "medium" and evidence["verified_publisher"] == "Fireflies.AI Corp"


def test_an_ai_like_app_outside_the_catalogue_is_unknown_with_its_risky_scopes_per_user(db, catalogue, tenant):
    scan(db, catalogue, tenant)
    found = findings(db)
    alice = found[("unknown-oauth-ai-app", "alice@contoso.com", f"{GRANTS}#{GPT_APP}")]
    assert ("unknown-oauth-ai-app", "bob@contoso.com", f"{GRANTS}#{GPT_APP}") in found
    assert alice["matched_by"] == "oauth-ai-like:name:gpt"
    assert alice["evidence"]["grant"] == "delegated-user-consent" and alice["evidence"]["user_id"] == "u-alice"
    assert alice["evidence"]["risky_scopes"] == "Mail.Read offline_access"
    assert alice["evidence"]["scope_risk"] == "high"
    assert (alice["evidence"]["reason"], alice["evidence"]["confidence"]) == ("ai-like-name", "medium")
    app_only = found[("unknown-oauth-ai-app", "tenant:entra", f"{TENANT}/appRoleAssignments#{GPT_APP}")]
    assert app_only["evidence"]["grant"] == "application-permission" and app_only["evidence"]["scopes"] == "Mail.Read"


def test_a_reply_url_host_matches_the_catalogue_publisher(db, catalogue, tenant):
    scan(db, catalogue, tenant)
    read_ai = findings(db)[("read-ai", "alice@contoso.com", GRANTS)]
    assert read_ai["matched_by"] == "oauth:redirect_host" and read_ai["evidence"]["app_name"] == "Notetaker Pro"


def test_a_plain_app_with_broad_data_scopes_is_a_low_confidence_unknown_but_microsofts_own_apps_are_not(
        db, catalogue, tenant):
    scan(db, catalogue, tenant)
    found = findings(db)
    hr = found[("unknown-oauth-ai-app", "tenant:entra", f"{GRANTS}#{HR_APP}")]
    assert hr["matched_by"] == "oauth-broad-scopes:Mail.Read"
    assert (hr["evidence"]["reason"], hr["evidence"]["confidence"]) == ("broad-data-scopes", "low")
    assert hr["evidence"]["app_name"] == "Contoso HR" and hr["evidence"]["scope_risk"] == "high"
    names = {row["evidence"].get("app_name") for row in found.values()}
    assert "Microsoft Teams" not in names  # first-party, although it holds Files.ReadWrite.All


def test_broad_scope_apps_can_be_left_out_while_ai_like_apps_stay(db, catalogue, tenant):
    result = scan(db, catalogue, tenant, options=EntraOptions(broad_scope_apps=False))
    names = {row["evidence"].get("app_name") for row in findings(db).values()}
    assert "Contoso HR" not in names and "Meeting Notes GPT" in names
    run = db["runs"].get(result.run_id)
    assert json.loads(run["parameters"])["broad_scope_apps"] is False


def test_assigned_users_and_groups_are_subjects_of_the_app(db, catalogue, tenant):
    scan(db, catalogue, tenant)
    found = findings(db)
    assert ("fireflies-ai", "carol@contoso.com", f"{TENANT}/appRoleAssignedTo") in found
    assert ("fireflies-ai", "group:Sales", f"{TENANT}/appRoleAssignedTo") in found


def test_consent_events_say_who_consented_when(db, catalogue, tenant):
    scan(db, catalogue, tenant)
    audits = f"{TENANT}/auditLogs/directoryAudits"
    alice = findings(db)[("unknown-oauth-ai-app", "alice@contoso.com", f"{audits}#{GPT_APP}")]
    assert alice["first_seen"] == alice["last_seen"] == "2025-06-02T14:03:11Z"
    assert alice["evidence"]["scopes"] == "User.Read Mail.Read offline_access"
    admin = findings(db)[("fireflies-ai", "admin@contoso.com", audits)]
    assert admin["evidence"]["admin_consent"] == "yes" and admin["evidence"]["for_all_users"] == "yes"


def test_sign_ins_refused_for_want_of_a_licence_are_a_recorded_gap(db, catalogue, tenant):
    result = scan(db, catalogue, tenant)
    [gap] = [gap for gap in result.gaps if "signIns" in gap["what"]]
    assert "HTTP 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant" in gap["why"]
    assert "P1 or P2 licence" in gap["why"]
    assert result.status == "partial" and len(result.gaps) == 1


def test_sign_ins_count_successful_sign_ins_where_the_licence_allows(db, catalogue):
    with MicrosoftCloud() as cloud:
        graph_tenant.build(cloud, premium=True)
        result = scan(db, catalogue, cloud)
    sign_in = findings(db)[("unknown-oauth-ai-app", "bob@contoso.com", f"{TENANT}/auditLogs/signIns#{GPT_APP}")]
    assert sign_in["hits"] == 1 and sign_in["last_seen"] == "2025-06-03T07:00:00Z"
    assert result.gaps == []


def test_copilot_licences_are_counted_from_subscribed_skus(db, catalogue, tenant):
    scan(db, catalogue, tenant)
    copilot = findings(db)[("microsoft-365-copilot", "tenant:entra", f"{TENANT}/subscribedSkus")]
    assert copilot["hits"] == 25 and copilot["evidence"]["purchased"] == 50
    assert copilot["evidence"]["sku"] == "Microsoft_365_Copilot"
    assert not [key for key in findings(db) if key[0] == "unknown-ai-licence"]


def test_throttling_is_retried_and_a_grant_of_a_vanished_app_is_a_counted_error(db, catalogue, tenant):
    sleeps: list[float] = []
    result = scan(db, catalogue, tenant, sleeps)
    assert sleeps == [4.0]
    assert result.errors == 1 and result.counts["delegated_grants"] == 6


def test_refused_user_names_keep_object_ids_and_record_a_gap(db, catalogue, tenant):
    tenant.graph("POST", "/v1.0/directoryObjects/getByIds",
                 lambda r: graph_error(403, "Authorization_RequestDenied", "Insufficient privileges"))
    result = scan(db, catalogue, tenant, options=EntraOptions(sign_ins=False))
    assert ("unknown-oauth-ai-app", "user-id:u-alice", f"{GRANTS}#{GPT_APP}") in findings(db)
    [gap] = result.gaps
    assert "getByIds" in gap["what"] and "object ids" in gap["why"]


def test_a_rescan_replaces_counts_instead_of_adding(db, catalogue, tenant):
    scan(db, catalogue, tenant)
    first = {key: row["hits"] for key, row in findings(db).items()}
    graph_tenant.build(tenant, throttle=False)
    scan(db, catalogue, tenant)
    assert {key: row["hits"] for key, row in findings(db).items()} == first


def test_a_refused_secret_fails_the_run(db, catalogue, tenant):
    result = scan(db, catalogue, tenant, client_secret="old-" + SECRET)
    assert result.status == "failed" and "invalid_client" in result.gaps[0]["why"]


def test_the_cli_never_stores_prints_or_logs_the_client_secret(tmp_path, monkeypatch, caplog, tenant):
    caplog.set_level(logging.DEBUG)
    for name, value in tenant.environment().items():
        monkeypatch.setenv(name, value)
    db_path = tmp_path / "inventory.db"
    result = shadowai("--verbose", "--log-format", "json", "scan", "entra", "--db", db_path,
                      *tenant.cli_options())
    assert result.exit_code == 1, result.output  # partial: sign-ins refused
    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("inventory.db"))
    assert b"fireflies-ai" in stored and b"microsoft-365-copilot" in stored
    for secret in (SECRET, *tenant.tokens.values()):
        assert secret.encode() not in stored
        assert secret not in result.output
        assert secret not in caplog.text
    summary = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")][-1]
    assert summary["status"] == "partial" and summary["counts"]["licences"] == 2
    runs = shadowai("runs", "--db", db_path, "--gaps")
    assert "Authentication_RequestFromNonPremiumTenantOrB2CTenant" in runs.output and SECRET not in runs.output


def test_missing_credentials_are_a_usage_error_naming_the_variable(tmp_path, monkeypatch):
    for name in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH"):
        monkeypatch.delenv(name, raising=False)
    result = shadowai("scan", "entra", "--db", tmp_path / "x.db", "--tenant-id", "t", "--client-id", "c")
    assert result.exit_code == 2 and "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH" in result.output


def test_consenting_users_per_app_reach_the_inventory_the_export_and_the_risk_register(db, db_path, catalogue,
                                                                                       tenant, tmp_path):
    scan(db, catalogue, tenant)
    services = {row["service_id"]: row for row in json.loads(
        shadowai("inventory", "--format", "json", "--db", db_path).stdout)}
    # Fireflies: carol is assigned; the admin consented for everyone (counted apart); the group is no user.
    assert (services["fireflies-ai"]["consenting_users"], services["fireflies-ai"]["admin_consent"]) == (1, "yes")
    assert services["read-ai"]["consenting_users"] == 1 and services["read-ai"]["admin_consent"] == "no"
    assert services["microsoft-365-copilot"]["consenting_users"] is None  # a licence, not a grant
    table = shadowai("inventory", "--db", db_path).stdout
    assert "consenting_users" in table.splitlines()[0]
    exported = json.loads(shadowai("export", "--format", "json", "--out", "-", "--db", db_path).stdout)
    gpt = {(row["consenting_users"], row["admin_consent"]) for row in exported
           if row["location"].endswith(f"#{GPT_APP}")}
    assert gpt == {(2, "yes")}  # alice and bob consented; its application permission is tenant-wide
    out = tmp_path / "register.csv"
    assert shadowai("risk-register", "--out", out, "--db", db_path).exit_code == 0
    register = {row["risk_id"]: row for row in csv.DictReader(out.open(encoding="utf-8-sig"))}
    fireflies = register["AIR-fireflies-ai"]
    assert (fireflies["consenting_users"], fireflies["scope_risk"]) == ("1", "medium")
    assert fireflies["risky_scopes"] == "Calendars.Read, offline_access, OnlineMeetings.Read"


EXCHANGE = "sp-exo"  # Office 365 Exchange Online, a second resource (not in the listing: fetched by id)


def second_resource(cloud: MicrosoftCloud) -> None:
    """Fireflies' admin consent and alice's consent to Meeting Notes GPT also cover Exchange Online, and Meeting
    Notes GPT holds an application permission there too."""
    exchange = graph_tenant.sp(EXCHANGE, "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online",
                               graph_tenant.MICROSOFT, roles=[{"id": "r-full", "value": "full_access_as_app",
                                                               "displayName": "Use Exchange with full access"}])
    cloud.graph("GET", f"/v1.0/servicePrincipals/{EXCHANGE}", lambda r: (200, {}, exchange))
    extra = [dict(graph_tenant.grant("g8", graph_tenant.FIREFLIES, "AllPrincipals", "Mail.Read Files.Read.All"),
                  resourceId=EXCHANGE),
             dict(graph_tenant.grant("g9", graph_tenant.GPT, "Principal", "Mail.Read Mail.Send", "u-alice"),
                  resourceId=EXCHANGE)]
    cloud.graph_collection("/v1.0/oauth2PermissionGrants", graph_tenant.GRANTS + extra, page_size=3)
    cloud.graph_collection(f"/v1.0/servicePrincipals/{graph_tenant.GPT}/appRoleAssignments", [
        {"id": "a1", "appRoleId": graph_tenant.ROLE_MAIL, "principalId": graph_tenant.GPT,
         "resourceId": graph_tenant.GRAPH, "createdDateTime": "2025-05-20T08:00:00Z"},
        {"id": "a2", "appRoleId": "r-full", "principalId": graph_tenant.GPT, "resourceId": EXCHANGE,
         "createdDateTime": "2025-05-21T08:00:00Z"}])


def test_grants_of_one_app_on_several_resources_merge_their_scopes_into_one_finding(db, db_path, catalogue, tenant,
                                                                                     tmp_path):
    second_resource(tenant)
    result = scan(db, catalogue, tenant)
    found = findings(db)
    fireflies = found[("fireflies-ai", "tenant:entra", GRANTS)]["evidence"]
    assert fireflies["scopes"] == ("User.Read Calendars.Read OnlineMeetings.Read offline_access Mail.Read "
                                   "Files.Read.All")
    assert fireflies["resource"] == "Microsoft Graph, Office 365 Exchange Online"
    assert fireflies["scope_risk"] == "high" and fireflies["risky_scopes"].startswith("Files.Read.All Mail.Read")
    alice = found[("unknown-oauth-ai-app", "alice@contoso.com", f"{GRANTS}#{GPT_APP}")]["evidence"]
    assert alice["scopes"] == "User.Read Mail.Read offline_access Mail.Send"
    app_only = found[("unknown-oauth-ai-app", "tenant:entra", f"{TENANT}/appRoleAssignments#{GPT_APP}")]
    assert app_only["evidence"]["scopes"] == "Mail.Read full_access_as_app"
    assert app_only["evidence"]["granted"] == "2025-05-21T08:00:00Z"
    assert result.counts["delegated_grants"] == 6 and result.counts["application_permissions"] == 1
    out = tmp_path / "register.csv"
    assert shadowai("risk-register", "--out", out, "--db", db_path).exit_code == 0
    register = {row["risk_id"]: row for row in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert register["AIR-fireflies-ai"]["scope_risk"] == "high"
    assert "Mail.Read" in register["AIR-fireflies-ai"]["risky_scopes"]

"""`scan google` against a local token endpoint (domain-wide delegation checked per scope) and the Admin SDK
Reports and Directory APIs shaped as Google documents them."""

import json

import pytest

from scanner.clients.google import (DIRECTORY_USER_SECURITY, DIRECTORY_USERS_READ_ONLY, REPORTS_AUDIT_READ_ONLY)
from scanner.inventory.database import open_db
from tests.cli.runner import shadowai
from tests.support.google_apis import GoogleFake, error, generate_key, private_pem, service_account_info
from tests.support.https_server import LocalHttpsServer

ADMIN = "admin@example.com"
REPORTS = "/admin/reports/v1/activity/users/all/applications/token"
GMAIL = "https://www.googleapis.com/auth/gmail.readonly"
DRIVE = "https://www.googleapis.com/auth/drive"


def authorize(user, app, client_id, scopes, time="2025-06-01T10:00:00.000Z"):
    """One activity of the token application as the Reports API returns it."""
    return {"kind": "admin#reports#activity",
            "id": {"time": time, "uniqueQualifier": "-1", "applicationName": "token", "customerId": "C01"},
            "actor": {"email": user, "profileId": "1"},
            "events": [{"type": "auth", "name": "authorize", "parameters": [
                {"name": "client_id", "value": client_id}, {"name": "app_name", "value": app},
                {"name": "client_type", "value": "WEB"}, {"name": "scope", "multiValue": scopes}]}]}


@pytest.fixture(scope="module")
def key():
    return generate_key()


@pytest.fixture
def google(key):
    with LocalHttpsServer() as server:
        fake = GoogleFake(server, key.public_key(), delegation={
            ADMIN: {REPORTS_AUDIT_READ_ONLY, DIRECTORY_USERS_READ_ONLY, DIRECTORY_USER_SECURITY}})
        fake.paged(REPORTS, "items", [
            [authorize("ann@example.com", "Fireflies.ai", "111.apps.googleusercontent.com", [GMAIL]),
             authorize("bob@example.com", "Meeting Notes AI", "222.apps.googleusercontent.com", [DRIVE])],
            [authorize("ann@example.com", "Fireflies.ai", "111.apps.googleusercontent.com", [GMAIL],
                       time="2025-06-20T09:00:00.000Z"),
             authorize("bob@example.com", "Zoom", "333.apps.googleusercontent.com", [GMAIL])]],
            REPORTS_AUDIT_READ_ONLY, expect={"eventName": "authorize"})
        fake.paged("/admin/directory/v1/users", "users", [
            [{"primaryEmail": "ann@example.com"}], [{"primaryEmail": "bob@example.com"},
                                                    {"primaryEmail": "gone@example.com", "suspended": True}]],
            DIRECTORY_USERS_READ_ONLY, expect={"customer": "my_customer"})
        fake.paged("/admin/directory/v1/users/ann@example.com/tokens", "items", [[
            {"kind": "admin#directory#token", "clientId": "444.apps.googleusercontent.com", "displayText": "Read AI",
             "scopes": ["https://www.googleapis.com/auth/calendar.readonly"], "nativeApp": False,
             "anonymous": False, "userKey": "1"}]], DIRECTORY_USER_SECURITY)
        fake.answer("/admin/directory/v1/users/bob@example.com/tokens",
                    error(404, "Resource Not Found: userKey", "NOT_FOUND"))
        yield fake


def run(google, key, tmp_path, monkeypatch, *args):
    key_file = tmp_path / "scanner-key.json"
    key_file.write_text(json.dumps(service_account_info(key, google.token_url)))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", google.server.ca_file)
    db_path = tmp_path / "inventory.db"
    result = shadowai("--verbose", "scan", "google", "--api-url", google.server.url, "--db", db_path, *args)
    db = open_db(db_path)
    found = {(r["service_id"], r["subject"], r["location"]): r for r in db.query("select * from findings")}
    runs = list(db.query("select * from runs where module = 'google' order by id"))
    db.conn.close()
    return result, found, runs


def test_authorisations_in_the_catalogue_and_ai_like_ones_become_findings_per_user(google, key, tmp_path, monkeypatch):
    result, found, runs = run(google, key, tmp_path, monkeypatch, "--admin-email", ADMIN)
    assert result.exit_code == 0, result.output
    fireflies = found[("fireflies-ai", "ann@example.com", "reports:token")]
    assert fireflies["hits"] == 2 and fireflies["last_seen"] == "2025-06-20T09:00:00Z"
    evidence = json.loads(fireflies["evidence"])
    assert evidence["app_id"] == "111.apps.googleusercontent.com" and evidence["scopes"] == GMAIL
    unknown = found[("unknown-oauth-ai-app", "bob@example.com", "reports:token#222.apps.googleusercontent.com")]
    assert unknown["matched_by"] == "oauth-ai-like:name:ai" and json.loads(unknown["evidence"])["scopes"] == DRIVE
    assert json.loads(unknown["evidence"])["scope_risk"] == "high"
    # Zoom is neither in the catalogue nor AI-like, but holds gmail.readonly: a low-confidence app for review
    zoom = found[("unknown-oauth-ai-app", "bob@example.com", "reports:token#333.apps.googleusercontent.com")]
    assert zoom["matched_by"] == f"oauth-broad-scopes:{GMAIL}"
    assert json.loads(zoom["evidence"])["reason"] == "broad-data-scopes"
    assert len(found) == 3
    assert google.assertions[0]["claims"]["sub"] == ADMIN
    assert json.loads(runs[0]["counts"])["authorize_events"] == 4


def test_no_broad_scope_apps_leaves_out_plain_apps_holding_broad_scopes(google, key, tmp_path, monkeypatch):
    result, found, runs = run(google, key, tmp_path, monkeypatch, "--admin-email", ADMIN, "--no-broad-scope-apps")
    assert result.exit_code == 0, result.output
    assert sorted(service for service, _, _ in found) == ["fireflies-ai", "unknown-oauth-ai-app"]  # no Zoom
    assert json.loads(runs[0]["parameters"])["broad_scope_apps"] is False


def test_googles_own_clients_are_first_party_unless_borrowed_for_workspace_data(google, key, tmp_path, monkeypatch):
    chrome, gcloud = "77185425430.apps.googleusercontent.com", "32555940559.apps.googleusercontent.com"
    google.paged(REPORTS, "items", [[
        authorize("ann@example.com", "Google Chrome", chrome, ["https://www.google.com/accounts/OAuthLogin"]),
        authorize("ann@example.com", "Google Cloud SDK", gcloud, ["https://www.googleapis.com/auth/cloud-platform"]),
        authorize("bob@example.com", "Google Cloud SDK", gcloud, [GMAIL])]],
        REPORTS_AUDIT_READ_ONLY, expect={"eventName": "authorize"})
    result, found, _ = run(google, key, tmp_path, monkeypatch, "--admin-email", ADMIN)
    assert result.exit_code == 0, result.output
    assert list(found) == [("unknown-oauth-ai-app", "bob@example.com", f"reports:token#{gcloud}")]


def test_tokens_per_user_adds_current_grants_and_a_missing_user_is_a_counted_error(google, key, tmp_path, monkeypatch):
    result, found, runs = run(google, key, tmp_path, monkeypatch, "--admin-email", ADMIN, "--tokens-per-user")
    assert found[("read-ai", "ann@example.com", "directory:tokens")]["hits"] == 1
    assert not google.calls("/admin/directory/v1/users/gone@example.com/tokens")  # suspended users are skipped
    errors = json.loads(runs[0]["errors"])
    assert errors == [{"where": "tokens of bob@example.com", "message": "HTTP 404 NOT_FOUND Resource Not Found: userKey"}]
    assert result.exit_code == 1


def test_delegation_missing_for_a_section_is_a_gap_and_the_other_section_still_runs(google, key, tmp_path,
                                                                                    monkeypatch):
    google.delegation[ADMIN] = {REPORTS_AUDIT_READ_ONLY}
    result, found, runs = run(google, key, tmp_path, monkeypatch, "--admin-email", ADMIN, "--tokens-per-user")
    gaps = json.loads(runs[0]["coverage_gaps"])
    assert [gap["what"] for gap in gaps] == [
        "current OAuth tokens per user (Admin SDK Directory API, admin.googleapis.com)"]
    assert "unauthorized_client" in gaps[0]["why"]
    assert ("fireflies-ai", "ann@example.com", "reports:token") in found
    assert result.exit_code == 1 and runs[0]["status"] == "partial"


def test_a_denied_reports_api_is_a_gap(google, key, tmp_path, monkeypatch):
    google.answer(REPORTS, error(403, "Not Authorized to access this resource/api", "PERMISSION_DENIED"))
    result, found, runs = run(google, key, tmp_path, monkeypatch, "--admin-email", ADMIN)
    gaps = json.loads(runs[0]["coverage_gaps"])
    assert gaps[0]["what"].startswith("OAuth token activity") and "HTTP 403" in gaps[0]["why"]
    assert found == {} and result.exit_code == 1


def test_a_rescan_replaces_counts_and_nothing_secret_is_stored_or_printed(google, key, tmp_path, monkeypatch):
    run(google, key, tmp_path, monkeypatch, "--admin-email", ADMIN)
    result, found, runs = run(google, key, tmp_path, monkeypatch, "--admin-email", ADMIN)
    assert found[("fireflies-ai", "ann@example.com", "reports:token")]["hits"] == 2 and len(runs) == 2
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("inventory.db*")).decode("latin-1")
    for line in private_pem(key).splitlines()[1:-1]:
        assert line not in stored and line not in result.output
    assert "ya29." not in stored and "ya29." not in result.output


def test_a_service_account_needs_an_admin_to_act_for(google, key, tmp_path, monkeypatch):
    result, _, runs = run(google, key, tmp_path, monkeypatch)
    assert result.exit_code == 2 and "--admin-email is required" in result.output and runs == []

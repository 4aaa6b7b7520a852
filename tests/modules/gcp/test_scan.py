"""`scan gcp` against a local token endpoint and Resource Manager, Service Usage, Vertex AI, Notebooks and Cloud
Monitoring shaped as Google documents them: what becomes a finding, what is a coverage gap, what is retried."""

import json
import logging

import pytest

from scanner.clients.google import CLOUD_READ_ONLY, Endpoints, GoogleClient, ServiceAccount, TokenSource
from scanner.clients.http import HttpClient, RetryPolicy
from scanner.inventory.database import open_db
from scanner.modules.gcp.scan import GcpOptions, GcpScan
from tests.cli.runner import shadowai
from tests.support.google_apis import GoogleFake, error, generate_key, private_pem, service_account_info
from tests.support.https_server import LocalHttpsServer

S = CLOUD_READ_ONLY
ML = "/v1/projects/ml-prod/locations"


def service(name, title=""):
    return {"name": f"projects/111/services/{name}", "parent": "projects/111", "state": "ENABLED",
            "config": {"name": name, "title": title}}


def series(labels, value, end="2025-06-30T00:00:00Z"):
    return {"metric": {"type": "x"}, "resource": {"type": "consumed_api", "labels": labels}, "metricKind": "DELTA",
            "valueType": "INT64",
            "points": [{"interval": {"startTime": "2025-05-31T00:00:00Z", "endTime": end},
                        "value": {"int64Value": str(value)}}]}


def monitoring(request):
    query = request.query["filter"][0]
    if "api/request_count" in query:
        assert 'one_of("aiplatform.googleapis.com", "generativelanguage.googleapis.com"' in query
        assert request.query["aggregation.groupByFields"] == ["resource.labels.service",
                                                              "resource.labels.credential_id"]
        return 200, {}, {"timeSeries": [
            series({"service": "generativelanguage.googleapis.com", "credential_id": "serviceaccount:1234"}, 420),
            series({"service": "aiplatform.googleapis.com", "credential_id": "apikey:c0ffee"}, 17)]}
    return 200, {}, {"timeSeries": [series({"publisher": "anthropic", "model_user_id": "claude-sonnet-4",
                                            "location": "us-east5"}, 99)]}


@pytest.fixture(scope="module")
def key():
    return generate_key()


@pytest.fixture
def google(key):
    with LocalHttpsServer() as server:
        fake = GoogleFake(server, key.public_key())
        fake.paged("/v3/projects:search", "projects", [
            [{"projectId": "ml-prod", "name": "projects/111", "state": "ACTIVE"}],
            [{"projectId": "web-prod", "name": "projects/222", "state": "ACTIVE"}]], S)
        fake.paged("/v1/projects/ml-prod/services", "services", [
            [service("aiplatform.googleapis.com", "Vertex AI API"), service("compute.googleapis.com")],
            [service("generativelanguage.googleapis.com"), service("notebooks.googleapis.com")]], S,
            expect={"filter": "state:ENABLED"})
        fake.answer("/v1/projects/web-prod/services",
                    error(403, "Permission denied to list services for consumer container [projects/222]",
                          "PERMISSION_DENIED"))
        fake.paged(ML, "locations", [[{"locationId": "us-central1"}, {"locationId": "europe-west4"}]], S)
        fake.paged(ML + "/us-central1/endpoints", "endpoints", [[
            {"name": "projects/111/locations/us-central1/endpoints/42", "displayName": "churn",
             "deployedModels": [{"id": "7", "model": "projects/111/locations/us-central1/models/9",
                                 "displayName": "churn-xgb"},
                                {"id": "8", "model": "projects/111/locations/us-central1/models/10",
                                 "displayName": "churn-llm"}]}]], S)
        fake.paged(ML + "/us-central1/models", "models", [[
            {"name": "projects/111/locations/us-central1/models/10", "displayName": "churn-llm",
             "baseModelSource": {"modelGardenSource": {"publicModelName": "publishers/meta/models/llama3"}}}]], S)
        fake.paged(ML + "/us-central1/tuningJobs", "tuningJobs", [[
            {"name": "projects/111/locations/us-central1/tuningJobs/5", "baseModel": "gemini-2.0-flash-001",
             "state": "JOB_STATE_SUCCEEDED"}]], S)
        fake.paged(ML + "/us-central1/notebookRuntimes", "notebookRuntimes", [[]], S)
        fake.answer(ML + "/europe-west4/endpoints", (429, {"Retry-After": "0.01"}, {}), (200, {}, {}))
        fake.answer(ML + "/europe-west4/models", error(403, "Permission 'aiplatform.models.list' denied on resource",
                                                       "PERMISSION_DENIED"))
        fake.paged(ML + "/europe-west4/tuningJobs", "tuningJobs", [[]], S)
        fake.paged(ML + "/europe-west4/notebookRuntimes", "notebookRuntimes", [[]], S)
        fake.paged("/v2/projects/ml-prod/locations/-/instances", "instances", [[
            {"name": "projects/ml-prod/locations/us-central1-a/instances/analyst-box", "state": "ACTIVE"}]], S)
        server.routes[("GET", "/v3/projects/ml-prod/timeSeries")] = monitoring
        yield fake


def scan(google, key, db, catalogue, stop=None, **options):
    credentials = ServiceAccount.from_info(service_account_info(key, google.token_url))
    sleeps = []
    http = HttpClient(verify=google.server.ca_file, retry=RetryPolicy(attempts=3, backoff=0.01, sleep=sleeps.append))
    client = GoogleClient(TokenSource(credentials, http), (S,), endpoints=Endpoints({"*": google.server.url}))
    result = GcpScan(db, catalogue, client, GcpOptions(**options), stop=stop).run()
    return result, sleeps


def findings(db):
    return {(r["service_id"], r["subject"], r["location"]): r for r in db.query("select * from findings")}


def test_enabled_ai_apis_and_vertex_resources_become_findings_per_project_and_region(google, key, db, catalogue):
    result, _ = scan(google, key, db, catalogue)
    found = findings(db)
    assert found[("google-vertex-ai", "gcp:ml-prod", "global")]["hits"] == 2  # aiplatform + notebooks APIs
    assert found[("google-gemini-api", "gcp:ml-prod", "global")]["hits"] == 1
    # us-central1: an endpoint with two deployed models, a Model Garden model and a tuning job — a finding each,
    # located at its resource name
    region = "projects/111/locations/us-central1/"
    vertex = {key[2]: row for key, row in found.items() if key[0] == "google-vertex-ai" and key[2].startswith(region)}
    assert sorted(vertex) == [region + "endpoints/42/deployedModels/7", region + "endpoints/42/deployedModels/8",
                              region + "models/10", region + "tuningJobs/5"]
    assert json.loads(vertex[region + "endpoints/42/deployedModels/7"]["evidence"])["model"] == "churn-xgb"
    assert all(row["hits"] == 1 for row in vertex.values())
    workbench = found[("google-vertex-ai", "gcp:ml-prod", "projects/ml-prod/locations/us-central1-a/instances/analyst-box")]
    assert workbench["hits"] == 1
    assert not any(key[0] == "compute" for key in found)
    assert result.counts["projects"] == 2 and result.counts["ai_apis_enabled"] == 3


def test_usage_from_cloud_monitoring_names_the_caller_and_the_invoked_model(google, key, db, catalogue):
    scan(google, key, db, catalogue)
    found = findings(db)
    gemini = found[("google-gemini-api", "serviceaccount:1234", "projects/ml-prod")]
    assert gemini["hits"] == 420 and gemini["last_seen"] == "2025-06-30T00:00:00Z"
    assert found[("google-vertex-ai", "apikey:c0ffee", "projects/ml-prod")]["hits"] == 17
    claude = found[("google-vertex-ai", "gcp:ml-prod",
                    "projects/ml-prod/locations/us-east5/publishers/anthropic/models/claude-sonnet-4")]
    assert claude["hits"] == 99 and "anthropic/models/claude-sonnet-4" in json.loads(claude["evidence"])["action"]


def test_a_denied_project_or_api_is_a_coverage_gap_naming_project_and_api(google, key, db, catalogue):
    result, sleeps = scan(google, key, db, catalogue)
    gaps = {gap["what"]: gap["why"] for gap in result.gaps}
    assert gaps["project web-prod: enabled APIs (serviceusage.googleapis.com)"].startswith(
        "HTTP 403 PERMISSION_DENIED Permission denied to list services")
    assert "aiplatform.models.list" in gaps["project ml-prod: Vertex AI models (aiplatform.googleapis.com) in europe-west4"]
    assert result.status == "partial"
    # europe-west4 endpoints answered 429 first: retried after Retry-After, not a gap
    assert sleeps == [0.01] and len(google.calls(ML + "/europe-west4/endpoints")) == 2
    assert not any("ml-prod" in what and "endpoints" in what for what in gaps)
    # web-prod's enabled APIs are unknown, so its Vertex AI locations were still asked for (answered 404 here)
    assert "project web-prod: Vertex AI locations (aiplatform.googleapis.com); no region was read" in " ".join(gaps)


def test_a_rescan_replaces_counts_instead_of_adding(google, key, db, catalogue):
    scan(google, key, db, catalogue)
    first = {k: r["hits"] for k, r in findings(db).items()}
    scan(google, key, db, catalogue)
    assert {k: r["hits"] for k, r in findings(db).items()} == first


def test_explicit_projects_and_regions_limit_the_scan(google, key, db, catalogue):
    result, _ = scan(google, key, db, catalogue, projects=("ml-prod",), regions=("us-central1",), usage=False)
    assert result.status == "succeeded" and result.gaps == []
    assert not google.calls("/v3/projects:search") and not google.calls(ML)
    assert not google.calls(ML + "/europe-west4/endpoints") and not google.calls("/v3/projects/ml-prod/timeSeries")


def test_a_stop_request_finishes_the_current_project_and_records_the_run_interrupted(google, key, db, catalogue):
    asked = iter([False, True])
    result, _ = scan(google, key, db, catalogue, stop=lambda: next(asked))
    assert result.status == "interrupted" and result.counts["projects"] == 1
    assert {"what": "1 project(s) not read", "why": "the scan was stopped (SIGTERM/SIGINT)"} in result.gaps
    assert ("google-vertex-ai", "gcp:ml-prod", "projects/111/locations/us-central1/tuningJobs/5") in findings(db)


def test_refused_credentials_fail_the_run_with_one_gap(google, key, db, catalogue):
    google.public_key = generate_key().public_key()  # the server no longer trusts our key
    result, _ = scan(google, key, db, catalogue)
    assert result.status == "failed" and len(result.gaps) == 1
    assert "invalid_grant" in result.gaps[0]["why"]


def test_cli_scan_records_the_identity_never_the_key(google, key, tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    key_file = tmp_path / "scanner-key.json"
    key_file.write_text(json.dumps(service_account_info(key, google.token_url)))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", google.server.ca_file)
    db_path = tmp_path / "inventory.db"
    result = shadowai("--verbose", "scan", "gcp", "--api-url", google.server.url, "--db", db_path)
    assert result.exit_code == 1  # partial: the coverage gaps above
    db = open_db(db_path)
    run = next(db.query("select * from runs where module = 'gcp'"))
    parameters = json.loads(run["parameters"])
    assert parameters["identity"] == "shadowai-scanner@sa-home.iam.gserviceaccount.com"
    assert parameters["key"].startswith("sha256:") and parameters["token_url"] == google.token_url
    assert ("google-vertex-ai", "gcp:ml-prod", "projects/111/locations/us-central1/tuningJobs/5") in findings(db)
    db.conn.close()
    pem_lines = [line for line in private_pem(key).splitlines() if "PRIVATE KEY" not in line]
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("inventory.db*"))
    everything = result.output + caplog.text + stored.decode("latin-1")
    for line in pem_lines:
        assert line not in everything
    assert "ya29." not in everything  # nor an access token

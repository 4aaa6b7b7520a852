"""`scan azure` with msal and requests against a local identity platform and ARM over HTTPS."""

from __future__ import annotations

import json
import logging

import pytest

from scanner.clients.http import HttpClient, RetryPolicy
from scanner.clients.microsoft import MicrosoftClient
from scanner.modules.azure.scan import AzureOptions, AzureScan
from tests.cli.runner import shadowai
from tests.modules.azure import arm_tenant
from tests.modules.azure.arm_tenant import FOUNDRY, HUB, OPENAI, SEARCH, SPEECH, SUB_A, SUB_B, WORKSPACE
from tests.support.microsoft_cloud import SECRET, MicrosoftCloud


def scan(db, catalogue, cloud, sleeps=None, options=None, stop=None, **credentials):
    http = HttpClient(verify=cloud.ca_file, retry=RetryPolicy(attempts=3, backoff=0.01,
                                                              sleep=(sleeps if sleeps is not None else []).append))
    client = MicrosoftClient(cloud.credentials(**credentials), cloud.endpoints(), http=http, verify=cloud.ca_file)
    return AzureScan(db, catalogue, client, options or AzureOptions(), stop=stop).run()


def findings(db, *, vendors: bool = False) -> dict[str, dict]:
    """Findings by location: the platform's, or with ``vendors`` the model vendors' (which share the location)."""
    return {row["location"]: dict(row, evidence=json.loads(row["evidence"]))
            for row in db.query("select * from findings") if row["matched_by"].startswith("models:") == vendors}


@pytest.fixture
def estate():
    with MicrosoftCloud() as cloud:
        arm_tenant.build(cloud)
        yield cloud


def test_every_ai_resource_is_matched_to_its_catalogue_service(db, catalogue, estate):
    scan(db, catalogue, estate)
    services = {location: row["service_id"] for location, row in findings(db).items()}
    assert services[OPENAI] == "azure-openai"
    assert services[f"{OPENAI}/deployments/gpt-4o-prod"] == "azure-openai"
    assert services[f"{OPENAI}/deployments/embeddings"] == "azure-openai"
    assert services[FOUNDRY] == services[f"{FOUNDRY}/deployments/mistral-large"] == "azure-ai-foundry"
    assert services[f"{FOUNDRY}/projects/support-bot"] == "azure-ai-foundry"
    assert services[SPEECH] == "azure-ai-speech"
    assert services[HUB] == services[f"{HUB}/onlineEndpoints/llama-endpoint/deployments/blue"] == "azure-ai-foundry"
    assert services[WORKSPACE] == services[f"{WORKSPACE}/serverlessEndpoints/phi-serverless"] == \
        "azure-machine-learning"
    assert services[SEARCH] == "azure-ai-search"
    assert {row["subject"] for row in findings(db).values()} == {f"azure:{SUB_A}"}


def test_a_deployment_keeps_its_model_version_sku_and_capacity(db, catalogue, estate):
    scan(db, catalogue, estate)
    evidence = findings(db)[f"{OPENAI}/deployments/gpt-4o-prod"]["evidence"]
    assert evidence["model"] == "gpt-4o" and evidence["model_version"] == "2024-11-20"
    assert evidence["sku"] == "GlobalStandard" and evidence["capacity"] == "450"
    assert evidence["region"] == "swedencentral" and evidence["parent"] == "contoso-openai"
    blue = findings(db)[f"{HUB}/onlineEndpoints/llama-endpoint/deployments/blue"]["evidence"]
    assert blue["model"] == "Llama-3.3-70B-Instruct" and blue["instance_type"] == "Standard_NC24ads_A100_v4"
    assert findings(db)[f"{WORKSPACE}/serverlessEndpoints/phi-serverless"]["evidence"]["model"] == "Phi-4"


def test_tokens_and_calls_per_deployment_come_from_azure_monitor_after_a_throttled_try(db, catalogue, estate):
    sleeps: list[float] = []
    result = scan(db, catalogue, estate, sleeps)
    tokens = findings(db)[f"{OPENAI}/deployments/gpt-4o-prod/metrics/TokenTransaction"]
    calls = findings(db)[f"{OPENAI}/deployments/gpt-4o-prod/metrics/AzureOpenAIRequests"]
    assert sleeps == [2.0] and result.counts["api_retries"] == 1
    # Calls are events (hits); tokens are an amount, kept in the evidence.
    assert (tokens["service_id"], tokens["hits"], calls["hits"]) == ("azure-openai", 1, 21)
    assert tokens["evidence"]["total"] == "2000"
    assert tokens["last_seen"] == "2025-06-03T00:00:00Z" and tokens["first_seen"] == "2025-06-03T00:00:00Z"
    assert tokens["evidence"]["model"] == "gpt-4o" and tokens["evidence"]["unit"] == "tokens"


def test_cost_per_resource_comes_from_cost_management(db, catalogue, estate):
    scan(db, catalogue, estate)
    cost = findings(db)[f"{OPENAI.lower()}/cost"]
    assert cost["service_id"] == "azure-openai" and cost["hits"] == 1  # the amount is evidence, not hits
    assert cost["evidence"]["cost"] == "412.31" and cost["evidence"]["currency"] == "EUR"
    assert f"{SPEECH.lower()}/cost" not in findings(db)  # no cost, no finding


def test_a_denied_subscription_is_a_coverage_gap_and_the_run_is_partial(db, catalogue, estate):
    result = scan(db, catalogue, estate)
    assert result.status == "partial"
    [denied] = [gap for gap in result.gaps if SUB_B in gap["what"]]
    assert denied["what"].startswith(f"subscription {SUB_B} (Finance): Microsoft.CognitiveServices/accounts, "
                                     "Microsoft.MachineLearningServices/workspaces")
    assert "HTTP 403 AuthorizationFailed" in denied["why"] and "Reader" in denied["why"]
    assert not [gap for gap in result.gaps if SUB_A in gap["what"]]
    assert result.counts["subscriptions"] == 2


def test_a_rescan_replaces_counts_instead_of_adding(db, catalogue, estate):
    scan(db, catalogue, estate)
    first = {location: row["hits"] for location, row in findings(db).items()}
    arm_tenant.build(estate, throttle_metrics=False)
    scan(db, catalogue, estate)
    assert {location: row["hits"] for location, row in findings(db).items()} == first


def test_only_the_named_subscriptions_are_read(db, catalogue, estate):
    result = scan(db, catalogue, estate, options=AzureOptions(subscriptions=(SUB_A,), usage=False, cost=False))
    assert result.status == "succeeded" and result.counts["subscriptions"] == 1
    assert estate.requests_to("/subscriptions") == []
    assert not [row for row in findings(db) if "/metrics/" in row or row.endswith("/cost")]


def test_refused_credentials_fail_the_run_without_reading_anything(db, catalogue, estate):
    result = scan(db, catalogue, estate, client_secret="expired-" + SECRET)
    assert result.status == "failed"
    assert "invalid_client" in result.gaps[0]["why"]
    assert db["findings"].count == 0


def test_a_record_without_an_id_is_a_counted_error_and_the_others_are_kept(db, catalogue, estate):
    arm_path = f"/subscriptions/{SUB_A}/providers/Microsoft.MachineLearningServices/workspaces"
    estate.arm_collection(arm_path, [{"name": "broken"}, arm_tenant.workspace(WORKSPACE, "Default")])
    result = scan(db, catalogue, estate, options=AzureOptions(subscriptions=(SUB_A,)))
    assert result.errors == 1
    assert WORKSPACE in findings(db) and HUB not in findings(db)


def test_a_stop_request_ends_the_run_as_interrupted(db, catalogue, estate):
    result = scan(db, catalogue, estate, stop=lambda: True)
    assert result.status == "interrupted"
    assert db["findings"].count == 0


def test_the_cli_never_stores_prints_or_logs_the_client_secret(tmp_path, monkeypatch, caplog, estate):
    caplog.set_level(logging.DEBUG)
    for name, value in estate.environment().items():
        monkeypatch.setenv(name, value)
    db_path = tmp_path / "inventory.db"
    result = shadowai("--verbose", "scan", "azure", "--db", db_path, *estate.cli_options())
    assert result.exit_code == 1, result.output  # partial: the second subscription is refused
    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("inventory.db"))
    assert b"azure-openai" in stored
    for secret in (SECRET, *estate.tokens.values()):
        assert secret.encode() not in stored
        assert secret not in result.output
        assert secret not in caplog.text
    assert "1 coverage gaps" in result.output and "AuthorizationFailed" in result.output


def test_an_authority_without_a_discovery_document_fails_the_run(db, catalogue, estate):
    result = scan(db, catalogue, estate, tenant_id="00000000-0000-0000-0000-000000000000")
    assert result.status == "failed" and "authority" in result.gaps[0]["why"]
    assert estate.token_requests == []

"""A model deployed in Azure is evidence of its vendor: `scan azure` against the local ARM adds, beside each
deployment's platform finding, a finding for the model vendor's service."""

from __future__ import annotations

from tests.modules.azure.arm_tenant import FOUNDRY, HUB, OPENAI, SUB_A, WORKSPACE
from tests.modules.azure.test_scan import estate, findings, scan  # noqa: F401 - the estate fixture

GPT_4O = f"{OPENAI}/deployments/gpt-4o-prod"


def test_a_gpt_4o_deployment_is_also_a_finding_for_openai(db, catalogue, estate):  # noqa: F811
    result = scan(db, catalogue, estate)

    vendor = findings(db, vendors=True)[GPT_4O]
    platform = findings(db)[GPT_4O]
    assert (vendor["service_id"], platform["service_id"]) == ("openai-api", "azure-openai")
    assert (vendor["source"], vendor["subject"]) == ("azure", f"azure:{SUB_A}")
    assert vendor["matched_by"] == "models:gpt-4o-*"
    assert vendor["evidence"] == {"via": "azure-openai", "model": "gpt-4o", "model_publisher": "OpenAI",
                                  "confidence": "high", "region": "swedencentral",
                                  "type": "Microsoft.CognitiveServices/accounts/deployments", "id": GPT_4O}
    assert result.counts["model_vendor_findings"] == len(findings(db, vendors=True))


def test_each_deployed_model_is_attributed_to_its_own_vendor(db, catalogue, estate):  # noqa: F811
    scan(db, catalogue, estate)

    vendors = {location: row["service_id"] for location, row in findings(db, vendors=True).items()
               if not location.endswith(("/metrics/TokenTransaction", "/metrics/AzureOpenAIRequests"))}
    assert vendors == {
        GPT_4O: "openai-api",
        f"{OPENAI}/deployments/embeddings": "openai-api",  # text-embedding-3-large
        # The name decides when the format says otherwise (the estate gives every deployment the format OpenAI).
        f"{FOUNDRY}/deployments/mistral-large": "mistral-api",
        f"{HUB}/onlineEndpoints/llama-endpoint/deployments/blue": "llama-api",  # registry azureml-meta
        # Phi-4 on the serverless endpoint: no catalogue service is Microsoft's model vendor, so nothing is added.
    }
    mistral = findings(db, vendors=True)[f"{FOUNDRY}/deployments/mistral-large"]["evidence"]
    assert (mistral["via"], mistral["confidence"]) == ("azure-ai-foundry", "medium")
    llama = findings(db, vendors=True)[f"{HUB}/onlineEndpoints/llama-endpoint/deployments/blue"]["evidence"]
    assert llama["model"] == "azureml://registries/azureml-meta/models/Llama-3.3-70B-Instruct/versions/4"
    assert llama["confidence"] == "high"
    assert f"{WORKSPACE}/serverlessEndpoints/phi-serverless" not in findings(db, vendors=True)


def test_azure_monitor_calls_per_deployment_carry_over_to_the_model_vendor(db, catalogue, estate):  # noqa: F811
    scan(db, catalogue, estate)

    calls = f"{GPT_4O}/metrics/AzureOpenAIRequests"
    vendor, platform = findings(db, vendors=True)[calls], findings(db)[calls]
    assert (vendor["service_id"], vendor["hits"]) == ("openai-api", platform["hits"]) == ("openai-api", 21)
    assert vendor["evidence"]["action"] == "AzureOpenAIRequests" and vendor["evidence"]["unit"] == "calls"

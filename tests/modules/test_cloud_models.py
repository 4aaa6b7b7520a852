"""The model vendor's finding beside a cloud platform's (scanner/modules/cloud_models.py): what a malformed model
field in a cloud API's answer does to it."""

import pytest

from scanner import observations as obs
from scanner.findings import match_observation
from scanner.modules.cloud_models import vendor_finding


def deployment(model) -> obs.CloudResource:
    """An Azure OpenAI deployment as the azure module observes it, with MODEL as the API gave the model's name."""
    account = "/subscriptions/s1/resourceGroups/ai/providers/Microsoft.CognitiveServices/accounts/oai"
    return obs.CloudResource(
        provider="azure", account="s1", region="swedencentral", service="Microsoft.CognitiveServices/accounts",
        type="Microsoft.CognitiveServices/accounts/deployments", id=f"{account}/deployments/prod", source="azure",
        location=f"{account}/deployments/prod", kind="OpenAI", model=model, ai_api=True,
        details=(("model_format", "OpenAI"),))


@pytest.mark.parametrize("model", [123, ["gpt-4o"], {"name": "gpt-4o"}, "   "])
def test_a_model_field_that_is_no_model_name_adds_no_vendor_finding_and_never_raises(catalogue, model):
    observation = deployment(model)
    platform = match_observation(observation, catalogue.matcher)
    assert platform is not None and platform.service_id == "azure-openai"  # the platform's finding stays

    assert vendor_finding(observation, platform, catalogue.matcher) is None


def test_the_same_deployment_naming_a_model_adds_the_vendors_finding(catalogue):
    observation = deployment("gpt-4o")
    platform = match_observation(observation, catalogue.matcher)

    vendor = vendor_finding(observation, platform, catalogue.matcher)

    assert (vendor.service_id, vendor.location, vendor.evidence["via"]) == ("openai-api", platform.location,
                                                                            "azure-openai")

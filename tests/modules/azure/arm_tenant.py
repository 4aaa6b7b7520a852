"""A small Azure estate served by the local ARM: two subscriptions, the second one refused to the scanner.

Shapes follow the ARM REST reference examples (Accounts_List, Deployments_List, Workspaces_ListBySubscription,
OnlineEndpoints_List, OnlineDeployments_List, ServerlessEndpoints_List, Resources_List, Metrics_List,
Query_Usage), lists split into pages linked by ``nextLink``.
"""

from __future__ import annotations

from typing import Any

from tests.support.microsoft_cloud import MicrosoftCloud, arm_error

SUB_A = "11111111-aaaa-4aaa-8aaa-111111111111"
SUB_B = "22222222-bbbb-4bbb-8bbb-222222222222"
RG = f"/subscriptions/{SUB_A}/resourceGroups/rg-ai"
OPENAI = f"{RG}/providers/Microsoft.CognitiveServices/accounts/contoso-openai"
FOUNDRY = f"{RG}/providers/Microsoft.CognitiveServices/accounts/contoso-foundry"
SPEECH = f"{RG}/providers/Microsoft.CognitiveServices/accounts/contoso-speech"
HUB = f"{RG}/providers/Microsoft.MachineLearningServices/workspaces/contoso-hub"
WORKSPACE = f"{RG}/providers/Microsoft.MachineLearningServices/workspaces/data-science"
SEARCH = f"{RG}/providers/Microsoft.Search/searchServices/contoso-search"
SYSTEM = {"createdBy": "dev@contoso.com", "createdByType": "User", "createdAt": "2025-03-01T09:00:00Z"}


def account(ident: str, kind: str, sku: str = "S0") -> dict[str, Any]:
    return {"id": ident, "name": ident.rsplit("/", 1)[-1], "type": "Microsoft.CognitiveServices/accounts",
            "kind": kind, "location": "swedencentral", "sku": {"name": sku}, "systemData": SYSTEM,
            "properties": {"endpoint": f"https://{ident.rsplit('/', 1)[-1]}.openai.azure.com/",
                           "provisioningState": "Succeeded", "publicNetworkAccess": "Enabled"}}


def deployment(parent: str, name: str, model: str, version: str, sku: str, capacity: int) -> dict[str, Any]:
    return {"id": f"{parent}/deployments/{name}", "name": name,
            "type": "Microsoft.CognitiveServices/accounts/deployments", "sku": {"name": sku, "capacity": capacity},
            "properties": {"model": {"format": "OpenAI", "name": model, "version": version},
                           "provisioningState": "Succeeded", "raiPolicyName": "Microsoft.DefaultV2"}}


def workspace(ident: str, kind: str) -> dict[str, Any]:
    return {"id": ident, "name": ident.rsplit("/", 1)[-1], "type": "Microsoft.MachineLearningServices/workspaces",
            "kind": kind, "location": "westeurope", "sku": {"name": "Basic", "tier": "Basic"},
            "properties": {"friendlyName": ident.rsplit("/", 1)[-1], "provisioningState": "Succeeded"}}


def metrics(request) -> tuple[int, dict, Any]:
    names = request.query["metricnames"][0].split(",")
    assert request.query["$filter"] == ["ModelDeploymentName eq '*'"]
    assert request.query["aggregation"] == ["Total"] and "/" in request.query["timespan"][0]
    series = {"TokenTransaction": {"gpt-4o-prod": [1200.0, 0.0, 800.0]}, "AzureOpenAIRequests": {"gpt-4o-prod": [12.0, 0.0, 9.0]}}
    value = []
    for name in names:
        value.append({
            "id": f"{OPENAI}/providers/Microsoft.Insights/metrics/{name}", "type": "Microsoft.Insights/metrics",
            "name": {"value": name, "localizedValue": name}, "unit": "Count", "errorCode": "Success",
            "timeseries": [{"metadatavalues": [{"name": {"value": "modeldeploymentname",
                                                         "localizedValue": "modeldeploymentname"}, "value": d}],
                            "data": [{"timeStamp": f"2025-06-0{day + 1}T00:00:00Z", "total": total}
                                     for day, total in enumerate(totals)]}
                           for d, totals in series[name].items()]})
    return 200, {}, {"cost": 0, "timespan": request.query["timespan"][0], "interval": "P1D", "value": value,
                     "namespace": "Microsoft.CognitiveServices/accounts", "resourceregion": "swedencentral"}


def build(cloud: MicrosoftCloud, *, throttle_metrics: bool = True) -> None:
    cloud.arm_collection("/subscriptions", [
        {"id": f"/subscriptions/{SUB_A}", "subscriptionId": SUB_A, "displayName": "AI Platform", "state": "Enabled",
         "tenantId": cloud.tenant},
        {"id": f"/subscriptions/{SUB_B}", "subscriptionId": SUB_B, "displayName": "Finance", "state": "Enabled",
         "tenantId": cloud.tenant},
    ], page_size=1, api_version="2022-12-01")
    cloud.arm_collection(f"/subscriptions/{SUB_A}/providers/Microsoft.CognitiveServices/accounts", [
        account(OPENAI, "OpenAI"), account(FOUNDRY, "AIServices"), account(SPEECH, "SpeechServices"),
    ], page_size=2, api_version="2025-06-01")
    cloud.arm_collection(f"{OPENAI}/deployments", [
        deployment(OPENAI, "gpt-4o-prod", "gpt-4o", "2024-11-20", "GlobalStandard", 450),
        deployment(OPENAI, "embeddings", "text-embedding-3-large", "1", "Standard", 120),
    ], page_size=1, api_version="2025-06-01")
    cloud.arm_collection(f"{FOUNDRY}/deployments", [
        deployment(FOUNDRY, "mistral-large", "Mistral-Large-2411", "2", "GlobalStandard", 1),
    ], api_version="2025-06-01")
    cloud.arm_collection(f"{SPEECH}/deployments", [], api_version="2025-06-01")
    cloud.arm_collection(f"{FOUNDRY}/projects", [
        {"id": f"{FOUNDRY}/projects/support-bot", "name": "contoso-foundry/support-bot",
         "type": "Microsoft.CognitiveServices/accounts/projects", "location": "swedencentral",
         "properties": {"displayName": "Support bot", "provisioningState": "Succeeded"}},
    ], api_version="2025-06-01")
    cloud.arm_collection(f"/subscriptions/{SUB_A}/providers/Microsoft.MachineLearningServices/workspaces", [
        workspace(HUB, "Hub"), workspace(WORKSPACE, "Default"),
    ], api_version="2024-10-01")
    cloud.arm_collection(f"{HUB}/onlineEndpoints", [
        {"id": f"{HUB}/onlineEndpoints/llama-endpoint", "name": "llama-endpoint", "location": "westeurope",
         "type": "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
         "properties": {"authMode": "Key", "provisioningState": "Succeeded"}},
    ], api_version="2024-10-01")
    cloud.arm_collection(f"{HUB}/onlineEndpoints/llama-endpoint/deployments", [
        {"id": f"{HUB}/onlineEndpoints/llama-endpoint/deployments/blue", "name": "blue", "location": "westeurope",
         "type": "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
         "sku": {"name": "Default", "capacity": 1},
         "properties": {"model": "azureml://registries/azureml-meta/models/Llama-3.3-70B-Instruct/versions/4",
                        "instanceType": "Standard_NC24ads_A100_v4", "endpointComputeType": "Managed"}},
    ], api_version="2024-10-01")
    cloud.arm_collection(f"{HUB}/serverlessEndpoints", [], api_version="2024-10-01")
    cloud.arm_collection(f"{WORKSPACE}/onlineEndpoints", [], api_version="2024-10-01")
    cloud.arm_collection(f"{WORKSPACE}/serverlessEndpoints", [
        {"id": f"{WORKSPACE}/serverlessEndpoints/phi-serverless", "name": "phi-serverless", "location": "westeurope",
         "type": "Microsoft.MachineLearningServices/workspaces/serverlessEndpoints", "sku": {"name": "Consumption"},
         "properties": {"authMode": "Key",
                        "modelSettings": {"modelId": "azureml://registries/azureml/models/Phi-4/versions/7"}}},
    ], api_version="2024-10-01")

    def resources(request):
        wanted = request.query.get("$filter", [""])[0]
        items = [{"id": SEARCH, "name": "contoso-search", "type": "Microsoft.Search/searchServices",
                  "location": "swedencentral", "sku": {"name": "standard"}}]
        return 200, {}, {"value": [item for item in items if f"'{item['type']}'" in wanted]}
    cloud.arm("GET", f"/subscriptions/{SUB_A}/resources", resources)

    answers: list = [(429, {"Retry-After": "2"}, {"error": {"code": "TooManyRequests", "message": "Throttled"}})] \
        if throttle_metrics else []

    def metrics_once(request):
        return answers.pop(0) if answers else metrics(request)
    cloud.arm("GET", f"{OPENAI}/providers/Microsoft.Insights/metrics", metrics_once)
    cloud.arm("GET", f"{FOUNDRY}/providers/Microsoft.Insights/metrics", lambda r: (200, {}, {"value": []}))

    def cost(request):
        body = request.json()
        assert body["type"] == "ActualCost" and body["dataset"]["grouping"] == [{"type": "Dimension",
                                                                                 "name": "ResourceId"}]
        assert "microsoft.cognitiveservices/accounts" in body["dataset"]["filter"]["dimensions"]["values"]
        return 200, {}, {"id": "q", "name": "q", "type": "Microsoft.CostManagement/query", "properties": {
            "nextLink": None,
            "columns": [{"name": "Cost", "type": "Number"}, {"name": "ResourceId", "type": "String"},
                        {"name": "Currency", "type": "String"}],
            "rows": [[412.3071, OPENAI.lower(), "EUR"], [0.0, SPEECH.lower(), "EUR"]]}}
    cloud.arm("POST", f"/subscriptions/{SUB_A}/providers/Microsoft.CostManagement/query", cost)

    denied = arm_error(403, "AuthorizationFailed", f"The client does not have authorization to perform action "
                                                   f"over scope '/subscriptions/{SUB_B}'")
    for path in (f"/subscriptions/{SUB_B}/providers/Microsoft.CognitiveServices/accounts",
                 f"/subscriptions/{SUB_B}/providers/Microsoft.MachineLearningServices/workspaces",
                 f"/subscriptions/{SUB_B}/resources"):
        cloud.arm("GET", path, lambda r: denied)

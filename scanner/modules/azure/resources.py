"""What exists in an Azure subscription, read from Azure Resource Manager, as ``CloudResource`` observations.

- Subscriptions: ``GET /subscriptions`` (api-version 2022-12-01): every subscription the identity can read.
- Cognitive Services / AI Services accounts: ``GET /subscriptions/{id}/providers/Microsoft.CognitiveServices/
  accounts`` with their ``kind`` (OpenAI, AIServices, SpeechServices, FormRecognizer…), then per account
  ``…/deployments`` (model name, format and version, SKU and capacity) and, for AI Services (Foundry)
  accounts, ``…/projects`` (api-version 2025-06-01).
- Azure Machine Learning workspaces: ``…/Microsoft.MachineLearningServices/workspaces`` — ``kind`` Default, Hub
  (an AI Foundry hub) or Project (an AI Foundry hub-based project) — then per workspace ``onlineEndpoints``
  with their ``deployments`` (model asset, instance type, SKU) and ``serverlessEndpoints`` (the catalogue model
  it serves) (api-version 2024-10-01).
- Every other resource type the catalogue names for Azure (AI Search, Bot Service, Video Indexer, Health Bot,
  Security Copilot…): ``GET /subscriptions/{id}/resources?$filter=resourceType eq '…'`` (api-version 2021-04-01).

A child resource (a deployment, an endpoint, a project) names its parent's type as ``service`` and the parent's
kind as ``kind``, so that it is attributed to the same catalogue service as its parent (an OpenAI account's
deployment to Azure OpenAI, a hub's endpoint to AI Foundry). Each observation's ``location`` is the resource's
own ARM id: one finding per resource, whose evidence keeps its model and SKU. Every resource read here is an AI
resource (``ai_api``): one whose type or kind the catalogue lacks (a new Cognitive Services kind) is recorded as
``unknown-cloud-ai`` rather than dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

from scanner import observations as obs
from scanner.clients.microsoft import MicrosoftClient
from scanner.modules.api_scan import details

if TYPE_CHECKING:
    from scanner.catalogue.loader import Catalogue

SOURCE = "azure"
SUBSCRIPTIONS_API = "2022-12-01"
COGNITIVE_API = "2025-06-01"
ML_API = "2024-10-01"
RESOURCES_API = "2021-04-01"

COGNITIVE = "Microsoft.CognitiveServices/accounts"
ML_WORKSPACES = "Microsoft.MachineLearningServices/workspaces"
DEDICATED = {COGNITIVE.lower(), ML_WORKSPACES.lower()}  # read with their own provider APIs, children included
ACCOUNTS_WITH_PROJECTS = {"aiservices"}
READABLE_STATES = {"enabled", "warned", "pastdue"}


@dataclass(frozen=True)
class Subscription:
    id: str
    name: str | None = None
    state: str | None = None

    @property
    def readable(self) -> bool:
        return self.state is None or self.state.lower() in READABLE_STATES

    @property
    def label(self) -> str:
        return f"subscription {self.id}" + (f" ({self.name})" if self.name else "")


@dataclass(frozen=True)
class Parent:
    """What a child resource needs of its parent: where it is and what it is."""
    id: str
    type: str
    kind: str | None
    region: str


Stop = Callable[[], bool] | None


def subscriptions(client: MicrosoftClient, stop: Stop = None) -> Iterator[Subscription]:
    for item in client.arm_pages("/subscriptions", SUBSCRIPTIONS_API, stop=stop):
        ident = item.get("subscriptionId") or str(item.get("id", "")).rsplit("/", 1)[-1]
        if ident:
            yield Subscription(ident, item.get("displayName"), item.get("state"))


def region_of(item: dict[str, Any], default: str = "global") -> str:
    return str(item.get("location") or default).replace(" ", "").lower()


def resource_group(resource_id: str) -> str | None:
    parts = resource_id.split("/")
    for index, part in enumerate(parts[:-1]):
        if part.lower() == "resourcegroups":
            return parts[index + 1]
    return None


def sku_of(item: dict[str, Any]) -> tuple[str | None, Any]:
    sku = item.get("sku") if isinstance(item.get("sku"), dict) else {}
    return sku.get("name"), sku.get("capacity")


def created(item: dict[str, Any]) -> str | None:
    system = item.get("systemData") if isinstance(item.get("systemData"), dict) else {}
    return system.get("createdAt")


def top_level(subscription: Subscription, item: dict[str, Any], extra: dict[str, Any] | None = None
              ) -> obs.CloudResource:
    ident = str(item["id"])
    resource_type = str(item.get("type") or "")
    sku, capacity = sku_of(item)
    return obs.CloudResource(
        provider="azure", account=subscription.id, region=region_of(item), service=resource_type,
        type=resource_type, id=ident, source=SOURCE, location=ident, kind=item.get("kind") or None, ai_api=True,
        details=details(name=item.get("name"), kind=item.get("kind"), resource_group=resource_group(ident),
                        sku=sku, capacity=capacity, created=created(item), **(extra or {})))


def child(subscription: Subscription, parent: Parent, item: dict[str, Any], *, model: str | None = None,
          extra: dict[str, Any] | None = None) -> obs.CloudResource:
    ident = str(item["id"])
    sku, capacity = sku_of(item)
    return obs.CloudResource(
        provider="azure", account=subscription.id, region=region_of(item, parent.region), service=parent.type,
        type=str(item.get("type") or ""), id=ident, source=SOURCE, location=ident, kind=parent.kind, model=model,
        ai_api=True, details=details(name=item.get("name"), parent=parent.id.rsplit("/", 1)[-1], parent_kind=parent.kind,
                        resource_group=resource_group(ident), sku=sku, capacity=capacity, created=created(item),
                        **(extra or {})))


def parent_of(resource: obs.CloudResource) -> Parent:
    return Parent(resource.id, resource.type, resource.kind, resource.region)


class SubscriptionReader:
    """The readers of one subscription. A record that cannot be understood (no id) is handed to ``on_bad`` and
    skipped; the records around it are kept. ``stop`` is asked between pages."""

    def __init__(self, client: MicrosoftClient, subscription: Subscription, *, stop: Stop = None,
                 on_bad: Callable[[str, str], None] = lambda where, why: None) -> None:
        self.client = client
        self.subscription = subscription
        self.stop = stop
        self.on_bad = on_bad

    def items(self, path: str, api_version: str, params: dict[str, str] | None = None
              ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(item, its properties) for each well-formed item of an ARM list."""
        for item in self.client.arm_pages(path, api_version, params, stop=self.stop):
            if not isinstance(item.get("id"), str) or not item["id"].startswith("/"):
                self.on_bad(path, f"an item without a resource id (name {str(item.get('name'))[:80]!r})")
                continue
            properties = item.get("properties")
            yield item, properties if isinstance(properties, dict) else {}

    # --- Cognitive Services / AI Services / AI Foundry accounts ------------------------------------------------
    def cognitive_accounts(self) -> Iterator[obs.CloudResource]:
        path = f"/subscriptions/{self.subscription.id}/providers/{COGNITIVE}"
        for item, properties in self.items(path, COGNITIVE_API):
            yield top_level(self.subscription, item, {"endpoint": properties.get("endpoint"),
                                                      "public_network_access": properties.get("publicNetworkAccess")})

    def deployments(self, account: Parent) -> Iterator[obs.CloudResource]:
        for item, properties in self.items(f"{account.id}/deployments", COGNITIVE_API):
            model = properties.get("model") if isinstance(properties.get("model"), dict) else {}
            yield child(self.subscription, account, item, model=model.get("name"),
                        extra={"model_format": model.get("format"), "model_version": model.get("version"),
                               "rai_policy": properties.get("raiPolicyName")})

    def account_projects(self, account: Parent) -> Iterator[obs.CloudResource]:
        for item, properties in self.items(f"{account.id}/projects", COGNITIVE_API):
            yield child(self.subscription, account, item, extra={"display_name": properties.get("displayName")})

    # --- Azure Machine Learning workspaces, AI Foundry hubs and projects ---------------------------------------
    def ml_workspaces(self) -> Iterator[obs.CloudResource]:
        path = f"/subscriptions/{self.subscription.id}/providers/{ML_WORKSPACES}"
        for item, properties in self.items(path, ML_API):
            hub = properties.get("hubResourceId")
            yield top_level(self.subscription, item, {"hub": hub.rsplit("/", 1)[-1] if isinstance(hub, str) else None,
                                                      "friendly_name": properties.get("friendlyName")})

    def online_endpoints(self, workspace: Parent) -> Iterator[tuple[obs.CloudResource, Parent]]:
        """Each online endpoint, with what its deployments need to name it as their parent."""
        for item, properties in self.items(f"{workspace.id}/onlineEndpoints", ML_API):
            endpoint = child(self.subscription, workspace, item,
                             extra={"auth_mode": properties.get("authMode"), "compute": properties.get("compute")})
            yield endpoint, Parent(endpoint.id, workspace.type, workspace.kind, endpoint.region)

    def online_deployments(self, endpoint: Parent) -> Iterator[obs.CloudResource]:
        for item, properties in self.items(f"{endpoint.id}/deployments", ML_API):
            yield child(self.subscription, endpoint, item, model=model_asset_name(properties.get("model")),
                        extra={"model_asset": properties.get("model"), "instance_type": properties.get("instanceType"),
                               "compute_type": properties.get("endpointComputeType")})

    def serverless_endpoints(self, workspace: Parent) -> Iterator[obs.CloudResource]:
        for item, properties in self.items(f"{workspace.id}/serverlessEndpoints", ML_API):
            settings = properties.get("modelSettings") if isinstance(properties.get("modelSettings"), dict) else {}
            yield child(self.subscription, workspace, item, model=model_asset_name(settings.get("modelId")),
                        extra={"model_asset": settings.get("modelId"), "auth_mode": properties.get("authMode")})

    # --- every other catalogue type ----------------------------------------------------------------------------
    def resources_of_type(self, resource_type: str) -> Iterator[obs.CloudResource]:
        params = {"$filter": f"resourceType eq '{resource_type}'"}
        for item, _ in self.items(f"/subscriptions/{self.subscription.id}/resources", RESOURCES_API, params):
            yield top_level(self.subscription, item)


def has_projects(account: Parent) -> bool:
    return (account.kind or "").lower() in ACCOUNTS_WITH_PROJECTS


def model_asset_name(asset: Any) -> str | None:
    """'azureml://registries/azureml-meta/models/Llama-2-7b-chat/versions/24' -> 'Llama-2-7b-chat'."""
    if not isinstance(asset, str) or not asset:
        return None
    parts = asset.rstrip("/").split("/")
    if "models" in parts:
        index = parts.index("models")
        if index + 1 < len(parts):
            return parts[index + 1]
    return parts[-1]


# --- every other catalogue type ------------------------------------------------------------------------------------
def catalogue_types(catalogue: "Catalogue") -> list[str]:
    """Resource types the catalogue names for Azure that have no dedicated reader here, e.g. Microsoft.Search/
    searchServices: a service added to the catalogue is found without a code change."""
    found: dict[str, str] = {}
    for service in catalogue.services.values():
        for identifier in service.detection.get("cloud", {}).get("azure", ()):
            resource_type = identifier.split(":", 1)[0]
            if resource_type.lower() not in DEDICATED:
                found.setdefault(resource_type.lower(), resource_type)
    return sorted(found.values(), key=str.lower)


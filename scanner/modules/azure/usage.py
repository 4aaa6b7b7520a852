"""How much the Azure AI resources were used and what they cost, as ``CloudActivity`` observations.

- Azure Monitor platform metrics of a Cognitive Services / AI Services account
  (``GET {account}/providers/Microsoft.Insights/metrics``, api-version 2023-10-01): ``TokenTransaction``
  (processed inference tokens) and ``AzureOpenAIRequests`` (calls), daily totals over the window, split by the
  ``ModelDeploymentName`` dimension: one activity per deployment and metric, its count the window's total, its
  time the last day with use. Needs ``Microsoft.Insights/metrics/read`` (Monitoring Reader, or Reader).
- Cost Management (``POST /subscriptions/{id}/providers/Microsoft.CostManagement/query``, api-version
  2023-11-01): actual cost over the window grouped by resource, for the resource types the scan found. Needs
  Cost Management Reader; a subscription without cost data (some offers) answers with an error, a coverage gap.
  The count of a cost activity is the cost rounded up to whole currency units; the exact figure and the
  currency are in its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from scanner import observations as obs
from scanner.clients.http import ApiUnavailable
from scanner.clients.microsoft import MicrosoftClient
from scanner.modules.api_scan import details
from scanner.modules.azure.resources import SOURCE, Parent, Subscription

METRICS_API = "2023-10-01"
COST_API = "2023-11-01"
TOKENS = "TokenTransaction"
CALLS = "AzureOpenAIRequests"
UNITS = {TOKENS: "tokens", CALLS: "calls"}
DEPLOYMENT_DIMENSION = "ModelDeploymentName"
MAX_COST_PAGES = 50


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @classmethod
    def last(cls, days: int, now: datetime | None = None) -> "Window":
        end = (now or datetime.now(timezone.utc)).replace(minute=0, second=0, microsecond=0)
        return cls(end - timedelta(days=days), end)

    @property
    def days(self) -> int:
        return max(1, round((self.end - self.start).total_seconds() / 86400))

    @property
    def iso(self) -> str:
        return f"{stamp(self.start)}/{stamp(self.end)}"

    @property
    def label(self) -> str:
        return f"P{self.days}D"


def stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def service_of(parent: Parent) -> str:
    """The catalogue identifier activity of this account is attributed to: 'Microsoft.CognitiveServices/accounts:OpenAI'."""
    return f"{parent.type}:{parent.kind}" if parent.kind else parent.type


def deployment_metrics(client: MicrosoftClient, subscription: Subscription, account: Parent, window: Window,
                       models: dict[str, str | None]) -> list[obs.CloudActivity]:
    """Tokens and calls per deployment of one account. ``models``: deployment name -> model, for the evidence."""
    body = client.get_json(client.arm_url(f"{account.id}/providers/Microsoft.Insights/metrics"),
                           scope=client.endpoints.arm_scope, params={
                               "api-version": METRICS_API, "metricnames": f"{TOKENS},{CALLS}",
                               "timespan": window.iso, "interval": "P1D", "aggregation": "Total",
                               "$filter": f"{DEPLOYMENT_DIMENSION} eq '*'", "top": "1000"})
    found = []
    for metric in body.get("value") or []:
        name = ((metric.get("name") or {}).get("value") or "") if isinstance(metric, dict) else ""
        if name not in UNITS:
            continue
        if metric.get("errorCode") not in (None, "", "Success"):
            raise ApiUnavailable(f"metric {name} of {account.id}: {metric.get('errorCode')} "
                                 f"{str(metric.get('errorMessage') or '')[:120]}".rstrip())
        for series in metric.get("timeseries") or []:
            deployment = dimension(series, DEPLOYMENT_DIMENSION)
            total, latest = summed(series)
            if not deployment or total <= 0:
                continue
            found.append(obs.CloudActivity(
                provider="azure", account=subscription.id, principal=f"azure:{subscription.id}",
                # Hits count events: calls are events, tokens are an amount (kept in the evidence, not as hits).
                service=service_of(account), action=name, count=total if name == CALLS else 1,
                window=window.label, source=SOURCE,
                location=f"{account.id}/deployments/{deployment}/metrics/{name}", timestamp=latest,
                details=details(deployment=deployment, model=models.get(deployment), unit=UNITS[name],
                                total=str(total), metric_source="Azure Monitor")))
    return found


def dimension(series: dict[str, Any], name: str) -> str | None:
    for entry in series.get("metadatavalues") or []:
        if ((entry.get("name") or {}).get("value") or "").lower() == name.lower():
            return entry.get("value")
    return None


def summed(series: dict[str, Any]) -> tuple[int, str | None]:
    """The series' total and the time stamp of its last point with use."""
    total, latest = 0.0, None
    for point in series.get("data") or []:
        value = point.get("total")
        if isinstance(value, (int, float)) and value > 0:
            total += value
            stamp_ = point.get("timeStamp")
            if isinstance(stamp_, str) and (latest is None or stamp_ > latest):
                latest = stamp_
    return int(round(total)), normalise_time(latest)


def normalise_time(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return stamp(moment)


def cost_rows(client: MicrosoftClient, subscription: Subscription, resource_types: list[str], window: Window
              ) -> Iterator[dict[str, Any]]:
    """Rows of the Cost Management query as dicts keyed by column name, page after page (``properties.nextLink``)."""
    body = {
        "type": "ActualCost", "timeframe": "Custom",
        "timePeriod": {"from": stamp(window.start), "to": stamp(window.end)},
        "dataset": {
            "granularity": "None",
            "aggregation": {"totalCost": {"name": "Cost", "function": "Sum"}},
            "grouping": [{"type": "Dimension", "name": "ResourceId"}],
            "filter": {"dimensions": {"name": "ResourceType", "operator": "In",
                                      "values": sorted({t.lower() for t in resource_types})}},
        },
    }
    url: str | None = f"/subscriptions/{subscription.id}/providers/Microsoft.CostManagement/query"
    version: str | None = COST_API
    for _ in range(MAX_COST_PAGES):
        answer = client.arm_post(url, version, body)
        properties = answer.get("properties") if isinstance(answer.get("properties"), dict) else {}
        columns = [str(column.get("name")) for column in properties.get("columns") or [] if isinstance(column, dict)]
        for row in properties.get("rows") or []:
            if isinstance(row, list) and len(row) == len(columns):
                yield dict(zip(columns, row))
        url, version = properties.get("nextLink") or None, None  # the next link carries the api-version
        if not url:
            return


def costs(client: MicrosoftClient, subscription: Subscription, resource_types: list[str], window: Window,
          services: dict[str, str]) -> list[obs.CloudActivity]:
    """One activity per resource with a cost. ``services``: lower-case resource id -> catalogue identifier (Cost
    Management answers with lower-case ids)."""
    found = []
    for row in cost_rows(client, subscription, resource_types, window):
        cost = next((row[name] for name in ("Cost", "totalCost", "PreTaxCost", "CostUSD") if name in row), None)
        resource_id = str(row.get("ResourceId") or "")
        if not isinstance(cost, (int, float)) or cost <= 0 or not resource_id:
            continue
        service = services.get(resource_id.lower()) or resource_type_of(resource_id)
        if not service:
            continue
        currency = str(row.get("Currency") or "")
        found.append(obs.CloudActivity(
            provider="azure", account=subscription.id, principal=f"azure:{subscription.id}", service=service,
            action="cost", count=1, window=window.label, source=SOURCE,  # the amount is evidence, not hits
            location=f"{resource_id}/cost", details=details(cost=f"{cost:.2f}", currency=currency,
                                                            cost_source="Cost Management")))
    return found


def resource_type_of(resource_id: str) -> str | None:
    """'/subscriptions/s/resourcegroups/rg/providers/microsoft.search/searchservices/x' -> 'microsoft.search/searchservices'."""
    parts = resource_id.strip("/").split("/")
    lowered = [part.lower() for part in parts]
    if "providers" not in lowered:
        return None
    index = len(lowered) - 1 - lowered[::-1].index("providers")
    rest = parts[index + 1:]
    if len(rest) < 3:
        return None
    return f"{rest[0]}/{rest[1]}"

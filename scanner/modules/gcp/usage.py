"""How much the AI APIs were used, from Cloud Monitoring (``v3/projects/P/timeSeries``), over the last 30 days.

Two metrics, each summed over the window (ALIGN_SUM per series, REDUCE_SUM across series, one alignment period
as long as the window):

- ``serviceruntime.googleapis.com/api/request_count`` on ``consumed_api``, grouped by service and
  ``credential_id`` (``serviceaccount:…``, ``apikey:…`` — an id, never a key): who called which AI API.
- ``aiplatform.googleapis.com/publisher/online_serving/model_invocation_count`` on
  ``aiplatform.googleapis.com/PublisherModel``, grouped by publisher, model and location: which Gemini or
  partner models (Anthropic, Meta, Mistral…) were invoked through Vertex AI. The model
  (``publishers/P/models/M``) is kept as the ``model`` detail: evidence of the model's vendor as well.

Reading metrics needs ``monitoring.timeSeries.list`` in the project; a denial is a coverage gap of the caller.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from scanner import observations as obs
from scanner.clients.google import GoogleClient
from scanner.modules.gcp.resources import SOURCE, VERTEX, Project

WINDOW_DAYS = 30
API_REQUESTS = "serviceruntime.googleapis.com/api/request_count"
MODEL_INVOCATIONS = "aiplatform.googleapis.com/publisher/online_serving/model_invocation_count"


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def time_series(client: GoogleClient, project: Project, metric_filter: str, group_by: list[str],
                now: datetime) -> list[dict[str, Any]]:
    window = timedelta(days=WINDOW_DAYS)
    params = {
        "filter": metric_filter,
        "interval.startTime": rfc3339(now - window),
        "interval.endTime": rfc3339(now),
        "aggregation.alignmentPeriod": f"{int(window.total_seconds())}s",
        "aggregation.perSeriesAligner": "ALIGN_SUM",
        "aggregation.crossSeriesReducer": "REDUCE_SUM",
        "aggregation.groupByFields": group_by,
        "pageSize": 1000,
    }
    return list(client.items("monitoring", f"v3/projects/{project.id}/timeSeries", "timeSeries", params))


def total(series: dict[str, Any]) -> tuple[int, str | None]:
    """Sum of the points' values and the latest point's end time."""
    count, latest = 0, None
    for point in series.get("points") or []:
        value = point.get("value") or {}
        raw = value.get("int64Value", value.get("doubleValue", 0))
        try:
            count += int(float(raw))
        except (TypeError, ValueError):
            continue
        end = (point.get("interval") or {}).get("endTime")
        if end and (latest is None or end > latest):
            latest = end
    return count, latest


def api_requests(client: GoogleClient, project: Project, services: list[str],
                 now: datetime) -> list[obs.CloudActivity]:
    if not services:
        return []
    names = ", ".join(f'"{service}"' for service in sorted(services))
    metric_filter = (f'metric.type = "{API_REQUESTS}" AND resource.type = "consumed_api" '
                     f'AND resource.labels.service = one_of({names})')
    found = []
    for series in time_series(client, project, metric_filter,
                              ["resource.labels.service", "resource.labels.credential_id"], now):
        labels = (series.get("resource") or {}).get("labels") or {}
        count, latest = total(series)
        if count <= 0 or not labels.get("service"):
            continue
        found.append(obs.CloudActivity(provider="gcp", account=project.id,
                                       principal=labels.get("credential_id") or "unknown",
                                       service=labels["service"], action="api/request_count", count=count,
                                       window=f"{WINDOW_DAYS}d", source=SOURCE, location=f"projects/{project.id}",
                                       timestamp=latest))
    return found


def model_invocations(client: GoogleClient, project: Project, now: datetime) -> list[obs.CloudActivity]:
    metric_filter = (f'metric.type = "{MODEL_INVOCATIONS}" '
                     f'AND resource.type = "aiplatform.googleapis.com/PublisherModel"')
    found = []
    for series in time_series(client, project, metric_filter,
                              ["resource.labels.publisher", "resource.labels.model_user_id",
                               "resource.labels.location"], now):
        labels = (series.get("resource") or {}).get("labels") or {}
        count, latest = total(series)
        model = labels.get("model_user_id")
        if count <= 0 or not model:
            continue
        publisher = labels.get("publisher") or "google"
        region = labels.get("location") or "global"
        found.append(obs.CloudActivity(
            provider="gcp", account=project.id, principal=f"gcp:{project.id}", service=VERTEX,
            action=f"model_invocation publishers/{publisher}/models/{model}", count=count, window=f"{WINDOW_DAYS}d",
            source=SOURCE, location=f"projects/{project.id}/locations/{region}/publishers/{publisher}/models/{model}",
            timestamp=latest, details=(("model", f"publishers/{publisher}/models/{model}"),)))
    return found

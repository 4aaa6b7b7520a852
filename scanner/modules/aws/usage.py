"""How AI services are used: Bedrock model invocations from CloudTrail, and spend per AI service from Cost Explorer.

- CloudTrail ``LookupEvents`` (the event history every account has, 90 days, per region) filtered on
  ``EventSource = bedrock.amazonaws.com``. Bedrock logs ``InvokeModel``, ``Converse`` and their streaming forms as
  management events; each event's ``CloudTrailEvent`` JSON names the caller (``userIdentity.arn``) and the model
  (``requestParameters.modelId``, an id or an ARN). Counted per principal, model and action. LookupEvents answers
  two calls a second per account and region, so a region with more than ``max_events`` Bedrock events is read
  only back to where the limit stopped it, and that is recorded as a coverage gap with the time reached.
- Cost Explorer ``GetCostAndUsage`` (30 days, monthly, ``UnblendedCost``, grouped by SERVICE and LINKED_ACCOUNT),
  called once with the caller's credentials: from an organisation's management account it covers every member
  account. Services are named as on the bill (``Amazon Bedrock``, ``Claude 3.5 Sonnet (Amazon Bedrock
  Edition)``); ``SPEND_SERVICES`` maps the AI ones to the catalogue's AWS identifiers, other lines are skipped.
  A ``… (Amazon Bedrock Edition)`` line names its model, which makes it evidence of the model's vendor as well
  (``scanner.modules.cloud_models``). Each request costs USD 0.01.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable

from scanner import observations as obs
from scanner.clients.aws import AwsAccount
from scanner.modules.aws.resources import SOURCE, model_id

TRAIL_DAYS = 90
COST_DAYS = 30
BEDROCK_SOURCE = "bedrock.amazonaws.com"
INVOCATIONS = frozenset({
    "InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream",
    "InvokeModelWithBidirectionalStream", "StartAsyncInvoke",
})
# Cost Explorer SERVICE names of AI services → CloudTrail event-source prefix (the catalogue's aws identifier).
SPEND_SERVICES = {
    "Amazon Bedrock": "bedrock",
    "Amazon Bedrock AgentCore": "bedrock-agentcore",
    "Amazon SageMaker": "sagemaker",
    "Amazon Comprehend": "comprehend",
    "Amazon Comprehend Medical": "comprehendmedical",
    "Amazon Rekognition": "rekognition",
    "Amazon Textract": "textract",
    "Amazon Transcribe": "transcribe",
    "Amazon Translate": "translate",
    "Amazon Polly": "polly",
    "Amazon Lex": "lex",
    "Amazon Kendra": "kendra",
    "Amazon Q": "qbusiness",
    "Amazon Q Business": "qbusiness",
    "Amazon Personalize": "personalize",
    "Amazon Forecast": "forecast",
    "Amazon Fraud Detector": "frauddetector",
    "Amazon DevOps Guru": "devops-guru",
    "Amazon CodeGuru": "codeguru-reviewer",
    "Amazon Lookout for Equipment": "lookoutequipment",
}
BEDROCK_EDITION = "(Amazon Bedrock Edition)"  # third-party models sold through Bedrock appear as their own lines


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Invocations:
    count: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def add(self, when: datetime | None) -> None:
        self.count += 1
        if when is not None:
            self.first = when if self.first is None or when < self.first else self.first
            self.last = when if self.last is None or when > self.last else self.last


@dataclass
class TrailResult:
    observations: list[obs.CloudActivity]
    events: int
    truncated_at: datetime | None  # the oldest event read when max_events stopped the read


def principal_of(record: dict[str, Any], fallback: str | None) -> str:
    identity = record.get("userIdentity") or {}
    return identity.get("arn") or identity.get("principalId") or fallback or "unknown"


def bedrock_invocations(account: AwsAccount, region: str, now: datetime, *, max_events: int,
                        stop: Callable[[], bool] = lambda: False) -> TrailResult:
    """Bedrock model invocations in one region over the last TRAIL_DAYS, per principal, model and action."""
    counts: dict[tuple[str, str, str], Invocations] = defaultdict(Invocations)
    events = 0
    oldest: datetime | None = None
    truncated = False
    for page in account.pages("cloudtrail", "LookupEvents", region,
                              LookupAttributes=[{"AttributeKey": "EventSource", "AttributeValue": BEDROCK_SOURCE}],
                              StartTime=now - timedelta(days=TRAIL_DAYS), EndTime=now):
        for event in page.get("Events") or []:
            events += 1
            when = event.get("EventTime")
            if isinstance(when, datetime):
                oldest = when if oldest is None or when < oldest else oldest
            name = event.get("EventName") or ""
            if name not in INVOCATIONS:
                continue
            try:
                record = json.loads(event.get("CloudTrailEvent") or "{}")
            except ValueError:
                record = {}
            parameters = record.get("requestParameters") or {}
            model = model_id(parameters.get("modelId")) or "unknown-model"
            counts[(principal_of(record, event.get("Username")), model, name)].add(
                when if isinstance(when, datetime) else None)
        if events >= max_events:
            truncated = True
            break
        if stop():
            break
    found = []
    for (principal, model, action), seen in sorted(counts.items()):
        details = [("model", model), ("region", region)]
        if seen.first:
            details.append(("first_event", iso(seen.first)))
        found.append(obs.CloudActivity(
            provider="aws", account=account.id, principal=principal, service="bedrock", action=action,
            count=seen.count, window=f"{TRAIL_DAYS}d", source=SOURCE,
            location=f"aws/{account.id}/{region}/bedrock/{model}",
            timestamp=iso(seen.last) if seen.last else None, details=tuple(details),
        ))
    return TrailResult(found, events, oldest if truncated else None)


def spend_service(name: str) -> str | None:
    if name in SPEND_SERVICES:
        return SPEND_SERVICES[name]
    return "bedrock" if name.endswith(BEDROCK_EDITION) else None


def ai_spend(account: AwsAccount, today: date, *, by_account: bool) -> list[obs.CloudActivity]:
    """Unblended cost per AI service (and member account) over the last COST_DAYS days."""
    start = today - timedelta(days=COST_DAYS)
    group_by = [{"Type": "DIMENSION", "Key": "SERVICE"}]
    if by_account:
        group_by.append({"Type": "DIMENSION", "Key": "LINKED_ACCOUNT"})
    totals: dict[tuple[str, str], float] = defaultdict(float)
    units: dict[tuple[str, str], str] = {}
    for page in account.pages("ce", "GetCostAndUsage", "us-east-1",
                              TimePeriod={"Start": start.isoformat(), "End": today.isoformat()},
                              Granularity="MONTHLY", Metrics=["UnblendedCost"], GroupBy=group_by):
        for period in page.get("ResultsByTime") or []:
            for group in period.get("Groups") or []:
                keys = group.get("Keys") or []
                if not keys or spend_service(keys[0]) is None:
                    continue
                linked = keys[1] if by_account and len(keys) > 1 else account.id
                metric = (group.get("Metrics") or {}).get("UnblendedCost") or {}
                try:
                    amount = float(metric.get("Amount") or 0)
                except ValueError:
                    continue
                totals[(keys[0], linked)] += amount
                units[(keys[0], linked)] = metric.get("Unit") or "USD"
    found = []
    for (name, linked), amount in sorted(totals.items()):
        if amount <= 0:
            continue
        found.append(obs.CloudActivity(
            provider="aws", account=linked, principal=f"aws:{linked}", service=spend_service(name) or "",
            action="spend", count=1, window=f"{COST_DAYS}d", source=SOURCE,
            location=f"aws/{linked}/cost-explorer/{name}",
            details=(("cost", f"{amount:.2f}"), ("unit", units[(name, linked)]), ("billing_service", name),
                     ("period", f"{start.isoformat()}..{today.isoformat()}"), *billed_model(name)),
        ))
    return found


def billed_model(billing_service: str) -> tuple[tuple[str, str], ...]:
    """A third-party model sold through Bedrock is billed as its own service, named after the model:
    ``Claude 3.5 Sonnet (Amazon Bedrock Edition)`` → the model ``Claude 3.5 Sonnet`` (its vendor's evidence)."""
    if not billing_service.endswith(BEDROCK_EDITION):
        return ()
    model = billing_service[: -len(BEDROCK_EDITION)].strip()
    return (("model", model),) if model else ()

"""`scan azure`: one run; per subscription, its AI resources (see ``resources``), then their usage and cost (see
``usage``), committed as one snapshot batch: a re-scan replaces the counts of the run before, never adds.

Whatever the credentials may not read — a subscription, a resource provider, the metrics or the cost data — is a
coverage gap naming the subscription and the API, and the rest is still read. A token the identity platform
refuses ends the scan as failed: every call would fail. SIGTERM/SIGINT are checked between pages and between
subscriptions: the subscription in hand is committed first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

import sqlite_utils

from scanner import observations as obs
from scanner.clients.http import ApiError
from scanner.clients.microsoft import TOKEN_FAILURES, MicrosoftClient, describe_error
from scanner.inventory.runs import Run, finish_run, start_run
from scanner.inventory.store import FindingBatch, commit_batch
from scanner.modules.azure import resources, usage
from scanner.modules.azure.resources import (COGNITIVE, ML_WORKSPACES, SOURCE, Parent, Subscription,
                                             SubscriptionReader)
from scanner.modules.cloud_models import add_cloud_findings

if TYPE_CHECKING:
    from scanner.catalogue.loader import Catalogue

DEFAULT_DAYS = 30
MAX_NAMED = 4  # APIs named in one merged coverage gap
DENIED_HINT = {
    "resources": "the identity needs Reader on the subscription",
    "metrics": "the identity needs Monitoring Reader (or Reader) on the subscription",
    "cost": "the identity needs Cost Management Reader on the subscription",
}


@dataclass
class AzureOptions:
    subscriptions: tuple[str, ...] = ()  # empty: every subscription the identity can read
    usage: bool = True
    cost: bool = True
    days: int = DEFAULT_DAYS


@dataclass
class AzureScanResult:
    run_id: int
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    gaps: list[dict[str, str]] = field(default_factory=list)
    errors: int = 0


@dataclass
class SubscriptionResult:
    observations: list = field(default_factory=list)
    gaps: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    services: dict[str, str] = field(default_factory=dict)  # lower-case resource id -> catalogue identifier
    types: set[str] = field(default_factory=set)

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount

    def add(self, resource: obs.CloudResource, counter: str) -> None:
        self.observations.append(resource)
        self.count(counter)
        self.types.add(resource.service)  # a child's service is its parent's (top-level) type
        self.services[resource.id.lower()] = (f"{resource.service}:{resource.kind}" if resource.kind
                                              else resource.service)


def merged(gaps: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Gaps of one subscription with the same reason as one gap: a subscription refused to the identity is one
    gap naming what could not be read, not one per API."""
    by_reason: dict[tuple[str, str], list[str]] = {}
    for what, why in gaps:
        label, _, api = what.partition(": ")
        by_reason.setdefault((label, why), []).append(api)
    result = []
    for (label, why), apis in by_reason.items():
        named = ", ".join(apis[:MAX_NAMED]) + (f" and {len(apis) - MAX_NAMED} more" if len(apis) > MAX_NAMED else "")
        result.append((f"{label}: {named}", why))
    return result


class AzureScan:
    def __init__(self, db: sqlite_utils.Database, catalogue: "Catalogue", client: MicrosoftClient,
                 options: AzureOptions | None = None, *, parameters: dict[str, Any] | None = None,
                 stop: Callable[[], bool] | None = None,
                 on_error: Callable[[str, str], None] | None = None) -> None:
        self.db = db
        self.catalogue = catalogue
        self.matcher = catalogue.matcher
        self.client = client
        self.options = options or AzureOptions()
        self.parameters = parameters or {}
        self.stop = stop or (lambda: False)
        self.on_error = on_error or (lambda where, message: None)
        self.other_types = resources.catalogue_types(catalogue)

    def run(self) -> AzureScanResult:
        run = start_run(self.db, SOURCE, catalogue_version=self.catalogue.version, parameters={
            **self.parameters, "subscriptions": list(self.options.subscriptions), "usage": self.options.usage,
            "cost": self.options.cost, "days": self.options.days,
        })
        run.add_input(api=self.client.endpoints.arm, kind="Azure Resource Manager")
        interrupted = failed = False
        window = usage.Window.last(self.options.days)
        try:
            for subscription in self.subscriptions(run):
                if self.stop():
                    interrupted = True
                    break
                if not subscription.readable:
                    run.gap(subscription.label, f"subscription state {subscription.state}: not read")
                    continue
                self.record(run, self.scan_subscription(subscription, window))
            interrupted = interrupted or self.stop()
        except TOKEN_FAILURES as exc:
            failed = True
            self.fail(run, exc)
        except KeyboardInterrupt:
            interrupted = True
        run.count("api_requests", self.client.requests)
        run.count("api_retries", self.client.http.retries)
        if interrupted:
            run.gap("scan", "stopped by a signal before every subscription was read")
        status = finish_run(run, interrupted=interrupted, failed=failed)
        return AzureScanResult(run.id, status, dict(run.counts), list(run.coverage_gaps), run.errors_total)

    def fail(self, run: Run, exc: ApiError) -> None:
        run.error("credentials", str(exc))
        run.gap("every subscription", f"no token for Azure Resource Manager: {exc}")
        self.on_error("credentials", str(exc))

    def subscriptions(self, run: Run) -> list[Subscription]:
        if self.options.subscriptions:
            return [Subscription(ident) for ident in self.options.subscriptions]
        try:
            found = list(resources.subscriptions(self.client, self.stop))
        except TOKEN_FAILURES:
            raise
        except ApiError as exc:
            run.gap("subscriptions (GET /subscriptions)", describe_error(exc))
            self.on_error("subscriptions", describe_error(exc))
            return []
        if not found:
            run.gap("subscriptions", "the identity can read no subscription: give it Reader on each subscription "
                                     "to scan, or pass --subscription")
        return sorted(set(found), key=lambda subscription: subscription.id)

    # --- one subscription --------------------------------------------------------------------------------------
    def scan_subscription(self, subscription: Subscription, window: usage.Window) -> SubscriptionResult:
        result = SubscriptionResult()
        result.count("subscriptions")
        reader = SubscriptionReader(self.client, subscription, stop=self.stop,
                                    on_bad=lambda where, why: result.errors.append((where, why)))
        label = subscription.label
        accounts = self.read(result, f"{label}: {COGNITIVE}", "resources",
                             lambda: list(reader.cognitive_accounts()))
        metered: list[tuple[Parent, dict[str, str | None]]] = []
        for account in accounts or []:
            result.add(account, "cognitive_accounts")
            parent = resources.parent_of(account)
            found = self.read(result, f"{label}: deployments of {account.id}", "resources",
                              lambda: list(reader.deployments(parent))) or []
            for deployment in found:
                result.add(deployment, "model_deployments")
            if found:
                metered.append((parent, {d.id.rsplit("/", 1)[-1]: d.model for d in found}))
            if resources.has_projects(parent):
                for project in self.read(result, f"{label}: projects of {account.id}", "resources",
                                         lambda: list(reader.account_projects(parent))) or []:
                    result.add(project, "foundry_projects")
        for workspace in self.read(result, f"{label}: {ML_WORKSPACES}", "resources",
                                   lambda: list(reader.ml_workspaces())) or []:
            result.add(workspace, "ml_workspaces")
            self.scan_workspace(result, reader, resources.parent_of(workspace))
        for resource_type in self.other_types:
            for resource in self.read(result, f"{label}: {resource_type}", "resources",
                                      lambda: list(reader.resources_of_type(resource_type))) or []:
                result.add(resource, "other_resources")
        if self.options.usage:
            for account, models in metered:
                activity = self.read(result, f"{label}: Azure Monitor metrics of {account.id}", "metrics",
                                     lambda: usage.deployment_metrics(self.client, subscription, account, window,
                                                                      models))
                self.extend(result, activity, "usage_series")
        if self.options.cost and result.types:
            activity = self.read(result, f"{label}: Cost Management query", "cost",
                                 lambda: usage.costs(self.client, subscription, sorted(result.types), window,
                                                     result.services))
            self.extend(result, activity, "cost_rows")
        return result

    def scan_workspace(self, result: SubscriptionResult, reader: SubscriptionReader, workspace: Parent) -> None:
        label = reader.subscription.label
        endpoints = self.read(result, f"{label}: online endpoints of {workspace.id}", "resources",
                              lambda: list(reader.online_endpoints(workspace))) or []
        for endpoint, parent in endpoints:
            result.add(endpoint, "ml_endpoints")
            for deployment in self.read(result, f"{label}: deployments of {endpoint.id}", "resources",
                                        lambda: list(reader.online_deployments(parent))) or []:
                result.add(deployment, "ml_deployments")
        for endpoint in self.read(result, f"{label}: serverless endpoints of {workspace.id}", "resources",
                                  lambda: list(reader.serverless_endpoints(workspace))) or []:
            result.add(endpoint, "ml_endpoints")

    def read(self, result: SubscriptionResult, what: str, area: str, call: Callable[[], list]) -> list | None:
        """One API call (all its pages); None and a coverage gap when it is refused or fails."""
        if self.stop():
            return None
        try:
            return call()
        except TOKEN_FAILURES:
            raise
        except ApiError as exc:
            hint = DENIED_HINT[area] if exc.status in (401, 403) else ""
            result.gaps.append((what, describe_error(exc) + (f" ({hint})" if hint else "")))
            return None

    @staticmethod
    def extend(result: SubscriptionResult, activity: Iterable[obs.CloudActivity] | None, counter: str) -> None:
        for item in activity or []:
            result.observations.append(item)
            result.count(counter)

    def record(self, run: Run, result: SubscriptionResult) -> None:
        for name, amount in result.counts.items():
            run.count(name, amount)
        for where, why in result.errors:
            run.error(where, why)
            self.on_error(where, why)
        for what, why in merged(result.gaps):
            run.gap(what, why)
            self.on_error(what, why)
        batch = FindingBatch()
        for observation in result.observations:
            run.count("records")
            add_cloud_findings(observation, self.matcher, batch, run, count_as="matched_records")
        commit_batch(self.db, run, batch, snapshot=True)

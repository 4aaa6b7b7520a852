"""`scan aws`: accounts × regions × services fanned out over a bounded thread pool, written as one snapshot run.

The plan: the caller's account, or with an organisation role every ACTIVE account of the organisation (each
reached with STS AssumeRole); per account its enabled regions (or ``--regions``); per region one task for each
service client (its listers run in turn) and one for CloudTrail; once, Cost Explorer. Tasks run in worker
threads and only talk to AWS, each releasing its client when it ends; the main thread matches their
observations, writes them, and records gaps, so the inventory is touched from one thread. A region where
botocore's endpoint data says a service is not offered is not called (counted as
``service_regions_not_offered``); every call that fails is a coverage gap naming the account, the API and the
regions, grouped so that one denial across seventeen regions is one line.

SIGTERM/SIGINT: tasks not started are cancelled, running ones stop after their current page, what was read is
committed and the run is recorded as interrupted.
"""

from __future__ import annotations

import queue
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import urlsplit

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.clients.aws import AwsAccount, AwsCallFailed, AwsClient, AwsSetupError, OrgAccount
from scanner.interruption import StopFlag
from scanner.inventory.runs import Run, finish_run, start_run
from scanner.inventory.store import FindingBatch, commit_batch
from scanner.modules.aws import resources, usage
from scanner.modules.cloud_models import add_cloud_findings

SOURCE = resources.SOURCE
DEFAULT_CONCURRENCY = 16
DEFAULT_MAX_TRAIL_EVENTS = 20_000
COMMIT_EVERY = 500  # findings held before a commit…
COMMIT_SECONDS = 5.0  # …or seconds since the last one


def without_userinfo(url: str | None) -> str | None:
    """An endpoint URL as recorded in the run: a ``user:password@`` part is never stored."""
    if not url:
        return url
    parts = urlsplit(url)
    return parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")).geturl() \
        if parts.hostname and "@" in parts.netloc else url


@dataclass
class AwsScanOptions:
    profile: str | None = None
    endpoint_url: str | None = None
    org_role: str | None = None
    regions: tuple[str, ...] = ()  # empty: every region enabled for each account
    services: tuple[str, ...] = resources.CLIENTS
    concurrency: int = DEFAULT_CONCURRENCY
    cloudtrail: bool = True
    cost: bool = True
    max_trail_events: int = DEFAULT_MAX_TRAIL_EVENTS

    def parameters(self) -> dict[str, Any]:
        return {"profile": self.profile, "endpoint_url": without_userinfo(self.endpoint_url),
                "org_role": self.org_role,
                "regions": list(self.regions), "services": list(self.services), "concurrency": self.concurrency,
                "cloudtrail": self.cloudtrail, "cost": self.cost, "max_trail_events": self.max_trail_events}


@dataclass
class AwsScanResult:
    run_id: int
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    gaps: int = 0


@dataclass
class Outcome:
    """What one task brings back to the main thread."""

    observations: list[Any] = field(default_factory=list)
    failures: list[AwsCallFailed] = field(default_factory=list)
    gaps: list[tuple[str, str]] = field(default_factory=list)  # already worded (what, why)
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    follow_up: list[Callable[[], "Outcome"]] = field(default_factory=list)

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount


class AwsScan:
    def __init__(self, db: sqlite_utils.Database, catalogue: Catalogue, options: AwsScanOptions, *,
                 stop: StopFlag | None = None, on_gap: Callable[[str, str], None] | None = None,
                 now: datetime | None = None) -> None:
        self.db = db
        self.catalogue = catalogue
        self.matcher = catalogue.matcher
        self.options = options
        self.stop = stop if stop is not None else StopFlag()
        self.on_gap = on_gap or (lambda what, why: None)
        self.now = now or datetime.now(timezone.utc)
        self.batch = FindingBatch()
        # (account, api, kind, code) -> (first reason, regions)
        self.failures: dict[tuple[str, str, str, str], tuple[str, set[str]]] = {}
        self.committed = time.monotonic()

    # --- the run ---------------------------------------------------------------------------------------------
    def run(self) -> AwsScanResult:
        run = start_run(self.db, SOURCE, catalogue_version=self.catalogue.version,
                        parameters=self.options.parameters())
        interrupted = failed = False
        try:
            client = AwsClient(profile=self.options.profile, endpoint_url=self.options.endpoint_url)
            caller = client.caller()
        except AwsSetupError as exc:
            self.gap(run, "aws credentials", str(exc))
            failed = True
        else:
            run.add_input(kind="aws", account=caller.id,
                          endpoint=without_userinfo(self.options.endpoint_url) or "aws default")
            interrupted = self.fan_out(run, client, caller)
        self.record_failures(run)
        commit_batch(self.db, run, self.batch, snapshot=True)
        if interrupted:
            self.gap(run, "aws scan", f"stopped by {self.stop.requested or 'signal'} before every task ran")
        status = finish_run(run, interrupted=interrupted, failed=failed)
        return AwsScanResult(run.id, status, dict(run.counts), run.errors_total, len(run.coverage_gaps))

    def fan_out(self, run: Run, client: AwsClient, caller: AwsAccount) -> bool:
        """Run every task; True when stopped by a signal."""
        with ThreadPoolExecutor(max_workers=self.options.concurrency, thread_name_prefix="aws") as pool:
            pending: set[Future] = set()
            # Each future puts itself here when done, so handling one costs the same with ten or a thousand
            # pending (``wait()`` over the whole pending set, once per completion, does not).
            finished: queue.SimpleQueue[Future] = queue.SimpleQueue()

            def submit(task: Callable[[], Outcome]) -> None:
                future = pool.submit(self.guarded, task)
                pending.add(future)
                future.add_done_callback(finished.put)

            for missing in [name for name in self.options.services if not caller.has_client(name)]:
                self.gap(run, f"aws {missing} (every account)", "this boto3 has no client for it; upgrade boto3")
            for account in self.accounts(run, client, caller):
                submit(lambda account=account: self.prepare(client, caller, account))
            if self.options.cost:
                submit(lambda: self.spend(caller))
            while pending:
                try:
                    future = finished.get(timeout=0.5)
                except queue.Empty:
                    pass
                else:
                    pending.discard(future)
                    outcome = future.result()
                    self.absorb(run, outcome)
                    for task in outcome.follow_up:
                        if not self.stop:
                            submit(task)
                if self.stop:
                    for future in pending:
                        future.cancel()
                    for future in pending:
                        if not future.cancelled():
                            self.absorb(run, future.result())
                    return True
        return False

    def accounts(self, run: Run, client: AwsClient, caller: AwsAccount) -> list[AwsAccount | OrgAccount]:
        """The caller's account, and with --org-role every other ACTIVE account of the organisation."""
        found: list[AwsAccount | OrgAccount] = [caller]
        run.count("accounts")
        if not self.options.org_role:
            return found
        try:
            members = list(client.organisation_accounts(caller))
        except AwsCallFailed as exc:
            self.gap(run, f"aws account {caller.id} {exc.api} (organisation accounts)",
                     f"{exc.kind}: {exc.reason}; only the caller's account {caller.id} was scanned")
            return found
        for member in members:
            if member.id == caller.id:
                continue
            if member.status.upper() != "ACTIVE":
                run.count("accounts_not_active")
                continue
            found.append(member)
            run.count("accounts")
        return found

    # --- tasks (worker threads: AWS calls only) --------------------------------------------------------------
    def guarded(self, task: Callable[[], Outcome]) -> Outcome:
        """A task never raises: an unexpected fault (a malformed answer) becomes a counted error of the run."""
        try:
            return task()
        except Exception as exc:  # noqa: BLE001 - recorded, the scan goes on
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            return Outcome(errors=[(f"aws task ({frame.name})", f"{type(exc).__name__}: {exc}"[:300])])

    def prepare(self, client: AwsClient, caller: AwsAccount, account: AwsAccount | OrgAccount) -> Outcome:
        """Reach one account (assume the role) and plan its regions' tasks."""
        outcome = Outcome()
        if isinstance(account, OrgAccount):
            try:
                account = client.assume(caller, account, self.options.org_role or "")
            except AwsCallFailed as exc:
                outcome.gaps.append((f"aws account {account.id} ({account.name}) sts:AssumeRole "
                                     f"{self.options.org_role}", f"{exc.kind}: {exc.reason}"))
                return outcome
        regions = list(self.options.regions)
        if not regions:
            try:
                regions = client.enabled_regions(account)
            except AwsCallFailed as exc:
                regions = [client.home_region]
                outcome.gaps.append((f"aws account {account.id} {exc.api} (enabled regions)",
                                     f"{exc.kind}: {exc.reason}; scanned only {client.home_region}, "
                                     "pass --regions to name others"))
        outcome.count("account_regions", len(regions))
        services = [name for name in self.options.services if account.has_client(name)]
        for region in regions:
            for service in services:
                outcome.follow_up.append(lambda a=account, r=region, s=service: self.list_service(a, r, s))
            if self.options.cloudtrail and "bedrock" in self.options.services:
                outcome.follow_up.append(lambda a=account, r=region: self.trail(a, r))
        return outcome

    def list_service(self, account: AwsAccount, region: str, service: str) -> Outcome:
        outcome = Outcome()
        if not account.offered(service, region):
            outcome.count("service_regions_not_offered")
            return outcome
        try:
            self.read_service(account, region, service, outcome)
        finally:
            account.release(service, region)  # the only task that uses this client
        return outcome

    def read_service(self, account: AwsAccount, region: str, service: str, outcome: Outcome) -> None:
        """The listers of one service client in one region, in turn (and Bedrock's invocation logging)."""
        stopped = lambda: bool(self.stop)  # noqa: E731
        for lister in resources.LISTERS:
            if lister.client != service or self.stop:
                continue
            try:
                found = list(resources.list_resources(account, region, lister, self.now, stopped))
            except AwsCallFailed as exc:
                outcome.failures.append(exc)
                continue
            outcome.observations += found
            outcome.count("resources", len(found))
            outcome.count("api_calls_ok")
        if service == "bedrock" and not self.stop:
            try:
                logging = resources.invocation_logging(account, region)
            except AwsCallFailed as exc:
                outcome.failures.append(exc)
            else:
                if logging is not None:
                    outcome.observations.append(logging)
                    outcome.count("resources")

    def trail(self, account: AwsAccount, region: str) -> Outcome:
        outcome = Outcome()
        if not account.offered("bedrock", region):
            return outcome
        try:
            result = usage.bedrock_invocations(account, region, self.now, max_events=self.options.max_trail_events,
                                               stop=lambda: bool(self.stop))
        except AwsCallFailed as exc:
            outcome.failures.append(exc)
            return outcome
        finally:
            account.release("cloudtrail", region)  # the only task that uses this client
        outcome.observations += result.observations
        outcome.count("trail_events", result.events)
        outcome.count("bedrock_invocations", sum(item.count for item in result.observations))
        if result.truncated_at is not None:
            outcome.gaps.append((
                f"aws account {account.id} cloudtrail:LookupEvents in {region}",
                f"stopped after {result.events} Bedrock events (--max-trail-events); invocations before "
                f"{usage.iso(result.truncated_at)} are not counted"))
        return outcome

    def spend(self, caller: AwsAccount) -> Outcome:
        outcome = Outcome()
        try:
            found = usage.ai_spend(caller, self.now.date(), by_account=bool(self.options.org_role))
        except AwsCallFailed as exc:
            exc.reason = f"{exc.reason} (is Cost Explorer enabled for the account?)"
            outcome.failures.append(exc)
            return outcome
        outcome.observations += found
        outcome.count("spend_lines", len(found))
        return outcome

    # --- main thread: findings, gaps, counts -----------------------------------------------------------------
    def absorb(self, run: Run, outcome: Outcome) -> None:
        for name, amount in outcome.counts.items():
            run.count(name, amount)
        for where, message in outcome.errors:
            run.error(where, message)
            self.on_gap(where, message)
        for what, why in outcome.gaps:
            self.gap(run, what, why)
        for failure in outcome.failures:
            code = failure.reason.split(":", 1)[0]
            key = (failure.account, failure.api, failure.kind, code)
            reason, regions = self.failures.setdefault(key, (failure.reason, set()))
            regions.add(failure.region)
        for observation in outcome.observations:
            add_cloud_findings(observation, self.matcher, self.batch, run, count_as="findings")
        if len(self.batch) >= COMMIT_EVERY or (len(self.batch) and time.monotonic() - self.committed > COMMIT_SECONDS):
            commit_batch(self.db, run, self.batch, snapshot=True)
            self.committed = time.monotonic()

    def record_failures(self, run: Run) -> None:
        for (account, api, kind, _code), (reason, regions) in sorted(self.failures.items()):
            where = ", ".join(sorted(regions))
            self.gap(run, f"aws account {account} {api} in {where}", f"{kind}: {reason}")
        self.failures.clear()

    def gap(self, run: Run, what: str, why: str) -> None:
        run.gap(what, why)
        self.on_gap(what, why)

"""One run over a SaaS API whose answers describe current state: app installations, seats, approved apps.

A module hands over *sections*: what it reads (for the run's record and its coverage gaps), the records the
client yields page by page, and how one record becomes observations. The scan matches observations into
findings and commits them as a snapshot (a re-scan replaces the counts of the run before, never adds to them).
A denied or failing endpoint is a coverage gap and the other sections still run; a malformed record is a
counted error and the records around it are kept. SIGTERM/SIGINT stop the scan between records, after the
batch in hand is committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.clients.http import ApiDenied, ApiError, ApiNotFound
from scanner.findings import Finding, match_observation
from scanner.interruption import StopFlag
from scanner.inventory.runs import Run, finish_run, start_run
from scanner.inventory.store import FindingBatch, commit_batch

COMMIT_EVERY = 500  # findings held in memory before a commit


@dataclass
class ApiScanResult:
    run_id: int
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    gaps: int = 0


class ApiScan:
    def __init__(self, db: sqlite_utils.Database, catalogue: Catalogue, module: str, *,
                 parameters: dict[str, Any], stop: StopFlag | None = None,
                 on_error: Callable[[str, str], None] | None = None,
                 keep: Callable[[Finding], bool] | None = None) -> None:
        self.db = db
        self.matcher = catalogue.matcher
        self.keep = keep or (lambda finding: True)  # a module's switch, e.g. leaving broad-scope apps out
        self.stop = stop if stop is not None else StopFlag()
        self.on_error = on_error or (lambda where, message: None)
        self.batch = FindingBatch()
        self.run: Run = start_run(db, module, catalogue_version=catalogue.version, parameters=parameters)

    def call(self, what: str, function: Callable[[], Any]) -> Any | None:
        """One API call the rest of the scan depends on (who am I, which org); None and a gap when it fails."""
        try:
            return function()
        except ApiError as exc:
            self.gap(what, str(exc))
            return None

    def read(self, what: str, records: Callable[[], Iterable[dict]], convert: Callable[[dict], Iterable[Any]],
             *, count_as: str, denied_hint: str = "", subject: Callable[[str], str] | None = None) -> None:
        """Every record of one endpoint (``records`` is called here, so a denial is caught here too).
        ``denied_hint`` says, in the coverage gap, what the credentials need when the endpoint is refused.
        ``subject`` turns the subject of a finding into the one the inventory keeps (a user id into an email):
        it is asked only for records that matched, so lookups stay few."""
        if self.stop:
            return
        try:
            for record in records():
                self.run.count(count_as)
                try:
                    observations = list(convert(record))
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    self.error(what, f"malformed record: {type(exc).__name__}: {exc}")
                    observations = []
                for observation in observations:
                    finding = match_observation(observation, self.matcher)
                    if finding is not None and self.keep(finding):
                        if subject is not None:
                            finding = replace(finding, subject=subject(finding.subject))
                        self.batch.add(finding)
                        self.run.count("findings")
                if len(self.batch) >= COMMIT_EVERY:
                    self.commit()
                if self.stop:
                    break
        except (ApiDenied, ApiNotFound) as exc:
            self.gap(what, f"{exc} ({denied_hint})" if denied_hint else str(exc))
        except ApiError as exc:
            self.gap(what, str(exc))
        self.commit()

    def commit(self) -> None:
        commit_batch(self.db, self.run, self.batch, snapshot=True)

    def gap(self, what: str, why: str) -> None:
        self.run.gap(what, why)
        self.on_error(what, why)

    def error(self, where: str, message: str) -> None:
        self.run.error(where, message)
        self.on_error(where, message)

    def finish(self, *, failed: bool = False) -> ApiScanResult:
        self.commit()
        interrupted = bool(self.stop)
        if interrupted:
            self.run.gap("scan", f"stopped by {self.stop.requested} before every endpoint was read")
        status = finish_run(self.run, interrupted=interrupted, failed=failed)
        return ApiScanResult(self.run.id, status, dict(self.run.counts), self.run.errors_total,
                             len(self.run.coverage_gaps))


def api_time(value: Any) -> str | None:
    """An API's time as ISO 8601 UTC: '2021-10-14T00:53:32-06:00', '2024-01-02T03:04:05Z', or Unix epoch seconds
    (Slack's ``1392163200`` or ``"1392163200"``). None for none; ValueError for something else."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        moment = datetime.fromtimestamp(int(value), tz=timezone.utc)
    else:
        moment = datetime.fromisoformat(str(value).strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def details(**values: Any) -> tuple[tuple[str, str], ...]:
    """Evidence details from keyword arguments, leaving out the empty ones."""
    return tuple((name, str(value)) for name, value in values.items() if value not in (None, "", (), []))

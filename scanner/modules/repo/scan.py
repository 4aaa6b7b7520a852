"""`scan repo`: one run per invocation; each repository's findings are written in one batch, as a snapshot.

A repository describes what exists now, so a re-scan replaces hit counts instead of adding to them (see
scanner.inventory.store). A target that cannot be cloned or read is an error and a coverage gap of the run;
the other targets are still scanned. Errors are echoed as ``where: problem`` and never quote file content.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator

import sqlite_utils

from scanner.interruption import StopFlag
from scanner.inventory.runs import Run, finish_run, start_run
from scanner.inventory.store import FindingBatch, commit_batch
from scanner.modules.repo.parallel import scan_repositories
from scanner.modules.repo.progress import RepoProgress
from scanner.modules.repo.repository import RepoResult, ScanOptions
from scanner.modules.repo.targets import Target, TargetError, parse_target, redact_url

if TYPE_CHECKING:
    from scanner.catalogue.loader import Catalogue
    from scanner.modules.repo.hosted import HostedListing

SOURCE = "repo"
MAX_ECHOED_ERRORS = 100


@dataclass
class RepoScanResult:
    run_id: int
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class RepoScan:
    def __init__(self, db: sqlite_utils.Database, catalogue: "Catalogue", options: ScanOptions | None = None, *,
                 jobs: int = 1, show_progress: bool = False,
                 on_error: Callable[[str, str], None] | None = None, stop: StopFlag | None = None) -> None:
        self.db = db
        self.catalogue = catalogue
        self.options = options or ScanOptions()
        self.jobs = jobs
        self.show_progress = show_progress
        self.on_error = on_error or (lambda where, message: None)
        self.echoed = 0
        self.stop = stop if stop is not None else StopFlag()

    def run(self, arguments: list[str], extra_targets: list[Target] | None = None,
            listings: "list[HostedListing] | None" = None) -> RepoScanResult:
        """Scan every TARGET argument, targets listed by other means, and the repositories of each organisation
        or group listing (listed through its API once the run has started, so that a denial is recorded)."""
        listings = listings or []
        parameters: dict = {
            "targets": [a if os.path.isdir(a) else redact_url(a) for a in arguments]
                       + [t.subject for t in extra_targets or []],
            "max_file_size": self.options.max_file_size, "time_budget": self.options.time_budget,
            "jobs": self.jobs, **self.engine_parameters(),
        }
        if listings:
            from scanner.modules.repo.hosted import describe as describe_listings  # API clients: only when used

            parameters["organisations"] = describe_listings(listings)
        run = start_run(self.db, SOURCE, catalogue_version=self.catalogue.version, parameters=parameters)
        targets = self.targets(run, arguments) + list(extra_targets or [])
        for listing in listings:
            if self.stop:
                break
            targets += listing.targets(run, lambda where, message: self.error(run, where, message),
                                       should_stop=lambda: bool(self.stop))
        unique: dict[str, Target] = {}
        for target in targets:
            unique.setdefault(target.subject, target)  # a repository named twice is scanned once
        targets = list(unique.values())
        progress = RepoProgress(len(targets), enabled=self.show_progress)
        interrupted = False
        done = 0
        try:
            single = self.jobs <= 1 or len(targets) <= 1
            for result in self.scan_targets(run, targets, on_file=progress.files if single else None):
                self.record(run, result)
                done += 1
                if single:
                    progress.repository()
                else:
                    progress.repository(result.counts.get("files", 0), result.counts.get("bytes", 0))
                if self.stop:
                    break
        except KeyboardInterrupt:
            interrupted = True
        finally:
            progress.close()
        if self.stop or interrupted:
            interrupted = True
            run.gap("scan", f"stopped by {self.stop.requested or 'SIGINT'} after {done} of {len(targets)} "
                            "repositories")
        status = finish_run(run, interrupted=interrupted)
        return RepoScanResult(run.id, status, dict(run.counts), run.errors_total)

    def engine_parameters(self) -> dict:
        return {}

    def scan_targets(self, run: Run, targets: list[Target], on_file: Callable[[int], None] | None
                     ) -> Iterator[RepoResult]:
        """Each target's RepoResult, in any order (worker processes here; an engine may run them elsewhere)."""
        return scan_repositories(targets, self.catalogue, self.options, jobs=self.jobs, on_file=on_file,
                                 should_stop=lambda: bool(self.stop))

    def targets(self, run: Run, arguments: list[str]) -> list[Target]:
        targets: dict[str, Target] = {}
        for argument in arguments:
            try:
                target = parse_target(argument)
            except TargetError as exc:
                self.error(run, redact_url(argument), str(exc))
                run.gap(redact_url(argument), str(exc))
                continue
            targets.setdefault(target.subject, target)  # the same repository twice is scanned once
        return list(targets.values())

    def error(self, run: Run, where: str, message: str) -> None:
        run.error(where, message)
        self.echoed += 1
        if self.echoed <= MAX_ECHOED_ERRORS:
            self.on_error(where, message)
        elif self.echoed == MAX_ECHOED_ERRORS + 1:
            self.on_error("scan repo", "more errors not shown here (see: shadowai runs)")

    def record(self, run: Run, result: RepoResult) -> None:
        for name, amount in result.counts.items():
            run.count(name, amount)
        for where, message in result.errors:
            self.error(run, where, message)
        for what, why in result.gaps:
            run.gap(what, why)
        run.add_input(**result.details)
        batch = FindingBatch()
        for finding in result.findings:
            batch.add(finding)
        commit_batch(self.db, run, batch, snapshot=True)

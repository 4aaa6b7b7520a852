"""Put findings straight into an inventory, through the real run and store code, for view and report tests."""

from __future__ import annotations

from scanner.findings import Finding
from scanner.inventory.runs import finish_run, start_run
from scanner.inventory.store import FindingBatch, commit_batch


def add_findings(db, findings: list[Finding], *, module: str = "logs", catalogue_version: str = "test",
                 gaps: list[tuple[str, str]] = ()) -> int:
    run = start_run(db, module, catalogue_version=catalogue_version)
    batch = FindingBatch()
    for finding in findings:
        batch.add(finding)
    commit_batch(db, run, batch)
    for what, why in gaps:
        run.gap(what, why)
    finish_run(run)
    return run.id


def seen(service_id: str, subject: str, *, source: str = "logs", location: str = "/var/log/squid/access.log",
         at: str = "2025-11-30T10:00:00Z", hits: int = 1, matched_by: str = "domains:test",
         evidence: dict | None = None) -> Finding:
    return Finding(service_id, source, subject, location, at, matched_by, evidence or {}, hits)

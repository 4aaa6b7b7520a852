"""Write findings into the inventory without ever double counting.

Findings are aggregated in memory by key (service, source, subject, location) and written in batches with
one upsert each: hits add up, first_seen/last_seen widen from the evidence's own timestamps, the evidence
sample of the first sighting is kept. A batch is committed in the same transaction as the cursors that say
how far each input was read and the run's running counts, so a scan killed at any moment leaves the
inventory and the cursors consistent: the next scan resumes exactly where the last commit stopped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from scanner.findings import Finding
from scanner.inventory.database import transaction
from scanner.inventory.runs import Run, utc_now

# Event sources (logs, captures, audit trails) add up hits: every record is a new event, and cursors make sure
# no record is read twice; the evidence sample is the first sighting. Snapshot sources (a repository, a cloud
# account, an OAuth grant list) describe what exists now: a re-scan replaces the count of the previous run
# instead of adding to it, and the evidence sample is the latest one (current usage, cost, scopes).
ACCUMULATE = "hits + excluded.hits"
SNAPSHOT = "case when last_run = excluded.last_run then hits + excluded.hits else excluded.hits end"
# coalesce: a sample removed by `shadowai prune` is taken afresh.
KEEP_EVIDENCE = "coalesce(evidence, excluded.evidence)"
LATEST_EVIDENCE = "case when last_run = excluded.last_run then coalesce(evidence, excluded.evidence) else excluded.evidence end"

UPSERT = """
insert into findings (service_id, source, subject, location, first_seen, last_seen, hits, matched_by, evidence,
                      first_run, last_run)
values (:service_id, :source, :subject, :location, :first_seen, :last_seen, :hits, :matched_by, :evidence,
        :run, :run)
on conflict (service_id, source, subject, location) do update set
    hits = {hits},
    evidence = {evidence},
    first_seen = case when first_seen is null or excluded.first_seen < first_seen then excluded.first_seen
                      else first_seen end,
    last_seen = case when last_seen is null or excluded.last_seen > last_seen then excluded.last_seen
                     else last_seen end,
    last_run = excluded.last_run
"""


@dataclass
class Aggregate:
    hits: int
    first_seen: str | None
    last_seen: str | None
    matched_by: str
    evidence: dict[str, Any]


@dataclass
class Cursor:
    source: str
    identity: str
    location: str
    offset: int
    line: int
    size: int
    mtime: float


class FindingBatch:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str, str], Aggregate] = {}
        self.cursors: dict[tuple[str, str], Cursor] = {}

    def __len__(self) -> int:
        return len(self.items)

    def add(self, finding: Finding) -> None:
        current = self.items.get(finding.key)
        if current is None:
            self.items[finding.key] = Aggregate(finding.hits, finding.seen_at, finding.seen_at, finding.matched_by,
                                                finding.evidence)
            return
        current.hits += finding.hits
        if finding.seen_at:
            if current.first_seen is None or finding.seen_at < current.first_seen:
                current.first_seen = finding.seen_at
            if current.last_seen is None or finding.seen_at > current.last_seen:
                current.last_seen = finding.seen_at

    def merge(self, key: tuple[str, str, str, str], other: Aggregate) -> None:
        """Fold in an aggregate made elsewhere (a worker process) for the same key."""
        current = self.items.get(key)
        if current is None:
            self.items[key] = other
            return
        current.hits += other.hits
        if other.first_seen and (current.first_seen is None or other.first_seen < current.first_seen):
            current.first_seen = other.first_seen
        if other.last_seen and (current.last_seen is None or other.last_seen > current.last_seen):
            current.last_seen = other.last_seen

    def move_cursor(self, cursor: Cursor) -> None:
        self.cursors[(cursor.source, cursor.identity)] = cursor


def load_cursor(db: sqlite_utils.Database, source: str, identity: str) -> Cursor | None:
    row = db.execute(
        "select source, identity, location, offset, line, size, mtime from cursors where source = ? and identity = ?",
        [source, identity],
    ).fetchone()
    return Cursor(*row) if row else None


def commit_batch(db: sqlite_utils.Database, run: Run, batch: FindingBatch, *, snapshot: bool = False) -> int:
    """Write the batch, its cursors and the run's progress atomically. Returns the number of rows upserted.

    ``snapshot``: the source describes current state (see SNAPSHOT above) rather than events."""
    now = utc_now()
    rows = [
        {
            "service_id": key[0], "source": key[1], "subject": key[2], "location": key[3],
            "first_seen": agg.first_seen or now, "last_seen": agg.last_seen or now, "hits": agg.hits,
            "matched_by": agg.matched_by, "evidence": json.dumps(agg.evidence, sort_keys=True), "run": run.id,
        }
        for key, agg in batch.items.items()
    ]
    with transaction(db):
        if rows:
            statement = (UPSERT.format(hits=SNAPSHOT, evidence=LATEST_EVIDENCE) if snapshot
                         else UPSERT.format(hits=ACCUMULATE, evidence=KEEP_EVIDENCE))
            db.conn.executemany(statement, rows)
        for cursor in batch.cursors.values():
            db["cursors"].upsert(
                {"source": cursor.source, "identity": cursor.identity, "location": cursor.location,
                 "offset": cursor.offset, "line": cursor.line, "size": cursor.size, "mtime": cursor.mtime, "run_id": run.id,
                 "updated_at": now},
                pk=("source", "identity"),
            )
        db["runs"].update(run.id, run.progress_columns())
    batch.items.clear()
    batch.cursors.clear()
    return len(rows)

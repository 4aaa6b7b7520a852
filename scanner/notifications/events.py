"""What a scheduled scan has to tell a person: new unsanctioned services, new users of blocked services, and
sources that failed — each with where it was seen and the command that shows more.

Everything is read back from the inventory after the runs: a finding is new when its ``first_run`` is one of
this scan's runs (snapshot sources keep ``first_run`` across re-scans, so a re-listed grant is not new).
"""

from __future__ import annotations

import json
import os
import shlex
import socket
from dataclasses import dataclass, field
from typing import Any, Iterable

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.findings import UNKNOWN_SUBJECT
from scanner.inventory.views import describe, sanction_lookup, sanction_status

MAX_SERVICES = 25  # per notification; the rest are counted ("and 3 more")
MAX_NAMES = 10  # subjects or locations listed per item
FAILED_STATUSES = ("failed", "interrupted")


@dataclass
class NewService:
    service_id: str
    service_name: str
    vendor: str
    category: str
    sanction: str  # unsanctioned | blocked
    subjects: list[str]
    subject_count: int
    sources: list[str]
    locations: list[str]
    location_count: int
    first_seen: str | None
    last_seen: str | None
    hits: int


@dataclass
class NewBlockedUser:
    service_id: str
    service_name: str
    subject: str
    sources: list[str]
    locations: list[str]
    first_seen: str | None


@dataclass
class SourceProblem:
    source: str
    command: str
    exit_code: int | None
    runs: list[int]
    status: str  # the worst status of its runs, or "not run"
    reason: str


@dataclass
class Notice:
    host: str
    db_path: str
    run_id: int  # the parent (scan) run
    runs: list[int]  # the sources' runs
    new_services: list[NewService] = field(default_factory=list)
    more_services: int = 0
    new_blocked_users: list[NewBlockedUser] = field(default_factory=list)
    more_blocked_users: int = 0
    failed_sources: list[SourceProblem] = field(default_factory=list)
    partial_sources: list[SourceProblem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new_services or self.new_blocked_users or self.failed_sources or self.partial_sources)

    @property
    def title(self) -> str:
        parts = []
        services = len(self.new_services) + self.more_services
        users = len(self.new_blocked_users) + self.more_blocked_users
        if services:
            parts.append(f"{services} new unsanctioned AI service{'s' if services != 1 else ''}")
        if users:
            parts.append(f"{users} new user{'s' if users != 1 else ''} of blocked AI services")
        if self.failed_sources:
            count = len(self.failed_sources)
            parts.append(f"{count} source{'s' if count != 1 else ''} failed")
        if self.partial_sources:
            count = len(self.partial_sources)
            parts.append(f"{count} source{'s' if count != 1 else ''} partly covered")
        return f"shadowai on {self.host}: " + ", ".join(parts)

    @property
    def look(self) -> list[str]:
        """Commands that show more, with the inventory's full path so that they work from any folder."""
        db = shlex.quote(self.db_path)
        commands = []
        if self.new_services or self.new_blocked_users:
            commands.append(f"shadowai inventory --db {db} --unsanctioned")
            commands.append(f"shadowai export --db {db} --format csv --out ai-findings.csv")
        if self.failed_sources or self.partial_sources:
            commands.append(f"shadowai runs --db {db} --gaps")
        return commands

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": "shadowai.notification/1",
            "title": self.title,
            "host": self.host,
            "db": self.db_path,
            "run_id": self.run_id,
            "runs": self.runs,
            "new_services": [vars(item) for item in self.new_services],
            "more_services": self.more_services,
            "new_blocked_users": [vars(item) for item in self.new_blocked_users],
            "more_blocked_users": self.more_blocked_users,
            "failed_sources": [vars(item) for item in self.failed_sources],
            "partial_sources": [vars(item) for item in self.partial_sources],
            "look": self.look,
        }


def placeholders(values: Iterable[Any]) -> str:
    return ",".join("?" for _ in values)


def new_service(db: sqlite_utils.Database, catalogue: Catalogue, service_id: str, sanction: str) -> NewService:
    info = describe(catalogue, service_id)
    rows = list(db.query("select source, subject, location, first_seen, last_seen, hits from findings "
                         "where service_id = ? order by hits desc, subject", [service_id]))
    subjects = list(dict.fromkeys(row["subject"] for row in rows))
    locations = list(dict.fromkeys(row["location"] for row in rows))
    firsts = [row["first_seen"] for row in rows if row["first_seen"]]
    lasts = [row["last_seen"] for row in rows if row["last_seen"]]
    return NewService(service_id, info["service_name"], info["vendor"], info["category"], sanction,
                      subjects[:MAX_NAMES], len(subjects), sorted({row["source"] for row in rows}),
                      locations[:MAX_NAMES], len(locations), min(firsts, default=None), max(lasts, default=None),
                      sum(row["hits"] or 0 for row in rows))


def new_blocked_users(db: sqlite_utils.Database, catalogue: Catalogue, runs: list[int],
                      skip: set[str]) -> list[NewBlockedUser]:
    """(blocked service, subject) pairs whose every finding was first seen by one of ``runs``."""
    if not runs:
        return []
    sanctions = sanction_lookup(db)
    marks = placeholders(runs)
    found = []
    for row in db.query(
        f"""select service_id, subject, group_concat(distinct source) as sources,
                   group_concat(distinct location) as locations, min(first_seen) as first_seen
            from findings as f
            where first_run in ({marks}) and subject != ?
              and not exists (select 1 from findings as g where g.service_id = f.service_id and g.subject = f.subject
                              and (g.first_run is null or g.first_run not in ({marks})))
            group by service_id, subject order by service_id, first_seen, subject""",
        [*runs, UNKNOWN_SUBJECT, *runs],
    ):
        if row["service_id"] in skip:
            continue
        info = describe(catalogue, row["service_id"])
        if sanction_status(sanctions, row["service_id"], info["category"]) != "blocked":
            continue
        found.append(NewBlockedUser(row["service_id"], info["service_name"], row["subject"],
                                    sorted(set((row["sources"] or "").split(","))),
                                    sorted(set((row["locations"] or "").split(",")))[:MAX_NAMES], row["first_seen"]))
    return found


def run_problems(db: sqlite_utils.Database, run_ids: list[int]) -> tuple[str, str]:
    """(the worst status of the runs, what their record says went wrong)."""
    if not run_ids:
        return "not run", ""
    rows = list(db.query(f"select id, status, coverage_gaps, counts from runs where id in ({placeholders(run_ids)}) "
                         "order by id", run_ids))
    order = ["failed", "interrupted", "partial", "running", "succeeded"]
    status = min((row["status"] for row in rows), key=lambda s: order.index(s) if s in order else 0,
                 default="not run")
    details = []
    for row in rows:
        gaps = json.loads(row["coverage_gaps"] or "[]")
        details += [f"{gap['what']}: {gap['why']}" for gap in gaps[:3]]
        errors = json.loads(row["counts"] or "{}").get("errors", 0)
        if errors:
            details.append(f"run {row['id']}: {errors} bad records")
    return status, "; ".join(details)


def source_problems(db: sqlite_utils.Database, outcomes) -> tuple[list[SourceProblem], list[SourceProblem]]:
    failed, partial = [], []
    for outcome in outcomes:
        status, details = run_problems(db, outcome.runs)
        reason = "; ".join(part for part in (outcome.gap, details) if part)
        problem = SourceProblem(outcome.source, f"shadowai scan {outcome.command}", outcome.exit_code,
                                list(outcome.runs), status, reason[:1000])
        if outcome.gap or status in FAILED_STATUSES or status == "not run":
            failed.append(problem)
        elif status == "partial":
            partial.append(problem)
    return failed, partial


def build_notice(db: sqlite_utils.Database, catalogue: Catalogue, *, run_id: int, outcomes, new_services: list[str],
                 events: Iterable[str], db_path: str) -> Notice:
    """The notice for one `shadowai scan`, holding only the kinds of event asked for (it may be empty)."""
    events = set(events)
    runs = [run for outcome in outcomes for run in outcome.runs]
    notice = Notice(host=socket.gethostname(), db_path=os.path.abspath(db_path), run_id=run_id, runs=runs)
    sanctions = sanction_lookup(db)
    if "new-service" in events:
        items = [new_service(db, catalogue, service_id,
                             sanction_status(sanctions, service_id, describe(catalogue, service_id)["category"]))
                 for service_id in new_services[:MAX_SERVICES]]
        notice.new_services, notice.more_services = items, max(len(new_services) - MAX_SERVICES, 0)
    if "new-blocked-user" in events:
        users = new_blocked_users(db, catalogue, runs, skip=set(new_services) if "new-service" in events else set())
        notice.new_blocked_users = users[:MAX_SERVICES * MAX_NAMES // 2]
        notice.more_blocked_users = len(users) - len(notice.new_blocked_users)
    failed, partial = source_problems(db, outcomes)
    if "failed-run" in events:
        notice.failed_sources = failed
    if "partial-run" in events:
        notice.partial_sources = partial
    return notice

"""Runs: one row per scan of one source, chained by hash so that an edit or a gap in the history shows.

A run is inserted as ``running`` when it starts and sealed when it ends: it then takes the next
``chain_seq``, the ``row_hash`` of the previously sealed run as ``prev_hash``, and its own ``row_hash``
over every other column. Sealing happens in one ``BEGIN IMMEDIATE`` transaction, so concurrent scans
cannot interleave the chain. A run left ``running`` by a process that no longer exists on this host is
sealed as ``interrupted`` by the next run that starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from scanner import __version__
from scanner.inventory.database import transaction

MAX_STORED_ERRORS = 200
FINISHED = ("succeeded", "partial", "failed", "interrupted")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(row: dict[str, Any]) -> str:
    body = {key: value for key, value in row.items() if key != "row_hash"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Run:
    """The record of one scan while it is under way; ``seal`` writes the final row."""

    db: sqlite_utils.Database
    id: int
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    errors_total: int = 0
    coverage_gaps: list[dict[str, str]] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount

    def error(self, where: str, message: str) -> None:
        """A bad record or file: counted always, the first MAX_STORED_ERRORS kept with their location."""
        self.errors_total += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"where": where, "message": message})

    def gap(self, what: str, why: str) -> None:
        """Something the run could not cover (a file unreadable, a region denied)."""
        self.coverage_gaps.append({"what": what, "why": why})

    def add_input(self, **details: Any) -> None:
        self.inputs.append(details)

    def progress_columns(self) -> dict[str, str]:
        counts = dict(self.counts, errors=self.errors_total)
        return {
            "counts": canonical(counts),
            "errors": canonical(self.errors),
            "coverage_gaps": canonical(self.coverage_gaps),
            "inputs": canonical(self.inputs),
        }

    def status(self, interrupted: bool = False, failed: bool = False) -> str:
        if failed:
            return "failed"
        if interrupted:
            return "interrupted"
        if self.errors_total or self.coverage_gaps:
            return "partial"
        return "succeeded"


def start_run(db: sqlite_utils.Database, module: str, *, catalogue_version: str, scope: str | None = None,
              parameters: dict[str, Any] | None = None) -> Run:
    recover_abandoned(db)
    with transaction(db):
        table = db["runs"]
        table.insert({
            "module": module,
            "scope": scope,
            "parameters": canonical(parameters or {}),
            "started_at": utc_now(),
            "status": "running",
            "catalogue_version": catalogue_version,
            "tool_version": __version__,
            "inputs": "[]",
            "counts": "{}",
            "errors": "[]",
            "coverage_gaps": "[]",
            "host": socket.gethostname(),
            "pid": os.getpid(),
        })
        run_id = table.last_pk
    return Run(db=db, id=run_id)


def seal(db: sqlite_utils.Database, run_id: int, status: str, columns: dict[str, Any] | None = None) -> None:
    """End a run: final columns, its place in the chain and its hash. Call inside a transaction."""
    last = db.execute(
        "select chain_seq, row_hash from runs where chain_seq is not null order by chain_seq desc limit 1"
    ).fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, None)
    db["runs"].update(run_id, dict(columns or {}, status=status, ended_at=utc_now(), chain_seq=seq, prev_hash=prev))
    row = db["runs"].get(run_id)
    db["runs"].update(run_id, {"row_hash": row_hash(row)})


def finish_run(run: Run, *, interrupted: bool = False, failed: bool = False) -> str:
    status = run.status(interrupted=interrupted, failed=failed)
    with transaction(run.db):
        seal(run.db, run.id, status, run.progress_columns())
    return status


def recover_abandoned(db: sqlite_utils.Database) -> list[int]:
    """Seal as interrupted the runs left 'running' by processes of this host that are gone."""
    here = socket.gethostname()
    recovered = []
    with transaction(db):
        for run_id, pid in db.execute(
            "select id, pid from runs where status = 'running' and host = ? order by id", [here]
        ).fetchall():
            if pid != os.getpid() and not process_alive(pid):
                seal(db, run_id, "interrupted")
                recovered.append(run_id)
    return recovered


@dataclass
class ChainProblem:
    run_id: int | None
    message: str

    def __str__(self) -> str:
        return f"run {self.run_id}: {self.message}" if self.run_id is not None else self.message


def verify_chain(db: sqlite_utils.Database) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    previous_hash = None
    expected_seq = 1
    for row in db.query("select * from runs where chain_seq is not null order by chain_seq"):
        if row["chain_seq"] != expected_seq:
            problems.append(ChainProblem(row["id"], f"chain position {row['chain_seq']}, expected {expected_seq}: "
                                         "runs were removed from the history"))
            expected_seq = row["chain_seq"]
        if row["prev_hash"] != previous_hash:
            problems.append(ChainProblem(row["id"], "does not follow the run before it in the chain "
                                         "(a run was removed or rewritten)"))
        if row["row_hash"] != row_hash(row):
            problems.append(ChainProblem(row["id"], "row hash mismatch: the row was edited after it was recorded"))
        previous_hash = row["row_hash"]
        expected_seq += 1
    return problems

"""How every `shadowai scan <source>` command ends: one run under the inventory's lock, then its summary line and
its exit code.

A source command checks its options, builds its client and loads the catalogue, then hands `run_scan` only what
is its own: how to run the scan given the open inventory and the stop flag, and how to word its counts. The
rest is the same for every source: hold the lock (exit 4 when another scan keeps it), note the AI services
already known, run, list those that are new and not sanctioned, log ``run ID STATUS: …`` with the run's id,
status and counts as fields, and exit with the run's code (3 for a new unsanctioned service with --fail-on-new).
"""

from __future__ import annotations

import sys
from typing import Callable, NoReturn, Protocol

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.cli import reporting
from scanner.cli.options import scan_exit_code, scan_session
from scanner.interruption import StopFlag
from scanner.inventory.changes import known_services, new_unsanctioned


class FinishedRun(Protocol):
    """What every source's scan result has: the run it recorded, how it ended and what it counted."""

    run_id: int
    status: str
    counts: dict


def run_scan(db_path, wait: float, catalogue: Catalogue, *, fail_on_new: bool,
             scan: Callable[[sqlite_utils.Database, StopFlag], FinishedRun],
             summary: Callable[[FinishedRun], str]) -> NoReturn:
    """Run SCAN on the inventory at DB_PATH, log ``run ID STATUS: SUMMARY`` and exit with the run's code.

    SCAN is called with the open inventory and the stop flag (set by SIGTERM/SIGINT) and returns the scan's
    result; SUMMARY words that result's counts for the log line. With FAIL_ON_NEW, an AI service that this run
    added to the inventory and that is not sanctioned is a warning each and exit 3."""
    with scan_session(db_path, wait) as (db, stop):
        before = known_services(db)
        result = scan(db, stop)
        new = new_unsanctioned(db, catalogue, before)
    reporting.info(f"run {result.run_id} {result.status}: {summary(result)}",
                   run_id=result.run_id, status=result.status, counts=result.counts)
    sys.exit(scan_exit_code(result.status, new if fail_on_new else []))

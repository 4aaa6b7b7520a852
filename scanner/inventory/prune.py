"""Retention: remove old evidence samples and the cursors of log files long gone, keep everything else.

What goes:
- the evidence sample (host, path, client, user, file:line…) of every finding last seen before the cutoff.
  The finding itself stays, with its first and last seen, hits, matched rule and first and last run: the
  inventory still says that the service was used, by whom, where and when. If the finding is seen again,
  the next scan stores a fresh sample (store.py fills an empty sample).
- the cursor of a log file not read since the cutoff and no longer on disk (no file of its log, rotated or
  not, has its identity). A cursor whose file still exists is kept: dropping it would read the file again.

What stays: every run row. Runs are sealed with a hash chain (runs.py), so the prune does not edit them; it
is recorded as a run of its own (module ``prune``) with the cutoff and what it removed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlite_utils

from scanner.inventory.database import transaction

DURATION = re.compile(r"^\s*(\d+)\s*([dwy])\s*$")
UNITS = {"d": 1, "w": 7, "y": 365}
LOG_CURSORS = "logs"  # the only cursors whose files this module knows how to look for


class DurationError(ValueError):
    pass


def parse_age(text: str) -> timedelta:
    """'400d', '12w', '2y' -> a timedelta (a year is 365 days). At least one day."""
    match = DURATION.match(text or "")
    if not match:
        raise DurationError(f"'{text}' is not an age: a number and d, w or y (400d, 12w, 2y)")
    days = int(match.group(1)) * UNITS[match.group(2)]
    if days < 1:
        raise DurationError("the age must be at least 1d")
    return timedelta(days=days)


def cutoff_for(age: timedelta, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return (now - age).strftime("%Y-%m-%dT%H:%M:%SZ")


def log_file_present(location: str, identity: str) -> bool:
    """Whether a file of this log (the location names the log with rotation suffixes removed) still has the
    cursor's identity: the log itself, or any rotated or compressed file beside it."""
    from scanner.modules.logs.inputs import is_url, log_location
    from scanner.modules.logs.reader import open_log

    if is_url(location):  # a log in object storage (s3://…): listed through fsspec
        from scanner.modules.logs.remote import object_log_present

        return object_log_present(location, identity)
    folder = os.path.dirname(location)
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    for name in names:
        path = os.path.join(folder, name)
        if not os.path.isfile(path) or log_location(path) != location:
            continue
        try:
            log = open_log(path)
        except Exception:  # unreadable now: be safe, treat as present
            return True
        try:
            if log.identity == identity:
                return True
        finally:
            log.close()
    return False


@dataclass
class PruneResult:
    cutoff: str
    evidence_samples: int
    cursors: int


def stale_cursors(db: sqlite_utils.Database, cutoff: str) -> list[tuple[str, str]]:
    return [(row["source"], row["identity"]) for row in db.query(
        "select source, identity, location from cursors where source = ? and (updated_at is null or updated_at < ?)",
        [LOG_CURSORS, cutoff]) if not log_file_present(row["location"], row["identity"])]


def prune(db: sqlite_utils.Database, cutoff: str, *, dry_run: bool = False) -> PruneResult:
    """Remove what is older than ``cutoff`` (an ISO UTC time) in one transaction; ``dry_run`` only counts."""
    cursors = stale_cursors(db, cutoff)
    if dry_run:
        samples = db.execute("select count(*) from findings where last_seen < ? and evidence is not null",
                             [cutoff]).fetchone()[0]
        return PruneResult(cutoff, samples, len(cursors))
    with transaction(db):
        samples = db.execute("update findings set evidence = null where last_seen < ? and evidence is not null",
                             [cutoff]).rowcount
        db.conn.executemany("delete from cursors where source = ? and identity = ?", cursors)
    return PruneResult(cutoff, samples, len(cursors))

"""Open the inventory database: created with mode 0600, WAL journal, schema migrated to the current version.

Migrations are numbered functions applied in order inside one transaction each (``_v1`` here, the later ones in
modules of their own: ``migration_v2``); ``meta.schema_version`` records the last one applied. A database newer
than this program is refused rather than guessed at.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Callable

import sqlite_utils

from scanner.inventory import migration_v2

DEFAULT_DB = "shadowai.db"


class DatabaseError(Exception):
    """The inventory cannot be opened or is of an unknown (newer) schema."""


def _v1(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["runs"].create(
        {
            "id": int,
            "module": str,
            "scope": str,
            "parameters": str,
            "started_at": str,
            "ended_at": str,
            "status": str,
            "catalogue_version": str,
            "tool_version": str,
            "inputs": str,
            "counts": str,
            "errors": str,
            "coverage_gaps": str,
            "host": str,
            "pid": int,
            "chain_seq": int,
            "prev_hash": str,
            "row_hash": str,
        },
        pk="id",
    )
    db["runs"].create_index(["chain_seq"], unique=True)
    db["findings"].create(
        {
            "service_id": str,
            "source": str,
            "subject": str,
            "location": str,
            "first_seen": str,
            "last_seen": str,
            "hits": int,
            "matched_by": str,
            "evidence": str,
            "first_run": int,
            "last_run": int,
        },
        pk=("service_id", "source", "subject", "location"),
        not_null={"hits"},
        defaults={"hits": 0},
    )
    db["findings"].create_index(["last_seen"])
    db["sanctions"].create(
        {
            "target": str,  # a service id, or "category:<id>"
            "status": str,  # sanctioned | tolerated | blocked
            "owner": str,
            "approved_use": str,
            "review_date": str,
            "updated_at": str,
        },
        pk="target",
    )
    db["cursors"].create(
        {
            "source": str,
            "identity": str,  # what the input is, independent of its name (e.g. a hash of a log's first line)
            "location": str,
            "offset": int,  # bytes consumed (of the decompressed stream for compressed files)
            "line": int,  # lines consumed, so that errors keep their line numbers across runs
            "size": int,
            "mtime": float,
            "run_id": int,
            "updated_at": str,
        },
        pk=("source", "identity"),
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, migration_v2.migrate]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    if "meta" not in db.table_names():
        return 0
    row = db.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def create_private_file(path: Path) -> None:
    """Create the file with mode 0600 before SQLite opens it (SQLite would follow the umask)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(fd)


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseError(f"{path}: no inventory database here (run a scan first, or pass --db)")
    try:
        create_private_file(path)
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        db = sqlite_utils.Database(conn)
        db.execute("pragma busy_timeout = 30000")
        db.enable_wal()
        db.execute("pragma foreign_keys = on")
        migrate(db, path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: cannot open the inventory: {exc}") from exc
    return db


def migrate(db: sqlite_utils.Database, path: Path) -> None:
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path}: inventory schema version {current} is newer than this shadowai understands ({SCHEMA_VERSION})"
        )
    for number in range(current, SCHEMA_VERSION):
        with transaction(db):
            MIGRATIONS[number](db)
            db["meta"].upsert({"key": "schema_version", "value": str(number + 1)}, pk="key")


class transaction:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error): one writer at a time, all or nothing."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def __enter__(self) -> sqlite_utils.Database:
        self.db.execute("begin immediate")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("rollback" if exc_type else "commit")

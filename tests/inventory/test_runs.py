"""Run history: sealed in a hash chain; edits and removals are reported; abandoned runs are recovered."""

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from scanner.inventory.database import DatabaseError, open_db
from scanner.inventory.runs import finish_run, start_run, verify_chain
from tests.cli.runner import shadowai


def make_runs(db, count=3):
    for _ in range(count):
        run = start_run(db, "logs", catalogue_version="sha256:test")
        run.count("records", 5)
        finish_run(run)


def test_database_file_is_private_and_in_wal_mode(db_path):
    db = open_db(db_path)
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_a_database_from_a_newer_shadowai_is_refused(db_path):
    db = open_db(db_path)
    db.execute("update meta set value = '999' where key = 'schema_version'")
    db.conn.close()
    with pytest.raises(DatabaseError, match="newer than this shadowai"):
        open_db(db_path)


def test_an_untouched_chain_verifies(db):
    make_runs(db)
    assert verify_chain(db) == []
    rows = list(db.query("select chain_seq, prev_hash, row_hash from runs order by id"))
    assert [r["chain_seq"] for r in rows] == [1, 2, 3]
    assert rows[1]["prev_hash"] == rows[0]["row_hash"] and rows[2]["prev_hash"] == rows[1]["row_hash"]


def test_an_edited_run_row_is_reported(db):
    make_runs(db)
    db.execute("update runs set counts = '{\"records\": 1}' where id = 2")
    problems = verify_chain(db)
    assert [(p.run_id, "edited" in p.message) for p in problems] == [(2, True)]


def test_a_removed_run_is_reported(db):
    make_runs(db)
    db.execute("delete from runs where id = 2")
    messages = [str(p) for p in verify_chain(db)]
    assert any("runs were removed" in m for m in messages), messages


def test_runs_verify_command_fails_on_a_tampered_row(tmp_path, db_path):
    make_runs(open_db(db_path))
    ok = shadowai("runs", "--verify", "--db", db_path)
    assert ok.exit_code == 0 and "chain ok: 3 sealed runs verified" in ok.stderr
    with sqlite3.connect(db_path) as conn:
        conn.execute("update runs set status = 'succeeded', ended_at = '2020-01-01T00:00:00Z' where id = 1")
    bad = shadowai("runs", "--verify", "--db", db_path)
    assert bad.exit_code == 1
    assert "chain: run 1: row hash mismatch" in bad.stderr


def test_a_run_left_running_by_a_dead_process_is_sealed_as_interrupted(db_path):
    # A real process starts a run and dies without finishing it (as under SIGKILL).
    code = (
        "import os, sys; from scanner.inventory.database import open_db; from scanner.inventory.runs import start_run;"
        f"start_run(open_db({str(db_path)!r}), 'logs', catalogue_version='x'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    db = open_db(db_path)
    assert db.execute("select status from runs").fetchall() == [("running",)]
    run = start_run(db, "logs", catalogue_version="x")
    finish_run(run)
    assert db.execute("select id, status from runs order by id").fetchall() == [(1, "interrupted"), (2, "succeeded")]
    assert verify_chain(db) == []


def test_runs_lists_status_counts_and_gaps(db):
    run = start_run(db, "logs", catalogue_version="x")
    run.gap("/var/log/x.log", "permission denied")
    finish_run(run)
    assert db.execute("select status from runs").fetchone()[0] == "partial"

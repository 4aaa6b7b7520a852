"""Crash safety of `scan logs`: SIGKILL at any point, SIGTERM, and two scans at once against one database."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.squid_lines import squid, write_log

T0 = 1764460800.0
SHADOWAI = [sys.executable, "-m", "scanner"]


def write_big_log(path, lines=60000):
    rows = []
    for i in range(lines):
        host = ("chatgpt.com", "claude.ai", "api.openai.com", "www.perplexity.ai")[i % 4]
        rows.append(squid(T0 + i, host, user=f"user{i % 13}"))
    write_log(path, rows)


def inventory(db_path):
    with sqlite3.connect(db_path) as conn:
        return sorted(conn.execute("select service_id, subject, location, hits, first_seen, last_seen from findings"))


def cursor_offset(db_path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("select max(offset) from cursors").fetchone()
            return row[0] or 0
    except sqlite3.Error:
        return 0


def slow_scan_env():
    # Small blocks and a commit after every block: many checkpoints to be killed between.
    return dict(os.environ, SHADOWAI_LOGS_BLOCK_BYTES="32768", SHADOWAI_LOGS_COMMIT_BLOCKS="1")


def start_scan(log, db_path, *extra):
    return subprocess.Popen([*SHADOWAI, "scan", "logs", str(log), "--db", str(db_path), "--quiet",
                             "--workers", "1", "--parse-all", *extra],
                            env=slow_scan_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_progress(db_path, process, minimum=1):
    deadline = time.monotonic() + 60
    while cursor_offset(db_path) < minimum:
        assert process.poll() is None, "the scan finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.mark.parametrize("kill_after_bytes", [1, 2_000_000])
def test_sigkill_mid_scan_then_rescan_equals_one_clean_scan(tmp_path, kill_after_bytes):
    log = tmp_path / "access.log"
    write_big_log(log)
    clean_db = tmp_path / "clean.db"
    subprocess.run([*SHADOWAI, "scan", "logs", str(log), "--db", str(clean_db), "--quiet"], check=True)

    db = tmp_path / "killed.db"
    process = start_scan(log, db)
    wait_for_progress(db, process, kill_after_bytes)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < cursor_offset(db) < log.stat().st_size, "killed too late to test anything"

    subprocess.run([*SHADOWAI, "scan", "logs", str(log), "--db", str(db), "--quiet"], check=True)
    assert inventory(db) == inventory(clean_db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        statuses = [row[0] for row in conn.execute("select status from runs order by id")]
    assert statuses == ["interrupted", "succeeded"]
    verify = subprocess.run([*SHADOWAI, "runs", "--verify", "--db", str(db)], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr


def test_sigterm_finishes_the_batch_and_records_the_run_as_interrupted(tmp_path):
    log = tmp_path / "access.log"
    write_big_log(log)
    db = tmp_path / "inv.db"
    process = start_scan(log, db)
    wait_for_progress(db, process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 130
    with sqlite3.connect(db) as conn:
        status, gaps = conn.execute("select status, coverage_gaps from runs").fetchone()
    assert status == "interrupted" and "stopped by SIGTERM" in gaps
    subprocess.run([*SHADOWAI, "scan", "logs", str(log), "--db", str(db), "--quiet"], check=True)
    clean = tmp_path / "clean.db"
    subprocess.run([*SHADOWAI, "scan", "logs", str(log), "--db", str(clean), "--quiet"], check=True)
    assert inventory(db) == inventory(clean)


def test_a_second_scan_waits_for_the_lock_then_exits_4_and_corrupts_nothing(tmp_path):
    log = tmp_path / "access.log"
    write_big_log(log)
    db = tmp_path / "inv.db"
    first = start_scan(log, db)
    wait_for_progress(db, first)
    second = subprocess.run([*SHADOWAI, "scan", "logs", str(log), "--db", str(db), "--wait", "0.3"],
                            capture_output=True, text=True)
    assert second.returncode == 4
    assert "inventory is locked by pid" in second.stderr and f"{first.pid}" in second.stderr
    assert first.wait(timeout=120) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from runs").fetchone()[0] == 1


def test_a_lock_left_by_a_killed_scan_is_taken_over(tmp_path):
    log = tmp_path / "access.log"
    write_big_log(log, lines=20000)
    db = tmp_path / "inv.db"
    first = start_scan(log, db)
    wait_for_progress(db, first)
    first.send_signal(signal.SIGKILL)
    first.wait()
    again = subprocess.run([*SHADOWAI, "scan", "logs", str(log), "--db", str(db), "--wait", "0"],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr


def test_sigterm_stops_a_parallel_scan_and_its_workers(tmp_path):
    log = tmp_path / "access.log"
    write_big_log(log)
    db = tmp_path / "inv.db"
    env = dict(slow_scan_env(), SHADOWAI_LOGS_RANGE_BYTES="65536")
    process = subprocess.Popen([*SHADOWAI, "scan", "logs", str(log), "--db", str(db), "--quiet", "--workers", "2",
                                "--parse-all"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_progress(db, process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 130
    subprocess.run([*SHADOWAI, "scan", "logs", str(log), "--db", str(db), "--quiet"], check=True)
    clean = tmp_path / "clean.db"
    subprocess.run([*SHADOWAI, "scan", "logs", str(log), "--db", str(clean), "--quiet"], check=True)
    assert inventory(db) == inventory(clean)

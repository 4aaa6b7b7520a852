"""Retention: `shadowai prune --older-than` drops old evidence samples and cursors of vanished logs, and keeps
the findings' dates, counts and runs, and the run chain."""

import json
import os
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from scanner.inventory.prune import DurationError, cutoff_for, log_file_present, parse_age
from tests.cli.runner import shadowai
from tests.squid_lines import append_log, squid, write_log

OLD = 1672531200.0  # 2023-01-01: more than 400 days ago
RECENT = datetime.now(timezone.utc).timestamp() - 3 * 86400


def findings(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return {row["subject"]: dict(row) for row in conn.execute("select * from findings")}


def cursors(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select location from cursors order by location").fetchall()


def age_cursors(db_path, when="2023-02-01T00:00:00Z"):
    with sqlite3.connect(db_path) as conn:  # cursors are not part of the hashed run chain
        conn.execute("update cursors set updated_at = ?", [when])


def scan(paths, db_path):
    result = shadowai("scan", "logs", *paths, "--db", db_path, "-q")
    assert result.exit_code == 0, result.output


def test_old_evidence_goes_and_everything_else_stays(tmp_path, db_path):
    write_log(tmp_path / "access.log", [squid(OLD, "chatgpt.com", user="old-user"),
                                        squid(OLD + 60, "chatgpt.com", user="old-user"),
                                        squid(RECENT, "claude.ai", user="new-user")])
    scan([tmp_path / "access.log"], db_path)
    before = findings(db_path)
    result = shadowai("prune", "--older-than", "400d", "--db", db_path)
    assert result.exit_code == 0, result.output
    after = findings(db_path)
    assert after["old-user"]["evidence"] is None
    assert {k: v for k, v in after["old-user"].items() if k != "evidence"} == \
        {k: v for k, v in before["old-user"].items() if k != "evidence"}  # first/last seen, hits, runs kept
    assert after["new-user"] == before["new-user"]
    with sqlite3.connect(db_path) as conn:
        module, status, counts, parameters = conn.execute(
            "select module, status, counts, parameters from runs order by id desc limit 1").fetchone()
    assert (module, status) == ("prune", "succeeded")
    assert json.loads(counts)["evidence_samples_removed"] == 1
    assert json.loads(parameters)["older_than"] == "400d"
    verify = shadowai("runs", "--verify", "--db", db_path)
    assert verify.exit_code == 0 and "chain ok: 2 sealed runs verified" in verify.output


def test_a_pruned_finding_seen_again_gets_a_fresh_sample(tmp_path, db_path):
    log = tmp_path / "access.log"
    write_log(log, [squid(OLD, "chatgpt.com", user="ann", path="/old")])
    scan([log], db_path)
    shadowai("prune", "--older-than", "1y", "--db", db_path)
    append_log(log, [squid(RECENT, "chatgpt.com", user="ann", path="/again")])
    scan([log], db_path)
    row = findings(db_path)["ann"]
    assert json.loads(row["evidence"])["path"] == "/again" and row["hits"] == 2
    assert row["first_seen"].startswith("2023-01-01")


def test_cursors_of_vanished_logs_go_and_cursors_of_present_or_rotated_logs_stay(tmp_path, db_path):
    (tmp_path / "gone").mkdir()
    (tmp_path / "kept").mkdir()
    write_log(tmp_path / "gone" / "access.log", [squid(OLD, "chatgpt.com", user="a")])
    write_log(tmp_path / "kept" / "access.log", [squid(OLD, "claude.ai", user="b")])
    write_log(tmp_path / "kept" / "proxy.log", [squid(OLD, "claude.ai", user="c")])
    scan([tmp_path / "gone" / "access.log", tmp_path / "kept" / "access.log", tmp_path / "kept" / "proxy.log"],
         db_path)
    os.remove(tmp_path / "gone" / "access.log")
    os.rename(tmp_path / "kept" / "proxy.log", tmp_path / "kept" / "proxy.log.1")  # rotated: still this log
    age_cursors(db_path)
    dry = shadowai("prune", "--older-than", "400d", "--db", db_path, "--dry-run")
    assert "would remove 3 evidence samples" in dry.output and "and 1 cursors" in dry.output
    assert len(cursors(db_path)) == 3
    assert shadowai("prune", "--older-than", "400d", "--db", db_path).exit_code == 0
    assert cursors(db_path) == [(str(tmp_path / "kept" / "access.log"),), (str(tmp_path / "kept" / "proxy.log"),)]
    scan([tmp_path / "kept" / "access.log", tmp_path / "kept" / "proxy.log.1"], db_path)
    assert {row["subject"]: row["hits"] for row in findings(db_path).values()} == {"a": 1, "b": 1, "c": 1}


def test_vacuum_leaves_a_sound_database(tmp_path, db_path):
    write_log(tmp_path / "access.log", [squid(OLD + i, "chatgpt.com", user=f"u{i}", path="/" + "x" * 200)
                                        for i in range(2000)])
    scan([tmp_path / "access.log"], db_path)
    assert shadowai("prune", "--older-than", "400d", "--db", db_path, "--vacuum").exit_code == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from findings where evidence is null").fetchone()[0] == 2000


def test_recent_cursors_stay_even_when_their_file_is_gone(tmp_path, db_path):
    write_log(tmp_path / "access.log", [squid(OLD, "chatgpt.com", user="a")])
    scan([tmp_path / "access.log"], db_path)
    os.remove(tmp_path / "access.log")
    shadowai("prune", "--older-than", "400d", "--db", db_path)
    assert len(cursors(db_path)) == 1


def test_a_dry_run_changes_nothing_and_records_no_run(tmp_path, db_path):
    write_log(tmp_path / "access.log", [squid(OLD, "chatgpt.com", user="a")])
    scan([tmp_path / "access.log"], db_path)
    before = findings(db_path)
    assert shadowai("prune", "--older-than", "400d", "--db", db_path, "--dry-run").exit_code == 0
    assert findings(db_path) == before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*) from runs").fetchone()[0] == 1


@pytest.mark.parametrize("text, days", [("400d", 400), ("12w", 84), ("2y", 730), (" 30 d ", 30)])
def test_ages(text, days):
    assert parse_age(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["400", "0d", "3m", "-1d", ""])
def test_bad_ages_are_refused(text):
    with pytest.raises(DurationError):
        parse_age(text)


def test_a_bad_age_is_a_usage_error_and_a_missing_inventory_is_not_created(tmp_path, db_path):
    assert shadowai("prune", "--older-than", "soon", "--db", db_path).exit_code == 2
    result = shadowai("prune", "--older-than", "400d", "--db", db_path)
    assert result.exit_code == 1 and not db_path.exists()


def test_the_cutoff_is_utc_in_the_inventory_format():
    now = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    assert cutoff_for(timedelta(days=400), now) == "2025-01-25T12:00:00Z"


def test_a_log_counts_as_present_when_a_compressed_rotation_has_its_identity(tmp_path):
    import gzip

    from scanner.modules.logs.reader import open_log

    write_log(tmp_path / "original.log", [squid(OLD, "chatgpt.com")])
    log = open_log(str(tmp_path / "original.log"))
    identity = log.identity
    log.close()
    with gzip.open(tmp_path / "access.log.2.gz", "wb") as handle:
        handle.write((tmp_path / "original.log").read_bytes())
    (tmp_path / "original.log").unlink()
    (tmp_path / "other.log").write_text("unrelated\n", encoding="utf-8")
    location = str(tmp_path / "access.log")
    assert log_file_present(location, identity)
    assert not log_file_present(location, "0" * 64)

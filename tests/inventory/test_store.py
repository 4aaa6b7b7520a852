"""Upserting findings: event sources add up, snapshot sources replace, timestamps widen."""

from scanner.findings import Finding
from scanner.inventory.runs import finish_run, start_run
from scanner.inventory.store import FindingBatch, commit_batch


def finding(hits=1, seen_at="2026-01-02T00:00:00Z"):
    return Finding("claude", "repo", "acme/app", "requirements.txt", seen_at, "packages:pypi", {"line": 3}, hits)


def scan_once(db, findings, *, snapshot, batches=1):
    run = start_run(db, "repo", catalogue_version="x")
    for _ in range(batches):
        batch = FindingBatch()
        for f in findings:
            batch.add(f)
        commit_batch(db, run, batch, snapshot=snapshot)
    finish_run(run)
    return db.execute("select hits, first_seen, last_seen, first_run, last_run from findings").fetchone()


def test_event_sources_add_hits_across_runs(db):
    scan_once(db, [finding(2)], snapshot=False)
    assert scan_once(db, [finding(3)], snapshot=False)[0] == 5


def test_snapshot_sources_replace_hits_of_an_earlier_run(db):
    scan_once(db, [finding(2)], snapshot=True)
    hits, *_ , first_run, last_run = scan_once(db, [finding(2)], snapshot=True)
    assert (hits, first_run, last_run) == (2, 1, 2)


def test_snapshot_sources_add_within_one_run_across_batches(db):
    assert scan_once(db, [finding(2)], snapshot=True, batches=3)[0] == 6


def test_first_and_last_seen_widen_from_evidence_time(db):
    scan_once(db, [finding(seen_at="2026-03-01T00:00:00Z")], snapshot=False)
    _, first, last, *_ = scan_once(db, [finding(seen_at="2026-01-01T00:00:00Z"),
                                        finding(seen_at="2026-05-01T00:00:00Z")], snapshot=False)
    assert (first, last) == ("2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z")


def test_snapshot_sources_keep_the_latest_evidence_and_event_sources_the_first(db):
    def with_evidence(value):
        return Finding("claude", "repo", "acme/app", "requirements.txt", None, "packages:pypi", {"v": value})

    scan_once(db, [with_evidence("old")], snapshot=True)
    scan_once(db, [with_evidence("new")], snapshot=True)
    assert db.execute("select evidence from findings").fetchone()[0] == '{"v": "new"}'
    db.execute("delete from findings")
    scan_once(db, [with_evidence("first")], snapshot=False)
    scan_once(db, [with_evidence("second")], snapshot=False)
    assert db.execute("select evidence from findings").fetchone()[0] == '{"v": "first"}'

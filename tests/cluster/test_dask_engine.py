"""The Dask engine's plumbing: retries and lost workers counted once each, a task's result taken once, a scan
context built once per worker, and a worker of another shadowai version refusing to scan."""

from __future__ import annotations

import pickle

import pytest


from scanner.cluster import dask_engine
from scanner.cluster.context import ScanContext
from scanner.cluster.dask_engine import TASK_RETRIES, TaskFailed, TaskLedger, register_context, unregister_context
from scanner.inventory.runs import finish_run, start_run
from tests.support.dask_cluster import KillOnce, always_fail, fail_once, local_cluster

BUILDS: list[int] = []


def count_build(value):
    BUILDS.append(value)
    return {"value": value}


def context_value(name: str):
    from scanner.cluster.context import worker_context

    return worker_context(name)["value"]


def slow_double(value: int) -> int:
    import time

    time.sleep(0.05)
    return value * 2


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(2) as client:
        yield client


def run_counts(db, ledger: TaskLedger) -> dict:
    run = start_run(db, "test", catalogue_version="test")
    ledger.record(run)
    ledger.record(run)  # recording again updates the counts, never adds to them
    finish_run(run)
    return run.counts


def test_a_task_that_fails_once_is_retried_and_its_result_taken_once(cluster, tmp_path, db):
    with TaskLedger(cluster, "test") as ledger:
        assert ledger.result(ledger.submit(fail_once, str(tmp_path / "failed"), 42)) == 42
        counts = run_counts(db, ledger)
    assert counts == {"cluster_tasks": 1, "cluster_task_errors_retried": 1, "cluster_tasks_lost_with_worker": 0,
                      "cluster_tasks_failed": 0}


def test_a_task_that_keeps_failing_fails_for_good_after_its_retries(cluster, db):
    with TaskLedger(cluster, "test") as ledger:
        with pytest.raises(TaskFailed, match="failed: RuntimeError"):
            ledger.result(ledger.submit(always_fail))
        counts = run_counts(db, ledger)
    assert counts["cluster_tasks_failed"] == 1
    assert counts["cluster_task_errors_retried"] == TASK_RETRIES


def test_a_worker_killed_while_running_a_task_is_counted_and_the_task_runs_again(cluster, tmp_path, db):
    cluster.register_plugin(KillOnce("slow_double", str(tmp_path / "killed")), name="kill-once")
    try:
        with TaskLedger(cluster, "test") as ledger:
            futures = [ledger.submit(slow_double, n) for n in range(6)]
            assert [ledger.result(f) for f in futures] == [0, 2, 4, 6, 8, 10]
            counts = run_counts(db, ledger)
    finally:
        cluster.unregister_worker_plugin("kill-once")
    assert (tmp_path / "killed").exists()
    assert counts["cluster_tasks_lost_with_worker"] >= 1
    assert counts["cluster_tasks"] == 6 and counts["cluster_tasks_failed"] == 0


def test_the_scan_context_is_built_once_per_worker_whatever_the_number_of_tasks():
    BUILDS.clear()
    with local_cluster(2, processes=False) as client:  # workers in this process: their builds are visible here
        name = register_context(client, "tests.cluster.test_dask_engine:count_build", "catalogue-v1")
        with TaskLedger(client, "test") as ledger:
            values = [ledger.result(ledger.submit(context_value, name)) for _ in range(20)]
        unregister_context(client, name)
    assert values == ["catalogue-v1"] * 20
    assert BUILDS == ["catalogue-v1", "catalogue-v1"]


def test_a_worker_running_another_shadowai_version_refuses_the_scan():
    plugin = ScanContext("shadowai-x", "tests.cluster.test_dask_engine:count_build",
                         pickle.dumps(("0.0.1-other", "value")))
    plugin.setup()
    assert plugin.context is None and "same version" in plugin.problem


def test_connecting_to_a_scheduler_that_is_not_there_fails_within_the_timeout(monkeypatch, unused_port):
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 1)
    settings = dask_engine.EngineSettings("dask", f"tcp://127.0.0.1:{unused_port}")
    with pytest.raises(dask_engine.EngineUnavailable, match="cannot reach the Dask scheduler"):
        with dask_engine.connect(settings):
            pass


@pytest.fixture
def unused_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

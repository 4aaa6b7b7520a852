"""`scan logs --engine dask`: the same findings as the local engine, finding by finding (hits, first and last
seen, evidence), from plain files cut into byte ranges, gzip and header formats; cursors; worker loss; s3://."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import boto3
import pytest


from scanner.cluster import dask_engine
from scanner.modules.logs import blocks, parallel
from scanner.modules.logs.blocks import BlockParser, ChunkResult, format_prefilter
from scanner.modules.logs.dask_scan import ReadJob, range_bounds, read_range
from scanner.modules.logs.formats.host_list import HostList
from scanner.modules.logs.prefilter import catalogue_literals
from scanner.modules.logs.remote import ObjectStore
from tests.cli.runner import shadowai
from tests.squid_lines import append_log, squid, write_log
from tests.support.dask_cluster import FAKE_AWS, KillOnce, local_cluster

T0 = 1764460800.0
AI_HOSTS = ("chatgpt.com", "claude.ai", "api.openai.com", "api.anthropic.com", "gemini.google.com")


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(2) as client:
        yield client


@pytest.fixture
def scheduler(cluster):
    return cluster.scheduler.address


@pytest.fixture(autouse=True)
def small_ranges(monkeypatch):
    """Kilobytes instead of megabytes, so that small files are split into many ranges and blocks."""
    monkeypatch.setattr(parallel, "RANGE_BYTES", 16 << 10)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 32 << 10)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4 << 10)


def proxy_lines(count: int, *, start: int = 0, seed: int = 0) -> list[str]:
    rows = []
    for i in range(start, start + count):
        if i % 41 == 7:
            # out of time order now and then, so that first/last seen are a min/max, not the first/last line
            ts = T0 + i - (900 if i % 3 == 0 else 0)
            rows.append(squid(ts, AI_HOSTS[(i + seed) % len(AI_HOSTS)], user=f"user{i % 5}", path=f"/c/{i}"))
        elif i % 997 == 500:
            rows.append("1764460801.000 12 10.0.0.5 TCP_MISS/200 100 GET https://claude.ai/cut")  # malformed
        else:
            rows.append(squid(T0 + i, f"site{i % 300}.example.org", user=f"user{i % 5}"))
    return rows


@pytest.fixture
def logs(tmp_path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    write_log(folder / "access.log", proxy_lines(4000))  # ~480 KB: about thirty ranges
    with gzip.open(folder / "access.log.1.gz", "wt", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in proxy_lines(1500, start=20000, seed=2)))
    (folder / "hosts.txt").write_text("# hosts seen by the resolver\nclaude.ai\nexample.org\nchat.deepseek.com\n",
                                      encoding="utf-8")
    (folder / "eve.json").write_text("".join(json.dumps({
        "timestamp": f"2025-11-30T10:00:{n:02d}.000000+0000", "event_type": "dns", "src_ip": f"10.0.0.{n}",
        "dns": {"type": "query", "rrname": host, "rrtype": "A"}}) + "\n"
        for n, host in enumerate(["claude.ai", "www.example.com", "api.mistral.ai", "claude.ai"])), encoding="utf-8")
    return folder


def findings(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return sorted(conn.execute("select service_id, source, subject, location, hits, first_seen, last_seen, "
                                   "matched_by, evidence from findings"))


def last_run(db_path) -> dict:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("select * from runs order by id desc limit 1").fetchone())
    return {key: json.loads(row[key]) if key in ("counts", "errors", "coverage_gaps", "inputs", "parameters")
            else row[key] for key in row.keys()}


def scan_local(paths, db_path, *extra):
    return shadowai("scan", "logs", *paths, "--workers", "1", "--db", db_path, "--quiet", *extra)


def scan_dask(paths, db_path, scheduler, *extra):
    return shadowai("scan", "logs", *paths, "--engine", "dask", "--scheduler", scheduler, "--db", db_path,
                    "--quiet", *extra)


def same_reading(local: dict, dask: dict, *, where: tuple[str, str] = ("", "")) -> None:
    """The same lines read, matched and refused, the same errors at the same file:line (``where``: the dask
    run's folder or bucket, and the local one's)."""
    for name in ("records", "matched_records", "bad_records", "files", "files_unchanged", "errors"):
        assert local["counts"].get(name) == dask["counts"].get(name), name
    assert local["errors"] == [{**e, "where": e["where"].replace(*where)} for e in dask["errors"]]


def test_the_dask_engine_finds_what_the_local_engine_finds(logs, tmp_path, scheduler):
    local = scan_local([logs], tmp_path / "local.db")
    dask = scan_dask([logs], tmp_path / "dask.db", scheduler)
    assert local.exit_code == dask.exit_code == 1  # the malformed lines
    expected = findings(tmp_path / "local.db")
    assert {row[0] for row in expected} >= {"chatgpt", "claude", "openai-api", "deepseek-chat", "mistral-api"}
    assert findings(tmp_path / "dask.db") == expected
    local_run, dask_run = last_run(tmp_path / "local.db"), last_run(tmp_path / "dask.db")
    same_reading(local_run, dask_run)
    assert [e["where"] for e in dask_run["errors"]] == [f"{logs}/access.log:501", f"{logs}/access.log:1498",
                                                        f"{logs}/access.log:2495", f"{logs}/access.log:3492",
                                                        f"{logs}/access.log.1.gz:441", f"{logs}/access.log.1.gz:1438"]
    assert dask_run["parameters"]["engine"] == "dask" and dask_run["parameters"]["workers"] == 2
    plain = next(i for i in dask_run["inputs"] if i["path"].endswith("access.log"))
    assert len(plain["read"]) > 20 and plain["read"][0]["from"] == 0
    assert all(a["to"] == b["from"] for a, b in zip(plain["read"], plain["read"][1:]))  # contiguous ranges
    assert plain["read"][-1]["to"] == (logs / "access.log").stat().st_size
    assert dask_run["counts"]["cluster_tasks"] > 30 and dask_run["counts"]["cluster_tasks_failed"] == 0


def test_incremental_scans_resume_from_the_cursors_as_the_local_engine_does(logs, tmp_path, scheduler):
    local_logs, dask_logs = tmp_path / "local-logs", tmp_path / "dask-logs"
    shutil.copytree(logs, local_logs)
    shutil.copytree(logs, dask_logs)
    scan_local([local_logs], tmp_path / "local.db")
    scan_dask([dask_logs], tmp_path / "dask.db", scheduler)
    for folder in (local_logs, dask_logs):
        append_log(folder / "access.log", proxy_lines(1200, start=4000, seed=1))
        (folder / "access.log").rename(folder / "access.log.1")  # rotated: the same file under a new name
    scan_local([local_logs], tmp_path / "local.db")
    scan_dask([dask_logs], tmp_path / "dask.db", scheduler)

    def relative(rows, folder):
        return [tuple(str(v).replace(str(folder), "LOGS") for v in row) for row in rows]

    assert relative(findings(tmp_path / "dask.db"), dask_logs) == relative(findings(tmp_path / "local.db"),
                                                                           local_logs)
    second = last_run(tmp_path / "dask.db")
    assert second["counts"]["files_unchanged"] == 3  # the gzip, the host list and the eve.json
    same_reading(last_run(tmp_path / "local.db"), second, where=(str(dask_logs), str(local_logs)))
    rotated = next(i for i in second["inputs"] if i["path"].endswith("access.log.1"))
    assert rotated["read"][0]["from"] == (logs / "access.log").stat().st_size  # only the appended lines


def test_a_worker_killed_mid_scan_changes_nothing_in_the_findings(logs, tmp_path, cluster, scheduler):
    cluster.register_plugin(KillOnce("read_job", str(tmp_path / "killed")), name="kill-a-log-worker")
    try:
        dask = scan_dask([logs], tmp_path / "dask.db", scheduler)
    finally:
        cluster.unregister_worker_plugin("kill-a-log-worker")
    scan_local([logs], tmp_path / "local.db")
    assert (tmp_path / "killed").exists()
    assert dask.exit_code == 1  # the malformed lines, as locally; no coverage gap
    assert findings(tmp_path / "dask.db") == findings(tmp_path / "local.db")
    run = last_run(tmp_path / "dask.db")
    assert run["coverage_gaps"] == []
    assert run["counts"]["cluster_tasks_lost_with_worker"] >= 1 and run["counts"]["cluster_tasks_failed"] == 0
    same_reading(last_run(tmp_path / "local.db"), run)


@pytest.fixture(scope="module")
def moto_url():
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(moto_url, monkeypatch, logs):
    """The log folder uploaded under s3://shadowai-logs/proxy/ (fake credentials, as on the workers)."""
    for name, value in FAKE_AWS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    s3 = boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1")
    s3.create_bucket(Bucket="shadowai-logs")
    for path in sorted(logs.iterdir()):
        s3.upload_file(str(path), "shadowai-logs", f"proxy/{path.name}")
    yield "s3://shadowai-logs/proxy/"
    for item in s3.list_objects_v2(Bucket="shadowai-logs").get("Contents", []):
        s3.delete_object(Bucket="shadowai-logs", Key=item["Key"])
    s3.delete_bucket(Bucket="shadowai-logs")


def by_file(rows: list[tuple], folder: str) -> list[tuple]:
    """Findings with the folder or bucket prefix taken out of locations and evidence (the file names stay)."""
    return sorted(tuple(str(v).replace(folder, "") for v in row) for row in rows)


def test_logs_read_from_s3_give_the_findings_of_the_same_files_read_locally(logs, bucket, moto_url, tmp_path,
                                                                            scheduler):
    scan_local([logs], tmp_path / "local.db")
    dask = scan_dask([bucket], tmp_path / "dask.db", scheduler, "--storage-option", f"endpoint_url={moto_url}")
    assert dask.exit_code == 1, dask.output
    run = last_run(tmp_path / "dask.db")
    assert sorted(i["path"] for i in run["inputs"]) == [f"{bucket}{name}" for name in
                                                         ("access.log", "access.log.1.gz", "eve.json", "hosts.txt")]
    local_rows = findings(tmp_path / "local.db")
    for row in local_rows:  # the host list has no times: its evidence time is the file's mtime, not the object's
        assert row[5] is not None
    dask_rows = findings(tmp_path / "dask.db")
    timed = lambda rows: [r for r in rows if not r[3].endswith("hosts.txt")]  # noqa: E731
    assert by_file(timed(dask_rows), bucket) == by_file(timed(local_rows), f"{logs}/")
    assert len(dask_rows) == len(local_rows)
    same_reading(last_run(tmp_path / "local.db"), run, where=(bucket, f"{logs}/"))


def test_the_local_engine_reads_s3_too(logs, bucket, moto_url, tmp_path):
    result = shadowai("scan", "logs", f"{bucket}access.log*", "--db", tmp_path / "s3.db", "--quiet",
                      "--storage-option", f"endpoint_url={moto_url}")
    assert result.exit_code == 1
    scan_local([logs / "access.log", logs / "access.log.1.gz"], tmp_path / "local.db")
    assert by_file(findings(tmp_path / "s3.db"), bucket) == by_file(findings(tmp_path / "local.db"), f"{logs}/")


def test_an_s3_prefix_that_names_nothing_is_a_coverage_gap(bucket, moto_url, tmp_path, scheduler):
    result = scan_dask(["s3://shadowai-logs/nothing-here/"], tmp_path / "dask.db", scheduler,
                       "--storage-option", f"endpoint_url={moto_url}")
    assert result.exit_code == 1
    assert last_run(tmp_path / "dask.db")["coverage_gaps"] == [
        {"what": "s3://shadowai-logs/nothing-here/", "why": "no such object, prefix or glob match"}]


def test_the_config_file_runs_the_logs_source_on_the_cluster(logs, tmp_path, scheduler):
    config = tmp_path / "shadowai.toml"
    config.write_text(f'[sources.logs]\npaths = ["{logs}"]\nengine = "dask"\nscheduler = "{scheduler}"\n',
                      encoding="utf-8")
    result = shadowai("scan", "--config", config, "--db", tmp_path / "inv.db", "--quiet")
    assert result.exit_code == 1, result.output
    with sqlite3.connect(tmp_path / "inv.db") as conn:
        parameters = json.loads(conn.execute("select parameters from runs where module = 'logs'").fetchone()[0])
    assert parameters["engine"] == "dask" and parameters["scheduler"] == scheduler


@pytest.mark.parametrize("arguments, message", [
    (["--scheduler", "tcp://127.0.0.1:8786"], "go with --engine dask"),
    (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--dask-workers", "2"], "sizes a local cluster"),
    (["--storage-option", "secret_access_key=abc"], "looks like a credential"),
    (["--storage-option", 'client_kwargs={"aws_secret_access_key": "abc"}'], "looks like a credential"),
    (["--storage-option", "endpoint_url"], "is not KEY=VALUE"),
])
def test_engine_options_that_do_not_fit_together_are_usage_errors(tmp_path, arguments, message):
    log = tmp_path / "access.log"
    write_log(log, proxy_lines(3))
    result = shadowai("scan", "logs", log, "--db", tmp_path / "inv.db", *arguments)
    assert result.exit_code == 2 and message in result.output


def test_standard_input_is_for_the_local_engine_only(tmp_path):
    result = shadowai("scan", "logs", "-", "--engine", "dask", "--db", tmp_path / "inv.db", input="claude.ai\n")
    assert result.exit_code == 2 and "local engine only" in result.output


def test_an_unreachable_scheduler_is_a_recorded_coverage_gap(tmp_path, monkeypatch):
    import socket

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 1)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "access.log"
    write_log(log, proxy_lines(3))
    result = shadowai("scan", "logs", log, "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}",
                      "--db", tmp_path / "inv.db")
    assert result.exit_code == 1
    run = last_run(tmp_path / "inv.db")
    assert run["status"] == "partial" and "cannot reach the Dask scheduler" in run["coverage_gaps"][0]["why"]


@pytest.mark.parametrize("range_bytes", [7, 64, 333, 4096])
def test_byte_ranges_aligned_by_their_workers_read_every_line_exactly_once(tmp_path, catalogue, range_bytes,
                                                                            monkeypatch):
    monkeypatch.setattr(parallel, "RANGE_BYTES", range_bytes)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", range_bytes)
    path = tmp_path / "hosts.txt"
    lines = [f"https://{'claude.ai' if n % 5 == 0 else f'host{n}.example.org'}/{'x' * (n % 400)}" for n in range(300)]
    path.write_text("\n".join(lines) + "\nchatgpt.com", encoding="utf-8")  # the last line has no newline
    size = path.stat().st_size
    prefilter = format_prefilter(catalogue_literals(catalogue), HostList)
    spans, total_lines, matched = [], 0, 0
    for begin, end in range_bounds(0, size):
        job = ReadJob(str(path), begin, end, begin == 0, False, "host-list", (), "loc", None, False, 1000,
                      ObjectStore())
        parser = BlockParser(HostList, [], prefilter, catalogue.matcher, name=str(path), location="loc",
                             evidence_time=None)
        result = ChunkResult()
        spans.append(read_range(job, parser, result))
        total_lines += result.lines
        matched += result.matched
    assert spans[0][0] == 0 and spans[-1][1] == size
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert total_lines == 301 and matched == 61


def test_prune_keeps_the_cursor_of_an_object_still_in_the_bucket_and_drops_it_once_gone(bucket, moto_url, tmp_path,
                                                                                         monkeypatch):
    from scanner.inventory.database import open_db
    from scanner.inventory.prune import prune

    shadowai("scan", "logs", f"{bucket}access.log", "--db", tmp_path / "s3.db", "--quiet",
             "--storage-option", f"endpoint_url={moto_url}")
    db = open_db(tmp_path / "s3.db")
    assert [row[0] for row in db.execute("select location from cursors")] == [f"{bucket}access.log"]
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)  # prune has no storage options: botocore's own variable
    assert prune(db, "2999-01-01T00:00:00Z").cursors == 0
    boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1").delete_object(
        Bucket="shadowai-logs", Key="proxy/access.log")
    import fsspec

    fsspec.filesystem("s3").invalidate_cache()
    assert prune(db, "2999-01-01T00:00:00Z").cursors == 1


def test_the_subject_map_reaches_the_workers(tmp_path, scheduler):
    log = tmp_path / "access.log"
    write_log(log, [squid(T0 + n, "claude.ai", client=f"10.{n % 3}.0.{n}") for n in range(1, 40)])
    subjects = tmp_path / "subjects.csv"
    subjects.write_text("network,device,user,department\n10.0.0.0/16,lab-pc,alice,research\n"
                        "10.1.0.0/16,,bob,sales\n10.1.0.7/32,kiosk-7,,sales\n", encoding="utf-8")
    scan_local([log], tmp_path / "local.db", "--subjects", subjects)
    scan_dask([log], tmp_path / "dask.db", scheduler, "--subjects", subjects)
    rows = findings(tmp_path / "dask.db")
    assert rows == findings(tmp_path / "local.db")
    subjects_seen = {row[2] for row in rows}
    assert {"alice", "bob", "kiosk-7"} <= subjects_seen  # the most specific network wins: kiosk-7, not bob
    assert "10.2.0.5" in subjects_seen and not any(s.startswith(("10.0.", "10.1.")) for s in subjects_seen)


def test_a_worker_without_a_log_format_of_the_scan_says_so(tmp_path, cluster, catalogue):
    from scanner.cluster.dask_engine import TaskFailed, TaskLedger, register_context, unregister_context
    from scanner.cluster.dask_engine import without_matcher
    from scanner.modules.logs.dask_scan import CONTEXT_BUILDER, read_job

    log = tmp_path / "hosts.txt"
    log.write_text("claude.ai\n", encoding="utf-8")
    name = register_context(cluster, CONTEXT_BUILDER, (without_matcher(catalogue), {}, ["acme-gateway"], None))
    job = ReadJob(str(log), 0, 10, True, False, "host-list", (), "loc", None, False, 1000, ObjectStore())
    try:
        with TaskLedger(cluster, "test") as ledger:
            with pytest.raises(TaskFailed, match="log format.s. acme-gateway not installed on the worker"):
                ledger.result(ledger.submit(read_job, name, job))
    finally:
        unregister_context(cluster, name)

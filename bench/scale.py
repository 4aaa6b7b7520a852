"""Benchmark `scan logs --engine dask` against the local engine on the same log.

Generates a Squid access log of --size-mb megabytes (bench/logs.py: thousands of users, ~0.5% AI traffic),
then times `shadowai scan logs` on it, each into a fresh inventory:
  local, 1 process       --workers 1
  local, N processes     --workers N          (byte ranges in a forked process pool)
  dask, N workers        --engine dask --scheduler ADDRESS   (a LocalCluster of N worker processes, started
                         here beforehand; its start-up time is printed apart)
  dask, small ranges     the same with SHADOWAI_LOGS_RANGE_BYTES=--small-range-mb: K times more tasks; the extra
                         time per extra task is the per-task overhead (scheduling, result transfer, commit)
and prints throughputs, the CPU seconds each spent per GB (scanning process, its pool and the Dask workers: a
figure that holds on a busy machine, where wall times do not), the scaling ratio dask/local-1, and checks that
every run found the same findings.

    python bench/scale.py --size-mb 1000 --workers 2
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from logs import generate  # noqa: E402  (bench/logs.py)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def workers_cpu(pids: list[int]) -> float:
    import psutil

    return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)


def scan(log: Path, db: Path, *options: str, env: dict[str, str] | None = None,
         workers: list[int] = ()) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the scanning process and its pool, CPU seconds of the cluster's workers)."""
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    shadowai = shutil.which("shadowai") or str(Path(sys.executable).parent / "shadowai")
    cpu, cluster_cpu = children_cpu(), workers_cpu(list(workers))
    start = time.perf_counter()
    done = subprocess.run([shadowai, "scan", "logs", str(log), "--db", str(db), "--quiet", *options],
                          env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"scan failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return seconds, children_cpu() - cpu, workers_cpu(list(workers)) - cluster_cpu


def findings(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("select service_id, subject, location, hits, first_seen, last_seen, evidence "
                                   "from findings"))


def tasks(db: Path) -> int:
    import json

    with sqlite3.connect(db) as conn:
        counts = json.loads(conn.execute("select counts from runs order by id desc limit 1").fetchone()[0])
    return counts.get("cluster_tasks", 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--small-range-mb", type=int, default=2)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="shadowai-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "access.log"
    if not log.exists() or log.stat().st_size < args.size_mb * 900_000:
        lines = generate(log, args.size_mb)
        print(f"generated {log} ({log.stat().st_size / 1e6:,.0f} MB, {lines:,} lines)")
    size_mb = log.stat().st_size / 1e6
    subprocess.run(["cat", str(log)], stdout=subprocess.DEVNULL, check=True)  # warm the page cache

    import dask
    from distributed import Client, LocalCluster

    results: dict[str, tuple[float, float, float]] = {}
    results["local, 1 process"] = scan(log, workdir / "local1.db", "--workers", "1")
    results[f"local, {args.workers} processes"] = scan(log, workdir / "localn.db", "--workers", str(args.workers))
    started = time.perf_counter()
    with dask.config.set({"distributed.worker.profile.enabled": False}):  # as the cluster `--dask-workers` starts
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    startup = time.perf_counter() - started
    try:
        address = cluster.scheduler_address
        pids = list(client.run(os.getpid).values())
        results[f"dask, {args.workers} workers"] = scan(log, workdir / "dask.db", "--engine", "dask",
                                                        "--scheduler", address, workers=pids)
        small, _, _ = scan(log, workdir / "dask-small.db", "--engine", "dask", "--scheduler", address,
                        env={"SHADOWAI_LOGS_RANGE_BYTES": str(args.small_range_mb << 20)}, workers=pids)
    finally:
        client.close()
        cluster.close()

    same = findings(workdir / "local1.db") == findings(workdir / "localn.db") == findings(workdir / "dask.db") \
        == findings(workdir / "dask-small.db")
    print(f"input: {size_mb:,.0f} MB, one plain file, on {os.cpu_count()} CPUs")
    print(f"{'':<24} {'wall':>9} {'throughput':>13}   CPU s/GB: scanning process, cluster workers")
    for label, (seconds, cpu, cluster_cpu) in results.items():
        print(f"{label:<24} {seconds:7.2f} s  {size_mb / seconds:8.1f} MB/s   {cpu * 1000 / size_mb:6.1f}"
              f"  {cluster_cpu * 1000 / size_mb:6.1f}")
    base = results["local, 1 process"][0]
    dask_seconds = results[f"dask, {args.workers} workers"][0]
    print(f"scaling ratio dask ({args.workers} workers) / local (1 process): {base / dask_seconds:.2f}x")
    print(f"local cluster start-up (not in the dask time above): {startup:.2f} s")
    big_tasks, small_tasks = tasks(workdir / "dask.db"), tasks(workdir / "dask-small.db")
    if small_tasks > big_tasks:
        overhead = (small - dask_seconds) / (small_tasks - big_tasks)
        print(f"per-task overhead: {overhead * 1000:.1f} ms ({big_tasks} tasks with 32 MB ranges: "
              f"{dask_seconds:.2f} s; {small_tasks} tasks with {args.small_range_mb} MB ranges: {small:.2f} s)")
    print(f"same findings in every run: {same}")


if __name__ == "__main__":
    main()

"""The Dask engine: the same scanning code, run as tasks on a dask.distributed cluster.

- ``connect`` gives a Client: to a running scheduler (``--scheduler tcp://…``, ``tls://…``) or to a local
  cluster of worker processes started for the scan (``--dask-workers N``) and stopped after it.
- ``register_context`` ships what every task needs (the catalogue, the scan's settings) once, as a worker
  plugin (context.py): each worker — also one that joins or restarts mid-scan — builds the matcher and
  pre-filters once, and tasks find them by name. Nothing is rebuilt per task.
- ``TaskLedger`` submits tasks and keeps count, for the run, of the attempts that raised and were retried
  (Dask's ``retries``), of the tasks that were running or held a result on a worker that died (Dask runs them
  again elsewhere), and of the tasks that failed for good. It learns of worker deaths from the scheduler's
  ``remove-worker`` events and of errors from an event each failing task logs before raising. A task's result
  is taken once, by the client, however many times the task ran: nothing is counted twice.

Only the client writes the inventory: tasks return compact partial aggregates and the scan folds them in.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import pickle
import uuid
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from scanner import __version__

ENGINES = ("local", "dask")
TASK_RETRIES = int(os.environ.get("SHADOWAI_DASK_RETRIES", "2"))  # attempts after an error, per task
CONNECT_TIMEOUT = int(os.environ.get("SHADOWAI_DASK_CONNECT_TIMEOUT", "30"))  # seconds to reach a scheduler
INSTALL_HINT = "the dask engine needs dask.distributed: pip install 'shadowai[dask]'"


class EngineUnavailable(Exception):
    """dask.distributed is not installed, or the scheduler cannot be reached."""


class TaskFailed(Exception):
    """A task failed for good: its retries are spent, or it was running on too many workers that died."""


@dataclass(frozen=True)
class EngineSettings:
    engine: str = "local"
    scheduler: str | None = None  # address of a running scheduler; None: a local cluster
    workers: int | None = None  # processes of the local cluster (default: the CPUs available, at most 8)

    @property
    def distributed(self) -> bool:
        return self.engine == "dask"


def require_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise EngineUnavailable(INSTALL_HINT) from exc


def default_workers() -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, 8))


def check_address(address: str) -> None:
    """Refuse a malformed scheduler address before a Client tries it (a Client that fails on one lingers)."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except ValueError as exc:
        raise EngineUnavailable(f"cannot reach the Dask scheduler at {address}: {exc}") from exc


@contextlib.contextmanager
def connect(settings: EngineSettings) -> Iterator[Any]:
    """A dask.distributed Client for the scan. A local cluster binds to loopback, has no dashboard, one thread
    per worker process (parsing holds the GIL), and is shut down when the scan ends."""
    require_dask()
    import dask
    from distributed import Client, LocalCluster

    if settings.scheduler:
        check_address(settings.scheduler)
        try:
            client = Client(settings.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except Exception as exc:  # noqa: BLE001 — refused, timed out, a malformed address, TLS not configured
            raise EngineUnavailable(f"cannot reach the Dask scheduler at {settings.scheduler}: "
                                    f"{str(exc) or type(exc).__name__}") from exc
        try:
            yield client
        finally:
            client.close()
        return
    with warnings.catch_warnings(), dask.config.set({"distributed.worker.profile.enabled": False}):
        # No dashboard, so no statistical profiler either (it samples every task's stack); the scheduler's
        # HTTP endpoint, which stays, moves off a port in use without a warning.
        warnings.filterwarnings("ignore", message=r"Port \d+ is already in use")
        cluster = LocalCluster(n_workers=settings.workers or default_workers(), threads_per_worker=1,
                               processes=True, host="127.0.0.1", dashboard_address=None,
                               silence_logs=logging.CRITICAL)
    try:
        client = Client(cluster, set_as_default=False)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def cluster_description(client: Any) -> dict[str, Any]:
    """For the run's parameters: where the scan ran (no credentials live in a scheduler address)."""
    info = client.scheduler_info()
    workers = info.get("workers", {})
    return {"engine": "dask", "scheduler": info.get("address"), "workers": len(workers),
            "threads": sum(w.get("nthreads", 0) for w in workers.values())}


# --- the scan's context on every worker (scanner/cluster/context.py) ---------------------------------------


def without_matcher(catalogue):
    """The catalogue as data, for the workers: its compiled matcher (a cached property) stays here and each
    worker compiles its own."""
    return dataclasses.replace(catalogue)


def register_context(client: Any, build: str, value: Any) -> str:
    """Ship ``value`` to every worker (now and joining later), where ``build`` (``module:function``) turns it
    into the scan's context once; returns the name tasks look it up by (context.worker_context). The name is the
    hash of the payload, so a long-lived cluster holds one context per catalogue version and settings."""
    from scanner.cluster.context import ScanContext

    payload = pickle.dumps((__version__, value), protocol=pickle.HIGHEST_PROTOCOL)
    name = f"shadowai-{hashlib.sha256(build.encode() + payload).hexdigest()[:20]}"
    client.register_plugin(ScanContext(name, build, payload), name=name)
    return name


def unregister_context(client: Any, name: str) -> None:
    with contextlib.suppress(Exception):  # the cluster may be gone already; the plugin goes with its workers
        client.unregister_worker_plugin(name)


# --- submitting tasks and counting what happened to them ---------------------------------------------------


def run_task(topic: str, function: Callable, *args: Any) -> Any:
    """In a worker: run ``function``; if it raises, tell the client (an event) before Dask retries it."""
    try:
        return function(*args)
    except Exception as exc:
        with contextlib.suppress(Exception):
            from distributed import get_worker

            worker = get_worker()
            worker.log_event(topic, {"key": worker.get_current_task(), "error": type(exc).__name__})
        raise


def describe_failure(exc: BaseException) -> str:
    """What went wrong with a task, by kind: messages may quote what was being read."""
    name = type(exc).__name__
    if name == "ContextUnavailable":  # our own message (scanner/cluster/context.py)
        return f"failed: {exc}"
    if name == "KilledWorker":
        return "its workers died while running it (KilledWorker)"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{name}: {exc.strerror}"
    return f"failed: {name}"


class TaskLedger:
    COUNTS = ("cluster_tasks", "cluster_task_errors_retried", "cluster_tasks_lost_with_worker",
              "cluster_tasks_failed")

    def __init__(self, client: Any, label: str) -> None:
        self.client = client
        self.token = uuid.uuid4().hex[:12]
        self.label = label
        self.topic = f"shadowai-task-errors-{self.token}"
        self.keys: set[str] = set()
        self.counts = dict.fromkeys(self.COUNTS, 0)
        self.errors = 0  # attempts that raised (events from run_task)
        self.last_attempt_errors = 0  # of those, the ones Dask did not retry

    def __enter__(self) -> "TaskLedger":
        self.client.subscribe_topic("all", self.on_cluster_event)
        self.client.subscribe_topic(self.topic, self.on_task_error)
        return self

    def __exit__(self, *exc) -> None:
        for topic in ("all", self.topic):
            with contextlib.suppress(Exception):
                self.client.unsubscribe_topic(topic)

    def on_cluster_event(self, event: tuple[float, dict]) -> None:
        message = event[1] if isinstance(event, tuple) else event
        if not isinstance(message, dict) or message.get("action") != "remove-worker":
            return
        touched = set(message.get("processing-tasks") or ()) | set(message.get("lost-computed-tasks") or ())
        self.counts["cluster_tasks_lost_with_worker"] += len(touched & self.keys)

    def on_task_error(self, event: tuple[float, dict]) -> None:
        message = event[1] if isinstance(event, tuple) else event
        if isinstance(message, dict) and message.get("key") in self.keys:
            self.errors += 1

    def submit(self, function: Callable, *args: Any, retries: int | None = None):
        key = f"{self.label}-{function.__name__}-{len(self.keys)}-{self.token}"
        self.keys.add(key)
        self.counts["cluster_tasks"] += 1
        return self.client.submit(run_task, self.topic, function, *args, key=key, pure=False,
                                  retries=TASK_RETRIES if retries is None else retries)

    def result(self, future: Any) -> Any:
        """The task's value, or TaskFailed once Dask has given up on it."""
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 — whatever the task raised, re-raised here by Dask
            self.counts["cluster_tasks_failed"] += 1
            if type(exc).__name__ != "KilledWorker":
                self.last_attempt_errors += 1
            raise TaskFailed(describe_failure(exc)) from exc
        finally:
            future.release()

    def cancel(self, futures: list[Any]) -> None:
        if futures:
            with contextlib.suppress(Exception):
                self.client.cancel(futures)

    def record(self, run) -> None:
        """Put the counts so far in the run (their current values: calling again updates, never adds). An error
        counts as retried unless it was its task's last attempt."""
        self.counts["cluster_task_errors_retried"] = max(0, self.errors - self.last_attempt_errors)
        for name in self.COUNTS:
            run.counts[name] = self.counts[name]

"""A scan's context on every Dask worker: built once per worker by a worker plugin, found by tasks by name.

Imported only by the Dask engine (it needs dask.distributed). The plugin carries a pickled payload — the
catalogue and the scan's settings — and the client's shadowai version; ``setup`` runs on every worker, also on
one that joins or is restarted mid-scan, and turns the payload into the context with the scan's builder
function. A worker running another shadowai version refuses the scan instead of giving different results.
"""

from __future__ import annotations

import importlib
import pickle
from typing import Any

from distributed import get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from scanner import __version__


class ContextUnavailable(RuntimeError):
    """This worker cannot scan as the client asked (another shadowai version, a log format plugin missing); the
    message says why and is shown in the run's coverage gaps."""


class ScanContext(WorkerPlugin):
    def __init__(self, name: str, build: str, payload: bytes) -> None:
        self.name = name
        self.build = build  # "module:function", applied to the unpickled payload
        self.payload = payload
        self.context: Any = None
        self.problem: str | None = None

    def setup(self, worker=None) -> None:
        version, value = pickle.loads(self.payload)  # noqa: S301 — from the scan's own client
        if version != __version__:
            self.problem = (f"this worker runs shadowai {__version__} and the client {version}: "
                            "workers need the same version (pip install 'shadowai[dask]==" f"{version}')")
            return
        module, _, function = self.build.partition(":")
        try:
            self.context = getattr(importlib.import_module(module), function)(value)
        except ContextUnavailable as exc:
            self.problem = str(exc)
        except Exception as exc:  # noqa: BLE001 — reported by every task of the scan instead of lost in a log
            self.problem = f"cannot prepare the scan on this worker: {type(exc).__name__}"

    def teardown(self, worker=None) -> None:
        self.context = None


def worker_context(name: str) -> Any:
    """In a task: the context its scan registered on this worker."""
    plugin = get_worker().plugins.get(name)
    if plugin is None:
        raise ContextUnavailable(f"the scan's context ({name}) is not on this worker")
    if plugin.context is None and plugin.problem is None:
        plugin.setup()
    if plugin.problem:
        raise ContextUnavailable(plugin.problem)
    return plugin.context

"""A scan that runs on the engine of --engine (`scan logs`, `scan repo`): this machine's processes, or a Dask
cluster that may turn out to be unreachable."""

from __future__ import annotations

from typing import Any, Callable

from scanner.cli.engine_options import engine_client, unreachable_run
from scanner.cli.options import echo_error
from scanner.cluster.dask_engine import EngineSettings, EngineUnavailable


def on_engine(settings: EngineSettings, scan: Callable[[Any, Any, Any], Any], *, module: str,
              catalogue_version: str, parameters: dict, result_class: type) -> Callable[[Any, Any], Any]:
    """The scan `run_scan` runs, given the inventory and the stop flag: SCAN(db, stop, client), with client None
    for the local engine and a connected dask.distributed client for the dask one. A cluster that cannot be
    reached is an error line and a run of MODULE (with PARAMETERS) that records it as a coverage gap, returned
    as a RESULT_CLASS: the command exits 1, not silently."""
    def run(db, stop):
        try:
            with engine_client(settings) as client:
                return scan(db, stop, client)
        except EngineUnavailable as exc:
            echo_error(f"scan {module}", str(exc))
            return result_class(*unreachable_run(db, module, catalogue_version, parameters, settings, str(exc)))
    return run

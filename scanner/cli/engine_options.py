"""`--engine local|dask`, `--scheduler`, `--dask-workers`: where a scan's reading and matching run.

Declared once for every scan command that can run on a cluster (`scan logs`, `scan repo`). The local engine is
this machine's processes; the dask engine runs the same code as tasks on a dask.distributed cluster — a running
scheduler, or a local cluster started for the scan — and only this process writes the inventory.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

import click

from scanner.cluster.dask_engine import ENGINES, EngineSettings, EngineUnavailable, require_dask
from scanner.inventory.runs import finish_run, start_run


def engine_options(function):
    function = click.option(
        "--dask-workers", type=click.IntRange(1, 512), default=None, metavar="N",
        help="With --engine dask and no --scheduler: worker processes of the local cluster started for this "
             "scan [default: the CPUs available, at most 8].")(function)
    function = click.option(
        "--scheduler", metavar="ADDRESS", default=None,
        help="With --engine dask: a running dask.distributed scheduler (tcp://HOST:8786, tls://…); its "
             "workers need the same shadowai version and access to the inputs. Without it a local cluster is "
             "started.")(function)
    function = click.option(
        "--engine", type=click.Choice(ENGINES), default="local", show_default=True,
        help="local: processes on this machine. dask: the same reading and matching as tasks on a Dask "
             "cluster (pip install 'shadowai[dask]'); the inventory is written here, one run per scan.")(function)
    return function


def engine_settings(engine: str, scheduler: str | None, dask_workers: int | None) -> EngineSettings:
    if engine != "dask" and (scheduler or dask_workers):
        raise click.UsageError("--scheduler and --dask-workers go with --engine dask")
    if scheduler and dask_workers:
        raise click.UsageError("--dask-workers sizes a local cluster; with --scheduler the cluster's own "
                               "workers are used")
    if engine == "dask":
        try:
            require_dask()
        except EngineUnavailable as exc:
            raise click.UsageError(str(exc)) from exc
    return EngineSettings(engine, scheduler, dask_workers)


@contextlib.contextmanager
def engine_client(settings: EngineSettings) -> Iterator[Any]:
    """None for the local engine, else a connected dask.distributed Client (closed, and a local cluster
    stopped, when the scan ends). Raises EngineUnavailable when the scheduler cannot be reached."""
    if not settings.distributed:
        yield None
        return
    from scanner.cluster.dask_engine import connect

    with connect(settings) as client:
        yield client


def unreachable_run(db, module: str, catalogue_version: str, parameters: dict, settings: EngineSettings,
                    why: str):
    """A scan whose cluster could not be reached covered nothing: a run that says so (exit 1), not silence."""
    run = start_run(db, module, catalogue_version=catalogue_version,
                    parameters=dict(parameters, engine=settings.engine, scheduler=settings.scheduler))
    run.gap(f"dask scheduler {settings.scheduler or '(local cluster)'}", why)
    return run.id, finish_run(run), dict(run.counts), run.errors_total

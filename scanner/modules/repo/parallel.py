"""Scan several repositories at once, in worker processes (bounded by --jobs), or inline for one (whose files
are then split across --jobs processes, see file_pool).

Where the platform forks (Linux), workers inherit the catalogue already loaded in the parent; elsewhere each
worker loads the same catalogue folders once. A worker returns a RepoResult per repository; only the parent
process writes to the inventory. Results come back as repositories finish, in any order.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from scanner.modules.repo.repository import RepoResult, RepositoryScanner, ScanOptions
from scanner.modules.repo.targets import Target

if TYPE_CHECKING:
    from scanner.catalogue.loader import Catalogue

_worker_scanner: RepositoryScanner | None = None
_worker_should_stop: Callable[[], bool] = lambda: False


def _start_worker(catalogue_dirs: tuple[str, ...], options: ScanOptions) -> None:
    global _worker_scanner
    from scanner.catalogue.loader import load_catalogue

    catalogue = load_catalogue(catalogue_dirs, include_builtin=False)
    _worker_scanner = RepositoryScanner(catalogue.matcher, options)


def _adopt_catalogue(catalogue: "Catalogue", options: ScanOptions, should_stop: Callable[[], bool]) -> None:
    """Forked worker: the parent's catalogue and stop flag are inherited (a signal to the process group sets
    the worker's own copy of the flag, and the worker ends its repository early)."""
    global _worker_scanner, _worker_should_stop
    _worker_scanner = RepositoryScanner(catalogue.matcher, options)
    _worker_should_stop = should_stop


def _scan_in_worker(target: Target) -> RepoResult:
    assert _worker_scanner is not None, "worker not initialised"
    return _worker_scanner.scan(target, should_stop=_worker_should_stop)


def failed(target: Target, exc: BaseException) -> RepoResult:
    result = RepoResult(target.subject, target.kind)
    message = f"scan failed: {type(exc).__name__}"
    result.errors.append((target.subject, message))
    result.gaps.append((target.subject, f"not scanned: {message}"))
    result.details = {"repo": target.subject, "kind": target.kind}
    return result


def default_start_method() -> str:
    return "fork" if sys.platform.startswith("linux") else "spawn"


def scan_repositories(targets: list[Target], catalogue: "Catalogue", options: ScanOptions, *, jobs: int,
                      on_file: Callable[[int, int], None] | None = None, start_method: str | None = None,
                      should_stop: Callable[[], bool] = lambda: False) -> Iterator[RepoResult]:
    if jobs <= 1 or len(targets) <= 1:  # one repository: its files are split across the jobs instead
        scanner = RepositoryScanner(catalogue.matcher, dataclasses.replace(options, file_workers=max(1, jobs)))
        for target in targets:
            if should_stop():
                return
            yield scanner.scan(target, on_file, should_stop=should_stop)
        return
    workers = min(jobs, len(targets))
    if (start_method or default_start_method()) == "fork":  # nothing pickled or loaded again, main not re-run
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_adopt_catalogue, initargs=(catalogue, options, should_stop))
    else:
        dirs = tuple(str(Path(d)) for d in catalogue.dirs)
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(dirs, options))
    try:
        futures = {pool.submit(_scan_in_worker, target): target for target in targets}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 — a worker that died: the other repositories go on
                yield failed(futures[future], exc)
            if should_stop():
                for pending in futures:
                    pending.cancel()
                break
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)

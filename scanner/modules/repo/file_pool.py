"""One repository's files in batches, scanned in the parent or split across forked worker processes.

A tree's first INLINE_FILES files are scanned in the parent: for a small repository, starting workers would
cost more than it saves. Past that, when more than one job is allowed and the platform forks, the rest of the
walk is handed out in batches of BATCH_FILES files to workers that inherit the scanner already built (the
catalogue, its matcher and pre-filters: nothing is loaded or pickled again). The walk goes on in the parent
while workers read and match; at most a few batches per worker are in flight, so memory stays flat whatever
the size of the tree. Batches come back in walk order, so a parallel scan consolidates findings exactly as a
sequential one does. Every worker checks the time budget and the stop flag before each file.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from scanner.modules.repo.walker import RepoFile

if TYPE_CHECKING:
    from scanner.modules.repo.repository import FileBatch, RepositoryScanner

INLINE_FILES = 500
BATCH_FILES = 256
IN_FLIGHT_PER_WORKER = 3

_scanner: "RepositoryScanner | None" = None
_out_of_time: Callable[[], bool] = lambda: False


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _adopt(scanner: "RepositoryScanner", out_of_time: Callable[[], bool]) -> None:
    """In a forked worker: the parent's scanner, time budget and stop flag (a signal to the process group
    sets the worker's own copy of the flag)."""
    global _scanner, _out_of_time
    _scanner, _out_of_time = scanner, out_of_time


def _scan_batch(subject: str, files: list[tuple]) -> "FileBatch":
    assert _scanner is not None, "worker not initialised"
    return _scanner.scan_files(subject, [RepoFile(*fields) for fields in files], _out_of_time)


def plain(files: list[RepoFile]) -> list[tuple]:
    """A batch as plain tuples: pickled for the worker ten times faster than the dataclasses."""
    return [(f.path, f.relative, f.name, f.size, f.tags) for f in files]


def batched(files: Iterable[RepoFile], size: int) -> Iterator[list[RepoFile]]:
    batch: list[RepoFile] = []
    for file in files:
        batch.append(file)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def scan_in_batches(scanner: "RepositoryScanner", subject: str, files: Iterable[RepoFile],
                    out_of_time: Callable[[], bool], *, workers: int) -> Iterator["FileBatch"]:
    """What scanning each batch of files gave, in walk order. Stops after a batch that was cut off."""
    pool: ProcessPoolExecutor | None = None
    pending: deque[Future] = deque()
    scanned = 0
    try:
        for files_batch in batched(files, BATCH_FILES):
            if pool is None and workers > 1 and scanned >= INLINE_FILES and can_fork():
                pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                           initializer=_adopt, initargs=(scanner, out_of_time))
            if pool is None:
                batch = scanner.scan_files(subject, files_batch, out_of_time)
                scanned += len(files_batch)
                yield batch
                if batch.cut_off:
                    return
                continue
            pending.append(pool.submit(_scan_batch, subject, plain(files_batch)))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                batch = pending.popleft().result()
                yield batch
                if batch.cut_off:
                    return
        while pending:
            batch = pending.popleft().result()
            yield batch
            if batch.cut_off:
                return
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

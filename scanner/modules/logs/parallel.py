"""Large uncompressed files are split into byte ranges on line boundaries and scanned by worker processes.

Workers are forked after the catalogue is compiled, so they share the matcher and prefilters without
rebuilding them. Results come back in file order (``imap``), so the scanning process can commit each range
with the cursor at its end: a scan stopped at any point resumes after the last committed range.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from dataclasses import dataclass
from typing import Any

from scanner.modules.logs.blocks import BlockParser, ChunkResult, whole_line_blocks

RANGE_BYTES = int(os.environ.get("SHADOWAI_LOGS_RANGE_BYTES", 32 << 20))  # tuning knob (and for tests)
PARALLEL_THRESHOLD = 2 * RANGE_BYTES

_shared: dict[str, Any] = {}  # matcher, formats and prefilters, set before the workers fork


@dataclass(frozen=True)
class RangeJob:
    path: str
    start: int
    end: int
    format_name: str
    head: tuple[str, ...]
    name: str
    location: str
    evidence_time: str | None
    parse_all: bool


def share(**context: Any) -> None:
    _shared.update(context)


def line_aligned_ranges(path: str, start: int, end: int, size: int | None = None) -> list[tuple[int, int]]:
    size = size or RANGE_BYTES
    bounds = [start]
    with open(path, "rb") as handle:
        position = start + size
        while position < end:
            handle.seek(position)
            handle.readline()
            aligned = handle.tell()
            if aligned >= end:
                break
            bounds.append(aligned)
            position = aligned + size
    bounds.append(end)
    return list(zip(bounds, bounds[1:]))


def scan_range(job: RangeJob) -> tuple[ChunkResult, str]:
    log_format = _shared["formats"][job.format_name]
    parser = BlockParser(log_format, list(job.head), _shared["prefilter"](log_format), _shared["matcher"],
                         name=job.name, location=job.location, evidence_time=job.evidence_time,
                         parse_all=job.parse_all, subjects=_shared.get("subjects"))
    result = ChunkResult()
    with open(job.path, "rb") as handle:
        handle.seek(job.start)
        for block in whole_line_blocks(handle, job.end - job.start):
            parser.process(block, result)
    digest = result.digest.hexdigest()
    result.digest = None  # hash objects do not cross processes
    return result, digest


def worker_count() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


def reset_worker_signals() -> None:
    """Workers inherit the scan's StopFlag handlers at fork: give SIGTERM back its default (so the pool can be
    terminated) and leave SIGINT to the scanning process, which stops the scan cleanly."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def make_pool(workers: int):
    return multiprocessing.get_context("fork").Pool(workers, initializer=reset_worker_signals)

"""`scan logs --engine dask`: the same reading, parsing and matching, as tasks on a Dask cluster.

The client keeps everything that touches the inventory; workers only read and match:
1. URL arguments are listed by tasks (the workers hold the storage credentials), local globs by the client.
2. A probe task per file reads its head: identity, size, compression, the lines that detect the format.
3. The client looks up each file's cursor and plans it exactly as the local engine does (LogScan.plan): from
   where to read, as which format. A compressed file is one task (it can only be read from its start or a
   cursor, decompressing); a plain one is cut into byte ranges of RANGE_BYTES, each aligned on line boundaries
   by the worker that reads it (a range owns the lines that start inside it), so nothing is read on the client.
4. Each task runs the local engine's BlockParser over its bytes and returns a ChunkResult: counts, the first
   errors, and findings already aggregated by key. The client folds them in file order, range by range
   (LogScan.absorb), and commits them with the file's cursor at the end of the last range folded
   (LogScan.checkpoint) — the same findings, first/last seen and evidence as the local engine, and a scan
   stopped at any point resumes after the last commit.
A file whose identity was already planned in this scan (a copy of a log) is planned only after the first one
is committed, as the local engine, reading files one after the other, would.
"""

from __future__ import annotations

import ipaddress
import os
import time
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from scanner.cluster.dask_engine import (TaskFailed, TaskLedger, cluster_description, register_context,
                                         unregister_context, without_matcher)
from scanner.inventory.runs import Run
from scanner.modules.logs import blocks, parallel
from scanner.modules.logs.blocks import BlockParser, ChunkResult, format_prefilter, whole_line_blocks
from scanner.modules.logs.formats.base import LogFormat
from scanner.modules.logs.inputs import STDIN, expand, is_url
from scanner.modules.logs.prefilter import LinePrefilter, catalogue_literals
from scanner.modules.logs.reader import CompressedInputError, OpenedLog
from scanner.modules.logs.remote import (PROBE_BLOCK, ObjectStore, describe_os_error, open_bytes, open_input)
from scanner.modules.logs.scan import FilePlan, LogScan, shift_lines
from scanner.progress import Progress
from scanner.subjects import SubjectMap

CONTEXT_BUILDER = "scanner.modules.logs.dask_scan:build_context"
COMMIT_SECONDS = float(os.environ.get("SHADOWAI_DASK_COMMIT_SECONDS", "2"))  # tuning knob: see fold_file


# --- on the workers ----------------------------------------------------------------------------------------


@dataclass
class LogContext:
    """What every task of one scan needs, built once per worker (scanner/cluster/context.py)."""

    matcher: Any
    formats: dict[str, type[LogFormat]]
    literals: list
    subjects: SubjectMap | None
    prefilters: dict[str, LinePrefilter] = field(default_factory=dict)

    def parser(self, job: "ReadJob") -> BlockParser:
        log_format = self.formats[job.format_name]
        prefilter = self.prefilters.get(log_format.name)
        if prefilter is None:
            prefilter = self.prefilters[log_format.name] = format_prefilter(self.literals, log_format)
        return BlockParser(log_format, list(job.head), prefilter, self.matcher, name=job.path,
                           location=job.location, evidence_time=job.evidence_time, parse_all=job.parse_all,
                           subjects=self.subjects)


def build_context(value: tuple) -> LogContext:
    from scanner.cluster.context import ContextUnavailable
    from scanner.modules.logs.command import log_formats

    catalogue, format_specs, format_names, subject_entries = value
    formats = {f.name: f for f in log_formats(SimpleNamespace(log_formats=format_specs))}
    missing = [name for name in format_names if name not in formats]
    if missing:
        raise ContextUnavailable(f"log format(s) {', '.join(missing)} not installed on the worker "
                                 "(install the same plugins on every worker)")
    matcher = catalogue.matcher  # compiled here, once per worker
    subjects = SubjectMap(subject_entries) if subject_entries is not None else None
    return LogContext(matcher, formats, catalogue_literals(catalogue), subjects)


def subject_entries(subjects: SubjectMap | None) -> list | None:
    """A subject map as the (network, info) entries it was built from, to be rebuilt on the workers."""
    if subjects is None:
        return None
    entries = []
    for prefix, table in subjects.by_prefix.items():
        for (version, value), info in table.items():
            network = (ipaddress.IPv4Network if version == 4 else ipaddress.IPv6Network)((value, prefix))
            entries.append((network, info))
    return entries


def list_objects(url: str, store: ObjectStore) -> list[str] | str:
    """A URL argument's objects, or why it gave none."""
    try:
        found = store.expand(url)
    except OSError as exc:
        return f"cannot list: {describe_os_error(exc)}"
    return found or "no such object, prefix or glob match"


@dataclass
class Probe:
    path: str
    identity: str | None = None
    size: int = 0
    mtime: float = 0.0
    compression: str | None = None
    head: bytes = b""
    problem: str | None = None

    def as_log(self) -> OpenedLog:
        """For planning on the client: an opened log without a stream."""
        return OpenedLog(self.path, None, self.identity, self.size, self.mtime, self.compression, self.head)


def probe_log(path: str, store: ObjectStore) -> Probe:
    try:
        log = open_input(path, store, block_size=PROBE_BLOCK)
    except OSError as exc:
        return Probe(path, problem=f"cannot read: {describe_os_error(exc)}")
    try:
        return Probe(path, log.identity, log.size, log.mtime, log.compression, log.head)
    finally:
        log.close()


@dataclass(frozen=True)
class ReadJob:
    path: str
    start: int
    end: int | None  # None: to the end of the (decompressed) stream
    aligned: bool  # ``start`` is a line boundary (the file's start, or its cursor)
    compressed: bool
    format_name: str
    head: tuple[str, ...]
    location: str
    evidence_time: str | None
    parse_all: bool
    block_bytes: int
    store: ObjectStore


@dataclass
class ReadOutcome:
    result: ChunkResult
    digest: str  # SHA-256 of the bytes read
    begin: int
    end: int
    damage: str | None = None  # a compressed stream damaged or cut short after ``end``
    problem: str | None = None  # the file could not be read: nothing was


class LineRange:
    """A handle's bytes from its position to ``end``, then on to the end of the line that crosses ``end``."""

    def __init__(self, handle, position: int, end: int) -> None:
        self.handle = handle
        self.position = position
        self.end = end
        self.last = b"\n"
        self.finished = False

    def read(self, size: int = -1) -> bytes:
        if self.finished:
            return b""
        if self.position < self.end:
            wanted = self.end - self.position if size < 0 else min(size, self.end - self.position)
            data = self.handle.read(wanted)
            if data:
                self.position += len(data)
                self.last = data[-1:]
                return data
        self.finished = True
        if self.position < self.end or self.last == b"\n":
            return b""
        rest = self.handle.readline()
        self.position += len(rest)
        return rest


def read_range(job: ReadJob, parser: BlockParser, result: ChunkResult) -> tuple[int, int]:
    """Parse the lines that start in [start, end): a range not at a line boundary skips the line that crosses
    its start (the previous range reads it) and reads on past its end to finish its own last line."""
    with open_bytes(job.path, job.store) as handle:
        if job.aligned:
            handle.seek(job.start)
            begin = job.start
        else:
            handle.seek(job.start - 1)
            handle.readline()
            begin = handle.tell()
        if begin >= job.end:
            return begin, begin  # one line spans the whole range: the previous range owns it
        consumed = 0
        for block in whole_line_blocks(LineRange(handle, begin, job.end), block_bytes=job.block_bytes):
            parser.process(block, result)
            consumed += len(block)
    return begin, begin + consumed


def read_stream(job: ReadJob, parser: BlockParser, result: ChunkResult) -> tuple[int, int, str | None]:
    """A compressed file (or one without an identity) from ``start`` to its end, as the local engine reads it."""
    log = open_input(job.path, job.store)
    consumed = 0
    try:
        try:
            if job.start:
                log.stream.seek(job.start)
            for block in whole_line_blocks(log.stream, block_bytes=job.block_bytes):
                parser.process(block, result)
                consumed += len(block)
        except CompressedInputError as exc:
            return job.start, job.start + consumed, str(exc)
    finally:
        log.close()
    return job.start, job.start + consumed, None


def read_job(context_name: str, job: ReadJob) -> ReadOutcome:
    from scanner.cluster.context import worker_context

    parser = worker_context(context_name).parser(job)
    result = ChunkResult()
    damage = None
    try:
        if job.compressed or job.end is None:
            begin, end, damage = read_stream(job, parser, result)
        else:
            begin, end = read_range(job, parser, result)
    except OSError as exc:
        return ReadOutcome(ChunkResult(digest=None), "", job.start, job.start,
                           problem=f"cannot read: {describe_os_error(exc)}")
    digest = result.digest.hexdigest()
    result.digest = None  # hash objects do not cross processes
    return ReadOutcome(result, digest, begin, end, damage)


def range_bounds(start: int, size: int) -> list[tuple[int, int]]:
    """Nominal byte ranges of a plain file from ``start``: one when it is small, else RANGE_BYTES each."""
    if size - start < parallel.PARALLEL_THRESHOLD:
        return [(start, size)]
    bounds = list(range(start, size, parallel.RANGE_BYTES)) + [size]
    return list(zip(bounds, bounds[1:]))


# --- on the client -----------------------------------------------------------------------------------------


@dataclass
class PlannedRead:
    plan: FilePlan
    jobs: list[ReadJob]
    futures: list[Any]


class DaskLogScan(LogScan):
    def __init__(self, db, catalogue, formats, *, client, format_specs: dict | None = None, **options) -> None:
        super().__init__(db, catalogue, formats, workers=1, **options)
        self.client = client
        self.format_specs = format_specs or {}
        self.ledger: TaskLedger | None = None
        self.context_name = ""
        self.outstanding: list[Any] = []
        self.committed_at = time.monotonic()

    def parameters(self, arguments: list[str]) -> dict:
        return super().parameters(arguments) | cluster_description(self.client)

    def run(self, arguments: list[str]):
        payload = (without_matcher(self.catalogue), self.format_specs, [f.name for f in self.formats],
                   subject_entries(self.subjects))
        self.context_name = register_context(self.client, CONTEXT_BUILDER, payload)
        try:
            with TaskLedger(self.client, "shadowai-logs") as self.ledger:
                return super().run(arguments)
        finally:
            unregister_context(self.client, self.context_name)

    def submit(self, function, *args):
        future = self.ledger.submit(function, *args)
        self.outstanding.append(future)
        return future

    def close(self) -> None:
        self.ledger.cancel([f for f in self.outstanding if not f.done()])
        self.outstanding = []

    def inputs(self, run: Run, arguments: list[str]) -> list[str]:
        files, missing = expand(arguments, keep_urls=True)
        for argument in missing:
            self.gap(run, argument, "no such file, directory or glob match")
        listings = {item: self.submit(list_objects, item, self.store) for item in files if is_url(item)}
        found: list[str] = []
        for item in files:
            if item == STDIN:
                self.gap(run, item, "standard input is read by the local engine only (--engine local)")
            elif item in listings:
                try:
                    objects = self.ledger.result(listings[item])
                except TaskFailed as exc:
                    objects = f"cannot list: the cluster task {exc}"
                if isinstance(objects, str):
                    self.gap(run, item, objects)
                else:
                    found += objects
            else:
                found.append(item)
        return list(dict.fromkeys(found))

    def read_all(self, run: Run, files: list[str]) -> None:
        progress = Progress(0, "scan logs", enabled=self.show_progress)
        probes = [self.submit(probe_log, path, self.store) for path in files]
        planned: list[PlannedRead] = []
        identities: set[str] = set()
        try:
            for path, future in zip(files, probes):
                if self.stop:
                    break
                log = self.probed(run, path, future)
                if log is None:
                    continue
                if log.identity in identities:  # a copy of a file planned above: plan it once that is committed
                    self.fold(run, planned, progress)
                    planned, identities = [], set()
                    if self.stop:
                        break
                progress.total += log.size
                plan = self.plan(run, log, progress)
                if plan is None:
                    continue
                if log.identity:
                    identities.add(log.identity)
                jobs = self.jobs(plan)
                planned.append(PlannedRead(plan, jobs, [self.submit(read_job, self.context_name, j) for j in jobs]))
            self.fold(run, planned, progress)
        finally:
            progress.close()
            self.ledger.record(run)

    def probed(self, run: Run, path: str, future) -> OpenedLog | None:
        try:
            probe = self.ledger.result(future)
        except TaskFailed as exc:
            self.gap(run, path, f"cannot read: the cluster task {exc}")
            return None
        if probe.problem:
            self.gap(run, path, probe.problem)
            return None
        return probe.as_log()

    def jobs(self, plan: FilePlan) -> list[ReadJob]:
        state, log = plan.state, plan.state.log
        common = dict(path=log.name, format_name=plan.log_format.name, head=tuple(plan.head),
                      location=state.location, evidence_time=plan.evidence_time, parse_all=self.parse_all,
                      block_bytes=blocks.BLOCK_BYTES, store=self.store)
        if log.compressed or not log.identity:
            return [ReadJob(start=state.offset, end=None, aligned=True, compressed=log.compressed, **common)]
        return [ReadJob(start=begin, end=end, aligned=begin == state.offset, compressed=False, **common)
                for begin, end in range_bounds(state.offset, log.size)]

    def fold(self, run: Run, planned: list[PlannedRead], progress: Progress) -> None:
        """Fold the tasks' results into the inventory in file order, committing range by range."""
        for read in planned:
            if self.stop:
                return
            self.fold_file(run, read, progress)
            self.record_input(run, read.plan.state, read.plan.log_format)

    def fold_file(self, run: Run, read: PlannedRead, progress: Progress) -> None:
        """Absorb the file's ranges in order; commit them with the cursor at the end of the last one absorbed
        every COMMIT_SECONDS (many ranges of one log repeat the same finding keys: merging them here first
        saves most of the upserts), at the end of the file, and before giving up on it."""
        state = read.plan.state
        log = state.log
        pending = False
        try:
            for index, future in enumerate(read.futures):
                try:
                    outcome = self.ledger.result(future)
                except TaskFailed as exc:
                    self.gap(run, log.name, f"read to byte {state.offset} of {log.size} only: the cluster task {exc}")
                    return
                if outcome.problem:
                    self.gap(run, log.name, outcome.problem)
                    return
                if outcome.begin != state.offset:  # cannot happen: ranges are contiguous by construction
                    raise AssertionError(f"{log.name}: range starts at {outcome.begin}, expected {state.offset}")
                shift_lines(outcome.result, state.line)
                self.absorb(run, state, outcome.result, outcome.end - outcome.begin)
                state.ranges.append({"from": outcome.begin, "to": outcome.end, "sha256": outcome.digest})
                pending = True
                if outcome.damage:
                    self.error(run, f"{log.name}:{state.line + 1}", outcome.damage)
                progress.advance(log.size if log.compressed else outcome.end - outcome.begin)
                last = index == len(read.futures) - 1
                if last or self.stop or time.monotonic() - self.committed_at >= COMMIT_SECONDS:
                    complete = outcome.damage is None if log.compressed else outcome.end >= log.size
                    self.checkpoint(run, state, complete=complete)
                    pending = False
                    self.committed_at = time.monotonic()
                if self.stop:
                    return
        finally:
            if pending:
                self.checkpoint(run, state, complete=False)

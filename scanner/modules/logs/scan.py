"""`scan logs`: read each file from its cursor, detect its format, match the hosts, store the findings.

One run per invocation. Per file: open (plain, gzip, bzip2, xz, zstd or stdin), resume from the cursor kept
for the file's identity, detect the format from the first lines, then read whole-line blocks through the
prefilter and the format's parser (blocks.py). Large plain files are split across worker processes
(parallel.py). Findings and the cursor are committed together after every range or few blocks, so an
interrupted scan resumes without losing or double counting anything. Bad lines are counted per file and the
first ones kept with file:line; the rest of the file is still read.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Callable

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.inventory.runs import Run, finish_run, start_run
from scanner.inventory.store import Cursor, FindingBatch, commit_batch, load_cursor
from scanner.modules.logs import parallel
from scanner.modules.logs.blocks import SOURCE, BlockParser, ChunkResult, format_prefilter, whole_line_blocks
from scanner.modules.logs.formats.base import LogFormat
from scanner.modules.logs.inputs import expand, is_url, log_location
from scanner.modules.logs.prefilter import LinePrefilter, catalogue_literals
from scanner.modules.logs.reader import CompressedInputError, OpenedLog, head_lines
from scanner.modules.logs.remote import ObjectStore, describe_os_error, expand_urls, input_name, open_input
from scanner.interruption import StopFlag
from scanner.progress import Progress
from scanner.subjects import SubjectMap

COMMIT_EVERY_BLOCKS = int(os.environ.get("SHADOWAI_LOGS_COMMIT_BLOCKS", "4"))  # tuning knob
RECORD = re.compile(r":(\d+)$")


def detect_format(lines: list[str], formats: list[type[LogFormat]]) -> type[LogFormat] | None:
    for candidate in formats:
        if candidate.sniff(lines):
            return candidate
    return None


@dataclass
class LogScanResult:
    run_id: int
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0


class LogScan:
    def __init__(self, db: sqlite_utils.Database, catalogue: Catalogue, formats: list[type[LogFormat]], *,
                 forced_format: str | None = None, show_progress: bool = False, parse_all: bool = False,
                 workers: int | None = None, on_error: Callable[[str, str], None] | None = None,
                 stop: StopFlag | None = None, subjects: SubjectMap | None = None,
                 setup_problems: list[str] | None = None, store: ObjectStore | None = None) -> None:
        self.db = db
        self.catalogue = catalogue
        self.matcher = catalogue.matcher
        self.formats = formats
        self.forced = next((f for f in formats if f.name == forced_format), None) if forced_format else None
        self.show_progress = show_progress
        self.parse_all = parse_all
        self.workers = parallel.worker_count() if workers is None else workers
        self.on_error = on_error or (lambda where, message: None)
        self.batch = FindingBatch()
        self.literals = catalogue_literals(catalogue)
        self.pool = None
        self.stop = stop if stop is not None else StopFlag()
        self.subjects = subjects
        self.setup_problems = setup_problems or []
        self.store = store or ObjectStore()  # storage options for URL inputs (remote.py)

    @lru_cache(maxsize=None)
    def prefilter(self, log_format: type[LogFormat]) -> LinePrefilter:
        return format_prefilter(self.literals, log_format)

    def parameters(self, arguments: list[str]) -> dict:
        return {"paths": arguments, "format": self.forced.name if self.forced else "auto", "parse_all": self.parse_all}

    def run(self, arguments: list[str]) -> LogScanResult:
        run = start_run(self.db, SOURCE, catalogue_version=self.catalogue.version,
                        parameters=self.parameters(arguments))
        for problem in self.setup_problems:
            where, _, message = problem.rpartition(": ")
            self.error(run, where, message)
        interrupted = False
        try:
            self.read_all(run, self.inputs(run, arguments))
            interrupted = bool(self.stop)
        except KeyboardInterrupt:
            # A second Ctrl-C: what was not checkpointed is dropped, so the cursor never runs behind the findings.
            interrupted = True
            self.batch = FindingBatch()
        finally:
            self.close()
        if interrupted:
            run.gap("scan", f"stopped by {self.stop.requested or 'SIGINT'} before every input was read")
        status = finish_run(run, interrupted=interrupted)
        return LogScanResult(run.id, status, dict(run.counts), run.errors_total)

    def inputs(self, run: Run, arguments: list[str]) -> list[str]:
        """The files to read, in order: arguments expanded, URLs listed (an engine may list them elsewhere)."""
        files, missing = expand(arguments, keep_urls=True)
        for argument in missing:
            self.gap(run, argument, "no such file, directory or glob match")
        files, problems = expand_urls(files, self.store)
        for url, why in problems:
            self.gap(run, url, why)
        return files

    def read_all(self, run: Run, files: list[str]) -> None:
        total = sum(os.path.getsize(f) for f in files if f != "-" and not is_url(f) and os.path.isfile(f))
        progress = Progress(total, "scan logs", enabled=self.show_progress)
        try:
            for path in files:
                if self.stop:
                    break
                try:
                    self.scan_file(run, path, progress)
                except OSError as exc:
                    self.gap(run, path, f"cannot read: {describe_os_error(exc)}")
        finally:
            progress.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()

    def gap(self, run: Run, where: str, message: str) -> None:
        run.gap(where, message)
        self.on_error(where, message)

    def error(self, run: Run, where: str, message: str) -> None:
        run.error(where, message)
        self.on_error(where, message)

    def scan_file(self, run: Run, path: str, progress: Progress) -> None:
        log = open_input(path, self.store)
        try:
            self.read(run, log, progress)
        finally:
            log.close()

    def read(self, run: Run, log: OpenedLog, progress: Progress) -> None:
        plan = self.plan(run, log, progress)
        if plan is None:
            return
        state = plan.state
        if (not log.compressed and log.identity and self.workers > 1 and not is_url(log.name)
                and log.size - state.offset >= parallel.PARALLEL_THRESHOLD):
            self.read_in_parallel(run, state, plan.log_format, plan.head, plan.evidence_time, progress)
        else:
            parser = BlockParser(plan.log_format, plan.head, self.prefilter(plan.log_format), self.matcher,
                                 name=log.name, location=state.location, evidence_time=plan.evidence_time,
                                 parse_all=self.parse_all, subjects=self.subjects)
            self.read_sequentially(run, state, parser, progress)
        self.record_input(run, state, plan.log_format)

    def plan(self, run: Run, log: OpenedLog, progress: Progress) -> "FilePlan | None":
        """Where to start reading a file (its cursor) and as which format; None when there is nothing to read.
        ``log`` needs no stream here: an engine that reads elsewhere plans from a probe of the file."""
        cursor = load_cursor(self.db, SOURCE, log.identity) if log.identity else None
        if cursor and log.compressed and cursor.size == log.size:
            run.count("files_unchanged")  # a compressed file is only ever read to its end once
            progress.advance(log.size)
            return None
        start, line = 0, 0
        if cursor and (log.compressed or cursor.offset <= log.size):
            start, line = cursor.offset, cursor.line  # resume; a shorter plain file was replaced: read it all
        if not log.compressed and log.identity and start == log.size:
            run.count("files_unchanged")
            progress.advance(log.size)
            return None
        head = head_lines(log)
        log_format = self.forced or detect_format(head, self.formats)
        if log_format is None:
            self.gap(run, log.name, "log format not recognised (name one with --format; see --list-formats)")
            progress.advance(log.size)
            return None
        run.count("files")
        evidence_time = (datetime.fromtimestamp(log.mtime, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                         if log.mtime else None)
        file_state = FileState(log, log_location(log.name), start, line)
        progress.advance(start if not log.compressed else 0)
        return FilePlan(file_state, log_format, head, evidence_time)

    def record_input(self, run: Run, state: "FileState", log_format: type[LogFormat]) -> None:
        log = state.log
        run.add_input(path=input_name(log.name) if log.identity else log.name, format=log_format.name,
                      size=log.size, compression=log.compression, first_line_sha256=log.identity,
                      read=state.ranges)

    def read_sequentially(self, run: Run, state: "FileState", parser: BlockParser, progress: Progress) -> None:
        log = state.log
        if state.offset:
            log.stream.seek(state.offset)
        pending = 0
        digest = hashlib.sha256()
        begin = state.offset
        try:
            for block in whole_line_blocks(log.stream):
                result = ChunkResult(digest=digest)
                parser.process(block, result)
                shift_lines(result, state.line)  # the parser numbers lines from the start of the block
                self.absorb(run, state, result, len(block))
                if not log.compressed:
                    progress.advance(len(block))
                pending += 1
                if pending >= COMMIT_EVERY_BLOCKS or self.stop:
                    self.checkpoint(run, state, complete=False)
                    pending = 0
                if self.stop:
                    return
        except CompressedInputError as exc:
            self.error(run, f"{log.name}:{state.line + 1}", str(exc))
            complete = False
        else:
            complete = True
        state.ranges.append({"from": begin, "to": state.offset, "sha256": digest.hexdigest()})
        if log.compressed:
            progress.advance(log.size)
        self.checkpoint(run, state, complete=complete)

    def read_in_parallel(self, run: Run, state: "FileState", log_format: type[LogFormat], head: list[str],
                         evidence_time: str | None, progress: Progress) -> None:
        if self.pool is None:
            parallel.share(matcher=self.matcher, formats={f.name: f for f in self.formats}, prefilter=self.prefilter,
                           subjects=self.subjects)
            self.pool = parallel.make_pool(self.workers)
        jobs = [
            parallel.RangeJob(state.log.name, begin, end, log_format.name, tuple(head), state.log.name,
                              state.location, evidence_time, self.parse_all)
            for begin, end in parallel.line_aligned_ranges(state.log.name, state.offset, state.log.size)
        ]
        for job, (result, digest) in zip(jobs, self.pool.imap(parallel.scan_range, jobs)):
            state.ranges.append({"from": job.start, "to": job.end, "sha256": digest})
            shift_lines(result, state.line)
            self.absorb(run, state, result, job.end - job.start)
            progress.advance(job.end - job.start)
            self.checkpoint(run, state, complete=job.end == state.log.size)
            if self.stop:
                return

    def absorb(self, run: Run, state: "FileState", result: ChunkResult, consumed: int) -> None:
        for where_line, message in result.errors:
            self.error(run, f"{state.log.name}:{where_line}", message)
        run.errors_total += result.bad - len(result.errors)  # counted, beyond the ones kept
        run.count("bad_records", result.bad)
        run.count("records", result.lines)
        run.count("matched_records", result.matched)
        if result.binary:
            run.count("binary_blocks", result.binary)
        for key, aggregate in result.findings.items.items():
            self.batch.merge(key, aggregate)
        state.offset += consumed
        state.line += result.lines

    def checkpoint(self, run: Run, state: "FileState", *, complete: bool) -> None:
        log = state.log
        if log.identity:
            size = log.size if (complete or not log.compressed) else 0
            self.batch.move_cursor(Cursor(SOURCE, log.identity, state.location, state.offset, state.line, size,
                                          log.mtime))
        commit_batch(self.db, run, self.batch)


@dataclass
class FileState:
    log: OpenedLog
    location: str
    offset: int
    line: int
    ranges: list[dict] = field(default_factory=list)  # byte ranges read, each with the SHA-256 of its bytes


@dataclass
class FilePlan:
    state: FileState
    log_format: type[LogFormat]
    head: list[str]
    evidence_time: str | None


def shift_lines(result: ChunkResult, base: int) -> None:
    """A worker numbers lines from the start of its range; make them file line numbers."""
    if not base:
        return
    result.errors = [(line + base, message) for line, message in result.errors]
    for aggregate in result.findings.items.values():
        record = aggregate.evidence.get("record")
        if record:
            aggregate.evidence["record"] = RECORD.sub(lambda m: f":{int(m.group(1)) + base}", record)

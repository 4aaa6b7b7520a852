"""`scan logs`: read each file from its cursor, detect its format, match every host, store findings.

One run per invocation. Every bad line is counted and kept with its file:line; the rest of the file is
still read. Findings and cursors are committed together every BATCH_LINES lines, so an interrupted scan
resumes without losing or double counting anything.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.findings import match_observation
from scanner.inventory.runs import Run, finish_run, start_run
from scanner.inventory.store import Cursor, FindingBatch, commit_batch, load_cursor
from scanner.modules.logs.formats.base import BadRecord, LogFormat
from scanner.modules.logs.inputs import expand, log_location
from scanner.modules.logs.reader import OpenedLog, decode, head_lines, iterate_lines, open_log
from scanner.observations import HostSeen
from scanner.progress import Progress

SOURCE = "logs"
BATCH_LINES = 50_000


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
                 forced_format: str | None = None, show_progress: bool = False,
                 on_error: Callable[[str, str], None] | None = None) -> None:
        self.db = db
        self.catalogue = catalogue
        self.matcher = catalogue.matcher
        self.formats = formats
        self.forced = next((f for f in formats if f.name == forced_format), None) if forced_format else None
        self.show_progress = show_progress
        self.on_error = on_error or (lambda where, message: None)
        self.batch = FindingBatch()

    def run(self, arguments: list[str]) -> LogScanResult:
        files, missing = expand(arguments)
        run = start_run(self.db, SOURCE, catalogue_version=self.catalogue.version,
                        parameters={"paths": arguments, "format": self.forced.name if self.forced else "auto"})
        for argument in missing:
            self.fail(run, argument, "no such file, directory or glob match")
        total = sum(os.path.getsize(f) for f in files if f != "-" and os.path.isfile(f))
        progress = Progress(total, "scan logs", enabled=self.show_progress)
        interrupted = False
        try:
            for path in files:
                try:
                    self.scan_file(run, path, progress)
                except OSError as exc:
                    self.fail(run, path, f"cannot read: {exc.strerror or exc}")
        except KeyboardInterrupt:
            interrupted = True
        finally:
            commit_batch(self.db, run, self.batch)
            progress.close()
        status = finish_run(run, interrupted=interrupted)
        return LogScanResult(run.id, status, dict(run.counts), run.errors_total)

    def fail(self, run: Run, where: str, message: str) -> None:
        run.error(where, message)
        run.gap(where, message)
        self.on_error(where, message)

    def scan_file(self, run: Run, path: str, progress: Progress) -> None:
        log = open_log(path)
        try:
            self.read(run, log, progress)
        finally:
            log.close()

    def read(self, run: Run, log: OpenedLog, progress: Progress) -> None:
        cursor = load_cursor(self.db, SOURCE, log.identity) if log.identity else None
        if cursor and log.compressed and cursor.size == log.size:
            run.count("files_unchanged")  # a compressed file is only ever read to its end once
            progress.advance(log.size)
            return
        start, line_number = 0, 0
        if cursor and (log.compressed or cursor.offset <= log.size):
            start, line_number = cursor.offset, cursor.line  # resume; a shorter file was replaced: read it all
        if not log.compressed and start == log.size and log.size:
            run.count("files_unchanged")
            progress.advance(log.size)
            return
        head = head_lines(log)
        log_format = self.forced or detect_format(head, self.formats)
        if log_format is None:
            self.fail(run, log.name, "log format not recognised (name one with --format; see --list-formats)")
            return
        parser = log_format()
        parser.prime(head)
        location = log_location(log.name)
        evidence_time = datetime.fromtimestamp(log.mtime, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") \
            if log.mtime else None
        digest = hashlib.sha256()
        position = start
        progress.advance(start if not log.compressed else 0)
        run.count("files")
        for position, raw in iterate_lines(log.stream, start):
            line_number += 1
            digest.update(raw)
            if not log.compressed:
                progress.advance(len(raw))
            text = decode(raw)
            if not text.strip():
                continue
            run.count("records")
            try:
                fields = parser.parse(text)
            except BadRecord as exc:
                run.count("bad_records")
                where = f"{log.name}:{line_number}"
                run.error(where, f"{log_format.name}: {exc}")
                self.on_error(where, f"{log_format.name}: {exc}")
                continue
            if not fields:
                continue
            fields.setdefault("timestamp", evidence_time)
            observation = HostSeen(source=SOURCE, location=location, record=f"{log.name}:{line_number}", **fields)
            finding = match_observation(observation, self.matcher)
            if finding is not None:
                run.count("matched_records")
                self.batch.add(finding)
            if line_number % BATCH_LINES == 0:
                self.checkpoint(run, log, location, position, line_number, complete=False)
        if log.compressed:
            progress.advance(log.size)
        self.checkpoint(run, log, location, position, line_number, complete=True)
        run.add_input(path=os.path.abspath(log.name) if log.identity else log.name, format=log_format.name,
                      size=log.size, read_from=start, read_to=position, sha256=digest.hexdigest())

    def checkpoint(self, run: Run, log: OpenedLog, location: str, position: int, line_number: int, *,
                   complete: bool) -> None:
        if log.identity:
            size = log.size if (complete or not log.compressed) else 0
            self.batch.move_cursor(Cursor(SOURCE, log.identity, location, position, line_number, size, log.mtime))
        commit_batch(self.db, run, self.batch)

"""`scan pcap`: read capture files into the inventory, each file once.

A capture is identified by the SHA-256 of its content (decompressed), computed by a thread on the other core
while the packets are read: a file renamed, copied or compressed after a scan is recognised and not counted
again. Findings and the file's cursor (how many bytes and packets were read) are committed together every
COMMIT_BYTES once the identity is known, so a scan stopped by a signal resumes after the last commit; a scan
that finds a cursor for content it has begun to read starts that file again from the cursor.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from typing import Callable

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.interruption import StopFlag
from scanner.inventory.runs import Run, finish_run, start_run
from scanner.inventory.store import Cursor, FindingBatch, commit_batch, load_cursor
from scanner.modules.logs.inputs import expand, log_location
from scanner.modules.logs.reader import CompressedInputError, open_log
from scanner.modules.pcap.capture_file import CaptureReader, NotACapture, capture_kind
from scanner.modules.pcap.session import CaptureSession
from scanner.modules.pcap.sightings import SOURCE
from scanner.progress import Progress
from scanner.subjects import SubjectMap

COMMIT_BYTES = int(os.environ.get("SHADOWAI_PCAP_COMMIT_BYTES", 256 << 20))  # tuning knob (and for tests)


class ContentHash(threading.Thread):
    """SHA-256 and size of a file's decompressed content, computed alongside the scan (hashlib and file reads
    release the GIL)."""

    def __init__(self, path: str) -> None:
        super().__init__(daemon=True, name="capture-hash")
        self.path = path
        self.digest: str | None = None
        self.size = 0
        self.error: str | None = None
        self.done = threading.Event()

    def run(self) -> None:
        digest = hashlib.sha256()
        try:
            opened = open_log(self.path)
            try:
                while chunk := opened.stream.read(4 << 20):
                    digest.update(chunk)
                    self.size += len(chunk)
            finally:
                opened.close()
        except (OSError, CompressedInputError) as exc:
            self.error = str(exc)
        self.digest = digest.hexdigest() if self.size or not self.error else None  # None: nothing to know it by
        self.done.set()


@dataclass
class PcapScanResult:
    run_id: int
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0


class Restart(Exception):
    """The content was partly read by an earlier scan: read it again from the cursor."""

    def __init__(self, cursor: Cursor) -> None:
        self.cursor = cursor


class PcapScan:
    def __init__(self, db: sqlite_utils.Database, catalogue: Catalogue, *, subjects: SubjectMap | None = None,
                 setup_problems: list[str] | None = None, on_error: Callable[[str, str], None] | None = None,
                 stop: StopFlag | None = None, show_progress: bool = False) -> None:
        self.db = db
        self.catalogue = catalogue
        self.subjects = subjects
        self.setup_problems = setup_problems or []
        self.on_error = on_error or (lambda where, message: None)
        self.stop = stop if stop is not None else StopFlag()
        self.show_progress = show_progress
        self.batch = FindingBatch()

    def run(self, arguments: list[str]) -> PcapScanResult:
        files, missing = expand(arguments)
        run = start_run(self.db, SOURCE, catalogue_version=self.catalogue.version, parameters={"paths": arguments})
        for problem in self.setup_problems:
            where, _, message = problem.rpartition(": ")
            self.error(run, where, message)
        for argument in missing:
            self.gap(run, argument, "no such file, directory or glob match")
        total = sum(os.path.getsize(f) for f in files if os.path.isfile(f))
        progress = Progress(total, "scan pcap", enabled=self.show_progress)
        interrupted = False
        try:
            for path in files:
                if self.stop:
                    break
                if path == "-":
                    self.gap(run, path, "captures are read from files, not standard input")
                    continue
                try:
                    self.scan_file(run, path, progress)
                except OSError as exc:
                    self.gap(run, path, f"cannot read: {exc.strerror or exc}")
            interrupted = bool(self.stop)
        except KeyboardInterrupt:
            interrupted = True  # a second Ctrl-C: what was not committed is dropped with its cursor
            self.batch = FindingBatch()
        finally:
            progress.close()
        if interrupted:
            run.gap("scan", f"stopped by {self.stop.requested or 'SIGINT'} before every capture was read")
        status = finish_run(run, interrupted=interrupted)
        return PcapScanResult(run.id, status, dict(run.counts), run.errors_total)

    def gap(self, run: Run, where: str, message: str) -> None:
        run.gap(where, message)
        self.on_error(where, message)

    def error(self, run: Run, where: str, message: str) -> None:
        run.error(where, message)
        self.on_error(where, message)

    def scan_file(self, run: Run, path: str, progress: Progress) -> None:
        hasher = ContentHash(path)
        hasher.start()
        resume: Cursor | None = None
        while True:
            try:
                self.read_file(run, path, progress, hasher, resume)
                return
            except Restart as restart:
                self.batch = FindingBatch()
                resume = restart.cursor

    def read_file(self, run: Run, path: str, progress: Progress, hasher: ContentHash, resume: Cursor | None) -> None:
        opened = open_log(path)
        try:
            try:
                kind = capture_kind(opened.head)
            except NotACapture as exc:
                hasher.join()
                self.gap(run, path, str(exc))
                progress.advance(opened.size)
                return
            location = log_location(path)
            session = CaptureSession(run, self.catalogue.matcher, self.batch, name=path, location=location,
                                     subjects=self.subjects, on_error=self.on_error)
            reader = CaptureReader(opened.stream, session.dissector, problem=session.problem, name=path)
            state = {"checked": resume is not None, "committed_at": 0, "shown": 0}

            def identity_ready(wait: bool) -> bool:
                if state["checked"]:
                    return True
                if not hasher.done.is_set() and not wait:
                    return False
                hasher.join()
                state["checked"] = True
                cursor = load_cursor(self.db, SOURCE, hasher.digest) if hasher.digest else None
                if cursor is not None and cursor.offset >= cursor.size:
                    state["unchanged"] = True
                    return True
                if cursor is not None and cursor.offset > 0:
                    raise Restart(cursor)
                return True

            def on_block(offset: int, packets: int, ts: float) -> bool:
                session.dissector.tick(ts)
                position = opened.raw.tell() if opened.raw is not None else offset
                progress.advance(max(0, position - state["shown"]))
                state["shown"] = max(state["shown"], position)
                if identity_ready(wait=bool(self.stop)) and state.get("unchanged"):
                    return False
                if state["checked"] and (offset - state["committed_at"] >= COMMIT_BYTES or self.stop):
                    self.commit(run, session, hasher, location, offset, packets, opened.mtime)
                    state["committed_at"] = offset
                return not self.stop

            try:
                complete = reader.read(on_block, resume_at=resume.offset if resume else 0,
                                       resume_packets=resume.line if resume else 0)
            except CompressedInputError as exc:
                self.error(run, path, str(exc))  # what came before the damage was read
                complete = True
            identity_ready(wait=True)
            if state.get("unchanged"):
                run.count("files_unchanged")
                progress.advance(max(0, opened.size - state["shown"]))
                self.batch.items.clear()
                return
            if complete:
                session.close(reader.last_ts)
                progress.advance(max(0, opened.size - state["shown"]))
            session.add_counts()
            for name, value in reader.counts.items():
                if value:
                    run.count(name, value)
            run.count("files")
            run.count("packets", reader.packets - (resume.line if resume else 0))
            run.count("records", reader.packets - (resume.line if resume else 0))  # the column `shadowai runs` shows
            if hasher.error:
                self.error(run, path, f"content could not be read to its end for its hash: {hasher.error}")
            run.add_input(path=os.path.abspath(path), format=kind, size=opened.size, compression=opened.compression,
                          sha256=hasher.digest, packets=reader.packets,
                          read={"from": resume.offset if resume else 0, "to": reader.offset})
            self.commit(run, session, hasher, location, reader.offset if not complete else hasher.size,
                        reader.packets, opened.mtime)
        finally:
            opened.close()

    def commit(self, run: Run, session: CaptureSession, hasher: ContentHash, location: str, offset: int,
               packets: int, mtime: float) -> None:
        if hasher.digest is not None:
            self.batch.move_cursor(Cursor(SOURCE, hasher.digest, location, offset, packets, hasher.size, mtime))
        commit_batch(self.db, run, self.batch)

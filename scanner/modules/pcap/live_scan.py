"""`scan capture`: one run over a live interface; findings are committed every COMMIT_SECONDS."""

from __future__ import annotations

import socket
import time
from typing import Callable

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.interruption import StopFlag
from scanner.inventory.runs import finish_run, start_run
from scanner.inventory.store import FindingBatch, commit_batch
from scanner.modules.pcap import live
from scanner.modules.pcap.scan import PcapScanResult
from scanner.modules.pcap.session import CaptureSession
from scanner.subjects import SubjectMap

COMMIT_SECONDS = 10.0
MODULE = "capture"


class LiveScan:
    def __init__(self, db: sqlite_utils.Database, catalogue: Catalogue, *, subjects: SubjectMap | None = None,
                 setup_problems: list[str] | None = None, on_error: Callable[[str, str], None] | None = None,
                 stop: StopFlag | None = None) -> None:
        self.db = db
        self.catalogue = catalogue
        self.subjects = subjects
        self.setup_problems = setup_problems or []
        self.on_error = on_error or (lambda where, message: None)
        self.stop = stop if stop is not None else StopFlag()

    def run(self, interface: str, duration: float | None, bpf: str | None) -> PcapScanResult:
        run = start_run(self.db, MODULE, catalogue_version=self.catalogue.version,
                        parameters={"interface": interface, "duration": duration, "bpf": bpf})
        for problem in self.setup_problems:
            where, _, message = problem.rpartition(": ")
            run.error(where, message)
            self.on_error(where, message)
        batch = FindingBatch()
        name = f"{interface}"
        location = f"{socket.gethostname()}:{interface}"
        session = CaptureSession(run, self.catalogue.matcher, batch, name=name, location=location,
                                 subjects=self.subjects, on_error=self.on_error)
        dissector = session.dissector
        number, last_ts, committed = 0, None, time.monotonic()
        try:
            for item in live.packets(interface, bpf, duration, self.stop):
                if item is not None:
                    data, last_ts, link = item
                    number += 1
                    dissector.number = number
                    dissector.packet(data, 0, len(data), last_ts, link)
                if time.monotonic() - committed >= COMMIT_SECONDS:
                    dissector.tick(last_ts or time.time())
                    commit_batch(self.db, run, batch)
                    committed = time.monotonic()
        except live.CaptureUnavailable as exc:
            run.gap(f"interface {interface}", str(exc))
            self.on_error(f"interface {interface}", str(exc))
        session.close(last_ts)
        session.add_counts()
        run.count("packets", number)
        run.count("records", number)
        run.add_input(interface=interface, host=socket.gethostname(), bpf=bpf, duration=duration, packets=number)
        commit_batch(self.db, run, batch)
        # Without --duration a capture runs until it is stopped: a signal is then its normal end.
        interrupted = bool(self.stop) and duration is not None
        status = finish_run(run, interrupted=interrupted)
        return PcapScanResult(run.id, status, dict(run.counts), run.errors_total)

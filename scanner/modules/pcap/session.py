"""One capture being read: the dissector, what it learnt, and the findings it adds up to.

Shared by files (scan.py) and live interfaces (live.py). Problems (malformed packets, damaged records) are
counted in full; the first MAX_SHOWN of each capture are also shown with their place, the rest summarised.
"""

from __future__ import annotations

from typing import Callable

from scanner.findings import match_observation
from scanner.inventory.runs import Run
from scanner.inventory.store import FindingBatch
from scanner.matching.matcher import Matcher
from scanner.modules.pcap.dissect import Dissector
from scanner.modules.pcap.sightings import Sightings
from scanner.observations import HostSeen
from scanner.subjects import SubjectMap

MAX_SHOWN = 20


class CaptureSession:
    def __init__(self, run: Run, matcher: Matcher, batch: FindingBatch, *, name: str, location: str,
                 subjects: SubjectMap | None, on_error: Callable[[str, str], None]) -> None:
        self.run = run
        self.matcher = matcher
        self.batch = batch
        self.name = name
        self.on_error = on_error
        self.shown = 0
        self.problems = 0
        self.matched = 0
        self.sightings = Sightings(location=location, record_name=name, emit=self.observe,
                                   problem=self.packet_problem, subjects=subjects)
        self.dissector = Dissector(self.sightings)

    def observe(self, observation: HostSeen) -> None:
        finding = match_observation(observation, self.matcher)
        if finding is not None:
            self.matched += 1
            self.batch.add(finding)

    def packet_problem(self, number: int | None, message: str) -> None:
        self.problem(f"{self.name}:packet {number}" if number else self.name, message)

    def problem(self, where: str, message: str) -> None:
        self.problems += 1
        self.run.error(where, message)
        if self.shown < MAX_SHOWN:
            self.shown += 1
            self.on_error(where, message)

    def close(self, ts: float | None) -> None:
        """The end of the capture: give up waiting streams, report the summary of problems and the gaps."""
        self.dissector.finish(ts or 0.0)
        if self.problems > self.shown:
            self.on_error(self.name, f"{self.problems - self.shown} more problems (counted in the run; see "
                                     f"shadowai runs)")
        for what, why in self.sightings.gaps():
            self.run.gap(f"{self.name}: {what}", why)

    def add_counts(self) -> None:
        counts = dict(self.sightings.counts, **self.dissector.counts)
        counts["matched_records"] = self.matched
        for name, value in counts.items():
            if value:
                self.run.count(name, value)

"""Turn blocks of whole lines into findings: pick candidate lines, parse them, match them, aggregate.

The same code runs in the scanning process (compressed files, stdin, small files) and in worker processes
(byte ranges of large files), so both engines give identical results.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator

from scanner.findings import match_observation
from scanner.inventory.store import FindingBatch
from scanner.matching.matcher import Matcher
from scanner.modules.logs.formats.base import BadRecord, LogFormat
from scanner.modules.logs.prefilter import LinePrefilter
from scanner.observations import HostSeen
from scanner.subjects import SubjectMap
from scanner.subjects import apply as apply_subjects

BLOCK_BYTES = int(os.environ.get("SHADOWAI_LOGS_BLOCK_BYTES", 8 << 20))  # tuning knob (and for tests)
MAX_ERRORS_KEPT = 50
SOURCE = "logs"


@dataclass
class ChunkResult:
    lines: int = 0
    matched: int = 0
    bad: int = 0
    binary: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number within the chunk, message)
    findings: FindingBatch = field(default_factory=FindingBatch)
    digest: "hashlib._Hash" = field(default_factory=hashlib.sha256, repr=False)  # of the bytes read


class BlockParser:
    def __init__(self, log_format: type[LogFormat], head: list[str], prefilter: LinePrefilter, matcher: Matcher, *,
                 name: str, location: str, evidence_time: str | None, parse_all: bool = False,
                 subjects: SubjectMap | None = None) -> None:
        self.format = log_format
        self.parser = log_format()
        self.parser.prime(head)
        self.uses_headers = type(self.parser).prime is not LogFormat.prime
        self.prefilter = prefilter
        self.matcher = matcher
        self.name = name
        self.location = location
        self.evidence_time = evidence_time
        self.parse_all = parse_all
        self.subjects = subjects

    def spans(self, block: bytes) -> Iterator[tuple[int, int]]:
        if not self.parse_all:
            yield from self.prefilter.candidates(block)
            return
        start = 0
        while start < len(block):
            end = block.find(b"\n", start)
            end = len(block) if end == -1 else end
            yield start, end
            start = end + 1

    def process(self, block: bytes, result: ChunkResult) -> None:
        """``block`` holds whole lines; line numbers continue from ``result.lines``."""
        result.digest.update(block)
        if b"\0" in block:
            result.binary += 1
        counted_to, newlines = 0, 0
        for start, end in self.spans(block):
            newlines += block.count(b"\n", counted_to, start)
            counted_to = start
            raw = block[start:end]
            if not raw.strip():
                continue
            if raw[:1] == b"#" and not self.uses_headers and not self.parse_all:
                continue
            self.parse_line(raw, result.lines + newlines + 1, result)
        result.lines += block.count(b"\n") + (0 if block.endswith(b"\n") or not block else 1)

    def parse_line(self, raw: bytes, line_number: int, result: ChunkResult) -> None:
        text = raw.decode("utf-8", errors="replace").rstrip("\r")
        try:
            if "\0" in text:
                raise BadRecord("binary data (NUL bytes) in a text log")
            fields = self.parser.parse(text)
        except BadRecord as exc:
            result.bad += 1
            if len(result.errors) < MAX_ERRORS_KEPT:
                result.errors.append((line_number, f"{self.format.name}: {exc}"))
            return
        if not fields:
            return
        fields.setdefault("timestamp", self.evidence_time)
        apply_subjects(fields, self.subjects)
        observation = HostSeen(source=SOURCE, location=self.location, record=f"{self.name}:{line_number}", **fields)
        finding = match_observation(observation, self.matcher)
        if finding is not None:
            result.matched += 1
            result.findings.add(finding)


def format_prefilter(literals: list, log_format: type[LogFormat]) -> LinePrefilter:
    """The pre-filter for one format: its host spelling, and header lines kept when the format reads them."""
    uses_headers = log_format.prime is not LogFormat.prime
    return LinePrefilter(literals, getattr(log_format, "host_encoding", "plain"), with_headers=uses_headers)


def whole_line_blocks(stream: BinaryIO, limit: int | None = None, block_bytes: int | None = None
                      ) -> Iterator[bytes]:
    """Blocks that end on a newline (the last one may not, at the end of the input). ``limit``: bytes to read."""
    block_bytes = block_bytes or BLOCK_BYTES
    carry = b""
    remaining = limit
    while True:
        size = block_bytes if remaining is None else min(block_bytes, remaining)
        data = stream.read(size) if size > 0 else b""
        if remaining is not None:
            remaining -= len(data)
        if not data:
            if carry:
                yield carry
            return
        data = carry + data
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            carry = data
            continue
        carry = data[cut:]
        yield data[:cut]

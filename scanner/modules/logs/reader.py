"""Read a log file line by line from where the last scan stopped.

A file is identified by the SHA-256 of its first line (at most 1 KiB), not by its name: a log renamed by
rotation keeps its identity and is not read twice, a log truncated and started again gets a new one.
Gzip files are read through the decompressor; their offsets count decompressed bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import sys
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from scanner.modules.logs.inputs import STDIN

IDENTITY_BYTES = 1024
GZIP_MAGIC = b"\x1f\x8b"


HEAD_BYTES = 65536


class PrefixedStream(io.RawIOBase):
    """A non-seekable stream that replays bytes already read (for format detection) before the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head = memoryview(head)
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@dataclass
class OpenedLog:
    name: str
    stream: BinaryIO
    identity: str | None  # None for stdin: nothing to resume
    size: int  # bytes on disk (compressed size for gzip)
    mtime: float
    compressed: bool
    head: bytes = b""

    def close(self) -> None:
        if self.identity is not None:
            self.stream.close()


def open_log(path: str) -> OpenedLog:
    if path == STDIN:
        head = sys.stdin.buffer.read(HEAD_BYTES)
        stream = io.BufferedReader(PrefixedStream(head, sys.stdin.buffer), buffer_size=1 << 20)
        return OpenedLog("<stdin>", stream, None, 0, 0.0, False, head)
    raw = open(path, "rb")  # noqa: SIM115 — closed by OpenedLog.close
    stat = os.fstat(raw.fileno())
    compressed = raw.read(2) == GZIP_MAGIC
    raw.seek(0)
    stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    first_line = head[:IDENTITY_BYTES].split(b"\n", 1)[0]
    identity = hashlib.sha256(first_line).hexdigest() if first_line else None
    return OpenedLog(path, stream, identity, stat.st_size, stat.st_mtime, compressed, head)


def head_lines(log: OpenedLog, count: int = 25) -> list[str]:
    """The first non-empty lines of the file, for format detection and headers."""
    data = log.head
    if len(data) == HEAD_BYTES and b"\n" in data:
        data = data[: data.rindex(b"\n")]  # drop a line cut off by the limit
    lines = [decode(line) for line in data.split(b"\n")]
    return [line for line in lines if line.strip()][:count]


def decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


def iterate_lines(stream: BinaryIO, offset: int = 0) -> Iterator[tuple[int, bytes]]:
    """Yield (offset after the line, raw line) from ``offset`` on."""
    if offset:
        stream.seek(offset)
    position = offset
    for raw in stream:
        position += len(raw)
        yield position, raw

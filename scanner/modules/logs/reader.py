"""Open a log for reading from where the last scan stopped.

A file is identified by the SHA-256 of its beginning, not by its name: a log renamed by rotation keeps its
identity and is not read twice; a log truncated and started again gets a new one. The beginning is every line
up to and including the first that is not a '#' header (at most 8 KiB): formats with headers (Zeek, W3C/IIS)
start every file with the same first line, but their headers name the file's own start time (#open, #Date)
and the first record carries a timestamp. A file that has only headers so far gets a provisional identity; when
its first record arrives the identity changes and the file is read from the start — the headers it re-reads
hold no findings, so nothing is counted twice.
Compressed files (gzip, bzip2, xz, zstd — recognised by their magic bytes, not their names) are read
through a decompressor; their offsets count decompressed bytes. A corrupt or truncated compressed file
raises CompressedInputError from ``read`` after everything before the damage has been returned.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import os
import sys
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from scanner.modules.logs.inputs import STDIN

IDENTITY_LIMIT = 8192
HEAD_BYTES = 65536


class CompressedInputError(Exception):
    """The compressed stream is damaged or cut short."""


def open_zstd(raw: BinaryIO) -> BinaryIO:
    import zstandard

    return zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=False)


MAGIC = (
    (b"\x1f\x8b", "gzip", lambda raw: gzip.GzipFile(fileobj=raw, mode="rb")),
    (b"BZh", "bzip2", lambda raw: bz2.BZ2File(raw, mode="rb")),
    (b"\xfd7zXZ\x00", "xz", lambda raw: lzma.LZMAFile(raw, mode="rb")),
    (b"\x28\xb5\x2f\xfd", "zstd", open_zstd),
)


def decompression_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [EOFError, zlib.error, gzip.BadGzipFile, lzma.LZMAError, OSError]
    try:
        import zstandard

        errors.append(zstandard.ZstdError)
    except ImportError:  # pragma: no cover — zstandard is a dependency
        pass
    return tuple(errors)


class CheckedStream(io.RawIOBase):
    """A decompressing stream whose failures surface as CompressedInputError, naming the compression."""

    STEP = 256 << 10

    def __init__(self, inner: BinaryIO, compression: str) -> None:
        self.inner = inner
        self.compression = compression
        self.errors = decompression_errors()
        self.position = 0
        self.pending: CompressedInputError | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence != io.SEEK_SET or offset < self.position:
            self.inner.seek(offset, whence)
            self.position = self.inner.tell()
            return self.position
        while self.position < offset:  # forward only: decompress and discard
            if not self.read(min(offset - self.position, 1 << 20)):
                break
        return self.position

    def read(self, size: int = -1) -> bytes:
        """Read in small steps, so that damage loses at most one step: what came before it is returned first
        and the error is raised on the next call."""
        if self.pending is not None:
            error, self.pending = self.pending, None
            raise error
        wanted = size if size >= 0 else 1 << 62
        pieces, got = [], 0
        while got < wanted:
            try:
                data = self.inner.read(min(wanted - got, self.STEP))
            except self.errors as exc:
                error = CompressedInputError(
                    f"{self.compression} data damaged or cut short after {self.position + got} bytes: {exc}")
                if not pieces:
                    raise error from exc
                self.pending = error
                break
            if not data:
                break
            pieces.append(data)
            got += len(data)
        self.position += got
        return b"".join(pieces)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


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
    size: int  # bytes on disk (compressed size for compressed files)
    mtime: float
    compression: str | None
    head: bytes = b""
    raw: BinaryIO | None = None  # the file under a decompressor

    @property
    def compressed(self) -> bool:
        return self.compression is not None

    def close(self) -> None:
        if self.name != "<stdin>":
            self.stream.close()
        if self.raw is not None:
            self.raw.close()


def open_log(path: str) -> OpenedLog:
    if path == STDIN:
        head = sys.stdin.buffer.read(HEAD_BYTES)
        stream = io.BufferedReader(PrefixedStream(head, sys.stdin.buffer), buffer_size=1 << 20)
        return OpenedLog("<stdin>", stream, None, 0, 0.0, None, head)
    raw = open(path, "rb")  # noqa: SIM115 — closed by OpenedLog.close
    try:
        stat = os.fstat(raw.fileno())
    except BaseException:
        raw.close()
        raise
    return open_raw(path, raw, stat.st_size, stat.st_mtime)


def open_raw(path: str, raw: BinaryIO, size: int, mtime: float) -> OpenedLog:
    """A log from any seekable binary file: a local file, or an object in storage opened through fsspec."""
    try:
        magic = raw.read(6)
        raw.seek(0)
        compression, stream = None, raw
        for prefix, name, opener in MAGIC:
            if magic.startswith(prefix):
                compression = name
                with CheckedStream(opener(raw), name) as probe:  # some decompressors cannot seek back
                    try:
                        head = probe.read(HEAD_BYTES)
                    except CompressedInputError:
                        head = b""
                raw.seek(0)
                stream = CheckedStream(opener(raw), name)
                break
        else:
            head = raw.read(HEAD_BYTES)
            raw.seek(0)
    except BaseException:
        raw.close()
        raise
    beginning = identifying_prefix(head)
    identity = hashlib.sha256(beginning).hexdigest() if beginning else None
    return OpenedLog(path, stream, identity, size, mtime, compression, head, raw)


def identifying_prefix(head: bytes) -> bytes:
    """The bytes that identify a file: lines up to and including the first non-header line (see above)."""
    position = 0
    while position < min(len(head), IDENTITY_LIMIT):
        end = head.find(b"\n", position)
        if end == -1:
            return head[:IDENTITY_LIMIT]  # an unfinished line: everything so far
        if not head.startswith(b"#", position):
            return head[: end + 1]
        position = end + 1
    return head[:IDENTITY_LIMIT]


def head_lines(log: OpenedLog, count: int = 25) -> list[str]:
    """The first non-empty lines of the file, for format detection and headers."""
    data = log.head
    if len(data) == HEAD_BYTES and b"\n" in data:
        data = data[: data.rindex(b"\n")]  # drop a line cut off by the limit
    lines = [raw.decode("utf-8", errors="replace").rstrip("\r\n") for raw in data.split(b"\n")]
    return [line for line in lines if line.strip()][:count]

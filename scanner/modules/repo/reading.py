"""Bounded reads of one file: the whole of a text file up to a size limit, only the header of anything else.

Files are opened with O_NOFOLLOW and O_NONBLOCK and checked to be regular files after opening, so a file
swapped for a symlink or a FIFO between the walk and the read is refused rather than followed or waited on.
A file is text when its first block has no NUL byte and the whole of it decodes as UTF-8 (a BOM is dropped).
"""

from __future__ import annotations

import codecs
import os
import stat

HEADER_BYTES = 4096
BINARY_PROBE = 8192
CHUNK = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(OSError):
    pass


def open_regular(path: str) -> int:
    fd = os.open(path, _FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(f"{path}: not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_prefix(path: str, limit: int) -> bytes:
    """Up to ``limit`` bytes from the start of the file, as large as the file was when it was opened (no read
    past the size that fstat reported: one read call for most files)."""
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"{path}: not a regular file")
        remaining = min(limit, info.st_size)
        if remaining <= CHUNK:
            return os.read(fd, remaining) if remaining > 0 else b""
        parts = []
        while remaining > 0:
            block = os.read(fd, min(remaining, CHUNK))
            if not block:
                break
            parts.append(block)
            remaining -= len(block)
        return b"".join(parts)
    finally:
        os.close(fd)


def looks_binary(data: bytes) -> bool:
    return b"\0" in data[:BINARY_PROBE]


def decode_text(data: bytes) -> str | None:
    """The text of a UTF-8 file, or None when it is not valid UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def iterate_chunks(path: str, *, limit: int):
    """The file's bytes in chunks, at most ``limit`` bytes in all (for hashing large model files)."""
    fd = open_regular(path)
    try:
        remaining = limit
        while remaining > 0:
            block = os.read(fd, min(remaining, CHUNK))
            if not block:
                return
            remaining -= len(block)
            yield block
    finally:
        os.close(fd)

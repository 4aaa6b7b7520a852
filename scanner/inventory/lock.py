"""One writer per inventory: an advisory lock on ``<db>.lock`` held for the whole scan.

``flock`` locks belong to the open file: the kernel drops them when the holder dies, however it dies, so a
lock left by a killed scan is taken over by the next one without any clean-up. The file records the
holder's pid, host and start time so that a waiting scan can say who it is waiting for.

The lock is re-entrant within one process: `shadowai scan` (every configured source) holds it for its whole
duration and runs each source's own command, which takes it again without waiting for itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from pathlib import Path

from scanner.inventory.runs import utc_now


_HELD: dict[tuple[str, int], int] = {}  # (lock file, thread) this process holds -> nesting depth


class LockNotAcquired(Exception):
    """Another scan holds the lock and did not release it within the wait."""


class DatabaseLock:
    def __init__(self, db_path: str | Path, wait: float = 0.0) -> None:
        self.path = Path(f"{db_path}.lock")
        self.wait = wait
        self.handle = None
        self.key = (os.path.realpath(self.path), threading.get_ident())
        self.nested = False

    def holder(self) -> str:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return "another process"
        return f"pid {info.get('pid')} on {info.get('host')} since {info.get('since')}"

    def __enter__(self) -> "DatabaseLock":
        if _HELD.get(self.key):
            _HELD[self.key] += 1
            self.nested = True
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        handle = os.fdopen(fd, "r+", encoding="utf-8")
        deadline = time.monotonic() + max(self.wait, 0.0)
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self.holder()
                    handle.close()
                    raise LockNotAcquired(
                        f"{self.path}: inventory is locked by {holder}; waited {self.wait:g}s (see --wait)"
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": utc_now()}))
        handle.flush()
        self.handle = handle
        _HELD[self.key] = 1
        return self

    def __exit__(self, *exc) -> None:
        if self.nested:
            _HELD[self.key] -= 1
            self.nested = False
            return
        if self.handle is not None:
            _HELD.pop(self.key, None)
            self.handle.close()  # closing the file releases the lock
            self.handle = None

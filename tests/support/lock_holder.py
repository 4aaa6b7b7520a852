"""Another scan holding the inventory's lock: a thread of this process, which waits like another process would."""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator

from scanner.inventory.lock import DatabaseLock


@contextlib.contextmanager
def lock_held_elsewhere(db_path) -> Iterator[None]:
    """Hold the lock of the inventory at DB_PATH from another thread until the block ends."""
    held, release = threading.Event(), threading.Event()

    def holder():
        with DatabaseLock(db_path):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join()

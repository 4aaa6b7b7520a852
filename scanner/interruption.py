"""SIGTERM and SIGINT during a scan: finish the current batch, then stop and record the run as interrupted.

While a scan runs, both signals only set a flag that the scan checks between batches, so a signal can never
land between writing findings and moving the cursor. A second SIGINT restores Python's default behaviour
(an immediate KeyboardInterrupt) for a user who really wants out.
"""

from __future__ import annotations

import signal
import threading


class StopFlag:
    def __init__(self) -> None:
        self.requested: str | None = None
        self.previous: dict[int, object] = {}

    def __bool__(self) -> bool:
        return self.requested is not None

    def _handle(self, signum, _frame) -> None:
        if self.requested and signum == signal.SIGINT:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            raise KeyboardInterrupt
        self.requested = signal.Signals(signum).name

    def __enter__(self) -> "StopFlag":
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        self.previous.clear()

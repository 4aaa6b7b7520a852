"""Progress on a terminal: a byte-count bar on stderr when it is a TTY, silence under cron or --quiet."""

from __future__ import annotations

import sys
import time

import click


class Progress:
    def __init__(self, total: int, label: str, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.total = max(total, 1)
        self.label = label
        self.done = 0
        self.shown_at = 0.0

    def advance(self, amount: int) -> None:
        self.done += amount
        if self.enabled and time.monotonic() - self.shown_at > 0.2:
            self.show()

    def show(self) -> None:
        self.shown_at = time.monotonic()
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        click.echo(f"\r{self.label} [{bar:<30}] {share:4.0%} {self.done / 1e6:,.1f} MB", err=True, nl=False)

    def close(self) -> None:
        if self.enabled:
            self.show()
            click.echo("", err=True)

"""Progress of `scan repo` on a terminal: repositories done, files and megabytes read, on one stderr line.
Silent when stderr is not a TTY (cron) or with --quiet."""

from __future__ import annotations

import sys
import time

import click


class RepoProgress:
    def __init__(self, repositories: int, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.repositories = repositories
        self.done = 0
        self.files_read = 0
        self.bytes = 0
        self.shown_at = 0.0

    def files(self, count: int, size: int) -> None:
        """``count`` more files read, ``size`` bytes in all."""
        self.files_read += count
        self.bytes += size
        if self.enabled and time.monotonic() - self.shown_at > 0.2:
            self.show()

    def repository(self, files: int = 0, size: int = 0) -> None:
        self.done += 1
        self.files_read += files
        self.bytes += size
        if self.enabled:
            self.show()

    def show(self) -> None:
        self.shown_at = time.monotonic()
        click.echo(f"\rscan repo: {self.done}/{self.repositories} repositories, {self.files_read:,} files, "
                   f"{self.bytes / 1e6:,.1f} MB", err=True, nl=False)

    def close(self) -> None:
        if self.enabled:
            self.show()
            click.echo("", err=True)

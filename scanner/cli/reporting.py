"""Messages to the person (or log shipper) running shadowai: errors always, the rest only when wanted.

Errors go to stderr always. Informational lines (summaries, progress notes) are shown on a terminal, and
under cron only with ``--verbose``; ``--quiet`` silences them. ``--log-format json`` turns every line into a
JSON object for log shippers. Nothing here ever receives a secret: callers pass locations and reasons.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import datetime, timezone

import click


@dataclass
class Reporting:
    log_format: str = "text"
    verbose: bool = False
    quiet: bool = False

    def informative(self) -> bool:
        return not self.quiet and (self.verbose or sys.stderr.isatty())


settings = Reporting()


def emit(level: str, message: str, **fields) -> None:
    if settings.log_format == "json":
        record = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "level": level,
                  "message": message, **fields}
        click.echo(json.dumps(record, ensure_ascii=False, default=str), err=True)
    else:
        click.echo(message, err=True)


def error(where: str, message: str) -> None:
    emit("error", f"{where}: {message}", where=where, reason=message)


def info(message: str, **fields) -> None:
    if settings.informative():
        emit("info", message, **fields)

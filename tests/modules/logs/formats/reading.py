"""Read a fixture through one format as `scan logs` does (first lines to prime, then every line), or scan it
end to end through the CLI and read the findings back."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from scanner.modules.logs.plugin import register_log_formats as log_formats
from scanner.modules.logs.formats.base import LogFormat

HEAD_LINES = 25


def lines_of(text: str) -> list[str]:
    return [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def head(text: str) -> list[str]:
    return lines_of(text)[:HEAD_LINES]


def detected(text: str) -> str | None:
    """The name of the first registered format whose sniff accepts the fixture, as the scan picks it."""
    return next((f.name for f in log_formats() if f.sniff(head(text))), None)


def parse_each(log_format: type[LogFormat], text: str) -> list[dict[str, Any] | None]:
    parser = log_format()
    parser.prime(head(text))
    return [parser.parse(line) for line in lines_of(text)]


def found(log_format: type[LogFormat], text: str) -> list[dict[str, Any]]:
    """Only the lines that name a host."""
    return [fields for fields in parse_each(log_format, text) if fields]


def scan_hits(directory: Path, db_path: Path, name: str, text: str, *, newline: str = "\n"
              ) -> dict[tuple[str, str], int]:
    """`shadowai scan logs FILE` on the fixture; {(service id, subject): hits}."""
    return {(service, subject): hits for (_, service, subject), hits
            in scan_files(directory, db_path, {name: text}, newline=newline).items()}


def scan_files(directory: Path, db_path: Path, files: dict[str, str], *, newline: str = "\n"
               ) -> dict[tuple[str, str, str], int]:
    """`shadowai scan logs DIR` over several fixtures at once (one run, each file detected on its own);
    {(file name, service id, subject): hits}."""
    from tests.cli.runner import shadowai  # here: the parser tests need not import the whole CLI

    folder = directory / "logs"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.replace("\r\n", "\n").replace("\n", newline).encode("utf-8"))
    result = shadowai("scan", "logs", folder, "--db", db_path, "--quiet")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select location, service_id, subject, hits from findings")
        return {(Path(location).name, service, subject): hits for location, service, subject, hits in rows}


def first_seen(db_path: Path, service_id: str) -> str:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select min(first_seen) from findings where service_id = ?", (service_id,)).fetchone()[0]

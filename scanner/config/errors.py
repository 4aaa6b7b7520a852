"""Configuration errors name the file and the line, as a compiler does: ``shadowai.toml:12: message``."""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A configuration file that cannot be used as it is (exit code 2)."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

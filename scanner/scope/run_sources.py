"""Run configured sources through their `shadowai scan <command>`, exactly as a user would from the shell.

The command line is built from the source's table: keys become the command's options (``parse_all = true`` ->
``--parse-all``; lists -> the option repeated, or joined with commas when the option takes one value), the
source's positional values go last after ``--``. The installed command is asked which options it has, so a
key the command does not know is reported, not guessed at. A source whose module is not installed, or whose
command fails, becomes a coverage gap of the calling run; it never stops the other sources.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import click
import sqlite_utils

from scanner import exit_codes
from scanner.config.model import SourceConfig

GAP_REASONS = {
    exit_codes.USAGE: "rejected its options",
    exit_codes.LOCKED: "could not take the inventory's lock (another scan holds it)",
    exit_codes.INTERRUPTED: "was interrupted",
}


class SourceMismatch(ValueError):
    """The configuration names an option the installed command does not have."""


@dataclass
class SourceOutcome:
    source: str
    command: str
    exit_code: int | None = None  # None: not run
    runs: list[int] = field(default_factory=list)
    gap: str | None = None  # why the source was not (fully) covered, when that is not already in its run

    def as_input(self) -> dict[str, Any]:
        return {"source": self.source, "command": f"shadowai scan {self.command}", "exit_code": self.exit_code,
                "runs": self.runs}


def long_option(param: click.Parameter) -> str:
    return next((opt for opt in param.opts if opt.startswith("--")), param.opts[0])


def find_param(command: click.Command, *, name: str | None = None, option: str | None = None):
    for param in command.params:
        if (name is not None and param.name == name) or (option is not None and option in param.opts):
            return param
    return None


def positional_param(command: click.Command) -> click.Argument | None:
    return next((p for p in command.params if isinstance(p, click.Argument)), None)


def command_line(source: SourceConfig, command: click.Command, *, db_path: str, signature_dirs: list[str],
                 quiet: bool, config_path: str | None = None) -> list[str]:
    argv: list[str] = []
    positional: list[str] = []
    for key, value in source.options.items():
        field_spec = source.schema.fields[key]
        param = (positional_param(command) if field_spec.positional
                 else find_param(command, name=field_spec.param or key))
        if param is None:
            raise SourceMismatch(f"'shadowai scan {source.command}' has no option for '{key}'")
        values = value if isinstance(value, list) else [value]
        if isinstance(param, click.Argument):
            positional += [str(v) for v in values]
        elif getattr(param, "is_flag", False):
            if value:
                argv.append(long_option(param))
            elif param.secondary_opts:  # --cost/--no-cost: false must be said, the default may be true
                argv.append(param.secondary_opts[0])
        elif getattr(param, "multiple", False):
            for item in values:
                argv += [long_option(param), str(item)]
        else:
            argv += [long_option(param), ",".join(str(v) for v in values)]
    if config_path and find_param(command, option="--config"):
        argv = ["--config", config_path, *argv]  # e.g. the [log_formats] mappings `scan logs` reads
    if find_param(command, option="--db"):
        argv += ["--db", db_path]
    if find_param(command, option="--signatures"):
        for folder in signature_dirs:
            argv += ["--signatures", folder]
    if quiet and find_param(command, option="--quiet"):
        argv.append("--quiet")
    return argv + (["--", *positional] if positional else [])


def invoke(command: click.Command, argv: list[str], prog_name: str) -> tuple[int, str | None]:
    """Run a click command in this process as its console script would: (exit code, error message)."""
    try:
        command.main(args=argv, prog_name=prog_name, standalone_mode=False)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else exit_codes.PARTIAL)
        return code, None
    except click.ClickException as exc:
        return exc.exit_code, exc.format_message()
    except (click.exceptions.Abort, KeyboardInterrupt):
        return exit_codes.INTERRUPTED, "interrupted by SIGINT"
    except Exception as exc:  # a module's crash must not take the other sources down with it
        return exit_codes.PARTIAL, f"failed: {type(exc).__name__}: {exc}"
    return exit_codes.OK, None


def last_run_id(db: sqlite_utils.Database) -> int:
    return db.execute("select coalesce(max(id), 0) from runs").fetchone()[0]


def run_source(db: sqlite_utils.Database, source: SourceConfig, commands: dict[str, click.Command], *,
               db_path: str, signature_dirs: list[str], quiet: bool, config_path: str | None = None,
               why_missing: dict[str, str] | None = None) -> SourceOutcome:
    """``why_missing``: why a registered command could not be loaded, by command name (a plugin's import error)."""
    outcome = SourceOutcome(source.name, source.command)
    command = commands.get(source.command)
    if command is None and (why_missing or {}).get(source.command):
        outcome.gap = (f"cannot load 'shadowai scan {source.command}': {why_missing[source.command]}, so the "
                       f"configured {source.schema.summary} were not scanned")
        return outcome
    if command is None:
        outcome.gap = (f"module not installed: there is no 'shadowai scan {source.command}' command, so the "
                       f"configured {source.schema.summary} were not scanned")
        return outcome
    try:
        argv = command_line(source, command, db_path=db_path, signature_dirs=signature_dirs, quiet=quiet,
                            config_path=config_path)
    except SourceMismatch as exc:
        outcome.gap = f"{exc}: check [sources.{source.name}] against 'shadowai scan {source.command} --help'"
        return outcome
    before = last_run_id(db)
    code, message = invoke(command, argv, f"shadowai scan {source.command}")
    outcome.exit_code = code
    outcome.runs = [row[0] for row in db.execute(
        "select id from runs where id > ? and pid = ? and module != 'discover' order by id", [before, os.getpid()])]
    if code in GAP_REASONS or message or (code != exit_codes.OK and not outcome.runs):
        reason = GAP_REASONS.get(code, f"exited with code {code}")
        outcome.gap = f"'shadowai scan {source.command}' {reason}" + (f": {message}" if message else "")
    return outcome

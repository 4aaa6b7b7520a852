"""Run the sources of the configuration, one `shadowai scan <command>` (one run) each, under a parent run.

One code path for `shadowai discover` (a scope's sources, then the scope draft) and `shadowai scan` with no
source (every configured source, for cron). The parent run (module ``discover`` or ``scan``) lists each source
as an input with its exit code and runs, and records as coverage gaps the sources that could not run or did
not finish; a source that fails never stops the ones after it. A stop request (SIGTERM/SIGINT) ends the loop.
The parent run is returned open, so that the caller can add to it (notifications) before sealing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import click
import sqlite_utils

from scanner import exit_codes
from scanner.cli import reporting
from scanner.config import Config, SourceConfig
from scanner.config.schema import SOURCES
from scanner.inventory.database import transaction
from scanner.inventory.runs import Run, seal, start_run
from scanner.scope.run_sources import SourceOutcome, run_source


def scan_group() -> click.Group:
    from scanner.cli.main import cli  # the group with every plugin's scan commands registered

    return cli.get_command(click.Context(cli), "scan")


def scan_commands() -> dict[str, click.Command]:
    scan = scan_group()
    context = click.Context(scan)
    commands = {name: scan.get_command(context, name) for name in scan.list_commands(context)}
    return {name: command for name, command in commands.items() if command is not None}  # None: cannot be loaded


def unloadable_commands() -> dict[str, str]:
    """Scan commands that are registered but cannot be imported, with the reason (after ``scan_commands``)."""
    return dict(getattr(scan_group(), "unavailable", {}))


def in_schema_order(sources: list[SourceConfig]) -> list[SourceConfig]:
    """The fixed order of `shadowai scan`: the order of the source kinds in the schema (logs, repo, aws, azure,
    gcp, entra, google, github, slack, pcap, dns_zone), whatever the order of the tables in the file."""
    order = list(SOURCES)
    return sorted(sources, key=lambda source: order.index(source.name))


@dataclass
class ConfiguredScan:
    run: Run  # the parent run, still open
    outcomes: list[SourceOutcome] = field(default_factory=list)
    interrupted: bool = False

    @property
    def source_runs(self) -> list[int]:
        return [run_id for outcome in self.outcomes for run_id in outcome.runs]

    @property
    def exit_codes(self) -> list[int]:
        """Each source's exit code; a source that could not run at all counts as partial."""
        return [exit_codes.PARTIAL if outcome.exit_code is None else outcome.exit_code for outcome in self.outcomes]


def seal_crashed(db: sqlite_utils.Database, run_ids: list[int]) -> None:
    """A module that crashed left its run 'running'; this process lives on, so no later start would seal it."""
    with transaction(db):
        for run_id in run_ids:
            if db["runs"].get(run_id)["status"] == "running":
                seal(db, run_id, "failed")


def scan_configured_sources(db: sqlite_utils.Database, config: Config, sources: list[SourceConfig], *, module: str,
                            scope: str | None, catalogue_version: str, db_path: str, signature_dirs: list[str],
                            quiet: bool, commands: dict[str, click.Command] | None = None, stop=None,
                            parameters: dict | None = None) -> ConfiguredScan:
    run = start_run(db, module, catalogue_version=catalogue_version, scope=scope,
                    parameters={"config": str(config.path) if config.path else None,
                                "sources": [s.name for s in sources], **(parameters or {})})
    result = ConfiguredScan(run)
    if not sources:
        run.gap("sources", "no source is configured for this scope (add [sources.*] tables to the config)")
    commands = scan_commands() if commands is None else commands
    unloadable = unloadable_commands()
    for source in sources:
        if stop:
            result.interrupted = True
            run.gap("sources", f"stopped by {stop.requested} before {source.name} and the sources after it")
            break
        reporting.info(f"{module}: scanning {source.name} (shadowai scan {source.command})")
        outcome = run_source(db, source, commands, why_missing=unloadable, db_path=db_path,
                             signature_dirs=[str(p) for p in config.signatures] + signature_dirs, quiet=quiet,
                             config_path=str(config.path) if config.path else None)
        seal_crashed(db, outcome.runs)
        result.outcomes.append(outcome)
        run.add_input(**outcome.as_input())
        run.count("sources")
        if outcome.gap:
            run.gap(f"sources.{source.name}", outcome.gap)
            reporting.error(f"sources.{source.name}", outcome.gap)
        if outcome.exit_code == exit_codes.INTERRUPTED:
            result.interrupted = True
            break
    return result

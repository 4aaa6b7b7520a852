"""`shadowai discover [--scope NAME]`: run the scope's sources, then write its scope draft."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scanner import exit_codes
from scanner.cli import reporting
from scanner.cli.configuration import (config_from, config_option, configured_catalogue, sync_sanctions,
                                       template_errors, templates_from, templates_option)
from scanner.cli.configured_sources import scan_commands, scan_configured_sources
from scanner.cli.options import database_from, db_option, quiet_option, signatures_option
from scanner.inventory.runs import finish_run
from scanner.scope.draft import build_draft, latest_discover_run
from scanner.scope.draft_files import write_draft


@click.command(name="discover")
@click.option("--scope", "scope_name", metavar="NAME",
              help="A scope of the configuration ([scopes.NAME]); default: the whole organisation, every source.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the scope draft (default: the config's 'drafts', else ./scope-drafts).")
@click.option("--no-scan", is_flag=True, help="Write the draft from the inventory as it is, without scanning.")
@config_option
@templates_option
@db_option
@signatures_option
@quiet_option
def discover_command(scope_name, out_dir, no_scan, config_path, templates_dir, db_path, signature_dirs, quiet):
    """Run every source configured for a scope (each scan is a run of its own), then write the scope draft as
    Markdown, HTML and CSV: headline figures, AI services in use (sanctioned or shadow) with users, devices,
    accounts and repositories, risk facts, activity from outside the scope's boundaries, coverage gaps, and
    the questions the scoping workshop must settle. A configured source whose module is not installed, or
    whose scan fails, is recorded as a coverage gap of the discover run.

    Example: shadowai discover --scope engineering --config shadowai.toml
    """
    config = config_from(config_path)
    if scope_name is not None and scope_name not in config.scopes:
        known = ", ".join(config.scopes) or "none"
        where = config.path or "the configuration (no shadowai.toml found)"
        raise click.BadParameter(f"no scope '{scope_name}' in {where} (scopes: {known})", param_hint="--scope")
    scope = config.scope(scope_name)
    catalogue = configured_catalogue(config, signature_dirs)
    db = database_from(db_path)
    sync_sanctions(db, config, catalogue)
    if no_scan:
        discover_run, status, interrupted = latest_discover_run(db, scope.name), "succeeded", False
    else:
        discover_run, status, interrupted = scan_sources(db, config, scope, catalogue, str(db_path),
                                                         list(signature_dirs), quiet)
    draft = build_draft(db, catalogue, config, scope, discover_run=discover_run)
    folder = Path(out_dir) if out_dir else config.drafts
    with template_errors():
        written = write_draft(draft, folder, templates_from(config, templates_dir))
    headline = draft.headline
    run_id = discover_run["id"] if discover_run else "-"
    reporting.info(
        f"discover run {run_id} {status}: {headline['services']} AI services in scope '{scope.name}' "
        f"({headline['shadow']} shadow), {headline['coverage_gaps']} coverage gaps; draft: "
        + ", ".join(str(p) for p in written), status=status)
    if interrupted:
        sys.exit(exit_codes.INTERRUPTED)
    sys.exit(exit_codes.OK if status == "succeeded" and not draft.gaps else exit_codes.PARTIAL)


def scan_sources(db, config, scope, catalogue, db_path: str, signature_dirs: list[str], quiet: bool):
    """One discover run, with the scope's sources run under it: (the sealed run row, status, interrupted)."""
    scan = scan_configured_sources(db, config, config.sources_for(scope), module="discover", scope=scope.name,
                                   catalogue_version=catalogue.version, db_path=db_path,
                                   signature_dirs=signature_dirs, quiet=quiet, commands=scan_commands())
    status = finish_run(scan.run, interrupted=scan.interrupted)
    return db["runs"].get(scan.run.id), status, scan.interrupted

"""`shadowai scan repo TARGET...`"""

from __future__ import annotations

import re
import sys

import click

from scanner.cli import reporting
from scanner.cli.options import (catalogue_from, db_option, echo_error, fail_on_new_option, quiet_option,
                                 scan_exit_code, scan_session, signatures_option, wait_option)
from scanner.inventory.changes import known_services, new_unsanctioned

SIZE_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


class ByteSize(click.ParamType):
    name = "SIZE"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)(?:i?[bB])?\s*", str(value))
        if not found:
            self.fail(f"{value!r} is not a size (examples: 500000, 512K, 5M, 1G)", param, ctx)
        return int(float(found.group(1)) * SIZE_UNITS[found.group(2).lower()])


@click.command(name="repo")
@click.argument("targets", nargs=-1, required=True)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Repositories scanned at once, each in its own process (default: CPUs, at most 4).")
@click.option("--time-budget", type=click.FloatRange(0), default=900, show_default=True, metavar="SECONDS",
              help="Time allowed per repository, clone included; what is left unscanned is recorded as a "
                   "coverage gap. 0: no limit.")
@click.option("--max-file-size", type=ByteSize(), default="5M", show_default=True,
              help="Text files larger than this are not read (lock files: ten times this); model files are "
                   "recognised from their header whatever their size.")
@db_option
@signatures_option
@wait_option
@fail_on_new_option
@quiet_option
def repo_command(targets, jobs, time_budget, max_file_size, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Find AI use in code repositories: SDK dependencies in manifests and lock files, imports, AI endpoints
    and env var names, API keys (stored only as fingerprints), model files, notebooks, inference containers,
    IaC resources and AI coding-assistant config files. A TARGET is a local directory or a git URL (cloned
    shallow into a temporary folder with your git credentials). Nothing in a repository is ever executed;
    symbolic links are not followed. Findings are a snapshot: scanning again replaces the counts.

    Example: shadowai scan repo ./my-service https://github.com/acme/support-bot.git --db inventory.db
    """
    from scanner.modules.repo.repository import ScanOptions
    from scanner.modules.repo.scan import RepoScan, default_jobs

    catalogue = catalogue_from(signature_dirs)
    options = ScanOptions(max_file_size=max_file_size, time_budget=time_budget or None)
    with scan_session(db_path, wait) as (db, stop):
        before = known_services(db)
        scan = RepoScan(db, catalogue, options, jobs=jobs or default_jobs(), show_progress=not quiet,
                        on_error=echo_error, stop=stop)
        result = scan.run(list(targets))
        new = new_unsanctioned(db, catalogue, before)
    counts = result.counts
    reporting.info(
        f"run {result.run_id} {result.status}: {counts.get('repositories', 0)} repositories, "
        f"{counts.get('files', 0)} files, {counts.get('findings', 0)} findings, {result.errors} errors",
        run_id=result.run_id, status=result.status, counts=counts,
    )
    sys.exit(scan_exit_code(result.status, new if fail_on_new else []))

"""`shadowai demo`: build a demo environment, scan it, print what was found and write the CSV export."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from scanner.cli.options import catalogue_from, database_from, echo_error, quiet_option
from scanner.cli.output import write_rows
from scanner.inventory.views import EXPORT_COLUMNS, SERVICE_COLUMNS, finding_rows, service_rows


@click.command(name="demo")
@click.option("--out", "out_dir", default="shadowai-demo", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the demo's inventory (shadowai.db) and CSV export (ai-inventory.csv).")
@click.option("--keep-environment", is_flag=True, help="Keep the generated logs and repository in OUT/environment.")
@quiet_option
def demo_command(out_dir, keep_environment, quiet):
    """Build a small, realistic environment (a week of proxy log from five users, a DNS host list, a tiny
    git repository), scan it into a fresh inventory, print the AI services found and write the CSV export.

    Example: shadowai demo --out /tmp/demo && shadowai inventory --db /tmp/demo/shadowai.db
    """
    from scanner.demo.environment import REPO_REMOTE, build
    from scanner.modules.logs.command import log_formats
    from scanner.modules.logs.scan import LogScan
    from scanner.modules.repo.scan import RepoScan
    from scanner.modules.repo.targets import Target

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "shadowai.db"
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)  # the demo always starts from an empty inventory of its own
    catalogue = catalogue_from(())
    db = database_from(db_path)

    with tempfile.TemporaryDirectory(prefix="shadowai-demo-") as temporary:
        root = out / "environment" if keep_environment else Path(temporary)
        environment = build(root)
        if not quiet:
            click.echo(f"demo environment in {root}", err=True)
        scan = LogScan(db, catalogue, log_formats(), show_progress=False,
                       on_error=echo_error if not quiet else None)
        result = scan.run([str(environment["proxy_log"]), str(environment["dns_hosts"])])
        repo_result = RepoScan(db, catalogue, on_error=echo_error if not quiet else None).run(
            [], extra_targets=[Target("directory", str(environment["repo"]), REPO_REMOTE)])

    csv_path = out / "ai-inventory.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        exported = write_rows(finding_rows(db, catalogue), EXPORT_COLUMNS, "csv", handle)
    if quiet:
        return
    counts = result.counts
    click.echo(f"\nscanned {counts.get('records', 0)} log records in run {result.run_id} ({result.status}: "
               f"{result.errors} bad line(s) reported above, the rest kept); "
               f"{counts.get('matched_records', 0)} records matched an AI service")
    click.echo(f"scanned the git repository {REPO_REMOTE} ({repo_result.counts.get('files', 0)} files) in run "
               f"{repo_result.run_id} ({repo_result.status}): {repo_result.counts.get('findings', 0)} findings "
               "(SDKs, imports, env vars, an inference container, AI assistant config files)\n")
    write_rows(service_rows(db, catalogue), SERVICE_COLUMNS, "table", sys.stdout)
    click.echo(f"\ninventory: {db_path}\nCSV export ({exported} findings): {csv_path}")
    click.echo(f"next: shadowai inventory --db {db_path}   |   shadowai runs --verify --db {db_path}")

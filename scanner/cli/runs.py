"""`shadowai runs`: the run history, its coverage gaps, and a check of its hash chain."""

from __future__ import annotations

import json
import sys

import click

from scanner.cli.options import database_from, db_option, format_option
from scanner.cli.output import write_rows
from scanner.inventory.runs import verify_chain

COLUMNS = ["id", "module", "status", "started_at", "ended_at", "records", "matched", "errors", "gaps", "catalogue"]


def summarise(row) -> dict:
    counts = json.loads(row["counts"] or "{}")
    return {
        "id": row["id"], "module": row["module"], "status": row["status"], "started_at": row["started_at"],
        "ended_at": row["ended_at"], "records": counts.get("records", 0), "matched": counts.get("matched_records", 0),
        "errors": counts.get("errors", 0), "gaps": len(json.loads(row["coverage_gaps"] or "[]")),
        "catalogue": row["catalogue_version"],
    }


@click.command(name="runs")
@db_option
@click.option("--verify", is_flag=True, help="Check the hash chain; exit 1 if a run was edited or removed.")
@click.option("--gaps", "show_gaps", is_flag=True, help="Also print every coverage gap and stored error.")
@click.option("--limit", default=50, show_default=True, help="How many of the latest runs to list.")
@format_option("table", "json", default="table")
def runs_command(db_path, verify, show_gaps, limit, output_format):
    """List runs (status, counts, coverage gaps) and, with --verify, check that the history is intact.

    Example: shadowai runs --verify
    """
    db = database_from(db_path, create=False)
    rows = list(db.query("select * from runs order by id desc limit ?", [limit]))[::-1]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
    else:
        write_rows([summarise(row) for row in rows], COLUMNS, "table", sys.stdout)
    if show_gaps:
        for row in rows:
            for gap in json.loads(row["coverage_gaps"] or "[]"):
                click.echo(f"run {row['id']}: gap: {gap['what']}: {gap['why']}")
            for error in json.loads(row["errors"] or "[]"):
                click.echo(f"run {row['id']}: error: {error['where']}: {error['message']}")
    if verify:
        problems = verify_chain(db)
        for problem in problems:
            click.echo(f"chain: {problem}", err=True)
        if problems:
            sys.exit(1)
        sealed = db.execute("select count(*) from runs where chain_seq is not null").fetchone()[0]
        click.echo(f"chain ok: {sealed} sealed runs verified", err=True)

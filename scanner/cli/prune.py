"""`shadowai prune --older-than 400d`: retention of evidence samples, recorded as a run."""

from __future__ import annotations

import click

from scanner.cli import reporting
from scanner.cli.options import database_from, db_option, quiet_option, scan_session, wait_option
from scanner.inventory.prune import DurationError, cutoff_for, parse_age, prune
from scanner.inventory.runs import finish_run, start_run


def age_option(_ctx, _param, value):
    try:
        return value, parse_age(value)
    except DurationError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(name="prune")
@click.option("--older-than", "older_than", required=True, metavar="AGE", callback=age_option,
              help="Remove the evidence samples of findings last seen longer ago than this (400d, 56w, 2y), and "
                   "the cursors of log files gone from disk and not read for as long.")
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing and record no run.")
@click.option("--vacuum", is_flag=True, help="Then rebuild the database file so that it shrinks (VACUUM).")
@db_option
@wait_option
@quiet_option
def prune_command(older_than, dry_run, vacuum, db_path, wait, quiet):
    """Apply a retention period to the inventory: findings last seen before the cutoff lose their evidence
    sample (user, client, path, file:line), but keep service, subject, location, first and last seen, hits and
    their first and last run; cursors of log files no longer on disk are dropped. Run rows are never edited
    (their hash chain still verifies: shadowai runs --verify); the prune is recorded as a run of its own.

    Example: shadowai prune --older-than 400d --db /var/lib/shadowai/shadowai.db
    """
    text, age = older_than
    cutoff = cutoff_for(age)
    if dry_run:
        result = prune(database_from(db_path, create=False), cutoff, dry_run=True)
        click.echo(f"would remove {result.evidence_samples} evidence samples (findings last seen before {cutoff}) "
                   f"and {result.cursors} cursors of log files gone")
        return
    database_from(db_path, create=False)  # refuse to create an empty inventory just to prune it
    with scan_session(db_path, wait) as (db, _stop):
        run = start_run(db, "prune", catalogue_version="-", parameters={"older_than": text, "cutoff": cutoff})
        result = prune(db, cutoff)
        run.count("evidence_samples_removed", result.evidence_samples)
        run.count("cursors_removed", result.cursors)
        status = finish_run(run)
        if vacuum:
            db.execute("vacuum")
    reporting.info(f"prune run {run.id} {status}: removed {result.evidence_samples} evidence samples of findings "
                   f"last seen before {cutoff} and {result.cursors} cursors of log files gone",
                   run_id=run.id, counts=dict(run.counts))

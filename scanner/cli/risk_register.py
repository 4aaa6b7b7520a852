"""`shadowai risk-register --out FILE.csv|FILE.xlsx [--merge EXISTING]`"""

from __future__ import annotations

import datetime as dt

import click

from scanner.cli import reporting
from scanner.cli.configuration import (config_from, config_option, configured_catalogue, sync_sanctions,
                                       template_errors, templates_from, templates_option)
from scanner.cli.options import database_from, db_option, signatures_option
from scanner.risk.files import RegisterFileError, read_register, register_format, write_register
from scanner.risk.merge import merge
from scanner.risk.register import REGISTER_COLUMNS, build_register


@click.command(name="risk-register")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="Register to write: .csv (UTF-8) or .xlsx.")
@click.option("--merge", "merge_path", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Existing register (.csv or .xlsx) to merge with: its owner, treatment, status, residual_score "
                   "and notes are kept, new risks added, risks no longer seen marked with the date. May be --out.")
@config_option
@templates_option
@db_option
@signatures_option
def risk_register_command(out_path, merge_path, config_path, templates_dir, db_path, signature_dirs):
    """Write the AI risk register: one row per AI service in use and per unknown AI finding, with a stable id
    (AIR-<service>), risk statements from templates (data leaving to a third-party model, training on inputs,
    unsanctioned use, residency, exposed keys, untrusted model files), likelihood and impact from additive
    rules (reports/risk-register.md), suggested treatment, ISO/IEC 42001 Annex A references, owner, status and
    evidence (finding and run ids). Cells are safe to open in a spreadsheet.

    Example: shadowai risk-register --out ai-risks.xlsx --merge ai-risks.xlsx
    """
    try:
        register_format(out_path)
        existing = read_register(merge_path) if merge_path else None
    except RegisterFileError as exc:
        raise click.UsageError(str(exc)) from exc
    config = config_from(config_path)
    catalogue = configured_catalogue(config, signature_dirs)
    db = database_from(db_path, create=False)
    sync_sanctions(db, config, catalogue)
    today = dt.date.today()
    with template_errors():
        rows = build_register(db, catalogue, templates_dir=templates_from(config, templates_dir), today=today)
    columns = REGISTER_COLUMNS
    if existing is not None:
        rows, columns = merge(existing[0], existing[1], rows, today)
    write_register(out_path, rows, columns)
    gone = sum(1 for row in rows if row.get("no_longer_seen"))
    reporting.info(f"{len(rows)} risks written to {out_path}" + (f" ({gone} no longer seen)" if gone else ""))

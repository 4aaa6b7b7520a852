"""`shadowai report --out FILE.html`"""

from __future__ import annotations

import click

from scanner.cli import reporting
from scanner.cli.configuration import (config_from, config_option, configured_catalogue, sync_sanctions,
                                       template_errors, templates_from, templates_option)
from scanner.cli.inventory import write_atomically
from scanner.cli.options import database_from, db_option, signatures_option
from scanner.reports.inventory_report import render_report


@click.command(name="report")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@config_option
@templates_option
@db_option
@signatures_option
def report_command(out_path, config_path, templates_dir, db_path, signature_dirs):
    """Write the inventory as one self-contained HTML file (no script, font or image from elsewhere): headline
    figures, charts as inline SVG (services by users, new services per run, findings by source), the services,
    the highest risks, recent coverage gaps and the run-chain check. Prints cleanly (A4 landscape).

    Example: shadowai report --out ai-report.html
    """
    config = config_from(config_path)
    catalogue = configured_catalogue(config, signature_dirs)
    db = database_from(db_path, create=False)
    sync_sanctions(db, config, catalogue)
    with template_errors():
        html = render_report(db, catalogue, templates_dir=templates_from(config, templates_dir))
    write_atomically(out_path, lambda handle: handle.write(html))
    reporting.info(f"report written to {out_path}")

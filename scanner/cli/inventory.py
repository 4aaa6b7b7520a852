"""`shadowai inventory` and `shadowai export`: what AI is in use, for people and for auditors."""

from __future__ import annotations

import os
import sys
import tempfile

import click

from scanner.cli.configuration import config_option, templates_option
from scanner.cli.options import catalogue_from, database_from, db_option, format_option, signatures_option
from scanner.cli.output import write_rows
from scanner.inventory.views import EXPORT_COLUMNS, SERVICE_COLUMNS, finding_rows, service_rows


@click.command(name="inventory")
@db_option
@signatures_option
@click.option("--unsanctioned", is_flag=True, help="Only services not sanctioned or tolerated (shadow AI).")
@format_option("table", "csv", "json", default="table")
def inventory_command(db_path, signature_dirs, unsanctioned, output_format):
    """One row per AI service seen: vendor, category, sanction status, distinct subjects, sources, hits,
    first and last seen. For apps seen in OAuth grants (Entra ID, Google Workspace, GitHub, Slack), also the
    number of distinct users who consented to or are assigned the app (consenting_users) and whether an admin
    consented for the whole tenant or organisation (admin_consent).

    Example: shadowai inventory --unsanctioned
    """
    db = database_from(db_path, create=False)
    rows = service_rows(db, catalogue_from(signature_dirs), unsanctioned_only=unsanctioned)
    columns = SERVICE_COLUMNS if output_format == "table" else ["service_id"] + SERVICE_COLUMNS
    if output_format == "table" and not rows:
        click.echo("no AI services in the inventory yet (run: shadowai scan logs PATH)", err=True)
        return
    write_rows(rows, columns, output_format, sys.stdout)


@click.command(name="export")
@db_option
@signatures_option
@format_option("csv", "json", "jsonl", "cyclonedx", "sarif", default="csv")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write ('-' for stdout).")
@click.option("--bundle", "bundle_path", type=click.Path(), default=None, metavar="DIR|FILE.zip",
              help="Write the auditors' evidence bundle instead (inventory, runs and coverage gaps, sanctions, risk "
                   "register, scope drafts, HTML report, catalogue version, chain check, SHA-256 manifest) to a new "
                   "folder or a .zip.")
@config_option
@templates_option
def export_command(db_path, signature_dirs, output_format, out_path, bundle_path, config_path, templates_dir):
    """Export every finding (service x source x subject x location) with first/last seen, hits and the
    runs that saw it. OAuth apps' findings also carry their service's consenting users and admin consent (an
    unknown app's own). CSV cells that a spreadsheet would evaluate as a formula are neutralised.
    With --bundle, write the evidence bundle for auditors (see the README in the bundle).
    --format sarif writes the code repositories' findings as SARIF 2.1.0 for code scanning (GitHub);
    --format cyclonedx writes them as a CycloneDX 1.6 AI-BOM (SDK libraries, AI services, model files,
    inference containers).

    Example: shadowai export --format csv --out ai-inventory.csv

    Example: shadowai export --format sarif --out shadowai.sarif
    """
    if bool(out_path) == bool(bundle_path):
        raise click.UsageError("give either --out FILE or --bundle DIR|FILE.zip")
    if bundle_path:
        from scanner.cli.bundle import export_bundle

        return export_bundle(bundle_path, db_path, signature_dirs, config_path, templates_dir)
    db = database_from(db_path, create=False)
    catalogue = catalogue_from(signature_dirs)
    rows = finding_rows(db, catalogue)
    if output_format in ("cyclonedx", "sarif"):
        return export_document(output_format, rows, catalogue, out_path)
    if out_path == "-":
        count = write_rows(rows, EXPORT_COLUMNS, output_format, sys.stdout)
    else:
        count = write_atomically(out_path, lambda handle: write_rows(rows, EXPORT_COLUMNS, output_format, handle))
    click.echo(f"{count} findings written to {out_path}", err=True)


def write_atomically(path: str, write) -> int:
    """Write to a temporary file beside the target, then rename: a reader never sees half a file."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".shadowai-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            result = write(handle)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return result


def export_document(output_format: str, rows, catalogue, out_path: str) -> None:
    """SARIF or CycloneDX: one JSON document of the code repositories' findings."""
    import json

    from scanner.exports.cyclonedx import cyclonedx_bom
    from scanner.exports.sarif import sarif_log

    document = sarif_log(rows, catalogue) if output_format == "sarif" else cyclonedx_bom(rows, catalogue)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if out_path == "-":
        sys.stdout.write(text)
    else:
        write_atomically(out_path, lambda handle: handle.write(text))
    what = sum(len(run["results"]) for run in document["runs"]) if output_format == "sarif" else \
        len(document["components"]) + len(document["services"])
    noun = "results" if output_format == "sarif" else "components and services"
    click.echo(f"{what} {noun} written to {out_path}", err=True)

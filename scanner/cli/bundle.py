"""`shadowai export --bundle DIR|FILE.zip`: the evidence bundle for auditors."""

from __future__ import annotations

import click

from scanner import exit_codes

from scanner.cli import reporting
from scanner.cli.configuration import (config_from, configured_catalogue, sync_sanctions, template_errors,
                                       templates_from)
from scanner.cli.options import database_from
from scanner.exports.bundle import BundleError, write_bundle


def export_bundle(bundle_path, db_path, signature_dirs, config_path, templates_dir) -> None:
    config = config_from(config_path)
    catalogue = configured_catalogue(config, signature_dirs)
    db = database_from(db_path, create=False)
    sync_sanctions(db, config, catalogue)
    try:
        with template_errors():
            summary = write_bundle(bundle_path, db, catalogue, config,
                                   templates_dir=templates_from(config, templates_dir))
    except BundleError as exc:
        raise click.UsageError(str(exc)) from exc
    chain = "intact" if summary["chain"]["ok"] else "BROKEN"
    click.echo(f"evidence bundle written to {bundle_path}: {summary['findings']} findings, {summary['runs']} runs, "
               f"{summary['risks']} risks, {len(summary['drafts'])} scope drafts, run chain {chain}", err=True)
    if not summary["chain"]["ok"]:
        reporting.error("runs", "the run history's hash chain is broken (see chain-verification.json)")
        raise SystemExit(exit_codes.PARTIAL)

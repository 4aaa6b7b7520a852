"""`shadowai scan logs PATH...`"""

from __future__ import annotations

import click

from scanner.cli.configuration import config_from
from scanner.cli.engine_options import engine_options, engine_settings
from scanner.cli.engine_scan import on_engine
from scanner.cli.options import catalogue_from, echo_error, scan_options, subjects_from, subjects_option
from scanner.cli.scan_runner import run_scan
from scanner.plugins.manager import call_each


def log_formats(config=None):
    """The formats `scan logs` knows: those mapped in the config first (they are the user's own), then every
    plugin's."""
    from scanner.modules.logs.formats.mapped import build_format

    formats = [build_format(name, spec) for name, spec in (config.log_formats if config else {}).items()]
    for registered in call_each("register_log_formats"):
        formats += registered or []
    return formats


def list_formats(ctx, _param, value):
    if not value or ctx.resilient_parsing:
        return
    for log_format in log_formats(config_from(ctx.params.get("config_path"))):
        click.echo(f"{log_format.name:<20} {log_format.kind:<6} {log_format.description}")
    ctx.exit(0)


@click.command(name="logs")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "forced_format", metavar="NAME",
              help="Read every file as this format instead of detecting it per file.")
@click.option("--list-formats", is_flag=True, expose_value=False, is_eager=True, callback=list_formats,
              help="List the log formats that can be read, and exit.")
@click.option("--parse-all", is_flag=True,
              help="Parse every line and report every malformed one (slower). By default only lines that name a "
                   "catalogue host are parsed: malformed lines elsewhere cannot hide AI use.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes for large plain files [default: the CPUs available, at most 8]. Local engine only.")
@engine_options
@click.option("--storage-option", "storage_options", multiple=True, metavar="KEY=VALUE",
              help="For s3:// (gs://, az://…) inputs: an fsspec storage option such as "
                   "endpoint_url=https://minio.example:9000 (repeatable; VALUE may be JSON). Credentials are "
                   "never options: they come from the provider's chain (AWS_PROFILE, environment, role).")
@subjects_option
@click.option("--config", "config_path", envvar="SHADOWAI_CONFIG", default=None, metavar="PATH", is_eager=True,
              help="Configuration file, for [log_formats.NAME] field mappings (env SHADOWAI_CONFIG; default "
                   "./shadowai.toml when present). Give it before --list-formats to list its formats.")
@scan_options
def logs_command(paths, forced_format, parse_all, workers, engine, scheduler, dask_workers, storage_options,
                 subjects_file, config_path, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read DNS and proxy logs (files, directories, globs, '-' for stdin, s3:// prefixes and globs), detect
    each file's format, and add every AI service seen to the inventory. Files are read incrementally: a file
    scanned before is read only from where the last scan stopped, even after rotation renamed it.
    --engine dask reads them on a Dask cluster instead, with the same results.

    Example: shadowai scan logs /var/log/squid/access.log* --db inventory.db

    Example: shadowai scan logs s3://acme-logs/proxy/ --engine dask --scheduler tcp://dask-scheduler:8786
    """
    from scanner.modules.logs.remote import ObjectStore, StorageOptionError, parse_storage_options
    from scanner.modules.logs.scan import LogScan, LogScanResult

    settings = engine_settings(engine, scheduler, dask_workers)
    if settings.distributed and "-" in paths:
        raise click.UsageError("'-' (standard input) is read by the local engine only: use --engine local")
    try:
        store = ObjectStore.from_options(parse_storage_options(storage_options))
    except StorageOptionError as exc:
        raise click.BadParameter(str(exc), param_hint="--storage-option") from exc
    config = config_from(config_path)
    formats = log_formats(config)
    if forced_format and forced_format not in {f.name for f in formats}:
        raise click.BadParameter(f"unknown format '{forced_format}' (see --list-formats)", param_hint="--format")
    catalogue = catalogue_from(signature_dirs)
    subjects, subject_problems = subjects_from(subjects_file)
    options = dict(forced_format=forced_format, show_progress=not quiet, parse_all=parse_all, on_error=echo_error,
                   subjects=subjects, setup_problems=subject_problems, store=store)

    def scan(db, stop, client):
        if client is None:
            log_scan = LogScan(db, catalogue, formats, workers=workers, stop=stop, **options)
        else:
            from scanner.modules.logs.dask_scan import DaskLogScan

            log_scan = DaskLogScan(db, catalogue, formats, client=client, stop=stop, format_specs=config.log_formats,
                                   **options)
        return log_scan.run(list(paths))

    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new, summary=summary,
             scan=on_engine(settings, scan, module="logs", catalogue_version=catalogue.version,
                            parameters={"paths": list(paths)}, result_class=LogScanResult))


def summary(result) -> str:
    counts = result.counts
    return (f"{counts.get('files', 0)} files read, {counts.get('files_unchanged', 0)} unchanged, "
            f"{counts.get('records', 0)} lines, {counts.get('matched_records', 0)} matched an AI service, "
            f"{result.errors} errors")

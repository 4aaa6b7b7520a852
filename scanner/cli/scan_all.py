"""`shadowai scan` with no source: every configured source, one run each, then the notifications (for cron).

The whole scan holds the inventory's lock, so a second cron job waits (--wait) or exits 4 instead of
interleaving; each source's own command takes the same lock again within this process. Sources run in the
fixed order of the schema (logs, repo, aws, azure, gcp, entra, google, github, slack, pcap, dns_zone), each
incrementally, and a source that fails never stops the others. A parent run (module ``scan``) records each
source's exit code and runs, the sources that could not run, and the notifications that could not be
delivered, as coverage gaps.
"""

from __future__ import annotations

import sys

import click

from scanner import exit_codes
from scanner.cli import reporting
from scanner.cli.configuration import config_from, configured_catalogue, sync_sanctions
from scanner.cli.configured_sources import in_schema_order, scan_configured_sources
from scanner.cli.options import scan_session
from scanner.inventory.changes import known_services, new_unsanctioned
from scanner.inventory.runs import Run, finish_run
from scanner.notifications.events import build_notice
from scanner.notifications.settings import NotificationSettings

# The options of `shadowai scan` itself; they apply only when no source is named.
OWN_OPTIONS = ("config_path", "db_path", "signature_dirs", "wait", "fail_on_new", "quiet", "no_notify")


def refuse_options_with_a_source(ctx: click.Context) -> None:
    given = [name for name in OWN_OPTIONS
             if ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT,
                                                       click.core.ParameterSource.ENVIRONMENT)]
    if given:
        raise click.UsageError(f"options given before '{ctx.invoked_subcommand}' apply only to 'shadowai scan' "
                               f"without a source: put them after the source's name "
                               f"(shadowai scan {ctx.invoked_subcommand} … --db PATH)")


def notify(db, catalogue, settings: NotificationSettings | None, run: Run, outcomes, new: list[str],
           db_path: str) -> None:
    if settings is None or not settings.channels:
        return
    notice = build_notice(db, catalogue, run_id=run.id, outcomes=outcomes, new_services=new,
                          events=settings.events, db_path=db_path)
    if not notice:
        return
    from scanner.notifications.delivery import deliver

    for delivery in deliver(notice, settings):
        run.add_input(notification=delivery.channel, delivered=delivery.delivered, attempts=delivery.attempts)
        if delivery.delivered:
            run.count("notifications_sent")
            reporting.info(f"notification sent: {delivery.label}")
        else:
            why = f"not delivered after {delivery.attempts} attempt(s): {delivery.error}"
            run.gap(f"notifications.{delivery.channel}", f"{delivery.label}: {why}")
            reporting.error(f"notifications.{delivery.channel}", f"{delivery.label}: {why}")


def scan_every_source(ctx: click.Context, *, config_path, db_path, signature_dirs, wait, fail_on_new, quiet,
                      no_notify) -> None:
    if ctx.invoked_subcommand is not None:
        refuse_options_with_a_source(ctx)
        return
    config = config_from(config_path)
    sources = in_schema_order([source for source in config.sources.values() if source.enabled])
    if not sources:
        where = config.path or "no shadowai.toml here (--config, SHADOWAI_CONFIG)"
        raise click.UsageError(f"no source to scan in {where}: add [sources.*] tables (shadowai init writes a "
                               "starter), or name a source: shadowai scan logs PATH")
    catalogue = configured_catalogue(config, signature_dirs)
    with scan_session(db_path, wait) as (db, stop):
        sync_sanctions(db, config, catalogue)
        before = known_services(db)
        scan = scan_configured_sources(db, config, sources, module="scan", scope=None,
                                       catalogue_version=catalogue.version, db_path=str(db_path),
                                       signature_dirs=list(signature_dirs), quiet=quiet, stop=stop,
                                       parameters={"notify": not no_notify})
        new = new_unsanctioned(db, catalogue, before)
        if not no_notify:
            notify(db, catalogue, config.notifications, scan.run, scan.outcomes, new, str(db_path))
        status = finish_run(scan.run, interrupted=scan.interrupted)
    for service_id in new:
        reporting.emit("warning", f"new unsanctioned AI service: {service_id}", service_id=service_id)
    codes = scan.exit_codes + [exit_codes.INTERRUPTED if scan.interrupted
                               else exit_codes.OK if status == "succeeded" else exit_codes.PARTIAL]
    if fail_on_new and new:
        codes.append(exit_codes.NEW_UNSANCTIONED)
    code = exit_codes.worst(codes)
    runs = ", ".join(f"{row['module']} run {row['id']} {row['status']}" for row in db.query(
        f"select id, module, status from runs where id in ({','.join('?' * len(scan.source_runs))}) order by id",
        scan.source_runs)) if scan.source_runs else "no source run"
    reporting.info(f"scan run {scan.run.id} {status}: {len(scan.outcomes)} of {len(sources)} sources ({runs}); "
                   f"{len(new)} new unsanctioned AI services; exit {code}", run_id=scan.run.id, status=status,
                   exit_code=code)
    sys.exit(code)

"""`shadowai scan slack [--team TEAM_ID]`"""

from __future__ import annotations

import os
import re
import sys

import click

from scanner.cli import reporting
from scanner.cli.options import (catalogue_from, db_option, echo_error, fail_on_new_option, quiet_option,
                                 scan_exit_code, scan_session, signatures_option, wait_option)
from scanner.clients.slack import DEFAULT_API_URL
from scanner.inventory.changes import known_services, new_unsanctioned

TEAM_ID = re.compile(r"T[A-Z0-9]{2,}")


def check_teams(_ctx, _param, values):
    for team in values:
        if not TEAM_ID.fullmatch(team):
            raise click.BadParameter(f"{team!r} is not a Slack workspace id (T…)")
    return values


@click.command(name="slack")
@click.option("--team", "teams", multiple=True, callback=check_teams, metavar="TEAM_ID",
              help="Workspace of an Enterprise Grid org to read (repeatable); needed with an org-level token. "
                   "Default: the token's own workspace, and the org's org-wide approved apps.")
@click.option("--api-url", envvar="SLACK_API_URL", default=DEFAULT_API_URL, show_default=True, metavar="URL",
              help="Web API root, e.g. https://slack-gov.com/api for GovSlack (env SLACK_API_URL).")
@db_option
@signatures_option
@wait_option
@fail_on_new_option
@quiet_option
def slack_command(teams, api_url, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read which apps a Slack workspace or Enterprise Grid org has approved and which users requested,
    and the integration log (apps added and removed, by whom, with which scopes), and add the AI apps among them
    to the inventory. Apps that are not in the catalogue but look like AI become 'unknown-oauth-ai-app'
    findings. The token is read from SLACK_TOKEN: an admin's user token (xoxp-) with admin (integration log),
    admin.apps:read (Enterprise Grid) and users:read.email; what it may not read is recorded as a coverage gap.
    Findings are a snapshot: scanning again replaces the counts.

    Example: shadowai scan slack --db inventory.db   (with SLACK_TOKEN set to an xoxp- token)
    """
    from scanner.clients.slack import SlackClient
    from scanner.modules.slack.scan import scan_slack

    token = os.environ.get("SLACK_TOKEN", "").strip()
    if not token:
        raise click.UsageError("set SLACK_TOKEN to an admin's user token (xoxp-…)")
    try:
        client = SlackClient(token, api_url=api_url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--api-url") from exc
    catalogue = catalogue_from(signature_dirs)
    with scan_session(db_path, wait) as (db, stop):
        before = known_services(db)
        result = scan_slack(db, catalogue, client, teams=list(teams), stop=stop, on_error=echo_error)
        new = new_unsanctioned(db, catalogue, before)
    counts = result.counts
    reporting.info(
        f"run {result.run_id} {result.status}: {counts.get('approved_apps', 0)} approved apps, "
        f"{counts.get('app_requests', 0)} app requests, {counts.get('integration_log_entries', 0)} integration log "
        f"entries, {counts.get('findings', 0)} AI findings, {result.gaps} coverage gaps",
        run_id=result.run_id, status=result.status, counts=counts,
    )
    sys.exit(scan_exit_code(result.status, new if fail_on_new else []))

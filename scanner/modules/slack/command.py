"""`shadowai scan slack [--team TEAM_ID]`"""

from __future__ import annotations

import click

from scanner.cli.api_tokens import token_client
from scanner.cli.oauth_options import broad_scope_apps_option
from scanner.cli.options import catalogue_from, echo_error, matching, scan_options
from scanner.cli.scan_runner import run_scan
from scanner.clients.slack import DEFAULT_API_URL

check_teams = matching(r"T[A-Z0-9]{2,}", "a Slack workspace id (T…)")


@click.command(name="slack")
@click.option("--team", "teams", multiple=True, callback=check_teams, metavar="TEAM_ID",
              help="Workspace of an Enterprise Grid org to read (repeatable); needed with an org-level token. "
                   "Default: the token's own workspace, and the org's org-wide approved apps.")
@click.option("--api-url", envvar="SLACK_API_URL", default=DEFAULT_API_URL, show_default=True, metavar="URL",
              help="Web API root, e.g. https://slack-gov.com/api for GovSlack (env SLACK_API_URL).")
@broad_scope_apps_option
@scan_options
def slack_command(teams, api_url, broad_scope_apps, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read which apps a Slack workspace or Enterprise Grid org has approved and which users requested,
    and the integration log (apps added and removed, by whom, with which scopes), and add the AI apps among them
    to the inventory. Apps that are not in the catalogue but look like AI, or (unless --no-broad-scope-apps) hold
    high-risk scopes such as channels:history, files:read or search:read, become 'unknown-oauth-ai-app' findings
    for review (Slack's own apps never do); each grant keeps its risky scopes and their tier (scope_risk).
    The token is read from SLACK_TOKEN: an admin's user token (xoxp-) with admin (integration log),
    admin.apps:read (Enterprise Grid) and users:read.email; what it may not read is recorded as a coverage gap.
    Findings are a snapshot: scanning again replaces the counts.

    Example: shadowai scan slack --db inventory.db   (with SLACK_TOKEN set to an xoxp- token)
    """
    from scanner.clients.slack import SlackClient
    from scanner.modules.slack.scan import scan_slack

    client = token_client(SlackClient, "SLACK_TOKEN", "set SLACK_TOKEN to an admin's user token (xoxp-…)", api_url)
    catalogue = catalogue_from(signature_dirs)
    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new,
             scan=lambda db, stop: scan_slack(db, catalogue, client, teams=list(teams), stop=stop,
                                              on_error=echo_error, broad_scope_apps=broad_scope_apps),
             summary=summary)


def summary(result) -> str:
    counts = result.counts
    return (f"{counts.get('approved_apps', 0)} approved apps, {counts.get('app_requests', 0)} app requests, "
            f"{counts.get('integration_log_entries', 0)} integration log entries, {counts.get('findings', 0)} AI "
            f"findings, {result.gaps} coverage gaps")

"""`shadowai scan github --org ORG [--api-url URL]`"""

from __future__ import annotations

import click

from scanner.cli.api_tokens import token_client
from scanner.cli.oauth_options import broad_scope_apps_option
from scanner.cli.options import catalogue_from, echo_error, matching, scan_options
from scanner.cli.scan_runner import run_scan
from scanner.clients.github import DEFAULT_API_URL

check_orgs = matching(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", "a GitHub organisation name")


@click.command(name="github")
@click.option("--org", "orgs", multiple=True, required=True, callback=check_orgs, metavar="ORG",
              help="Organisation to read (repeatable).")
@click.option("--api-url", envvar="GITHUB_API_URL", default=DEFAULT_API_URL, show_default=True, metavar="URL",
              help="REST API root; for GitHub Enterprise Server https://HOST/api/v3 (env GITHUB_API_URL).")
@broad_scope_apps_option
@scan_options
def github_command(orgs, api_url, broad_scope_apps, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read a GitHub organisation's installed GitHub Apps (AI code reviewers and agents: CodeRabbit, Copilot,
    Devin, Claude, Cursor Bugbot, Qodo…), its Copilot seat holders with their last activity, and the tokens
    members authorised for SAML single sign-on, and add the AI apps among them to the inventory. Apps that are
    not in the catalogue but look like AI, or (unless --no-broad-scope-apps) hold high-risk permissions such as
    contents or administration, become 'unknown-oauth-ai-app' findings for review (GitHub's own apps never do);
    each grant keeps its risky permissions and their tier (scope_risk). The token is read from
    GITHUB_TOKEN (an organisation owner's token with read:org and manage_billing:copilot); an endpoint it may
    not use is recorded as a coverage gap. Findings are a snapshot: scanning again replaces the counts.

    Example: shadowai scan github --org acme --db inventory.db   (with GITHUB_TOKEN set)
    """
    from scanner.clients.github import GitHubClient
    from scanner.modules.github.scan import scan_github

    client = token_client(GitHubClient, "GITHUB_TOKEN",
                          "set GITHUB_TOKEN to an organisation owner's token (read:org, manage_billing:copilot)",
                          api_url)
    catalogue = catalogue_from(signature_dirs)
    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new,
             scan=lambda db, stop: scan_github(db, catalogue, client, list(orgs), stop=stop, on_error=echo_error,
                                               broad_scope_apps=broad_scope_apps),
             summary=summary)


def summary(result) -> str:
    counts = result.counts
    return (f"{counts.get('app_installations', 0)} app installations, {counts.get('copilot_seats', 0)} Copilot "
            f"seats, {counts.get('credential_authorizations', 0)} authorised credentials, "
            f"{counts.get('findings', 0)} AI findings, {result.gaps} coverage gaps")

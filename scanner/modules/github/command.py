"""`shadowai scan github --org ORG [--api-url URL]`"""

from __future__ import annotations

import os
import re
import sys

import click

from scanner.cli import reporting
from scanner.cli.options import (catalogue_from, db_option, echo_error, fail_on_new_option, quiet_option,
                                 scan_exit_code, scan_session, signatures_option, wait_option)
from scanner.clients.github import DEFAULT_API_URL
from scanner.inventory.changes import known_services, new_unsanctioned

ORG_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")


def check_orgs(_ctx, _param, values):
    for org in values:
        if not ORG_NAME.fullmatch(org):
            raise click.BadParameter(f"{org!r} is not a GitHub organisation name")
    return values


@click.command(name="github")
@click.option("--org", "orgs", multiple=True, required=True, callback=check_orgs, metavar="ORG",
              help="Organisation to read (repeatable).")
@click.option("--api-url", envvar="GITHUB_API_URL", default=DEFAULT_API_URL, show_default=True, metavar="URL",
              help="REST API root; for GitHub Enterprise Server https://HOST/api/v3 (env GITHUB_API_URL).")
@db_option
@signatures_option
@wait_option
@fail_on_new_option
@quiet_option
def github_command(orgs, api_url, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read a GitHub organisation's installed GitHub Apps (AI code reviewers and agents: CodeRabbit, Copilot,
    Devin, Claude, Cursor Bugbot, Qodo…), its Copilot seat holders with their last activity, and the tokens
    members authorised for SAML single sign-on, and add the AI apps among them to the inventory. Apps that are
    not in the catalogue but look like AI become 'unknown-oauth-ai-app' findings. The token is read from
    GITHUB_TOKEN (an organisation owner's token with read:org and manage_billing:copilot); an endpoint it may
    not use is recorded as a coverage gap. Findings are a snapshot: scanning again replaces the counts.

    Example: shadowai scan github --org acme --db inventory.db   (with GITHUB_TOKEN set)
    """
    from scanner.clients.github import GitHubClient
    from scanner.modules.github.scan import scan_github

    token = os.environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        raise click.UsageError("set GITHUB_TOKEN to an organisation owner's token (read:org, manage_billing:copilot)")
    try:
        client = GitHubClient(token, api_url=api_url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--api-url") from exc
    catalogue = catalogue_from(signature_dirs)
    with scan_session(db_path, wait) as (db, stop):
        before = known_services(db)
        result = scan_github(db, catalogue, client, list(orgs), stop=stop, on_error=echo_error)
        new = new_unsanctioned(db, catalogue, before)
    counts = result.counts
    reporting.info(
        f"run {result.run_id} {result.status}: {counts.get('app_installations', 0)} app installations, "
        f"{counts.get('copilot_seats', 0)} Copilot seats, {counts.get('credential_authorizations', 0)} "
        f"authorised credentials, {counts.get('findings', 0)} AI findings, {result.gaps} coverage gaps",
        run_id=result.run_id, status=result.status, counts=counts,
    )
    sys.exit(scan_exit_code(result.status, new if fail_on_new else []))

"""`shadowai scan google`"""

from __future__ import annotations

import click

from scanner.cli.google_options import described, google_options, google_tokens
from scanner.cli.oauth_options import broad_scope_apps_option
from scanner.cli.options import catalogue_from, echo_error, scan_options
from scanner.cli.scan_runner import run_scan
from scanner.clients.google import (DIRECTORY_USER_SECURITY, DIRECTORY_USERS_READ_ONLY, REPORTS_AUDIT_READ_ONLY,
                                    GoogleClient)
from scanner.modules.google_workspace.grants import MAX_DAYS


@click.command(name="google")
@click.option("--admin-email", metavar="EMAIL", envvar="GOOGLE_WORKSPACE_ADMIN",
              help="Workspace admin the service account acts for (domain-wide delegation) "
                   "[env GOOGLE_WORKSPACE_ADMIN]. Required with a service account key.")
@click.option("--customer", default="my_customer", show_default=True, metavar="ID",
              help="Workspace customer id (my_customer: the admin's own account).")
@click.option("--days", type=click.IntRange(1, MAX_DAYS), default=MAX_DAYS, show_default=True,
              help="How far back to read OAuth authorisations (the Reports API keeps 180 days).")
@click.option("--tokens-per-user", is_flag=True,
              help="Also list every user's current OAuth tokens (Directory API tokens.list; one call per user).")
@click.option("--workers", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Parallel calls for --tokens-per-user.")
@broad_scope_apps_option
@google_options
@scan_options
def google_command(admin_email, customer, days, tokens_per_user, workers, broad_scope_apps, credentials_path,
                   token_url, api_urls, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read which third-party apps Google Workspace users authorised with their Google account (Admin SDK
    Reports API token 'authorize' events, org-wide) and, with --tokens-per-user, the grants each user holds
    now (Directory API). Apps in the catalogue become findings of their AI service; apps that are not in it but
    look like AI, or (unless --no-broad-scope-apps) hold high-risk data scopes such as full Gmail or Drive, become
    'unknown-oauth-ai-app' findings for review (Google's own apps never do). Each grant's evidence keeps its
    risky scopes and their tier (scope_risk). Needs a service account with
    domain-wide delegation for the scopes admin.reports.audit.readonly (and admin.directory.user.readonly,
    admin.directory.user.security for --tokens-per-user), acting for an admin with the Reports privilege.

    Example: shadowai scan google --credentials scanner-key.json --admin-email admin@example.com
    """
    from scanner.modules.google_workspace.scan import WorkspaceScan

    tokens, endpoints = google_tokens(credentials_path, token_url, api_urls, connections=workers)
    if tokens.credentials.kind == "service_account" and not admin_email:
        raise click.UsageError("--admin-email is required: Workspace admin APIs answer a service account only "
                               "when it acts for an admin (domain-wide delegation)")
    subject = admin_email if tokens.credentials.kind == "service_account" else None
    reports = GoogleClient(tokens, (REPORTS_AUDIT_READ_ONLY,), subject=subject, endpoints=endpoints)
    directory = GoogleClient(tokens, (DIRECTORY_USERS_READ_ONLY, DIRECTORY_USER_SECURITY), subject=subject,
                             endpoints=endpoints)
    catalogue = catalogue_from(signature_dirs)
    parameters = dict(described(reports, api_urls), customer=customer, days=days,
                      tokens_per_user=tokens_per_user)

    def scan(db, stop):
        workspace = WorkspaceScan(db, catalogue, reports, directory, parameters=parameters, stop=stop,
                                  on_error=echo_error, broad_scope_apps=broad_scope_apps)
        return workspace.scan(customer=customer, days=days, tokens_per_user=tokens_per_user, workers=workers)

    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new, scan=scan, summary=summary)


def summary(result) -> str:
    counts = result.counts
    return (f"{counts.get('authorize_events', 0)} authorisations, {counts.get('user_tokens', 0)} current tokens, "
            f"{counts.get('findings', 0)} matched an AI app, {result.gaps} coverage gaps")

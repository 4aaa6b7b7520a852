"""`shadowai scan entra`"""

from __future__ import annotations

import click

from scanner.cli.microsoft_options import described, microsoft_client, microsoft_options
from scanner.cli.oauth_options import broad_scope_apps_option
from scanner.cli.options import catalogue_from, echo_error, scan_options
from scanner.cli.scan_runner import run_scan


@click.command(name="entra")
@click.option("--days", type=click.IntRange(1, 30), default=30, show_default=True,
              help="Window for consent events and sign-ins (Entra keeps audit logs 7 days on free tenants, 30 with "
                   "P1/P2).")
@click.option("--no-sign-ins", is_flag=True, help="Skip reading sign-ins to third-party apps (the largest log).")
@click.option("--no-per-app", is_flag=True,
              help="Skip the two calls per third-party app (application permissions and assigned users).")
@broad_scope_apps_option
@microsoft_options
@scan_options
def entra_command(days, no_sign_ins, no_per_app, broad_scope_apps, tenant_id, client_id, certificate_path,
                  authority_url, graph_url, arm_url, ca_bundle, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read which apps Microsoft Entra ID users and admins granted access to: delegated permission grants
    (user and admin consent, with scopes), application permissions, assigned users, consent events (who
    consented, when) and sign-ins of the last --days, and Microsoft 365 Copilot licences. Apps are matched to the
    catalogue by app id, name and reply-URL hosts; apps that are not in it but look like AI, or (unless
    --no-broad-scope-apps) hold high-risk data scopes, become unknown-oauth-ai-app findings for review (Microsoft's
    own apps never do); risky scopes (Mail.Read, Files.Read.All, offline_access…) and their tier (scope_risk) are
    kept in the evidence. Credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or
    AZURE_CLIENT_CERTIFICATE_PATH). Graph application permissions: Application.Read.All,
    DelegatedPermissionGrant.Read.All, AuditLog.Read.All, User.Read.All, Organization.Read.All; whatever is
    refused (sign-ins without an Entra ID P1/P2 licence) is a coverage gap.

    Example: shadowai scan entra --no-sign-ins --db inventory.db   (with AZURE_TENANT_ID, AZURE_CLIENT_ID and
    AZURE_CLIENT_SECRET set)
    """
    from scanner.modules.entra.scan import EntraOptions, EntraScan

    client = microsoft_client(tenant_id, client_id, certificate_path, authority_url, graph_url, arm_url, ca_bundle)
    catalogue = catalogue_from(signature_dirs)
    options = EntraOptions(days=days, sign_ins=not no_sign_ins, per_app=not no_per_app,
                           broad_scope_apps=broad_scope_apps)
    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new,
             scan=lambda db, stop: EntraScan(db, catalogue, client, options, parameters=described(client),
                                             stop=lambda: bool(stop), on_error=echo_error).run(),
             summary=summary)


def summary(result) -> str:
    counts = result.counts
    return (f"{counts.get('service_principals', 0)} apps, {counts.get('delegated_grants', 0)} delegated grants, "
            f"{counts.get('application_permissions', 0)} application permissions, {counts.get('assignments', 0)} "
            f"assignments, {counts.get('consent_events', 0)} consent events, {counts.get('sign_ins', 0)} sign-ins, "
            f"{counts.get('licences', 0)} licences; {counts.get('matched_records', 0)} matched, "
            f"{len(result.gaps)} coverage gaps")

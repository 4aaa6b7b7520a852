"""`shadowai scan entra`"""

from __future__ import annotations

import sys

import click

from scanner.cli import reporting
from scanner.cli.microsoft_options import described, microsoft_client, microsoft_options
from scanner.cli.options import (catalogue_from, db_option, echo_error, fail_on_new_option, quiet_option,
                                 scan_exit_code, scan_session, signatures_option, wait_option)
from scanner.inventory.changes import known_services, new_unsanctioned


@click.command(name="entra")
@click.option("--days", type=click.IntRange(1, 30), default=30, show_default=True,
              help="Window for consent events and sign-ins (Entra keeps audit logs 7 days on free tenants, 30 with "
                   "P1/P2).")
@click.option("--no-sign-ins", is_flag=True, help="Skip reading sign-ins to third-party apps (the largest log).")
@click.option("--no-per-app", is_flag=True,
              help="Skip the two calls per third-party app (application permissions and assigned users).")
@microsoft_options
@db_option
@signatures_option
@wait_option
@fail_on_new_option
@quiet_option
def entra_command(days, no_sign_ins, no_per_app, tenant_id, client_id, certificate_path, authority_url, graph_url,
                  arm_url, ca_bundle, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read which apps Microsoft Entra ID users and admins granted access to: delegated permission grants
    (user and admin consent, with scopes), application permissions, assigned users, consent events (who
    consented, when) and sign-ins of the last --days, and Microsoft 365 Copilot licences. Apps are matched to the
    catalogue by app id, name and reply-URL hosts; apps that look like AI but are not in it become
    unknown-oauth-ai-app findings; risky scopes (Mail.Read, Files.Read.All, offline_access…) are kept in the
    evidence. Credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or
    AZURE_CLIENT_CERTIFICATE_PATH). Graph application permissions: Application.Read.All,
    DelegatedPermissionGrant.Read.All, AuditLog.Read.All, User.Read.All, Organization.Read.All; whatever is
    refused (sign-ins without an Entra ID P1/P2 licence) is a coverage gap.

    Example: shadowai scan entra --no-sign-ins --db inventory.db   (with AZURE_TENANT_ID, AZURE_CLIENT_ID and
    AZURE_CLIENT_SECRET set)
    """
    from scanner.modules.entra.scan import EntraOptions, EntraScan

    client = microsoft_client(tenant_id, client_id, certificate_path, authority_url, graph_url, arm_url, ca_bundle)
    catalogue = catalogue_from(signature_dirs)
    options = EntraOptions(days=days, sign_ins=not no_sign_ins, per_app=not no_per_app)
    with scan_session(db_path, wait) as (db, stop):
        before = known_services(db)
        scan = EntraScan(db, catalogue, client, options, parameters=described(client), stop=lambda: bool(stop),
                         on_error=echo_error)
        result = scan.run()
        new = new_unsanctioned(db, catalogue, before)
    counts = result.counts
    reporting.info(
        f"run {result.run_id} {result.status}: {counts.get('service_principals', 0)} apps, "
        f"{counts.get('delegated_grants', 0)} delegated grants, {counts.get('application_permissions', 0)} "
        f"application permissions, {counts.get('assignments', 0)} assignments, {counts.get('consent_events', 0)} "
        f"consent events, {counts.get('sign_ins', 0)} sign-ins, {counts.get('licences', 0)} licences; "
        f"{counts.get('matched_records', 0)} matched, {len(result.gaps)} coverage gaps",
        run_id=result.run_id, status=result.status, counts=counts,
    )
    sys.exit(scan_exit_code(result.status, new if fail_on_new else []))

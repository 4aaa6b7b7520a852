"""The option the SaaS OAuth scans (entra, google, github, slack) share: whether apps outside the catalogue
that only hold broad data scopes are kept for review."""

from __future__ import annotations

import click

broad_scope_apps_option = click.option(
    "--broad-scope-apps/--no-broad-scope-apps", "broad_scope_apps", default=True, show_default=True,
    help="Also record apps that are not in the catalogue and do not look like AI but hold high-risk data scopes "
         "(mail, files, messages, code) as low-confidence unknown-oauth-ai-app findings (reason "
         "broad-data-scopes); the platform's own first-party apps never count. Config key: broad_scope_apps.")

"""Risk tiers of GitHub App permissions (``name:level`` as an installation lists them: ``contents:write``) and of
classic OAuth app and token scopes (``repo``, ``admin:org``), for GitHub grants.

``high``: repository contents (code) read or written, workflows and secrets written, administration of
repositories or the organisation, organisation members written, and the classic ``repo``, ``admin:*``,
``delete_repo``, ``workflow`` and ``write:packages`` scopes. ``medium``: pull requests, issues, discussions,
security alerts, members and administration read, e-mail addresses, single files, environments, actions, the
classic ``read:org``, ``user``, ``gist``, ``codespace``, ``project``, ``public_repo`` and ``security_events``
scopes. ``low``: metadata, checks, statuses, deployments, ``read:user``, ``user:email``, and the classic
``repo:status``, ``repo:invite`` and ``repo_deployment`` (statuses, invitations and deployments without the code,
as GitHub describes them).

Sources: "Choosing permissions for a GitHub App"
(https://docs.github.com/apps/creating-github-apps/registering-a-github-app/choosing-permissions-for-a-github-app),
"Permissions required for GitHub Apps"
(https://docs.github.com/rest/authentication/permissions-required-for-github-apps)
and "Scopes for OAuth apps" (https://docs.github.com/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps).
"""

from __future__ import annotations

from scanner.oauth.tiers import TierTable

WRITE = r"(write|admin)"
HIGH = (
    r"contents:(read|write|admin)", rf"workflows:{WRITE}", rf"(organization_)?secrets:{WRITE}",
    rf"(organization_)?administration:{WRITE}", rf"members:{WRITE}", rf"organization_user_blocking:{WRITE}",
    rf"organization_hooks:{WRITE}", rf"repository_hooks:{WRITE}", rf"(organization_)?custom_roles:{WRITE}",
    r"repo", r"admin:.+", r"delete_repo", r"workflow", r"write:packages", r"site_admin",
)
MEDIUM = (
    r"pull_requests:.+", r"issues:.+", r"discussions:.+", r"team_discussions:.+", r"security_events(:.+)?",
    r"vulnerability_alerts:.+", r"secret_scanning_alerts:.+", r"members:read", r"(organization_)?administration:read",
    r"email_addresses:.+", r"emails:.+", r"single_file:.+", r"environments:.+", r"actions:.+",
    r"(organization_)?secrets:read", r"workflows:read", r"codespaces(_[a-z]+)?:.+",
    r"organization_copilot_seat_management:.+",
    r"read:org", r"user", r"gist", r"codespace", r"(read:)?project", r"public_repo", r"read:packages",
    r"organization_hooks:read", r"repository_hooks:read",
)

TABLE = TierTable("github", HIGH, MEDIUM)

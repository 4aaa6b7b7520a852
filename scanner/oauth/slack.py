"""Risk tiers of Slack OAuth scopes (bot, user and the older classic-app scopes), for Slack app grants.

``high``: message history of public and private channels, direct and group messages, files, search over the
workspace's content (the ``search:read.*`` scopes made for AI apps included), canvases and lists, and every admin
scope; the classic ``client``, ``read`` and ``post`` scopes (the whole workspace as the user). ``medium``: the
people directory (``users:read``, emails, profiles), channel and conversation lists, reminders, calls, pins,
bookmarks, links and reactions, posting as the user. ``low``: posting as the app, commands, incoming webhooks,
sign-in (``identity.*``, ``openid``).

Sources: Slack scopes reference (https://docs.slack.dev/reference/scopes), the pages of ``channels:history``
(https://docs.slack.dev/reference/scopes/channels.history), ``search:read.im`` and ``search:read.mpim``
(https://docs.slack.dev/reference/scopes/search.read.im), and the legacy scopes
(https://docs.slack.dev/legacy/legacy-authentication/legacy-oauth-scopes).
"""

from __future__ import annotations

from scanner.oauth.tiers import TierTable

HIGH = (
    r"(channels|groups|im|mpim|conversations):history", r"files:read", r"remote_files:read",
    r"search:read(\.[a-z]+)?", r"canvases:read", r"lists:read", r"admin", r"admin\..+",
    r"client", r"read", r"post",
)
MEDIUM = (
    r"users:read(\.email)?", r"users\.profile:read", r"(channels|groups|im|mpim|conversations):read",
    r"chat:write:user", r"files:write(:user)?", r"reminders:read", r"calls:read", r"pins:read", r"bookmarks:read",
    r"links:read", r"reactions:read", r"usergroups:read", r"team:read", r"stars:read", r"dnd:read",
)

TABLE = TierTable("slack", HIGH, MEDIUM)

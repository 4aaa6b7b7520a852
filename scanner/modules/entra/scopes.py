"""How much a Microsoft Graph (or Exchange, SharePoint) permission lets an app read: a risk tier per scope.

``high``: the content of a user's or the organisation's data — mail, files, sites, chats and channel messages,
meeting transcripts and recordings, whole mailboxes through legacy protocols, and anything ``*.ReadWrite.All``.
``medium``: calendars, contacts, notes, tasks, presence of people, directory-wide reads, and ``offline_access``
(the app keeps access while the user is away). Everything else (``User.Read``, ``openid``, ``profile``,
``email``) is ``low`` and not listed. Names are compared case-insensitively, as Entra ID does.

Sources: Microsoft Graph permissions reference (learn.microsoft.com/graph/permissions-reference) and the
Entra "Review permissions granted to applications" guidance, which singles out mail, files and offline access.
"""

from __future__ import annotations

import re

HIGH = (
    r"mail\.(read|readwrite|send)(\.shared)?", r"mail\.readwrite\.all", r"mail\.read\.all", r"mailboxsettings\.readwrite",
    r"files\..*", r"sites\..*", r"notes\.(read|readwrite)\.all",
    r"chat\..*", r"chatmessage\..*", r"channelmessage\..*", r"onlinemeetingtranscript\..*",
    r"onlinemeetingrecording\..*", r"onlinemeetingaiinsight\..*", r"callrecords?\..*",
    r"ews\.accessasuser\.all", r"full_access_as_app", r"full_access_as_user", r"imap\.accessasuser\.all",
    r"pop\.accessasuser\.all", r"smtp\.send", r"exchangemanageasapp",
    r".*\.readwrite\.all", r"directory\.accessasuser\.all", r"user_impersonation",
)
MEDIUM = (
    r"calendars\..*", r"contacts\..*", r"notes\..*", r"tasks\..*", r"people\.read(\.all)?", r"presence\.read\.all",
    r"onlinemeetings\..*", r"offline_access", r"directory\.read\.all", r"user\.read\.all", r"user\.readbasic\.all",
    r"group\.read\.all", r"groupmember\.read\.all", r"team\.readbasic\.all", r"channel\.readbasic\.all",
    r"auditlog\.read\.all", r"reports\.read\.all", r"mail\.readbasic(\.all)?",
)
_HIGH = re.compile("|".join(f"(?:{p})" for p in HIGH))
_MEDIUM = re.compile("|".join(f"(?:{p})" for p in MEDIUM))
ORDER = {"low": 0, "medium": 1, "high": 2}


def scope_tier(scope: str) -> str:
    name = scope.strip().lower()
    if "/" in name:  # 'https://graph.microsoft.com/Mail.Read' -> 'mail.read'
        name = name.rsplit("/", 1)[-1]
    if _HIGH.fullmatch(name):
        return "high"
    if _MEDIUM.fullmatch(name):
        return "medium"
    return "low"


def risky(scopes: tuple[str, ...] | list[str]) -> tuple[tuple[str, ...], str]:
    """The medium- and high-risk scopes (high first) and the highest tier of all."""
    tiers = {scope: scope_tier(scope) for scope in scopes}
    flagged = sorted((scope for scope, tier in tiers.items() if tier != "low"),
                     key=lambda scope: (-ORDER[tiers[scope]], scope.lower()))
    top = max(tiers.values(), key=ORDER.__getitem__, default="low")
    return tuple(flagged), top

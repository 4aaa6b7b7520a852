"""Risk tiers of Microsoft Graph (and Exchange, SharePoint) permissions, for Entra ID grants.

``high``: the content of a user's or the organisation's data — mail, files, sites, chats and channel messages,
meeting transcripts and recordings, whole mailboxes through legacy protocols, and anything ``*.ReadWrite.All``.
``medium``: calendars, contacts, notes, tasks, presence of people, directory-wide reads, and ``offline_access``
(the app keeps access while the user is away). Everything else (``User.Read``, ``openid``, ``profile``,
``email``) is ``low``. Names are compared case-insensitively, as Entra ID does; a full resource URI
(``https://graph.microsoft.com/Mail.Read``) counts as its last segment.

Sources: Microsoft Graph permissions reference (https://learn.microsoft.com/graph/permissions-reference) and
the Entra guidance "Review permissions granted to enterprise applications"
(https://learn.microsoft.com/entra/identity/enterprise-apps/manage-application-permissions), which singles out
mail, files and offline access.
"""

from __future__ import annotations

from scanner.oauth.tiers import TierTable

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


def last_segment(scope: str) -> str:
    """'https://graph.microsoft.com/Mail.Read' -> 'mail.read'."""
    name = scope.strip().lower()
    return name.rsplit("/", 1)[-1] if "/" in name else name


TABLE = TierTable("entra", HIGH, MEDIUM, last_segment)

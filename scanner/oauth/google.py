"""Risk tiers of Google OAuth scopes, for Google Workspace grants (token activity and per-user tokens).

``high``: full or read access to the content of mail, Drive files, Docs, Sheets, Slides, Chat messages, Keep
notes, Vault, Cloud data, or write access to the Workspace directory — Google's own "restricted" scopes for Gmail
and Drive are all here, except those that see file names only. ``medium``: calendars, contacts, tasks, Drive file
names and activity, sending mail, read-only directory and audit reports. ``low``: sign-in (``openid``,
``email``, ``profile``) and per-file or app-private storage (``drive.file``, ``drive.appdata``). A scope is
compared without its ``https://www.googleapis.com/auth/`` prefix; older full URLs (``https://mail.google.com/``,
``https://www.google.com/m8/feeds``) are compared as they are.

Sources: "OAuth 2.0 Scopes for Google APIs" (https://developers.google.com/identity/protocols/oauth2/scopes),
the restricted scopes list (https://support.google.com/cloud/answer/13464325), "Choose Google Workspace API
scopes" (https://developers.google.com/workspace/guides/identify-scopes) and the Gmail and Drive scope pages
(https://developers.google.com/gmail/api/auth/scopes, https://developers.google.com/drive/api/guides/api-specific-auth).
"""

from __future__ import annotations

from scanner.oauth.tiers import TierTable

PREFIX = "https://www.googleapis.com/auth/"
HIGH = (
    r"https://mail\.google\.com/?",  # full Gmail, IMAP, SMTP and POP included
    r"gmail\.(readonly|modify|compose|insert|metadata|settings\.sharing)",
    r"drive", r"drive\.readonly", r"drive\.photos\.readonly",
    r"documents(\.readonly)?", r"spreadsheets(\.readonly)?", r"presentations(\.readonly)?",
    r"chat\.messages(\.readonly)?", r"keep(\.readonly)?", r"ediscovery(\.readonly)?",
    r"cloud-platform(\.read-only)?", r"devstorage\.(full_control|read_write|read_only)", r"bigquery(\.readonly)?",
    r"admin\.directory\.[a-z.]+(?<!\.readonly)", r"apps\.groups\.migration",
    r"https://www\.google\.com/accounts/oauthlogin",  # the whole account (Google's own browsers and devices)
    r"https://docs\.google\.com/feeds/?", r"https://spreadsheets\.google\.com/feeds/?",
)
MEDIUM = (
    r"calendar(\.[a-z.]+)?", r"contacts(\.[a-z.]+)?", r"directory\.readonly", r"tasks(\.readonly)?",
    r"admin\.directory\.[a-z.]+\.readonly", r"admin\.reports\.[a-z.]+",
    r"gmail\.send", r"gmail\.settings\.basic", r"gmail\.addons\.current\.message\.[a-z]+",
    r"drive\.metadata(\.readonly)?", r"drive\.activity(\.readonly)?", r"drive\.scripts", r"drive\.meet\.readonly",
    r"chat\.(spaces|memberships)(\.[a-z.]+)?", r"meetings\.space\.[a-z.]+", r"forms\.[a-z.]+",
    r"photoslibrary(\.[a-z.]+)?", r"script\.[a-z.]+",
    r"https://www\.google\.com/m8/feeds/?", r"https://www\.google\.com/calendar/feeds/?",
)


def short_name(scope: str) -> str:
    """'https://www.googleapis.com/auth/drive.readonly' -> 'drive.readonly'."""
    name = scope.strip().lower()
    return name[len(PREFIX):] if name.startswith(PREFIX) else name


TABLE = TierTable("google", HIGH, MEDIUM, short_name)

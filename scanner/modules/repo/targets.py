"""What `scan repo` accepts as a TARGET: a local directory or a git URL, and how each is named in the inventory.

A repository's subject is its remote URL without credentials (user info, query and fragment removed), or the
absolute path of a local directory. Anything that could be read as an option or as one of git's command
transports (``ext::``, ``fd::``) is refused: only https, http, ssh, git and file URLs and scp-like
``user@host:path`` are cloned.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

GIT_SCHEMES = ("https", "http", "ssh", "git", "file")
SCP_LIKE = re.compile(r"^(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+:(?!//)[^\s]+$")


class TargetError(ValueError):
    """A TARGET that is neither an existing directory nor a git URL shadowai will clone."""


@dataclass(frozen=True)
class CloneAuth:
    """How git authenticates a clone of a repository listed through a code host's API: the token, read from
    the environment variable when git runs, goes in an ``Authorization`` header sent only to URLs under
    ``url_prefix`` (the host the API belongs to). The token itself is never held here."""

    url_prefix: str  # e.g. https://github.com/
    username: str  # x-access-token (GitHub), oauth2 (GitLab)
    token_variable: str  # GITHUB_TOKEN, GITLAB_TOKEN


@dataclass(frozen=True)
class Target:
    kind: str  # directory | git
    argument: str  # as given, for git with credentials still in it (only ever passed to git itself)
    subject: str  # the repository's name in the inventory: never holds credentials
    auth: CloneAuth | None = None

    @property
    def is_remote(self) -> bool:
        return self.kind == "git"


def redact_url(url: str) -> str:
    """The URL without user info (tokens often hide there), query string or fragment."""
    if "://" not in url:
        if SCP_LIKE.match(url):  # user@host:path: the user of an scp-like URL is an ssh login, not a secret
            return url.split("?", 1)[0].split("#", 1)[0]
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def redact_text(text: str, secret_url: str) -> str:
    """Remove a URL's credentials from a message (git may echo the URL it was given)."""
    parts = urlsplit(secret_url) if "://" in secret_url else None
    if parts is not None and (parts.username or parts.password):
        text = text.replace(secret_url, redact_url(secret_url))
        for value in (parts.password, parts.username):
            if value:
                text = text.replace(value, "***")
    return re.sub(r"(://)[^/\s@]+@", r"\1", text)


def parse_target(argument: str) -> Target:
    if argument.startswith("-"):
        raise TargetError(f"{argument!r}: a target may not start with '-'")
    if "://" in argument:
        scheme = argument.split("://", 1)[0].lower()
        if scheme not in GIT_SCHEMES:
            raise TargetError(f"{redact_url(argument)}: only {', '.join(GIT_SCHEMES)} URLs are cloned")
        if scheme == "file":
            return Target("git", argument, redact_url(argument))
        if not urlsplit(argument).hostname:
            raise TargetError(f"{redact_url(argument)}: no host in the URL")
        return Target("git", argument, redact_url(argument))
    if os.path.isdir(argument):
        return Target("directory", argument, os.path.realpath(argument))
    if "::" not in argument and SCP_LIKE.match(argument) and not os.path.exists(argument):
        return Target("git", argument, redact_url(argument))
    raise TargetError(f"{argument}: not a directory, and not a git URL")

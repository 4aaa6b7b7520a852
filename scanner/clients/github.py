"""GitHub REST API client for github.com and GitHub Enterprise Server (``https://HOST/api/v3``).

Authentication is a token (a classic or fine-grained personal access token, or a GitHub App token) sent as
``Authorization: Bearer``; the caller reads it from GITHUB_TOKEN and it is never logged, stored or put in a
message. Lists are paged with the ``Link`` header (``rel="next"``), up to 100 items a page. Rate limits: a 429,
or a 403 that carries ``Retry-After``, ``x-ratelimit-remaining: 0`` or a "rate limit" message (GitHub's primary
and secondary limits), is retried after ``Retry-After``, else until ``x-ratelimit-reset``, else after a minute,
as GitHub's documentation asks; any other 403 is a denial (ApiDenied): the token lacks a scope or a role.
"""

from __future__ import annotations

import time
from typing import Any, Iterator
from urllib.parse import quote, urlsplit

import requests

from scanner import __version__
from scanner.clients.http import ApiUnavailable, HttpClient, RetryPolicy

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
PER_PAGE = 100
SECONDARY_LIMIT_WAIT = 60.0  # "Otherwise, wait for at least one minute before retrying."


def rate_limited(response: requests.Response) -> bool:
    if response.headers.get("Retry-After") or response.headers.get("x-ratelimit-remaining") == "0":
        return True
    try:
        message = response.json().get("message", "")
    except (ValueError, AttributeError):
        return False
    return isinstance(message, str) and "rate limit" in message.lower()


class GitHubHttp(HttpClient):
    def throttled(self, response: requests.Response) -> bool:
        if response.status_code == 403:
            return rate_limited(response)
        return super().throttled(response)

    def retry_after(self, response: requests.Response) -> float | None:
        seconds = super().retry_after(response)
        if seconds is not None or response.status_code not in (403, 429):
            return seconds
        reset = response.headers.get("x-ratelimit-reset")
        if response.headers.get("x-ratelimit-remaining") == "0" and reset and reset.isdigit():
            return max(int(reset) - time.time(), 1.0)
        return SECONDARY_LIMIT_WAIT


class GitHubClient:
    def __init__(self, token: str, *, api_url: str = DEFAULT_API_URL, verify: bool | str = True,
                 retry: RetryPolicy | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        parts = urlsplit(self.api_url)
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError(f"the GitHub API URL must be https://HOST[/api/v3], not {api_url!r}")
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.http = GitHubHttp(verify=verify, retry=retry, user_agent=f"shadowai/{__version__}")
        self.http.session.headers.update({
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
        })

    @property
    def host(self) -> str:
        """The web host the API serves: 'github.com' for api.github.com, the server's name for Enterprise Server."""
        host = urlsplit(self.api_url).hostname or ""
        return "github.com" if host == "api.github.com" else host

    def paginate(self, path: str, *, items_key: str | None = None, params: dict[str, Any] | None = None
                 ) -> Iterator[dict]:
        """Every item of a list endpoint, page by page, following ``Link: <…>; rel="next"``. ``items_key`` names
        the list inside an object response (``installations``, ``seats``); without it the response is the list."""
        url = self.api_url + path
        query = {"per_page": PER_PAGE, **(params or {})}
        while url:
            response = self.http.get(url, params=query)
            body = response.json()
            items = body.get(items_key) if items_key and isinstance(body, dict) else body
            if not isinstance(items, list):
                raise ApiUnavailable(f"GET {path}: the response is not a list"
                                     + (f" under '{items_key}'" if items_key else ""), url=path)
            yield from items
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries the query
            if url and not url.startswith(self.origin + "/"):
                raise ApiUnavailable(f"GET {path}: the next-page link leaves {self.origin}; not followed", url=path)

    # --- organisation endpoints --------------------------------------------------------------------------
    def org_path(self, org: str, rest: str) -> str:
        return f"/orgs/{quote(org, safe='')}/{rest}"

    def installations(self, org: str) -> Iterator[dict]:
        """GitHub Apps installed on the organisation (owner, or read:org / Administration: read)."""
        return self.paginate(self.org_path(org, "installations"), items_key="installations")

    def copilot_seats(self, org: str) -> Iterator[dict]:
        """Copilot Business/Enterprise seats being billed (owner; manage_billing:copilot or read:org)."""
        return self.paginate(self.org_path(org, "copilot/billing/seats"), items_key="seats")

    def credential_authorizations(self, org: str) -> Iterator[dict]:
        """Credentials members authorised for the organisation's SAML single sign-on (Enterprise Cloud, owner)."""
        return self.paginate(self.org_path(org, "credential-authorizations"))

    def org_repositories(self, org: str) -> Iterator[dict]:
        """Every repository of the organisation the token can see (``type=all``: public, private, internal,
        forks and sources alike; a token without access to private ones lists the public ones)."""
        return self.paginate(self.org_path(org, "repos"), params={"type": "all"})

    @property
    def web_url(self) -> str:
        """Where git over HTTPS is served, with '/': https://github.com/ for api.github.com, the server's root
        (the API URL without /api/v3) for GitHub Enterprise Server."""
        if urlsplit(self.api_url).hostname == "api.github.com":
            return "https://github.com/"
        return self.api_url.removesuffix("/api/v3") + "/"

"""GitLab REST API v4 client for gitlab.com and self-managed GitLab (``https://HOST[/PATH]/api/v4``).

Authentication is a personal, group or project access token (scope ``read_api``) sent in the ``PRIVATE-TOKEN``
header; the caller reads it from GITLAB_TOKEN and it is never logged, stored or put in a message. Lists are
paged as GitLab documents: every list supports offset pagination (``page``/``per_page``, at most 100 items a
page), some also keyset pagination (``pagination=keyset`` with ``order_by``/``sort``); both announce the next
page in the ``Link`` header (``rel="next"``), which is followed as given. Where a proxy drops ``Link``, the
offset ``x-next-page`` header is used instead. Throttling (429 with ``Retry-After``, GitLab's rate limits) and
server faults are retried by the shared HttpClient; 401/403 are denials, 404 an unknown group.
"""

from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import quote, urlsplit

from scanner import __version__
from scanner.clients.http import ApiUnavailable, HttpClient, RetryPolicy

DEFAULT_API_URL = "https://gitlab.com/api/v4"
PER_PAGE = 100


class GitLabClient:
    def __init__(self, token: str, *, api_url: str = DEFAULT_API_URL, verify: bool | str = True,
                 retry: RetryPolicy | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        parts = urlsplit(self.api_url)
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError(f"the GitLab API URL must be https://HOST/api/v4, not {api_url!r}")
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.http = HttpClient(verify=verify, retry=retry, user_agent=f"shadowai/{__version__}")
        self.http.session.headers.update({"PRIVATE-TOKEN": token, "Accept": "application/json"})

    @property
    def web_url(self) -> str:
        """Where the instance serves its web pages and git over HTTPS (the API URL without /api/v4), with '/'."""
        return self.api_url.removesuffix("/api/v4") + "/"

    def paginate(self, path: str, *, params: dict[str, Any] | None = None, keyset: bool = False) -> Iterator[dict]:
        """Every item of a list endpoint, following ``Link: <…>; rel="next"`` (keyset or offset), else
        ``x-next-page``. ``keyset`` asks for keyset pagination ordered by id, for the endpoints that offer it."""
        url = self.api_url + path
        query: dict[str, Any] | None = {"per_page": PER_PAGE, **(params or {})}
        if keyset:
            query.update(pagination="keyset", order_by="id", sort="asc")
        while url:
            response = self.http.get(url, params=query)
            items = response.json()
            if not isinstance(items, list):
                raise ApiUnavailable(f"GET {path}: the response is not a list", url=path)
            yield from items
            next_link = response.links.get("next", {}).get("url")
            next_page = response.headers.get("x-next-page", "").strip()
            if next_link:
                if not next_link.startswith(self.origin + "/"):
                    raise ApiUnavailable(f"GET {path}: the next-page link leaves {self.origin}; not followed",
                                         url=path)
                url, query = next_link, None  # the link carries the whole query
            elif next_page.isdigit() and query is not None and not keyset:
                query = {**query, "page": int(next_page)}
            else:
                url = ""

    def group_projects(self, group: str, *, include_archived: bool = True) -> Iterator[dict]:
        """The projects of a group and of all its subgroups (``include_subgroups=true``), not the projects
        other groups share with it. ``group`` is the numeric id or the full path (``acme/platform``).
        Offset pagination: GitLab documents keyset pagination for /projects, not for a group's projects."""
        params: dict[str, Any] = {"include_subgroups": "true", "with_shared": "false", "order_by": "id",
                                  "sort": "asc"}
        if not include_archived:
            params["archived"] = "false"
        return self.paginate(f"/groups/{quote(group, safe='')}/projects", params=params)

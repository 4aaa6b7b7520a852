"""HTTP for every API client: timeouts, retries with backoff on throttling and server faults, typed failures.

A module never sees a raw 429 or 503: the session retries them (honouring ``Retry-After``), and what still
fails arrives as an ``ApiError`` subclass that says whether it is a denial (recorded as a coverage gap: the
credentials lack a permission) or an outage. Messages name the endpoint, never a token.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Callable
from datetime import datetime, timezone

import requests

DEFAULT_TIMEOUT = 30
RETRY_STATUSES = {429, 500, 502, 503, 504}


class ApiError(Exception):
    def __init__(self, message: str, *, status: int | None = None, url: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.url = url


class ApiDenied(ApiError):
    """401/403: the credentials do not allow this call. A coverage gap, not a failure of the scanner."""


class ApiNotFound(ApiError):
    """404."""


class ApiUnavailable(ApiError):
    """Still throttled or failing after every retry, or unreachable."""


@dataclass
class RetryPolicy:
    attempts: int = 5
    backoff: float = 0.5  # seconds, doubled each attempt
    max_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep


def retry_after_seconds(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max((when - datetime.now(timezone.utc)).total_seconds(), 0.0)


def redact(url: str) -> str:
    """The URL without its query string: queries can carry tokens or signatures."""
    return url.split("?", 1)[0]


class HttpClient:
    def __init__(self, *, session: requests.Session | None = None, retry: RetryPolicy | None = None,
                 timeout: float = DEFAULT_TIMEOUT, verify: bool | str = True, user_agent: str = "shadowai") -> None:
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", user_agent)
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.verify = verify
        self.retries = 0  # how many retries this client needed, for the run's record

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("verify", self.verify)
        wait = self.retry.backoff
        for attempt in range(1, self.retry.attempts + 1):
            try:
                response = self.session.request(method, url, **kwargs)
            except requests.RequestException as exc:
                if attempt == self.retry.attempts:
                    raise ApiUnavailable(f"{method} {redact(url)}: {type(exc).__name__}", url=redact(url)) from exc
                self.pause(wait)
                wait *= 2
                continue
            throttled = self.throttled(response)
            if throttled and attempt < self.retry.attempts:
                self.pause(self.retry_after(response) or wait)
                wait *= 2
                continue
            return check(response, method, throttled=throttled)
        raise AssertionError("unreachable")

    def throttled(self, response: requests.Response) -> bool:
        """Whether the response says "slow down and try again". A client for a system with its own throttling
        signals (GitHub's 403 secondary rate limit, Slack's ``ratelimited``) extends this."""
        return response.status_code in RETRY_STATUSES

    def retry_after(self, response: requests.Response) -> float | None:
        """Seconds the system asked us to wait before retrying, when it said; otherwise the backoff applies."""
        return retry_after_seconds(response)

    def pause(self, seconds: float) -> None:
        self.retries += 1
        self.retry.sleep(min(seconds, self.retry.max_wait))

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)


def check(response: requests.Response, method: str, *, throttled: bool = False) -> requests.Response:
    """The response, or the typed failure it stands for. A throttled response that outlasted the retries is an
    outage (ApiUnavailable) even when the system signals throttling with a 403."""
    if response.status_code < 400:
        return response
    url = redact(response.url or "")
    detail = response.text[:200].replace("\n", " ") if response.text else ""
    message = f"{method} {url}: HTTP {response.status_code} {detail}".rstrip()
    if response.status_code in (401, 403) and not throttled:
        raise ApiDenied(message, status=response.status_code, url=url)
    if response.status_code == 404:
        raise ApiNotFound(message, status=response.status_code, url=url)
    raise ApiUnavailable(message, status=response.status_code, url=url)

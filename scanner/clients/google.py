"""Google APIs (Cloud and Workspace): credentials, access tokens, endpoints, pageToken paging.

Credentials come from the file named by GOOGLE_APPLICATION_CREDENTIALS (or an explicit path), as Google's
client libraries read it, and access tokens from google-auth, Google's own authentication library:

- ``service_account`` (a JSON key): google-auth signs a JWT assertion with the key (RS256; ``aud`` is always
  Google's token endpoint, as Google's "Using OAuth 2.0 for Server to Server Applications" prescribes, also when
  the token is fetched from another ``token_uri``) and exchanges it for an access token — the OAuth 2.0 JWT
  bearer grant (RFC 7523). ``sub`` set to a user's address asks for domain-wide delegation: Workspace admin
  APIs answer only to a delegated admin.
- ``authorized_user`` (what ``gcloud auth application-default login`` writes): a refresh-token grant.

The private key is parsed once into a key object and never kept as text, printed, logged or stored; runs
record the account's e-mail and a fingerprint of its public key only. Access tokens and assertions are
never part of an error message (``scanner.clients.http`` names endpoints without their query string).

API calls go through ``HttpClient`` (google-auth only fetches tokens): 429 and 5xx are retried honouring
Retry-After; a 401/403 arrives as ``ApiDenied`` (a coverage gap for the caller: API disabled, permission
missing). Base URLs can be overridden per API (a proxy, Private Service Connect, or a test server) and the
token endpoint with ``token_url``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import google.auth.exceptions
import google.auth.transport.requests
import google.oauth2.credentials
import google.oauth2.service_account
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import crypt
from requests.adapters import HTTPAdapter

from scanner.clients.http import ApiDenied, ApiError, HttpClient

TOKEN_URL = "https://oauth2.googleapis.com/token"
TOKEN_MARGIN = 120  # renew an access token this long before it expires

CLOUD_READ_ONLY = "https://www.googleapis.com/auth/cloud-platform.read-only"
MONITORING_READ = "https://www.googleapis.com/auth/monitoring.read"
REPORTS_AUDIT_READ_ONLY = "https://www.googleapis.com/auth/admin.reports.audit.readonly"
DIRECTORY_USERS_READ_ONLY = "https://www.googleapis.com/auth/admin.directory.user.readonly"
DIRECTORY_USER_SECURITY = "https://www.googleapis.com/auth/admin.directory.user.security"  # tokens.list

# Base URL per API. ``{region}`` is replaced for regional endpoints (Vertex AI serves each region from its own host).
DEFAULT_ENDPOINTS = {
    "cloudresourcemanager": "https://cloudresourcemanager.googleapis.com",
    "serviceusage": "https://serviceusage.googleapis.com",
    "aiplatform": "https://{region}-aiplatform.googleapis.com",
    "notebooks": "https://notebooks.googleapis.com",
    "monitoring": "https://monitoring.googleapis.com",
    "admin": "https://admin.googleapis.com",
}
GLOBAL_REGION_HOSTS = {"aiplatform": "https://aiplatform.googleapis.com"}


def pooled_http(connections: int = 10, **kwargs: Any) -> HttpClient:
    """An HttpClient whose session keeps up to ``connections`` connections per host open, for parallel calls
    (requests keeps 10; more threads than that would reconnect, with a TLS handshake each time)."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=10, pool_maxsize=max(10, connections))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return HttpClient(session=session, **kwargs)


class GoogleCredentialsError(Exception):
    """The credentials file is missing, unreadable or not a kind this client can use. A usage error."""


class GoogleAuthError(ApiDenied):
    """The token endpoint refused the credentials (revoked key, delegation not granted, wrong scopes)."""


@dataclass(frozen=True)
class ServiceAccount:
    client_email: str
    token_uri: str
    project_id: str | None
    private_key_id: str | None
    key: rsa.RSAPrivateKey = field(repr=False, compare=False)

    kind = "service_account"

    @classmethod
    def from_info(cls, info: dict[str, Any]) -> "ServiceAccount":
        missing = [name for name in ("client_email", "private_key") if not info.get(name)]
        if missing:
            raise GoogleCredentialsError(f"service account key lacks {', '.join(missing)}")
        try:
            key = serialization.load_pem_private_key(str(info["private_key"]).encode("ascii"), password=None)
        except (ValueError, TypeError, UnicodeEncodeError):
            raise GoogleCredentialsError("service account key: private_key is not a PEM RSA key") from None
        if not isinstance(key, rsa.RSAPrivateKey):
            raise GoogleCredentialsError("service account key: private_key is not an RSA key")
        return cls(client_email=info["client_email"], token_uri=info.get("token_uri") or TOKEN_URL,
                   project_id=info.get("project_id"), private_key_id=info.get("private_key_id"), key=key)

    @property
    def identity(self) -> str:
        return self.client_email

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the public key (DER), shortened: names the key in run records without revealing it."""
        der = self.key.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)
        return "sha256:" + hashlib.sha256(der).hexdigest()[:16]

    def google_credentials(self, *, scopes: tuple[str, ...], token_url: str,
                           subject: str | None) -> google.oauth2.service_account.Credentials:
        """google-auth credentials for the JWT bearer grant at ``token_url`` (``sub`` = the delegated user)."""
        return google.oauth2.service_account.Credentials(
            crypt.RSASigner(self.key, key_id=self.private_key_id), self.client_email, token_url,
            scopes=list(scopes), subject=subject, project_id=self.project_id)


@dataclass(frozen=True)
class AuthorizedUser:
    client_id: str
    token_uri: str
    client_secret: str = field(repr=False, compare=False)
    refresh_token: str = field(repr=False, compare=False)
    account: str | None = None

    kind = "authorized_user"
    project_id = None

    @classmethod
    def from_info(cls, info: dict[str, Any]) -> "AuthorizedUser":
        missing = [name for name in ("client_id", "client_secret", "refresh_token") if not info.get(name)]
        if missing:
            raise GoogleCredentialsError(f"authorized_user credentials lack {', '.join(missing)}")
        return cls(client_id=info["client_id"], token_uri=info.get("token_uri") or TOKEN_URL,
                   client_secret=info["client_secret"], refresh_token=info["refresh_token"],
                   account=info.get("account") or None)

    @property
    def identity(self) -> str:
        return self.account or f"user credentials of client {self.client_id}"

    @property
    def fingerprint(self) -> str:
        return "sha256:" + hashlib.sha256(self.refresh_token.encode()).hexdigest()[:16]

    def google_credentials(self, *, scopes: tuple[str, ...], token_url: str,
                           subject: str | None) -> google.oauth2.credentials.Credentials:
        if subject:
            raise GoogleCredentialsError("domain-wide delegation needs a service account key, "
                                         "not authorized_user credentials")
        # The scopes were fixed when the user consented; a refresh can only narrow them.
        return google.oauth2.credentials.Credentials(
            None, refresh_token=self.refresh_token, token_uri=token_url, client_id=self.client_id,
            client_secret=self.client_secret, scopes=list(scopes))


Credentials = ServiceAccount | AuthorizedUser


def credentials_from_info(info: Any) -> Credentials:
    if not isinstance(info, dict):
        raise GoogleCredentialsError("credentials file is not a JSON object")
    kind = info.get("type")
    if kind == "service_account":
        return ServiceAccount.from_info(info)
    if kind == "authorized_user":
        return AuthorizedUser.from_info(info)
    raise GoogleCredentialsError(f"credentials of type {kind!r} are not supported: use a service account key "
                                 "(type service_account) or application-default user credentials")


def default_credentials_path() -> Path | None:
    """GOOGLE_APPLICATION_CREDENTIALS, else gcloud's application-default credentials if present."""
    named = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if named:
        return Path(named)
    config = os.environ.get("CLOUDSDK_CONFIG") or os.path.join(os.path.expanduser("~"), ".config", "gcloud")
    adc = Path(config) / "application_default_credentials.json"
    return adc if adc.is_file() else None


def load_credentials(path: str | os.PathLike | None = None) -> Credentials:
    path = Path(path) if path else default_credentials_path()
    if path is None:
        raise GoogleCredentialsError("no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service "
                                     "account key file (or pass --credentials)")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GoogleCredentialsError(f"{path}: {exc.strerror or exc}") from None
    try:
        info = json.loads(text)
    except ValueError:
        raise GoogleCredentialsError(f"{path}: not a JSON credentials file") from None
    return credentials_from_info(info)


@dataclass
class AccessToken:
    value: str = field(repr=False)
    expires_at: float


class TokenSource:
    """Access tokens per (scopes, subject), fetched on demand, cached until shortly before they expire."""

    def __init__(self, credentials: Credentials, http: HttpClient, *, token_url: str | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.credentials = credentials
        self.http = http
        self.token_url = token_url or credentials.token_uri
        self.clock = clock
        self._cache: dict[tuple[tuple[str, ...], str | None], AccessToken] = {}
        self._lock = threading.Lock()
        self._session: requests.Session | None = None
        self.fetched = 0

    def token(self, scopes: tuple[str, ...], subject: str | None = None) -> str:
        key = (tuple(scopes), subject)
        with self._lock:
            cached = self._cache.get(key)
            if cached and cached.expires_at - TOKEN_MARGIN > self.clock():
                return cached.value
            fetched = self._fetch(key[0], subject)
            self._cache[key] = fetched
            return fetched.value

    def forget(self, scopes: tuple[str, ...], subject: str | None = None) -> None:
        with self._lock:
            self._cache.pop((tuple(scopes), subject), None)

    def _fetch(self, scopes: tuple[str, ...], subject: str | None) -> AccessToken:
        credentials = self.credentials.google_credentials(scopes=scopes, token_url=self.token_url, subject=subject)
        who = self.credentials.identity + (f" as {subject}" if subject else "")
        transport = self._transport()
        try:
            credentials.refresh(transport)
        except google.auth.exceptions.RefreshError as exc:
            raise token_failure(exc, transport.status, who, exc_url(self.token_url)) from None
        except google.auth.exceptions.TransportError as exc:
            raise ApiError(f"token endpoint {exc_url(self.token_url)} unreachable: {exc}",
                           url=exc_url(self.token_url)) from None
        if not credentials.token:
            raise GoogleAuthError(f"token endpoint {exc_url(self.token_url)} answered without an access_token",
                                  url=exc_url(self.token_url))
        self.fetched += 1
        lifetime = 3600.0
        if credentials.expiry is not None:  # naive UTC, as google-auth keeps it
            now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
            lifetime = (credentials.expiry - now).total_seconds()
        return AccessToken(credentials.token, self.clock() + lifetime)

    def _transport(self) -> "TokenTransport":
        if self._session is None:
            self._session = requests.Session()
            self._session.headers["User-Agent"] = self.http.session.headers.get("User-Agent", "shadowai")
        return TokenTransport(self._session, verify=self.http.verify, timeout=self.http.timeout)


class TokenTransport(google.auth.transport.requests.Request):
    """google-auth's requests transport with the API calls' certificate trust and timeout on every request.

    A session's own ``verify`` loses to REQUESTS_CA_BUNDLE in requests, so it is passed per request as
    ``HttpClient`` does: a CA file given for a private endpoint is honoured whatever the environment says.
    """

    def __init__(self, session: requests.Session, *, verify: bool | str, timeout: float) -> None:
        super().__init__(session)
        self.verify = verify
        self.timeout = timeout
        self.status: int | None = None  # of the last answer: google-auth's errors do not carry it

    def __call__(self, url, method="GET", body=None, headers=None, timeout=None, **kwargs):
        kwargs.setdefault("verify", self.verify)
        response = super().__call__(url, method=method, body=body, headers=headers,
                                    timeout=timeout or self.timeout, **kwargs)
        self.status = response.status
        return response


RETRYABLE = frozenset({408, 429})  # and every 5xx


def token_failure(exc: google.auth.exceptions.RefreshError, status: int | None, who: str, url: str) -> ApiError:
    """A token request that failed: an outage google-auth's own retries did not outlast (5xx, 408, 429) as
    ``ApiError``, a refusal (4xx, or an answer without a token) as ``GoogleAuthError``. The reason is the OAuth
    ``error`` and ``error_description`` only, else the HTTP status: never a page a proxy answered with."""
    body = exc.args[1] if len(exc.args) > 1 else None
    if isinstance(body, dict) and body.get("error"):
        reason = str(body["error"]) + (f": {body['error_description']}" if body.get("error_description") else "")
    elif status is not None and status >= 400:
        reason = f"HTTP {status}"
    else:
        reason = str(exc.args[0])[:200] if exc.args else type(exc).__name__
    if (status is not None and (status >= 500 or status in RETRYABLE)) or getattr(exc, "retryable", False):
        return ApiError(f"token endpoint {url} failed for {who}: {reason}", status=status, url=url)
    return GoogleAuthError(f"token request for {who} refused: {reason}",
                           status=status if status is not None and status >= 400 else 400, url=url)


def exc_url(url: str) -> str:
    return url.split("?", 1)[0]


def api_error_reason(exc: ApiError) -> str:
    """A short reason from a Google API error ({"error": {"code", "message", "status"}}) for a coverage gap."""
    text = str(exc)
    message = re.search(r'"message"\s*:\s*"([^"]*)', text)
    status = re.search(r'"status"\s*:\s*"([A-Z_]+)"', text)
    parts = [f"HTTP {exc.status}" if exc.status else type(exc).__name__]
    if status:
        parts.append(status.group(1))
    if message:
        parts.append(message.group(1).rstrip("\\")[:160])
    return " ".join(parts) if (status or message) else text[:200]


@dataclass
class Endpoints:
    """Base URLs per API. ``overrides`` maps an API name (or ``*`` for all) to a base URL."""

    overrides: dict[str, str] = field(default_factory=dict)

    def base(self, api: str, region: str | None = None) -> str:
        base = self.overrides.get(api) or self.overrides.get("*")
        if base is None:
            base = DEFAULT_ENDPOINTS[api]
            if region in (None, "global") and api in GLOBAL_REGION_HOSTS:
                base = GLOBAL_REGION_HOSTS[api]
        return base.replace("{region}", region or "global").rstrip("/")


def parse_endpoint_overrides(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``URL`` (every API) or ``API=URL`` (one of DEFAULT_ENDPOINTS) -> overrides; ValueError if malformed."""
    overrides: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep:
            name, url = "*", value
        if name != "*" and name not in DEFAULT_ENDPOINTS:
            raise ValueError(f"unknown API {name!r} (one of {', '.join(DEFAULT_ENDPOINTS)})")
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"{value!r}: a base URL starts with https://")
        overrides[name] = url
    return overrides


class GoogleClient:
    """Calls to Google APIs with one set of scopes (and optionally a delegated subject)."""

    def __init__(self, tokens: TokenSource, scopes: tuple[str, ...], *, subject: str | None = None,
                 endpoints: Endpoints | None = None) -> None:
        self.tokens = tokens
        self.http = tokens.http
        self.scopes = tuple(scopes)
        self.subject = subject
        self.endpoints = endpoints or Endpoints()

    def url(self, api: str, path: str, region: str | None = None) -> str:
        return self.endpoints.base(api, region) + "/" + path.lstrip("/")

    def get(self, api: str, path: str, params: dict[str, Any] | None = None, *,
            region: str | None = None) -> dict[str, Any]:
        url = self.url(api, path, region)
        for attempt in (1, 2):
            headers = {"Authorization": "Bearer " + self.tokens.token(self.scopes, self.subject),
                       "Accept": "application/json"}
            try:
                response = self.http.get(url, params=params, headers=headers)
            except ApiDenied as exc:
                if exc.status == 401 and attempt == 1:  # the token expired or was revoked mid-scan: renew once
                    self.tokens.forget(self.scopes, self.subject)
                    continue
                raise
            try:
                body = response.json()
            except ValueError:
                raise ApiError(f"GET {exc_url(url)}: the answer is not JSON", status=response.status_code,
                               url=exc_url(url)) from None
            return body if isinstance(body, dict) else {}
        raise AssertionError("unreachable")

    def pages(self, api: str, path: str, items_key: str, params: dict[str, Any] | None = None, *,
              region: str | None = None, max_pages: int | None = None) -> Iterator[list[dict[str, Any]]]:
        """Each page's items, following nextPageToken until the last page."""
        params = dict(params or {})
        seen_tokens: set[str] = set()
        count = 0
        while True:
            body = self.get(api, path, params, region=region)
            items = body.get(items_key) or []
            yield [item for item in items if isinstance(item, dict)]
            count += 1
            token = body.get("nextPageToken")
            if not token or token in seen_tokens or (max_pages and count >= max_pages):
                return
            seen_tokens.add(token)  # a server repeating a token would otherwise loop forever
            params["pageToken"] = token

    def items(self, api: str, path: str, items_key: str, params: dict[str, Any] | None = None, *,
              region: str | None = None) -> Iterator[dict[str, Any]]:
        for page in self.pages(api, path, items_key, params, region=region):
            yield from page

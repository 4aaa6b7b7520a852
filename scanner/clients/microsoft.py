"""Microsoft identity platform, Microsoft Graph and Azure Resource Manager: one client for `scan azure` and
`scan entra`.

Authentication is the OAuth 2.0 client credentials grant through msal's ``ConfidentialClientApplication``, with
the variables Azure's own tools read: ``AZURE_TENANT_ID``, ``AZURE_CLIENT_ID`` and either ``AZURE_CLIENT_SECRET``
or ``AZURE_CLIENT_CERTIFICATE_PATH`` (a PEM file with the private key and the certificate, or a PKCS#12 file;
``AZURE_CLIENT_CERTIFICATE_PASSWORD`` if it is encrypted). One token per resource: Graph
(``https://graph.microsoft.com/.default``) and ARM (``https://management.azure.com/.default``); msal caches each
until shortly before it expires.

The authority is ``{authority host}/{tenant}``. msal fetches and checks its OpenID discovery document
(``/{tenant}/v2.0/.well-known/openid-configuration``) and posts to the token endpoint named there; Microsoft's
instance-discovery service is not consulted (``instance_discovery=False``): the operator names the authority
host, which may be a sovereign cloud, a proxy or a test server. Certificate checking is always on; an extra CA
bundle can be given for a TLS-inspecting proxy.

Paging follows ``@odata.nextLink`` (Graph) and ``nextLink`` (ARM), only ever to the origin of the first request, so
a token is never sent to another host. Every call goes through ``HttpClient``: 429 and 5xx are retried honouring
``Retry-After``; a 401/403 arrives as ``ApiDenied`` for the caller to record as a coverage gap.

The client secret, the private key and the access tokens are never part of a message, a log line, a run record
or an exception: ``describe()`` gives what a run may record (tenant, client id, kind of credential, certificate
thumbprint).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import urlsplit

import requests
import requests.adapters

from scanner.clients.http import ApiDenied, ApiError, ApiUnavailable, HttpClient, redact

AUTHORITY_HOST = "https://login.microsoftonline.com"
GRAPH_URL = "https://graph.microsoft.com"
ARM_URL = "https://management.azure.com"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
ARM_SCOPE = "https://management.azure.com/.default"

ENV_TENANT = "AZURE_TENANT_ID"
ENV_CLIENT = "AZURE_CLIENT_ID"
ENV_SECRET = "AZURE_CLIENT_SECRET"
ENV_CERTIFICATE = "AZURE_CLIENT_CERTIFICATE_PATH"
ENV_CERTIFICATE_PASSWORD = "AZURE_CLIENT_CERTIFICATE_PASSWORD"

TRANSIENT_TOKEN_ERRORS = {"temporarily_unavailable", "server_error"}
_ERROR_CODE = re.compile(r'"code"\s*:\s*"([^"]{1,120})"')


class CredentialsError(ValueError):
    """The credentials are missing or unusable (a configuration error, exit 2)."""


class TokenDenied(ApiDenied):
    """The identity platform refused a token (wrong secret, unknown client, consent missing…)."""


class TokenUnavailable(ApiUnavailable):
    """No token could be had: the authority's discovery document or token endpoint could not be reached or read."""


# Failures that end a scan: without a token every call would fail the same way.
TOKEN_FAILURES = (TokenDenied, TokenUnavailable)


def error_code(exc: ApiError) -> str | None:
    """The service's error code ('Authorization_RequestDenied', 'AuthorizationFailed'…) from an ApiError's text."""
    found = _ERROR_CODE.search(str(exc))
    return found.group(1) if found else None


def describe_error(exc: ApiError) -> str:
    """A short reason for a coverage gap: 'HTTP 403 AuthorizationFailed'."""
    parts = [f"HTTP {exc.status}" if exc.status else type(exc).__name__]
    code = error_code(exc)
    if code:
        parts.append(code)
    elif not exc.status:
        parts.append(str(exc)[:160])
    return " ".join(parts)


@dataclass(frozen=True)
class MicrosoftCredentials:
    tenant_id: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    certificate_path: str | None = None
    certificate_password: str | None = field(default=None, repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, *, tenant_id: str | None = None,
                         client_id: str | None = None, certificate_path: str | None = None
                         ) -> "MicrosoftCredentials":
        env = os.environ if environ is None else environ
        tenant = tenant_id or env.get(ENV_TENANT, "").strip()
        client = client_id or env.get(ENV_CLIENT, "").strip()
        secret = env.get(ENV_SECRET) or None
        # As Azure's EnvironmentCredential: a secret before a certificate, unless a certificate is named explicitly.
        certificate = certificate_path or (None if secret else env.get(ENV_CERTIFICATE) or None)
        missing = [name for name, value in ((ENV_TENANT, tenant), (ENV_CLIENT, client)) if not value]
        if not secret and not certificate:
            missing.append(f"{ENV_SECRET} or {ENV_CERTIFICATE}")
        if missing:
            raise CredentialsError("Microsoft credentials missing: set " + ", ".join(missing))
        return cls(tenant, client, None if certificate else secret, certificate,
                   env.get(ENV_CERTIFICATE_PASSWORD) or None)

    @property
    def kind(self) -> str:
        return "certificate" if self.certificate_path else "client-secret"

    def msal_credential(self) -> str | dict[str, str]:
        if not self.certificate_path:
            assert self.client_secret is not None
            return self.client_secret
        return load_certificate(self.certificate_path, self.certificate_password).credential

    def describe(self) -> dict[str, str]:
        """What a run may record about the credentials: never the secret or the key."""
        described = {"tenant_id": self.tenant_id, "client_id": self.client_id, "credential": self.kind}
        if self.certificate_path:
            described["certificate_path"] = self.certificate_path
            try:
                described["certificate_sha256"] = load_certificate(self.certificate_path,
                                                                   self.certificate_password).sha256
            except CredentialsError:
                pass
        return described


@dataclass(frozen=True)
class LoadedCertificate:
    credential: dict[str, str] = field(repr=False)
    sha256: str  # thumbprint of the certificate (public)


def load_certificate(path: str, password: str | None) -> LoadedCertificate:
    """A PEM (key + certificate) or PKCS#12 file as msal's credential dict, the key decrypted in memory only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CredentialsError(f"{path}: cannot read the client certificate ({exc.strerror})") from None
    secret = password.encode() if password else None
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, secret)
            certificate = x509.load_pem_x509_certificate(data)
        else:
            key, certificate, _ = pkcs12.load_key_and_certificates(data, secret)
    except (ValueError, TypeError) as exc:
        reason = "wrong password or not a key and certificate" if "password" in str(exc).lower() else \
            "no private key and certificate found"
        raise CredentialsError(f"{path}: unusable client certificate ({reason})") from None
    if key is None or certificate is None:
        raise CredentialsError(f"{path}: the file needs both the private key and the certificate")
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    return LoadedCertificate({"private_key": key_pem, "public_certificate": certificate_pem},
                             certificate.fingerprint(hashes.SHA256()).hex())


@dataclass(frozen=True)
class MicrosoftEndpoints:
    authority_host: str = AUTHORITY_HOST
    graph: str = GRAPH_URL
    arm: str = ARM_URL
    graph_scope: str = GRAPH_SCOPE
    arm_scope: str = ARM_SCOPE

    def __post_init__(self) -> None:
        for name in ("authority_host", "graph", "arm"):
            value = getattr(self, name).rstrip("/")
            if urlsplit(value).scheme != "https":
                raise CredentialsError(f"{name} URL must be https://…, got {value!r}")
            object.__setattr__(self, name, value)

    def describe(self) -> dict[str, str]:
        return {"authority_host": self.authority_host, "graph": self.graph, "arm": self.arm}


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class MicrosoftClient:
    def __init__(self, credentials: MicrosoftCredentials, endpoints: MicrosoftEndpoints | None = None, *,
                 http: HttpClient | None = None, verify: bool | str = True, timeout: float = 30) -> None:
        self.credentials = credentials
        self.endpoints = endpoints or MicrosoftEndpoints()
        self.verify = verify
        self.timeout = timeout
        self.http = http or HttpClient(verify=verify, timeout=timeout)
        self._app = None
        self.requests = 0

    # --- tokens ------------------------------------------------------------------------------------------------
    @property
    def authority(self) -> str:
        return f"{self.endpoints.authority_host}/{self.credentials.tenant_id}"

    def _application(self):
        if self._app is None:
            import msal

            try:
                self._app = msal.ConfidentialClientApplication(
                    self.credentials.client_id,
                    client_credential=self.credentials.msal_credential(),
                    authority=self.authority,
                    validate_authority=True,
                    instance_discovery=False,
                    http_client=identity_session(self.verify, self.timeout),
                )
            except requests.RequestException as exc:
                raise TokenUnavailable(f"authority {self.authority}: {type(exc).__name__}",
                                       url=self.authority) from None
            except (ValueError, KeyError, RuntimeError) as exc:  # no usable OpenID discovery document
                raise TokenUnavailable(f"authority {self.authority}: {first_line(str(exc))}",
                                       url=self.authority) from None
        return self._app

    def token(self, scope: str) -> str:
        app = self._application()
        try:
            result = app.acquire_token_for_client(scopes=[scope])
        except requests.RequestException as exc:
            raise TokenUnavailable(f"token for {scope}: {type(exc).__name__}", url=self.authority) from None
        token = result.get("access_token") if isinstance(result, dict) else None
        if not token:
            error = (result or {}).get("error", "no_token")
            description = first_line((result or {}).get("error_description") or "")
            message = f"token for {scope}: {error}: {description}".rstrip(": ")
            if error in TRANSIENT_TOKEN_ERRORS:
                raise TokenUnavailable(message, url=self.authority)
            raise TokenDenied(message, url=self.authority)
        return token

    # --- requests ----------------------------------------------------------------------------------------------
    def request(self, method: str, url: str, *, scope: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        headers["Authorization"] = "Bearer " + self.token(scope)
        headers.setdefault("Accept", "application/json")
        self.requests += 1
        return self.http.request(method, url, headers=headers, **kwargs)

    def get_json(self, url: str, *, scope: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return json_body(self.request("GET", url, scope=scope, params=params))

    def pages(self, url: str, *, scope: str, next_key: str, params: dict[str, Any] | None = None,
              items_key: str = "value", stop: Callable[[], bool] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a paged collection. The next page is fetched only from the first request's origin, and
        not at all once ``stop()`` says so."""
        start = origin(url)
        while url:
            body = self.get_json(url, scope=scope, params=params)
            items = body.get(items_key)
            if not isinstance(items, list):
                raise ApiUnavailable(f"GET {redact(url)}: no '{items_key}' list in the answer", url=redact(url))
            yield from (item for item in items if isinstance(item, dict))
            url, params = body.get(next_key) or "", None  # a next link carries its own query
            if url and origin(url) != start:
                raise ApiUnavailable(f"{redact(url)}: next page link leaves {start[1]}; not followed",
                                     url=redact(url))
            if url and stop is not None and stop():
                return

    # --- Microsoft Graph ---------------------------------------------------------------------------------------
    def graph_url(self, path: str) -> str:
        return f"{self.endpoints.graph}/{path.lstrip('/')}"

    def graph_get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.get_json(self.graph_url(path), scope=self.endpoints.graph_scope, params=params)

    def graph_post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return json_body(self.request("POST", self.graph_url(path), scope=self.endpoints.graph_scope, json=body))

    def graph_pages(self, path: str, params: dict[str, Any] | None = None, *,
                    stop: Callable[[], bool] | None = None) -> Iterator[dict[str, Any]]:
        return self.pages(self.graph_url(path), scope=self.endpoints.graph_scope, next_key="@odata.nextLink",
                          params=params, stop=stop)

    # --- Azure Resource Manager --------------------------------------------------------------------------------
    def arm_url(self, path: str) -> str:
        return f"{self.endpoints.arm}/{path.lstrip('/')}"

    def arm_get(self, path: str, api_version: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.get_json(self.arm_url(path), scope=self.endpoints.arm_scope,
                             params={"api-version": api_version, **(params or {})})

    def arm_post(self, url_or_path: str, api_version: str | None, body: dict[str, Any]) -> dict[str, Any]:
        url = url_or_path if url_or_path.startswith("https://") else self.arm_url(url_or_path)
        params = {"api-version": api_version} if api_version else None
        return json_body(self.request("POST", url, scope=self.endpoints.arm_scope, params=params, json=body))

    def arm_pages(self, path: str, api_version: str, params: dict[str, Any] | None = None, *,
                  stop: Callable[[], bool] | None = None) -> Iterator[dict[str, Any]]:
        return self.pages(self.arm_url(path), scope=self.endpoints.arm_scope, next_key="nextLink",
                          params={"api-version": api_version, **(params or {})}, stop=stop)


def identity_session(verify: bool | str, timeout: float) -> requests.Session:
    """The session msal talks to the identity platform with. ``verify`` and the timeout are bound to every request:
    a session-wide ``verify`` would lose to REQUESTS_CA_BUNDLE in requests' merging of environment settings."""
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(max_retries=1)
    session.mount("https://", adapter)
    session.request = functools.partial(session.request, verify=verify, timeout=timeout)  # type: ignore[method-assign]
    return session


def json_body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise ApiUnavailable(f"{response.request.method} {redact(response.url)}: the answer is not JSON",
                             status=response.status_code, url=redact(response.url)) from None
    if not isinstance(body, dict):
        raise ApiUnavailable(f"{redact(response.url)}: the answer is not a JSON object", url=redact(response.url))
    return body


def first_line(text: str) -> str:
    return text.strip().splitlines()[0][:200] if text.strip() else ""

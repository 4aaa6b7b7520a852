"""A Microsoft identity platform, Microsoft Graph and Azure Resource Manager on loopback, for msal and requests.

It speaks the documented protocols, not shortcuts: the OpenID discovery document at
``/{tenant}/v2.0/.well-known/openid-configuration``; the v2.0 token endpoint answering the client credentials
grant (``client_secret``, or a ``client_assertion`` JWT checked against the registered certificate) with one
token per resource scope; Graph (``@odata.nextLink``) and ARM (``nextLink``) collections split into pages; and
each API checking that the bearer token is the one issued for its own resource.

    with MicrosoftCloud() as cloud:
        cloud.graph_collection("/v1.0/servicePrincipals", [...], page_size=2)
        client = MicrosoftClient(cloud.credentials(), cloud.endpoints(), verify=cloud.ca_file)
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Callable

from scanner.clients.microsoft import ARM_SCOPE, GRAPH_SCOPE, MicrosoftCredentials, MicrosoftEndpoints
from tests.support.https_server import LocalHttpsServer, Request

TENANT = "7f6c1d3e-2b4a-4c5d-9e8f-0a1b2c3d4e5f"
CLIENT = "0b2c4d6e-8f10-4a12-b314-c516d718e920"
SECRET = "Zq8~sEcReT.value-that-must-never-leak_42"

Handler = Callable[[Request], tuple[int, dict[str, str], Any]]


def unauthorized() -> tuple[int, dict[str, str], Any]:
    return 401, {}, {"error": {"code": "InvalidAuthenticationToken", "message": "Access token is missing or invalid."}}


def graph_error(status: int, code: str, message: str) -> tuple[int, dict[str, str], Any]:
    return status, {}, {"error": {"code": code, "message": message,
                                  "innerError": {"date": "2025-06-01T10:00:00", "request-id": "r-1"}}}


def arm_error(status: int, code: str, message: str) -> tuple[int, dict[str, str], Any]:
    return status, {}, {"error": {"code": code, "message": message}}


@dataclass
class MicrosoftCloud:
    tenant: str = TENANT
    client_id: str = CLIENT
    secret: str | None = SECRET
    certificate_pem: bytes | None = None  # when set, only a client assertion signed by its key is accepted
    tokens: dict[str, str] = field(default_factory=lambda: {GRAPH_SCOPE: "graph-" + secrets.token_hex(12),
                                                            ARM_SCOPE: "arm-" + secrets.token_hex(12)})
    token_requests: list[dict[str, str]] = field(default_factory=list)
    server: LocalHttpsServer = field(default_factory=LocalHttpsServer)

    def __enter__(self) -> "MicrosoftCloud":
        self.server.__enter__()
        self.url = self.server.url
        self.ca_file = self.server.ca_file
        self.server.routes[("GET", f"/{self.tenant}/v2.0/.well-known/openid-configuration")] = self.discovery
        self.server.routes[("POST", f"/{self.tenant}/oauth2/v2.0/token")] = self.token
        return self

    def __exit__(self, *exc) -> None:
        self.server.__exit__(*exc)

    # --- what the scanner is given -------------------------------------------------------------------------
    def credentials(self, **overrides: Any) -> MicrosoftCredentials:
        values = {"tenant_id": self.tenant, "client_id": self.client_id, "client_secret": self.secret, **overrides}
        return MicrosoftCredentials(**values)

    def endpoints(self) -> MicrosoftEndpoints:
        return MicrosoftEndpoints(authority_host=self.url, graph=self.url, arm=self.url)

    def environment(self) -> dict[str, str]:
        return {"AZURE_TENANT_ID": self.tenant, "AZURE_CLIENT_ID": self.client_id,
                "AZURE_CLIENT_SECRET": self.secret or ""}

    def cli_options(self) -> list[str]:
        return ["--authority-url", self.url, "--graph-url", self.url, "--arm-url", self.url,
                "--ca-bundle", self.ca_file]

    # --- identity platform ---------------------------------------------------------------------------------
    def discovery(self, request: Request):
        base = f"{self.url}/{self.tenant}"
        return 200, {}, {
            "issuer": f"{base}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "jwks_uri": f"{self.url}/{self.tenant}/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "tenant_region_scope": "EU",
        }

    def token(self, request: Request):
        form = request.form()
        self.token_requests.append(form)
        if form.get("grant_type") != "client_credentials":
            return 400, {}, {"error": "unsupported_grant_type", "error_description": "AADSTS70003: grant type"}
        if form.get("client_id") != self.client_id:
            return 400, {}, {"error": "unauthorized_client",
                             "error_description": "AADSTS700016: Application not found in the directory."}
        if not self.client_authenticated(form):
            return 401, {}, {"error": "invalid_client", "error_codes": [7000215],
                             "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the "
                                                  "secret being sent in the request is the client secret value."}
        scope = form.get("scope", "")
        wanted = [s for s in scope.split() if s in self.tokens]
        if len(wanted) != 1:
            return 400, {}, {"error": "invalid_scope",
                             "error_description": f"AADSTS1002012: The provided value for scope {scope} is not valid."}
        return 200, {}, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                         "access_token": self.tokens[wanted[0]]}

    def client_authenticated(self, form: dict[str, str]) -> bool:
        if self.certificate_pem is None:
            return self.secret is not None and form.get("client_secret") == self.secret
        import jwt
        from cryptography import x509

        if form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return False
        certificate = x509.load_pem_x509_certificate(self.certificate_pem)
        try:
            claims = jwt.decode(form.get("client_assertion", ""), certificate.public_key(),
                                algorithms=["PS256", "RS256"],
                                audience=f"{self.url}/{self.tenant}/oauth2/v2.0/token")
        except jwt.PyJWTError:
            return False
        return claims.get("iss") == claims.get("sub") == self.client_id

    # --- APIs ----------------------------------------------------------------------------------------------
    def authorised(self, request: Request, scope: str) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.tokens[scope]}"

    def graph(self, method: str, path: str, handler: Handler) -> None:
        self.server.routes[(method, path)] = self._guard(GRAPH_SCOPE, handler)

    def arm(self, method: str, path: str, handler: Handler) -> None:
        self.server.routes[(method, path)] = self._guard(ARM_SCOPE, handler)

    def _guard(self, scope: str, handler: Handler) -> Handler:
        def guarded(request: Request):
            return handler(request) if self.authorised(request, scope) else unauthorized()
        return guarded

    def graph_collection(self, path: str, items: list[dict[str, Any]], *, page_size: int = 100,
                         context: str | None = None) -> None:
        """A Graph collection: pages of ``value`` linked by ``@odata.nextLink`` with a ``$skiptoken``."""
        def handler(request: Request):
            start = int(request.query.get("$skiptoken", ["0"])[0])
            body: dict[str, Any] = {"@odata.context": context or f"{self.url}/v1.0/$metadata#collection",
                                    "value": items[start:start + page_size]}
            if start + page_size < len(items):
                body["@odata.nextLink"] = f"{self.url}{path}?$skiptoken={start + page_size}"
            return 200, {}, body
        self.graph("GET", path, handler)

    def arm_collection(self, path: str, items: list[dict[str, Any]], *, page_size: int = 100,
                       api_version: str | None = None) -> None:
        """An ARM list: pages of ``value`` linked by ``nextLink`` (which keeps the api-version)."""
        def handler(request: Request):
            version = request.query.get("api-version", [""])[0]
            if not version or (api_version and version != api_version):
                return arm_error(400, "InvalidApiVersionParameter", f"api-version '{version}' is invalid")
            start = int(request.query.get("$skipToken", ["0"])[0])
            body: dict[str, Any] = {"value": items[start:start + page_size]}
            if start + page_size < len(items):
                body["nextLink"] = f"{self.url}{path}?api-version={version}&$skipToken={start + page_size}"
            return 200, {}, body
        self.arm("GET", path, handler)

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.server.requests if r.path == path]

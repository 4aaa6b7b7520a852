"""The Google client against a local token endpoint and Google-shaped APIs: JWT bearer grant, delegation,
pageToken paging, throttling, denials — and that the private key never leaks into an error."""

import json

import pytest

from scanner.clients.google import (CLOUD_READ_ONLY, REPORTS_AUDIT_READ_ONLY, AuthorizedUser, Endpoints,
                                    GoogleAuthError, GoogleClient, GoogleCredentialsError, ServiceAccount,
                                    TokenSource, api_error_reason, load_credentials, parse_endpoint_overrides)
from scanner.clients.http import ApiDenied, ApiError, HttpClient, RetryPolicy
from tests.support.google_apis import CLIENT_EMAIL, GOOGLE_TOKEN_AUDIENCE, GoogleFake, error, generate_key, private_pem, service_account_info
from tests.support.https_server import LocalHttpsServer


@pytest.fixture(scope="module")
def key():
    return generate_key()


@pytest.fixture
def google(key):
    with LocalHttpsServer() as server:
        yield GoogleFake(server, key.public_key(), delegation={"admin@example.com": {REPORTS_AUDIT_READ_ONLY}})


def client_for(google, key, scopes=(CLOUD_READ_ONLY,), subject=None, sleeps=None, token_url=None):
    credentials = ServiceAccount.from_info(service_account_info(key, google.token_url))
    http = HttpClient(verify=google.server.ca_file,
                      retry=RetryPolicy(attempts=3, backoff=0.25, sleep=(sleeps if sleeps is not None else []).append))
    tokens = TokenSource(credentials, http, token_url=token_url)
    return GoogleClient(tokens, scopes, subject=subject, endpoints=Endpoints({"*": google.server.url}))


def test_a_signed_jwt_assertion_is_exchanged_for_an_access_token_the_api_accepts(google, key):
    google.paged("/v3/projects:search", "projects", [[{"projectId": "p1", "name": "projects/1"}]], CLOUD_READ_ONLY)
    client = client_for(google, key)
    assert client.get("cloudresourcemanager", "v3/projects:search")["projects"][0]["projectId"] == "p1"
    (assertion,) = google.assertions
    assert assertion["header"] == {"alg": "RS256", "typ": "JWT", "kid": service_account_info(key, "")["private_key_id"]}
    claims = assertion["claims"]
    assert claims["iss"] == CLIENT_EMAIL and claims["aud"] == GOOGLE_TOKEN_AUDIENCE
    assert claims["scope"] == CLOUD_READ_ONLY and "sub" not in claims
    assert claims["exp"] - claims["iat"] == 3600


def test_domain_wide_delegation_puts_the_admin_in_the_sub_claim(google, key):
    google.paged("/admin/reports/v1/activity/users/all/applications/token", "items", [[{"id": {}}]],
                 REPORTS_AUDIT_READ_ONLY)
    client = client_for(google, key, (REPORTS_AUDIT_READ_ONLY,), subject="admin@example.com")
    assert list(client.items("admin", "admin/reports/v1/activity/users/all/applications/token", "items")) == [{"id": {}}]
    assert google.assertions[0]["claims"]["sub"] == "admin@example.com"


def test_delegation_not_granted_is_an_auth_error_naming_the_account_not_the_key(google, key):
    client = client_for(google, key, (REPORTS_AUDIT_READ_ONLY,), subject="someone-else@example.com")
    with pytest.raises(GoogleAuthError) as caught:
        client.get("admin", "admin/reports/v1/activity/users/all/applications/token")
    message = str(caught.value)
    assert "unauthorized_client" in message and CLIENT_EMAIL in message and "someone-else@example.com" in message
    assert isinstance(caught.value, ApiDenied)
    assert "PRIVATE KEY" not in message and "assertion" not in message.lower()


def test_a_key_the_endpoint_cannot_verify_is_refused(google, key):
    other = generate_key()
    credentials = ServiceAccount.from_info(service_account_info(other, google.token_url))
    tokens = TokenSource(credentials, HttpClient(verify=google.server.ca_file))
    with pytest.raises(GoogleAuthError, match="invalid_grant: Invalid JWT Signature"):
        tokens.token((CLOUD_READ_ONLY,))


def test_a_gateway_error_at_the_token_endpoint_is_an_outage_not_a_refusal_and_keeps_its_page_out(google, key):
    page = "<html><body><h1>502 Bad Gateway</h1>" + "x" * 2000 + "</body></html>"
    google.server.routes[("POST", google.token_path)] = lambda request: (502, {"Content-Type": "text/html"}, page)
    credentials = ServiceAccount.from_info(service_account_info(key, google.token_url))
    tokens = TokenSource(credentials, HttpClient(verify=google.server.ca_file))
    with pytest.raises(ApiError) as caught:
        tokens.token((CLOUD_READ_ONLY,))
    assert not isinstance(caught.value, ApiDenied) and caught.value.status == 502
    message = str(caught.value)
    assert "HTTP 502" in message and CLIENT_EMAIL in message and "<html>" not in message and len(message) < 300


def test_a_refusal_keeps_the_token_endpoints_status(google, key):
    client = client_for(google, key, (REPORTS_AUDIT_READ_ONLY,), subject="someone-else@example.com")
    with pytest.raises(GoogleAuthError) as caught:
        client.get("admin", "admin/reports/v1/activity/users/all/applications/token")
    assert caught.value.status == 401


def test_pages_follow_next_page_token_to_the_last_page(google, key):
    pages = [[{"n": 1}, {"n": 2}], [{"n": 3}], [{"n": 4}]]
    google.paged("/v1/projects/p1/services", "services", pages, CLOUD_READ_ONLY, expect={"filter": "state:ENABLED"})
    client = client_for(google, key)
    items = list(client.items("serviceusage", "v1/projects/p1/services", "services", {"filter": "state:ENABLED"}))
    assert [item["n"] for item in items] == [1, 2, 3, 4]
    assert [r.query.get("pageToken") for r in google.calls("/v1/projects/p1/services")] == [None, ["page-1"], ["page-2"]]


def test_throttling_is_retried_honouring_retry_after(google, key):
    google.answer("/v1/projects/p1/locations", (429, {"Retry-After": "3"}, error(429, "Quota exceeded", "RESOURCE_EXHAUSTED")[2]),
                  (200, {}, {"locations": [{"locationId": "us-central1"}]}))
    sleeps = []
    client = client_for(google, key, sleeps=sleeps)
    assert client.get("aiplatform", "v1/projects/p1/locations")["locations"][0]["locationId"] == "us-central1"
    assert sleeps == [3.0]


def test_a_403_is_a_denial_with_googles_reason(google, key):
    google.answer("/v1/projects/p1/locations/us-central1/models",
                  error(403, "Vertex AI API has not been used in project 1 before or it is disabled.", "PERMISSION_DENIED"))
    client = client_for(google, key)
    with pytest.raises(ApiDenied) as caught:
        client.get("aiplatform", "v1/projects/p1/locations/us-central1/models", region="us-central1")
    assert api_error_reason(caught.value).startswith("HTTP 403 PERMISSION_DENIED Vertex AI API has not been used")


def test_the_access_token_is_reused_then_renewed_once_after_a_401(google, key):
    google.paged("/v1/a", "items", [[{"n": 1}]], CLOUD_READ_ONLY)
    client = client_for(google, key)
    client.get("serviceusage", "v1/a")
    client.get("serviceusage", "v1/a")
    assert len(google.assertions) == 1
    google.issued.clear()  # the server forgets every token: the next call is answered 401
    assert client.get("serviceusage", "v1/a") == {"items": [{"n": 1}]}
    assert len(google.assertions) == 2


def test_the_token_url_option_overrides_the_key_file_and_the_audience_stays_googles(google, key):
    credentials = ServiceAccount.from_info(service_account_info(key, "https://oauth2.googleapis.com/token"))
    tokens = TokenSource(credentials, HttpClient(verify=google.server.ca_file), token_url=google.token_url)
    assert tokens.token((CLOUD_READ_ONLY,)).startswith("ya29.")
    assert len(google.assertions) == 1  # posted to the local endpoint, not to Google's
    assert google.assertions[0]["claims"]["aud"] == GOOGLE_TOKEN_AUDIENCE


def test_authorized_user_credentials_use_the_refresh_token_grant(key):
    seen = []

    def token(request):
        seen.append(request.form())
        return 200, {}, {"access_token": "ya29.user", "expires_in": 3599}
    with LocalHttpsServer({("POST", "/token"): token}) as server:
        credentials = AuthorizedUser.from_info({"type": "authorized_user", "client_id": "cid.apps.googleusercontent.com",
                                                "client_secret": "cs", "refresh_token": "1//rt",
                                                "token_uri": server.url + "/token"})
        assert TokenSource(credentials, HttpClient(verify=server.ca_file)).token((CLOUD_READ_ONLY,)) == "ya29.user"
    assert seen[0]["grant_type"] == "refresh_token" and seen[0]["refresh_token"] == "1//rt"
    assert "1//rt" not in repr(credentials) and "cs" not in repr(credentials).replace("client", "")
    with pytest.raises(GoogleCredentialsError, match="domain-wide delegation"):
        credentials.google_credentials(scopes=(REPORTS_AUDIT_READ_ONLY,), token_url="x", subject="admin@example.com")


def test_credentials_files_that_cannot_be_used_are_clear_errors_without_the_key(tmp_path, key):
    broken = service_account_info(key, "https://oauth2.googleapis.com/token")
    broken["private_key"] = broken["private_key"].replace("\n", "", 3)[:-40]
    path = tmp_path / "key.json"
    path.write_text(json.dumps(broken))
    with pytest.raises(GoogleCredentialsError) as caught:
        load_credentials(path)
    assert "not a PEM RSA key" in str(caught.value) and broken["private_key"][40:80] not in str(caught.value)
    path.write_text(json.dumps({"type": "external_account"}))
    with pytest.raises(GoogleCredentialsError, match="external_account"):
        load_credentials(path)
    path.write_text("not json")
    with pytest.raises(GoogleCredentialsError, match="not a JSON"):
        load_credentials(path)
    with pytest.raises(GoogleCredentialsError, match="No such file"):
        load_credentials(tmp_path / "missing.json")


def test_a_loaded_key_prints_no_key_material(tmp_path, key):
    path = tmp_path / "key.json"
    path.write_text(json.dumps(service_account_info(key, "https://oauth2.googleapis.com/token")))
    credentials = load_credentials(path)
    body = private_pem(key).splitlines()[5]
    assert body not in repr(credentials) and body not in str(vars(credentials) if hasattr(credentials, "__dict__") else "")
    assert credentials.fingerprint.startswith("sha256:") and len(credentials.fingerprint) == 23


def test_endpoints_are_regional_for_vertex_and_overridable():
    assert Endpoints().base("aiplatform", "europe-west4") == "https://europe-west4-aiplatform.googleapis.com"
    assert Endpoints().base("aiplatform") == "https://aiplatform.googleapis.com"
    assert Endpoints().base("admin") == "https://admin.googleapis.com"
    overrides = parse_endpoint_overrides(["https://proxy.internal", "admin=https://admin.internal/"])
    assert Endpoints(overrides).base("admin") == "https://admin.internal"
    assert Endpoints(overrides).base("aiplatform", "us-east1") == "https://proxy.internal"
    with pytest.raises(ValueError, match="unknown API"):
        parse_endpoint_overrides(["vertex=https://x"])
    with pytest.raises(ValueError, match="https://"):
        parse_endpoint_overrides(["ftp://x"])

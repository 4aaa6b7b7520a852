"""The Microsoft client with msal and requests against a local identity platform, Graph and ARM over HTTPS."""

from __future__ import annotations

import datetime
import logging

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from scanner.clients.http import ApiDenied, ApiUnavailable, HttpClient, RetryPolicy
from scanner.clients.microsoft import (ARM_SCOPE, GRAPH_SCOPE, CredentialsError, MicrosoftClient,
                                       MicrosoftCredentials, MicrosoftEndpoints, TokenDenied, describe_error)
from tests.support.microsoft_cloud import SECRET, MicrosoftCloud, graph_error


def client_for(cloud: MicrosoftCloud, sleeps: list | None = None, **credentials) -> MicrosoftClient:
    http = HttpClient(verify=cloud.ca_file, retry=RetryPolicy(attempts=3, backoff=0.01,
                                                              sleep=(sleeps if sleeps is not None else []).append))
    return MicrosoftClient(cloud.credentials(**credentials), cloud.endpoints(), http=http, verify=cloud.ca_file)


def test_msal_discovers_the_local_authority_and_gets_one_token_per_resource():
    with MicrosoftCloud() as cloud:
        cloud.graph("GET", "/v1.0/organization", lambda r: (200, {}, {"value": [{"id": cloud.tenant}]}))
        cloud.arm("GET", "/subscriptions", lambda r: (200, {}, {"value": []}))
        client = client_for(cloud)
        assert client.graph_get("/v1.0/organization")["value"][0]["id"] == cloud.tenant
        assert client.arm_get("/subscriptions", "2022-12-01") == {"value": []}
        client.graph_get("/v1.0/organization")  # the cached Graph token is reused
        discovery = cloud.requests_to(f"/{cloud.tenant}/v2.0/.well-known/openid-configuration")
    assert len(discovery) == 1
    assert [form["scope"] for form in cloud.token_requests] == [GRAPH_SCOPE, ARM_SCOPE]
    assert all(form["grant_type"] == "client_credentials" for form in cloud.token_requests)
    assert all(form["client_id"] == cloud.client_id for form in cloud.token_requests)


def test_a_graph_token_is_not_accepted_by_arm():
    with MicrosoftCloud() as cloud:
        cloud.arm("GET", "/subscriptions", lambda r: (200, {}, {"value": []}))
        client = client_for(cloud)
        client.endpoints = MicrosoftEndpoints(cloud.url, cloud.url, cloud.url, arm_scope=GRAPH_SCOPE)
        with pytest.raises(ApiDenied) as denied:
            client.arm_get("/subscriptions", "2022-12-01")
    assert denied.value.status == 401


def test_graph_paging_follows_odata_next_link_to_the_end():
    items = [{"id": str(n)} for n in range(7)]
    with MicrosoftCloud() as cloud:
        cloud.graph_collection("/v1.0/servicePrincipals", items, page_size=3)
        got = list(client_for(cloud).graph_pages("/v1.0/servicePrincipals", {"$top": "3"}))
        pages = cloud.requests_to("/v1.0/servicePrincipals")
    assert [item["id"] for item in got] == [str(n) for n in range(7)]
    assert len(pages) == 3
    assert pages[0].query == {"$top": ["3"]} and pages[1].query == {"$skiptoken": ["3"]}


def test_arm_paging_follows_next_link_keeping_the_api_version():
    items = [{"id": f"/subscriptions/{n}"} for n in range(5)]
    with MicrosoftCloud() as cloud:
        cloud.arm_collection("/subscriptions", items, page_size=2, api_version="2022-12-01")
        got = list(client_for(cloud).arm_pages("/subscriptions", "2022-12-01"))
        pages = cloud.requests_to("/subscriptions")
    assert len(got) == 5 and len(pages) == 3
    assert all(page.query["api-version"] == ["2022-12-01"] for page in pages)


def test_a_next_link_to_another_host_is_not_followed_with_the_token():
    with MicrosoftCloud() as cloud:
        cloud.graph("GET", "/v1.0/users", lambda r: (200, {}, {
            "value": [{"id": "1"}], "@odata.nextLink": "https://graph.evil.example/v1.0/users?$skiptoken=2"}))
        pages = client_for(cloud).graph_pages("/v1.0/users")
        assert next(pages) == {"id": "1"}
        with pytest.raises(ApiUnavailable, match="not followed"):
            next(pages)


def test_paging_stops_between_pages_when_asked():
    with MicrosoftCloud() as cloud:
        cloud.graph_collection("/v1.0/users", [{"id": str(n)} for n in range(6)], page_size=2)
        got = list(client_for(cloud).graph_pages("/v1.0/users", stop=lambda: True))
        assert len(cloud.requests_to("/v1.0/users")) == 1
    assert len(got) == 2


def test_throttling_is_retried_honouring_retry_after():
    answers = iter([(429, {"Retry-After": "3"}, {"error": {"code": "TooManyRequests", "message": "throttled"}}),
                    (200, {}, {"value": [{"id": "a"}]})])
    sleeps: list[float] = []
    with MicrosoftCloud() as cloud:
        cloud.graph("GET", "/v1.0/subscribedSkus", lambda r: next(answers))
        got = list(client_for(cloud, sleeps).graph_pages("/v1.0/subscribedSkus"))
    assert got == [{"id": "a"}] and sleeps == [3.0]


def test_a_denied_call_says_which_graph_error_it_was():
    with MicrosoftCloud() as cloud:
        cloud.graph("GET", "/v1.0/auditLogs/signIns", lambda r: graph_error(
            403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license"))
        with pytest.raises(ApiDenied) as denied:
            list(client_for(cloud).graph_pages("/v1.0/auditLogs/signIns"))
    assert describe_error(denied.value) == "HTTP 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant"


def test_a_wrong_secret_is_a_token_denial_that_never_quotes_the_secret(caplog):
    caplog.set_level(logging.DEBUG)
    with MicrosoftCloud() as cloud:
        cloud.graph("GET", "/v1.0/organization", lambda r: (200, {}, {"value": []}))
        wrong = "Wr0ng~" + SECRET
        with pytest.raises(TokenDenied) as denied:
            client_for(cloud, client_secret=wrong).graph_get("/v1.0/organization")
    assert "AADSTS7000215" in str(denied.value) and "invalid_client" in str(denied.value)
    assert wrong not in str(denied.value) and SECRET not in str(denied.value)
    assert SECRET not in caplog.text and wrong not in caplog.text
    assert SECRET not in repr(cloud.credentials())


def test_an_authority_without_a_discovery_document_is_unavailable():
    with MicrosoftCloud() as cloud:
        client = client_for(cloud, tenant_id="00000000-0000-0000-0000-000000000000")
        with pytest.raises(ApiUnavailable, match="authority"):
            client.graph_get("/v1.0/organization")


def test_certificate_checking_stays_on_for_msal():
    with MicrosoftCloud() as cloud:
        client = MicrosoftClient(cloud.credentials(), cloud.endpoints(),
                                 http=HttpClient(retry=RetryPolicy(attempts=1)))
        with pytest.raises(ApiUnavailable):
            client.graph_get("/v1.0/organization")
        assert cloud.token_requests == []


def certificate_files(tmp_path, password: bytes | None = None):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "shadowai-scanner")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    pem = tmp_path / "scanner.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
                    + certificate.public_bytes(serialization.Encoding.PEM))
    pfx = tmp_path / "scanner.pfx"
    pfx.write_bytes(pkcs12.serialize_key_and_certificates(b"scanner", key, certificate, None, encryption))
    return certificate.public_bytes(serialization.Encoding.PEM), pem, pfx


@pytest.mark.parametrize("kind", ["pem", "pfx"])
def test_a_certificate_signs_the_client_assertion(tmp_path, kind):
    certificate, pem, pfx = certificate_files(tmp_path, password=b"pfx-pass")
    with MicrosoftCloud(secret=None, certificate_pem=certificate) as cloud:
        cloud.graph("GET", "/v1.0/organization", lambda r: (200, {}, {"value": [{"id": "t"}]}))
        credentials = MicrosoftCredentials(cloud.tenant, cloud.client_id,
                                           certificate_path=str(pem if kind == "pem" else pfx),
                                           certificate_password="pfx-pass")
        client = MicrosoftClient(credentials, cloud.endpoints(), verify=cloud.ca_file)
        assert client.graph_get("/v1.0/organization")["value"] == [{"id": "t"}]
    form = cloud.token_requests[0]
    assert "client_secret" not in form and form["client_assertion"].count(".") == 2
    described = credentials.describe()
    assert described["credential"] == "certificate" and len(described["certificate_sha256"]) == 64


def test_a_certificate_with_the_wrong_password_is_a_credentials_error(tmp_path):
    _, pem, _ = certificate_files(tmp_path, password=b"right")
    with pytest.raises(CredentialsError, match="unusable client certificate"):
        MicrosoftCredentials("t", "c", certificate_path=str(pem), certificate_password="wrong").msal_credential()


def test_credentials_come_from_the_azure_environment_variables():
    env = {"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "s3cret"}
    credentials = MicrosoftCredentials.from_environment(env)
    assert (credentials.tenant_id, credentials.client_id, credentials.kind) == ("t", "c", "client-secret")
    assert "s3cret" not in repr(credentials) and "s3cret" not in str(credentials.describe())
    with pytest.raises(CredentialsError, match="AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH"):
        MicrosoftCredentials.from_environment({"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c"})
    certificate = MicrosoftCredentials.from_environment({**env, "AZURE_CLIENT_SECRET": "",
                                                         "AZURE_CLIENT_CERTIFICATE_PATH": "/x.pem"})
    assert certificate.kind == "certificate" and certificate.client_secret is None


def test_endpoints_must_be_https():
    with pytest.raises(CredentialsError, match="https"):
        MicrosoftEndpoints(graph="http://127.0.0.1:8080")

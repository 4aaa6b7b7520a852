"""The shared HTTP client against a real HTTPS server on loopback: retries, Retry-After, typed failures."""

import pytest

from scanner.clients.http import ApiDenied, ApiUnavailable, HttpClient, RetryPolicy
from tests.support.https_server import LocalHttpsServer


def client(server, sleeps):
    return HttpClient(verify=server.ca_file, retry=RetryPolicy(attempts=3, backoff=0.25, sleep=sleeps.append))


def test_throttling_is_retried_honouring_retry_after():
    answers = iter([(429, {"Retry-After": "7"}, {}), (503, {}, {}), (200, {}, {"ok": True})])
    sleeps = []
    with LocalHttpsServer({("GET", "/items"): lambda r: next(answers)}) as server:
        response = client(server, sleeps).get(server.url + "/items")
    assert response.json() == {"ok": True}
    assert sleeps == [7.0, 0.5]


def test_a_denied_call_is_a_typed_error_without_the_query_string():
    with LocalHttpsServer({("GET", "/secret"): lambda r: (403, {}, {"error": "Forbidden"})}) as server:
        with pytest.raises(ApiDenied) as caught:
            client(server, []).get(server.url + "/secret?sig=TOKEN123")
    assert caught.value.status == 403 and "TOKEN123" not in str(caught.value)


def test_persistent_server_errors_end_as_unavailable_after_the_attempts():
    with LocalHttpsServer({("GET", "/down"): lambda r: (500, {}, "boom")}) as server:
        with pytest.raises(ApiUnavailable, match="HTTP 500"):
            client(server, []).get(server.url + "/down")
        assert len(server.requests) == 3


def test_certificate_checking_stays_on():
    with LocalHttpsServer({("GET", "/"): lambda r: (200, {}, "hi")}) as server:
        with pytest.raises(ApiUnavailable):
            HttpClient(retry=RetryPolicy(attempts=1)).get(server.url + "/")

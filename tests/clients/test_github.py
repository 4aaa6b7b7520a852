"""The GitHub client against a local HTTPS server speaking the documented REST API: Link paging, headers,
primary and secondary rate limits, denials, and GitHub Enterprise Server's /api/v3 root."""

import time

import pytest

from scanner.clients.github import GitHubClient
from scanner.clients.http import ApiDenied, ApiUnavailable, RetryPolicy
from tests.support.https_server import LocalHttpsServer

TOKEN = "ghp_TESTTOKEN0123456789abcdefghijklmnopqr"


def github(server, sleeps=None, *, root=""):
    retry = RetryPolicy(attempts=3, backoff=0.25, sleep=(sleeps if sleeps is not None else []).append)
    return GitHubClient(TOKEN, api_url=server.url + root, verify=server.ca_file, retry=retry)


def link_next(server, path, page):
    return {"Link": f'<{server.url}{path}?per_page=100&page={page}>; rel="next", '
                    f'<{server.url}{path}?per_page=100&page=3>; rel="last"'}


def test_paginate_follows_link_rel_next_to_the_last_page():
    path = "/orgs/acme/installations"

    def installations(request):
        page = int(request.query.get("page", ["1"])[0])
        body = {"total_count": 5, "installations": [{"id": page * 10 + i} for i in range(2 if page < 3 else 1)]}
        return 200, link_next(server, path, page + 1) if page < 3 else {}, body

    with LocalHttpsServer({("GET", path): installations}) as server:
        ids = [item["id"] for item in github(server).installations("acme")]
    assert ids == [10, 11, 20, 21, 30]
    assert [r.query.get("page", ["1"])[0] for r in server.requests] == ["1", "2", "3"]
    assert server.requests[0].query["per_page"] == ["100"]


def test_requests_carry_the_token_as_bearer_and_the_documented_api_headers():
    with LocalHttpsServer({("GET", "/orgs/acme/credential-authorizations"): lambda r: (200, {}, [])}) as server:
        assert list(github(server).credential_authorizations("acme")) == []
    headers = {k.lower(): v for k, v in server.requests[0].headers.items()}
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"


def test_a_secondary_rate_limit_403_is_retried_after_retry_after():
    limited = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
                          "again.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits"}
    answers = iter([(403, {"Retry-After": "7"}, limited), (200, {}, {"total_seats": 0, "seats": []})])
    sleeps = []
    with LocalHttpsServer({("GET", "/orgs/acme/copilot/billing/seats"): lambda r: next(answers)}) as server:
        assert list(github(server, sleeps).copilot_seats("acme")) == []
    assert sleeps == [7.0] and len(server.requests) == 2


def test_a_secondary_rate_limit_without_headers_waits_a_minute():
    limited = {"message": "You have exceeded a secondary rate limit."}
    answers = iter([(429, {}, limited), (200, {}, [])])
    sleeps = []
    with LocalHttpsServer({("GET", "/orgs/acme/credential-authorizations"): lambda r: next(answers)}) as server:
        list(github(server, sleeps).credential_authorizations("acme"))
    assert sleeps == [60.0]


def test_an_exhausted_primary_rate_limit_waits_until_x_ratelimit_reset():
    reset = str(int(time.time()) + 30)
    answers = iter([(403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset},
                     {"message": "API rate limit exceeded for user ID 1."}), (200, {}, [])])
    sleeps = []
    with LocalHttpsServer({("GET", "/orgs/acme/credential-authorizations"): lambda r: next(answers)}) as server:
        list(github(server, sleeps).credential_authorizations("acme"))
    assert len(sleeps) == 1 and 25 <= sleeps[0] <= 31


def test_rate_limiting_that_outlasts_the_retries_is_unavailable_not_denied():
    limited = (403, {"Retry-After": "1"}, {"message": "You have exceeded a secondary rate limit."})
    with LocalHttpsServer({("GET", "/orgs/acme/installations"): lambda r: limited}) as server:
        with pytest.raises(ApiUnavailable):
            list(github(server).installations("acme"))
        assert len(server.requests) == 3


def test_a_plain_403_is_a_denial_and_is_not_retried():
    forbidden = (403, {}, {"message": "Must have admin rights to Repository.",
                           "documentation_url": "https://docs.github.com/rest"})
    with LocalHttpsServer({("GET", "/orgs/acme/copilot/billing/seats"): lambda r: forbidden}) as server:
        with pytest.raises(ApiDenied) as caught:
            list(github(server).copilot_seats("acme"))
        assert len(server.requests) == 1
    assert caught.value.status == 403 and TOKEN not in str(caught.value)


def test_a_next_link_to_another_host_is_not_followed():
    def installations(request):
        return 200, {"Link": '<https://elsewhere.example/orgs/acme/installations?page=2>; rel="next"'}, \
            {"installations": [{"id": 1}]}

    with LocalHttpsServer({("GET", "/orgs/acme/installations"): installations}) as server:
        items = github(server).installations("acme")
        assert next(items) == {"id": 1}
        with pytest.raises(ApiUnavailable, match="leaves"):
            next(items)
        assert len(server.requests) == 1


def test_enterprise_server_is_reached_under_api_v3_and_named_by_its_host():
    with LocalHttpsServer({("GET", "/api/v3/orgs/acme/installations"):
                           lambda r: (200, {}, {"total_count": 1, "installations": [{"id": 9}]})}) as server:
        client = github(server, root="/api/v3")
        assert [i["id"] for i in client.installations("acme")] == [9]
    assert client.host == "127.0.0.1"
    assert GitHubClient(TOKEN).host == "github.com"


def test_an_api_url_without_https_is_refused():
    with pytest.raises(ValueError):
        GitHubClient(TOKEN, api_url="http://ghe.example.com/api/v3")

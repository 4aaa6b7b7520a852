"""The Slack client against a local HTTPS server speaking the documented Web API: form POSTs with a bearer
token, the ``ok`` field, cursor and page-number paging, error codes, and rate limits."""

import pytest

from scanner.clients.http import ApiUnavailable, RetryPolicy
from scanner.clients.slack import SlackClient, SlackDenied
from tests.support.https_server import LocalHttpsServer

TOKEN = "xoxp-1111111111-2222222222-3333333333-abcdefabcdefabcdefabcdefabcdef12"


def slack(server, sleeps=None):
    retry = RetryPolicy(attempts=3, backoff=0.25, sleep=(sleeps if sleeps is not None else []).append)
    return SlackClient(TOKEN, api_url=server.url + "/api", verify=server.ca_file, retry=retry)


def test_methods_are_form_posts_with_the_token_in_the_authorization_header():
    with LocalHttpsServer({("POST", "/api/team.integrationLogs"):
                           lambda r: (200, {}, {"ok": True, "logs": [], "paging": {"pages": 1}})}) as server:
        assert list(slack(server).integration_logs(team_id="T1")) == []
    request = server.requests[0]
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.form() == {"count": "100", "team_id": "T1", "page": "1"}


def test_cursor_paging_follows_next_cursor_until_it_is_empty():
    pages = {None: ("c2", ["A1", "A2"]), "c2": ("c3", ["A3"]), "c3": ("", ["A4"])}

    def approved(request):
        cursor = request.form().get("cursor")
        next_cursor, ids = pages[cursor]
        return 200, {}, {"ok": True, "approved_apps": [{"app": {"id": i}} for i in ids],
                         "response_metadata": {"next_cursor": next_cursor}}

    with LocalHttpsServer({("POST", "/api/admin.apps.approved.list"): approved}) as server:
        ids = [item["app"]["id"] for item in slack(server).approved_apps(enterprise_id="E1")]
    assert ids == ["A1", "A2", "A3", "A4"]
    forms = [r.form() for r in server.requests]
    assert [f.get("cursor") for f in forms] == [None, "c2", "c3"]
    assert forms[0]["enterprise_id"] == "E1" and forms[0]["limit"] == "1000"


def test_team_id_replaces_enterprise_id_as_the_api_requires():
    with LocalHttpsServer({("POST", "/api/admin.apps.requests.list"):
                           lambda r: (200, {}, {"ok": True, "app_requests": []})}) as server:
        list(slack(server).app_requests(team_id="T9", enterprise_id="E1"))
    form = server.requests[0].form()
    assert form["team_id"] == "T9" and "enterprise_id" not in form


def test_the_integration_log_is_read_page_by_page_up_to_paging_pages():
    def logs(request):
        page = int(request.form()["page"])
        return 200, {}, {"ok": True, "logs": [{"app_id": f"A{page}"}],
                         "paging": {"count": 1, "total": 3, "page": page, "pages": 3}}

    with LocalHttpsServer({("POST", "/api/team.integrationLogs"): logs}) as server:
        assert [e["app_id"] for e in slack(server).integration_logs()] == ["A1", "A2", "A3"]


@pytest.mark.parametrize("body, error, needed", [
    ({"ok": False, "error": "missing_scope", "needed": "admin.apps:read", "provided": "admin"},
     "missing_scope", "admin.apps:read"),
    ({"ok": False, "error": "not_allowed_token_type"}, "not_allowed_token_type", None),
    ({"ok": False, "error": "paid_only"}, "paid_only", None),
    ({"ok": False, "error": "invalid_auth"}, "invalid_auth", None),
])
def test_refusals_in_ok_false_bodies_are_typed_denials(body, error, needed):
    with LocalHttpsServer({("POST", "/api/team.integrationLogs"): lambda r: (200, {}, body)}) as server:
        with pytest.raises(SlackDenied) as caught:
            list(slack(server).integration_logs())
    assert caught.value.error == error and caught.value.needed == needed
    assert error in str(caught.value) and TOKEN not in str(caught.value)


def test_an_unknown_error_is_unavailable():
    with LocalHttpsServer({("POST", "/api/auth.test"):
                           lambda r: (200, {}, {"ok": False, "error": "internal_error"})}) as server:
        with pytest.raises(ApiUnavailable, match="internal_error"):
            slack(server).identity()


def test_http_429_ratelimited_is_retried_after_retry_after():
    answers = iter([(429, {"Retry-After": "3"}, {"ok": False, "error": "ratelimited"}),
                    (200, {}, {"ok": True, "logs": [], "paging": {"pages": 1}})])
    sleeps = []
    with LocalHttpsServer({("POST", "/api/team.integrationLogs"): lambda r: next(answers)}) as server:
        assert list(slack(server, sleeps).integration_logs()) == []
    assert sleeps == [3.0]


def test_a_ratelimited_body_in_a_200_is_retried_too():
    answers = iter([(200, {"Retry-After": "2"}, {"ok": False, "error": "ratelimited"}),
                    (200, {}, {"ok": True, "url": "https://acme.slack.com/"})])
    sleeps = []
    with LocalHttpsServer({("POST", "/api/auth.test"): lambda r: next(answers)}) as server:
        assert slack(server, sleeps).identity()["url"] == "https://acme.slack.com/"
    assert sleeps == [2.0]


def test_rate_limiting_that_outlasts_the_retries_is_unavailable():
    limited = (429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"})
    with LocalHttpsServer({("POST", "/api/auth.test"): lambda r: limited}) as server:
        with pytest.raises(ApiUnavailable):
            slack(server).identity()
        assert len(server.requests) == 3

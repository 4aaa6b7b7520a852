"""The GitLab client against a local HTTPS server speaking the documented REST API v4: the PRIVATE-TOKEN
header, keyset and offset pagination through Link headers, x-next-page, throttling and denials."""

import pytest

from scanner.clients.gitlab import GitLabClient
from scanner.clients.http import ApiDenied, ApiNotFound, ApiUnavailable, RetryPolicy
from tests.support.https_server import LocalHttpsServer

TOKEN = "glpat-TESTTOKEN0123456789ab"


def gitlab(server, sleeps=None, root="/api/v4"):
    retry = RetryPolicy(attempts=3, backoff=0.25, sleep=(sleeps if sleeps is not None else []).append)
    return GitLabClient(TOKEN, api_url=server.url + root, verify=server.ca_file, retry=retry)


def test_keyset_pagination_asks_for_it_and_follows_the_cursor_in_link():
    def projects(request):
        if "id_after" not in request.query:
            link = f'<{server.url}/api/v4/projects?pagination=keyset&per_page=100&order_by=id&sort=asc&id_after=2>'
            return 200, {"Link": f'{link}; rel="next"'}, [{"id": 1}, {"id": 2}]
        return 200, {}, [{"id": 3}]

    with LocalHttpsServer({("GET", "/api/v4/projects"): projects}) as server:
        ids = [p["id"] for p in gitlab(server).paginate("/projects", keyset=True)]
    assert ids == [1, 2, 3]
    first, second = server.requests
    assert {k: v[0] for k, v in first.query.items()} == {"per_page": "100", "pagination": "keyset",
                                                          "order_by": "id", "sort": "asc"}
    assert second.query["id_after"] == ["2"] and first.headers["PRIVATE-TOKEN"] == TOKEN


def test_offset_pagination_follows_link_and_stops_on_the_last_page():
    def groups(request):
        page = int(request.query.get("page", ["1"])[0])
        link = {"Link": f'<{server.url}/api/v4/groups/7/projects?page={page + 1}&per_page=100>; rel="next"'} \
            if page < 3 else {}
        return 200, {**link, "x-page": str(page)}, [{"id": page}]

    with LocalHttpsServer({("GET", "/api/v4/groups/7/projects"): groups}) as server:
        assert [p["id"] for p in gitlab(server).group_projects("7")] == [1, 2, 3]


def test_a_next_link_to_another_origin_is_not_followed():
    answer = (200, {"Link": '<https://elsewhere.example/api/v4/projects?page=2>; rel="next"'}, [{"id": 1}])
    with LocalHttpsServer({("GET", "/api/v4/projects"): lambda r: answer}) as server:
        with pytest.raises(ApiUnavailable, match="leaves"):
            list(gitlab(server).paginate("/projects"))


def test_throttling_is_retried_after_retry_after_and_denials_and_unknown_groups_are_typed():
    answers = iter([(429, {"Retry-After": "3"}, {"message": "429 Too Many Requests"}), (200, {}, [])])
    sleeps = []
    with LocalHttpsServer({("GET", "/api/v4/groups/acme/projects"): lambda r: next(answers),
                           ("GET", "/api/v4/groups/secret/projects"):
                               lambda r: (401, {}, {"message": "401 Unauthorized"})}) as server:
        assert list(gitlab(server, sleeps).group_projects("acme")) == []
        with pytest.raises(ApiDenied):
            list(gitlab(server).group_projects("secret"))
        with pytest.raises(ApiNotFound):
            list(gitlab(server).group_projects("nobody"))
    assert sleeps == [3.0]


@pytest.mark.parametrize("api_url, web", [("https://gitlab.com/api/v4", "https://gitlab.com/"),
                                          ("https://git.example/gitlab/api/v4/", "https://git.example/gitlab/")])
def test_the_web_url_is_the_api_root_without_api_v4(api_url, web):
    assert GitLabClient(TOKEN, api_url=api_url).web_url == web


def test_only_https_api_urls_are_accepted():
    with pytest.raises(ValueError):
        GitLabClient(TOKEN, api_url="http://gitlab.internal/api/v4")

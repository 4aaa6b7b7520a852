"""GitHubClient.org_repositories and web_url: the documented list endpoint and where git is served."""

import pytest

from scanner.clients.github import GitHubClient
from tests.support.https_server import LocalHttpsServer


def test_org_repositories_asks_for_every_type_and_follows_link_paging():
    def repos(request):
        if request.query.get("page") == ["2"]:
            return 200, {}, [{"full_name": "acme/b"}]
        return 200, {"Link": f'<{server.url}/orgs/acme/repos?type=all&per_page=100&page=2>; rel="next"'}, \
            [{"full_name": "acme/a"}]

    with LocalHttpsServer({("GET", "/orgs/acme/repos"): repos}) as server:
        client = GitHubClient("ghp_x", api_url=server.url, verify=server.ca_file)
        assert [r["full_name"] for r in client.org_repositories("acme")] == ["acme/a", "acme/b"]
    assert server.requests[0].query == {"per_page": ["100"], "type": ["all"]}


@pytest.mark.parametrize("api_url, web", [("https://api.github.com", "https://github.com/"),
                                          ("https://ghe.example/api/v3", "https://ghe.example/")])
def test_the_web_url_is_where_git_is_served(api_url, web):
    assert GitHubClient("ghp_x", api_url=api_url).web_url == web

"""`scan repo --github-org` / `--gitlab-group`: repositories listed through a local HTTPS server that speaks the
documented APIs (Link paging), cloned from bare repositories made by the test, the token sent to git only in
its environment."""

import base64
import json
import sqlite3

import pytest

from scanner.modules.repo.git_clone import with_auth_header
from scanner.modules.repo.targets import CloneAuth
from tests.cli.runner import shadowai
from tests.modules.repo.git_http import bare_clone, serve_repository
from tests.modules.repo.git_repos import make_repo, needs_git
from tests.support.https_server import LocalHttpsServer

pytestmark = needs_git

GITHUB_TOKEN = "ghp_TESTTOKENorgListing0123456789abcdefgh"
GITLAB_TOKEN = "glpat-TESTTOKENgroupListing0123"


def bare(tmp_path, name, files):
    make_repo(tmp_path / "work" / name, files)
    return bare_clone(tmp_path / "work" / name, tmp_path / "served" / f"{name}.git").as_uri()


def rows(db_path, query):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(query)]


def github_repo(name, clone_url, **extra):
    return {"id": abs(hash(name)) % 10000, "name": name, "full_name": f"acme/{name}", "private": True,
            "fork": False, "archived": False, "disabled": False, "clone_url": clone_url,
            "html_url": f"https://github.example/acme/{name}", **extra}


@pytest.fixture
def tokens(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_TOKEN)
    monkeypatch.setenv("GITLAB_TOKEN", GITLAB_TOKEN)


def test_an_organisations_repositories_are_listed_page_by_page_and_scanned(tmp_path, db_path, tokens, monkeypatch):
    bot = bare(tmp_path, "bot", {"requirements.txt": "openai==1.40\n"})
    old = bare(tmp_path, "old", {"a.py": "import anthropic\n"})
    fork = bare(tmp_path, "fork", {"a.py": "import cohere\n"})
    pages = {"1": [github_repo("bot", bot), github_repo("old", old, archived=True)],
             "2": [github_repo("fork", fork, fork=True), github_repo("gone", "", disabled=True)]}

    def repos(request):
        page = request.query.get("page", ["1"])[0]
        link = {"Link": f'<{server.url}/orgs/acme/repos?type=all&per_page=100&page=2>; rel="next"'} \
            if page == "1" else {}
        return 200, link, pages[page]

    with LocalHttpsServer({("GET", "/orgs/acme/repos"): repos}) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
        result = shadowai("scan", "repo", "--github-org", "acme", "--api-url", server.url, "--db", db_path)
        again = shadowai("scan", "repo", "--github-org", "acme", "--api-url", server.url, "--no-archived",
                         "--forks", "--db", db_path, "-q")
    assert result.exit_code == 1, result.output  # the disabled repository is a coverage gap
    assert [(r.headers["Authorization"], r.query["type"], r.query.get("page", ["1"])) for r in server.requests[:2]] \
        == [(f"Bearer {GITHUB_TOKEN}", ["all"], ["1"]), (f"Bearer {GITHUB_TOKEN}", ["all"], ["2"])]
    first, second = rows(db_path, "select * from runs order by id")
    assert {(f["subject"], f["service_id"]) for f in rows(db_path, "select * from findings where first_run = 1")} \
        == {(bot, "openai-api"), (old, "anthropic-api")}
    counts = json.loads(first["counts"])
    assert (counts["github_repositories_listed"], counts["repositories_skipped_fork"], counts["repositories"]) \
        == (4, 1, 2)
    assert json.loads(first["coverage_gaps"]) == [{"what": "github:acme/acme/gone",
                                                    "why": "not scanned: access disabled by GitHub"}]
    assert json.loads(first["parameters"])["organisations"] == [
        {"host": "github", "owner": "acme", "include_archived": True, "include_forks": False}]
    assert {f["subject"] for f in rows(db_path, "select * from findings where last_run = 2")} == {bot, fork}
    assert json.loads(second["counts"])["repositories_skipped_archived"] == 1
    for output in (result.stdout, result.stderr, again.stderr):
        assert GITHUB_TOKEN not in output
    stored = b"".join(p.read_bytes() for p in tmp_path.glob(db_path.name + "*"))
    assert GITHUB_TOKEN.encode() not in stored


def test_a_gitlab_groups_projects_include_subgroups_and_skip_forks_and_empty_ones(tmp_path, db_path, tokens,
                                                                                   monkeypatch):
    api = bare(tmp_path, "api", {"go.mod": "module x\n\nrequire github.com/sashabaranov/go-openai v1.32.0\n"})
    forked = bare(tmp_path, "forked", {"a.py": "import openai\n"})
    projects = [
        {"id": 7, "path_with_namespace": "acme/platform/api", "http_url_to_repo": api, "archived": False,
         "empty_repo": False, "repository_access_level": "enabled"},
        {"id": 8, "path_with_namespace": "acme/platform/forked", "http_url_to_repo": forked, "archived": False,
         "forked_from_project": {"id": 1}, "empty_repo": False},
        {"id": 9, "path_with_namespace": "acme/blank", "http_url_to_repo": "https://gitlab.example/acme/blank.git",
         "archived": False, "empty_repo": True},
    ]

    def group_projects(request):
        page = int(request.query.get("page", ["1"])[0])
        headers = {"x-next-page": "2"} if page == 1 else {}  # a proxy that dropped Link: the offset header
        return 200, headers, projects[:2] if page == 1 else projects[2:]

    with LocalHttpsServer({("GET", "/api/v4/groups/acme%2Fplatform/projects"): group_projects,
                           ("GET", "/api/v4/groups/acme/platform/projects"): group_projects}) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
        result = shadowai("scan", "repo", "--gitlab-group", "acme/platform", "--api-url", f"{server.url}/api/v4",
                          "--db", db_path, "-q")
    assert result.exit_code == 0, result.output
    request = server.requests[0]
    assert request.headers["PRIVATE-TOKEN"] == GITLAB_TOKEN
    assert {k: v[0] for k, v in request.query.items()} == {
        "per_page": "100", "include_subgroups": "true", "with_shared": "false", "order_by": "id", "sort": "asc"}
    assert [r.query.get("page", ["1"])[0] for r in server.requests] == ["1", "2"]
    assert [(f["subject"], f["service_id"]) for f in rows(db_path, "select * from findings")] == [(api, "openai-api")]
    counts = json.loads(rows(db_path, "select counts from runs")[0]["counts"])
    assert (counts["gitlab_repositories_listed"], counts["repositories_skipped_fork"], counts["repositories_empty"]) \
        == (3, 1, 1)


def test_a_denied_listing_is_an_error_and_a_gap_and_the_other_targets_are_still_scanned(tmp_path, db_path, tokens,
                                                                                        monkeypatch):
    local = make_repo(tmp_path / "local", {"a.py": "import openai\n"})
    denied = (403, {}, {"message": "Resource not accessible by personal access token",
                        "documentation_url": "https://docs.github.com/rest/repos/repos#list-organization-repositories"})
    with LocalHttpsServer({("GET", "/orgs/acme/repos"): lambda r: denied}) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
        result = shadowai("scan", "repo", local, "--github-org", "acme", "--api-url", server.url, "--db", db_path)
    assert result.exit_code == 1
    assert "github:acme: cannot list repositories" in result.stderr and GITHUB_TOKEN not in result.stderr
    [run] = rows(db_path, "select * from runs")
    [gap] = json.loads(run["coverage_gaps"])
    assert gap["what"] == "github:acme" and gap["why"].startswith("repositories not listed: permission denied (403)")
    assert [f["subject"] for f in rows(db_path, "select * from findings")] == [local]


def test_the_token_authenticates_the_clone_through_gits_environment_only(tmp_path, db_path, tokens, monkeypatch):
    make_repo(tmp_path / "work" / "private", {"client.ts": "import Anthropic from '@anthropic-ai/sdk'\n"})
    bare_clone(tmp_path / "work" / "private", tmp_path / "served" / "acme" / "private.git")
    expected = "Basic " + base64.b64encode(f"x-access-token:{GITHUB_TOKEN}".encode()).decode()
    with LocalHttpsServer() as server:
        clone_url = serve_repository(server, tmp_path / "served", "acme/private.git", expected)
        server.routes[("GET", "/orgs/acme/repos")] = lambda r: (200, {}, [github_repo("private", clone_url)])
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
        monkeypatch.setenv("GIT_SSL_CAINFO", server.ca_file)
        result = shadowai("scan", "repo", "--github-org", "acme", "--api-url", server.url, "--db", db_path, "-q")
        monkeypatch.setenv("GITHUB_TOKEN", "ghp_WRONGtoken000000000000000000000000000")
        refused = shadowai("scan", "repo", "--github-org", "acme", "--api-url", server.url, "--db", db_path, "-q")
    assert result.exit_code == 0, result.output
    assert [(f["subject"], f["service_id"]) for f in rows(db_path, "select * from findings")] == [
        (clone_url, "anthropic-api")]
    git_requests = [r for r in server.requests if "/acme/private.git/" in r.path]
    assert git_requests and all(r.headers.get("Authorization", "").startswith("Basic ") for r in git_requests)
    assert refused.exit_code == 1 and "git clone failed" in refused.stderr  # the server refused the wrong token
    for output in (result.stdout, result.stderr, refused.stderr):
        assert GITHUB_TOKEN not in output and "WRONGtoken" not in output


@pytest.mark.parametrize("url, sent", [
    ("https://github.com/acme/a.git", True),
    ("https://github.com.evil.example/acme/a.git", False),  # another host that starts with the same text
    ("https://gitlab.com/acme/a.git", False),
    ("file:///srv/acme/a.git", False),
])
def test_the_auth_header_goes_only_to_the_apis_own_host(monkeypatch, url, sent):
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_TOKEN)
    env = with_auth_header({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "core.x", "GIT_CONFIG_VALUE_0": "y"}, url,
                           CloneAuth("https://github.com/", "x-access-token", "GITHUB_TOKEN"))
    assert (env["GIT_CONFIG_COUNT"] == "2") is sent
    if sent:
        assert env["GIT_CONFIG_KEY_1"] == "http.https://github.com/.extraHeader"
        assert base64.b64decode(env["GIT_CONFIG_VALUE_1"].split()[-1]).decode() == f"x-access-token:{GITHUB_TOKEN}"
        assert env["GIT_CONFIG_KEY_0"] == "core.x"  # the user's own settings are kept


def test_a_plain_http_instance_never_gets_the_token(monkeypatch):
    monkeypatch.setenv("GITLAB_TOKEN", GITLAB_TOKEN)
    env = with_auth_header({}, "http://gitlab.internal/acme/a.git",
                           CloneAuth("http://gitlab.internal/", "oauth2", "GITLAB_TOKEN"))
    assert env == {}


def test_an_organisation_needs_its_token_and_api_url_names_one_instance(tmp_path, db_path, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    missing = shadowai("scan", "repo", "--github-org", "acme", "--db", db_path)
    assert missing.exit_code == 2 and "set GITHUB_TOKEN" in missing.stderr
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_TOKEN)
    monkeypatch.setenv("GITLAB_TOKEN", GITLAB_TOKEN)
    both = shadowai("scan", "repo", "--github-org", "acme", "--gitlab-group", "acme", "--api-url",
                    "https://git.example/api/v4", "--db", db_path)
    assert both.exit_code == 2 and "--api-url names one instance" in both.stderr
    assert shadowai("scan", "repo", "--db", db_path).exit_code == 2

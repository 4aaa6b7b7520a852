"""`scan github` against a local HTTPS server speaking the GitHub REST API as documented: organisation
installations paged with Link headers, Copilot seats refused with a 403, SAML credential authorisations, a
secondary rate limit, and GitHub Enterprise Server under /api/v3."""

import json

import pytest

from scanner.clients.github import GitHubClient
from scanner.clients.http import RetryPolicy
from scanner.interruption import StopFlag
from scanner.inventory.database import open_db
from scanner.modules.github.scan import credential_label, scan_github
from tests.cli.runner import shadowai
from tests.support.https_server import LocalHttpsServer

# The org as the findings name it: the API host (api.github.com would give github.com) and the org.
LOCATION = "127.0.0.1/acme"
TOKEN = "ghp_SECRETsecret0123456789SECRETsecret0123"
FORBIDDEN = {"message": "Resource not accessible by personal access token",
             "documentation_url": "https://docs.github.com/rest/copilot/copilot-user-management"}


def installation(install_id, app_id, slug, permissions, selection="all"):
    """One item of GET /orgs/{org}/installations, trimmed to the documented fields the scan reads and a few more."""
    return {"id": install_id, "account": {"login": "acme", "type": "Organization"}, "app_id": app_id,
            "app_slug": slug, "client_id": f"Iv1.{app_id:016x}", "target_id": 1, "target_type": "Organization",
            "permissions": permissions, "events": ["pull_request"], "repository_selection": selection,
            "created_at": "2025-03-01T09:30:00.000+01:00", "updated_at": "2025-03-02T10:00:00Z",
            "single_file_name": None, "suspended_at": None, "suspended_by": None}


INSTALLATIONS = [
    [installation(1, 347564, "coderabbitai", {"contents": "read", "pull_requests": "write"}),
     installation(2, 811603, "devin-ai-integration", {"contents": "write", "pull_requests": "write"}, "selected")],
    [installation(3, 900001, "acme-gpt-reviewer", {"pull_requests": "write"}),
     installation(4, 900002, "release-drafter", {"contents": "write"})],
]

CREDENTIALS = [
    {"login": "ann", "credential_id": 11, "credential_type": "personal access token",
     "token_last_eight": "a1b2c3d4", "credential_authorized_at": "2025-01-10T08:00:00Z",
     "credential_accessed_at": "2025-06-01T12:00:00Z", "authorized_credential_id": 111, "scopes": ["repo"],
     "authorized_credential_note": "Cursor", "authorized_credential_expires_at": "2026-01-10T08:00:00Z"},
    {"login": "bob", "credential_id": 12, "credential_type": "SSH key", "credential_authorized_at":
     "2025-01-11T08:00:00Z", "credential_accessed_at": None, "authorized_credential_id": 112,
     "fingerprint": "jklmnop12345678", "authorized_credential_title": "claude laptop"},
    {"login": "bob", "credential_id": 13, "credential_type": "OAuth app token", "token_last_eight": "deadbeef",
     "credential_authorized_at": "2025-02-01T08:00:00Z", "credential_accessed_at": "2025-05-01T08:00:00Z",
     "authorized_credential_id": 113, "scopes": ["repo", "read:org"],
     "authorized_credential_note": "ChatGPT Codex Connector"},
]


class GitHubFake:
    """Org endpoints under ``root`` (empty for api.github.com, /api/v3 for Enterprise Server)."""

    def __init__(self, server, root=""):
        self.server, self.root = server, root
        self.paged("/orgs/acme/installations", INSTALLATIONS, "installations")
        self.answer("/orgs/acme/copilot/billing/seats", (403, {}, FORBIDDEN))
        self.answer("/orgs/acme/credential-authorizations", (200, {}, CREDENTIALS))

    def answer(self, path, response):
        self.server.routes[("GET", self.root + path)] = lambda request: response

    def paged(self, path, pages, key):
        full = self.root + path

        def handler(request):
            page = int(request.query.get("page", ["1"])[0])
            headers = {}
            if page < len(pages):
                headers["Link"] = (f'<{self.server.url}{full}?per_page=100&page={page + 1}>; rel="next", '
                                   f'<{self.server.url}{full}?per_page=100&page={len(pages)}>; rel="last"')
            body = pages[page - 1] if key is None else {"total_count": sum(map(len, pages)), key: pages[page - 1]}
            return 200, headers, body

        self.server.routes[("GET", full)] = handler


@pytest.fixture
def github():
    with LocalHttpsServer() as server:
        yield GitHubFake(server)


def run(github, tmp_path, monkeypatch, *args, api_url=None):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", github.server.ca_file)
    db_path = tmp_path / "inventory.db"
    result = shadowai("--verbose", "scan", "github", "--org", "acme", "--api-url",
                      api_url or github.server.url + github.root, "--db", db_path, *args)
    db = open_db(db_path)
    found = {(r["service_id"], r["subject"], r["location"]): r for r in db.query("select * from findings")}
    runs = list(db.query("select * from runs where module = 'github' order by id"))
    db.conn.close()
    return result, found, runs, db_path


def test_ai_apps_installed_on_the_org_become_org_wide_findings(github, tmp_path, monkeypatch):
    result, found, runs, _ = run(github, tmp_path, monkeypatch)
    coderabbit = found[("coderabbit", "tenant:github", LOCATION)]
    evidence = json.loads(coderabbit["evidence"])
    assert evidence["app_name"] == "coderabbitai" and evidence["app_id"] == "347564"
    assert evidence["scopes"] == "contents:read pull_requests:write"
    assert evidence["repository_selection"] == "all" and evidence["kind"] == "app-installation"
    assert evidence["installed_at"] == "2025-03-01T08:30:00Z"
    devin = json.loads(found[("devin", "tenant:github", LOCATION)]["evidence"])
    assert devin["repository_selection"] == "selected"
    counts = json.loads(runs[0]["counts"])
    assert counts["app_installations"] == 4  # both pages of the Link-paged list were read
    assert [r.query.get("page", ["1"])[0] for r in github.server.requests
            if r.path.endswith("/installations")] == ["1", "2"]


def test_an_ai_like_app_outside_the_catalogue_is_an_unknown_oauth_ai_app(github, tmp_path, monkeypatch):
    _, found, _, _ = run(github, tmp_path, monkeypatch)
    unknown = found[("unknown-oauth-ai-app", "tenant:github", f"{LOCATION}#900001")]
    assert unknown["matched_by"] == "oauth-ai-like:name:gpt"
    evidence = json.loads(unknown["evidence"])
    assert evidence["app_name"] == "acme-gpt-reviewer" and evidence["confidence"] == "medium"
    assert evidence["risky_scopes"] == "pull_requests:write" and evidence["scope_risk"] == "medium"


def test_a_plain_app_that_writes_code_is_kept_for_review_apart_from_the_ai_like_one(github, tmp_path, monkeypatch):
    _, found, _, _ = run(github, tmp_path, monkeypatch)
    drafter = found[("unknown-oauth-ai-app", "tenant:github", f"{LOCATION}#900002")]
    evidence = json.loads(drafter["evidence"])
    assert drafter["matched_by"] == "oauth-broad-scopes:contents:write"
    assert (evidence["app_name"], evidence["reason"], evidence["confidence"]) == (
        "release-drafter", "broad-data-scopes", "low")
    # A person's token with the repo scope is not an app: no broad-scope finding for ann's other tokens.
    assert not [key for key in found if key[0] == "unknown-oauth-ai-app" and key[1] == "ann"]


def test_githubs_own_apps_and_the_switch_leave_broad_scope_apps_out(github, tmp_path, monkeypatch):
    INSTALLATIONS[1].append(installation(5, 29110, "dependabot", {"contents": "write", "pull_requests": "write"}))
    try:
        _, found, _, _ = run(github, tmp_path, monkeypatch)
        (tmp_path / "off").mkdir()
        _, quiet, runs, _ = run(github, tmp_path / "off", monkeypatch, "--no-broad-scope-apps")
    finally:
        INSTALLATIONS[1].pop()
    assert not any(key[2].endswith("#29110") for key in found)  # GitHub's own app
    assert ("unknown-oauth-ai-app", "tenant:github", f"{LOCATION}#900002") not in quiet
    assert ("unknown-oauth-ai-app", "tenant:github", f"{LOCATION}#900001") in quiet
    assert json.loads(runs[0]["parameters"])["broad_scope_apps"] is False


def test_a_copilot_seats_403_is_a_coverage_gap_and_the_run_is_partial(github, tmp_path, monkeypatch):
    result, found, runs, _ = run(github, tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert runs[0]["status"] == "partial"
    gaps = json.loads(runs[0]["coverage_gaps"])
    assert [g["what"] for g in gaps] == [f"{LOCATION}: Copilot seats"]
    assert "HTTP 403" in gaps[0]["why"] and "manage_billing:copilot" in gaps[0]["why"]
    assert f"{LOCATION}: Copilot seats" in result.stderr
    assert ("coderabbit", "tenant:github", LOCATION) in found  # the other endpoints were still read


def test_copilot_seat_holders_become_per_user_findings_seen_at_their_last_activity(github, tmp_path, monkeypatch):
    seats = [[{"created_at": "2024-11-01T00:00:00Z", "pending_cancellation_date": None,
               "last_activity_at": "2025-06-02T14:00:00+02:00", "last_activity_editor": "vscode/1.99.0/copilot/1.300",
               "plan_type": "business", "assignee": {"login": "ann", "id": 1, "type": "User"},
               "assigning_team": {"slug": "engineering", "name": "Engineering"}}],
             [{"created_at": "2025-05-01T00:00:00Z", "pending_cancellation_date": None, "last_activity_at": None,
               "last_activity_editor": None, "plan_type": "business",
               "assignee": {"login": "bob", "id": 2, "type": "User"}, "assigning_team": None}]]
    github.paged("/orgs/acme/copilot/billing/seats", seats, "seats")
    result, found, runs, _ = run(github, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    ann = found[("github-copilot", "ann", LOCATION)]
    assert ann["last_seen"] == "2025-06-02T12:00:00Z"
    evidence = json.loads(ann["evidence"])
    assert evidence["plan_type"] == "business" and evidence["assigning_team"] == "engineering"
    assert evidence["last_activity_editor"].startswith("vscode/")
    assert ("github-copilot", "bob", LOCATION) in found
    assert json.loads(runs[0]["counts"])["copilot_seats"] == 2


def test_saml_authorised_tokens_named_for_ai_apps_become_per_member_findings(github, tmp_path, monkeypatch):
    _, found, runs, _ = run(github, tmp_path, monkeypatch)
    cursor = found[("cursor", "ann", LOCATION)]
    evidence = json.loads(cursor["evidence"])
    assert evidence["credential_type"] == "personal access token" and evidence["scopes"] == "repo"
    assert cursor["last_seen"] == "2025-06-01T12:00:00Z"
    assert ("openai-codex", "bob", LOCATION) in found
    assert json.loads(runs[0]["counts"])["credential_authorizations"] == 3
    stored = " ".join(row["evidence"] for row in found.values())
    assert "a1b2c3d4" not in stored and "deadbeef" not in stored and "jklmnop" not in stored


def test_a_rescan_replaces_the_counts_instead_of_adding_to_them(github, tmp_path, monkeypatch):
    run(github, tmp_path, monkeypatch)
    _, found, runs, _ = run(github, tmp_path, monkeypatch)
    assert len(runs) == 2
    assert found[("coderabbit", "tenant:github", LOCATION)]["hits"] == 1
    assert found[("coderabbit", "tenant:github", LOCATION)]["last_run"] == runs[1]["id"]


def test_the_token_never_reaches_the_inventory_or_the_output(github, tmp_path, monkeypatch):
    result, _, _, db_path = run(github, tmp_path, monkeypatch, api_url=None)
    json_result = shadowai("--log-format", "json", "--verbose", "scan", "github", "--org", "acme", "--api-url",
                           github.server.url, "--db", db_path)
    for output in (result.output, result.stderr, json_result.output, json_result.stderr):
        assert TOKEN not in output
    for path in db_path.parent.iterdir():
        assert TOKEN.encode() not in path.read_bytes(), path
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in github.server.requests)


def test_github_enterprise_server_is_read_under_api_v3_and_located_by_its_host(tmp_path, monkeypatch):
    with LocalHttpsServer() as server:
        fake = GitHubFake(server, root="/api/v3")
        result, found, runs, _ = run(fake, tmp_path, monkeypatch)
    assert ("coderabbit", "tenant:github", LOCATION) in found
    assert all(r.path.startswith("/api/v3/orgs/acme/") for r in server.requests)
    assert json.loads(runs[0]["parameters"])["api_url"] == server.url + "/api/v3"


def test_a_secondary_rate_limit_is_waited_out_and_the_scan_completes(github, db, catalogue):
    limited = iter([(403, {"Retry-After": "5"}, {"message": "You have exceeded a secondary rate limit."})])
    page_one = github.server.routes[("GET", "/orgs/acme/installations")]
    github.server.routes[("GET", "/orgs/acme/installations")] = lambda r: next(limited, None) or page_one(r)
    sleeps = []
    client = GitHubClient(TOKEN, api_url=github.server.url, verify=github.server.ca_file,
                          retry=RetryPolicy(sleep=sleeps.append))
    result = scan_github(db, catalogue, client, ["acme"])
    assert sleeps == [5.0]
    assert result.counts["app_installations"] == 4
    assert [g["what"] for g in json.loads(db["runs"].get(result.run_id)["coverage_gaps"])] == \
        [f"{LOCATION}: Copilot seats"]


def test_a_missing_token_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    result = shadowai("scan", "github", "--org", "acme", "--db", tmp_path / "inventory.db")
    assert result.exit_code == 2 and "GITHUB_TOKEN" in result.output


@pytest.mark.parametrize("note, label", [
    ("Cursor", "Cursor"),
    ("  claude   code  ", "claude code"),
    ("openai sk-proj-abcdEFGH1234ijklMNOP5678", "openai [redacted]"),
    ("ghp_abcdefghijklmnop1234567890ABCDEFGHIJ", "[redacted]"),
    (None, ""),
])
def test_credential_notes_keep_their_words_but_never_a_token_like_string(note, label):
    assert credential_label(note) == label


def test_a_stop_request_ends_the_scan_between_records_as_interrupted(github, db, catalogue):
    stop = StopFlag()
    page = github.server.routes[("GET", "/orgs/acme/installations")]

    def second_page_arrives_with_sigterm(request):
        if request.query.get("page"):
            stop.requested = "SIGTERM"
        return page(request)

    github.server.routes[("GET", "/orgs/acme/installations")] = second_page_arrives_with_sigterm
    client = GitHubClient(TOKEN, api_url=github.server.url, verify=github.server.ca_file)
    result = scan_github(db, catalogue, client, ["acme"], stop=stop)
    assert result.status == "interrupted"
    assert result.counts["app_installations"] == 3  # page one, then the record in hand when the signal came
    assert not any("copilot" in r.path or "credential" in r.path for r in github.server.requests)
    assert db["findings"].count == 3  # coderabbit, devin and the record in hand: committed before stopping
    gaps = json.loads(db["runs"].get(result.run_id)["coverage_gaps"])
    assert gaps == [{"what": "scan", "why": "stopped by SIGTERM before every endpoint was read"}]

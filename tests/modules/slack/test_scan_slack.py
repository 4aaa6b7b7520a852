"""`scan slack` against a local HTTPS server speaking the Slack Web API as documented: auth.test, the
Enterprise Grid admin.apps lists with cursor paging, team.integrationLogs with page numbers, users.info,
``ok: false`` refusals and a 429 with Retry-After."""

import json

import pytest

from scanner.inventory.database import open_db
from tests.cli.runner import shadowai
from tests.support.https_server import LocalHttpsServer

TOKEN = "xoxp-1111111111-2222222222-3333333333-0123456789abcdef0123456789abcdef"
LOCATION = "acme.enterprise.slack.com"


def app(app_id, name, homepage, *, reviewed=True):
    """The ``app`` object of admin.apps.approved.list and admin.apps.requests.list."""
    return {"id": app_id, "name": name, "description": "", "help_url": homepage, "privacy_policy_url": homepage,
            "app_homepage_url": homepage, "app_directory_url": f"https://acme.enterprise.slack.com/apps/{app_id}",
            "is_app_directory_approved": reviewed, "is_internal": False, "additional_info": "",
            "icons": {"image_32": "https://a.slack-edge.com/x_32.png"}}


def scope(name, sensitive=False):
    return {"name": name, "description": "", "is_sensitive": sensitive, "token_type": "user"}


APPROVED = [
    [{"app": app("A0OTTER", "Otter.ai", "https://otter.ai/"), "scopes": [scope("channels:history", True)],
      "date_updated": 1717236000, "last_resolved_by": {"actor_id": "W0ADMIN", "actor_type": "user"}},
     {"app": app("A0JIRA", "Jira Cloud", "https://www.atlassian.com/"), "scopes": [scope("chat:write")],
      "date_updated": 1717236000, "last_resolved_by": {"actor_id": "W0ADMIN", "actor_type": "user"}}],
    [{"app": app("A0NOTES", "Standup Notes", "https://standupnotes.ai/", reviewed=False),
      "scopes": [scope("channels:history", True), scope("users:read")], "date_updated": 1717322400,
      "last_resolved_by": {"actor_id": "W0ADMIN", "actor_type": "user"}}],
]
REQUESTS = [[{"id": "Ar0REQ", "app": app("A0FIRE", "Fireflies.ai", "https://fireflies.ai/"),
              "user": {"id": "W0ANN", "name": "ann", "email": "ann@example.com"},
              "team": {"id": "T0ACME", "name": "Acme", "domain": "acme"},
              "scopes": [scope("calls:read")], "message": "for our meetings", "date_created": 1717408800}]]
LOGS = [
    [{"app_id": "A0CHATGPT", "app_type": "ChatGPT", "user_id": "W0BOB", "user_name": "bob", "date": "1717495200",
      "change_type": "added", "scope": "chat:write,channels:history"},
     {"service_id": 1234567890, "service_type": "Google Calendar", "user_id": "W0ANN", "user_name": "ann",
      "channel": "C1234567890", "date": "1392163200", "change_type": "enabled", "scope": "incoming-webhook"}],
    [{"app_id": "A0CHATGPT", "app_type": "ChatGPT", "user_id": "W0BOB", "user_name": "bob", "date": "1717581600",
      "change_type": "removed", "reason": "user", "scope": "chat:write,channels:history"},
     {"app_id": "A0GPTBOT", "app_type": "Team GPT Helper", "user_id": "W0CAROL", "user_name": "carol",
      "date": "1717581600", "change_type": "added", "scope": "chat:write"},
     {"change_type": "added", "date": "1717581600"}],
]
EMAILS = {"W0BOB": "bob@example.com", "W0CAROL": "carol@example.com"}


class SlackFake:
    def __init__(self, server):
        self.server = server
        self.identity = {"ok": True, "url": f"https://{LOCATION}/", "team": "Acme", "user": "admin",
                         "team_id": "T0ACME", "user_id": "W0ADMIN", "enterprise_id": "E0ACME",
                         "is_enterprise_install": False}
        self.method("auth.test", lambda form: self.identity)
        self.cursor_paged("admin.apps.approved.list", "approved_apps", APPROVED)
        self.cursor_paged("admin.apps.requests.list", "app_requests", REQUESTS)
        self.numbered("team.integrationLogs", "logs", LOGS)
        self.method("users.info", lambda form: {"ok": True, "user": {
            "id": form["user"], "profile": {"email": EMAILS.get(form["user"], "")}}})

    def method(self, name, answer):
        def handler(request):
            body = answer(request.form())
            return body if isinstance(body, tuple) else (200, {}, body)
        self.server.routes[("POST", f"/api/{name}")] = handler

    def cursor_paged(self, name, key, pages):
        def answer(form):
            index = int(form.get("cursor") or 0)
            more = str(index + 1) if index + 1 < len(pages) else ""
            return {"ok": True, key: pages[index], "response_metadata": {"next_cursor": more}}
        self.method(name, answer)

    def numbered(self, name, key, pages):
        def answer(form):
            page = int(form.get("page", 1))
            return {"ok": True, key: pages[page - 1],
                    "paging": {"count": 100, "total": sum(map(len, pages)), "page": page, "pages": len(pages)}}
        self.method(name, answer)

    def calls(self, name):
        return [r for r in self.server.requests if r.path == f"/api/{name}"]


@pytest.fixture
def slack():
    with LocalHttpsServer() as server:
        yield SlackFake(server)


def run(slack, tmp_path, monkeypatch, *args):
    monkeypatch.setenv("SLACK_TOKEN", TOKEN)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", slack.server.ca_file)
    db_path = tmp_path / "inventory.db"
    result = shadowai("--verbose", "scan", "slack", "--api-url", slack.server.url + "/api", "--db", db_path, *args)
    db = open_db(db_path)
    found = {(r["service_id"], r["subject"], r["location"]): r for r in db.query("select * from findings")}
    runs = list(db.query("select * from runs where module = 'slack' order by id"))
    db.conn.close()
    return result, found, runs, db_path


def test_apps_approved_for_the_org_become_org_wide_findings(slack, tmp_path, monkeypatch):
    result, found, runs, _ = run(slack, tmp_path, monkeypatch)
    otter = found[("otter-ai", "tenant:slack", LOCATION)]
    evidence = json.loads(otter["evidence"])
    assert evidence["kind"] == "approved-app" and evidence["publisher_domain"] == "otter.ai"
    assert evidence["sensitive_scopes"] == "channels:history" and evidence["approved_by"] == "W0ADMIN"
    assert json.loads(runs[0]["counts"])["approved_apps"] == 3  # both cursor pages were read
    assert [c.form().get("enterprise_id") for c in slack.calls("admin.apps.approved.list")] == ["E0ACME"] * 2
    assert not any("Jira" in row["evidence"] for row in found.values())


def test_an_ai_like_app_outside_the_catalogue_is_an_unknown_oauth_ai_app(slack, tmp_path, monkeypatch):
    _, found, _, _ = run(slack, tmp_path, monkeypatch)
    notes = found[("unknown-oauth-ai-app", "tenant:slack", f"{LOCATION}#A0NOTES")]
    assert notes["matched_by"] == "oauth-ai-like:redirect:.ai"  # standupnotes.ai, a listing Slack did not review
    evidence = json.loads(notes["evidence"])
    assert evidence["risky_scopes"] == "channels:history users:read" and evidence["scope_risk"] == "high"
    gpt_helper = found[("unknown-oauth-ai-app", "carol@example.com", f"{LOCATION}#A0GPTBOT")]
    assert gpt_helper["matched_by"] == "oauth-ai-like:name:gpt"


def test_a_plain_app_reading_channel_history_is_kept_for_review_but_not_slacks_own(slack, tmp_path, monkeypatch):
    APPROVED[1].append({"app": app("A0WIKI", "Team Wiki Sync", "https://wikisync.example.com/"),
                        "scopes": [scope("channels:history", True), scope("files:read", True)],
                        "date_updated": 1717322400, "last_resolved_by": {"actor_id": "W0ADMIN"}})
    APPROVED[1].append({"app": app("A0WFB", "Workflow Builder", "https://slack.com/features/workflow-automation"),
                        "scopes": [scope("channels:history", True)], "date_updated": 1717322400,
                        "last_resolved_by": {"actor_id": "W0ADMIN"}})
    try:
        _, found, _, _ = run(slack, tmp_path, monkeypatch)
        (tmp_path / "off").mkdir()
        _, quiet, runs, _ = run(slack, tmp_path / "off", monkeypatch, "--no-broad-scope-apps")
    finally:
        del APPROVED[1][1:]
    wiki = found[("unknown-oauth-ai-app", "tenant:slack", f"{LOCATION}#A0WIKI")]
    assert wiki["matched_by"] == "oauth-broad-scopes:channels:history"
    assert json.loads(wiki["evidence"])["confidence"] == "low"
    assert not any(key[2].endswith("#A0WFB") for key in found)  # Slack's own app
    assert not any(key[2].endswith("#A0WIKI") for key in quiet)
    assert json.loads(runs[0]["parameters"])["broad_scope_apps"] is False


def test_install_requests_are_findings_of_the_requesting_user(slack, tmp_path, monkeypatch):
    _, found, _, _ = run(slack, tmp_path, monkeypatch)
    fireflies = found[("fireflies-ai", "ann@example.com", LOCATION)]
    assert json.loads(fireflies["evidence"])["kind"] == "app-request"
    assert fireflies["first_seen"] == "2024-06-03T10:00:00Z"


def test_the_integration_log_gives_who_added_an_ai_app_as_an_email(slack, tmp_path, monkeypatch):
    result, found, runs, _ = run(slack, tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output  # one malformed log entry: partial
    chatgpt = found[("chatgpt", "bob@example.com", LOCATION)]
    assert chatgpt["hits"] == 2  # added, then removed
    assert (chatgpt["first_seen"], chatgpt["last_seen"]) == ("2024-06-04T10:00:00Z", "2024-06-05T10:00:00Z")
    evidence = json.loads(chatgpt["evidence"])
    assert evidence["scopes"] == "chat:write channels:history" and evidence["user_name"] == "bob"
    assert sorted(c.form()["user"] for c in slack.calls("users.info")) == ["W0BOB", "W0CAROL"]  # matched users only
    assert json.loads(runs[0]["counts"])["integration_log_entries"] == 5
    assert runs[0]["status"] == "partial" and json.loads(runs[0]["coverage_gaps"]) == []
    errors = json.loads(runs[0]["errors"])
    assert errors == [{"where": f"{LOCATION}: integration log",
                       "message": "malformed record: ValueError: a log entry names neither an app_id nor a service_id"}]


def test_a_log_entry_of_an_app_without_a_name_is_counted_and_not_an_error(slack, tmp_path, monkeypatch):
    LOGS[1][2]["app_id"] = "A0BROKEN"  # an app id but no name: counted, nothing to match
    try:
        result, found, runs, _ = run(slack, tmp_path, monkeypatch)
    finally:
        del LOGS[1][2]["app_id"]
    assert result.exit_code == 0, result.output
    assert runs[0]["status"] == "succeeded"


def test_without_users_read_email_the_slack_user_name_is_the_subject_and_a_gap(slack, tmp_path, monkeypatch):
    slack.method("users.info", lambda form: {"ok": False, "error": "missing_scope", "needed": "users:read.email",
                                             "provided": "admin,admin.apps:read"})
    result, found, runs, _ = run(slack, tmp_path, monkeypatch)
    assert ("chatgpt", "bob", LOCATION) in found and ("unknown-oauth-ai-app", "carol", f"{LOCATION}#A0GPTBOT") in found
    assert len(slack.calls("users.info")) == 1  # asked once, then no more
    gaps = json.loads(runs[0]["coverage_gaps"])
    assert gaps[0]["what"] == "user emails (users.info)" and "users:read.email" in gaps[0]["why"]


def test_refusals_are_coverage_gaps_naming_what_the_token_lacks(slack, tmp_path, monkeypatch):
    slack.method("admin.apps.approved.list", lambda form: {"ok": False, "error": "not_allowed_token_type"})
    slack.method("admin.apps.requests.list", lambda form: {
        "ok": False, "error": "missing_scope", "needed": "admin.apps:read", "provided": "admin"})
    slack.method("team.integrationLogs", lambda form: {"ok": False, "error": "paid_only"})
    result, found, runs, _ = run(slack, tmp_path, monkeypatch)
    assert result.exit_code == 1 and found == {}
    gaps = {g["what"]: g["why"] for g in json.loads(runs[0]["coverage_gaps"])}
    assert "not_allowed_token_type" in gaps[f"{LOCATION}: approved apps"]
    assert "admin.apps:read" in gaps[f"{LOCATION}: app requests"]
    assert "paid_only" in gaps[f"{LOCATION}: integration log"]


def test_a_rate_limit_is_waited_out_with_retry_after(slack, tmp_path, monkeypatch):
    answers = iter([(429, {"Retry-After": "0"}, {"ok": False, "error": "ratelimited"})])
    numbered = slack.server.routes[("POST", "/api/team.integrationLogs")]
    slack.server.routes[("POST", "/api/team.integrationLogs")] = lambda r: next(answers, None) or numbered(r)
    result, found, runs, _ = run(slack, tmp_path, monkeypatch)
    assert ("chatgpt", "bob@example.com", LOCATION) in found
    assert len(slack.calls("team.integrationLogs")) == 3  # the refused page 1, then pages 1 and 2


def test_an_invalid_token_fails_the_run(slack, tmp_path, monkeypatch):
    slack.identity = {"ok": False, "error": "invalid_auth"}
    result, found, runs, _ = run(slack, tmp_path, monkeypatch)
    assert result.exit_code == 1 and runs[0]["status"] == "failed"
    assert "invalid_auth" in json.loads(runs[0]["coverage_gaps"])[0]["why"]
    assert slack.calls("admin.apps.approved.list") == []


def test_a_workspace_outside_enterprise_grid_skips_the_admin_api_as_a_gap(slack, tmp_path, monkeypatch):
    del slack.identity["enterprise_id"]
    slack.identity["url"] = "https://acme.slack.com/"
    result, found, runs, _ = run(slack, tmp_path, monkeypatch)
    assert ("chatgpt", "bob@example.com", "acme.slack.com") in found
    assert slack.calls("admin.apps.approved.list") == []
    assert "Enterprise Grid" in json.loads(runs[0]["coverage_gaps"])[0]["why"]


def test_team_ids_scope_every_call_and_the_location(slack, tmp_path, monkeypatch):
    _, found, _, _ = run(slack, tmp_path, monkeypatch, "--team", "T0SALES")
    assert ("otter-ai", "tenant:slack", f"{LOCATION}/T0SALES") in found
    for name in ("admin.apps.approved.list", "admin.apps.requests.list", "team.integrationLogs"):
        assert {c.form().get("team_id") for c in slack.calls(name)} == {"T0SALES"}


def test_a_rescan_replaces_the_counts(slack, tmp_path, monkeypatch):
    run(slack, tmp_path, monkeypatch)
    _, found, runs, _ = run(slack, tmp_path, monkeypatch)
    assert found[("chatgpt", "bob@example.com", LOCATION)]["hits"] == 2
    assert found[("otter-ai", "tenant:slack", LOCATION)]["hits"] == 1


def test_the_token_never_reaches_the_inventory_or_the_output(slack, tmp_path, monkeypatch):
    result, _, _, db_path = run(slack, tmp_path, monkeypatch)
    json_result = shadowai("--log-format", "json", "--verbose", "scan", "slack", "--api-url",
                           slack.server.url + "/api", "--db", db_path)
    for output in (result.output, result.stderr, json_result.output, json_result.stderr):
        assert TOKEN not in output
    for path in db_path.parent.iterdir():
        assert TOKEN.encode() not in path.read_bytes(), path
    assert all(TOKEN.encode() not in r.body for r in slack.server.requests)

"""`shadowai scan` with no source: every configured source, one run each, in a fixed order, then notifications."""

import json
import sqlite3
import textwrap

import pytest

from scanner import exit_codes
from tests.cli.runner import shadowai
from tests.squid_lines import append_log, squid, write_log
from tests.support.https_server import LocalHttpsServer
from tests.support.lock_holder import lock_held_elsewhere
from tests.support.smtp_server import LocalSmtpServer

T0 = 1764460800.0  # 2025-11-30T00:00:00Z


def setup(tmp_path, extra="", *, repo_first=True):
    write_log(tmp_path / "access.log", [squid(T0, "chatgpt.com", user="alice"),
                                        squid(T0 + 5, "character.ai", user="bob")])
    code = tmp_path / "app"
    code.mkdir()
    (code / "bot.py").write_text("import anthropic\nclient = anthropic.Anthropic()\n", encoding="utf-8")
    (tmp_path / "sanctions.toml").write_text('[services.chatgpt]\nstatus = "sanctioned"\n'
                                             '[services.character-ai]\nstatus = "blocked"\n', encoding="utf-8")
    repo = '[sources.repo]\ntargets = ["app"]\n'
    logs = '[sources.logs]\npaths = ["access.log"]\n'
    config = tmp_path / "shadowai.toml"
    config.write_text('sanctions = "sanctions.toml"\n' + (repo + logs if repo_first else logs + repo)
                      + textwrap.dedent(extra), encoding="utf-8")
    return config


def runs(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("select * from runs order by id")]


def test_every_source_runs_as_its_own_run_in_the_fixed_order_and_incrementally(tmp_path, db_path):
    config = setup(tmp_path, repo_first=True)
    result = shadowai("scan", "--config", config, "--db", db_path, "-q")
    assert result.exit_code == 0, result.output
    rows = runs(db_path)
    assert [(r["module"], r["status"]) for r in rows] == [("scan", "succeeded"), ("logs", "succeeded"),
                                                          ("repo", "succeeded")]
    inputs = json.loads(rows[0]["inputs"])
    assert [(i["source"], i["exit_code"], i["runs"]) for i in inputs] == [("logs", 0, [2]), ("repo", 0, [3])]

    append_log(tmp_path / "access.log", [squid(T0 + 60, "claude.ai", user="carol")])
    assert shadowai("scan", "--config", config, "--db", db_path, "-q").exit_code == 0
    second_logs = [r for r in runs(db_path) if r["module"] == "logs"][-1]
    assert json.loads(second_logs["counts"])["records"] == 1  # only the appended line was read


@pytest.mark.parametrize("why_unloadable, expected_why", [
    (None, "module not installed: there is no 'shadowai scan github' command"),  # not installed at all
    ("cannot load 'github' from x.y:z: ModuleNotFoundError: No module named 'x'",  # installed, but its import fails
     "cannot load 'shadowai scan github': cannot load 'github' from x.y:z: ModuleNotFoundError"),
])
def test_a_source_without_a_command_is_a_gap_saying_why_and_the_next_source_still_runs(
        tmp_path, db_path, monkeypatch, why_unloadable, expected_why):
    import scanner.cli.configured_sources as configured

    config = setup(tmp_path, """
        [sources.github]
        orgs = ["acme"]
    """)
    real = configured.scan_commands
    monkeypatch.setattr(configured, "scan_commands", lambda: {k: v for k, v in real().items() if k != "github"})
    monkeypatch.setattr(configured, "unloadable_commands",
                        lambda: {"github": why_unloadable} if why_unloadable else {})
    result = shadowai("scan", "--config", config, "--db", db_path, "-q")
    assert result.exit_code == exit_codes.PARTIAL
    rows = runs(db_path)
    assert [r["module"] for r in rows] == ["scan", "logs", "repo"]  # github (after repo) could not run
    [gap] = json.loads(rows[0]["coverage_gaps"])
    assert gap["what"] == "sources.github" and gap["why"].startswith(expected_why)


@pytest.mark.parametrize("logs_format, expected", [
    (None, exit_codes.NEW_UNSANCTIONED),  # codes 0 (logs), 1 (repo) and 3 (new service): 3
    ("no-such-format", exit_codes.USAGE),  # codes 2 (logs refused its options), 1 and 3: 2
])
def test_the_exit_code_is_the_worst_of_the_sources_by_the_documented_precedence(tmp_path, db_path, logs_format,
                                                                                  expected):
    config = setup(tmp_path)
    text = config.read_text(encoding="utf-8").replace('targets = ["app"]', 'targets = ["app", "missing"]')
    if logs_format:
        text = text.replace('paths = ["access.log"]', f'paths = ["access.log"]\nformat = "{logs_format}"')
    config.write_text(text, encoding="utf-8")
    result = shadowai("scan", "--config", config, "--db", db_path, "-q", "--fail-on-new")
    codes = [i["exit_code"] for i in json.loads(runs(db_path)[0]["inputs"])]
    assert codes == [2 if logs_format else 0, 1]
    assert result.exit_code == expected


def test_worst_orders_codes_as_documented():
    assert exit_codes.worst([0, 1, 3]) == 3 and exit_codes.worst([3, 4]) == 4 and exit_codes.worst([4, 2]) == 2
    assert exit_codes.worst([2, 130]) == 130 and exit_codes.worst([0, 77]) == 1 and exit_codes.worst([]) == 0


def test_fail_on_new_exits_3_for_a_new_unsanctioned_service(tmp_path, db_path):
    config = setup(tmp_path)
    result = shadowai("scan", "--config", config, "--db", db_path, "--fail-on-new")
    assert result.exit_code == exit_codes.NEW_UNSANCTIONED
    assert "new unsanctioned AI service: character-ai" in result.stderr  # blocked counts: not sanctioned
    assert "new unsanctioned AI service: chatgpt" not in result.stderr  # sanctioned in sanctions.toml
    assert shadowai("scan", "--config", config, "--db", db_path, "--fail-on-new").exit_code == 0  # not new now


def test_a_scan_holding_the_lock_makes_the_next_one_exit_4(tmp_path, db_path):
    config = setup(tmp_path)
    with lock_held_elsewhere(db_path):
        result = shadowai("scan", "--config", config, "--db", db_path, "--wait", "0.2")
    assert result.exit_code == exit_codes.LOCKED and "inventory is locked by pid" in result.stderr
    assert not db_path.exists() or runs(db_path) == []


def test_options_before_a_source_name_are_refused(tmp_path, db_path):
    setup(tmp_path)
    result = shadowai("scan", "--db", db_path, "logs", tmp_path / "access.log")
    assert result.exit_code == 2 and "put them after the source's name" in result.output


def test_no_configured_source_is_a_usage_error(tmp_path, db_path):
    config = tmp_path / "shadowai.toml"
    config.write_text("[sources.logs]\npaths = ['a.log']\nenabled = false\n", encoding="utf-8")
    result = shadowai("scan", "--config", config, "--db", db_path)
    assert result.exit_code == 2 and "no source to scan" in result.output


# --- notifications ----------------------------------------------------------------------------------------

def notifications_config(server, smtp, events='["new-service", "new-blocked-user", "failed-run"]'):
    return f"""
        [notifications]
        events = {events}
        backoff = 0.01
        [notifications.webhook]
        url_env = "TEST_HOOK_URL"
        ca_bundle = "{server.ca_file}"
        [notifications.slack]
        url_env = "TEST_SLACK_URL"
        ca_bundle = "{server.ca_file}"
        [notifications.teams]
        url_env = "TEST_TEAMS_URL"
        ca_bundle = "{server.ca_file}"
        [notifications.email]
        host = "{smtp.host}"
        port = {smtp.port}
        from = "shadowai@example.com"
        to = ["security@example.com"]
        ca_bundle = "{smtp.ca_file}"
    """


@pytest.fixture
def channels(monkeypatch):
    ok = lambda request: (200, {}, "ok")  # noqa: E731
    routes = {("POST", "/hook"): ok, ("POST", "/services/T0/B0/SECRET"): ok,
              ("POST", "/workflows/w1/triggers/manual/paths/invoke"): lambda request: (202, {}, "")}
    with LocalHttpsServer(routes) as server, LocalSmtpServer(users={"scanner": "pw-123"}) as smtp:
        monkeypatch.setenv("TEST_HOOK_URL", server.url + "/hook")
        monkeypatch.setenv("TEST_SLACK_URL", server.url + "/services/T0/B0/SECRET")
        monkeypatch.setenv("TEST_TEAMS_URL", server.url + "/workflows/w1/triggers/manual/paths/invoke?sig=S")
        monkeypatch.setenv("SHADOWAI_SMTP_USERNAME", "scanner")
        monkeypatch.setenv("SHADOWAI_SMTP_PASSWORD", "pw-123")
        yield server, smtp


def posted(server, path):
    return [request.json() for request in server.requests if request.path == path]


def test_new_services_and_new_users_of_blocked_services_are_notified_on_every_channel(tmp_path, db_path, channels):
    server, smtp = channels
    config = setup(tmp_path, notifications_config(server, smtp))
    assert shadowai("scan", "--config", config, "--db", db_path, "-q").exit_code == 0
    [first] = posted(server, "/hook")
    new = {s["service_id"]: s for s in first["new_services"]}
    assert set(new) == {"character-ai", "anthropic-api"}  # chatgpt is sanctioned
    assert new["character-ai"]["sanction"] == "blocked" and new["character-ai"]["subjects"] == ["bob"]
    assert new["character-ai"]["locations"] == [str(tmp_path / "access.log")]
    assert f"shadowai inventory --db {db_path} --unsanctioned" in first["look"]
    assert len(posted(server, "/services/T0/B0/SECRET")) == 1
    assert len(posted(server, "/workflows/w1/triggers/manual/paths/invoke")) == 1
    [mail] = smtp.messages
    assert mail.encrypted and "character-ai" in mail.message.get_content()
    scan_run = runs(db_path)[0]
    assert json.loads(scan_run["counts"])["notifications_sent"] == 4 and scan_run["status"] == "succeeded"

    # Nothing new: nothing sent. Then a second person uses the blocked service: a new user, not a new service.
    assert shadowai("scan", "--config", config, "--db", db_path, "-q").exit_code == 0
    assert len(posted(server, "/hook")) == 1
    append_log(tmp_path / "access.log", [squid(T0 + 90, "character.ai", user="dave"),
                                         squid(T0 + 95, "character.ai", user="bob")])
    assert shadowai("scan", "--config", config, "--db", db_path, "-q").exit_code == 0
    third = posted(server, "/hook")[-1]
    assert third["new_services"] == []
    assert [(u["service_id"], u["subject"]) for u in third["new_blocked_users"]] == [("character-ai", "dave")]
    assert "1 new user of blocked AI services" in third["title"]


def test_a_failed_source_is_notified(tmp_path, db_path, channels, monkeypatch):
    import scanner.cli.configured_sources as configured

    server, smtp = channels
    config = setup(tmp_path, notifications_config(server, smtp, events='["failed-run"]') + """
        [sources.github]
        orgs = ["acme"]
    """)
    real = configured.scan_commands
    monkeypatch.setattr(configured, "scan_commands", lambda: {k: v for k, v in real().items() if k != "github"})
    assert shadowai("scan", "--config", config, "--db", db_path, "-q").exit_code == exit_codes.PARTIAL
    [body] = posted(server, "/hook")
    assert body["new_services"] == [] and [f["source"] for f in body["failed_sources"]] == ["github"]
    assert "module not installed" in body["failed_sources"][0]["reason"]
    assert f"shadowai runs --db {db_path} --gaps" in body["look"]


def test_a_delivery_that_fails_is_a_gap_of_the_scan_run_and_never_a_crash(tmp_path, db_path, channels,
                                                                          monkeypatch):
    server, smtp = channels
    server.routes[("POST", "/services/T0/B0/SECRET")] = lambda request: (500, {}, "rollup_error")
    monkeypatch.delenv("TEST_TEAMS_URL")
    config = setup(tmp_path, notifications_config(server, smtp))
    result = shadowai("scan", "--config", config, "--db", db_path, "-q")
    assert result.exit_code == exit_codes.PARTIAL
    scan_run = runs(db_path)[0]
    gaps = {gap["what"]: gap["why"] for gap in json.loads(scan_run["coverage_gaps"])}
    assert gaps["notifications.slack"] == ("slack (env TEST_SLACK_URL): not delivered after 3 attempt(s): "
                                           "HTTP 500 rollup_error")
    assert gaps["notifications.teams"].endswith("environment variable TEST_TEAMS_URL is not set")
    assert scan_run["status"] == "partial" and json.loads(scan_run["counts"])["notifications_sent"] == 2
    assert len(posted(server, "/hook")) == 1 and len(smtp.messages) == 1
    assert "SECRET" not in result.output and "SECRET" not in json.dumps(runs(db_path))
    assert shadowai("runs", "--verify", "--db", db_path).exit_code == 0


def test_no_notify_sends_nothing(tmp_path, db_path, channels):
    server, smtp = channels
    config = setup(tmp_path, notifications_config(server, smtp))
    assert shadowai("scan", "--config", config, "--db", db_path, "-q", "--no-notify").exit_code == 0
    assert server.requests == [] and smtp.messages == []


def test_sigterm_during_a_source_stops_the_scan_records_it_interrupted_and_exits_130(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    rows = [squid(T0 + i, ("chatgpt.com", "claude.ai")[i % 2], user=f"user{i % 7}") for i in range(60000)]
    write_log(tmp_path / "access.log", rows)
    config = setup(tmp_path, repo_first=False)
    (tmp_path / "access.log").write_text("".join(line + "\n" for line in rows), encoding="utf-8")
    db = tmp_path / "inv.db"
    env = dict(os.environ, SHADOWAI_LOGS_BLOCK_BYTES="32768", SHADOWAI_LOGS_COMMIT_BLOCKS="1")
    process = subprocess.Popen([sys.executable, "-m", "scanner", "scan", "--config", str(config), "--db", str(db),
                                "--quiet"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None and time.monotonic() < deadline, "the scan ended before it could be stopped"
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                if (conn.execute("select max(offset) from cursors").fetchone()[0] or 0) > 0:
                    break
        except sqlite3.Error:
            pass
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == exit_codes.INTERRUPTED
    statuses = [(r["module"], r["status"]) for r in runs(db)]
    assert statuses == [("scan", "interrupted"), ("logs", "interrupted")]  # repo, after logs, did not start
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"

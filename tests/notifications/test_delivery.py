"""Delivery to real local servers: HTTPS webhooks (generic, Slack, Teams) and SMTP with STARTTLS and AUTH.

A channel that fails is retried, then reported as not delivered — never raised — and the report names the
channel, never its URL (a Slack or Teams webhook URL is itself the credential) nor any password.
"""

from dataclasses import replace

import pytest

from scanner.notifications.delivery import deliver
from scanner.notifications.events import NewBlockedUser, NewService, Notice, SourceProblem
from scanner.notifications.settings import EmailChannel, NotificationSettings, WebhookChannel
from tests.support.https_server import LocalHttpsServer
from tests.support.smtp_server import LocalSmtpServer, free_port

SLACK_PATH = "/services/T000/B000/SECRETTOKEN"


def notice():
    return Notice(
        host="scanner-01", db_path="/var/lib/shadowai/shadowai.db", run_id=7, runs=[8, 9],
        new_services=[NewService("deepseek-chat", "DeepSeek Chat", "DeepSeek", "chat-assistant", "unsanctioned",
                                 ["alice", "<https://evil.example|click me>"], 2, ["logs"],
                                 ["/var/log/squid/access.log"], 1, "2025-11-30T00:00:00Z", "2025-11-30T01:00:00Z",
                                 12)],
        new_blocked_users=[NewBlockedUser("character-ai", "Character.AI", "[bob](https://evil.example)", ["logs"],
                                          ["/var/log/squid/access.log"], "2025-11-30T00:05:00Z")],
        failed_sources=[SourceProblem("aws", "shadowai scan aws", 1, [9], "partial",
                                      "eu-west-1: AccessDenied for bedrock:ListFoundationModels")],
    )


def settings(*channels, attempts=3):
    return NotificationSettings(channels=channels, attempts=attempts, backoff=0.01, timeout=5)


def ok(status=200, body="ok"):
    return lambda request: (status, {}, body)


def test_the_generic_webhook_gets_the_whole_notice_as_json():
    with LocalHttpsServer({("POST", "/hook"): ok()}) as server:
        [delivery] = deliver(notice(), settings(WebhookChannel("webhook", url_env="HOOK", ca_bundle=server.ca_file)),
                             env={"HOOK": server.url + "/hook"})
        body = server.requests[0].json()
    assert delivery.delivered and delivery.attempts == 1
    assert body["schema"] == "shadowai.notification/1" and body["run_id"] == 7
    assert body["new_services"][0]["service_id"] == "deepseek-chat"
    assert body["new_services"][0]["locations"] == ["/var/log/squid/access.log"]
    assert body["new_blocked_users"][0]["service_id"] == "character-ai"
    assert body["failed_sources"][0]["source"] == "aws"
    assert "shadowai inventory --db /var/lib/shadowai/shadowai.db --unsanctioned" in body["look"]
    assert "shadowai runs --db /var/lib/shadowai/shadowai.db --gaps" in body["look"]
    assert body["title"].startswith("shadowai on scanner-01: 1 new unsanctioned AI service, 1 new user")


def test_slack_gets_block_kit_with_what_where_and_how_to_look_and_no_smuggled_links():
    with LocalHttpsServer({("POST", SLACK_PATH): ok()}) as server:
        [delivery] = deliver(notice(), settings(WebhookChannel("slack", url_env="SLACK", ca_bundle=server.ca_file)),
                             env={"SLACK": server.url + SLACK_PATH})
        body = server.requests[0].json()
    assert delivery.delivered
    assert body["text"] == notice().title
    assert body["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": notice().title}}
    text = "\n".join(block.get("text", {}).get("text", "") for block in body["blocks"])
    assert "DeepSeek Chat (deepseek-chat" in text and "/var/log/squid/access.log" in text
    assert "&lt;https://evil.example|click me&gt;" in text and "<https://evil" not in text
    assert "shadowai inventory --db /var/lib/shadowai/shadowai.db --unsanctioned" in str(body["blocks"][-1])


def test_teams_gets_an_adaptive_card_as_workflows_expect_and_202_is_success():
    with LocalHttpsServer({("POST", "/workflows/abc/triggers/manual/paths/invoke"): ok(202, "")}) as server:
        url = server.url + "/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=SECRETSIG"
        [delivery] = deliver(notice(), settings(WebhookChannel("teams", url_env="TEAMS", ca_bundle=server.ca_file)),
                             env={"TEAMS": url})
        body = server.requests[0].json()
    assert delivery.delivered
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    texts = [element["text"] for element in card["body"]]
    assert texts[0].startswith("shadowai on scanner\\-01")
    assert any("\\[bob\\]\\(https://evil\\.example\\)" in text for text in texts)  # no markdown link
    assert all(element["type"] == "TextBlock" and element["wrap"] for element in card["body"])


def test_throttling_and_server_faults_are_retried():
    answers = [(503, {"Retry-After": "0"}, "busy"), (429, {"Retry-After": "0"}, "rate_limited"), (200, {}, "ok")]
    with LocalHttpsServer({("POST", SLACK_PATH): lambda request: answers.pop(0)}) as server:
        [delivery] = deliver(notice(), settings(WebhookChannel("slack", url_env="SLACK", ca_bundle=server.ca_file)),
                             env={"SLACK": server.url + SLACK_PATH})
        assert len(server.requests) == 3
    assert delivery.delivered and delivery.attempts == 3


def test_a_refusal_is_not_retried_and_the_report_keeps_the_url_secret():
    with LocalHttpsServer({("POST", SLACK_PATH): ok(404, "no_service")}) as server:
        [delivery] = deliver(notice(), settings(WebhookChannel("slack", url_env="SLACK", ca_bundle=server.ca_file)),
                             env={"SLACK": server.url + SLACK_PATH})
        assert len(server.requests) == 1
    assert not delivery.delivered and delivery.error == "HTTP 404 no_service"
    assert "SECRETTOKEN" not in str(delivery) and delivery.label == "slack (env SLACK)"


def test_an_outage_is_retried_then_reported():
    with LocalHttpsServer({("POST", "/hook"): ok(500, "boom")}) as server:
        [delivery] = deliver(notice(), settings(WebhookChannel("webhook", url_env="HOOK", ca_bundle=server.ca_file),
                                                attempts=2), env={"HOOK": server.url + "/hook"})
        assert len(server.requests) == 2
    assert not delivery.delivered and delivery.attempts == 2 and delivery.error.startswith("HTTP 500")


def test_nothing_listening_is_a_connection_failure_after_the_retries():
    channel = WebhookChannel("webhook", url_env="HOOK")
    [delivery] = deliver(notice(), settings(channel, attempts=2), env={"HOOK": f"https://127.0.0.1:{free_port()}/x"})
    assert not delivery.delivered and delivery.attempts == 2
    assert delivery.error == "cannot connect: ConnectionError"


def test_a_missing_environment_variable_is_a_failed_delivery_not_a_crash():
    [delivery] = deliver(notice(), settings(WebhookChannel("teams", url_env="NOT_SET")), env={})
    assert not delivery.delivered and delivery.error == "environment variable NOT_SET is not set"


def test_a_failing_channel_does_not_stop_the_others():
    with LocalHttpsServer({("POST", "/hook"): ok()}) as server:
        good = WebhookChannel("webhook", url_env="HOOK", ca_bundle=server.ca_file)
        deliveries = deliver(notice(), settings(WebhookChannel("slack", url_env="UNSET"), good),
                             env={"HOOK": server.url + "/hook"})
    assert [d.delivered for d in deliveries] == [False, True]


# --- e-mail -------------------------------------------------------------------------------------------------

def email(smtp, **changes):
    channel = EmailChannel(smtp.host, "shadowai@example.com", ("security@example.com",), port=smtp.port,
                           ca_bundle=smtp.ca_file)
    return replace(channel, **changes)


CREDENTIALS = {"SHADOWAI_SMTP_USERNAME": "scanner", "SHADOWAI_SMTP_PASSWORD": "s3cret-pw"}


def test_email_goes_over_starttls_with_credentials_from_the_environment():
    with LocalSmtpServer(users={"scanner": "s3cret-pw"}) as smtp:
        [delivery] = deliver(notice(), settings(email(smtp)), env=CREDENTIALS)
        [mail] = smtp.messages
    assert delivery.delivered and delivery.label == f"email (127.0.0.1:{smtp.port})"
    assert mail.encrypted and mail.login == "scanner"
    assert mail.recipients == ["security@example.com"]
    assert mail.message["Subject"] == notice().title and mail.message["Auto-Submitted"] == "auto-generated"
    body = mail.message.get_content()
    assert "New AI services, not sanctioned:" in body and "/var/log/squid/access.log" in body
    assert "shadowai runs --db /var/lib/shadowai/shadowai.db --gaps" in body
    assert "s3cret-pw" not in mail.message.as_string()


def test_a_temporary_smtp_refusal_is_retried():
    with LocalSmtpServer(users={"scanner": "s3cret-pw"}, replies=["451 4.3.0 try again later"]) as smtp:
        [delivery] = deliver(notice(), settings(email(smtp)), env=CREDENTIALS)
        assert len(smtp.messages) == 1
    assert delivery.delivered and delivery.attempts == 2


@pytest.mark.parametrize("replies, env, error", [
    (["554 5.7.1 rejected by policy"], CREDENTIALS, "SMTP 554 5.7.1 rejected by policy"),
    ([], dict(CREDENTIALS, SHADOWAI_SMTP_PASSWORD="wrong"), "SMTP 535"),
    ([], {"SHADOWAI_SMTP_USERNAME": "scanner"}, "environment variable SHADOWAI_SMTP_PASSWORD is not set"),
])
def test_permanent_smtp_failures_are_reported_at_once(replies, env, error):
    with LocalSmtpServer(users={"scanner": "s3cret-pw"}, replies=list(replies)) as smtp:
        [delivery] = deliver(notice(), settings(email(smtp)), env=env)
        assert smtp.messages == []
    assert not delivery.delivered and delivery.attempts <= 1 and delivery.error.startswith(error)
    assert "wrong" not in delivery.error and "s3cret" not in delivery.error


def test_a_certificate_that_does_not_check_out_stops_before_anything_is_sent():
    with LocalSmtpServer(users={"scanner": "s3cret-pw"}) as smtp:
        [delivery] = deliver(notice(), settings(email(smtp, ca_bundle=None)), env=CREDENTIALS)
        assert smtp.logins == [] and smtp.messages == []
    assert not delivery.delivered and "TLS with 127.0.0.1" in delivery.error and "CERTIFICATE_VERIFY_FAILED" in \
        delivery.error


def test_a_server_without_starttls_gets_nothing():
    with LocalSmtpServer(starttls=False) as smtp:
        [delivery] = deliver(notice(), settings(email(smtp)), env=CREDENTIALS)
        assert smtp.messages == []
    assert not delivery.delivered and delivery.error.endswith("does not offer STARTTLS; nothing was sent")


def test_an_smtp_server_that_is_down_is_retried_then_reported():
    channel = EmailChannel("127.0.0.1", "a@example.com", ("b@example.com",), port=free_port())
    [delivery] = deliver(notice(), settings(channel, attempts=2), env=CREDENTIALS)
    assert not delivery.delivered and delivery.attempts == 2
    assert delivery.error == f"cannot talk to 127.0.0.1:{channel.port}: ConnectionRefusedError"

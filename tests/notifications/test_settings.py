"""The [notifications] table: channels, events, and the secrets that must stay out of the file."""

import textwrap

import pytest

from scanner.config import ConfigError, load_config
from scanner.notifications.settings import DEFAULT_EVENTS, EmailChannel, WebhookChannel


def config(tmp_path, text):
    path = tmp_path / "shadowai.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_channel_loads_with_its_defaults(tmp_path):
    settings = load_config(config(tmp_path, """
        [notifications]
        attempts = 5
        [notifications.webhook]
        url = "https://siem.example.com/hooks/shadowai"
        [notifications.slack]
        url_env = "SLACK_URL"
        [notifications.teams]
        url_env = "TEAMS_URL"
        [notifications.email]
        host = "smtp.example.com"
        from = "shadowai@example.com"
        to = ["security@example.com", "ciso@example.com"]
    """)).notifications
    webhook, slack, teams, email = settings.channels
    assert webhook == WebhookChannel("webhook", url="https://siem.example.com/hooks/shadowai")
    assert (slack.kind, slack.url_env, slack.label) == ("slack", "SLACK_URL", "slack (env SLACK_URL)")
    assert teams.kind == "teams"
    assert email == EmailChannel("smtp.example.com", "shadowai@example.com",
                                 ("security@example.com", "ciso@example.com"))
    assert (email.port, email.starttls, email.password_env) == (587, True, "SHADOWAI_SMTP_PASSWORD")
    assert (settings.events, settings.attempts) == (DEFAULT_EVENTS, 5)


def test_no_table_means_no_notifications(tmp_path):
    assert load_config(config(tmp_path, "[sources.logs]\npaths = ['a.log']\n")).notifications is None


@pytest.mark.parametrize("text, message", [
    ("""
     [notifications.slack]
     url = "https://hooks.slack.com/services/T0/B0/XXXX"
     """, "shadowai.toml:3: notifications.slack.url: a slack webhook URL is a secret"),
    ("""
     [notifications]
     events = ["new-service", "everything"]
     """, "shadowai.toml:3: notifications.events: unknown event 'everything'"),
    ("""
     [notifications.slak]
     url_env = "X"
     """, "did you mean 'slack'?"),
    ("""
     [notifications.webhook]
     ca_bundle = "missing.pem"
     url_env = "X"
     """, "notifications.webhook.ca_bundle: no such file"),
    ("""
     [notifications.teams]
     """, "needs one of 'url_env'"),
    ("""
     [notifications.email]
     host = "smtp.example.com"
     from = "a@example.com"
     to = ["b@example.com"]
     starttls = false
     """, "shadowai.toml:6: notifications.email.starttls: false is allowed only for a mail relay on this machine"),
])
def test_mistakes_are_errors_naming_the_line(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        load_config(config(tmp_path, text))
    assert message in str(caught.value)


def test_a_local_relay_may_go_without_starttls(tmp_path):
    [email] = load_config(config(tmp_path, """
        [notifications.email]
        host = "localhost"
        port = 25
        from = "a@example.com"
        to = ["b@example.com"]
        starttls = false
    """)).notifications.channels
    assert (email.port, email.starttls) == (25, False)


def test_the_starters_notifications_example_loads_when_uncommented(tmp_path):
    from importlib.resources import files

    starter = files("scanner.config").joinpath("starter.toml").read_text(encoding="utf-8")
    example = starter[starter.index("# [notifications]"):]
    text = "\n".join(line[2:].split("   #")[0] if line.startswith("# ") else line for line in example.splitlines())
    settings = load_config(config(tmp_path, text)).notifications
    assert [channel.kind for channel in settings.channels] == ["webhook", "slack", "teams", "email"]

"""The [notifications] table of shadowai.toml: which events to tell about, and where.

    [notifications]
    events = ["new-service", "new-blocked-user", "failed-run"]   # the default; "partial-run" also exists
    attempts = 3                  # tries per channel before the delivery is a coverage gap
    backoff = 2.0                 # seconds before the second try, doubled for each next one
    [notifications.webhook]       # generic JSON webhook
    url_env = "SHADOWAI_WEBHOOK_URL"
    [notifications.slack]         # Slack incoming webhook
    url_env = "SHADOWAI_SLACK_WEBHOOK_URL"
    [notifications.teams]         # Microsoft Teams workflow ("When a Teams webhook request is received")
    url_env = "SHADOWAI_TEAMS_WEBHOOK_URL"
    [notifications.email]         # SMTP with STARTTLS; credentials from the environment
    host = "smtp.example.com"
    from = "shadowai@example.com"
    to = ["security@example.com"]

Webhook URLs of Slack and Teams carry their secret in the URL itself, so they are read from the environment
variable the table names, never from the file. SMTP credentials come from SHADOWAI_SMTP_USERNAME and
SHADOWAI_SMTP_PASSWORD (or the variables named by ``username_env`` / ``password_env``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.config.schema import Field

EVENTS = {
    "new-service": "an AI service new to the inventory and not sanctioned (unsanctioned or blocked)",
    "new-blocked-user": "a user, device or account seen for the first time using a blocked service",
    "failed-run": "a source that could not run or did not finish (module missing, options refused, crash, "
                  "lock, interrupted, run failed)",
    "partial-run": "a source whose run is partial (bad records or a coverage gap)",
}
DEFAULT_EVENTS = ("new-service", "new-blocked-user", "failed-run")
SECRET_URL_KINDS = ("slack", "teams")  # their URL is the credential
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")

COMMON_FIELDS: dict[str, Field] = {
    "events": Field("strings", "Events to notify: " + ", ".join(EVENTS) + f" (default: {', '.join(DEFAULT_EVENTS)})."),
    "attempts": Field("int", "Tries per channel before a failed delivery is recorded as a coverage gap (default 3)."),
    "backoff": Field("number", "Seconds before the second try, doubled for each next one (default 2)."),
    "timeout": Field("number", "Seconds to wait for a channel to answer (default 20)."),
}
WEBHOOK_FIELDS: dict[str, Field] = {
    "url": Field("str", "The webhook's URL (generic webhook only: Slack and Teams URLs are secrets, use url_env)."),
    "url_env": Field("str", "Environment variable holding the webhook's URL."),
    "ca_bundle": Field("path", "CA certificates to trust instead of the system's (an internal CA)."),
}
EMAIL_FIELDS: dict[str, Field] = {
    "host": Field("str", "SMTP server.", required=True),
    "port": Field("int", "SMTP port (default 587, the submission port)."),
    "from": Field("str", "Sender address.", required=True),
    "to": Field("strings", "Recipient addresses.", required=True),
    "starttls": Field("bool", "Upgrade the connection with STARTTLS before anything is sent (default true; false "
                              "only for a relay on localhost)."),
    "username_env": Field("str", "Environment variable holding the SMTP user (default SHADOWAI_SMTP_USERNAME)."),
    "password_env": Field("str", "Environment variable holding the SMTP password (default SHADOWAI_SMTP_PASSWORD)."),
    "ca_bundle": Field("path", "CA certificates to trust instead of the system's (an internal CA)."),
}
CHANNEL_FIELDS = {"webhook": WEBHOOK_FIELDS, "slack": WEBHOOK_FIELDS, "teams": WEBHOOK_FIELDS, "email": EMAIL_FIELDS}


@dataclass(frozen=True)
class WebhookChannel:
    kind: str  # webhook | slack | teams
    url: str | None = None
    url_env: str | None = None
    ca_bundle: Path | None = None

    @property
    def label(self) -> str:
        """How messages name the channel: never the URL itself (for Slack and Teams it is the credential)."""
        return f"{self.kind} (env {self.url_env})" if self.url_env else self.kind


@dataclass(frozen=True)
class EmailChannel:
    host: str
    sender: str
    recipients: tuple[str, ...]
    port: int = 587
    starttls: bool = True
    username_env: str = "SHADOWAI_SMTP_USERNAME"
    password_env: str = "SHADOWAI_SMTP_PASSWORD"
    ca_bundle: Path | None = None
    kind: str = "email"

    @property
    def label(self) -> str:
        return f"email ({self.host}:{self.port})"


@dataclass(frozen=True)
class NotificationSettings:
    channels: tuple[WebhookChannel | EmailChannel, ...] = ()
    events: tuple[str, ...] = DEFAULT_EVENTS
    attempts: int = 3
    backoff: float = 2.0
    timeout: float = 20.0


def load_notifications(check, data: Any) -> NotificationSettings | None:
    """The [notifications] table checked with the config loader's Checker (errors name the file and line)."""
    if not data:
        return None
    key = ("notifications",)
    data = check.table(key, data)
    check.known(key, data, list(COMMON_FIELDS) + list(CHANNEL_FIELDS))
    common = check.fields(key, {k: v for k, v in data.items() if k not in CHANNEL_FIELDS}, COMMON_FIELDS)
    for name in common.get("events", ()):
        if name not in EVENTS:
            raise check.fail(key + ("events",), f"notifications.events: unknown event '{name}' "
                                                f"(known: {', '.join(EVENTS)})")
    if common.get("attempts", 3) < 1:
        raise check.fail(key + ("attempts",), "notifications.attempts: must be at least 1")
    channels = []
    for kind, fields in CHANNEL_FIELDS.items():
        if kind not in data:
            continue
        where = key + (kind,)
        values = check.fields(where, check.table(where, data[kind]), fields)
        if "ca_bundle" in values and not values["ca_bundle"].is_file():
            raise check.fail(where + ("ca_bundle",), f"notifications.{kind}.ca_bundle: no such file: "
                                                     f"{values['ca_bundle']}")
        if kind == "email":
            if values.get("starttls") is False and values["host"] not in LOCAL_HOSTS:
                raise check.fail(where + ("starttls",), "notifications.email.starttls: false is allowed only for a "
                                 "mail relay on this machine (localhost): the report names people and services, "
                                 "and credentials would travel in clear")
            channels.append(EmailChannel(host=values["host"], sender=values["from"], recipients=tuple(values["to"]),
                                         port=values.get("port", 587), starttls=values.get("starttls", True),
                                         username_env=values.get("username_env", "SHADOWAI_SMTP_USERNAME"),
                                         password_env=values.get("password_env", "SHADOWAI_SMTP_PASSWORD"),
                                         ca_bundle=values.get("ca_bundle")))
            continue
        if ("url" in values) == ("url_env" in values):
            raise check.fail(where, f"[notifications.{kind}] needs one of 'url_env' (the environment variable "
                                    "holding the URL) or 'url'")
        if "url" in values and kind in SECRET_URL_KINDS:
            raise check.fail(where + ("url",), f"notifications.{kind}.url: a {kind} webhook URL is a secret (anyone "
                             "who has it can post): put it in an environment variable and name it with url_env")
        channels.append(WebhookChannel(kind, url=values.get("url"), url_env=values.get("url_env"),
                                       ca_bundle=values.get("ca_bundle")))
    return NotificationSettings(channels=tuple(channels), events=tuple(common.get("events", DEFAULT_EVENTS)),
                                attempts=common.get("attempts", 3), backoff=float(common.get("backoff", 2.0)),
                                timeout=float(common.get("timeout", 20.0)))

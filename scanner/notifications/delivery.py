"""Send a notice to every configured channel. A channel that fails is retried, then reported — never raised.

Webhooks go through the shared HttpClient (timeouts; 429 and 5xx retried with backoff, honouring
Retry-After). E-mail goes over SMTP, upgraded with STARTTLS (certificate and host name checked) before any
credential or content is sent; connection faults and 4xx replies are retried, 5xx replies are final.
Failure messages name the channel by kind and environment variable, never by URL: a Slack or Teams webhook
URL is itself the credential. Credentials are read from the environment at send time and never logged.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Callable, Mapping

from scanner.clients.http import ApiError, HttpClient, RetryPolicy
from scanner.notifications.events import Notice
from scanner.notifications.messages import as_text, slack_payload, teams_payload, webhook_payload
from scanner.notifications.settings import EmailChannel, NotificationSettings, WebhookChannel

PAYLOADS = {"webhook": webhook_payload, "slack": slack_payload, "teams": teams_payload}


@dataclass
class Delivery:
    channel: str  # kind: webhook, slack, teams, email
    label: str
    delivered: bool
    attempts: int
    error: str | None = None


class DeliveryFailed(Exception):
    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


def deliver(notice: Notice, settings: NotificationSettings, *, env: Mapping[str, str] | None = None,
            sleep: Callable[[float], None] = time.sleep) -> list[Delivery]:
    env = os.environ if env is None else env
    deliveries = []
    for channel in settings.channels:
        try:
            if isinstance(channel, EmailChannel):
                attempts = send_email(channel, notice, settings, env, sleep)
            else:
                attempts = post_webhook(channel, notice, settings, env, sleep)
        except DeliveryFailed as exc:
            deliveries.append(Delivery(channel.kind, channel.label, False, exc.attempts, str(exc)))
        else:
            deliveries.append(Delivery(channel.kind, channel.label, True, attempts))
    return deliveries


def post_webhook(channel: WebhookChannel, notice: Notice, settings: NotificationSettings, env: Mapping[str, str],
                 sleep: Callable[[float], None]) -> int:
    url = channel.url or env.get(channel.url_env or "", "")
    if not url:
        raise DeliveryFailed(f"environment variable {channel.url_env} is not set", 0)
    if not url.startswith("https://") and not (channel.kind == "webhook" and url.startswith("http://")):
        raise DeliveryFailed(f"the URL in {channel.url_env or 'url'} must start with https://", 0)
    client = HttpClient(retry=RetryPolicy(attempts=settings.attempts, backoff=settings.backoff, sleep=sleep),
                        timeout=settings.timeout, verify=str(channel.ca_bundle) if channel.ca_bundle else True)
    try:
        client.post(url, json=PAYLOADS[channel.kind](notice))
    except ApiError as exc:
        raise DeliveryFailed(describe_http_failure(exc), client.retries + 1) from None
    return client.retries + 1


def describe_http_failure(exc: ApiError) -> str:
    """The status and the start of the answer (Slack says why: invalid_payload, channel_is_archived…), or the
    kind of connection fault; never the URL."""
    if exc.status is None:
        cause = exc.__cause__
        return f"cannot connect: {type(cause).__name__ if cause else type(exc).__name__}"
    detail = str(exc).split(f"HTTP {exc.status}", 1)[-1].strip()
    return f"HTTP {exc.status}" + (f" {detail[:200]}" if detail else "")


def email_message(channel: EmailChannel, notice: Notice) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = notice.title
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=channel.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    message.set_content(as_text(notice))
    return message


def credentials(channel: EmailChannel, env: Mapping[str, str]) -> tuple[str, str] | None:
    user, password = env.get(channel.username_env), env.get(channel.password_env)
    if not user and not password:
        return None
    if not user or not password:
        missing = channel.username_env if not user else channel.password_env
        raise DeliveryFailed(f"environment variable {missing} is not set (both the SMTP user and password are "
                             "needed)", 0)
    return user, password


def send_email(channel: EmailChannel, notice: Notice, settings: NotificationSettings, env: Mapping[str, str],
               sleep: Callable[[float], None]) -> int:
    login = credentials(channel, env)
    message = email_message(channel, notice)
    wait = settings.backoff
    for attempt in range(1, settings.attempts + 1):
        try:
            with smtplib.SMTP(channel.host, channel.port, timeout=settings.timeout) as smtp:
                smtp.ehlo()
                if channel.starttls:
                    if not smtp.has_extn("starttls"):
                        raise DeliveryFailed(f"{channel.host}:{channel.port} does not offer STARTTLS; nothing was "
                                             "sent", attempt)
                    context = ssl.create_default_context(
                        cafile=str(channel.ca_bundle) if channel.ca_bundle else None)
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if login:
                    smtp.login(*login)
                smtp.send_message(message)
            return attempt
        except DeliveryFailed:
            raise
        except ssl.SSLError as exc:  # a certificate that does not check out will not check out on a retry
            raise DeliveryFailed(f"TLS with {channel.host}:{channel.port} failed: {exc.reason or exc}", attempt) \
                from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _ in exc.recipients.values()})
            problem, transient = f"recipients refused (SMTP {', '.join(map(str, codes))})", all(
                400 <= code < 500 for code in codes)
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(
                exc.smtp_error)
            problem, transient = f"SMTP {exc.smtp_code} {' '.join(text.split())[:200]}", 400 <= exc.smtp_code < 500
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryFailed(f"{channel.host}:{channel.port}: {exc}", attempt) from None
        except (smtplib.SMTPException, OSError, socket.timeout) as exc:
            problem, transient = f"cannot talk to {channel.host}:{channel.port}: {type(exc).__name__}", True
        if not transient or attempt == settings.attempts:
            raise DeliveryFailed(problem, attempt)
        sleep(wait)
        wait *= 2
    raise AssertionError("unreachable")

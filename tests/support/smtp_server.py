"""A real SMTP server on 127.0.0.1 (aiosmtpd) that requires STARTTLS, with a throwaway certificate, and AUTH.

Messages it accepts are kept in ``server.messages`` (with whether the session was encrypted and who logged
in). ``replies`` queues SMTP answers to DATA (``"451 4.3.0 try again later"``) for the next messages, to test
retries and refusals; when it is empty, messages are accepted.

    with LocalSmtpServer(users={"scanner": "s3cret"}) as smtp:
        ...  # send to smtp.host:smtp.port, trusting smtp.ca_file
"""

from __future__ import annotations

import socket
import tempfile
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.https_server import self_signed_certificate


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ReceivedMail:
    mail_from: str
    recipients: list[str]
    message: EmailMessage
    encrypted: bool
    login: str | None


@dataclass
class LocalSmtpServer:
    users: dict[str, str] = field(default_factory=dict)
    replies: list[str] = field(default_factory=list)
    messages: list[ReceivedMail] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)  # (user, accepted)
    starttls: bool = True  # False: a server that offers no STARTTLS at all

    def __enter__(self) -> "LocalSmtpServer":
        self._dir = tempfile.TemporaryDirectory(prefix="shadowai-smtp-")
        cert_file, key_file = self_signed_certificate(Path(self._dir.name))
        self.ca_file = str(cert_file)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        server = self

        class Handler:
            async def handle_DATA(self, _server, session, envelope):
                if server.replies:
                    return server.replies.pop(0)
                server.messages.append(ReceivedMail(
                    envelope.mail_from, list(envelope.rcpt_tos),
                    message_from_bytes(envelope.original_content or envelope.content, policy=policy.default),
                    session.ssl is not None, getattr(session, "shadowai_user", None)))
                return "250 2.0.0 Message accepted for delivery"

        def authenticator(_server, session, _envelope, _mechanism, auth_data):
            if not isinstance(auth_data, LoginPassword):
                return AuthResult(success=False, handled=False)
            user, password = auth_data.login.decode(), auth_data.password.decode()
            accepted = self.users.get(user) == password
            self.logins.append((user, accepted))
            if accepted:
                session.shadowai_user = user
            return AuthResult(success=accepted, handled=False)

        self.host, self.port = "127.0.0.1", free_port()
        self.controller = Controller(Handler(), hostname=self.host, port=self.port,
                                     tls_context=context if self.starttls else None, require_starttls=self.starttls, auth_required=bool(self.users), auth_require_tls=True,
                                     authenticator=authenticator)
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
        self._dir.cleanup()

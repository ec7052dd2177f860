"""The two ways a notice leaves Govern: an e-mail over SMTP, a signed webhook POST.

A channel takes a frozen message and makes one attempt, returning an :class:`Attempt`; it
never touches the database (the dispatcher calls it with no session open) and never raises
for a delivery problem: a refused connection is a failed attempt, to be retried.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Protocol

from governance.config import Settings
from governance.webhooks.delivery import post

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class Attempt:
    ok: bool
    status_code: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str
    lang: str
    event_id: str


@dataclass(frozen=True)
class WebhookRequest:
    url: str
    event: str
    body: bytes
    headers: dict[str, str] = field(hash=False)


class Mailer(Protocol):
    def send(self, mail: Mail) -> Attempt: ...


class Poster(Protocol):
    def send(self, request: WebhookRequest) -> Attempt: ...

    def close(self) -> None: ...


def build_message(mail: Mail, sender: str) -> EmailMessage:
    """multipart/alternative: the plain text first, the HTML after it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(idstring=mail.event_id.replace("-", ""), domain="govern")
    message["Content-Language"] = mail.lang
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


@dataclass(frozen=True)
class SmtpMailer:
    """Sends over SMTP (``GOVERN_SMTP_*``): STARTTLS and login when configured."""

    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    timeout: float = 20.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer | None:
        if not settings.smtp_host:
            return None
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
            settings.smtp_user,
            password,
            settings.smtp_starttls,
            settings.smtp_timeout,
        )

    def send(self, mail: Mail) -> Attempt:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(build_message(mail, self.sender))
        except (OSError, smtplib.SMTPException) as exc:
            return Attempt(False, _smtp_code(exc), f"{type(exc).__name__}: {exc}"[:500])
        return Attempt(True)


def _smtp_code(exc: Exception) -> int | None:
    code = getattr(exc, "smtp_code", None)
    return code if isinstance(code, int) else None


def _http_client() -> httpx.Client:
    """httpx is imported when a webhook is sent, not whenever `govern` starts."""
    import httpx

    return httpx.Client(timeout=10.0, follow_redirects=False)


@dataclass
class HttpPoster:
    """POSTs signed webhook bodies (one attempt each).

    The client is made by the first send: every scan builds a dispatcher to deliver what it
    queued, and most have no webhook to send, so they never import httpx.
    """

    client: httpx.Client | None = None

    def send(self, request: WebhookRequest) -> Attempt:
        if self.client is None:
            self.client = _http_client()
        outcome = post(self.client, request.url, request.body, request.headers, request.event)
        return Attempt(outcome.delivered, outcome.status, outcome.error)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


def send_now(request: WebhookRequest) -> Attempt:
    """One request sent at once on a client of its own: a ping asked for from a page, the API or the CLI."""
    poster = HttpPoster()
    try:
        return poster.send(request)
    finally:
        poster.close()


@dataclass
class Channels:
    """What the dispatcher sends with; no mailer means e-mail deliveries wait (and say why)."""

    mailer: Mailer | None
    poster: Poster

    @classmethod
    def from_settings(cls, settings: Settings) -> Channels:
        return cls(SmtpMailer.from_settings(settings), HttpPoster())

    def close(self) -> None:
        self.poster.close()

    def mail(self, mail: Mail) -> Attempt:
        if self.mailer is None:
            return Attempt(False, None, "no mail server configured (GOVERN_SMTP_HOST)")
        return self.mailer.send(mail)

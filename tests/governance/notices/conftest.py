"""Real servers for notice tests: an SMTP server (aiosmtpd) and an HTTP receiver on loopback.

Also a small world of two vendors (each with a module, a user and a webhook), a PM, and a
clock the test moves by hand.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from governance.db import Database
from governance.notices.channels import Channels, HttpPoster, SmtpMailer
from governance.notices.dispatch import Dispatcher
from governance.notices.models import NoticePreference, Webhook
from governance.registry import service as registry


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """aiosmtpd handler: keeps every message it is given, parsed with the ``email`` package."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse = 0  # answer this many transactions with 451 (a temporary failure)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse > 0:
            self.refuse -= 1
            return "451 try again later"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A webhook receiver: records requests, answers with ``statuses`` in turn (then 200)."""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append(Received(dict(self.headers.items()), body))
            self.send_response(state.statuses.pop(0) if state.statuses else 200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@dataclass
class World:
    ids: dict[str, int]
    secrets: dict[str, str]


def _prefer(session: Any, user_id: int, address: str, **kwargs: Any) -> None:
    session.add(NoticePreference(user_id=user_id, email=address, **kwargs))


@pytest.fixture
def world(database: Database, receiver: Receiver) -> World:
    """Acme Soft (module PAY, dev 'acme-dev' zh-CN, webhook on PAY) and Other Co (module TAX,
    dev 'other-dev' en, webhook on the vendor), and a PM 'pm' (en)."""
    with database.session() as session:
        registry.create_vendor(session, name="Acme Soft", actor="t")
        registry.create_vendor(session, name="Other Co", actor="t")
        pay = registry.create_module(session, key="PAY", vendor="Acme Soft", actor="t")
        tax = registry.create_module(session, key="TAX", vendor="Other Co", actor="t")
        acme = registry.create_user(session, name="acme-dev", role="vendor", vendor="Acme Soft", actor="t")
        other = registry.create_user(session, name="other-dev", role="vendor", vendor="Other Co", actor="t")
        pm = registry.create_user(session, name="pm", role="pm", actor="t")
        acme.locale, other.locale, pm.locale = "zh-CN", "en", "en"
        _prefer(session, acme.id, "acme-dev@acme.example")
        _prefer(session, other.id, "other-dev@other.example")
        _prefer(session, pm.id, "pm@org.example")
        session.add(Webhook(module_id=pay.id, url=receiver.url("/pay"), secret="pay-hook-secret", events=[]))
        session.add(
            Webhook(vendor_id=tax.vendor_id, url=receiver.url("/other"), secret="other-secret", events=[])
        )
        ids = {
            "PAY": pay.id,
            "TAX": tax.id,
            "acme": pay.vendor_id,
            "other": tax.vendor_id,
            "acme-dev": acme.id,
            "other-dev": other.id,
            "pm": pm.id,
        }
    return World(ids, {"PAY": "pay-hook-secret", "other": "other-secret"})


@pytest.fixture
def dispatcher(database: Database, smtp: tuple[Inbox, int], clock: Clock) -> Iterator[Dispatcher]:
    _inbox, port = smtp
    poster = HttpPoster()
    mailer = SmtpMailer("127.0.0.1", port, "govern@org.example", timeout=10.0)
    yield Dispatcher(database, Channels(mailer, poster), clock=clock, max_attempts=4)
    poster.close()

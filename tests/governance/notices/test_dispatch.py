"""Delivering notices over a real SMTP server and a real HTTP receiver, on a controlled clock."""

from __future__ import annotations

from email.message import EmailMessage

from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.notices.channels import Attempt, Channels
from governance.notices.dispatch import Dispatcher
from governance.notices.models import DeliveryStatus, NoticeAttempt, NoticeDelivery
from governance.notices.outbox import enqueue
from governance.registry import service as registry
from governance.registry.models import Vendor
from governance.webhooks.delivery import EVENT_ID, TIMESTAMP, verify

TICKET = {
    "module": "PAY",
    "ticket": 12,
    "title": "Hard-coded password in src/pay/core.py",
    "severity": "high",
    "due": "2027-01-18",
    "url": "/tickets/12",
    "findings": [
        {"rule": "bandit:B105", "path": "src/pay/core.py", "line": 5, "message": "password 'hunter2'"}
    ],
}


def _enqueue(database, world, event="ticket.opened", module="PAY", payload=TICKET) -> None:
    with database.session() as session:
        enqueue(session, event=event, module_id=world.ids[module], vendor_id=None, payload=payload)


def _parts(message: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_email_goes_to_the_vendor_in_its_language_as_text_and_html(database, world, dispatcher, smtp) -> None:
    inbox, _port = smtp
    _enqueue(database, world)
    report = dispatcher.dispatch()
    assert report.fanned_out == 1 and report.failed == 0
    (message,) = inbox.to("acme-dev@acme.example")
    assert message["Subject"] == "PAY 新建整改工单"
    assert message.get_content_type() == "multipart/alternative"
    parts = _parts(message)
    assert "acme-dev，您好" in parts["text/plain"] and "严重程度: high" in parts["text/plain"]
    assert "<th align='left'>标题</th>" in parts["text/html"]
    assert "hunter2" not in message.as_string()  # the secret rule's message is masked
    assert inbox.to("other-dev@other.example") == [] and inbox.to("pm@org.example") == []


def test_english_reader_gets_english(database, world, dispatcher, smtp) -> None:
    inbox, _port = smtp
    with database.session() as session:
        english = registry.create_user(
            session, name="acme-lead", role="vendor", vendor="Acme Soft", actor="t"
        )
        english.locale = "en"
        from governance.notices.models import NoticePreference

        session.add(NoticePreference(user_id=english.id, email="lead@acme.example"))
    _enqueue(database, world)
    dispatcher.dispatch()
    (message,) = inbox.to("lead@acme.example")
    assert message["Subject"] == "Rectification ticket opened for PAY"
    text = _parts(message)["text/plain"]
    assert "Hello acme-lead," in text and "Severity: high" in text and "Due: 2027-01-18" in text


def test_webhook_is_signed_and_carries_event_id_and_timestamp(
    database, world, dispatcher, receiver, clock
) -> None:
    _enqueue(database, world, event="gate.failed", payload={"module": "PAY", "scan": 3, "gate_passed": False})
    dispatcher.dispatch()
    (request,) = receiver.requests
    stamp = int(clock.now.timestamp())
    assert verify("pay-hook-secret", request.body, request.headers, now=stamp)
    assert not verify("wrong-secret", request.body, request.headers, now=stamp)
    assert not verify("pay-hook-secret", request.body, request.headers, now=stamp + 3600)  # a replay, later
    tampered = request.body.replace(b'"scan": 3', b'"scan": 4')
    assert not verify("pay-hook-secret", tampered, request.headers, now=stamp)
    assert request.json["event"] == "gate.failed" and request.json["data"]["scan"] == 3
    assert request.headers[EVENT_ID] == request.json["id"] and request.headers[TIMESTAMP] == str(stamp)
    dispatcher.dispatch()
    assert len(receiver.requests) == 1  # delivered once


def test_failed_webhook_is_retried_with_backoff_and_logged(
    database, world, dispatcher, receiver, clock
) -> None:
    receiver.statuses = [500, 503]
    with database.session() as session:
        # The state change and its notice, in one transaction.
        session.add(Vendor(name="Newly Registered"))
        enqueue(
            session,
            event="gate.failed",
            module_id=world.ids["PAY"],
            vendor_id=None,
            payload={"module": "PAY"},
        )
    assert dispatcher.dispatch().retrying == 1
    clock.advance(seconds=59)
    dispatcher.dispatch()
    assert len(receiver.requests) == 1  # the first retry waits 60 s
    clock.advance(seconds=1)
    dispatcher.dispatch()
    assert len(receiver.requests) == 2
    clock.advance(seconds=119)
    dispatcher.dispatch()
    assert len(receiver.requests) == 2  # the second waits 120 s
    clock.advance(seconds=1)
    assert dispatcher.dispatch().delivered == 1
    ids = {r.headers[EVENT_ID] for r in receiver.requests}
    assert len(ids) == 1  # the same event id on every try: a receiver drops duplicates
    with database.session() as session:
        hook = session.exec(select(NoticeDelivery).where(NoticeDelivery.channel == "webhook")).one()
        attempts = session.exec(select(NoticeAttempt).where(NoticeAttempt.delivery_id == hook.id)).all()
        assert [(a.number, a.ok, a.status_code) for a in attempts] == [
            (1, False, 500),
            (2, False, 503),
            (3, True, 200),
        ]
        assert hook.status == DeliveryStatus.delivered and hook.attempts == 3
        assert session.exec(select(Vendor).where(Vendor.name == "Newly Registered")).one()


def test_mail_server_down_gives_up_after_max_attempts_and_keeps_the_change(database, world, clock) -> None:
    from governance.notices.channels import HttpPoster, SmtpMailer
    from tests.governance.notices.conftest import free_port

    dead = SmtpMailer("127.0.0.1", free_port(), "govern@org.example", timeout=5.0)
    dispatcher = Dispatcher(database, Channels(dead, HttpPoster()), clock=clock, max_attempts=3)
    with database.session() as session:
        session.add(Vendor(name="Kept Co"))
        enqueue(
            session,
            event="ticket.closed",
            module_id=world.ids["PAY"],
            vendor_id=None,
            payload={"module": "PAY"},
        )
    for minutes in (0, 1, 2):
        clock.advance(minutes=minutes)
        dispatcher.dispatch()
    with database.session() as session:
        mail = session.exec(select(NoticeDelivery).where(NoticeDelivery.channel == "email")).one()
        assert mail.status == DeliveryStatus.failed and mail.attempts == 3
        assert "ConnectionRefusedError" in (mail.last_error or "")
        assert len(session.exec(select(NoticeAttempt).where(NoticeAttempt.delivery_id == mail.id)).all()) == 3
        assert session.exec(select(Vendor).where(Vendor.name == "Kept Co")).one()
        failed = session.exec(select(AuditEvent).where(AuditEvent.action == "notice.failed")).all()
        assert [e.target_id for e in failed] == [str(mail.id)]


def test_no_transaction_is_open_while_sending(database, world, clock) -> None:
    seen: list[int] = []

    class Watching:
        def send(self, message) -> Attempt:
            seen.append(database.engine.pool.checkedout())
            return Attempt(True, 250)

    dispatcher = Dispatcher(database, Channels(Watching(), Watching()), clock=clock)
    _enqueue(database, world)
    dispatcher.dispatch()
    assert seen and set(seen) == {0}


def test_a_channel_that_raises_is_a_recorded_failed_attempt(database, world, clock) -> None:
    class Broken:
        def send(self, message) -> Attempt:
            raise RuntimeError("bug in a channel")

    dispatcher = Dispatcher(database, Channels(Broken(), Broken()), clock=clock)
    _enqueue(database, world)
    assert dispatcher.dispatch().retrying == 2  # the mail and the webhook
    with database.session() as session:
        errors = {a.error for a in session.exec(select(NoticeAttempt)).all()}
    assert errors == {"RuntimeError: bug in a channel"}

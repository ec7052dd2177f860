"""Who gets a notice: the vendor's own users only, PMs for requests, each by their preferences."""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance.errors import InvalidInput
from governance.notices.digest import send_digests
from governance.notices.models import DeliveryStatus, NoticeAttempt, NoticeDelivery
from governance.notices.outbox import enqueue
from governance.notices.preferences import get_preferences, set_preferences
from governance.registry.models import User


def _enqueue(database, world, event, module="PAY", **payload) -> None:
    with database.session() as session:
        enqueue(
            session,
            event=event,
            module_id=world.ids[module],
            vendor_id=None,
            payload={"module": module, **payload},
        )


def _user(session, name) -> User:
    return session.exec(select(User).where(User.name == name)).one()


def _prefer(database, name, **kwargs) -> None:
    with database.session() as session:
        set_preferences(session, user=_user(session, name), **kwargs)


def test_a_vendor_never_receives_another_vendors_notice(database, world, dispatcher, smtp, receiver) -> None:
    inbox, _port = smtp
    _enqueue(database, world, "ticket.opened", title="Other vendor's secret plan")
    _enqueue(database, world, "push.refused", module="TAX", title="TAX only")
    dispatcher.dispatch()
    assert [m["Subject"] for m in inbox.to("acme-dev@acme.example")] == ["PAY 新建整改工单"]
    (other,) = inbox.to("other-dev@other.example")
    assert "TAX" in other["Subject"]
    assert all("Other vendor's secret plan" not in m.as_string() for m in inbox.to("other-dev@other.example"))
    paths = sorted(r.json["data"]["module"] for r in receiver.requests)
    assert paths == ["PAY", "TAX"]
    by_module = {r.json["data"]["module"]: r for r in receiver.requests}
    assert b"secret plan" not in by_module["TAX"].body  # the other vendor's webhook got only its own


def test_requests_and_escalations_go_to_pms(database, world, dispatcher, smtp) -> None:
    inbox, _port = smtp
    _enqueue(database, world, "waiver.requested", reason="false positive in generated code")
    _enqueue(database, world, "ticket.overdue", ticket=3)
    dispatcher.dispatch()
    assert sorted(m["Subject"] for m in inbox.to("pm@org.example")) == [
        "Ticket overdue for PAY",
        "Waiver requested for PAY",
    ]
    assert [m["Subject"] for m in inbox.to("acme-dev@acme.example")] == ["PAY 的整改工单已逾期"]


def test_preferences_choose_the_events(database, world, dispatcher, smtp) -> None:
    inbox, _port = smtp
    _prefer(database, "acme-dev", email="acme-dev@acme.example", mode="immediate", events=["ticket.closed"])
    _enqueue(database, world, "ticket.opened")
    _enqueue(database, world, "ticket.closed")
    dispatcher.dispatch()
    assert [m["Subject"] for m in inbox.to("acme-dev@acme.example")] == ["PAY 的整改工单已关闭"]


def test_no_address_no_mail_and_deactivated_users_get_nothing(database, world, dispatcher, smtp) -> None:
    inbox, _port = smtp
    _prefer(database, "acme-dev", email="", mode="immediate", events=["ticket.opened"])
    with database.session() as session:
        _user(session, "pm").active = False
    _enqueue(database, world, "ticket.opened")
    _enqueue(database, world, "waiver.requested")
    dispatcher.dispatch()
    assert inbox.messages == []


def test_digest_readers_get_one_mail_a_day(database, world, dispatcher, smtp, clock) -> None:
    inbox, _port = smtp
    _prefer(
        database,
        "acme-dev",
        email="acme-dev@acme.example",
        mode="digest",
        events=["ticket.opened", "gate.failed"],
    )
    _enqueue(database, world, "ticket.opened", ticket=1)
    clock.advance(hours=2)
    _enqueue(database, world, "gate.failed", scan=9)
    dispatcher.dispatch()
    assert send_digests(dispatcher).sent == 0
    assert inbox.to("acme-dev@acme.example") == []
    clock.advance(hours=22)
    dispatcher.dispatch()
    assert send_digests(dispatcher).sent == 0  # the first notice waits since the first pass, 24 h
    clock.advance(hours=2)
    assert send_digests(dispatcher).sent == 1
    (digest,) = inbox.to("acme-dev@acme.example")
    assert digest["Subject"] == "Govern：今日 2 条通知"
    text = digest.get_body(("plain",)).get_content()
    assert "PAY 新建整改工单" in text and "PAY 未通过质量门禁" in text
    assert send_digests(dispatcher).sent == 0  # sent once
    with database.session() as session:
        rows = session.exec(
            select(NoticeDelivery).where(NoticeDelivery.user_id == world.ids["acme-dev"])
        ).all()
        assert {r.status for r in rows} == {DeliveryStatus.delivered}
        assert len(session.exec(select(NoticeAttempt).where(NoticeAttempt.ok)).all()) >= 2


def test_preferences_are_validated_and_offered_by_role(database, world) -> None:
    with database.session() as session:
        vendor = _user(session, "acme-dev")
        with pytest.raises(InvalidInput, match="invalid e-mail"):
            set_preferences(session, user=vendor, email="not-an-address", mode="immediate", events=[])
        with pytest.raises(InvalidInput, match="not offered"):
            set_preferences(session, user=vendor, email=None, mode="immediate", events=["waiver.requested"])
        with pytest.raises(InvalidInput, match="immediate or digest"):
            set_preferences(session, user=vendor, email=None, mode="weekly", events=[])
        prefs = get_preferences(session, user=vendor)
        assert "ticket.opened" in prefs.offered and "waiver.requested" not in prefs.offered
        assert "scan.completed" not in prefs.events  # not e-mailed by default

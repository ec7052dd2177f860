"""The waiver workflow's notices: requested → PMs, approved → the vendor, expiring → once."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from governance.notices.models import Notice
from governance.registry import service as registry
from governance.timeutil import utcnow
from governance.waivers.notices import warn_expiring
from governance.waivers.service import WaiverRequest, decide_waiver, request_waiver


def _notices(database) -> list[Notice]:
    with database.session() as session:
        return list(session.exec(select(Notice).order_by(Notice.id)).all())


def test_request_approve_and_expiry_are_announced(database) -> None:
    with database.session() as session:
        registry.create_vendor(session, name="Acme Soft", actor="t")
        module = registry.create_module(session, key="PAY", vendor="Acme Soft", actor="t")
        vendor = registry.create_user(session, name="acme-dev", role="vendor", vendor="Acme Soft", actor="t")
        pm = registry.create_user(session, name="pm", role="pm", actor="t")
        asked = request_waiver(
            session,
            user=vendor,
            request=WaiverRequest(module="PAY", rule="bandit:B105", reason="fixtures hold test passwords"),
        )
        waiver_id = asked.id
    (requested,) = _notices(database)
    assert requested.event == "waiver.requested" and requested.vendor_id == module.vendor_id
    assert requested.payload["by"] == "acme-dev" and requested.payload["rule"] == "bandit:B105"
    now = utcnow()
    with database.session() as session:
        decide_waiver(
            session,
            user=pm,
            waiver_id=waiver_id,
            approve=True,
            reason="agreed, test code only",
            expires_at=now + timedelta(days=20),
            now=now,
        )
    assert [n.event for n in _notices(database)] == ["waiver.requested", "waiver.approved"]
    with database.session() as session:
        assert warn_expiring(session, now=now, days=7) == []  # 20 days left
        assert warn_expiring(session, now=now + timedelta(days=14), days=7) == [waiver_id]
    with database.session() as session:
        warn_expiring(session, now=now + timedelta(days=15), days=7)  # the next hourly pass
    assert [n.event for n in _notices(database)].count("waiver.expiring") == 1


def test_a_rejected_request_is_not_announced_as_approved(database) -> None:
    with database.session() as session:
        registry.create_vendor(session, name="Acme Soft", actor="t")
        registry.create_module(session, key="PAY", vendor="Acme Soft", actor="t")
        vendor = registry.create_user(session, name="acme-dev", role="vendor", vendor="Acme Soft", actor="t")
        pm = registry.create_user(session, name="pm", role="pm", actor="t")
        asked = request_waiver(
            session,
            user=vendor,
            request=WaiverRequest(module="PAY", rule="bandit:B105", reason="fixtures only here"),
        )
        decide_waiver(session, user=pm, waiver_id=asked.id, approve=False, reason="fix the code instead")
    assert [n.event for n in _notices(database)] == ["waiver.requested"]

"""The waiver workflow on real scans: request, decide, survive rescans and line moves, expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from governance.registry import service as registry
from governance.registry.models import User
from governance.scans.models import Finding, WaiverKind, WaiverState
from governance.timeutil import utcnow
from governance.waivers.service import (
    WaiverRequest,
    decide_waiver,
    list_waivers,
    request_waiver,
    revoke_waiver,
)
from tests.governance.scans.conftest import FLAWED

pytestmark = pytest.mark.slow


@pytest.fixture
def people(database, pay_module) -> dict[str, User]:
    with database.session() as session:
        registry.create_vendor(session, name="Other Co", actor="test")
        made = {
            "vendor": registry.create_user(
                session, name="acme-dev", role="vendor", vendor="Acme Soft", actor="t"
            ),
            "other": registry.create_user(
                session, name="other-dev", role="vendor", vendor="Other Co", actor="t"
            ),
            "pm": registry.create_user(session, name="pm", role="pm", actor="t"),
            "auditor": registry.create_user(session, name="aud", role="auditor", actor="t"),
        }
        for user in made.values():
            session.expunge(user)
    return made


def _password_finding(database, scan_id: int) -> Finding:
    with database.session() as session:
        rows = session.exec(select(Finding).where(Finding.scan_id == scan_id)).all()
    return next(f for f in rows if f.rule == "bandit:B105")


def test_waiver_survives_rescans_and_a_line_move(database, pay_module, scan_now, vendor_repo, people) -> None:
    first = scan_now(pay_module)
    finding = _password_finding(database, first.id)
    assert not finding.waived
    with database.session() as session:
        asked = request_waiver(
            session,
            user=people["vendor"],
            request=WaiverRequest(
                module="PAY", fingerprint=finding.fingerprint, reason="test fixture, not a real password"
            ),
        )
        assert asked.state == WaiverState.requested and asked.finding["path"] == "src/pay/core.py"
        waiver_id = asked.id
    with database.session() as session:
        approved = decide_waiver(
            session,
            user=people["pm"],
            waiver_id=waiver_id,
            approve=True,
            reason="checked: a fixture value",
            expires_at=utcnow() + timedelta(days=30),
        )
        assert approved.state == WaiverState.approved and approved.approver == "pm"
    moved = FLAWED.replace('"""Payments."""\n', '"""Payments."""\n# moved down\n# by two lines\n')
    vendor_repo.commit("PAY-2: move", {"src/pay/core.py": moved})
    scans = [scan_now(pay_module) for _ in range(3)]
    for scan in scans:
        row = _password_finding(database, scan.id)
        assert row.fingerprint == finding.fingerprint and row.waived, "the waiver follows the fingerprint"
    assert _password_finding(database, scans[0].id).line == finding.line + 2
    with database.session() as session:
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert {"waiver.requested", "waiver.approved"} <= set(actions)


def test_revoked_waiver_counts_again(database, pay_module, scan_now, people) -> None:
    finding = _password_finding(database, scan_now(pay_module).id)
    with database.session() as session:
        waiver = request_waiver(
            session,
            user=people["pm"],
            request=WaiverRequest(
                module="PAY",
                fingerprint=finding.fingerprint,
                reason="accepted for the pilot",
                kind=WaiverKind.accepted_risk,
            ),
        )
        assert waiver.state == WaiverState.approved, "a PM's own request is approved at once"
        waiver_id = waiver.id
    assert _password_finding(database, scan_now(pay_module).id).waived
    with database.session() as session:
        revoke_waiver(session, user=people["pm"], waiver_id=waiver_id, reason="pilot is over now")
    assert not _password_finding(database, scan_now(pay_module).id).waived


def test_who_may_do_what(database, pay_module, scan_now, people) -> None:
    finding = _password_finding(database, scan_now(pay_module).id)
    request = WaiverRequest(module="PAY", fingerprint=finding.fingerprint, reason="not a real secret at all")
    with database.session() as session, pytest.raises(NotFound):
        request_waiver(session, user=people["other"], request=request)
    with database.session() as session, pytest.raises(PermissionDenied):
        request_waiver(session, user=people["auditor"], request=request)
    with database.session() as session:
        waiver_id = request_waiver(session, user=people["vendor"], request=request).id
    with database.session() as session, pytest.raises(PermissionDenied):
        decide_waiver(
            session, user=people["vendor"], waiver_id=waiver_id, approve=True, reason="self approval"
        )
    with database.session() as session, pytest.raises(NotFound):
        list_waivers(session, user=people["other"], module="PAY")
    with database.session() as session:
        assert [w.id for w in list_waivers(session, user=people["auditor"], module="PAY")] == [waiver_id]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"reason": "short"}, InvalidInput),
        ({"fingerprint": "no-such-fingerprint"}, NotFound),
        ({"rule": "DEV-004"}, InvalidInput),  # both a fingerprint and a rule
    ],
)
def test_bad_requests_change_nothing(database, pay_module, scan_now, people, change, error) -> None:
    finding = _password_finding(database, scan_now(pay_module).id)
    values = {"module": "PAY", "fingerprint": finding.fingerprint, "reason": "a long enough reason", **change}
    with database.session() as session:
        before = len(session.exec(select(AuditEvent)).all())
    with database.session() as session, pytest.raises(error):
        request_waiver(session, user=people["vendor"], request=WaiverRequest(**values))
    with database.session() as session:
        assert list_waivers(session, user=people["pm"], module="PAY") == []
        assert len(session.exec(select(AuditEvent)).all()) == before


def test_duplicate_and_bad_decisions(database, pay_module, scan_now, people) -> None:
    finding = _password_finding(database, scan_now(pay_module).id)
    request = WaiverRequest(module="PAY", fingerprint=finding.fingerprint, reason="not a real secret at all")
    with database.session() as session:
        waiver_id = request_waiver(session, user=people["vendor"], request=request).id
    with database.session() as session, pytest.raises(Conflict):
        request_waiver(session, user=people["vendor"], request=request)
    with database.session() as session, pytest.raises(InvalidInput, match="within 366 days"):
        decide_waiver(
            session,
            user=people["pm"],
            waiver_id=waiver_id,
            approve=True,
            reason="ok for a decade",
            expires_at=utcnow() + timedelta(days=3650),
        )
    with database.session() as session:
        decide_waiver(
            session, user=people["pm"], waiver_id=waiver_id, approve=False, reason="it is a real one"
        )
    with database.session() as session, pytest.raises(Conflict):
        decide_waiver(session, user=people["pm"], waiver_id=waiver_id, approve=True, reason="changed my mind")


def test_waiver_expires_on_the_scan_clock_and_the_finding_counts_again(
    database, pay_module, scan_now, vendor_repo, people
) -> None:
    """Three rescans (one after a line move) keep the waiver; a scan dated past expiry does not."""
    start = utcnow()
    first = scan_now(pay_module, clock=lambda: start)
    finding = _password_finding(database, first.id)
    with database.session() as session:
        waiver_id = request_waiver(
            session,
            user=people["vendor"],
            request=WaiverRequest(
                module="PAY", fingerprint=finding.fingerprint, reason="test fixture, not a real password"
            ),
            now=start,
        ).id
        decide_waiver(
            session,
            user=people["pm"],
            waiver_id=waiver_id,
            approve=True,
            reason="checked: a fixture value",
            expires_at=start + timedelta(days=10),
            now=start,
        )
    moved = FLAWED.replace('"""Payments."""\n', '"""Payments."""\n# moved\n')
    vendor_repo.commit("PAY-2: move", {"src/pay/core.py": moved})
    kept = [scan_now(pay_module, clock=lambda d=day: start + timedelta(days=d)) for day in (1, 5, 10)]
    assert all(_password_finding(database, s.id).waived for s in kept)
    assert _password_finding(database, kept[-1].id).line == finding.line + 1
    expired = scan_now(pay_module, clock=lambda: start + timedelta(days=11))
    row = _password_finding(database, expired.id)
    assert not row.waived, "on expiry the finding counts again"
    assert row.fingerprint == finding.fingerprint
    assert expired.score is not None and kept[-1].score is not None
    assert expired.score < kept[-1].score, "the reactivated finding costs score again"

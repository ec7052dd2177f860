"""Overdue tickets escalate on a controlled clock; a lapsed waiver reactivates a closed ticket."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.scans.models import WaiverKind
from governance.tickets.actions import accept_risk, extend_ticket, request_ticket_waiver
from governance.tickets.models import Ticket
from governance.tickets.sweep import SweepResult, TicketSweepJob, sweep
from governance.timeutil import as_utc, utcnow
from governance.waivers.service import decide_waiver, waiver_queue

pytestmark = pytest.mark.slow


def _escalated(job: TicketSweepJob, now: datetime) -> list[int]:
    """The tickets one scheduled run of the sweep escalated (the run's result, checked for its type)."""
    result = job.execute(now).result
    assert isinstance(result, SweepResult), result
    return result.escalated


def _ticket(database) -> Ticket:
    with database.session() as session:
        return session.exec(select(Ticket)).one()


def test_overdue_ticket_escalates_once_on_the_scheduler_clock(
    database, pay_module, scan_now, people, notices
) -> None:
    start = utcnow()
    scan_now(pay_module, clock=lambda: start)
    ticket = _ticket(database)
    due = as_utc(ticket.due_at)
    assert (due - start).days == 7, "the worst finding is critical: 7 days in the default SLA"
    job = TicketSweepJob(database)
    assert _escalated(job, due - timedelta(minutes=1)) == []
    assert _escalated(job, due + timedelta(minutes=1)) == [ticket.id]
    assert _ticket(database).escalated_at is not None
    assert [n["event"] for n in notices].count("ticket.overdue") == 1
    assert _escalated(job, due + timedelta(days=2)) == [], "flagged once per due date"
    with database.session() as session:
        extend_ticket(
            session,
            user=people["pm"],
            ticket_id=ticket.id,
            until=(due + timedelta(days=30)).date(),
            reason="vendor's team is at the annual audit",
            now=due + timedelta(days=2),
        )
    assert _ticket(database).escalated_at is None, "an extension clears the flag"
    with database.session() as session:
        assert sweep(session, now=due + timedelta(days=3)).escalated == []
        assert sweep(session, now=due + timedelta(days=32)).escalated == [ticket.id]
        extended = session.exec(select(AuditEvent).where(AuditEvent.action == "ticket.extended")).one()
    assert extended.actor == "pm" and "annual audit" in extended.data["reason"]


def test_waived_findings_close_the_ticket_and_it_reopens_when_the_waiver_expires(
    database, pay_module, scan_now, people, notices
) -> None:
    start = utcnow()
    scan_now(pay_module, clock=lambda: start)
    ticket = _ticket(database)
    with database.session() as session:
        made = request_ticket_waiver(
            session,
            user=people["vendor"],
            ticket_id=ticket.id,
            reason="fixture values in a sample module",
            kind=WaiverKind.false_positive,
            now=start,
        )
    assert _ticket(database).state == "answered"
    with database.session() as session:
        assert {w.id for w, _ in waiver_queue(session, user=people["pm"])} == {w.id for w in made}
        for waiver in made:
            decide_waiver(
                session,
                user=people["pm"],
                waiver_id=waiver.id,
                approve=True,
                reason="checked, fixture values",
                expires_at=start + timedelta(days=10),
                now=start,
            )
    scan_now(pay_module, clock=lambda: start + timedelta(days=1))
    closed = _ticket(database)
    assert closed.state == "closed" and closed.close_reason == "waived", "a waived finding counts as gone"
    with database.session() as session:
        assert sweep(session, now=start + timedelta(days=9)).reopened == []
        assert sweep(session, now=start + timedelta(days=12)).reopened == [ticket.id]
    assert _ticket(database).state == "reopened"
    assert notices[-1]["event"] == "ticket.reopened"


def test_accepted_risk_closes_and_the_next_scan_after_expiry_reopens(
    database, pay_module, scan_now, people
) -> None:
    start = utcnow()
    scan_now(pay_module, clock=lambda: start)
    ticket = _ticket(database)
    with database.session() as session:
        accept_risk(
            session,
            user=people["pm"],
            ticket_id=ticket.id,
            reason="legacy module retired in spring",
            until=(start + timedelta(days=20)).date(),
            now=start,
        )
    assert _ticket(database).close_reason == "accepted_risk"
    scan_now(pay_module, clock=lambda: start + timedelta(days=5))
    assert _ticket(database).state == "closed", "still waived: nothing shows"
    scan_now(pay_module, clock=lambda: start + timedelta(days=25))
    assert _ticket(database).state == "reopened", "the scan after expiry sees the findings again"


def test_vendor_cannot_extend_and_a_bad_extension_changes_nothing(
    database, pay_module, scan_now, people
) -> None:
    from governance.errors import InvalidInput, PermissionDenied

    scan_now(pay_module)
    ticket = _ticket(database)
    with database.session() as session:
        before = len(session.exec(select(AuditEvent)).all())
    with database.session() as session, pytest.raises(PermissionDenied):
        extend_ticket(
            session,
            user=people["vendor"],
            ticket_id=ticket.id,
            until=date(2099, 1, 1),
            reason="more time please",
        )
    with database.session() as session, pytest.raises(InvalidInput):
        extend_ticket(
            session, user=people["pm"], ticket_id=ticket.id, until=date(2000, 1, 1), reason="into the past"
        )
    with database.session() as session:
        assert len(session.exec(select(AuditEvent)).all()) == before
    assert as_utc(_ticket(database).due_at) == as_utc(ticket.due_at)

"""The whole loop on a real repository: scan → ticket → answer → fix pushed → scan → closed; regressions."""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.tickets.actions import Answer, answer_ticket
from governance.tickets.models import Ticket, TicketFinding
from governance.tickets.service import TicketFilter, list_tickets, ticket_detail
from tests.governance.scans.conftest import FLAWED

pytestmark = pytest.mark.slow

FIXED = FLAWED.replace('    password = "hunter2-secret"\n', "").replace(
    """    return connection.execute("SELECT * FROM payment WHERE account = '%s'" % account)""",
    """    return connection.execute("SELECT id FROM payment WHERE account = ?", (account,))""",
)


def _tickets(database) -> list[Ticket]:
    with database.session() as session:
        return list(session.exec(select(Ticket).order_by(Ticket.id)).all())


def test_scan_opens_a_ticket_that_a_fix_closes(
    database, pay_module, scan_now, vendor_repo, people, notices
) -> None:
    first = scan_now(pay_module)
    assert first.gate_passed is False
    [ticket] = _tickets(database)
    assert ticket.state == "open" and ticket.cause == "gate_failed"
    assert ticket.assignee == "Vendor Dev <dev@vendor.example>", "git blame on the mirror names the committer"
    with database.session() as session:
        rows = session.exec(select(TicketFinding).where(TicketFinding.ticket_id == ticket.id)).all()
        listed = list_tickets(session, user=people["vendor"], where=TicketFilter(module="PAY"))
    assert rows and all(r.present for r in rows)
    assert [r.ticket.id for r in listed] == [ticket.id] and listed[0].findings == len(rows)
    assert [n["event"] for n in notices] == ["ticket.opened"]

    with database.session() as session:
        answer_ticket(
            session,
            user=people["vendor"],
            ticket_id=ticket.id,
            answer=Answer("fixing it in the next drop", fixed=False),
        )
    assert _tickets(database)[0].state == "answered"

    vendor_repo.commit("PAY-2: no password, bound parameters", {"src/pay/core.py": FIXED})
    scan_now(pay_module)
    [closed] = _tickets(database)
    assert closed.state == "closed" and closed.close_reason == "fixed"
    with database.session() as session:
        detail = ticket_detail(session, user=people["pm"], ticket_id=ticket.id)
        actions = [
            e.action for e in session.exec(select(AuditEvent).where(AuditEvent.target_type == "ticket"))
        ]
    assert detail.row.findings == 0
    assert actions == ["ticket.opened", "ticket.answered", "ticket.closed"]
    assert [n["event"] for n in notices][-1] == "ticket.closed"


def test_a_regression_reopens_the_closed_ticket(
    database, pay_module, scan_now, vendor_repo, people, notices
) -> None:
    scan_now(pay_module)
    vendor_repo.commit("PAY-2: fix", {"src/pay/core.py": FIXED})
    scan_now(pay_module)
    assert _tickets(database)[0].state == "closed"
    vendor_repo.commit("PAY-3: oops, old code back", {"src/pay/core.py": FLAWED})
    scan_now(pay_module)
    tickets = _tickets(database)
    assert [t.state for t in tickets] == ["reopened"], "the same ticket reopens; no second ticket"
    assert notices[-1]["event"] == "ticket.reopened"


def test_a_scan_still_showing_the_findings_keeps_the_ticket_open(
    database, pay_module, scan_now, people
) -> None:
    scan_now(pay_module)
    scan_now(pay_module)
    assert [t.state for t in _tickets(database)] == ["open"]


def test_notices_are_outbox_rows_written_with_the_change(database, pay_module, scan_now, people) -> None:
    from governance.errors import NotFound
    from governance.notices.models import Notice
    from governance.registry.models import Module

    scan_now(pay_module)
    [ticket] = _tickets(database)
    with database.session() as session:
        rows = [n for n in session.exec(select(Notice)).all() if n.event.startswith("ticket.")]
        module = session.exec(select(Module).where(Module.key == "PAY")).one()
    assert [(n.event, n.module_id, n.vendor_id) for n in rows] == [
        ("ticket.opened", module.id, module.vendor_id)
    ]
    assert rows[0].payload["ticket"] == ticket.id and "message" not in rows[0].payload
    with database.session() as session, pytest.raises(NotFound):
        answer_ticket(session, user=people["other"], ticket_id=ticket.id, answer=Answer("not my ticket"))
    with database.session() as session:
        after = [n for n in session.exec(select(Notice)).all() if n.event.startswith("ticket.")]
        assert len(after) == 1, "a refused answer queues nothing"


def test_a_fix_that_did_not_hold_reopens_the_verifying_ticket(database, pay_module, scan_now, people) -> None:
    scan_now(pay_module)
    [ticket] = _tickets(database)
    with database.session() as session:
        answer_ticket(
            session, user=people["vendor"], ticket_id=ticket.id, answer=Answer("fixed in 2.1", fixed=True)
        )
    assert _tickets(database)[0].state == "verifying"
    scan_now(pay_module)
    assert _tickets(database)[0].state == "reopened", "the scan still shows the findings"


def test_a_failing_ticket_step_leaves_no_scan_results_and_no_ticket(
    database, pay_module, scan_now, monkeypatch
) -> None:
    """Tickets are written in the scan's transaction: if they fail, the scan is absent (marked failed)."""
    from governance.scans.models import Finding, Scan
    from governance.tickets import scanhook

    def broken(*args, **kwargs):
        raise RuntimeError("ticket step broke")

    monkeypatch.setattr(scanhook, "apply_scan", broken)
    with pytest.raises(RuntimeError):
        scan_now(pay_module)
    with database.session() as session:
        scan = session.exec(select(Scan)).one()
        assert scan.status == "failed" and "ticket step broke" in (scan.reason or "")
        assert session.exec(select(Finding)).all() == []
    assert _tickets(database) == []

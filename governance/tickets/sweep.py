"""The scheduler's ticket job: flag overdue tickets (notice to the PM), reopen when a waiver lapses.

Judged on the clock the scheduler passes (``now``), so tests move time instead of waiting.
Each ticket is flagged once per due date (``escalated_at``; a PM's extension clears it). A
ticket closed because its findings were waived reopens when a waiver covering a finding
the last scan still had is no longer in force (expired or revoked) — without waiting for
the next scan, which would reopen it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from governance.db import Database
from governance.jobs import JobRunner
from governance.modeltypes import row_id
from governance.scans.models import Finding, Waiver, WaiverState
from governance.tickets import workflow
from governance.tickets.models import ACTIVE_STATES, Ticket, TicketFinding, TicketState
from governance.timeutil import as_utc
from standards.profile_model import TicketPolicy
from standards.schema import SEVERITY_ORDER

ACTOR = "scheduler"
DEFAULT_POLICY = TicketPolicy()  # due dates of tickets reopened by a lapsed waiver (the built-in SLA)


@dataclass(frozen=True)
class SweepResult:
    escalated: list[int]
    reopened: list[int]


def escalate_overdue(session: Session, *, now: datetime, actor: str = ACTOR) -> list[int]:
    """Flag every active ticket past its due date that is not flagged yet; ids flagged."""
    overdue = session.exec(
        select(Ticket).where(
            col(Ticket.state).in_([s.value for s in ACTIVE_STATES]),
            col(Ticket.due_at) < now,
            col(Ticket.escalated_at).is_(None),
        )
    ).all()
    for ticket in overdue:
        ticket.escalated_at = now
        session.add(ticket)
        days = (now - as_utc(ticket.due_at)).days
        workflow.record(session, ticket, action="ticket.escalated", actor=actor, data={"days_overdue": days})
    return [row_id(t) for t in overdue]


def _in_force(waivers: list[Waiver], finding: Finding, now: datetime) -> bool:
    return any(
        (w.fingerprint == finding.fingerprint or (w.rule is not None and w.rule == finding.standard_rule))
        and (w.expires_at is None or as_utc(w.expires_at) >= now)
        for w in waivers
    )


def reopen_lapsed(session: Session, *, now: datetime, actor: str = ACTOR) -> list[int]:
    """Reopen closed tickets whose findings were waived when a covering waiver is no longer in force."""
    closed = session.exec(
        select(Ticket).where(
            Ticket.state == TicketState.closed.value,
            col(Ticket.close_reason).in_(["waived", "accepted_risk"]),
            col(Ticket.last_scan_id).is_not(None),
        )
    ).all()
    reopened: list[int] = []
    for ticket in closed:
        back = _lapsed(session, ticket, now)
        if back:
            _reopen(session, ticket, back, now, actor)
            reopened.append(row_id(ticket))
    return reopened


def _lapsed(session: Session, ticket: Ticket, now: datetime) -> list[TicketFinding]:
    rows = session.exec(select(TicketFinding).where(TicketFinding.ticket_id == ticket.id)).all()
    seen = session.exec(  # the ticket's findings as its last scan had them (a join, not an IN list)
        select(Finding)
        .join(TicketFinding, col(TicketFinding.fingerprint) == col(Finding.fingerprint))
        .where(Finding.scan_id == ticket.last_scan_id, TicketFinding.ticket_id == ticket.id)
    ).all()
    waivers = list(
        session.exec(
            select(Waiver).where(Waiver.module_id == ticket.module_id, Waiver.state == WaiverState.approved)
        ).all()
    )
    back = {f.fingerprint for f in seen if not _in_force(waivers, f, now)}
    return [r for r in rows if r.fingerprint in back]


def _reopen(session: Session, ticket: Ticket, back: list[TicketFinding], now: datetime, actor: str) -> None:
    for row in back:
        row.present = True
        session.add(row)
    worst = max((r.severity for r in back), key=lambda s: SEVERITY_ORDER.get(s, 0))
    ticket.due_at, ticket.escalated_at = now + timedelta(days=DEFAULT_POLICY.days_for(worst)), None
    data = {"reason": "waiver lapsed", "fingerprints": [r.fingerprint for r in back], "severity": worst}
    workflow.move(session, ticket, to=TicketState.reopened, actor=actor, now=now, data=data)


def sweep(session: Session, *, now: datetime, actor: str = ACTOR) -> SweepResult:
    """Both sweeps in one transaction."""
    reopened = reopen_lapsed(session, now=now, actor=actor)
    return SweepResult(escalated=escalate_overdue(session, now=now, actor=actor), reopened=reopened)


class TicketSweepJob(JobRunner):
    """The scheduler's pass over tickets (hourly by default)."""

    name = "ticket-sweep"

    def __init__(self, database: Database, *, every: timedelta = timedelta(hours=1)) -> None:
        super().__init__(every=every)
        self.database = database

    def run(self, now: datetime) -> SweepResult:
        with self.database.session() as session:
            return sweep(session, now=now)

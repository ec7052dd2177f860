"""What people do to a ticket: the vendor answers; a PM reassigns, extends, or accepts the risk.

Each function checks who may (through :mod:`governance.access`), validates everything
before the first write (so a refused step changes nothing), moves the state through
:mod:`governance.tickets.workflow` and writes the thread entry and audit event in the
caller's transaction. None of them closes a ticket as fixed: only a scan does that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from governance.access import can_manage, can_read_module, is_vendor, require
from governance.errors import Conflict, InvalidInput, NotFound, said
from governance.modeltypes import row_id
from governance.registry.models import Module, Role, User
from governance.scans.models import Waiver, WaiverKind, WaiverState
from governance.tickets import workflow
from governance.tickets.models import Ticket, TicketFinding, TicketState
from governance.tickets.service import get_ticket
from governance.timeutil import as_utc, utcnow
from governance.waivers.service import MAX_DAYS, WaiverRequest, decide_waiver, request_waiver

REASON_MIN = 10
TEXT_MAX = 4000


@dataclass(frozen=True)
class Answer:
    """A vendor's answer: a comment, optionally a planned fix date, or "fixed, please verify"."""

    comment: str
    planned: date | None = None
    fixed: bool = False


def _text(text: str, what: str, minimum: int = 1) -> str:
    cleaned = (text or "").strip()
    if not minimum <= len(cleaned) <= TEXT_MAX:
        raise said(
            InvalidInput,
            "%(what)s: between %(min)s and %(max)s characters",
            what=what,
            min=minimum,
            max=TEXT_MAX,
        )
    return cleaned


def _module(session: Session, ticket: Ticket) -> Module:
    module = session.get(Module, ticket.module_id)
    if module is None:
        raise said(NotFound, "unknown ticket #%(id)s", id=ticket.id)
    return module


def _may_answer(user: User, module: Module) -> bool:
    """The module's own vendor answers; PMs and admins may add to the thread too."""
    return can_read_module(user, module) and (is_vendor(user) or can_manage(user))


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def answer_ticket(
    session: Session, *, user: User, ticket_id: int, answer: Answer, now: datetime | None = None
) -> Ticket:
    """The vendor answers: the ticket becomes ``answered`` (``verifying`` when it says the fix is in)."""
    now = now or utcnow()
    ticket = get_ticket(session, user=user, ticket_id=ticket_id)
    require(_may_answer(user, _module(session, ticket)), f"answer ticket #{ticket_id}")
    body = _text(answer.comment, "comment")
    if answer.planned is not None and _end_of(answer.planned) < now:
        raise said(InvalidInput, "the planned date %(day)s is in the past", day=answer.planned.isoformat())
    to = TicketState.verifying if answer.fixed else TicketState.answered
    if not workflow.may_move(ticket, to):
        raise said(
            Conflict, "ticket #%(id)s is %(state)s: it takes no answer", id=ticket_id, state=ticket.state
        )
    if answer.planned is not None:
        ticket.planned_at = _end_of(answer.planned)
    workflow.comment(
        session, ticket, author=user.name, kind="fixed" if answer.fixed else "answer", body=body, now=now
    )
    planned = answer.planned.isoformat() if answer.planned else None
    workflow.move(
        session, ticket, to=to, actor=user.name, now=now, data={"planned": planned, "comment": body[:200]}
    )
    return ticket


def request_ticket_waiver(
    session: Session,
    *,
    user: User,
    ticket_id: int,
    reason: str,
    kind: WaiverKind,
    now: datetime | None = None,
) -> list[Waiver]:
    """The vendor asks to waive the ticket's findings that still show (one waiver each); it is answered."""
    now = now or utcnow()
    ticket = get_ticket(session, user=user, ticket_id=ticket_id)
    module = _module(session, ticket)
    require(_may_answer(user, module), f"answer ticket #{ticket_id}")
    if not workflow.may_move(ticket, TicketState.answered):
        raise said(
            Conflict, "ticket #%(id)s is %(state)s: it takes no answer", id=ticket_id, state=ticket.state
        )
    showing = _showing(session, ticket)
    made = [
        request_waiver(
            session,
            user=user,
            request=WaiverRequest(module=module.key, reason=reason, kind=kind, fingerprint=fp),
            now=now,
        )
        for fp in showing
    ]
    ids = ", ".join(f"#{w.id}" for w in made)
    workflow.comment(
        session, ticket, author=user.name, kind="waiver", body=f"{reason.strip()} (waivers {ids})", now=now
    )
    workflow.move(
        session,
        ticket,
        to=TicketState.answered,
        actor=user.name,
        now=now,
        data={"waivers": [w.id for w in made]},
    )
    return made


def _showing(session: Session, ticket: Ticket) -> list[str]:
    rows = session.exec(
        select(TicketFinding.fingerprint).where(
            TicketFinding.ticket_id == ticket.id, col(TicketFinding.present)
        )
    ).all()
    if not rows:
        raise said(Conflict, "ticket #%(id)s has no finding that still shows", id=ticket.id)
    return sorted(rows)


def _active_for_pm(session: Session, user: User, ticket_id: int, what: str) -> Ticket:
    ticket = get_ticket(session, user=user, ticket_id=ticket_id)
    require(can_manage(user), what)
    if not workflow.is_active(ticket):
        raise said(Conflict, "ticket #%(id)s is closed", id=ticket_id)
    return ticket


def reassign_ticket(
    session: Session, *, user: User, ticket_id: int, assignee: str, now: datetime | None = None
) -> Ticket:
    """A PM gives the ticket to another active user of the module's vendor."""
    now = now or utcnow()
    ticket = _active_for_pm(session, user, ticket_id, f"reassign ticket #{ticket_id}")
    person = session.exec(select(User).where(User.name == assignee)).first()
    if (
        person is None
        or not person.active
        or person.role != Role.vendor
        or person.vendor_id != ticket.vendor_id
    ):
        raise said(InvalidInput, "%(name)s is not an active user of the module's vendor", name=assignee)
    before, ticket.assignee, ticket.updated_at = ticket.assignee, assignee, now
    session.add(ticket)
    workflow.comment(
        session, ticket, author=user.name, kind="reassign", body=f"{before or '-'} → {assignee}", now=now
    )
    workflow.record(
        session, ticket, action="ticket.reassigned", actor=user.name, data={"from": before, "to": assignee}
    )
    return ticket


def extend_ticket(
    session: Session, *, user: User, ticket_id: int, until: date, reason: str, now: datetime | None = None
) -> Ticket:
    """A PM moves the due date later, with a reason; an escalated ticket is un-flagged."""
    now = now or utcnow()
    ticket = _active_for_pm(session, user, ticket_id, f"extend ticket #{ticket_id}")
    why = _text(reason, "reason", REASON_MIN)
    new_due, old_due = _end_of(until), as_utc(ticket.due_at)
    if new_due <= max(old_due, now):
        raise said(
            InvalidInput, "the new due date must be after %(day)s", day=max(old_due, now).date().isoformat()
        )
    ticket.due_at, ticket.escalated_at, ticket.updated_at = new_due, None, now
    session.add(ticket)
    workflow.comment(
        session, ticket, author=user.name, kind="extend", body=f"{until.isoformat()}: {why}", now=now
    )
    data = {"from": old_due.isoformat(), "to": new_due.isoformat(), "reason": why}
    workflow.record(session, ticket, action="ticket.extended", actor=user.name, data=data)
    return ticket


def accept_risk(
    session: Session,
    *,
    user: User,
    ticket_id: int,
    reason: str,
    until: date | None = None,
    now: datetime | None = None,
) -> Ticket:
    """A PM closes the ticket as accepted risk: an approved waiver for each finding still showing.

    When a waiver expires the finding shows again and the ticket reopens (next scan, or the
    ticket sweep).
    """
    now = now or utcnow()
    ticket = _active_for_pm(session, user, ticket_id, f"close ticket #{ticket_id}")
    why = _text(reason, "reason", REASON_MIN)
    module = _module(session, ticket)
    expires = _end_of(until) if until else None
    if expires is not None and not now < expires <= now + timedelta(days=MAX_DAYS):
        raise said(InvalidInput, "a waiver expires after now and within %(days)s days", days=MAX_DAYS)
    waivers = [_approved(session, user, module, fp, why, expires, now) for fp in _showing(session, ticket)]
    for row in session.exec(select(TicketFinding).where(TicketFinding.ticket_id == ticket.id)).all():
        row.present = False
        session.add(row)
    ticket.close_reason = "accepted_risk"
    workflow.comment(session, ticket, author=user.name, kind="accepted_risk", body=why, now=now)
    data = {"reason": why, "waivers": waivers}
    workflow.move(session, ticket, to=TicketState.closed, actor=user.name, now=now, data=data)
    return ticket


def _approved(
    session: Session,
    user: User,
    module: Module,
    fingerprint: str,
    reason: str,
    expires: datetime | None,
    now: datetime,
) -> int:
    """An approved accepted-risk waiver for one finding: a pending request is approved, a new one made."""
    pending = session.exec(
        select(Waiver).where(
            Waiver.module_id == module.id,
            Waiver.fingerprint == fingerprint,
            col(Waiver.state).in_([WaiverState.requested, WaiverState.approved]),
        )
    ).all()
    for waiver in pending:
        if waiver.state == WaiverState.requested:
            decided = decide_waiver(
                session,
                user=user,
                waiver_id=row_id(waiver),
                approve=True,
                reason=reason,
                expires_at=expires,
                now=now,
            )
            return row_id(decided)
        if waiver.expires_at is None or as_utc(waiver.expires_at) >= now:
            return row_id(waiver)
    asked = WaiverRequest(
        module=module.key, reason=reason, kind=WaiverKind.accepted_risk, fingerprint=fingerprint
    )
    return row_id(request_waiver(session, user=user, request=asked, now=now, expires_at=expires))

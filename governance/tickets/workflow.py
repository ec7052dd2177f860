"""Ticket states and their transitions: the one table every face and the scan hook go through.

A transition not in :data:`ALLOWED` is a :class:`Conflict` and changes nothing. Each change
is an audit event in the caller's transaction, and the events people are told about are
queued as notices in that same transaction (delivered after it commits).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from governance import audit
from governance.errors import Conflict, said
from governance.modeltypes import row_id
from governance.registry.models import Module
from governance.tickets import events, titles
from governance.tickets.models import ACTIVE_STATES, Ticket, TicketComment, TicketState
from governance.timeutil import as_utc

S = TicketState
#: to-state -> the states it may be reached from.
ALLOWED: dict[TicketState, frozenset[TicketState]] = {
    S.answered: frozenset({S.open, S.answered, S.reopened}),
    S.verifying: frozenset({S.open, S.answered, S.reopened}),
    S.closed: frozenset(ACTIVE_STATES),
    S.reopened: frozenset({S.closed, S.verifying}),
}
#: audit action -> notice event (the others are audited only).
NOTICES: dict[str, str] = {
    "ticket.opened": "ticket.opened",
    "ticket.answered": "ticket.answered",
    "ticket.escalated": "ticket.overdue",
    "ticket.closed": "ticket.closed",
    "ticket.reopened": "ticket.reopened",
}


def is_active(ticket: Ticket) -> bool:
    """Still someone's work (not closed)."""
    return ticket.state != S.closed


def may_move(ticket: Ticket, to: TicketState) -> bool:
    return TicketState(ticket.state) in ALLOWED[to]


def move(
    session: Session,
    ticket: Ticket,
    *,
    to: TicketState,
    actor: str,
    now: datetime,
    data: Mapping[str, Any] | None = None,
) -> None:
    """Change state (or refuse with a Conflict, changing nothing), audited and noticed."""
    if not may_move(ticket, to):
        raise said(
            Conflict,
            "ticket #%(id)s is %(state)s: it cannot become %(to)s",
            id=ticket.id,
            state=ticket.state,
            to=to.value,
        )
    before = ticket.state
    ticket.state = to.value
    ticket.updated_at = now
    if to == S.closed:
        ticket.closed_at = now
    elif before == S.closed:
        ticket.closed_at, ticket.close_reason = None, None
    session.add(ticket)
    action = {S.answered: "ticket.answered", S.closed: "ticket.closed", S.reopened: "ticket.reopened"}.get(
        to, f"ticket.{to.value}"
    )
    record(session, ticket, action=action, actor=actor, data={"from": before, "to": to.value, **(data or {})})


def record(
    session: Session, ticket: Ticket, *, action: str, actor: str, data: Mapping[str, Any] | None = None
) -> None:
    """Audit one ticket event and queue its notice (if people are told of it)."""
    session.flush()
    body = {"module_id": ticket.module_id, "state": ticket.state, **(data or {})}
    audit.record(
        session, actor=actor, action=action, target_type="ticket", target_id=row_id(ticket), data=body
    )
    if action in NOTICES:
        module = session.get(Module, ticket.module_id)
        events.emit(
            session,
            event=NOTICES[action],
            module_id=ticket.module_id,
            vendor_id=None,  # the outbox takes the module's vendor
            payload=notice_payload(ticket, module.key if module else ""),
        )


def notice_payload(ticket: Ticket, module_key: str) -> dict[str, Any]:
    """What a notice says: ids, state, dates, counts (never a finding's text or another vendor's data)."""
    return {
        "ticket": ticket.id,
        "module": module_key,
        "title": ticket.title,
        "title_wording": _title_wording(ticket),
        "state": ticket.state,
        "severity": ticket.severity,
        "assignee": ticket.assignee,
        "due": as_utc(ticket.due_at).date().isoformat(),
        "url": f"/tickets/{ticket.id}",  # made absolute on GOVERN_BASE_URL by the dispatcher
    }


def _title_wording(ticket: Ticket) -> dict[str, object] | None:
    """The title's wording (stored form), so a notice shows it in the recipient's language."""
    found = titles.wording(ticket.cause, ticket.title_args)
    return None if found is None else found.as_json()


def comment(session: Session, ticket: Ticket, *, author: str, kind: str, body: str, now: datetime) -> None:
    """Add one entry to the ticket's thread."""
    session.add(TicketComment(ticket_id=row_id(ticket), author=author, kind=kind, body=body, at=now))

"""Reading tickets, scoped to who asks: lists with filters, one ticket with its thread and findings.

Reads go through :mod:`governance.access`: a vendor's query only ever holds its own modules,
and a ticket of another vendor is the same ``NotFound`` as a typo. The changes people make
(answer, reassign, extend, accept the risk) are :mod:`governance.tickets.actions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, desc, func, select

from governance.access import readable_module, scope_modules, visible_module_ids
from governance.errors import InvalidInput, NotFound, said
from governance.registry.models import Module, User, Vendor
from governance.scans.models import Finding
from governance.tickets.models import ACTIVE_STATES, Ticket, TicketComment, TicketFinding, TicketState
from governance.timeutil import as_utc, utcnow

MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class TicketFilter:
    """What a list asks for; every field optional."""

    module: str | None = None
    state: str | None = None
    vendor: str | None = None
    overdue: bool = False


@dataclass(frozen=True)
class TicketRow:
    """A ticket as lists show it."""

    ticket: Ticket
    module: str
    vendor: str
    findings: int  # still showing
    total: int
    overdue: bool


@dataclass(frozen=True)
class TicketDetail:
    """One ticket with its module, findings (showing first) and thread (oldest first)."""

    row: TicketRow
    findings: list[TicketFinding]
    thread: list[TicketComment]


def is_overdue(ticket: Ticket, now: datetime) -> bool:
    return ticket.state != TicketState.closed and as_utc(ticket.due_at) < now


def _state(text: str | None) -> str | None:
    if text is None or text == "":
        return None
    if text == "active":
        return text
    try:
        return TicketState(text).value
    except ValueError as exc:
        choices = ", ".join(["active", *(s.value for s in TicketState)])
        raise said(
            InvalidInput, "unknown ticket state %(state)s: one of %(choices)s", state=text, choices=choices
        ) from exc


def list_tickets(
    session: Session,
    *,
    user: User,
    where: TicketFilter = TicketFilter(),
    now: datetime | None = None,
    limit: int = 500,
) -> list[TicketRow]:
    """Tickets of the modules ``user`` may read, most urgent first (active by due date, then closed)."""
    now = now or utcnow()
    query = (
        select(Ticket, Module.key, Vendor.name)
        .join(Module, col(Module.id) == col(Ticket.module_id))
        .join(Vendor, col(Vendor.id) == col(Ticket.vendor_id))
        .where(col(Ticket.module_id).in_(visible_module_ids(session, user)))
    )
    query = _filtered(session, user, query, where, now)
    query = query.order_by(col(Ticket.state) == TicketState.closed.value, col(Ticket.due_at), col(Ticket.id))
    found = session.exec(query.limit(limit)).all()
    counts = _counts(session, [t.id for t, _, _ in found if t.id is not None])
    return [
        TicketRow(t, key, vendor, *counts.get(t.id or 0, (0, 0)), overdue=is_overdue(t, now))
        for t, key, vendor in found
    ]


def _filtered(session: Session, user: User, query: Any, where: TicketFilter, now: datetime) -> Any:
    """The list's filters applied to a query over Ticket, Module and Vendor."""
    if where.module:
        query = query.where(Ticket.module_id == readable_module(session, user, where.module).id)
    state = _state(where.state)
    if state == "active":
        query = query.where(col(Ticket.state).in_([s.value for s in ACTIVE_STATES]))
    elif state is not None:
        query = query.where(Ticket.state == state)
    if where.vendor:
        query = query.where(Vendor.name == where.vendor)
    if where.overdue:
        query = query.where(col(Ticket.state) != TicketState.closed.value, col(Ticket.due_at) < now)
    return query


def _counts(session: Session, ids: list[int]) -> dict[int, tuple[int, int]]:
    """ticket id -> (findings still showing, findings in all)."""
    if not ids:
        return {}
    rows = session.exec(
        select(TicketFinding.ticket_id, TicketFinding.present, func.count())
        .where(col(TicketFinding.ticket_id).in_(ids))
        .group_by(col(TicketFinding.ticket_id), col(TicketFinding.present))
    ).all()
    out: dict[int, list[int]] = {}
    for ticket_id, present, count in rows:
        pair = out.setdefault(ticket_id, [0, 0])
        pair[1] += count
        if present:
            pair[0] += count
    return {key: (v[0], v[1]) for key, v in out.items()}


def get_ticket(session: Session, *, user: User, ticket_id: int) -> Ticket:
    """One ticket, if ``user`` may read its module (otherwise the same 404 as a typo)."""
    ticket = session.get(Ticket, ticket_id) if 1 <= ticket_id <= MAX_ID else None
    if ticket is not None:
        query = scope_modules(select(Module).where(Module.id == ticket.module_id), user)
        if session.exec(query).first() is not None:
            return ticket
    raise said(NotFound, "unknown ticket #%(id)s", id=ticket_id)


def ticket_detail(
    session: Session, *, user: User, ticket_id: int, now: datetime | None = None
) -> TicketDetail:
    """A ticket with its findings and its thread."""
    ticket = get_ticket(session, user=user, ticket_id=ticket_id)
    module = session.get(Module, ticket.module_id)
    vendor = session.get(Vendor, ticket.vendor_id)
    findings = list(
        session.exec(
            select(TicketFinding)
            .where(TicketFinding.ticket_id == ticket.id)
            .order_by(desc(col(TicketFinding.present)), col(TicketFinding.path), col(TicketFinding.line))
        ).all()
    )
    thread = list(
        session.exec(
            select(TicketComment).where(TicketComment.ticket_id == ticket.id).order_by(col(TicketComment.id))
        ).all()
    )
    showing = sum(1 for f in findings if f.present)
    row = TicketRow(
        ticket,
        module.key if module else "",
        vendor.name if vendor else "",
        showing,
        len(findings),
        is_overdue(ticket, now or utcnow()),
    )
    return TicketDetail(row, findings, thread)


def open_count(session: Session, *, user: User) -> int:
    """Active tickets over the modules ``user`` may read (the dashboard's figure)."""
    query = (
        select(func.count())
        .select_from(Ticket)
        .where(
            col(Ticket.module_id).in_(visible_module_ids(session, user)),
            col(Ticket.state).in_([s.value for s in ACTIVE_STATES]),
        )
    )
    return int(session.exec(query).one())


def finding_ids(session: Session, ticket: Ticket) -> dict[str, int]:
    """fingerprint -> id of the finding row in the ticket's latest scan (for links to its page)."""
    if ticket.last_scan_id is None:
        return {}
    rows = session.exec(
        select(Finding.fingerprint, Finding.id)
        .join(TicketFinding, col(TicketFinding.fingerprint) == col(Finding.fingerprint))
        .where(Finding.scan_id == ticket.last_scan_id, TicketFinding.ticket_id == ticket.id)
    ).all()
    return {fingerprint: finding_id for fingerprint, finding_id in rows if finding_id is not None}

"""Tickets at a scan's commit step: verify the module's tickets, open new ones, in the scan's transaction.

Only scans of the module's default branch count. A finding "shows" when the scan has its
fingerprint and no waiver covered it at the scan's date; so a waived finding counts as gone
while its waiver holds and shows again when it expires. Rules:

- an active ticket none of whose findings show is closed (``fixed``, or ``waived``);
- a closed ticket one of whose findings shows again is reopened (a regression, or an
  expired waiver), with a new due date; a ``verifying`` ticket (the vendor said it is
  fixed) whose findings still show is reopened too;
- findings on no ticket yet open one ticket per module and cause (``gate_failed``:
  findings behind the failed gate conditions; ``new_findings``: new ones at or above the
  profile's severity), or join that cause's active ticket.

:func:`plan_opening` only reads (and is called before the scan's rows are written, with
git blame run in between); :func:`apply_scan` writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance.modeltypes import row_id
from governance.tickets import titles, workflow
from governance.tickets.facts import ScanFacts, Seen
from governance.tickets.models import ACTIVE_STATES, Ticket, TicketCause, TicketFinding, TicketState
from governance.timeutil import as_utc
from standards.schema import SEVERITY_ORDER

CHUNK = 500
Blame = Callable[[Iterable[tuple[str, int]]], Mapping[tuple[str, int], str]]


def _worst(severities: Iterable[str]) -> str:
    return max(severities, key=lambda s: SEVERITY_ORDER.get(s, 0), default="info")


def _wanted(facts: ScanFacts) -> dict[TicketCause, list[str]]:
    """Fingerprints each cause asks for (a finding behind the gate is not also a "new finding")."""
    showing = facts.showing
    wanted: dict[TicketCause, list[str]] = {}
    if facts.policy.open_on.gate_failed and not facts.gate_passed:
        wanted[TicketCause.gate_failed] = sorted(facts.gate_fingerprints & showing)
    floor = facts.policy.open_on.new_findings_at_or_above
    if floor is not None:
        rank = SEVERITY_ORDER[floor]
        taken = set(wanted.get(TicketCause.gate_failed, []))
        wanted[TicketCause.new_findings] = sorted(
            fp for fp in showing - taken if facts.findings[fp].new and _rank(facts.findings[fp]) >= rank
        )
    return wanted


def _rank(seen: Seen) -> int:
    return SEVERITY_ORDER.get(seen.severity, 0)


def plan_opening(session: Session, facts: ScanFacts) -> dict[TicketCause, list[str]]:
    """Fingerprints that need a ticket, by cause (none already on a ticket of the module)."""
    if not facts.default_branch:
        return {}
    wanted = _wanted(facts)
    known = _ticketed(session, facts.module_id, [fp for fps in wanted.values() for fp in fps])
    return {cause: [fp for fp in fps if fp not in known] for cause, fps in wanted.items() if fps}


def _ticketed(session: Session, module_id: int, fingerprints: Iterable[str]) -> dict[str, set[int]]:
    """fingerprint -> ids of the module's tickets that hold it (IN lists in chunks: SQLite caps them)."""
    found: dict[str, set[int]] = {}
    ordered = sorted(set(fingerprints))
    for start in range(0, len(ordered), CHUNK):
        rows = session.exec(
            select(TicketFinding.fingerprint, TicketFinding.ticket_id).where(
                TicketFinding.module_id == module_id,
                col(TicketFinding.fingerprint).in_(ordered[start : start + CHUNK]),
            )
        ).all()
        for fingerprint, ticket_id in rows:
            found.setdefault(fingerprint, set()).add(ticket_id)
    return found


def blame_places(facts: ScanFacts, opening: Mapping[TicketCause, list[str]]) -> list[tuple[str, int]]:
    """The (path, line) places whose author the new tickets need."""
    return [(facts.findings[fp].path, facts.findings[fp].line) for fps in opening.values() for fp in fps]


def apply_scan(
    session: Session,
    facts: ScanFacts,
    opening: Mapping[TicketCause, list[str]],
    authors: Mapping[tuple[str, int], str],
    *,
    actor: str,
) -> list[int]:
    """Verify the module's tickets against the scan, then open or extend tickets; ids touched."""
    if not facts.default_branch:
        return []
    touched = verify(session, facts, actor=actor)
    for cause, fingerprints in opening.items():
        if fingerprints:
            touched.append(_open(session, facts, cause, fingerprints, authors, actor=actor))
    return touched


def verify(session: Session, facts: ScanFacts, *, actor: str) -> list[int]:
    """Close what no longer shows, reopen what shows again; every ticket touched is re-dated to this scan.

    The tickets' findings are read as plain rows, in chunks of tickets (not one query per
    ticket), and only the flags that change are written, in bulk: a rescan that changes
    nothing writes no ticket-finding row.
    """
    showing = facts.showing
    active = session.exec(
        select(Ticket).where(
            Ticket.module_id == facts.module_id, col(Ticket.state).in_([s.value for s in ACTIVE_STATES])
        )
    ).all()
    regressed_ids = {tid for ids in _ticketed(session, facts.module_id, showing).values() for tid in ids}
    closed = session.exec(
        select(Ticket).where(col(Ticket.id).in_(sorted(regressed_ids)), Ticket.state == TicketState.closed)
    ).all()
    tickets = [*active, *closed]
    rows = _rows_of(session, [row_id(t) for t in tickets])
    _write_flags(session, [r for found in rows.values() for r in found], showing)
    for ticket in tickets:
        _check(session, ticket, facts, rows.get(row_id(ticket), []), showing, actor=actor)
    return [row_id(t) for t in tickets]


@dataclass(frozen=True, slots=True)
class _Held:
    """A ticket's finding as the check needs it (a plain row, not an ORM object)."""

    id: int
    ticket_id: int
    fingerprint: str
    severity: str
    present: bool


def _rows_of(session: Session, ticket_ids: Sequence[int]) -> dict[int, list[_Held]]:
    """ticket id -> its findings, read CHUNK tickets at a time."""
    found: dict[int, list[_Held]] = {}
    columns = (TicketFinding.id, TicketFinding.ticket_id, TicketFinding.fingerprint, TicketFinding.severity)
    ordered = sorted(set(ticket_ids))
    for start in range(0, len(ordered), CHUNK):
        statement = (
            sa.select(*(col(c) for c in columns), col(TicketFinding.present))
            .where(col(TicketFinding.ticket_id).in_(ordered[start : start + CHUNK]))
            .order_by(col(TicketFinding.id))
        )
        for row in session.execute(statement):
            found.setdefault(row.ticket_id, []).append(_Held(*row))
    return found


def _write_flags(session: Session, rows: Iterable[_Held], showing: frozenset[str]) -> None:
    """Bulk-update ``present`` on the rows whose flag changes (CHUNK ids per statement)."""
    changed: dict[bool, list[int]] = {True: [], False: []}
    for row in rows:
        now = row.fingerprint in showing
        if now != row.present:
            changed[now].append(row.id)
    for value, ids in changed.items():
        for start in range(0, len(ids), CHUNK):
            session.execute(
                sa.update(TicketFinding)
                .where(col(TicketFinding.id).in_(ids[start : start + CHUNK]))
                .values(present=value)
            )


def _check(
    session: Session,
    ticket: Ticket,
    facts: ScanFacts,
    rows: list[_Held],
    showing: frozenset[str],
    *,
    actor: str,
) -> None:
    still = [row for row in rows if row.fingerprint in showing]
    ticket.last_scan_id = facts.scan_id
    data = {"scan_id": facts.scan_id, "showing": len(still), "findings": len(rows)}
    if not still and workflow.is_active(ticket):
        waived = any(row.fingerprint in facts.findings for row in rows)
        ticket.close_reason = "waived" if waived else "fixed"
        workflow.move(session, ticket, to=TicketState.closed, actor=actor, now=facts.now, data=data)
    elif still and ticket.state in (TicketState.closed, TicketState.verifying):
        _reopen(session, ticket, still, facts, data, actor=actor)
    else:
        session.add(ticket)


def _reopen(
    session: Session,
    ticket: Ticket,
    still: list[_Held],
    facts: ScanFacts,
    data: dict[str, int],
    *,
    actor: str,
) -> None:
    """A regression, a lapsed waiver, or a "fixed" that was not: due again by the worst finding's SLA."""
    ticket.due_at = facts.now + timedelta(days=facts.policy.days_for(_worst(r.severity for r in still)))
    ticket.escalated_at = None
    workflow.move(session, ticket, to=TicketState.reopened, actor=actor, now=facts.now, data=data)


def _title_args(cause: TicketCause, facts: ScanFacts) -> dict[str, str]:
    if cause == TicketCause.gate_failed:
        return {"commit": facts.commit[:12]}
    return {"floor": str(facts.policy.open_on.new_findings_at_or_above), "commit": facts.commit[:12]}


def _assignee(seen: list[Seen], authors: Mapping[tuple[str, int], str]) -> str | None:
    """The committer who introduced most of the worst findings (git blame), if known."""
    worst = _worst(s.severity for s in seen)
    votes = Counter(
        authors[(s.path, s.line)] for s in seen if s.severity == worst and (s.path, s.line) in authors
    )
    return votes.most_common(1)[0][0] if votes else None


def _open(
    session: Session,
    facts: ScanFacts,
    cause: TicketCause,
    fingerprints: list[str],
    authors: Mapping[tuple[str, int], str],
    *,
    actor: str,
) -> int:
    seen = [facts.findings[fp] for fp in fingerprints]
    worst = _worst(s.severity for s in seen)
    due = facts.now + timedelta(days=facts.policy.days_for(worst))
    ticket = session.exec(
        select(Ticket).where(
            Ticket.module_id == facts.module_id,
            Ticket.cause == cause.value,
            col(Ticket.state).in_([s.value for s in ACTIVE_STATES]),
        )
    ).first()
    action = "ticket.findings_added"
    if ticket is None:
        action = "ticket.opened"
        ticket = Ticket(
            module_id=facts.module_id,
            vendor_id=facts.vendor_id,
            cause=cause.value,
            title=titles.written(cause, _title_args(cause, facts)),
            title_args=_title_args(cause, facts),
            severity=worst,
            assignee=_assignee(seen, authors),
            due_at=due,
            opened_scan_id=facts.scan_id,
            created_at=facts.now,
            updated_at=facts.now,
        )
    elif SEVERITY_ORDER.get(worst, 0) > SEVERITY_ORDER.get(ticket.severity, 0):
        ticket.severity, ticket.due_at = worst, min(due, as_utc(ticket.due_at))
    ticket.last_scan_id = facts.scan_id
    session.add(ticket)
    session.flush()
    for s in seen:
        session.add(
            TicketFinding(
                ticket_id=row_id(ticket),
                module_id=facts.module_id,
                fingerprint=s.fingerprint,
                rule=s.rule,
                severity=s.severity,
                path=s.path,
                line=s.line,
                message=s.message,
                message_wording=s.message_wording,
                author=authors.get((s.path, s.line)),
            )
        )
    workflow.record(
        session,
        ticket,
        action=action,
        actor=actor,
        data={
            "scan_id": facts.scan_id,
            "cause": cause.value,
            "fingerprints": fingerprints[:200],
            "added": len(seen),
        },
    )
    return row_id(ticket)

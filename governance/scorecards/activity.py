"""Requirement delivery, rectification SLA, mirror freshness and push refusals of one vendor.

- **Delivered**: a requirement *entered* the verified group (``VERIFIED_OR_LATER``, the one
  definition in :mod:`governance.requirements.workflow`) during the quarter; its lead time runs
  from the last move into ``approved`` before it. **Open at the end**: its status at the end of
  the quarter (replayed from its transitions) is approved-or-later but not yet verified.
- **SLA adherence**: tickets whose due date fell in the quarter (and has passed); on time when
  closed at or before the due date. No ticket due is *n/a*, not 100 %.
- **Mirror freshness**: for each module mirrored from a vendor remote, the age of its last
  successful sync (audit action ``mirror.sync``) at the end of the quarter; the vendor's figure is
  its stalest module. Push-fed modules have no remote to lag behind and are left out.
- **Push refusals**: audit events ``push.reject`` (recorded by the pre-receive hook) on the
  vendor's modules during the quarter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from statistics import median

from sqlmodel import Session, col, func, select

from governance.audit.models import AuditEvent
from governance.registry.models import Module
from governance.requirements.models import Requirement, RequirementStatus, RequirementTransition
from governance.requirements.workflow import APPROVED_OR_LATER, VERIFIED_OR_LATER
from governance.scorecards.periods import Period
from governance.scorecards.values import DeliveryFigures, MirrorFigures, Ratio
from governance.tickets.models import Ticket
from governance.timeutil import as_utc

DAY = 86400.0
HOUR = 3600.0
_VERIFIED = frozenset(s.value for s in VERIFIED_OR_LATER)
_OPEN = frozenset(s.value for s in APPROVED_OR_LATER - VERIFIED_OR_LATER)


def _histories(
    session: Session, module_ids: Sequence[int], end: datetime
) -> dict[int, list[RequirementTransition]]:
    query = (
        select(RequirementTransition)
        .join(Requirement, col(Requirement.id) == RequirementTransition.requirement_id)
        .where(col(Requirement.module_id).in_(module_ids), col(RequirementTransition.at) < end)
        .order_by(col(RequirementTransition.at), col(RequirementTransition.id))
    )
    histories: dict[int, list[RequirementTransition]] = {}
    for move in session.exec(query).all():
        histories.setdefault(move.requirement_id, []).append(move)
    return histories


def _delivery(history: Sequence[RequirementTransition], period: Period) -> tuple[bool, float | None]:
    """Whether the requirement was delivered in ``period``, and its days approved → verified."""
    approved: datetime | None = None
    delivered, days = False, None
    for move in history:
        at = as_utc(move.at)
        if move.to_status == RequirementStatus.approved.value:
            approved = at
        entering = move.to_status in _VERIFIED and (move.from_status or "") not in _VERIFIED
        if entering and period.contains(at):
            delivered, days = True, ((at - approved).total_seconds() / DAY if approved else None)
    return delivered, days


def _sla(session: Session, vendor_id: int, start: datetime, end: datetime) -> Ratio:
    due = session.exec(
        select(Ticket).where(
            Ticket.vendor_id == vendor_id, col(Ticket.due_at) >= start, col(Ticket.due_at) < end
        )
    ).all()
    kept = [
        t
        for t in due
        if t.closed_at is not None and t.due_at is not None and as_utc(t.closed_at) <= as_utc(t.due_at)
    ]
    return Ratio(len(kept), len(due))


def delivery_figures(
    session: Session, *, vendor_id: int, modules: Sequence[Module], period: Period, until: datetime
) -> DeliveryFigures:
    end = min(period.end, until)
    ids = [m.id for m in modules if m.id is not None]
    histories = _histories(session, ids, end) if ids else {}
    delivered, still_open, days = 0, 0, []
    for history in histories.values():
        was_delivered, lead = _delivery(history, period)
        if not was_delivered:
            still_open += history[-1].to_status in _OPEN
            continue
        delivered += 1
        if lead is not None:
            days.append(lead)
    return DeliveryFigures(
        delivered=delivered,
        open_at_end=still_open,
        median_days_to_deliver=round(median(days), 1) if days else None,
        sla=_sla(session, vendor_id, period.start, end),
    )


def _last_sync(session: Session, key: str, end: datetime) -> datetime | None:
    query = select(func.max(AuditEvent.at)).where(
        AuditEvent.action == "mirror.sync", AuditEvent.target_id == key, col(AuditEvent.at) < end
    )
    found = session.exec(query).one()
    return as_utc(found) if found is not None else None


def mirror_figures(
    session: Session, *, modules: Sequence[Module], period: Period, until: datetime
) -> MirrorFigures:
    end = min(period.end, until)
    mirrored = [m for m in modules if m.remote]
    ages: list[float] = []
    never: list[str] = []
    for module in mirrored:
        synced = _last_sync(session, module.key, end)
        if synced is None:
            never.append(module.key)
        else:
            ages.append(round((end - synced).total_seconds() / HOUR, 1))
    keys = [m.key for m in modules]
    refusals = (
        session.exec(
            select(func.count()).where(
                AuditEvent.action == "push.reject",
                col(AuditEvent.target_id).in_(keys),
                col(AuditEvent.at) >= period.start,
                col(AuditEvent.at) < end,
            )
        ).one()
        if keys
        else 0
    )
    return MirrorFigures(
        mirrored=len(mirrored),
        stalest_hours=max(ages) if ages else None,
        never_synced=tuple(never),
        push_refusals=int(refusals),
    )

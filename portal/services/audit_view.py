"""The audit trail for readers who may see it (admins and auditors), newest first, paginated."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from governance import access
from governance.audit.models import AuditEvent
from governance.registry.models import User


def page_events(
    session: Session, *, user: User, action: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[AuditEvent], int]:
    """A page of events and the total; 403 for anyone but admins and auditors."""
    access.require(access.can_read_audit(user), "read the audit trail")
    count = select(func.count()).select_from(AuditEvent)
    query = select(AuditEvent)
    if action:
        count = count.where(AuditEvent.action == action)
        query = query.where(AuditEvent.action == action)
    total = session.exec(count).one()
    rows = session.exec(
        query.order_by(col(AuditEvent.seq).desc()).offset(max(offset, 0)).limit(max(1, min(limit, 500)))
    ).all()
    return list(rows), int(total)

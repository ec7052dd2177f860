"""The audit trail for readers who may see it (admins and auditors), newest first, paginated."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from governance import access
from governance.audit import READ_ACTIONS, ReadAction
from governance.audit.models import AuditEvent
from governance.registry.models import User

# What a reader sees next to the action's code; the portal's catalogues translate them.
READ_LABELS: dict[ReadAction, str] = {
    "source.git_fetch": "Fetched or cloned the source with git",
    "source.view": "Viewed source lines of a finding",
    "findings.report": "Opened the scan report",
    "findings.export": "Fetched findings through the API",
}


def page_events(
    session: Session,
    *,
    user: User,
    action: str | None = None,
    reads_only: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AuditEvent], int]:
    """A page of events and the total; 403 for anyone but admins and auditors.

    ``reads_only`` keeps the source-access events (who read which module's code).
    """
    access.require(access.can_read_audit(user), "read the audit trail")
    count = select(func.count()).select_from(AuditEvent)
    query = select(AuditEvent)
    if action:
        count = count.where(AuditEvent.action == action)
        query = query.where(AuditEvent.action == action)
    if reads_only:
        count = count.where(col(AuditEvent.action).in_(READ_ACTIONS))
        query = query.where(col(AuditEvent.action).in_(READ_ACTIONS))
    total = session.exec(count).one()
    rows = session.exec(
        query.order_by(col(AuditEvent.seq).desc()).offset(max(offset, 0)).limit(max(1, min(limit, 500)))
    ).all()
    return list(rows), int(total)

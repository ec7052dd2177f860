"""The record of each check of the audit trail (``govern audit verify``): result and time."""

from __future__ import annotations

from sqlmodel import Session, col, select

from governance.audit.models import AuditVerification
from governance.audit.service import Verification, head


def record_verification(
    session: Session, *, actor: str, result: Verification, checkpoints: int, problems: list[str]
) -> AuditVerification:
    """Keep one verification run (chain and signed checkpoints); committed by the caller."""
    current = head(session)
    row = AuditVerification(
        actor=actor,
        ok=result.ok and not problems,
        events=result.verified,
        head=current.hash,
        checkpoints=checkpoints,
        problems=[p for p in ([result.problem] if result.problem and not result.ok else []) + problems],
    )
    session.add(row)
    session.commit()
    return row


def latest_verification(session: Session) -> AuditVerification | None:
    """The newest recorded check, or None when the trail was never verified."""
    query = select(AuditVerification).order_by(col(AuditVerification.id).desc()).limit(1)
    return session.exec(query).first()

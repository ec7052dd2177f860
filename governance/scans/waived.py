"""The waivers a scan is judged with: approved ones of its module (the evaluator applies expiry).

The table lives with the scans because every scan reads it; the workflow that fills it
(request, decide, revoke) is :mod:`governance.waivers.service`, which depends on scans and
never the other way round.
"""

from __future__ import annotations

from sqlmodel import Session, select

from governance.scans.models import Waiver, WaiverState
from governance.timeutil import as_utc
from standards.results import Waiver as WaiverValue


def evaluation_waivers(session: Session, *, module_id: int) -> list[WaiverValue]:
    """Approved waivers of a module as the evaluator takes them (it applies their expiry)."""
    rows = session.exec(
        select(Waiver).where(Waiver.module_id == module_id, Waiver.state == WaiverState.approved)
    ).all()
    return [
        WaiverValue(
            reason=w.reason,
            fingerprint=w.fingerprint,
            rule=w.rule,
            id=str(w.id),
            expires=as_utc(w.expires_at).date() if w.expires_at else None,
        )
        for w in rows
    ]

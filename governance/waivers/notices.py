"""Notices of the waiver workflow: requested (to PMs), approved (to the vendor), expiring soon.

Requests and decisions enqueue their notice in the transaction of the change; the
:class:`WarnExpiringWaivers` scheduler job announces each approved waiver once, a set number
of days (``GOVERN_WAIVER_EXPIRY_NOTICE_DAYS``) before it expires.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from governance.db import Database
from governance.jobs import JobRunner
from governance.notices.events import Event
from governance.notices.outbox import enqueue
from governance.registry.models import Module
from governance.scans.models import Waiver, WaiverState
from governance.timeutil import as_utc


def payload(session: Session, waiver: Waiver, *, by: str | None) -> dict[str, object]:
    module = session.get(Module, waiver.module_id)
    return {
        "module": module.key if module else None,
        "waiver": waiver.id,
        "rule": waiver.rule or waiver.finding.get("rule"),
        "state": waiver.state.value,
        "reason": waiver.reason,
        "expires": as_utc(waiver.expires_at).date().isoformat() if waiver.expires_at else None,
        "by": by,
        "url": f"/modules/{module.key}/waivers" if module else None,
    }


def announce(
    session: Session, event: Event, waiver: Waiver, *, by: str | None, once: str | None = None
) -> None:
    """Enqueue ``event`` about ``waiver`` in the caller's transaction."""
    enqueue(
        session,
        event=event,
        module_id=waiver.module_id,
        vendor_id=None,
        payload=payload(session, waiver, by=by),
        once=once,
    )


def warn_expiring(session: Session, *, now: datetime, days: int) -> list[int]:
    """Enqueue ``waiver.expiring`` once for each approved waiver expiring within ``days``."""
    horizon = now + timedelta(days=days)
    rows = session.exec(
        select(Waiver).where(
            Waiver.state == WaiverState.approved,
            col(Waiver.expires_at).is_not(None),
            col(Waiver.expires_at) > now,
            col(Waiver.expires_at) <= horizon,
        )
    ).all()
    for waiver in rows:
        announce(session, Event.waiver_expiring, waiver, by=None, once=f"waiver.expiring:{waiver.id}")
    return [w.id for w in rows if w.id is not None]


class WarnExpiringWaivers(JobRunner):
    """The scheduler job behind ``waiver.expiring`` (hourly; each waiver is announced once)."""

    name = "warn-expiring-waivers"

    def __init__(self, database: Database, days: int, every: timedelta = timedelta(hours=1)) -> None:
        super().__init__(every=every)
        self.database, self.days = database, days

    def run(self, now: datetime) -> list[int]:
        with self.database.session() as session:
            return warn_expiring(session, now=now, days=self.days)

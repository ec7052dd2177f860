"""A committed scan's notices: "scan completed" always, "gate failed" when its gate failed.

Enqueued in the scan's commit transaction (:func:`announce`); delivered after it commits by
:func:`deliver_after_commit`, which never lets a delivery problem reach the scan.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, col, select

from governance.config import Settings
from governance.db import Database
from governance.notices.dispatch import Dispatcher
from governance.notices.events import Event
from governance.notices.models import Notice
from governance.notices.outbox import enqueue
from governance.registry.models import Module
from governance.scans.models import Scan

log = logging.getLogger(__name__)


def events_for(gate_passed: bool | None) -> tuple[Event, ...]:
    """Which events a completed scan raises."""
    if gate_passed is False:
        return (Event.scan_completed, Event.gate_failed)
    return (Event.scan_completed,)


def announce(session: Session, *, scan: Scan, module: Module) -> None:
    """Enqueue the scan's notices in its commit transaction."""
    payload = {
        "module": module.key,
        "scan": scan.id,
        "branch": scan.branch,
        "commit": scan.commit_sha,
        "score": scan.score,
        "level": scan.level,
        "gate_passed": scan.gate_passed,
        "url": f"/scans/{scan.id}",
    }
    for event in events_for(scan.gate_passed):
        enqueue(session, event=event, module_id=module.id, vendor_id=None, payload=payload)


def deliver_after_commit(
    database: Database, settings: Settings, module_id: int, *, clock: Callable[[], datetime]
) -> None:
    """Deliver the module's not yet dispatched notices now; failures stay queued for the scheduler."""
    try:
        with database.session() as session:
            ids = [
                i
                for i in session.exec(
                    select(Notice.id).where(
                        Notice.module_id == module_id, col(Notice.fanned_out_at).is_(None)
                    )
                ).all()
                if i is not None
            ]
        if ids:
            dispatcher = Dispatcher.from_settings(database, settings, clock=clock)
            try:
                dispatcher.dispatch(ids)
            finally:
                dispatcher.channels.close()
    # The scan is committed; whatever happens here, the scheduler's job retries the notices.
    except Exception:  # pylint: disable=broad-exception-caught
        log.exception("notices of module #%s not delivered after the scan; the scheduler retries", module_id)

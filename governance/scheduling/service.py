"""Due schedules → queued scans, once per firing, with any number of schedulers.

Cron expressions are evaluated by croniter. For each module with a schedule, the most
recent due time at or before now is claimed by inserting a ScheduleFiring row: the
unique key lets exactly one scheduler win, and only the winner requests the scan.
Firings older than a grace period are not replayed after downtime (one catch-up only).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from croniter import CroniterError, croniter
from sqlmodel import Session, col, select

from governance.db import Database
from governance.registry.models import Module
from governance.scans import service as scans
from governance.scans.models import Scan, ScanStatus
from governance.scheduling.models import ScheduleFiring

log = logging.getLogger(__name__)


def last_due(expression: str, now: datetime) -> datetime:
    """The latest time at or before ``now`` that the cron expression names."""
    due: datetime = croniter(expression, now + timedelta(seconds=1)).get_prev(datetime)
    return due


def next_due(expression: str, now: datetime) -> datetime:
    due: datetime = croniter(expression, now).get_next(datetime)
    return due


def _fire(database: Database, module: Module, due: datetime, scheduler: str) -> int | None:
    """Claim the firing and request its scan in ONE transaction; None if another scheduler has it.

    Were the claim committed first, a crash before the request would leave a firing that
    no scheduler retries: the run would be lost.
    """
    assert module.id is not None
    try:
        with database.session() as session:
            firing = ScheduleFiring(module_id=module.id, due_at=due, scheduler=scheduler)
            session.add(firing)
            session.flush()  # the unique key decides here who fires
            scan, _created = scans.request_scan(session, module=module, trigger="schedule", actor=scheduler)
            firing.scan_id = scan.id
            return scan.id
    except sa.exc.IntegrityError:
        return None


def _due(module: Module, now: datetime) -> datetime | None:
    """The module's latest due time, or None for a schedule that cannot be evaluated.

    Such a schedule (stored before validation refused it) is logged and skipped, so it
    stops neither the other modules' firings nor the scheduler.
    """
    try:
        return last_due(module.schedule or "", now)
    except CroniterError as exc:
        log.warning("module %s: schedule %r cannot fire: %s", module.key, module.schedule, exc)
        return None


def fire_due(database: Database, *, now: datetime, scheduler: str, since: datetime) -> list[int]:
    """Request a scan for every module whose schedule came due after ``since``; scan ids."""
    with database.session() as session:
        modules = session.exec(select(Module).where(col(Module.schedule).is_not(None))).all()
    requested: list[int] = []
    for module in modules:
        due = _due(module, now)
        if due is None or due <= since:
            continue
        scan_id = _fire(database, module, due, scheduler)
        if scan_id is not None:
            requested.append(scan_id)
    return requested


def next_queued(session: Session) -> Scan | None:
    """The oldest queued scan, for a scheduler (or worker host) to run."""
    return session.exec(select(Scan).where(Scan.status == ScanStatus.queued).order_by(col(Scan.id))).first()

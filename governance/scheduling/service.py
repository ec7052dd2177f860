"""Due schedules → queued scans, once per firing, with any number of schedulers.

Cron expressions are evaluated by croniter. For each module with a schedule, the most
recent due time at or before now is claimed by inserting a ScheduleFiring row: the
unique key lets exactly one scheduler win, and only the winner requests the scan.
Firings older than a grace period are not replayed after downtime (one catch-up only).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from croniter import croniter
from sqlmodel import Session, col, select

from governance.db import Database
from governance.modeltypes import row_id
from governance.registry.models import Module
from governance.scans import service as scans
from governance.scans.models import Scan, ScanStatus
from governance.scheduling.models import ScheduleFiring


def last_due(expression: str, now: datetime) -> datetime:
    """The latest time at or before ``now`` that the cron expression names."""
    return croniter(expression, now + timedelta(seconds=1)).get_prev(datetime)


def next_due(expression: str, now: datetime) -> datetime:
    return croniter(expression, now).get_next(datetime)


def _claim(database: Database, module: Module, due: datetime, scheduler: str) -> bool:
    """Insert the firing row in its own transaction; False if another scheduler has it."""
    try:
        with database.session() as session:
            session.add(ScheduleFiring(module_id=row_id(module), due_at=due, scheduler=scheduler))
        return True
    except sa.exc.IntegrityError:
        return False


def fire_due(database: Database, *, now: datetime, scheduler: str, since: datetime) -> list[int]:
    """Request a scan for every module whose schedule came due after ``since``; scan ids."""
    with database.session() as session:
        modules = session.exec(select(Module).where(col(Module.schedule).is_not(None))).all()
    requested: list[int] = []
    for module in modules:
        due = last_due(module.schedule or "", now)
        if due <= since or not _claim(database, module, due, scheduler):
            continue
        with database.session() as session:
            scan, _created = scans.request_scan(session, module=module, trigger="schedule", actor=scheduler)
            firing = session.exec(
                select(ScheduleFiring).where(
                    ScheduleFiring.module_id == module.id, ScheduleFiring.due_at == due
                )
            ).one()
            firing.scan_id = scan.id
            requested.append(row_id(scan))
    return requested


def next_queued(session: Session) -> Scan | None:
    """The oldest queued scan, for a scheduler (or worker host) to run."""
    return session.exec(select(Scan).where(Scan.status == ScanStatus.queued).order_by(col(Scan.id))).first()

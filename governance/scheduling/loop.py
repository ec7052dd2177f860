"""The scheduler loop: fire due schedules, sweep lost scans, run queued scans.

Several may run at once (on one or many machines): firings are claimed through a unique
row and queued scans through a conditional update, so each happens once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from governance.db import Database
from governance.errors import Conflict, GovernError
from governance.modeltypes import row_id
from governance.scans import service as scans
from governance.scheduling.service import fire_due, next_queued
from governance.timeutil import utcnow

log = logging.getLogger(__name__)


@dataclass
class Scheduler:
    """One scheduler process; ``run_scan(scan_id)`` runs a claimed scan to its end."""

    database: Database
    run_scan: Callable[[int], object]
    name: str = field(default_factory=scans.coordinator_id)
    interval: float = 15.0
    grace: timedelta = timedelta(hours=1)
    stop: threading.Event = field(default_factory=threading.Event)

    def tick(self, now: datetime | None = None) -> list[int]:
        """One pass: fire, sweep, then run every queued scan; returns the scans it ran."""
        now = now or utcnow()
        fired = fire_due(self.database, now=now, scheduler=self.name, since=now - self.grace)
        if fired:
            log.info("schedules fired: scans %s", fired)
        with self.database.session() as session:
            scans.sweep_expired(session)
        return self._run_queued()

    def _run_queued(self) -> list[int]:
        ran: list[int] = []
        while not self.stop.is_set():
            with self.database.session() as session:
                queued = next_queued(session)
            if queued is None:
                return ran
            try:
                self.run_scan(row_id(queued))
                ran.append(row_id(queued))
            except Conflict:
                continue  # another scheduler claimed it first
            except GovernError as exc:
                log.warning("scan %s failed: %s", queued.id, exc.message)
                ran.append(row_id(queued))
        return ran

    def forever(self) -> None:
        while not self.stop.is_set():
            self.tick()
            self.stop.wait(self.interval)

"""The scheduler loop: fire due schedules, sweep lost scans, run queued scans, checkpoint the audit trail.

Several may run at once (on one or many machines): firings are claimed through a unique
row and queued scans through a conditional update, so each happens once. Each step is a
:class:`~governance.jobs.JobRunner`, so an exception in one step is recorded
and the loop carries on; :meth:`Scheduler.health` tells whether the loop is running.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from governance.db import Database
from governance.errors import Conflict, GovernError
from governance.jobs import JobOutcome, JobRunner
from governance.scans import service as scans
from governance.scheduling.service import fire_due, next_queued
from governance.timeutil import utcnow

log = logging.getLogger(__name__)


class FireSchedules(JobRunner):
    """Request a scan for every schedule that came due (within the grace period)."""

    name = "fire-schedules"

    def __init__(self, database: Database, scheduler: str, grace: timedelta) -> None:
        super().__init__()
        self.database, self.scheduler, self.grace = database, scheduler, grace

    def run(self, now: datetime) -> list[int]:
        fired = fire_due(self.database, now=now, scheduler=self.scheduler, since=now - self.grace)
        if fired:
            log.info("schedules fired: scans %s", fired)
        return fired


class SweepLostScans(JobRunner):
    """Fail scans whose coordinator stopped renewing its lease."""

    name = "sweep-lost-scans"

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database

    def run(self, now: datetime) -> list[int]:
        with self.database.session() as session:
            return scans.sweep_expired(session)


class RunQueuedScans(JobRunner):
    """Run every queued scan, oldest first, until none is left or the scheduler stops."""

    name = "run-queued-scans"

    def __init__(self, database: Database, run_scan: Callable[[int], object], stop: threading.Event) -> None:
        super().__init__()
        self.database, self.run_scan, self.stop = database, run_scan, stop

    def run(self, now: datetime) -> list[int]:
        ran: list[int] = []
        while not self.stop.is_set():
            with self.database.session() as session:
                queued = next_queued(session)
            if queued is None or queued.id is None:
                return ran
            try:
                self.run_scan(queued.id)
            except Conflict:
                continue  # another scheduler claimed it first
            except GovernError as exc:
                log.warning("scan %s failed: %s", queued.id, exc.message)
            ran.append(queued.id)
        return ran


@dataclass(frozen=True)
class SchedulerHealth:
    """``state``: ``running``, ``not started`` or ``stopped``; ``errors``: jobs whose last run raised."""

    state: str
    last_pass: datetime | None
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return self.state == "running"


class HealthSource(Protocol):
    """What ``/healthz`` asks: the scheduler itself, or its published health in another process."""

    def health(self) -> SchedulerHealth: ...


@dataclass
class Scheduler:
    """One scheduler process; ``run_scan(scan_id)`` runs a claimed scan to its end."""

    database: Database
    run_scan: Callable[[int], object]
    name: str = field(default_factory=scans.coordinator_id)
    interval: float = 15.0
    grace: timedelta = timedelta(hours=1)
    stop: threading.Event = field(default_factory=threading.Event)
    clock: Callable[[], datetime] = utcnow
    extra_jobs: list[JobRunner] = field(default_factory=list)
    started: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    last_pass: datetime | None = None
    jobs: list[JobRunner] = field(init=False)

    def __post_init__(self) -> None:
        self.jobs = [
            FireSchedules(self.database, self.name, self.grace),
            SweepLostScans(self.database),
            RunQueuedScans(self.database, self.run_scan, self.stop),
            *self.extra_jobs,
        ]

    def tick(self, now: datetime | None = None) -> list[JobOutcome]:
        """One pass over every due job; a job that raises is recorded, the others still run."""
        now = now or self.clock()
        outcomes = [job.execute(now) for job in self.jobs if job.due(now) and not self.stop.is_set()]
        self.last_pass = now
        return outcomes

    def forever(self) -> None:
        """Pass after pass until :attr:`stop` is set; :attr:`finished` tells health it ended."""
        self.started.set()
        try:
            while not self.stop.is_set():
                self.tick()
                self.stop.wait(self.interval)
        finally:
            self.finished.set()

    def health(self) -> SchedulerHealth:
        errors = {job.name: job.last_error for job in self.jobs if job.last_error}
        if self.finished.is_set():
            state = "stopped"
        elif self.started.is_set():
            state = "running"
        else:
            state = "not started"
        return SchedulerHealth(state, self.last_pass, errors)


def scans_ran(outcomes: list[JobOutcome]) -> list[int]:
    """The scan ids the run-queued-scans job of a pass ran."""
    for outcome in outcomes:
        if outcome.name == RunQueuedScans.name and isinstance(outcome.result, list):
            return [int(scan_id) for scan_id in outcome.result]
    return []

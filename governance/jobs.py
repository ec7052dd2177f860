"""Background jobs: a runner base owns status, error capture and rescheduling (netbox's ``JobRunner``).

A job implements only :meth:`JobRunner.run`; :meth:`JobRunner.execute` records that it ran,
turns any exception into an ``errored`` outcome with a one-line reason (and a logged
traceback), and schedules the next run. So one failing job never stops the scheduler that
runs it, and the failure is visible (``govern scheduler --once``, ``/healthz``) instead of
silently killing a thread.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar

log = logging.getLogger(__name__)


class JobStatus(StrEnum):
    """Where a job stands; ``errored`` means its last run raised."""

    pending = "pending"
    running = "running"
    completed = "completed"
    errored = "errored"


@dataclass(frozen=True)
class JobOutcome:
    """What one run of a job did: its status, the error's one line, and the job's result."""

    name: str
    status: JobStatus
    started_at: datetime
    error: str | None = None
    result: object = None


class JobRunner(ABC):
    """Base of every scheduler job: subclasses set ``name`` and implement :meth:`run`."""

    name: ClassVar[str] = "job"

    def __init__(self, *, every: timedelta = timedelta(0)) -> None:
        self.every = every
        self.status = JobStatus.pending
        self.last_error: str | None = None
        self.next_run: datetime | None = None

    @abstractmethod
    def run(self, now: datetime) -> object:
        """Do the work once; raise to fail (the runner records it)."""

    def due(self, now: datetime) -> bool:
        return self.next_run is None or now >= self.next_run

    def execute(self, now: datetime) -> JobOutcome:
        """Run once, capturing any exception; always reschedules (``every`` after ``now``)."""
        self.status = JobStatus.running
        try:
            result = self.run(now)
        # The runner's whole point: one job's bug is not the loop's death.
        except Exception as exc:  # pylint: disable=broad-exception-caught
            log.exception("job %s failed", self.name)
            self.status, self.last_error = JobStatus.errored, f"{type(exc).__name__}: {exc}"
            return JobOutcome(self.name, self.status, now, error=self.last_error)
        finally:
            self.next_run = now + self.every
        self.status, self.last_error = JobStatus.completed, None
        return JobOutcome(self.name, self.status, now, result=result)

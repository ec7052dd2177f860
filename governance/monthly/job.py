"""The scheduler's job: on the 1st (or the first pass after it) the previous month's report, once.

Within ``grace`` (a week) of the 1st a missing report is made; after it the job leaves the
month alone, so a scheduler started mid-month does not write an old month's report nobody
asked for (``govern report monthly --month`` makes one by hand). Any number of schedulers
may run it: the report's unique month decides which one writes it; the others find it there
(or lose the insert) and do nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa

from governance.db import Database
from governance.jobs import JobRunner
from governance.monthly.service import Renderer, generate
from governance.scorecards.periods import month_of, previous_month

log = logging.getLogger(__name__)


class MonthlyReportJob(JobRunner):
    """Generate the previous month's report when it is missing; returns its month, or None."""

    name = "monthly-report"

    def __init__(
        self,
        database: Database,
        renderer: Renderer,
        *,
        actor: str = "scheduler",
        every: timedelta = timedelta(minutes=10),
        grace: timedelta = timedelta(days=7),
    ) -> None:
        super().__init__(every=every)
        self.database, self.renderer, self.actor, self.grace = database, renderer, actor, grace

    def run(self, now: datetime) -> str | None:
        this_month = month_of(now)
        if now - this_month.start >= self.grace:
            return None
        period = previous_month(this_month)
        try:
            with self.database.session() as session:
                report = generate(session, period=period, renderer=self.renderer, actor=self.actor, now=now)
        except sa.exc.IntegrityError:
            return None  # another scheduler wrote it first
        if report is None:
            return None
        log.info("monthly report %s generated", period.label)
        return period.label

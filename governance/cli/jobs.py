"""The scheduler's jobs beyond scans, composed here (the CLI may import ``reports``; the domain may not)."""

from __future__ import annotations

from governance.audit.checkpoints import CheckpointJob
from governance.cli.runtime import Runtime
from governance.jobs import JobRunner
from governance.monthly.job import MonthlyReportJob
from reports.scorecards.monthly import render_monthly


def background_jobs(rt: Runtime) -> list[JobRunner]:
    """Audit checkpoints and the monthly report (on the 1st, for the month before)."""
    return [CheckpointJob(rt.db, rt.settings), MonthlyReportJob(rt.db, render_monthly)]

"""The scheduler's jobs beyond scans, composed once for `govern scheduler` and `govern serve`.

The CLI may import ``reports``; the domain may not: the monthly report's renderer is injected here.
"""

from __future__ import annotations

from governance.audit.checkpoints import CheckpointJob
from governance.campaigns.jobs import CampaignJob
from governance.cli.runtime import Runtime
from governance.jobs import JobRunner
from governance.monthly.job import MonthlyReportJob
from governance.notices.dispatch import Dispatcher
from governance.notices.jobs import DeliverNotices, SendDigests
from governance.sso.jobs import directory_jobs
from governance.tickets.sweep import TicketSweepJob
from governance.waivers.notices import WarnExpiringWaivers
from reports.scorecards.monthly import render_monthly


def scheduler_jobs(rt: Runtime) -> list[JobRunner]:
    """Audit checkpoints, notice delivery and digests, waiver expiry, directory re-checks,
    overdue and lapsed-waiver tickets, campaign reminders and results, the monthly report."""
    dispatcher = Dispatcher.from_settings(rt.db, rt.settings)
    return [
        CheckpointJob(rt.db, rt.settings),
        DeliverNotices(dispatcher),
        SendDigests(dispatcher),
        WarnExpiringWaivers(rt.db, rt.settings.waiver_expiry_notice_days),
        *directory_jobs(rt.db, rt.settings),
        TicketSweepJob(rt.db),
        CampaignJob(rt.db),
        MonthlyReportJob(rt.db, render_monthly),
    ]

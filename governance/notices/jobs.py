"""Scheduler jobs of notices: retry deliveries every pass, send the daily digests."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

from governance.jobs import JobRunner
from governance.notices.digest import send_digests
from governance.notices.dispatch import Dispatcher


class DeliverNotices(JobRunner):
    """Fan out committed notices and attempt every due delivery (first tries and retries)."""

    name = "deliver-notices"

    def __init__(self, dispatcher: Dispatcher, every: timedelta = timedelta(0)) -> None:
        super().__init__(every=every)
        self.dispatcher = dispatcher

    def run(self, now: datetime) -> dict[str, int]:
        return asdict(self.dispatcher.dispatch())


class SendDigests(JobRunner):
    """Send each digest reader's daily e-mail when it is due."""

    name = "send-notice-digests"

    def __init__(self, dispatcher: Dispatcher, every: timedelta = timedelta(minutes=5)) -> None:
        super().__init__(every=every)
        self.dispatcher = dispatcher

    def run(self, now: datetime) -> dict[str, int]:
        return asdict(send_digests(self.dispatcher))

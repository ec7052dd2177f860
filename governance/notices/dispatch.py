"""Delivering committed notices, after commit and never inside a transaction.

:meth:`Dispatcher.dispatch` first fans committed notices out into deliveries (one short
transaction per notice, claimed by a conditional update so two dispatchers never fan out
twice), then makes one attempt at every due delivery: claim it (a short lease, a
conditional update), read what to send, **close the session**, send, and record the
attempt in the delivery log in a new transaction. A failed attempt is retried after
``retry * 2**(attempts-1)`` on the injected clock, up to ``max_attempts``; the notice and
the state change it announces are committed already, so nothing a mail server or a
receiver does can undo them. The scan runner calls it after a scan commits; the scheduler's
:class:`~governance.notices.jobs.DeliverNotices` job calls it every pass for the retries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance import audit
from governance.config import Settings
from governance.db import Database
from governance.notices.channels import Attempt, Channels, Mail
from governance.notices.compose import Message, compose
from governance.notices.models import DeliveryStatus, Notice, NoticeAttempt, NoticeDelivery
from governance.notices.recipients import deliveries
from governance.timeutil import utcnow

log = logging.getLogger(__name__)

MAX_DELAY = timedelta(days=1)
BATCH = 200


def rows_changed(session: Session, statement: sa.Update) -> int:
    """Run an UPDATE (a conditional claim) and say how many rows it changed."""
    # An UPDATE answers with a cursor result, which counts the rows it changed.
    return cast(sa.CursorResult[Any], session.execute(statement)).rowcount


@dataclass(frozen=True)
class DispatchReport:
    """What one dispatch did: notices fanned out, attempts made and how they ended."""

    fanned_out: int
    delivered: int
    retrying: int
    failed: int


@dataclass
class Dispatcher:
    """Fans out and delivers notices; ``clock`` decides what is due (tests pass their own)."""

    database: Database
    channels: Channels
    clock: Callable[[], datetime] = utcnow
    max_attempts: int = 8
    retry: timedelta = timedelta(seconds=60)
    lease: timedelta = timedelta(minutes=5)
    portal_url: str | None = None
    actor: str = "notices"

    @classmethod
    def from_settings(
        cls,
        database: Database,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        channels: Channels | None = None,
    ) -> Dispatcher:
        return cls(
            database,
            channels or Channels.from_settings(settings),
            clock=clock,
            max_attempts=settings.notice_max_attempts,
            retry=timedelta(seconds=settings.notice_retry_seconds),
            portal_url=settings.notice_portal_url,
        )

    def dispatch(self, notice_ids: Sequence[int] | None = None) -> DispatchReport:
        """Fan out pending notices (only ``notice_ids`` if given) and attempt every due delivery."""
        now = self.clock()
        fanned = self.fan_out(now, notice_ids)
        outcomes = [self.deliver(delivery_id, now) for delivery_id in self._due(now, notice_ids)]
        return DispatchReport(
            fanned_out=fanned,
            delivered=outcomes.count(DeliveryStatus.delivered),
            retrying=outcomes.count(DeliveryStatus.pending),
            failed=outcomes.count(DeliveryStatus.failed),
        )

    def fan_out(self, now: datetime, notice_ids: Sequence[int] | None = None) -> int:
        with self.database.session() as session:
            query = select(Notice.id).where(col(Notice.fanned_out_at).is_(None))
            if notice_ids is not None:
                query = query.where(col(Notice.id).in_(list(notice_ids)))
            pending = [i for i in session.exec(query.order_by(col(Notice.id)).limit(BATCH)).all() if i]
        return sum(self._fan_out_one(notice_id, now) for notice_id in pending)

    def _fan_out_one(self, notice_id: int, now: datetime) -> int:
        with self.database.session() as session:
            claim = (
                sa.update(Notice)
                .where(col(Notice.id) == notice_id, col(Notice.fanned_out_at).is_(None))
                .values(fanned_out_at=now)
            )
            if rows_changed(session, claim) != 1:
                return 0
            notice = session.get(Notice, notice_id)
            assert notice is not None
            session.add_all(deliveries(session, notice, now))
        return 1

    def _due(self, now: datetime, notice_ids: Sequence[int] | None) -> list[int]:
        with self.database.session() as session:
            query = select(NoticeDelivery.id).where(
                col(NoticeDelivery.status) == DeliveryStatus.pending,
                col(NoticeDelivery.next_attempt_at) <= now,
                sa.or_(col(NoticeDelivery.claimed_until).is_(None), col(NoticeDelivery.claimed_until) < now),
            )
            if notice_ids is not None:
                query = query.where(col(NoticeDelivery.notice_id).in_(list(notice_ids)))
            return [i for i in session.exec(query.order_by(col(NoticeDelivery.id)).limit(BATCH)).all() if i]

    def deliver(self, delivery_id: int, now: datetime) -> DeliveryStatus | None:
        """One attempt at one delivery; None if another dispatcher holds it."""
        if not self._claim(delivery_id, now):
            return None
        with self.database.session() as session:
            delivery = session.get(NoticeDelivery, delivery_id)
            assert delivery is not None
            message = compose(session, delivery, now=now, portal_url=self.portal_url)
        # The session is closed: nothing below holds a transaction while the network is slow.
        attempt = self.send(message)
        return self.record([delivery_id], attempt, now)

    def _claim(self, delivery_id: int, now: datetime) -> bool:
        with self.database.session() as session:
            claim = (
                sa.update(NoticeDelivery)
                .where(
                    col(NoticeDelivery.id) == delivery_id,
                    col(NoticeDelivery.status) == DeliveryStatus.pending,
                    sa.or_(
                        col(NoticeDelivery.claimed_until).is_(None), col(NoticeDelivery.claimed_until) < now
                    ),
                )
                .values(claimed_until=now + self.lease)
            )
            return rows_changed(session, claim) == 1

    def send(self, message: Message | None) -> Attempt:
        if message is None:
            return Attempt(False, None, "the recipient is gone (deactivated, no address, or webhook removed)")
        try:
            return (
                self.channels.mail(message)
                if isinstance(message, Mail)
                else self.channels.poster.send(message)
            )
        # A channel's bug must not lose the attempt: it is recorded and retried like any failure.
        except Exception as exc:  # pylint: disable=broad-exception-caught
            log.exception("notice channel failed")
            return Attempt(False, None, f"{type(exc).__name__}: {exc}"[:500])

    def record(self, delivery_ids: Sequence[int], attempt: Attempt, now: datetime) -> DeliveryStatus:
        """Log the attempt for each delivery and schedule a retry, or settle it (and audit that)."""
        status = DeliveryStatus.pending
        with self.database.session() as session:
            for delivery_id in delivery_ids:
                delivery = session.get(NoticeDelivery, delivery_id)
                assert delivery is not None
                status = self._settle(session, delivery, attempt, now)
        return status

    def _settle(
        self, session: Session, delivery: NoticeDelivery, attempt: Attempt, now: datetime
    ) -> DeliveryStatus:
        delivery.attempts += 1
        delivery.claimed_until = None
        session.add(
            NoticeAttempt(
                delivery_id=delivery.id or 0,
                number=delivery.attempts,
                at=now,
                ok=attempt.ok,
                status_code=attempt.status_code,
                error=attempt.error,
            )
        )
        if attempt.ok:
            delivery.status, delivery.delivered_at, delivery.last_error = DeliveryStatus.delivered, now, None
        elif delivery.attempts >= self.max_attempts:
            delivery.status, delivery.last_error = DeliveryStatus.failed, attempt.error
        else:
            delivery.last_error = attempt.error
            delivery.next_attempt_at = now + self.backoff(delivery.attempts)
            return DeliveryStatus.pending
        audit.record(
            session,
            actor=self.actor,
            action=f"notice.{delivery.status}",
            target_type="notice_delivery",
            target_id=delivery.id or 0,
            data={"channel": delivery.channel, "attempts": delivery.attempts, "error": delivery.last_error},
        )
        return DeliveryStatus(delivery.status)

    def backoff(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failure: retry, 2×, 4× … capped at a day."""
        return min(self.retry * (1 << max(attempts - 1, 0)), MAX_DELAY)

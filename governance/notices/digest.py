"""The daily digest: readers in digest mode get one e-mail a day with everything since the last.

A reader's digest is due when a day has passed since their last digest (or, for the first,
since the oldest notice waiting for it) and no retry is pending. It is one message, sent
outside any transaction like every delivery; each notice it holds gets its own line in the
delivery log, and a failed digest is retried with the dispatcher's backoff.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance.notices.compose import compose_digest
from governance.notices.dispatch import Dispatcher, rows_changed
from governance.notices.models import DeliveryStatus, Notice, NoticeDelivery, NoticePreference
from governance.timeutil import as_utc

DAY = timedelta(days=1)


@dataclass(frozen=True)
class DigestReport:
    sent: int
    failed: int


def _waiting(session: Session) -> dict[int, list[NoticeDelivery]]:
    rows = session.exec(
        select(NoticeDelivery)
        .where(col(NoticeDelivery.status) == DeliveryStatus.digest, col(NoticeDelivery.user_id).is_not(None))
        .order_by(col(NoticeDelivery.id))
    ).all()
    grouped: dict[int, list[NoticeDelivery]] = defaultdict(list)
    for row in rows:
        grouped[row.user_id or 0].append(row)
    return grouped


def _is_due(session: Session, user_id: int, rows: list[NoticeDelivery], now: datetime) -> bool:
    pref = session.exec(select(NoticePreference).where(NoticePreference.user_id == user_id)).first()
    last = pref.last_digest_at if pref is not None else None
    since = as_utc(last) if last is not None else min(as_utc(r.created_at) for r in rows)
    retry_at = max(as_utc(r.next_attempt_at) for r in rows)
    return now - since >= DAY and retry_at <= now


def due_digests(dispatcher: Dispatcher, now: datetime) -> dict[int, list[int]]:
    """user id → the delivery ids their due digest holds."""
    with dispatcher.database.session() as session:
        return {
            user_id: [r.id for r in rows if r.id is not None]
            for user_id, rows in _waiting(session).items()
            if _is_due(session, user_id, rows, now)
        }


def _claim(dispatcher: Dispatcher, ids: list[int], now: datetime) -> bool:
    with dispatcher.database.session() as session:
        claim = (
            sa.update(NoticeDelivery)
            .where(
                col(NoticeDelivery.id).in_(ids),
                col(NoticeDelivery.status) == DeliveryStatus.digest,
                sa.or_(col(NoticeDelivery.claimed_until).is_(None), col(NoticeDelivery.claimed_until) < now),
            )
            .values(claimed_until=now + dispatcher.lease)
        )
        if rows_changed(session, claim) != len(ids):
            session.rollback()  # another scheduler is sending (part of) it
            return False
        return True


def send_digest(dispatcher: Dispatcher, user_id: int, ids: list[int], now: datetime) -> bool:
    """Send one reader's digest; True if it was delivered."""
    if not _claim(dispatcher, ids, now):
        return False
    with dispatcher.database.session() as session:
        notice_ids = [d.notice_id for d in (session.get(NoticeDelivery, i) for i in ids) if d is not None]
        notices = list(
            session.exec(select(Notice).where(col(Notice.id).in_(notice_ids)).order_by(col(Notice.id))).all()
        )
        mail = compose_digest(session, user_id, notices, portal_url=dispatcher.portal_url)
    attempt = dispatcher.send(mail)
    dispatcher.record(ids, attempt, now)
    if attempt.ok:
        with dispatcher.database.session() as session:
            pref = session.exec(select(NoticePreference).where(NoticePreference.user_id == user_id)).first()
            if pref is not None:
                pref.last_digest_at = now
    return attempt.ok


def send_digests(dispatcher: Dispatcher) -> DigestReport:
    """Every due digest, once."""
    now = dispatcher.clock()
    results = [send_digest(dispatcher, user, ids, now) for user, ids in due_digests(dispatcher, now).items()]
    return DigestReport(sent=results.count(True), failed=results.count(False))

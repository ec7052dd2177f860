"""Who receives a notice: fan-out of one committed notice into delivery rows.

E-mail goes to users with an address in their notice preferences who want the event:
a vendor event reaches the users of *the notice's vendor only* (never another vendor's),
an escalation or request reaches the project managers. Webhooks go to the active
subscriptions of the notice's module and of its vendor that list the event (an empty list
means every event). Deliveries of users in digest mode wait for their daily digest.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance.notices.events import AUDIENCE, DEFAULT_EMAIL_EVENTS, PM, VENDOR, Event
from governance.notices.models import (
    Channel,
    DeliveryStatus,
    DigestMode,
    Notice,
    NoticeDelivery,
    NoticePreference,
    Webhook,
)
from governance.registry.models import Role, User


def wanted_events(preference: NoticePreference) -> frozenset[str]:
    """The events a user is e-mailed about: their choice, or the defaults."""
    return frozenset(preference.events) if preference.events is not None else DEFAULT_EMAIL_EVENTS


def _audience(notice: Notice) -> sa.ColumnElement[bool] | None:
    audience = AUDIENCE[Event(notice.event)]
    conditions: list[sa.ColumnElement[bool]] = []
    if VENDOR in audience and notice.vendor_id is not None:
        conditions.append(sa.and_(col(User.role) == Role.vendor, col(User.vendor_id) == notice.vendor_id))
    if PM in audience:
        conditions.append(col(User.role) == Role.pm)
    return sa.or_(*conditions) if conditions else None


def readers(session: Session, notice: Notice) -> list[tuple[User, NoticePreference]]:
    """Active users of the event's audience with an address, who want this event."""
    audience = _audience(notice)
    if audience is None:
        return []
    rows = session.exec(
        select(User, NoticePreference)
        .join(NoticePreference, col(NoticePreference.user_id) == col(User.id))
        .where(col(User.active), col(NoticePreference.email).is_not(None), audience)
        .order_by(col(User.id))
    ).all()
    return [(user, pref) for user, pref in rows if notice.event in wanted_events(pref)]


def subscriptions(session: Session, notice: Notice) -> list[Webhook]:
    """Active webhooks of the notice's module or vendor that take its event."""
    owners: list[sa.ColumnElement[bool]] = []
    if notice.module_id is not None:
        owners.append(col(Webhook.module_id) == notice.module_id)
    if notice.vendor_id is not None:
        owners.append(col(Webhook.vendor_id) == notice.vendor_id)
    if not owners:
        return []
    hooks = session.exec(
        select(Webhook).where(col(Webhook.active), sa.or_(*owners)).order_by(col(Webhook.id))
    ).all()
    return [hook for hook in hooks if not hook.events or notice.event in hook.events]


def deliveries(session: Session, notice: Notice, now: datetime) -> list[NoticeDelivery]:
    """The delivery rows of a notice (not yet added to the session)."""
    assert notice.id is not None
    mails = (
        NoticeDelivery(
            notice_id=notice.id,
            channel=Channel.email,
            user_id=user.id,
            status=DeliveryStatus.digest if pref.mode == DigestMode.digest else DeliveryStatus.pending,
            next_attempt_at=now,
            created_at=now,
        )
        for user, pref in readers(session, notice)
    )
    hooks: Iterable[NoticeDelivery] = (
        NoticeDelivery(
            notice_id=notice.id,
            channel=Channel.webhook,
            webhook_id=hook.id,
            next_attempt_at=now,
            created_at=now,
        )
        for hook in subscriptions(session, notice)
    )
    return [*mails, *hooks]

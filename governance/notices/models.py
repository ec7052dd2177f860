"""Tables of notices: the outbox, deliveries and their attempts, webhooks, preferences.

* :class:`Notice` — the outbox row, written in the transaction of the change it announces.
* :class:`NoticeDelivery` — one per (notice, recipient e-mail or webhook), made after commit;
  carries the retry state (attempts, next attempt, a short claim lease).
* :class:`NoticeAttempt` — the delivery log: one row per try, whatever its outcome.
* :class:`Webhook` — a signed-webhook subscription of one module or one vendor.
* :class:`NoticePreference` — a user's address, events and immediate/daily-digest choice.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, json_column, optional_time


class Channel(StrEnum):
    email = "email"
    webhook = "webhook"


class DeliveryStatus(StrEnum):
    """``pending`` (due at ``next_attempt_at``) → ``delivered`` | ``failed`` (gave up);
    ``digest`` waits for the recipient's daily digest."""

    pending = "pending"
    digest = "digest"
    delivered = "delivered"
    failed = "failed"


class DigestMode(StrEnum):
    immediate = "immediate"
    digest = "digest"


class Notice(SQLModel, table=True):
    """An event to announce; ``fanned_out_at`` is set once its deliveries exist."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=36, unique=True)
    event: str = Field(max_length=40, index=True)
    module_id: int | None = Field(default=None, foreign_key="module.id", index=True)
    vendor_id: int | None = Field(default=None, foreign_key="vendor.id", index=True)
    payload: dict[str, Any] = json_column()
    once_key: str | None = Field(default=None, max_length=200, unique=True)
    created_at: datetime = created_at()
    fanned_out_at: datetime | None = optional_time()


class NoticeDelivery(SQLModel, table=True):
    """One notice to one recipient (a user's e-mail address, or a webhook)."""

    __tablename__ = "notice_delivery"
    __table_args__ = (sa.Index("ix_notice_delivery_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    channel: str = Field(max_length=10)  # a Channel
    user_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    webhook_id: int | None = Field(default=None, foreign_key="webhook.id", index=True)
    status: str = Field(default=DeliveryStatus.pending.value, max_length=10)  # a DeliveryStatus
    attempts: int = Field(default=0)
    next_attempt_at: datetime = created_at()
    claimed_until: datetime | None = optional_time()
    last_error: str | None = Field(default=None, max_length=500)
    delivered_at: datetime | None = optional_time()
    created_at: datetime = created_at()


class NoticeAttempt(SQLModel, table=True):
    """The delivery log: every try of a delivery, successful or not."""

    __tablename__ = "notice_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="notice_delivery.id", index=True)
    number: int
    at: datetime = created_at()
    ok: bool
    status_code: int | None = Field(default=None)
    error: str | None = Field(default=None, max_length=500)


class Webhook(SQLModel, table=True):
    """A URL that receives signed notices of one module or of one vendor (exactly one is set)."""

    __table_args__ = (
        sa.CheckConstraint("(module_id IS NULL) <> (vendor_id IS NULL)", name="ck_webhook_one_owner"),
    )

    id: int | None = Field(default=None, primary_key=True)
    module_id: int | None = Field(default=None, foreign_key="module.id", index=True)
    vendor_id: int | None = Field(default=None, foreign_key="vendor.id", index=True)
    url: str = Field(max_length=500)
    secret: str = Field(max_length=200)
    events: list[Any] = json_column([])
    active: bool = Field(default=True)
    created_by: str = Field(default="", max_length=120)
    created_at: datetime = created_at()


class NoticePreference(SQLModel, table=True):
    """A user's notice settings; no row means: no address, so no e-mail."""

    __tablename__ = "notice_preference"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", unique=True)
    email: str | None = Field(default=None, max_length=254)
    mode: str = Field(default=DigestMode.immediate.value, max_length=10)  # a DigestMode
    events: list[Any] | None = Field(default=None, sa_type=sa.JSON, nullable=True)
    last_digest_at: datetime | None = optional_time()
    updated_at: datetime = created_at()

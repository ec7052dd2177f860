"""The audit trail's table: append-only rows chained by hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, json_column


class AuditEvent(SQLModel, table=True):
    """One change of state. ``hash`` covers the canonical content and ``prev_hash``.

    ``seq`` is gap-free from 1, so a deleted row shows as a gap and a reordered or
    inserted row breaks the chain.
    """

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True, index=True)
    at: datetime = created_at()
    actor: str = Field(max_length=200)
    action: str = Field(max_length=80, index=True)
    target_type: str = Field(max_length=40)
    target_id: str = Field(max_length=200)
    data: dict[str, Any] = json_column()
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class AuditVerification(SQLModel, table=True):
    """One check of the trail (``govern audit verify``): chain and signed checkpoints, and the outcome.

    Kept apart from the chain so a check never changes what it checks; the audit page shows
    the newest one (result and time).
    """

    __tablename__ = "audit_verification"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created_at()
    actor: str = Field(max_length=200)
    ok: bool
    events: int
    head: str = Field(max_length=64)
    checkpoints: int = 0
    problems: list[str] = json_column([])

"""Rectification tickets and their discussion threads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, json_column, optional_time


class TicketState(StrEnum):
    """open → answered → verified/closed; reopened when a fix does not hold."""

    open = "open"
    answered = "answered"
    verified = "verified"
    closed = "closed"


class Ticket(SQLModel, table=True):
    """A request to a vendor to fix findings of one module by a due date."""

    __table_args__ = (sa.Index("ix_ticket_module_state", "module_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id")
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    title: str = Field(max_length=300)
    severity: str = Field(max_length=10)
    fingerprints: list[Any] = json_column([])
    state: TicketState = Field(default=TicketState.open, max_length=12)
    due_at: datetime | None = optional_time()
    created_at: datetime = created_at()
    closed_at: datetime | None = optional_time()


class TicketComment(SQLModel, table=True):
    """One message in a ticket's thread."""

    __tablename__ = "ticket_comment"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    author: str = Field(max_length=200)
    body: str = Field(sa_type=sa.Text)
    at: datetime = created_at()

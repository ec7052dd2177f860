"""Rectification tickets, the findings each groups (by fingerprint), and their threads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, message_wording_column, optional_time
from governance.modeltypes import created_at as _stamp


class TicketState(StrEnum):
    """open → answered → verifying → closed; ``reopened`` when a fix did not hold or regressed.

    Only a scan closes a ticket (its findings no longer show); see :mod:`governance.tickets.workflow`.
    """

    open = "open"
    answered = "answered"
    verifying = "verifying"
    closed = "closed"
    reopened = "reopened"


#: States in which a ticket is still someone's work (counted as "open tickets").
ACTIVE_STATES: tuple[TicketState, ...] = (
    TicketState.open,
    TicketState.answered,
    TicketState.verifying,
    TicketState.reopened,
)


class TicketCause(StrEnum):
    """Why a scan opened the ticket: one active ticket per module and cause."""

    gate_failed = "gate_failed"
    new_findings = "new_findings"


class Ticket(SQLModel, table=True):
    """A request to a vendor to fix findings of one module by a due date."""

    __table_args__ = (
        sa.Index("ix_ticket_module_state", "module_id", "state"),
        sa.Index("ix_ticket_state_due", "state", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id")
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    cause: str = Field(max_length=20)
    title: str = Field(max_length=300)
    # the values that filled a scan-opened ticket's wording (governance.tickets.titles)
    title_args: dict[str, str] | None = Field(default=None, sa_type=sa.JSON)
    severity: str = Field(max_length=10)  # the worst of its findings
    state: str = Field(default=TicketState.open.value, max_length=12)
    # The vendor's committer who introduced the code (git blame), or a user a PM assigned.
    assignee: str | None = Field(default=None, max_length=200)
    due_at: datetime = Field(sa_type=sa.DateTime(timezone=True), nullable=False)
    planned_at: datetime | None = optional_time()  # the vendor's planned fix date
    escalated_at: datetime | None = optional_time()  # flagged overdue (once per due date)
    opened_scan_id: int | None = Field(default=None, foreign_key="scan.id")
    last_scan_id: int | None = Field(default=None, foreign_key="scan.id")
    close_reason: str | None = Field(default=None, max_length=20)  # fixed | waived | accepted_risk
    created_at: datetime = created_at()
    updated_at: datetime = _stamp()
    closed_at: datetime | None = optional_time()


class TicketFinding(SQLModel, table=True):
    """One finding (by fingerprint) a ticket asks to fix, as last seen, and whether it still shows."""

    __tablename__ = "ticket_finding"
    __table_args__ = (
        sa.UniqueConstraint("ticket_id", "fingerprint", name="uq_ticket_finding"),
        sa.Index("ix_ticket_finding_module_fingerprint", "module_id", "fingerprint"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    module_id: int = Field(foreign_key="module.id")
    fingerprint: str = Field(max_length=64)
    rule: str = Field(max_length=120)
    severity: str = Field(max_length=10)
    path: str = Field(max_length=1000)
    line: int = 0
    message: str = Field(sa_type=sa.Text)
    # The finding's wording ({"msgid", "args"}, scanners.wording), copied with its message so the
    # ticket's page shows it in the reader's language; None for a tool's own text and older rows.
    message_wording: dict[str, Any] | None = message_wording_column()
    author: str | None = Field(default=None, max_length=200)  # who introduced the line (git blame)
    present: bool = True  # shown (and not waived) by the latest scan


class TicketComment(SQLModel, table=True):
    """One entry of a ticket's thread: an answer, a planned date, a PM's action, a scan's verdict."""

    __tablename__ = "ticket_comment"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    author: str = Field(max_length=200)
    kind: str = Field(default="comment", max_length=20)
    body: str = Field(sa_type=sa.Text)
    at: datetime = created_at()

"""Notices of ticket and campaign events, through the one outbox (delivered after commit).

Every emit writes a row into the caller's transaction only (``governance.notices.outbox``);
nothing is sent while it is open, and a rolled-back change leaves no notice behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from governance.notices import outbox

EVENTS = (
    "ticket.opened",
    "ticket.answered",
    "ticket.overdue",
    "ticket.closed",
    "ticket.reopened",
    "campaign.reminder",
    "campaign.deadline",
)


def emit(
    session: Session, *, event: str, module_id: int | None, vendor_id: int | None, payload: Mapping[str, Any]
) -> None:
    """Queue one notice in the caller's transaction (it is delivered only if that commits)."""
    if event not in EVENTS:
        raise ValueError(f"unknown notice event {event!r}")
    _enqueue(session, event=event, module_id=module_id, vendor_id=vendor_id, payload=dict(payload))


def _enqueue(
    session: Session, *, event: str, module_id: int | None, vendor_id: int | None, payload: Mapping[str, Any]
) -> None:
    outbox.enqueue(session, event=event, module_id=module_id, vendor_id=vendor_id, payload=payload)

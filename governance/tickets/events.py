"""Notices of ticket and campaign events, through the one outbox (delivered after commit).

Every emit writes into the caller's transaction only; nothing is sent while it is open.
Until the notices outbox (``governance.notices.outbox.enqueue``) is merged, :func:`_enqueue`
logs the event: switching is the one line inside it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

log = logging.getLogger(__name__)

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
    # The outbox lands with the notices work: `outbox.enqueue(session, event=..., ...)` here.
    del session
    log.info("notice %s (module %s, vendor %s): %s", event, module_id, vendor_id, dict(payload))

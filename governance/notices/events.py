"""The events a notice can carry, and who hears of each by default.

One list, imported by the outbox (which refuses any other name), the dispatcher (which picks
recipients by :data:`AUDIENCE`), the preference pages and the webhook subscriptions.
"""

from __future__ import annotations

from enum import StrEnum


class Event(StrEnum):
    """A notice's event name (``ticket.opened``); the string is what webhooks receive."""

    ticket_opened = "ticket.opened"
    ticket_answered = "ticket.answered"
    ticket_overdue = "ticket.overdue"
    ticket_closed = "ticket.closed"
    ticket_reopened = "ticket.reopened"
    waiver_requested = "waiver.requested"
    waiver_approved = "waiver.approved"
    waiver_expiring = "waiver.expiring"
    gate_failed = "gate.failed"
    push_refused = "push.refused"
    campaign_reminder = "campaign.reminder"
    campaign_deadline = "campaign.deadline"
    scan_completed = "scan.completed"
    attestation_expired = "attestation.expired"


EVENTS: tuple[str, ...] = tuple(e.value for e in Event)

VENDOR = "vendor"
PM = "pm"

#: Who is e-mailed about an event: the vendor's own users, the project managers, or both.
#: Escalations and requests that wait on a PM go to PMs; what a vendor must act on goes to it.
AUDIENCE: dict[Event, frozenset[str]] = {
    Event.ticket_opened: frozenset({VENDOR}),
    Event.ticket_answered: frozenset({PM}),
    Event.ticket_overdue: frozenset({VENDOR, PM}),
    Event.ticket_closed: frozenset({VENDOR}),
    Event.ticket_reopened: frozenset({VENDOR}),
    Event.waiver_requested: frozenset({PM}),
    Event.waiver_approved: frozenset({VENDOR}),
    Event.waiver_expiring: frozenset({VENDOR, PM}),
    Event.gate_failed: frozenset({VENDOR}),
    Event.push_refused: frozenset({VENDOR}),
    Event.campaign_reminder: frozenset({VENDOR}),
    Event.campaign_deadline: frozenset({VENDOR, PM}),
    Event.scan_completed: frozenset({VENDOR}),
    Event.attestation_expired: frozenset({VENDOR, PM}),
}

#: Events a user is e-mailed about until they choose otherwise ("scan completed" is webhook-only
#: by default: every scan would be one more e-mail).
DEFAULT_EMAIL_EVENTS: frozenset[str] = frozenset(e.value for e in Event if e is not Event.scan_completed)


def parse_event(name: str) -> Event:
    """``"ticket.opened"`` → :class:`Event`; an unknown name is a ValueError naming the known ones."""
    try:
        return Event(name)
    except ValueError:
        raise ValueError(f"unknown notice event {name!r}; known: {', '.join(EVENTS)}") from None

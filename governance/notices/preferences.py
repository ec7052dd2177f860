"""A user's own notice settings: the address, which events, immediate or a daily digest.

Everyone edits only their own (the "My notices" page and ``/api/v1/me/notices``). The
events offered are those whose audience includes the user's role; the rest would never
reach them anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from governance import audit
from governance.errors import InvalidInput, said
from governance.notices.events import AUDIENCE, PM, VENDOR
from governance.notices.models import DigestMode, NoticePreference
from governance.notices.recipients import wanted_events
from governance.registry.models import Role, User
from governance.timeutil import utcnow

_ADDRESS = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+$")


@dataclass(frozen=True)
class Preferences:
    """What a user sees and sets."""

    email: str | None
    mode: str
    events: tuple[str, ...]
    offered: tuple[str, ...]


def offered_events(user: User) -> tuple[str, ...]:
    """The events that may reach ``user`` by e-mail (vendor users: vendor events; PMs: theirs)."""
    audience = VENDOR if user.role == Role.vendor else PM if user.role == Role.pm else None
    return tuple(e.value for e, who in AUDIENCE.items() if audience in who)


def _row(session: Session, user: User) -> NoticePreference | None:
    return session.exec(select(NoticePreference).where(NoticePreference.user_id == user.id)).first()


def get_preferences(session: Session, *, user: User) -> Preferences:
    row = _row(session, user) or NoticePreference(user_id=user.id or 0)
    offered = offered_events(user)
    chosen = tuple(e for e in offered if e in wanted_events(row))
    return Preferences(row.email, row.mode, chosen, offered)


def _address(email: str | None) -> str | None:
    cleaned = (email or "").strip()
    if not cleaned:
        return None
    if len(cleaned) > 254 or not _ADDRESS.match(cleaned):
        raise said(InvalidInput, "invalid e-mail address %(address)r", address=cleaned)
    return cleaned


def set_preferences(
    session: Session, *, user: User, email: str | None, mode: str, events: Sequence[str]
) -> Preferences:
    """Replace the user's settings (their own only); audited."""
    if mode not in {m.value for m in DigestMode}:
        raise said(InvalidInput, "mode is immediate or digest, not %(mode)r", mode=mode)
    offered = offered_events(user)
    unknown = sorted(set(events) - set(offered))
    if unknown:
        raise said(InvalidInput, "events not offered to you: %(events)s", events=", ".join(unknown))
    row = _row(session, user) or NoticePreference(user_id=user.id or 0)
    row.email, row.mode, row.events, row.updated_at = _address(email), mode, sorted(set(events)), utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=user.name,
        action="notice.preferences",
        target_type="user",
        target_id=user.id or 0,
        data={"email": row.email, "mode": row.mode, "events": row.events},
    )
    return get_preferences(session, user=user)

"""Open, resolve and end server-side login sessions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance import audit
from governance.auth.models import LoginSession
from governance.registry.models import User
from governance.timeutil import as_utc, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, *, user: User, lifetime: timedelta, now: datetime | None = None) -> str:
    """A new session for ``user``; returns the token for the cookie (never stored in clear)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    assert user.id is not None
    session.add(
        LoginSession(token_hash=_digest(token), user_id=user.id, created_at=now, expires_at=now + lifetime)
    )
    session.flush()
    return token


# One statement, built once: it runs before every page and API call, and building it anew
# cost more than running it.
_USER_OF_TOKEN = (
    select(User, LoginSession.ended_at, LoginSession.expires_at)
    .join(LoginSession, col(LoginSession.user_id) == col(User.id))
    .where(LoginSession.token_hash == sa.bindparam("token_hash"))
)


def user_for_session(session: Session, token: str | None, *, now: datetime | None = None) -> User | None:
    """The active user of a live session, or None (unknown, ended or expired token)."""
    if not token:
        return None
    found = session.exec(_USER_OF_TOKEN, params={"token_hash": _digest(token)}).first()
    if found is None:
        return None
    user, ended_at, expires_at = found
    if ended_at is not None or as_utc(expires_at) <= (now or utcnow()):
        return None
    return user if user.active else None


def end_session(session: Session, *, token: str | None, reason: str = "logout") -> None:
    """End the session this token opened (logout)."""
    if token:
        _end(session, col(LoginSession.token_hash) == _digest(token), reason)


def end_all(session: Session, *, user_id: int, reason: str) -> None:
    """End every live session of a user (password changed, deactivated)."""
    _end(session, col(LoginSession.user_id) == user_id, reason)


def _end(session: Session, where: sa.ColumnElement[bool], reason: str) -> None:
    session.execute(
        sa.update(LoginSession)
        .where(where, col(LoginSession.ended_at).is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
    )


def record_failed_login(session: Session, *, username: str, address: str, **data: str) -> None:
    """Audit a refused sign-in, whichever method refused it: by an anonymous actor at ``address``
    on the name that was typed (cut to the column's size; ``-`` when none was)."""
    audit.record(
        session,
        actor=f"anonymous@{address}",
        action="auth.login_failed",
        target_type="user",
        target_id=username[:200] or "-",
        data=data,
    )

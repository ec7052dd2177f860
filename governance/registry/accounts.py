"""Changing an account: password and activation. Both end the user's sessions on the server."""

from __future__ import annotations

from sqlmodel import Session

from governance import audit
from governance.auth import sessions
from governance.errors import InvalidInput
from governance.registry import service
from governance.registry.models import User

MIN_PASSWORD = 8


def set_password(session: Session, *, name: str, password: str, actor: str) -> User:
    """A new password; every session opened with the old one ends (a thief's copy included)."""
    user = service.get_user(session, name)
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password too short: use at least {MIN_PASSWORD} characters")
    user.password_hash = service.hash_password(password)
    session.add(user)
    assert user.id is not None
    sessions.end_all(session, user_id=user.id, reason="password")
    audit.record(session, actor=actor, action="user.password", target_type="user", target_id=name, data={})
    return user


def set_active(session: Session, *, name: str, active: bool, actor: str) -> User:
    """Deactivate (ending every session) or reactivate a user; reactivation revives no session."""
    user = service.get_user(session, name)
    before, user.active = user.active, active
    session.add(user)
    if not active:
        assert user.id is not None
        sessions.end_all(session, user_id=user.id, reason="deactivated")
    audit.record(
        session,
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        target_type="user",
        target_id=name,
        data={"from": before, "to": active},
    )
    return user

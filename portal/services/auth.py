"""Logging in and out: password check, login limits, server-side sessions, audit events."""

from __future__ import annotations

from sqlmodel import Session, select

from governance import audit
from governance.auth import sessions
from governance.auth.throttle import LoginThrottle
from governance.errors import Unauthenticated, UserError
from governance.registry.models import User
from governance.registry.service import check_password


class TooManyAttempts(UserError):
    """Too many failed logins for this user name from this address."""

    http_status = 429


def authenticate(
    session: Session, *, username: str, password: str, address: str, throttle: LoginThrottle
) -> User:
    """The user, if the password is right and neither the account nor the address is over its limit.

    The attempt is counted before the password is checked (so a parallel burst is checked
    no more than the limit allows). Unknown users and wrong passwords give the same answer,
    so the form does not reveal which user names exist.
    """
    username = username.strip()
    if not throttle.admit(username, address):
        raise TooManyAttempts("too many failed logins: wait a few minutes and try again")
    user = session.exec(select(User).where(User.name == username)).first() if username else None
    if user is None or not check_password(user, password):
        audit.record(
            session,
            actor=f"anonymous@{address}",
            action="auth.login_failed",
            target_type="user",
            target_id=username[:200] or "-",
            data={},
        )
        raise Unauthenticated("wrong user name or password")
    throttle.succeeded(username, address)
    audit.record(
        session,
        actor=user.name,
        action="auth.login",
        target_type="user",
        target_id=user.name,
        data={"address": address},
    )
    return user


def logout(session: Session, *, user: User, token: str | None) -> None:
    """End the session on the server and record it (the caller clears the cookie)."""
    sessions.end_session(session, token=token)
    audit.record(
        session, actor=user.name, action="auth.logout", target_type="user", target_id=user.name, data={}
    )

"""Logging in and out: password check, throttling of failures, audit events."""

from __future__ import annotations

from sqlmodel import Session, select

from governance import audit
from governance.errors import Unauthenticated, UserError
from governance.registry.models import User
from governance.registry.service import check_password
from portal.security import LoginThrottle


class TooManyAttempts(UserError):
    """Too many failed logins for this user name from this address."""

    http_status = 429


def authenticate(
    session: Session, *, username: str, password: str, address: str, throttle: LoginThrottle
) -> User:
    """The user, if the password is right and the pair is not throttled.

    Unknown users and wrong passwords give the same answer, and both count as failures,
    so the form does not reveal which user names exist.
    """
    username = username.strip()
    if throttle.blocked(username, address):
        raise TooManyAttempts("too many failed logins: wait a few minutes and try again")
    user = session.exec(select(User).where(User.name == username)).first() if username else None
    if user is None or not check_password(user, password):
        throttle.failed(username, address)
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


def logout(session: Session, *, user: User) -> None:
    """Record the end of a session (the cookie itself is cleared by the caller)."""
    audit.record(
        session, actor=user.name, action="auth.logout", target_type="user", target_id=user.name, data={}
    )

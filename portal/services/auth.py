"""Logging in and out: password check (local or LDAP), login limits, server-side sessions, audit events."""

from __future__ import annotations

from sqlmodel import Session, select

from governance import audit
from governance.auth import sessions
from governance.auth.throttle import LoginThrottle
from governance.errors import Unauthenticated, UserError, said
from governance.registry.models import User
from governance.registry.service import check_password
from governance.sso import accounts as directory_accounts
from governance.sso.ldap import LdapDirectory
from governance.sso.service import ldap_outcome
from governance.sso.values import Source


class TooManyAttempts(UserError):
    """Too many failed logins for this user name from this address."""

    http_status = 429


def _uses_ldap(session: Session, user: User | None, directory: LdapDirectory | None) -> bool:
    """Unknown names and LDAP users go to the directory (when there is one); local users do not."""
    if directory is None:
        return False
    identity = directory_accounts.identity_of(session, user) if user is not None else None
    return user is None or (identity is not None and identity.source == Source.ldap.value)


def _local(session: Session, *, user: User | None, password: str) -> User | None:
    """The user if the local password is right; directory users never sign in with a local password."""
    if (
        user is None
        or directory_accounts.identity_of(session, user) is not None
        or not check_password(user, password)
    ):
        return None
    return user


def _refused(session: Session, *, username: str, address: str) -> Unauthenticated:
    sessions.record_failed_login(session, username=username, address=address)
    return said(Unauthenticated, "wrong user name or password")


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    address: str,
    throttle: LoginThrottle,
    directory: LdapDirectory | None = None,
) -> User:
    """The user, if the password is right and neither the account nor the address is over its limit.

    The attempt is counted before the password is checked (so a parallel burst is checked
    no more than the limit allows). Unknown users and wrong passwords give the same answer,
    so the form does not reveal which user names exist. With LDAP on, names Govern does not
    know and LDAP users are checked by the directory; local users keep their local password.
    """
    username = username.strip()
    if not throttle.admit(username, address):
        raise said(TooManyAttempts, "too many failed logins: wait a few minutes and try again")
    user = session.exec(select(User).where(User.name == username)).first() if username else None
    if directory is not None and username and _uses_ldap(session, user, directory):
        # ask the directory first; counters are settled before this transaction writes anything
        # (SQLite allows one writer: the throttle's own transaction must not wait on ours)
        answer = directory.authenticate(username, password)
        if answer.login is not None:
            throttle.succeeded(username, address)
        return ldap_outcome(session, answer=answer, username=username, address=address)
    found = _local(session, user=user, password=password)
    if found is None:
        raise _refused(session, username=username, address=address)
    throttle.succeeded(username, address)
    audit.record(
        session,
        actor=found.name,
        action="auth.login",
        target_type="user",
        target_id=found.name,
        data={"address": address},
    )
    return found


def logout(session: Session, *, user: User, token: str | None) -> None:
    """End the session on the server and record it (the caller clears the cookie)."""
    sessions.end_session(session, token=token)
    audit.record(
        session, actor=user.name, action="auth.logout", target_type="user", target_id=user.name, data={}
    )

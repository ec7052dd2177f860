"""Changing an account: role, vendor, language, password and activation.

One service for the admin pages, the API and the CLI, so the rules hold on every face:

* a vendor user belongs to exactly one vendor; other roles to none;
* nobody changes their own role or deactivates themselves (an admin would lock themselves out);
* the last active admin can be neither demoted nor deactivated;
* a new password or a deactivation ends every session of the user on the server.

Each change is one audit event in the caller's transaction.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, func, select

from governance import audit
from governance.auth import sessions
from governance.errors import Conflict, InvalidInput, said
from governance.modeltypes import row_id
from governance.registry import service
from governance.registry.models import Role, User

MIN_PASSWORD = 8
LOCALES = ("en", "zh_CN")


def set_password(session: Session, *, name: str, password: str, actor: str) -> User:
    """A new password; every session opened with the old one ends (a thief's copy included)."""
    user = service.get_user(session, name)
    if len(password) < MIN_PASSWORD:
        raise said(
            InvalidInput,
            "password too short: use at least %(min_password)s characters",
            min_password=MIN_PASSWORD,
        )
    user.password_hash = service.hash_password(password)
    session.add(user)
    sessions.end_all(session, user_id=row_id(user), reason="password")
    audit.record(session, actor=actor, action="user.password", target_type="user", target_id=name, data={})
    return user


def reset_password(session: Session, *, name: str, actor: str) -> str:
    """An admin's reset: a random password (returned once, to hand over), sessions ended."""
    password = secrets.token_urlsafe(12)
    set_password(session, name=name, password=password, actor=actor)
    return password


def _active_admins(session: Session) -> int:
    query = select(func.count()).select_from(User).where(User.role == Role.admin, col(User.active).is_(True))
    return int(session.exec(query).one())


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role == Role.admin and user.active and _active_admins(session) <= 1:
        raise said(Conflict, "'%(name)s' is the last active admin: make another admin first", name=user.name)


def set_active(session: Session, *, name: str, active: bool, actor: str) -> User:
    """Deactivate (ending every session) or reactivate a user; reactivation revives no session."""
    user = service.get_user(session, name)
    if not active and actor == name:
        raise said(InvalidInput, "you cannot deactivate yourself")
    if not active:
        _keep_an_admin(session, user)
    before, user.active = user.active, active
    session.add(user)
    if not active:
        sessions.end_all(session, user_id=row_id(user), reason="deactivated")
    audit.record(
        session,
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        target_type="user",
        target_id=name,
        data={"from": before, "to": active},
    )
    return user


def _locale(locale: str | None) -> str | None:
    if locale is None or locale == "":
        return None
    if locale not in LOCALES:
        raise said(InvalidInput, "invalid language '%(locale)s': choose en or zh_CN", locale=locale)
    return locale


def update_user(
    session: Session, *, name: str, role: str, vendor: str | None, locale: str | None, actor: str
) -> User:
    """Set a user's role, vendor (vendor users only) and language, under the rules above."""
    user = service.get_user(session, name)
    chosen = service.parse_role(role)
    if (chosen is Role.vendor) != bool(vendor):
        raise said(InvalidInput, "a vendor user needs a vendor; other roles take no vendor")
    if chosen != user.role and actor == name:
        raise said(InvalidInput, "you cannot change your own role")
    if chosen != user.role:
        _keep_an_admin(session, user)
    vendor_id = row_id(service.get_vendor(session, vendor)) if vendor else None
    before = {"role": user.role.value, "vendor_id": user.vendor_id, "locale": user.locale}
    user.role, user.vendor_id, user.locale = chosen, vendor_id, _locale(locale)
    session.add(user)
    after = {"role": chosen.value, "vendor_id": vendor_id, "locale": user.locale}
    changed = {key: {"from": before[key], "to": now} for key, now in after.items() if before[key] != now}
    audit.record(
        session,
        actor=actor,
        action="user.update",
        target_type="user",
        target_id=name,
        data={"changed": changed, "vendor": vendor},
    )
    return user

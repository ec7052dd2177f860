"""Directory users in Govern: created or updated at each sign-in from the group mappings,
locked out (sessions ended) when the directory no longer admits them.

A directory user has no usable local password: ``password_hash`` is cleared at every
sign-in and the local login refuses users with a :class:`DirectoryIdentity`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from governance import audit
from governance.auth import sessions
from governance.errors import PermissionDenied, said
from governance.modeltypes import row_id
from governance.registry import accounts as registry_accounts
from governance.registry import service as registry
from governance.registry.models import Role, User, Vendor
from governance.sso.mapping import first_match
from governance.sso.models import DirectoryIdentity, GroupMapping
from governance.sso.values import DirectoryLogin, Source
from governance.timeutil import utcnow

NOT_IN_DIRECTORY = "not in the directory"
NO_MAPPED_GROUP = "in no mapped group"


class DirectoryRefused(PermissionDenied):
    """The directory vouched for the person, but Govern does not let them in."""


def find_user(session: Session, username: str) -> tuple[User | None, DirectoryIdentity | None]:
    """The user of this name (case-insensitive) and their directory identity, if any."""
    user = session.exec(select(User).where(sa.func.lower(User.name) == username.strip().lower())).first()
    if user is None:
        return None, None
    identity = session.exec(select(DirectoryIdentity).where(DirectoryIdentity.user_id == user.id)).first()
    return user, identity


def identity_of(session: Session, user: User) -> DirectoryIdentity | None:
    return session.exec(select(DirectoryIdentity).where(DirectoryIdentity.user_id == user.id)).first()


def _refuse(
    session: Session, login: DirectoryLogin, address: str, reason: str, error: DirectoryRefused
) -> None:
    audit.record(
        session,
        actor=f"{login.source.value}:{login.username}@{address}"[:200],
        action="sso.refused",
        target_type="user",
        target_id=login.username[:200] or "-",
        data={"source": login.source.value, "reason": reason, "groups": list(login.groups)[:50]},
    )
    raise error


def lock(session: Session, *, user: User, identity: DirectoryIdentity, reason: str) -> None:
    """The directory took this user's access away: deactivate, end every session, remember why.

    A user an administrator had already deactivated stays the administrator's to reactivate.
    """
    actor = f"sso:{identity.source}"
    if user.active:
        registry_accounts.set_active(session, name=user.name, active=False, actor=actor)
        identity.locked = True
    sessions.end_all(session, user_id=row_id(user), reason="directory")
    identity.locked_reason = reason if identity.locked else identity.locked_reason
    identity.checked_at = utcnow()
    session.add(identity)
    audit.record(
        session,
        actor=actor,
        action="sso.revoked",
        target_type="user",
        target_id=user.name,
        data={"source": identity.source, "reason": reason},
    )


def refuse_missing(session: Session, *, source: Source, username: str, address: str) -> None:
    """The directory has no such account: a directory user of that name loses access now."""
    user, identity = find_user(session, username)
    if user is not None and identity is not None and identity.source == source.value:
        lock(session, user=user, identity=identity, reason=NOT_IN_DIRECTORY)
    audit.record(
        session,
        actor=f"{source.value}:{username}@{address}"[:200],
        action="sso.refused",
        target_type="user",
        target_id=username[:200] or "-",
        data={"source": source.value, "reason": NOT_IN_DIRECTORY},
    )


def _check_owner(
    session: Session, login: DirectoryLogin, address: str
) -> tuple[User | None, DirectoryIdentity | None]:
    """The account this sign-in may use; a local account or another identity of that name is refused."""
    user, identity = find_user(session, login.username)
    if user is None:
        return None, None
    same = (
        identity is not None
        and identity.source == login.source.value
        and (login.source is Source.ldap or identity.subject == login.subject)
    )
    if not same:
        _refuse(
            session,
            login,
            address,
            "name taken",
            said(
                DirectoryRefused,
                "the user name %(name)s belongs to another account in Govern: ask an administrator",
                name=login.username,
            ),
        )
    return user, identity


def sign_in(session: Session, *, login: DirectoryLogin, address: str) -> User:
    """The Govern user for a sign-in the directory vouched for, created or updated from the mappings."""
    user, identity = _check_owner(session, login, address)
    mapping = first_match(session, source=login.source, groups=login.groups)
    if mapping is None:
        if user is not None and identity is not None:
            lock(session, user=user, identity=identity, reason=NO_MAPPED_GROUP)
        _refuse(
            session,
            login,
            address,
            NO_MAPPED_GROUP,
            said(
                DirectoryRefused,
                "your directory account is in no group that Govern maps to a role: "
                "ask an administrator to map one of your groups",
            ),
        )
    assert mapping is not None
    if user is not None and identity is not None and not user.active and not identity.locked:
        _refuse(
            session,
            login,
            address,
            "deactivated",
            said(DirectoryRefused, "this account was deactivated by an administrator"),
        )
    user, changes = apply_mapping(session, login=login, mapping=mapping, user=user, identity=identity)
    audit.record(
        session,
        actor=user.name,
        action="sso.login",
        target_type="user",
        target_id=user.name,
        data={
            "source": login.source.value,
            "address": address,
            "mapping": mapping.id,
            "group": mapping.group_name,
            "role": mapping.role,
            "changes": changes,
        },
    )
    return user


def _vendor_name(session: Session, vendor_id: int | None) -> str | None:
    vendor = session.get(Vendor, vendor_id) if vendor_id is not None else None
    return vendor.name if vendor is not None else None


def apply_mapping(
    session: Session,
    *,
    login: DirectoryLogin,
    mapping: GroupMapping,
    user: User | None,
    identity: DirectoryIdentity | None,
    signing_in: bool = True,
) -> tuple[User, dict[str, object]]:
    """Create the user or bring role, vendor and activation in line with ``mapping``."""
    actor = f"sso:{login.source.value}"
    if user is None:
        user = registry.create_user(
            session,
            name=login.username,
            role=mapping.role,
            vendor=_vendor_name(session, mapping.vendor_id),
            actor=actor,
        )
        changes: dict[str, object] = {"created": True}
    else:
        changes = _update(session, user=user, mapping=mapping, actor=actor)
    if identity is None:
        identity = DirectoryIdentity(user_id=row_id(user), source=login.source.value, subject=login.subject)
    identity.subject, identity.groups, identity.locked = login.subject, list(login.groups), False
    identity.locked_reason, identity.checked_at = None, utcnow()
    if signing_in:
        identity.last_login_at = identity.checked_at
    session.add(identity)
    session.flush()
    return user, changes


def _update(session: Session, *, user: User, mapping: GroupMapping, actor: str) -> dict[str, object]:
    changes: dict[str, object] = {}
    if user.role.value != mapping.role or user.vendor_id != mapping.vendor_id:
        changes = {
            "role": [user.role.value, mapping.role],
            "vendor": [_vendor_name(session, user.vendor_id), _vendor_name(session, mapping.vendor_id)],
        }
        user.role, user.vendor_id = Role(mapping.role), mapping.vendor_id  # sessions read it per request
    user.password_hash = None  # a directory user never signs in with a local password
    session.add(user)
    if not user.active:
        registry_accounts.set_active(session, name=user.name, active=True, actor=actor)
        changes["reactivated"] = True
    return changes

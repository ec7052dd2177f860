"""``/api/v1/users``: user administration (admins only) — edit, (de)activate, reset a password.

Thin: the rules (a vendor user needs a vendor, nobody deactivates themselves, the last admin
stays) live in :mod:`governance.registry.accounts`, shared with the admin pages and the CLI.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlmodel import Session, select

from governance import access
from governance.registry import accounts
from governance.registry import service as registry
from governance.registry.models import User, Vendor
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS
from portal.routes.api_tokens import token_only
from portal.schemas_selfservice import PasswordReset, UserOut, UserUpdate

router = APIRouter(prefix="/api/v1/users", tags=["users"], responses=ERRORS)


def _vendors(session: Session) -> dict[int, Vendor]:
    return {vendor.id or 0: vendor for vendor in session.exec(select(Vendor)).all()}


def _admin(user: User, what: str) -> None:
    access.require(access.can_admin(user), what)


@router.get("", response_model=list[UserOut], summary="Every user (admins only)")
def list_users(session: DbSession, user: CurrentUser) -> list[UserOut]:
    _admin(user, "list users")
    vendors = _vendors(session)
    return [UserOut.of(row, vendors) for row in registry.list_users(session)]


@router.get("/{name}", response_model=UserOut, summary="One user (admins only)")
def get_user(name: str, session: DbSession, user: CurrentUser) -> UserOut:
    _admin(user, "read users")
    return UserOut.of(registry.get_user(session, name), _vendors(session))


@router.patch("/{name}", response_model=UserOut, summary="Change a user's role, vendor or language")
def update_user(
    name: str, body: UserUpdate, request: Request, session: DbSession, user: CurrentUser
) -> UserOut:
    """Fields left out keep their value; the account rules apply (a vendor user needs a vendor...)."""
    token_only(request)
    _admin(user, "change users")
    vendors = _vendors(session)
    current = UserOut.of(registry.get_user(session, name), vendors)
    given = body.model_dump(exclude_unset=True)
    merged = {**current.model_dump(include={"role", "vendor", "locale"}), **given}
    changed = accounts.update_user(session, name=name, actor=user.name, **merged)
    session.commit()
    return UserOut.of(changed, vendors)


@router.post("/{name}/deactivate", response_model=UserOut, summary="Deactivate a user (their sessions end)")
def deactivate(name: str, request: Request, session: DbSession, user: CurrentUser) -> UserOut:
    return _set_active(name, False, request, session, user)


@router.post("/{name}/activate", response_model=UserOut, summary="Reactivate a user")
def activate(name: str, request: Request, session: DbSession, user: CurrentUser) -> UserOut:
    return _set_active(name, True, request, session, user)


def _set_active(name: str, active: bool, request: Request, session: Session, user: User) -> UserOut:
    token_only(request)
    _admin(user, "activate or deactivate users")
    changed = accounts.set_active(session, name=name, active=active, actor=user.name)
    session.commit()
    return UserOut.of(changed, _vendors(session))


@router.post("/{name}/password", response_model=PasswordReset, summary="Reset a password (shown once)")
def reset_password(name: str, request: Request, session: DbSession, user: CurrentUser) -> PasswordReset:
    token_only(request)
    _admin(user, "reset passwords")
    password = accounts.reset_password(session, name=name, actor=user.name)
    session.commit()
    return PasswordReset(user=name, password=password)

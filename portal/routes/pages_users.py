"""User administration pages (admins): edit role/vendor/language, (de)activate, reset a password,
see and revoke the user's API tokens.

The rules live in :mod:`governance.registry.accounts` and :mod:`governance.registry.tokens`
(shared with the API and the CLI); a refused change renders the page again with the reason.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from governance import access
from governance.errors import UserError
from governance.registry import accounts, tokens
from governance.registry import service as registry
from governance.registry.models import Role, User, Vendor
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.routes.api_common import MAX_ID
from portal.templating import error_context, render

router = APIRouter(include_in_schema=False)
Name = Annotated[str, Form(max_length=120)]


def _page(
    request: Request, session: Session, admin: User, name: str, status: int = 200, **extra: Any
) -> Response:
    access.require(access.can_admin(admin), "administer users")
    subject = registry.get_user(session, name)
    vendor = session.get(Vendor, subject.vendor_id) if subject.vendor_id is not None else None
    context = {
        "subject": subject,
        "subject_vendor": vendor.name if vendor else "",
        "vendors": [v.name for v, _count in registry.list_vendors(session)],
        "roles": [role.value for role in Role],
        "locales": list(accounts.LOCALES),
        "tokens": tokens.list_tokens(session, viewer=admin, owner=name),
        "shown_once": None,  # the password just generated, shown to the admin once
        **error_context(),
        **extra,
    }
    return render(request, "admin/user.html", context, user=admin, status_code=status)


def _refused(request: Request, session: Session, admin: User, name: str, exc: UserError) -> Response:
    session.rollback()
    return _page(request, session, admin, name, exc.http_status, **error_context(exc))


@router.get("/admin/users/{name}")
def user_page(request: Request, name: str, session: DbSession, user: CurrentUser) -> Response:
    return _page(request, session, user, name)


@router.post("/admin/users/{name}")
def edit_user(
    request: Request,
    name: str,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    *,
    role: Annotated[str, Form(max_length=20)],
    vendor: Name = "",
    locale: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Role, vendor and language in one form; a refusal shows the page again with the reason."""
    access.require(access.can_admin(user), "change users")
    try:
        accounts.update_user(
            session, name=name, role=role, vendor=vendor or None, locale=locale or None, actor=user.name
        )
    except UserError as exc:
        return _refused(request, session, user, name, exc)
    session.commit()
    return RedirectResponse(f"/admin/users/{quote(name)}?done=saved", status_code=303)


@router.post("/admin/users/{name}/active")
def set_active(
    request: Request,
    name: str,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    active: Annotated[bool, Form()],
) -> Response:
    """Deactivating ends every session of the user; reactivating revives none."""
    access.require(access.can_admin(user), "activate or deactivate users")
    try:
        accounts.set_active(session, name=name, active=active, actor=user.name)
    except UserError as exc:
        return _refused(request, session, user, name, exc)
    session.commit()
    return RedirectResponse(
        f"/admin/users/{quote(name)}?done={'activated' if active else 'deactivated'}", status_code=303
    )


@router.post("/admin/users/{name}/password")
def reset_password(
    request: Request, name: str, session: DbSession, user: CurrentUser, _csrf: CsrfChecked
) -> Response:
    access.require(access.can_admin(user), "reset passwords")
    password = accounts.reset_password(session, name=name, actor=user.name)
    session.commit()
    return _page(request, session, user, name, shown_once=password)


@router.post("/admin/tokens/{token_id}/revoke")
def revoke_token(
    token_id: int, session: DbSession, user: CurrentUser, _csrf: CsrfChecked, owner: Name
) -> Response:
    access.require(access.can_admin(user), "revoke other users' tokens")
    tokens.revoke(session, viewer=user, token_id=min(max(token_id, 0), MAX_ID))
    session.commit()
    return RedirectResponse(f"/admin/users/{quote(owner)}?done=revoked", status_code=303)

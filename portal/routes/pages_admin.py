"""Administration: vendors and modules (pm, admin), users and tokens (admin); auditors read only.

Every form posts with the CSRF token and calls a registry service, which writes the audit event.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from governance import access
from governance.errors import UserError
from governance.registry import service as registry
from governance.registry.models import Role, User
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.templating import render

router = APIRouter(include_in_schema=False)


def _context(session: Session, user: User, **extra: Any) -> dict[str, Any]:
    access.require(access.can_see_all_vendors(user), "open the administration page")
    return {
        "vendors": registry.list_vendors(session),
        "modules": registry.list_modules(session),
        "users": registry.list_users(session) if access.can_read_audit(user) else [],
        "roles": [role.value for role in Role],
        "can_manage": access.can_manage(user),
        "can_admin": access.can_admin(user),
        "message": None,
        "error": None,
        # no token issued yet (bandit B105)
        "token": None,  # nosec B105
        **extra,
    }


def _done(request: Request, session: Session, user: User, **extra: Any) -> Response:
    status = 200 if extra.get("error") is None else extra.pop("status", 400)
    return render(
        request, "admin/index.html", _context(session, user, **extra), user=user, status_code=status
    )


@router.get("/admin")
def admin_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return render(request, "admin/index.html", _context(session, user), user=user)


@router.post("/admin/vendors")
def add_vendor(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    name: Annotated[str, Form(max_length=120)],
    contact: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    access.require(access.can_manage(user), "register vendors")
    try:
        registry.create_vendor(session, name=name, contact=contact or None, actor=user.name)
    except UserError as exc:
        session.rollback()
        return _done(request, session, user, error=exc.message, status=exc.http_status)
    session.commit()
    return RedirectResponse("/admin?done=vendor", status_code=303)


@router.post("/admin/modules")
def add_module(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    key: Annotated[str, Form(max_length=40)],
    vendor: Annotated[str, Form(max_length=120)],
    name: Annotated[str, Form(max_length=200)] = "",
    remote: Annotated[str, Form(max_length=500)] = "",
    schedule: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    access.require(access.can_manage(user), "register modules")
    try:
        registry.create_module(
            session,
            key=key.strip(),
            vendor=vendor,
            name=name,
            remote=remote or None,
            schedule=schedule or None,
            actor=user.name,
        )
    except UserError as exc:
        session.rollback()
        return _done(request, session, user, error=exc.message, status=exc.http_status)
    session.commit()
    return RedirectResponse("/admin?done=module", status_code=303)


@router.post("/admin/users")
def add_user(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    name: Annotated[str, Form(max_length=120)],
    role: Annotated[str, Form(max_length=20)],
    vendor: Annotated[str, Form(max_length=120)] = "",
    # an empty form field, not a secret (bandit B107)
    password: Annotated[str, Form(max_length=1000)] = "",  # nosec B107
) -> Response:
    access.require(access.can_admin(user), "register users")
    try:
        registry.create_user(
            session, name=name, role=role, vendor=vendor or None, password=password or None, actor=user.name
        )
    except UserError as exc:
        session.rollback()
        return _done(request, session, user, error=exc.message, status=exc.http_status)
    session.commit()
    return RedirectResponse("/admin?done=user", status_code=303)


@router.post("/admin/tokens")
def add_token(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    owner: Annotated[str, Form(max_length=120)],
    label: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    access.require(access.can_admin(user), "create API tokens")
    try:
        token = registry.create_token(session, user=owner, label=label or None, actor=user.name)
    except UserError as exc:
        session.rollback()
        return _done(request, session, user, error=exc.message, status=exc.http_status)
    session.commit()
    return _done(request, session, user, token=token, message=f"token for {owner}")

"""The admin's page for one login: sign-in methods in force and group → role/vendor mappings.

Admins change mappings; auditors read them. Every change is audited by the service.
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
from governance.registry.validation import redact_url
from governance.sso import mapping as mappings
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.templating import render

router = APIRouter(include_in_schema=False)


def _context(request: Request, session: Session, user: User, **extra: Any) -> dict[str, Any]:
    access.require(access.can_read_audit(user), "read the sign-in settings")
    settings = request.app.state.settings
    return {
        "mappings": mappings.list_mappings(session),
        "vendors": registry.list_vendors(session),
        "roles": [role.value for role in Role],
        "ldap_url": redact_url(settings.ldap_url) if settings.ldap_url else None,
        "oidc_issuer": settings.oidc_issuer if settings.oidc_enabled else None,
        "can_admin": access.can_admin(user),
        "error": None,
        **extra,
    }


def _page(request: Request, session: Session, user: User, status: int = 200, **extra: Any) -> Response:
    context = _context(request, session, user, **extra)
    return render(request, "admin/sso.html", context, user=user, status_code=status)


@router.get("/admin/sso")
def sso_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    """Sign-in methods in force and the mappings (admins and auditors)."""
    return _page(request, session, user)


@router.post("/admin/sso/mappings")
def add_mapping(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    source: Annotated[str, Form(max_length=10)],
    group: Annotated[str, Form(max_length=500)],
    role: Annotated[str, Form(max_length=20)],
    vendor: Annotated[str, Form(max_length=120)] = "",
    priority: Annotated[int, Form(ge=0, le=100000)] = mappings.DEFAULT_PRIORITY,
) -> Response:
    """Add a mapping (admins only); a bad one shows the page again with the reason."""
    access.require(access.can_admin(user), "map directory groups")
    try:
        mappings.add_mapping(
            session,
            source=source,
            group=group,
            role=role,
            vendor=vendor or None,
            priority=priority,
            actor=user.name,
        )
    except UserError as exc:
        session.rollback()
        return _page(request, session, user, status=exc.http_status, error=exc)
    session.commit()
    return RedirectResponse("/admin/sso", status_code=303)


@router.post("/admin/sso/mappings/{mapping_id}/delete")
def remove_mapping(
    request: Request, session: DbSession, user: CurrentUser, _csrf: CsrfChecked, mapping_id: int
) -> Response:
    """Remove a mapping (admins only); its users lose access at their next sign-in or re-check."""
    access.require(access.can_admin(user), "map directory groups")
    try:
        mappings.remove_mapping(session, mapping_id=mapping_id, actor=user.name)
    except UserError as exc:
        session.rollback()
        return _page(request, session, user, status=exc.http_status, error=exc)
    session.commit()
    return RedirectResponse("/admin/sso", status_code=303)

"""Login and logout pages (form posts with CSRF tokens)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from governance.auth import sessions
from governance.errors import UserError
from portal.deps import BrowserSession, CsrfChecked, DbSession, OptionalUser
from portal.security import client_address
from portal.services import auth
from portal.templating import error_context, render

router = APIRouter(include_in_schema=False)


def login_context(
    request: Request, *, next: str, error: UserError | None = None, username: str = ""
) -> dict[str, Any]:
    """What the login page shows: the form, the sign-in methods configured, an error if any."""
    settings = request.app.state.settings
    return {
        "next": next,
        "username": username,
        **error_context(error),
        "ldap": settings.ldap_enabled,
        "oidc_name": settings.oidc_display_name if settings.oidc_enabled else None,
    }


def safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "auth/login.html", login_context(request, next=safe_next(next)))


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    browser: BrowserSession,
    _csrf: CsrfChecked,
    username: Annotated[str, Form(max_length=120)] = "",
    # an empty form field, not a secret (bandit B107)
    password: Annotated[str, Form(max_length=1000)] = "",  # nosec B107
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    settings = request.app.state.settings
    address = client_address(request, trusted=settings.proxy_networks)
    try:
        user = auth.authenticate(
            session,
            username=username,
            password=password,
            address=address,
            throttle=request.app.state.throttle,
            directory=request.app.state.ldap,
        )
    except UserError as exc:
        session.commit()  # keep the audit event of the failure
        context = login_context(request, next=safe_next(next), error=exc, username=username)
        return render(request, "auth/login.html", context, status_code=exc.http_status)
    token = sessions.open_session(session, user=user, lifetime=timedelta(hours=settings.session_hours))
    browser.sid, browser.csrf, browser.fresh = token, secrets.token_urlsafe(32), True
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(
    request: Request, session: DbSession, browser: BrowserSession, user: OptionalUser, _csrf: CsrfChecked
) -> Response:
    if user is not None:
        auth.logout(session, user=user, token=browser.sid)
    request.state.clear_session = True
    return RedirectResponse("/login", status_code=303)

"""Login and logout pages (form posts with CSRF tokens)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from governance.auth import sessions
from governance.errors import UserError
from portal.deps import BrowserSession, CsrfChecked, DbSession, OptionalUser
from portal.security import client_address
from portal.services import auth
from portal.templating import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": _safe_next(next), "error": None})


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
        )
    except UserError as exc:
        session.commit()  # keep the audit event of the failure
        return render(
            request,
            "auth/login.html",
            {"next": _safe_next(next), "error": exc.message, "username": username},
            status_code=exc.http_status,
        )
    token = sessions.open_session(session, user=user, lifetime=timedelta(hours=settings.session_hours))
    browser.sid, browser.csrf, browser.fresh = token, secrets.token_urlsafe(32), True
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(
    request: Request, session: DbSession, browser: BrowserSession, user: OptionalUser, _csrf: CsrfChecked
) -> Response:
    if user is not None:
        auth.logout(session, user=user, token=browser.sid)
    request.state.clear_session = True
    return RedirectResponse("/login", status_code=303)

"""OpenID Connect sign-in: off to the provider, and back with a code (authorization-code + PKCE).

What the return must match (state, nonce, PKCE verifier, where to go next) travels in a
signed, HttpOnly cookie that lives ten minutes, is scoped to ``/login/oidc`` and is used once.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from governance.auth import sessions
from governance.errors import NotFound, UserError, said
from governance.sso.oidc import OidcProvider, PendingLogin
from governance.sso.service import oidc_sign_in
from portal.deps import BrowserSession, DbSession
from portal.routes.auth import login_context, safe_next
from portal.security import client_address, secret_key
from portal.templating import render

router = APIRouter(include_in_schema=False)
COOKIE = "govern_oidc"
COOKIE_PATH = "/login/oidc"
PENDING_SECONDS = 600


def _provider(request: Request) -> OidcProvider:
    provider: OidcProvider | None = request.app.state.oidc
    if provider is None:
        raise said(NotFound, "OpenID Connect sign-in is not configured")
    return provider


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(request.app.state.settings), salt="govern-oidc")


def _pending(request: Request) -> PendingLogin | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        value: Any = _serializer(request).loads(raw, max_age=PENDING_SECONDS)
        return PendingLogin(**value)
    except (BadSignature, TypeError):
        return None


@router.get("/login/oidc")
def oidc_start(request: Request, next: str | None = None) -> Response:
    """Redirect to the provider; remember this attempt in a signed cookie."""
    provider, settings = _provider(request), request.app.state.settings
    redirect_uri = settings.oidc_redirect_url or str(request.url_for("oidc_callback"))
    url, pending = provider.begin(redirect_uri=redirect_uri, next_path=safe_next(next))
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        COOKIE,
        _serializer(request).dumps(asdict(pending)),
        max_age=PENDING_SECONDS,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/login/oidc/callback", name="oidc_callback")
def oidc_callback(
    request: Request,
    session: DbSession,
    browser: BrowserSession,
    code: str = "",
    state: str = "",
    error: str = "",
) -> Response:
    """Check the provider's answer, sign the user in (or show why not) and forget the attempt."""
    provider, settings = _provider(request), request.app.state.settings
    pending = _pending(request)
    address = client_address(request, trusted=settings.proxy_networks)
    try:
        user = oidc_sign_in(
            session, provider=provider, pending=pending, state=state, code=code, error=error, address=address
        )
    except UserError as exc:
        session.commit()  # keep the audit event of the refusal (and a revocation)
        context = login_context(request, next="/", error=exc)
        response: Response = render(request, "auth/login.html", context, status_code=exc.http_status)
    else:
        token = sessions.open_session(session, user=user, lifetime=timedelta(hours=settings.session_hours))
        browser.sid, browser.csrf, browser.fresh = token, secrets.token_urlsafe(32), True
        response = RedirectResponse(pending.next if pending else "/", status_code=303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="lax")
    return response

"""The portal's application factory: JSON API under ``/api/v1`` and server-rendered pages.

Nothing is built at import time: ``create_app(settings)`` opens the database, reads (or
makes) the session key, compiles the catalogues and includes every router listed in
:data:`portal.routes.ROUTERS`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from governance.auth.throttle import LoginThrottle, ThrottleLimits
from governance.config import Settings
from governance.db import Database, open_database
from governance.scheduling.loop import HealthSource
from governance.sso.ldap import LdapDirectory
from governance.sso.oidc import OidcProvider
from governance.timeutil import utcnow
from portal import errors, i18n
from portal.deps import refuse_nul_in_address
from portal.routes import ROUTERS
from portal.security import COOKIE_NAME, SessionCodec, SessionData, secret_key
from portal.services.cache import PageCaches
from portal.templating import build_templates

STATIC = Path(__file__).with_name("static")
SECURITY_HEADERS = (
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
)
HSTS = "max-age=31536000; includeSubDomains"


class SessionMiddleware:
    """Decode the signed cookie before the route; write it back when it changed; add security headers.

    Pure ASGI (no BaseHTTPMiddleware): it costs next to nothing per request.
    """

    def __init__(self, app: ASGIApp, codec: SessionCodec, secure: bool) -> None:
        self.app, self.codec, self.secure = app, codec, secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        data = self.codec.loads(Request(scope).cookies.get(COOKIE_NAME))
        state["govern_session"] = data
        quiet = scope["path"].startswith(("/api/", "/static/"))

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self._headers(static=scope["path"].startswith("/static/")):
                    headers.setdefault(name, value)
                cookie = self._cookie(data, clear=bool(state.get("clear_session")), quiet=quiet)
                if cookie:
                    headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _headers(self, *, static: bool) -> list[tuple[str, str]]:
        """Security headers; everything but static assets (pages, API, downloads show source
        or findings) is ``no-store``, so no shared or browser cache keeps a copy."""
        headers = list(SECURITY_HEADERS)
        if self.secure:
            headers.append(("strict-transport-security", HSTS))
        if not static:
            headers.append(("cache-control", "no-store"))
        return headers

    def _cookie(self, data: SessionData, *, clear: bool, quiet: bool) -> str | None:
        carrier = Response()
        if clear:
            carrier.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax")
        elif data.fresh and not quiet:
            carrier.set_cookie(
                COOKIE_NAME,
                self.codec.dumps(data),
                max_age=self.codec.max_age,
                path="/",
                httponly=True,
                samesite="lax",
                secure=self.secure,
            )
        else:
            return None
        return carrier.headers["set-cookie"]


def _limits(settings: Settings) -> ThrottleLimits:
    return ThrottleLimits(
        account=settings.login_limit_account,
        address=settings.login_limit_address,
        window=timedelta(seconds=settings.login_window_seconds),
    )


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    secure_cookies: bool | None = None,
    cache_ttl: float = 10.0,
    threads: int | None = None,
    scheduler: HealthSource | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """A ready portal; pass ``database`` to share one (tests), else it is opened and owned here.

    ``cache_ttl`` bounds how stale shared figures may be (dashboard, module summaries; findings
    fragments live up to six times longer, at most a minute): 0 turns these caches off.
    ``scheduler`` is the scheduler ``govern serve`` runs (or its health published by the
    supervisor of ``--workers N``), whose death ``/healthz`` reports.
    """
    owned = database is None
    db = database or open_database(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Routes are synchronous (database work): run at most ``threads`` at once, fewer than the
        # engine's pooled connections, and without a GIL convoy of forty threads under load.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = threads or settings.portal_threads
        yield
        if owned:
            db.dispose()

    app = FastAPI(
        title="Govern",
        version="1",
        lifespan=lifespan,
        dependencies=[Depends(refuse_nul_in_address)],
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI loads its assets from a CDN; the document itself is served
        redoc_url=None,
        description="Development governance: modules, scans, findings, requirements, vendors, audit.",
    )
    app.state.settings = settings
    app.state.db = db
    app.state.scheduler = scheduler
    app.state.throttle = LoginThrottle(db, _limits(settings), clock=clock)
    app.state.ldap = LdapDirectory(settings) if settings.ldap_enabled else None
    app.state.oidc = OidcProvider(settings, clock=clock) if settings.oidc_enabled else None
    app.state.caches = PageCaches.with_ttl(cache_ttl)
    app.state.templates = build_templates()
    app.state.catalogues = i18n.load_catalogues()
    secure = settings.secure_cookies if secure_cookies is None else secure_cookies
    codec = SessionCodec(secret_key(settings), max_age=int(settings.session_hours * 3600))
    app.add_middleware(SessionMiddleware, codec=codec, secure=secure)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    errors.install(app)
    return app

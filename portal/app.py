"""The portal's application factory: JSON API under ``/api/v1`` and server-rendered pages.

Nothing is built at import time: ``create_app(settings)`` opens the database, reads (or
makes) the session key, compiles the catalogues and includes every router listed in
:data:`portal.routes.ROUTERS`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from governance.config import Settings
from governance.db import Database, open_database
from portal import errors, i18n
from portal.routes import ROUTERS
from portal.security import COOKIE_NAME, SESSION_MAX_AGE, LoginThrottle, SessionCodec, secret_key
from portal.services.cache import ScanAggregates
from portal.templating import build_templates

STATIC = Path(__file__).with_name("static")


def _session_middleware(codec: SessionCodec, secure: bool) -> Callable[..., Awaitable[Response]]:
    """Decode the signed cookie before the route; write it back when it changed."""

    async def middleware(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request.state.govern_session = codec.loads(request.cookies.get(COOKIE_NAME))
        response = await call_next(request)
        data = request.state.govern_session
        if getattr(request.state, "clear_session", False):
            response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax")
        elif data.fresh and not request.url.path.startswith(("/api/", "/static/")):
            response.set_cookie(
                COOKIE_NAME,
                codec.dumps(data),
                max_age=SESSION_MAX_AGE,
                path="/",
                httponly=True,
                samesite="lax",
                secure=secure,
            )
        return response

    return middleware


def create_app(
    settings: Settings, *, database: Database | None = None, secure_cookies: bool = False
) -> FastAPI:
    """A ready portal; pass ``database`` to share one (tests), else it is opened and owned here."""
    owned = database is None
    db = database or open_database(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            db.dispose()

    app = FastAPI(
        title="Govern",
        version="1",
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        description="Development governance: modules, scans, findings, requirements, vendors, audit.",
    )
    app.state.settings = settings
    app.state.db = db
    app.state.throttle = LoginThrottle()
    app.state.aggregates = ScanAggregates()
    app.state.templates = build_templates()
    app.state.catalogues = i18n.load_catalogues()
    app.middleware("http")(_session_middleware(SessionCodec(secret_key(settings)), secure_cookies))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    errors.install(app)
    return app

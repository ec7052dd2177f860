"""The portal application factory: nothing is built at import time.

``create_app(settings)`` opens (and migrates) the database when the app starts and
closes it when it stops; routers are collected here, one per area.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from governance.config import Settings
from governance.db import open_database
from governance.errors import GovernError
from portal.routes import git


def create_app(settings: Settings) -> FastAPI:
    """A portal app bound to ``settings`` (data directory, database)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.database = open_database(settings)
        try:
            yield
        finally:
            app.state.database.dispose()

    app = FastAPI(title="Govern", lifespan=lifespan)
    app.state.settings = settings
    app.include_router(git.router)
    app.add_exception_handler(GovernError, _govern_error)
    return app


async def _govern_error(_request: Request, exc: Exception) -> JSONResponse:
    """A GovernError is a user-facing message with its own HTTP status."""
    assert isinstance(exc, GovernError)
    return JSONResponse({"detail": exc.message}, status_code=exc.http_status)

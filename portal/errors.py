"""Turning errors into responses: ``{"error": message}`` for the API, a page for people.

A :class:`GovernError` carries its own status (``http_status``) and a message fit to show.
An unauthenticated page request is sent to the login form instead.
"""

from __future__ import annotations

from urllib.parse import quote

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from governance.errors import GovernError, InvalidInput, RejectedFile, Unauthenticated, said
from governance.invalid_input import problems

UNSTORABLE = "a value cannot be stored: it holds a NUL character or a number out of range"


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def is_git(request: Request) -> bool:
    """git clients read plain text and need the Basic challenge header kept."""
    return request.url.path.startswith("/git/")


def _page(request: Request, status: int, message: str, error: GovernError | None = None) -> Response:
    """The error page; a message raised with its wording (``said()``, a refused file's heading and
    problem lines) is translated there, at render time."""
    from portal.templating import render  # the renderer needs the app; avoid a cycle at import

    user = getattr(request.state, "viewer", None)  # set by authentication, when it ran
    rejected = error if isinstance(error, RejectedFile) else None
    context = {
        "status": status,
        "message": message,
        "wording": rejected.heading if rejected else (error.wording if error else None),
        "problems": rejected.listed if rejected else (),
    }
    return render(request, "errors/error.html", context, status_code=status, user=user)


async def _governed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GovernError)
    if is_git(request):
        return PlainTextResponse(exc.message + "\n", status_code=exc.http_status)
    if is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
        return JSONResponse({"error": exc.message}, status_code=exc.http_status, headers=headers)
    if isinstance(exc, Unauthenticated):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return _page(request, exc.http_status, exc.message, exc)


async def _unstorable(request: Request, exc: Exception) -> Response:
    """The database refused a value (PostgreSQL: NUL in text, integer overflow): the request's
    transaction is rolled back with it, so this is a user's mistake that changed nothing."""
    assert isinstance(exc, sa.exc.DataError)
    return await _governed(request, said(InvalidInput, UNSTORABLE))


def _refused(exc: RequestValidationError) -> InvalidInput:
    """The request's problems as a domain error: English for the API, translated on a page."""
    return said(InvalidInput, "invalid request: %(problems)s", problems=problems(exc.errors()))


async def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    refused = _refused(exc)
    if is_api(request):
        return JSONResponse({"error": refused.message}, status_code=422)
    return _page(request, 422, refused.message, refused)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = str(exc.detail) if exc.detail else "error"
    if is_git(request):
        return PlainTextResponse(message + "\n", status_code=exc.status_code, headers=exc.headers)
    if is_api(request) or exc.status_code == 405:
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)
    return _page(request, exc.status_code, message)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(GovernError, _governed)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(sa.exc.DataError, _unstorable)

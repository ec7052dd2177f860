"""Typed dependency aliases: the database session, the acting user, CSRF checking.

Dependencies that only read request state are ``async`` so FastAPI runs them on the event loop
instead of hopping to the thread pool for each (measurable under load); those that touch the
database stay synchronous.

Routes declare what they need (``session: DbSession, user: CurrentUser``) and nothing else;
authentication happens here, authorisation in :mod:`governance.access`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from governance.auth import sessions
from governance.config import Settings
from governance.db import Database
from governance.errors import InvalidInput, PermissionDenied, Unauthenticated, said
from governance.registry import service as registry
from governance.registry.models import Role, User
from portal.security import SessionData, csrf_matches
from portal.services.cache import PageCaches


@dataclass(frozen=True)
class Viewer:
    """Who is looking, detached from the session: error pages render after a rollback."""

    name: str
    role: Role
    locale: str | None

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(name=user.name, role=user.role, locale=user.locale)


async def get_settings(request: Request) -> Settings:
    value: Settings = request.app.state.settings
    return value


async def get_database(request: Request) -> Database:
    value: Database = request.app.state.db
    return value


async def get_session(database: Annotated[Database, Depends(get_database)]) -> AsyncIterator[Session]:
    """One transaction per request: committed on success, rolled back on error.

    Used through :data:`_SESSION` only, scoped to the route function: the commit happens
    before the answer is sent, so a client that acts on an answer finds what it promised, and
    a commit that fails becomes an error answer rather than a success whose data is lost.

    Opening a session touches no connection, so it happens on the event loop; only the
    commit or rollback goes to a thread, shielded so a client that hangs up cannot leave the
    transaction open. A synchronous generator would cost two thread hops per request.
    """
    manager = database.session()
    session = manager.__enter__()
    try:
        yield session
    except BaseException as error:
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(manager.__exit__, type(error), error, error.__traceback__)
        raise
    with anyio.CancelScope(shield=True):
        await run_in_threadpool(manager.__exit__, None, None, None)


#: The one request-session dependency (its scope makes the commit precede the answer).
_SESSION = Depends(get_session, scope="function")


def _browser(request: Request) -> SessionData:
    data: SessionData = request.state.govern_session
    return data


async def get_browser_session(request: Request) -> SessionData:
    """The signed cookie's content, decoded once by the middleware."""
    return _browser(request)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def get_optional_user(request: Request, session: Annotated[Session, _SESSION]) -> User | None:
    """A Bearer token wins over the cookie; a bad token is an error, not an anonymous request.

    The lookup's transaction is committed at once (it may record a token's last use): that
    hands the pooled connection back while the request waits for a thread to run its route,
    so busy portals never hold more connections than threads.
    """
    user = _resolve_user(request, session)
    session.commit()
    if user is not None:
        request.state.viewer = Viewer.of(user)
    return user


def _resolve_user(request: Request, session: Session) -> User | None:
    token = _bearer(request)
    if token is not None:
        user = registry.user_for_token(session, token)
        if user is None:
            raise said(Unauthenticated, "invalid or revoked API token")
        request.state.via_token = True
        return user
    return sessions.user_for_session(session, _browser(request).sid)


async def get_current_user(user: Annotated[User | None, Depends(get_optional_user)]) -> User:
    if user is None:
        raise said(Unauthenticated, "log in first")
    return user


async def check_csrf(request: Request) -> None:
    """Every state-changing form carries the session's CSRF token (token clients need none)."""
    if request.method in {"GET", "HEAD", "OPTIONS"} or getattr(request.state, "via_token", False):
        return
    form = await request.form()
    presented = form.get("csrf_token")
    if not csrf_matches(_browser(request).csrf, presented if isinstance(presented, str) else None):
        raise said(
            PermissionDenied, "the form expired or did not come from Govern: reload the page and try again"
        )


NUL_IN_ADDRESS = "the address holds a NUL character, which no name or value in Govern can contain"


async def refuse_nul_in_address(request: Request) -> None:
    """A NUL in a path or query can match nothing, and PostgreSQL refuses to compare with it:
    answer every face the same clear 422 before a route looks anything up."""
    query = request.scope.get("query_string", b"").lower()
    if "\x00" in request.url.path or b"%00" in query or b"\x00" in query:
        raise said(InvalidInput, NUL_IN_ADDRESS)


async def get_caches(request: Request) -> PageCaches:
    value: PageCaches = request.app.state.caches
    return value


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbSession = Annotated[Session, _SESSION]
DatabaseDep = Annotated[Database, Depends(get_database)]
BrowserSession = Annotated[SessionData, Depends(get_browser_session)]
OptionalUser = Annotated[User | None, Depends(get_optional_user)]
CurrentUser = Annotated[User, Depends(get_current_user)]
CsrfChecked = Annotated[None, Depends(check_csrf)]
Caches = Annotated[PageCaches, Depends(get_caches)]

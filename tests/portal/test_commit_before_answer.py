"""A request's writes are committed before its answer leaves the server.

Found by the browser tests under load: the sign-in answered 303, the browser followed it to
``/`` and was sent back to the sign-in page. The session row was committed only after the
answer had gone out (FastAPI runs a ``yield`` dependency's exit after the response unless it
is scoped to the function), so a quick client asked before the write existed. The same order
meant a commit that failed came after a success answer: the client was told "done" and the
data was lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from governance.auth.models import LoginSession
from governance.config import Settings
from governance.db import Database
from portal.app import create_app
from tests.portal.conftest import PASSWORD, World, csrf_of

Asgi = Any


class _Recorder:
    """Wraps the app and notes when an answer starts, beside the database's commits."""

    def __init__(self, app: Asgi, events: list[str]) -> None:
        self.app, self.events = app, events

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        async def noted(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.events.append(f"answer {message['status']}")
            await send(message)

        await self.app(scope, receive, noted)


@pytest.fixture
def events(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def committed(_connection: object) -> None:
        seen.append("commit")

    sa.event.listen(database.engine, "commit", committed)
    yield seen
    sa.event.remove(database.engine, "commit", committed)


@pytest.fixture
def client(settings: Settings, database: Database, events: list[str]) -> Iterator[TestClient]:
    app = _Recorder(create_app(settings, database=database), events)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def _sign_in(client: TestClient) -> int:
    form = client.get("/login")
    answer = client.post(
        "/login",
        data={"username": "pm", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    return answer.status_code


def test_the_sign_in_is_committed_before_its_answer(
    client: TestClient, world: World, events: list[str]
) -> None:
    assert _sign_in(client) == 303
    assert "commit" in events
    assert events[-1] == "answer 303", events  # nothing committed after the client had its answer
    assert client.get("/", follow_redirects=False).status_code == 200


def test_a_commit_that_fails_is_not_answered_as_a_success(
    settings: Settings, database: Database, world: World
) -> None:
    """The commit that would keep the new sign-in fails: the client must not hear 303."""

    def note(session: Session, _context: object, _instances: object) -> None:
        if any(isinstance(row, LoginSession) for row in session.new):
            session.info["signing_in"] = True

    def refuse(session: Session) -> None:
        if session.info.pop("signing_in", False):
            raise RuntimeError("the database went away at commit")

    sa.event.listen(Session, "before_flush", note)
    sa.event.listen(Session, "before_commit", refuse)
    try:
        app = create_app(settings, database=database)
        with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
            status = _sign_in(client)
            assert status >= 500, status
            assert client.get("/", follow_redirects=False).status_code == 303  # not signed in: nothing kept
    finally:
        sa.event.remove(Session, "before_flush", note)
        sa.event.remove(Session, "before_commit", refuse)

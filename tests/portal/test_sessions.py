"""Sessions are server-side: logout, a password change and deactivation end them (issue 15, row 2)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from governance.db import Database
from governance.registry import accounts
from portal.security import COOKIE_NAME
from tests.portal.conftest import World, csrf_of, login


def _replay(client: TestClient, cookie: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set(COOKIE_NAME, cookie)
    return client


def test_a_logged_out_cookie_opens_nothing(app_client: TestClient, world: World) -> None:
    login(app_client, "admin")
    stolen = app_client.cookies.get(COOKIE_NAME)
    assert stolen and app_client.get("/admin").status_code == 200
    token = csrf_of(app_client.get("/admin").text)
    app_client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    replayed = _replay(app_client, stolen)
    assert replayed.get("/admin", follow_redirects=False).status_code in (303, 401)
    created = replayed.post(
        "/admin/vendors", data={"name": "Evil Corp", "csrf_token": token}, follow_redirects=False
    )
    assert created.status_code in (303, 401, 403)
    login(app_client, "admin")
    assert "Evil Corp" not in app_client.get("/admin").text


def test_a_password_change_ends_every_session(
    app_client: TestClient, world: World, database: Database
) -> None:
    login(app_client, "pm")
    old = app_client.cookies.get(COOKIE_NAME)
    assert old
    with database.session() as session:
        accounts.set_password(session, name="pm", password="a new long password", actor="pm")
    assert _replay(app_client, old).get("/", follow_redirects=False).status_code == 303


def test_deactivation_ends_sessions_for_good(
    app_client: TestClient, world: World, database: Database
) -> None:
    login(app_client, "auditor")
    old = app_client.cookies.get(COOKIE_NAME)
    assert old
    with database.session() as session:
        accounts.set_active(session, name="auditor", active=False, actor="admin")
        accounts.set_active(session, name="auditor", active=True, actor="admin")
    assert _replay(app_client, old).get("/", follow_redirects=False).status_code == 303


def test_cli_password_and_deactivate(govern, database, world: World) -> None:
    assert govern("user", "deactivate", "pm").code == 0
    assert govern("user", "activate", "pm").code == 0
    changed = govern("user", "password", "pm", input="another password 1\nanother password 1\n")
    assert changed.code == 0, changed.err
    assert govern("user", "deactivate", "nobody").code == 2

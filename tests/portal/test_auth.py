"""Login, logout, sessions, CSRF, throttling of failed logins, API tokens."""

from __future__ import annotations

import stat

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.config import Settings
from governance.db import Database
from portal.security import COOKIE_NAME, LoginThrottle, SessionCodec, SessionData, secret_key
from tests.portal.conftest import PASSWORD, World, csrf_of, login
from tests.waiting import FakeClock


def _actions(database: Database) -> list[str]:
    with database.session() as session:
        return list(session.exec(select(AuditEvent.action).order_by(AuditEvent.seq)).all())


def test_login_sets_a_signed_httponly_lax_cookie(
    app_client: TestClient, world: World, database: Database
) -> None:
    page = app_client.get("/login")
    response = app_client.post(
        "/login",
        data={"username": "pm", "password": PASSWORD, "csrf_token": csrf_of(page.text), "next": "/vendors"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/vendors"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert app_client.get("/").status_code == 200
    assert "auth.login" in _actions(database)


def test_wrong_password_is_refused_and_audited(
    app_client: TestClient, world: World, database: Database
) -> None:
    page = app_client.get("/login")
    response = app_client.post(
        "/login", data={"username": "pm", "password": "nope", "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 401
    assert "wrong user name or password" in response.text
    assert app_client.get("/", follow_redirects=False).status_code == 303
    assert "auth.login_failed" in _actions(database)


def test_unknown_user_gets_the_same_answer(app_client: TestClient, world: World) -> None:
    page = app_client.get("/login")
    response = app_client.post(
        "/login", data={"username": "ghost", "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 401
    assert "wrong user name or password" in response.text


def test_login_without_csrf_token_is_refused(app_client: TestClient, world: World) -> None:
    app_client.get("/login")
    response = app_client.post("/login", data={"username": "pm", "password": PASSWORD})
    assert response.status_code == 403
    assert app_client.get("/", follow_redirects=False).status_code == 303


def test_forms_need_the_session_token(app_client: TestClient, world: World) -> None:
    login(app_client, "admin")
    forged = app_client.post("/admin/vendors", data={"name": "Forged", "csrf_token": "x" * 43})
    assert forged.status_code == 403
    missing = app_client.post("/admin/vendors", data={"name": "Forged"})
    assert missing.status_code == 403
    assert "Forged" not in app_client.get("/admin").text


def test_login_rotates_the_csrf_token(app_client: TestClient, world: World) -> None:
    before = csrf_of(app_client.get("/login").text)
    login(app_client, "pm")
    after = csrf_of(app_client.get("/").text)
    assert before != after


def test_logout_ends_the_session(app_client: TestClient, world: World, database: Database) -> None:
    login(app_client, "auditor")
    token = csrf_of(app_client.get("/").text)
    response = app_client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert app_client.get("/", follow_redirects=False).status_code == 303
    assert "auth.logout" in _actions(database)


def test_failed_logins_are_rate_limited(app_client: TestClient, world: World) -> None:
    for _ in range(5):
        token = csrf_of(app_client.get("/login").text)
        app_client.post("/login", data={"username": "pm", "password": "bad", "csrf_token": token})
    token = csrf_of(app_client.get("/login").text)
    response = app_client.post("/login", data={"username": "pm", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 429
    other = csrf_of(app_client.get("/login").text)
    ok = app_client.post(
        "/login",
        data={"username": "auditor", "password": PASSWORD, "csrf_token": other},
        follow_redirects=False,
    )
    assert ok.status_code == 303, "the limit is per user name and address"


def test_throttle_window_slides() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(limit=2, window=60.0, clock=clock)
    throttle.failed("u", "1.2.3.4")
    clock.advance(30.0)
    throttle.failed("U", "1.2.3.4")
    assert throttle.blocked("u", "1.2.3.4")
    assert not throttle.blocked("u", "5.6.7.8")
    clock.advance(29.0)
    assert throttle.blocked("u", "1.2.3.4"), "both failures are still inside the window"
    clock.advance(1.0)
    assert not throttle.blocked("u", "1.2.3.4"), "the first failure slid out of the window"


def test_tampered_cookie_is_anonymous(app_client: TestClient, world: World) -> None:
    login(app_client, "admin")
    value = app_client.cookies.get(COOKIE_NAME)
    assert value
    app_client.cookies.set(COOKIE_NAME, value[:-3] + "abc")
    assert app_client.get("/", follow_redirects=False).status_code == 303


def test_forged_session_for_another_user_needs_the_key(settings: Settings) -> None:
    codec = SessionCodec("some other key")
    mine = SessionCodec(secret_key(settings))
    assert mine.loads(codec.dumps(SessionData(uid=1))).uid is None


def test_open_redirects_are_refused(app_client: TestClient, world: World) -> None:
    page = app_client.get("/login")
    response = app_client.post(
        "/login",
        data={
            "username": "pm",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_secret_key_is_generated_once_with_0600(settings: Settings) -> None:
    first = secret_key(settings)
    assert first == secret_key(settings)
    mode = stat.S_IMODE((settings.data_dir / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_configured_secret_key_wins(settings: Settings) -> None:
    assert secret_key(settings.model_copy(update={"secret_key": "from-env"})) == "from-env"


@pytest.mark.parametrize("header", ["Bearer gvn_not-a-token", "Bearer "])
def test_bad_bearer_token_is_401(app_client: TestClient, world: World, header: str) -> None:
    response = app_client.get("/api/v1/modules", headers={"Authorization": header})
    assert response.status_code == 401
    assert "error" in response.json()


def test_bearer_token_works_without_cookies(app_client: TestClient, world: World) -> None:
    response = app_client.get("/api/v1/modules", headers={"Authorization": f"Bearer {world.tokens['pm']}"})
    assert response.status_code == 200
    assert {m["key"] for m in response.json()} == {"ACME", "BETA"}
    assert COOKIE_NAME not in response.headers.get("set-cookie", "")


def test_inactive_user_is_logged_out(app_client: TestClient, world: World, database: Database) -> None:
    login(app_client, "pm")
    with database.session() as session:
        user = session.get(type(world.users["pm"]), world.users["pm"].id)
        assert user is not None
        user.active = False
        session.add(user)
    assert app_client.get("/", follow_redirects=False).status_code == 303
    response = app_client.get("/api/v1/modules", headers={"Authorization": f"Bearer {world.tokens['pm']}"})
    assert response.status_code == 401


def test_pages_carry_security_headers(app_client: TestClient) -> None:
    response = app_client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"

"""Behind TLS: Secure cookies and HSTS; nothing with source or findings is cached (issue 15, row 9)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from governance.config import Settings
from governance.db import Database
from portal.app import create_app
from tests.portal.conftest import World, bearer, csrf_of, login


def test_secure_setting_marks_cookies_and_sends_hsts(
    settings: Settings, database: Database, world: World
) -> None:
    app = create_app(settings.model_copy(update={"secure_cookies": True}), database=database)
    with TestClient(app, base_url="https://testserver") as client:
        page = client.get("/login")
        assert "secure" in page.headers["set-cookie"].lower()
        assert page.headers["strict-transport-security"].startswith("max-age=")
        token = csrf_of(page.text)
        response = client.post(
            "/login",
            data={"username": "pm", "password": "correct horse battery", "csrf_token": token},
            follow_redirects=False,
        )
        assert "secure" in response.headers["set-cookie"].lower()


def test_without_the_setting_no_hsts(app_client: TestClient) -> None:
    assert "strict-transport-security" not in app_client.get("/login").headers


def test_pages_and_downloads_with_source_or_findings_are_not_stored(
    app_client: TestClient, world: World
) -> None:
    login(app_client, "pm")
    finding = world.scans["ACME"][-1].id
    for path in ("/modules/ACME", "/", f"/scans/{finding}"):
        response = app_client.get(path)
        assert response.headers.get("cache-control") == "no-store", path
    api = app_client.get("/api/v1/modules/ACME/findings", headers=bearer(world, "pm"))
    assert api.status_code == 200 and api.headers.get("cache-control") == "no-store"

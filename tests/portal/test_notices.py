"""Notices in the portal and the API: my notice settings; webhooks for PMs (secret shown once)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.db import Database
from governance.notices.models import NoticePreference, Webhook
from governance.webhooks.delivery import verify
from tests.governance.notices.conftest import receiver  # noqa: F401
from tests.portal.conftest import World, bearer, csrf_of, login


def test_my_notices_api(app_client: TestClient, world: World, database: Database) -> None:
    mine = app_client.get("/api/v1/me/notices", headers=bearer(world, "vendor_a")).json()
    assert mine["email"] is None and "ticket.opened" in mine["offered"]
    assert "waiver.requested" not in mine["offered"]  # a PM's event, not a vendor's
    saved = app_client.put(
        "/api/v1/me/notices",
        json={"email": "dev@acme.example", "mode": "digest", "events": ["ticket.opened"]},
        headers=bearer(world, "vendor_a"),
    )
    assert saved.status_code == 200 and saved.json()["mode"] == "digest"
    bad = app_client.put(
        "/api/v1/me/notices",
        json={"email": "nope", "mode": "digest", "events": []},
        headers=bearer(world, "vendor_a"),
    )
    assert bad.status_code == 422 and "invalid e-mail" in bad.json()["error"]
    with database.session() as session:
        (row,) = session.exec(select(NoticePreference)).all()
        assert row.email == "dev@acme.example" and row.events == ["ticket.opened"]
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "notice.preferences")).one()


def test_my_notices_page_in_chinese(app_client: TestClient, world: World, database: Database) -> None:
    login(app_client, "vendor_a")
    page = app_client.get("/me/notices", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and "我的通知" in page.text and "新建工单" in page.text
    posted = app_client.post(
        "/me/notices",
        data={
            "csrf_token": csrf_of(page.text),
            "email": "a@acme.example",
            "mode": "immediate",
            "events": ["gate.failed"],
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303
    with database.session() as session:
        assert session.exec(select(NoticePreference)).one().events == ["gate.failed"]


def test_webhooks_api_for_pms_only(app_client: TestClient, world: World, receiver) -> None:  # noqa: F811
    body = {"url": receiver.url(), "module": "ACME", "events": ["gate.failed"]}
    assert (
        app_client.post("/api/v1/webhooks", json=body, headers=bearer(world, "vendor_a")).status_code == 403
    )
    assert app_client.get("/api/v1/webhooks", headers=bearer(world, "auditor")).status_code == 403
    made = app_client.post("/api/v1/webhooks", json=body, headers=bearer(world, "pm"))
    assert made.status_code == 201, made.text
    secret, hook_id = made.json()["secret"], made.json()["id"]
    listed = app_client.get("/api/v1/webhooks", headers=bearer(world, "pm")).json()["items"]
    assert listed[0]["secret"] != secret and listed[0]["secret"].endswith("******")
    ping = app_client.post(f"/api/v1/webhooks/{hook_id}/test", headers=bearer(world, "pm")).json()
    assert ping["delivered"] is True
    (received,) = receiver.requests
    assert verify(secret, received.body, received.headers, now=received.json["timestamp"])
    bad = app_client.post("/api/v1/webhooks", json={**body, "events": ["nope"]}, headers=bearer(world, "pm"))
    assert bad.status_code == 422 and "unknown events" in bad.json()["error"]
    assert app_client.delete(f"/api/v1/webhooks/{hook_id}", headers=bearer(world, "pm")).status_code == 204
    assert app_client.delete("/api/v1/webhooks/99999", headers=bearer(world, "pm")).status_code == 404


def test_webhooks_page_shows_the_secret_once(
    app_client: TestClient, world: World, database: Database
) -> None:
    login(app_client, "pm")
    page = app_client.get("/admin/webhooks")
    assert page.status_code == 200 and "module:ACME" in page.text
    made = app_client.post(
        "/admin/webhooks",
        data={
            "csrf_token": csrf_of(page.text),
            "url": "https://hooks.example/govern",
            "owner": "vendor:Beta Systems",
        },
    )
    assert made.status_code == 200
    with database.session() as session:
        hook = session.exec(select(Webhook)).one()
    assert hook.secret in made.text and hook.vendor_id is not None
    again = app_client.get("/admin/webhooks")
    assert hook.secret not in again.text and "vendor Beta Systems" in again.text
    login(app_client, "vendor_a")
    assert app_client.get("/admin/webhooks").status_code == 403

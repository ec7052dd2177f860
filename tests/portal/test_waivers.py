"""Triage in the portal and the API: request from a finding, decide in the queue, see who/why/until."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.db import Database
from governance.scans.models import Finding, Waiver, WaiverState
from governance.timeutil import utcnow
from tests.portal.conftest import World, bearer, csrf_of, login


def _finding(database: Database, world: World, index: int = 0) -> Finding:
    with database.session() as session:
        rows = session.exec(
            select(Finding).where(Finding.scan_id == world.scans["ACME"][-1].id).order_by(Finding.id)
        ).all()
        return rows[index]


def _actions(database: Database) -> list[str]:
    with database.session() as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_api_request_approve_list_and_revoke(
    app_client: TestClient, world: World, database: Database
) -> None:
    finding = _finding(database, world)
    asked = app_client.post(
        "/api/v1/modules/ACME/waivers",
        json={"fingerprint": finding.fingerprint, "kind": "false_positive", "reason": "scanner lacks pytest"},
        headers=bearer(world, "vendor_a"),
    )
    assert asked.status_code == 201, asked.text
    waiver = asked.json()
    assert waiver["state"] == "requested" and waiver["finding"]["path"] == finding.path
    queue = app_client.get("/api/v1/waivers", headers=bearer(world, "pm")).json()["items"]
    assert [w["id"] for w in queue] == [waiver["id"]]
    assert app_client.get("/api/v1/waivers", headers=bearer(world, "vendor_b")).json()["items"] == []
    until = (utcnow() + timedelta(days=30)).isoformat()
    denied = app_client.post(
        f"/api/v1/modules/ACME/waivers/{waiver['id']}/approve",
        json={"reason": "approving my own request", "expires_at": until},
        headers=bearer(world, "vendor_a"),
    )
    assert denied.status_code == 403
    approved = app_client.post(
        f"/api/v1/modules/ACME/waivers/{waiver['id']}/approve",
        json={"reason": "checked: environment only", "expires_at": until},
        headers=bearer(world, "pm"),
    ).json()
    assert approved["state"] == "approved" and approved["approver"] == "pm"
    assert approved["expires_at"].startswith(until[:10])
    listed = app_client.get("/api/v1/modules/ACME/waivers?state=approved", headers=bearer(world, "auditor"))
    assert [w["id"] for w in listed.json()["items"]] == [waiver["id"]]
    again = app_client.post(
        f"/api/v1/modules/ACME/waivers/{waiver['id']}/approve",
        json={"reason": "approving it twice now"},
        headers=bearer(world, "pm"),
    )
    assert again.status_code == 409
    revoked = app_client.post(
        f"/api/v1/modules/ACME/waivers/{waiver['id']}/revoke",
        json={"reason": "the scanner now has pytest"},
        headers=bearer(world, "pm"),
    ).json()
    assert revoked["state"] == "revoked"
    assert _actions(database)[-3:] == ["waiver.requested", "waiver.approved", "waiver.revoked"]


def test_api_refusals_change_nothing(app_client: TestClient, world: World, database: Database) -> None:
    finding = _finding(database, world)
    body = {"fingerprint": finding.fingerprint, "reason": "a long enough reason"}
    before = _actions(database)
    assert (
        app_client.post(
            "/api/v1/modules/ACME/waivers", json=body, headers=bearer(world, "auditor")
        ).status_code
        == 403
    )
    assert (
        app_client.post(
            "/api/v1/modules/ACME/waivers", json=body, headers=bearer(world, "vendor_b")
        ).status_code
        == 404
    )
    short = {**body, "reason": "short"}
    assert (
        app_client.post(
            "/api/v1/modules/ACME/waivers", json=short, headers=bearer(world, "vendor_a")
        ).status_code
        == 422
    )
    assert (
        app_client.post(
            "/api/v1/modules/ACME/waivers/99/approve", json={"reason": "x" * 12}, headers=bearer(world, "pm")
        ).status_code
        == 404
    )
    assert _actions(database) == before
    login(app_client, "vendor_a")  # a cookie session cannot write through the API
    assert app_client.post("/api/v1/modules/ACME/waivers", json=body).status_code == 403


def test_portal_vendor_requests_pm_decides_auditor_sees_who_why_until(
    app_client: TestClient, world: World, database: Database
) -> None:
    finding = _finding(database, world)
    login(app_client, "vendor_a")
    page = app_client.get(f"/modules/ACME/findings/{finding.id}")
    assert "Ask for a waiver" in page.text
    posted = app_client.post(
        f"/modules/ACME/findings/{finding.id}/waivers",
        data={
            "kind": "accepted_risk",
            "reason": "legacy module, replaced in Q3",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert "legacy module, replaced in Q3" in app_client.get(f"/modules/ACME/findings/{finding.id}").text
    app_client.cookies.clear()
    login(app_client, "pm")
    queue = app_client.get("/waivers")
    assert "legacy module, replaced in Q3" in queue.text and "Approve" in queue.text
    with database.session() as session:
        waiver = session.exec(select(Waiver)).one()
    expiry = (utcnow() + timedelta(days=20)).date().isoformat()
    decided = app_client.post(
        f"/waivers/{waiver.id}/decide",
        data={
            "decision": "approve",
            "reason": "risk owner signed off",
            "expires": expiry,
            "next": "/waivers",
            "csrf_token": csrf_of(queue.text),
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303 and decided.headers["location"] == "/waivers"
    with database.session() as session:
        stored = session.get(Waiver, waiver.id)
        assert stored is not None and stored.state == WaiverState.approved
        row = session.get(Finding, finding.id)
        assert row is not None
        row.waived = True  # what the next scan records for this fingerprint (tests/governance/waivers)
        session.add(row)
    app_client.cookies.clear()
    login(app_client, "auditor")
    html = app_client.get(f"/modules/ACME?q={finding.message}").text
    table = html.split('<table class="findings">')[1]
    assert (
        "waived" in table and "pm" in table and expiry in table and "legacy module, replaced in Q3" in table
    )
    assert "Ask for a waiver" not in app_client.get(f"/modules/ACME/findings/{finding.id}").text
    listing = app_client.get("/modules/ACME/waivers").text
    assert "risk owner signed off" in listing and "Approve" not in listing and "Revoke" not in listing


def test_portal_form_without_csrf_is_refused(
    app_client: TestClient, world: World, database: Database
) -> None:
    finding = _finding(database, world)
    login(app_client, "vendor_a")
    response = app_client.post(
        f"/modules/ACME/findings/{finding.id}/waivers",
        data={"kind": "false_positive", "reason": "no token in this form"},
    )
    assert response.status_code == 403
    with database.session() as session:
        assert session.exec(select(Waiver)).all() == []


def test_domain_errors_are_translated_when_the_page_renders(app_client: TestClient, world: World) -> None:
    login(app_client, "vendor_b")
    zh = app_client.get("/modules/ACME", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 404 and "未知模块“ACME”" in zh.text
    bad_sort = app_client.get("/modules/BETA?sort=bogus", headers={"Accept-Language": "zh-CN"})
    assert bad_sort.status_code == 422 and "无效排序 bogus" in bad_sort.text
    english = app_client.get("/modules/ACME", headers={"Accept-Language": "en"})
    assert "unknown module &#39;ACME&#39;" in english.text or "unknown module 'ACME'" in english.text
    api = app_client.get("/api/v1/modules/ACME/findings", headers=bearer(world, "vendor_b"))
    assert api.json() == {"error": "unknown module 'ACME'"}, "the API keeps the English message"

"""Moving requirements from the portal: page form and API, with history and audit."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.db import Database
from tests.portal.conftest import World, bearer, csrf_of, login


def test_pm_moves_a_requirement_from_its_page(
    app_client: TestClient, world: World, database: Database
) -> None:
    login(app_client, "pm")
    page = app_client.get("/requirements/ACME-0001").text
    assert 'id="move-form"' in page and 'value="in_progress"' in page
    response = app_client.post(
        "/requirements/ACME-0001/move",
        data={"to": "in_progress", "reason": "sprint 4", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    detail = app_client.get("/api/v1/requirements/ACME-0001", headers=bearer(world, "auditor")).json()
    assert detail["status"] == "in_progress"
    assert detail["transitions"][-1] == {
        **detail["transitions"][-1],
        "from_status": "approved",
        "to_status": "in_progress",
        "actor": "pm",
        "reason": "sprint 4",
    }
    with database.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "requirement.move")).one()
    assert event.target_id == "ACME-0001" and event.actor == "pm"


def test_readers_see_no_move_form(app_client: TestClient, world: World) -> None:
    login(app_client, "auditor")
    assert 'id="move-form"' not in app_client.get("/requirements/ACME-0001").text


def test_illegal_move_is_409_and_changes_nothing(app_client: TestClient, world: World) -> None:
    response = app_client.post(
        "/api/v1/requirements/ACME-0001/moves",
        json={"to": "closed", "reason": "done"},
        headers=bearer(world, "pm"),
    )
    assert response.status_code == 409
    assert "cannot move ACME-0001 from approved to closed" in response.json()["error"]
    assert (
        app_client.get("/api/v1/requirements/ACME-0001", headers=bearer(world, "pm")).json()["status"]
        == "approved"
    )


def test_unknown_status_is_422(app_client: TestClient, world: World) -> None:
    response = app_client.post(
        "/api/v1/requirements/ACME-0001/moves",
        json={"to": "done", "reason": "x"},
        headers=bearer(world, "admin"),
    )
    assert response.status_code == 422 and "error" in response.json()


def test_api_writes_need_a_token_not_a_cookie(app_client: TestClient, world: World) -> None:
    login(app_client, "pm")
    response = app_client.post("/api/v1/requirements/ACME-0001/moves", json={"to": "in_progress"})
    assert response.status_code == 403


def test_manager_of_hidden_requirement_gets_404_from_scoping(app_client: TestClient, world: World) -> None:
    response = app_client.post(
        "/api/v1/requirements/NOPE-0001/moves", json={"to": "in_progress"}, headers=bearer(world, "pm")
    )
    assert response.status_code == 404


def test_move_without_a_reason_is_422(app_client: TestClient, world: World) -> None:
    response = app_client.post(
        "/api/v1/requirements/ACME-0001/moves", json={"to": "in_progress"}, headers=bearer(world, "pm")
    )
    assert response.status_code == 422 and "needs a reason" in response.json()["error"]

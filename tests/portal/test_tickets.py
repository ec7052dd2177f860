"""Tickets and campaigns in the API and the pages: vendors see only their own; refusals change nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.db import Database
from governance.scans.models import Finding
from governance.tickets.models import Ticket, TicketFinding
from scanners.lizard_scanner import LizardOptions, parse_functions
from tests.portal.conftest import World, bearer, csrf_of, login, open_tickets


@pytest.fixture
def tickets(database: Database, world: World) -> dict[str, int]:
    return open_tickets(database, world)


def _events(database: Database) -> int:
    with database.session() as session:
        return len(session.exec(select(AuditEvent)).all())


def test_api_vendor_sees_only_its_own_tickets(app_client: TestClient, world: World, tickets) -> None:
    mine = app_client.get("/api/v1/tickets", headers=bearer(world, "vendor_a")).json()["items"]
    assert [t["module"] for t in mine] == ["ACME"] and mine[0]["findings"] > 0
    every = app_client.get("/api/v1/tickets", headers=bearer(world, "auditor")).json()["items"]
    assert sorted(t["module"] for t in every) == ["ACME", "BETA"]
    beta = tickets["BETA"]
    assert app_client.get(f"/api/v1/tickets/{beta}", headers=bearer(world, "vendor_a")).status_code == 404
    hidden = app_client.post(
        f"/api/v1/tickets/{beta}/answer", json={"comment": "x"}, headers=bearer(world, "vendor_a")
    )
    assert hidden.status_code == 404
    assert app_client.get("/api/v1/tickets?module=BETA", headers=bearer(world, "vendor_a")).status_code == 404


def test_api_answer_then_pm_actions_and_a_refused_step_changes_nothing(
    app_client: TestClient, world: World, database: Database, tickets
) -> None:
    acme = tickets["ACME"]
    planned = (date.today() + timedelta(days=5)).isoformat()
    answered = app_client.post(
        f"/api/v1/tickets/{acme}/answer",
        json={"comment": "fix in sprint 4", "planned": planned},
        headers=bearer(world, "vendor_a"),
    )
    assert answered.status_code == 200 and answered.json()["state"] == "answered", answered.text
    before = _events(database)
    refused = app_client.post(
        f"/api/v1/tickets/{acme}/extend",
        json={"until": "2099-01-01", "reason": "vendor wants more time"},
        headers=bearer(world, "vendor_a"),
    )
    assert refused.status_code == 403
    past = app_client.post(
        f"/api/v1/tickets/{acme}/answer",
        json={"comment": "x", "planned": "2001-01-01"},
        headers=bearer(world, "vendor_a"),
    )
    assert past.status_code == 422 and "past" in past.json()["error"]
    assert (
        app_client.post(
            f"/api/v1/tickets/{acme}/reassign", json={"assignee": "vendor_b"}, headers=bearer(world, "pm")
        ).status_code
        == 422
    )
    assert _events(database) == before
    moved = app_client.post(
        f"/api/v1/tickets/{acme}/reassign", json={"assignee": "vendor_a"}, headers=bearer(world, "pm")
    )
    assert moved.json()["assignee"] == "vendor_a"
    closed = app_client.post(
        f"/api/v1/tickets/{acme}/accept-risk",
        json={"reason": "accepted until the rewrite"},
        headers=bearer(world, "pm"),
    ).json()
    assert closed["state"] == "closed" and closed["close_reason"] == "accepted_risk"
    before = _events(database)
    again = app_client.post(
        f"/api/v1/tickets/{acme}/answer", json={"comment": "late"}, headers=bearer(world, "vendor_a")
    )
    assert again.status_code == 409 and _events(database) == before
    with database.session() as session:
        assert session.get(Ticket, acme).state == "closed"


def test_pages_list_filters_detail_and_answer_form(app_client: TestClient, world: World, tickets) -> None:
    login(app_client, "vendor_a")
    page = app_client.get("/tickets")
    assert page.status_code == 200 and f"/tickets/{tickets['ACME']}" in page.text
    assert f'/tickets/{tickets["BETA"]}"' not in page.text and "BETA" not in page.text
    assert app_client.get(f"/tickets/{tickets['BETA']}").status_code == 404
    detail = app_client.get(f"/tickets/{tickets['ACME']}")
    assert detail.status_code == 200 and f'action="/tickets/{tickets["ACME"]}/answer"' in detail.text
    assert "/extend" not in detail.text, "the PM's actions are not offered to a vendor"
    assert "/modules/ACME/findings/" in detail.text, "linked findings"
    posted = app_client.post(
        f"/tickets/{tickets['ACME']}/answer",
        data={"comment": "we are on it", "csrf_token": csrf_of(detail.text)},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert "we are on it" in app_client.get(f"/tickets/{tickets['ACME']}").text
    assert "ACME" not in app_client.get("/tickets?state=closed").text.split("<tbody>")[1]


def test_pages_in_chinese_and_the_dashboard_counts_open_tickets(
    app_client: TestClient, world: World, tickets
) -> None:
    login(app_client, "pm")
    page = app_client.get("/tickets?overdue=true", headers={"Accept-Language": "zh-CN"})
    assert "整改单" in page.text
    board = app_client.get("/")
    assert 'href="/tickets"><b>2</b>' in board.text


def test_campaign_vendor_sees_only_its_own_entries(app_client: TestClient, world: World) -> None:
    deadline = (date.today() + timedelta(days=40)).isoformat()
    made = app_client.post(
        "/api/v1/campaigns",
        json={
            "title": "Level B everywhere",
            "goal": "level",
            "level": "B",
            "deadline": deadline,
            "modules": ["ACME", "BETA"],
        },
        headers=bearer(world, "pm"),
    )
    assert made.status_code == 201, made.text
    cid = made.json()["id"]
    assert [m["module"] for m in made.json()["modules"]] == ["ACME", "BETA"]
    mine = app_client.get(f"/api/v1/campaigns/{cid}", headers=bearer(world, "vendor_a")).json()
    assert [m["module"] for m in mine["modules"]] == ["ACME"] and mine["burn_up"][-1]["total"] == 1
    assert app_client.post(
        "/api/v1/campaigns",
        json={**made.json(), "modules": ["ACME"], "goal": "level"},
        headers=bearer(world, "vendor_a"),
    ).status_code in (403, 422)
    login(app_client, "vendor_b")
    page = app_client.get(f"/campaigns/{cid}")
    assert page.status_code == 200 and "<svg" in page.text and "ACME" not in page.text


def test_a_scan_opened_tickets_title_is_shown_in_the_readers_language(
    app_client: TestClient, world: World, tickets, database: Database
) -> None:
    with database.session() as session:
        stored = session.get(Ticket, tickets["ACME"])
        assert stored is not None and stored.title == "New findings at critical or above since aaaaaaaaaaaa"
    login(app_client, "pm")
    chinese = app_client.get(f"/tickets/{tickets['ACME']}", headers={"Accept-Language": "zh-CN"}).text
    assert "自 aaaaaaaaaaaa 起出现严重及以上级别的新问题" in chinese
    assert "New findings at" not in chinese
    listed = app_client.get("/tickets", headers={"Accept-Language": "zh-CN"}).text
    assert "自 aaaaaaaaaaaa 起出现严重及以上级别的新问题" in listed
    english = app_client.get(f"/tickets/{tickets['ACME']}", headers={"Accept-Language": "en"}).text
    assert "New findings at critical or above since aaaaaaaaaaaa" in english


def test_a_title_a_person_wrote_is_shown_as_written(
    app_client: TestClient, world: World, tickets, database: Database
) -> None:
    with database.session() as session:
        stored = session.get(Ticket, tickets["ACME"])
        assert stored is not None
        stored.title, stored.title_args = "请修复登录模块", None
        session.add(stored)
    login(app_client, "pm")
    assert "请修复登录模块" in app_client.get(f"/tickets/{tickets['ACME']}").text


def test_a_tickets_worded_findings_are_shown_in_the_readers_language(
    app_client: TestClient, world: World, database: Database
) -> None:
    """A finding Govern worded (lizard's, from the real parser) keeps its wording in the ticket."""
    (draft,) = parse_functions(
        "app/x.py",
        [{"name": "handle", "ccn": 40, "length": 10, "parameters": 1, "start_line": 1, "end_line": 10}],
        LizardOptions(),
    )
    assert draft.wording is not None
    with database.session() as session:
        scan = world.scans["ACME"][-1]
        for row in session.exec(select(Finding).where(Finding.scan_id == scan.id)).all():
            row.message, row.message_wording = draft.message, draft.wording.as_json()
            session.add(row)
    ticket = open_tickets(database, world)["ACME"]
    with database.session() as session:
        held = session.exec(select(TicketFinding).where(TicketFinding.ticket_id == ticket)).all()
        assert held and all(f.message_wording == draft.wording.as_json() for f in held)
    login(app_client, "pm")
    chinese = app_client.get(f"/tickets/{ticket}", headers={"Accept-Language": "zh-CN"}).text
    assert "handle：圈复杂度 40 超过 15" in chinese
    assert "handle: cyclomatic complexity 40 exceeds 15" not in chinese
    english = app_client.get(f"/tickets/{ticket}", headers={"Accept-Language": "en"}).text
    assert "handle: cyclomatic complexity 40 exceeds 15" in english
    api = app_client.get(f"/api/v1/tickets/{ticket}", headers=bearer(world, "pm")).json()
    assert {i["message"] for i in api["items"]} == {"handle: cyclomatic complexity 40 exceeds 15"}
    assert "message_wording" not in api["items"][0]

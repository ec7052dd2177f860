"""Requirement pages and the API show a requirement's parent and children, linked, in both languages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from governance.db import Database
from governance.requirements.service import set_parent
from tests.portal.conftest import World, bearer, login


def _tree(database: Database) -> None:
    with database.session() as session:
        set_parent(session, key="ACME-0002", parent_key="ACME-0001", actor="pm")
        set_parent(session, key="ACME-0003", parent_key="ACME-0002", actor="pm")
        session.commit()


def _cell(page: str, cell_id: str) -> str:
    found = re.search(rf'<td id="{cell_id}">(.*?)</td>', page)
    assert found, page
    return found.group(1)


def test_page_links_the_parent_and_the_children(
    app_client: TestClient, world: World, database: Database
) -> None:
    _tree(database)
    login(app_client, "vendor_a")
    page = app_client.get("/requirements/ACME-0002").text
    assert "Parent requirement" in page and "Child requirements" in page
    assert _cell(page, "parent") == '<a href="/requirements/ACME-0001">ACME-0001</a>'
    assert _cell(page, "children") == '<a href="/requirements/ACME-0003">ACME-0003</a>'
    top = app_client.get("/requirements/ACME-0001", headers={"Accept-Language": "zh-CN"}).text
    assert "上级需求" in top and "下级需求" in top
    assert _cell(top, "parent") == "–"
    assert _cell(top, "children") == '<a href="/requirements/ACME-0002">ACME-0002</a>'


def test_api_gives_parent_and_children(app_client: TestClient, world: World, database: Database) -> None:
    _tree(database)
    detail = app_client.get("/api/v1/requirements/ACME-0002", headers=bearer(world, "auditor")).json()
    assert detail["parent"] == "ACME-0001" and detail["children"] == ["ACME-0003"]
    listed = app_client.get("/api/v1/requirements?module=ACME", headers=bearer(world, "auditor")).json()
    assert {item["key"]: item["parent"] for item in listed["items"]} == {
        "ACME-0001": None,
        "ACME-0002": "ACME-0001",
        "ACME-0003": "ACME-0002",
    }
    hidden = app_client.get("/api/v1/requirements/ACME-0002", headers=bearer(world, "vendor_b"))
    assert hidden.status_code == 404

"""The audit page as evidence: filters, labels, links, formula-safe CSV export (audited), chain status."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from governance import audit
from governance.audit.service import verify
from governance.audit.verifications import record_verification
from governance.db import Database
from tests.portal.conftest import World, login


def test_filters_links_export_and_status(app_client: TestClient, world: World, database: Database) -> None:
    with database.session() as session:
        audit.record(
            session, actor="=HYPERLINK(1)", action="module.schedule", target_type="module", target_id="ACME"
        )
        session.commit()
    login(app_client, world.users["auditor"].name)
    page = app_client.get("/audit", params={"action": "module.schedule"})
    assert page.status_code == 200
    assert "Changed a scan schedule" in page.text and 'href="/modules/ACME"' in page.text
    assert "Never verified" in page.text
    with database.session() as session:
        record_verification(session, actor="cli:auditor", result=verify(session), checkpoints=0, problems=[])
    assert "Chain verified intact" in app_client.get("/audit").text
    zh = app_client.get("/audit", params={"action": "module.schedule"}, headers={"Accept-Language": "zh-CN"})
    assert "修改扫描计划" in zh.text
    exported = app_client.get("/audit/export.csv", params={"actor": "=HYPERLINK(1)"})
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["seq", "at", "actor", "action"] and len(rows) == 2
    assert rows[1][2] == "'=HYPERLINK(1)"  # a formula is neutralised
    after = app_client.get("/audit", params={"action": "audit.export"})
    assert "Exported the audit trail" in after.text
    assert app_client.get("/audit", params={"since": "2026-13-01"}).status_code in (400, 422)


def test_vendors_neither_see_nor_export_the_trail(app_client: TestClient, world: World) -> None:
    login(app_client, world.users["vendor_a"].name)
    assert app_client.get("/audit").status_code == 403
    assert app_client.get("/audit/export.csv").status_code == 403

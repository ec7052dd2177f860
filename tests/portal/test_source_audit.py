"""Source views, scan reports and findings fetched through the API are audited as reads
(who read which module), and auditors see them, labelled in their language, on /audit."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import col, select

from governance.audit import READ_ACTIONS
from governance.audit.models import AuditEvent
from governance.db import Database
from governance.scans.models import Finding
from portal import i18n
from portal.services.audit_view import READ_LABELS
from tests.portal.conftest import World, bearer, login


def _reads(database: Database) -> list[tuple[str, str, str]]:
    with database.session() as session:
        rows = session.exec(
            select(AuditEvent).where(col(AuditEvent.action).in_(READ_ACTIONS)).order_by(col(AuditEvent.seq))
        ).all()
        return [(e.actor, e.action, e.target_id) for e in rows]


def _a_finding(database: Database, world: World, key: str) -> int:
    with database.session() as session:
        finding = session.exec(select(Finding).where(Finding.scan_id == world.scans[key][-1].id)).first()
        assert finding is not None and finding.id is not None
        return finding.id


def test_finding_page_report_and_api_record_who_read_which_module(
    app_client: TestClient, world: World, database: Database
) -> None:
    finding = _a_finding(database, world, "ACME")
    login(app_client, "vendor_a")
    assert app_client.get(f"/modules/ACME/findings/{finding}").status_code == 200
    assert app_client.get(f"/scans/{world.scans['ACME'][-1].id}").status_code == 200
    app_client.cookies.clear()
    assert app_client.get("/api/v1/modules/ACME/findings", headers=bearer(world, "pm")).status_code == 200
    assert _reads(database) == [
        ("vendor_a", "source.view", "ACME"),
        ("vendor_a", "findings.report", "ACME"),
        ("pm", "findings.export", "ACME"),
    ]
    with database.session() as session:
        view = session.exec(select(AuditEvent).where(AuditEvent.action == "source.view")).one()
        assert view.data["finding"] == finding and view.data["path"]


def test_reads_of_another_vendors_module_are_refused_and_not_recorded(
    app_client: TestClient, world: World, database: Database
) -> None:
    finding = _a_finding(database, world, "BETA")
    login(app_client, "vendor_a")
    assert app_client.get(f"/modules/BETA/findings/{finding}").status_code == 404
    assert app_client.get(f"/scans/{world.scans['BETA'][-1].id}").status_code == 404
    api = app_client.get("/api/v1/modules/BETA/findings", headers=bearer(world, "vendor_a"))
    assert api.status_code == 404
    assert _reads(database) == []


def test_auditors_see_source_access_labelled_vendors_do_not(
    app_client: TestClient, world: World, database: Database
) -> None:
    app_client.get("/api/v1/modules/ACME/findings", headers=bearer(world, "vendor_a"))
    login(app_client, "auditor")
    html = app_client.get("/audit?reads=true", headers={"Accept-Language": "en"}).text
    assert "findings.export" in html and "Fetched findings through the API" in html
    assert "user.created" not in html, "the filter keeps source access only"
    chinese = app_client.get("/audit?reads=true", headers={"Accept-Language": "zh-CN"}).text
    assert "通过 API 获取了问题列表" in chinese
    app_client.cookies.clear()
    login(app_client, "vendor_a")
    assert app_client.get("/audit?reads=true").status_code == 403


def test_every_read_action_has_a_label_in_both_languages() -> None:
    catalogues = i18n.load_catalogues()
    assert set(READ_LABELS) == set(READ_ACTIONS)
    for label in READ_LABELS.values():
        assert catalogues["zh_CN"].gettext(label) != label, f"no Chinese for {label!r}"
        assert catalogues["en"].gettext(label) == label

"""Report downloads over HTTP and the buttons that lead to them: scoped, audited, 4xx on bad input."""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance.audit.models import AuditEvent
from reports.documents import FORMATS, MEDIA_TYPES
from tests.governance.reporting.world import BETA_MARKS, readable_text, scoped_world
from tests.portal.conftest import bearer, login


@pytest.fixture
def scoped(database):  # type: ignore[no-untyped-def]
    return scoped_world(database)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_downloads(app_client, scoped, fmt: str) -> None:  # type: ignore[no-untyped-def]
    response = app_client.get(f"/api/v1/reports/module/ACME?format={fmt}", headers=bearer(scoped, "auditor"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MEDIA_TYPES[fmt]  # type: ignore[index]
    assert 'attachment; filename="govern-module-ACME.' in response.headers["content-disposition"]
    assert "ACME" in readable_text(fmt, response.content)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_vendors_portfolio_download_holds_only_its_own(app_client, scoped, fmt: str) -> None:  # type: ignore[no-untyped-def]
    response = app_client.get(f"/api/v1/reports/portfolio?format={fmt}", headers=bearer(scoped, "vendor_a"))
    assert response.status_code == 200
    text = readable_text(fmt, response.content)
    assert "ACME" in text and not [mark for mark in BETA_MARKS if mark in text]


def test_a_vendor_gets_404_for_another_vendors_reports(app_client, scoped) -> None:  # type: ignore[no-untyped-def]
    beta_scan = scoped.scans["BETA"][-1].id
    for path in (f"scan/{beta_scan}", "module/BETA", "vendor/Beta%20Systems"):
        response = app_client.get(f"/api/v1/reports/{path}?format=csv", headers=bearer(scoped, "vendor_a"))
        assert response.status_code == 404, path
        assert "unknown" in response.json()["error"]
    assert (
        app_client.get("/api/v1/reports/module/BETA", headers=bearer(scoped, "vendor_b")).status_code == 200
    )


@pytest.mark.parametrize(
    "query", ["format=docx", "format=csv&table=nope", "lang=fr", "format=csv&table=" + "x" * 50]
)
def test_bad_parameters_are_4xx(app_client, scoped, query: str) -> None:  # type: ignore[no-untyped-def]
    response = app_client.get(f"/api/v1/reports/portfolio?{query}", headers=bearer(scoped, "pm"))
    assert response.status_code == 422, response.text


def test_downloads_are_audited_and_need_a_login(app_client, database, scoped) -> None:  # type: ignore[no-untyped-def]
    assert app_client.get("/api/v1/reports/portfolio").status_code == 401
    app_client.get("/api/v1/reports/vendor/Acme%20Soft?format=json", headers=bearer(scoped, "pm"))
    with database.session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "report.download")).all()
    assert [(e.actor, e.target_id, e.data["format"]) for e in events] == [("pm", "vendor:Acme Soft", "json")]


def test_the_document_follows_the_readers_language(app_client, scoped) -> None:  # type: ignore[no-untyped-def]
    chinese = {**bearer(scoped, "pm"), "Accept-Language": "zh-CN,zh;q=0.9"}
    assert "总体报告" in app_client.get("/api/v1/reports/portfolio", headers=chinese).text
    assert "Portfolio report" in app_client.get("/api/v1/reports/portfolio?lang=en", headers=chinese).text


def test_pages_carry_the_download_buttons(app_client, scoped) -> None:  # type: ignore[no-untyped-def]
    login(app_client, "vendor_a")
    scan = scoped.scans["ACME"][-1].id
    expected = {
        f"/scans/{scan}": f"/api/v1/reports/scan/{scan}?format=pdf",
        "/modules/ACME": "/api/v1/reports/module/ACME?format=xlsx",
        "/vendors": "/api/v1/reports/vendor/Acme%20Soft?format=sarif",
        "/": "/api/v1/reports/portfolio?format=html",
    }
    for page, link in expected.items():
        html = app_client.get(page).text
        assert link in html, page
        assert app_client.get(link).status_code == 200, link

"""Scorecard and monthly-report pages, downloads and API: both languages, vendor scope by HTTP."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.monthly import service as monthly
from governance.registry.service import get_user
from portal.app import create_app
from reports.scorecards.monthly import render_monthly
from tests.governance.scorecards.world import NOW, World, at
from tests.portal.conftest import csrf_of

PASSWORDS = {"pat": "pm-password-1", "aud": "aud-password-1", "acme-dev": "acme-password-1"}


@pytest.fixture
def portal(scorecard_world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    for module in ("pages_scorecards", "api_scorecards", "scorecard_common"):
        monkeypatch.setattr(f"portal.routes.{module}.utcnow", lambda: NOW)  # the portal's clock
    app = create_app(scorecard_world.settings, database=scorecard_world.database)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def _login(client: TestClient, name: str) -> None:
    page = client.get("/login")
    form = {"username": name, "password": PASSWORDS[name], "csrf_token": csrf_of(page.text), "next": "/"}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def _audit(world: World, action: str) -> list[AuditEvent]:
    with world.database.session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_the_pm_page_in_both_languages(portal: TestClient) -> None:
    _login(portal, "pat")
    english = portal.get("/scorecards?quarter=2026Q4", headers={"accept-language": "en"})
    assert english.status_code == 200
    for text in (
        "Beta Tech",
        "Acme Soft",
        "Gamma Data",
        "1 / 3",
        "2 / 3",
        "not ranked",
        "82.9",
        "58.0",
        "Download XLSX",
    ):
        assert text in english.text, text
    chinese = portal.get("/scorecards?quarter=2026Q4", headers={"accept-language": "zh-CN"})
    for text in ("供应商季度评分卡", "综合分", "不适用", "未排名", "下载 PDF"):
        assert text in chinese.text, text
    assert portal.get("/scorecards?quarter=2026Q9").status_code == 422


def test_a_vendor_reads_only_its_own_card_everywhere(portal: TestClient, scorecard_world: World) -> None:
    _login(portal, "acme-dev")
    page = portal.get("/scorecards?quarter=2026Q4")
    assert page.status_code == 200 and "Acme Soft" in page.text and "2 / 3" in page.text
    assert "Beta Tech" not in page.text and "Gamma" not in page.text and "82.9" not in page.text
    api = portal.get("/api/v1/scorecards?quarter=2026Q4").json()
    assert [c["vendor"] for c in api["cards"]] == ["Acme Soft"] and api["vendor_count"] == 3
    assert (
        portal.get("/api/v1/scorecards", params={"quarter": "2026Q4", "vendor": "Beta Tech"}).status_code
        == 404
    )
    sheet = portal.get("/scorecards/download?quarter=2026Q4&format=xlsx")
    assert sheet.status_code == 200
    book = load_workbook(io.BytesIO(sheet.content), read_only=True)
    vendors = [row[2] for row in list(book[book.sheetnames[0]].iter_rows(values_only=True))[1:]]
    assert vendors == ["Acme Soft"]
    assert b"Beta" not in sheet.content
    assert portal.get("/scorecards/download?quarter=2026Q4&format=pdf&vendor=Beta%20Tech").status_code == 404
    assert portal.get("/reports/monthly").status_code == 403
    assert portal.get("/api/v1/reports/monthly").status_code == 403
    # the API answer and the download are recorded; the refusals and the page view are not
    assert [e.data["via"] for e in _audit(scorecard_world, "report.scorecard")] == ["api", "portal"]


def _stored(world: World, month: str, now: datetime) -> None:
    with world.database.session() as session:
        monthly.generate_by_hand(
            session, user=get_user(session, "pat"), month=month, renderer=render_monthly, now=now
        )


def test_monthly_reports_listed_and_downloaded(portal: TestClient, scorecard_world: World) -> None:
    _stored(scorecard_world, "2026-11", at("2026-12-01 00:10"))
    _login(portal, "aud")
    page = portal.get("/reports/monthly", headers={"accept-language": "zh-CN"})
    assert page.status_code == 200 and "2026-11" in page.text and "月度治理报告" in page.text
    assert "/reports/monthly/2026-11/pdf?lang=zh-CN" in page.text
    pdf = portal.get("/reports/monthly/2026-11/pdf?lang=zh-CN")
    assert (
        pdf.status_code == 200
        and pdf.headers["content-type"] == "application/pdf"
        and pdf.content[:4] == b"%PDF"
    )
    figures = portal.get("/api/v1/reports/monthly/2026-11").json()
    assert (figures["month"], figures["findings_fixed"], figures["gate_to_pass"]) == ("2026-11", 6, ["PAY"])
    assert portal.get("/api/v1/reports/monthly/2026-10").status_code == 404
    listed = portal.get("/api/v1/reports/monthly").json()
    assert [r["month"] for r in listed] == ["2026-11"] and len(listed[0]["documents"]) == 6
    assert [(e.actor, e.data["format"]) for e in _audit(scorecard_world, "report.monthly.download")] == [
        ("aud", "pdf"),
        ("aud", "json"),
    ]

"""The evidence page in both languages, and a PM approving an attestation through it."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.governance.evidence.test_reports import SUREFIRE
from tests.portal.conftest import World, bearer, csrf_of, login


def _prepare(client: TestClient, world: World) -> int:
    client.post(
        "/api/v1/modules/ACME/evidence",
        params={"commit": "e" * 40, "kind": "junit"},
        files={"file": ("TEST-x.xml", SUREFIRE, "application/xml")},
        headers=bearer(world, "vendor_a"),
    )
    response = client.post(
        "/api/v1/modules/ACME/attestations",
        data={"rule": "OPS-010", "statement": "Recovery drill done on 2026-11-02, RTO 2 hours."},
        files={"file": ("drill.pdf", b"%PDF-1.4 drill", "application/pdf")},
        headers=bearer(world, "vendor_a"),
    )
    return int(response.json()["id"])


def test_pm_reads_and_approves_in_chinese_and_english(app_client: TestClient, world: World) -> None:
    ident = _prepare(app_client, world)
    login(app_client, "pm")
    page = app_client.get("/modules/ACME/evidence", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert "证明材料" in page.text and "待审批" in page.text and "已上传的报告" in page.text
    english = app_client.get("/modules/ACME/evidence", headers={"Accept-Language": "en"})
    assert "Attestations" in english.text and "pending" in english.text
    assert f'action="/attestations/{ident}/decide"' in english.text
    expires = (date.today() + timedelta(days=180)).isoformat()
    done = app_client.post(
        f"/attestations/{ident}/decide",
        data={"csrf_token": csrf_of(english.text), "decision": "approve", "expires": expires},
        follow_redirects=False,
    )
    assert done.status_code == 303
    after = app_client.get("/modules/ACME/evidence", headers={"Accept-Language": "en"})
    assert ">valid<" in after.text and f'action="/attestations/{ident}/decide"' not in after.text


def test_vendor_sees_its_own_evidence_without_approving_and_never_another_vendors(
    app_client: TestClient, world: World
) -> None:
    ident = _prepare(app_client, world)
    login(app_client, "vendor_a")
    page = app_client.get("/modules/ACME/evidence")
    assert page.status_code == 200 and "drill.pdf" in page.text
    assert f'action="/attestations/{ident}/decide"' not in page.text
    login(app_client, "vendor_b")
    assert app_client.get("/modules/ACME/evidence").status_code == 404

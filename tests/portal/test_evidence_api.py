"""The evidence API: a vendor's CI uploads reports for its own modules only; bad files change nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.governance.evidence.test_reports import SUREFIRE
from tests.portal.conftest import World, bearer

SHA = "b" * 40


def _post(client: TestClient, world: World, role: str, data: bytes, module: str = "ACME") -> tuple[int, dict]:
    response = client.post(
        f"/api/v1/modules/{module}/evidence",
        params={"commit": SHA, "kind": "junit"},
        files={"file": ("TEST-ledger.xml", data, "application/xml")},
        headers=bearer(world, role),
    )
    return response.status_code, response.json()


def test_vendor_ci_uploads_for_its_own_module(app_client: TestClient, world: World) -> None:
    status, body = _post(app_client, world, "vendor_a", SUREFIRE)
    assert status == 201, body
    assert (body["format"], body["commit"], body["counts"]) == ("junit", SHA, {"passed": 1, "failed": 1})
    listed = app_client.get("/api/v1/modules/ACME/evidence", headers=bearer(world, "auditor")).json()
    assert [e["id"] for e in listed] == [body["id"]]
    assert _post(app_client, world, "vendor_b", SUREFIRE)[0] == 404  # another vendor's module is invisible
    assert _post(app_client, world, "auditor", SUREFIRE)[0] == 403  # auditors change nothing


def test_malformed_upload_is_a_422_with_the_reason_and_stores_nothing(
    app_client: TestClient, world: World
) -> None:
    status, body = _post(app_client, world, "pm", b"<testsuite><testcase")
    assert status == 422
    assert "not well-formed XML" in body["error"]
    assert app_client.get("/api/v1/modules/ACME/evidence", headers=bearer(world, "pm")).json() == []


def test_attestation_submitted_by_vendor_decided_by_pm_not_by_vendor_or_auditor(
    app_client: TestClient, world: World
) -> None:
    response = app_client.post(
        "/api/v1/modules/ACME/attestations",
        data={"rule": "DAT-011", "statement": "Classification inventory v3, signed by the data owner."},
        files={"file": ("classification.xlsx", b"PK\x03\x04 spreadsheet", "application/octet-stream")},
        headers=bearer(world, "vendor_a"),
    )
    assert response.status_code == 201, response.text
    ident = response.json()["id"]
    assert response.json()["state"] == "pending"
    decision = {"approve": True, "expires_at": "2099-01-01T00:00:00Z"}
    for role in ("vendor_a", "auditor"):
        denied = app_client.post(
            f"/api/v1/attestations/{ident}/decision", json=decision, headers=bearer(world, role)
        )
        assert denied.status_code == 403, role
    too_long = app_client.post(
        f"/api/v1/attestations/{ident}/decision", json=decision, headers=bearer(world, "pm")
    )
    assert too_long.status_code == 422 and "at most 365 days" in too_long.json()["error"]
    from datetime import timedelta

    from governance.timeutil import utcnow

    decision["expires_at"] = (utcnow() + timedelta(days=200)).isoformat()
    approved = app_client.post(
        f"/api/v1/attestations/{ident}/decision", json=decision, headers=bearer(world, "pm")
    )
    assert approved.status_code == 200 and approved.json()["state"] == "valid"
    assert (
        app_client.get(f"/api/v1/attestations/{ident}/file", headers=bearer(world, "vendor_b")).status_code
        == 404
    )
    download = app_client.get(f"/api/v1/attestations/{ident}/file", headers=bearer(world, "auditor"))
    assert download.content == b"PK\x03\x04 spreadsheet"

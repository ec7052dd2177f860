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

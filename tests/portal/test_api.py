"""The JSON API: pagination, filters, error codes, the OpenAPI document."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.portal.conftest import World, bearer, login


@pytest.fixture
def api(app_client: TestClient, world: World) -> TestClient:
    app_client.headers.update(bearer(world, "admin"))
    return app_client


def test_findings_are_paginated_with_a_total(api: TestClient) -> None:
    first = api.get("/api/v1/modules/ACME/findings?limit=25").json()
    second = api.get("/api/v1/modules/ACME/findings?limit=25&offset=25").json()
    last = api.get("/api/v1/modules/ACME/findings?limit=25&offset=50").json()
    assert first["total"] == second["total"] == last["total"] == 60
    assert [len(first["items"]), len(second["items"]), len(last["items"])] == [25, 25, 10]
    ids = [f["id"] for page in (first, second, last) for f in page["items"]]
    assert len(set(ids)) == 60


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("severity=critical", 12),
        ("standard=design", 10),
        ("state=fixed", 20),
        ("new_only=true", 20),
        ("path=src/", 30),
        ("path=src/%25", 0),
        ("standard=design&severity=critical", 2),
    ],
)
def test_finding_filters(api: TestClient, query: str, expected: int) -> None:
    body = api.get(f"/api/v1/modules/ACME/findings?{query}").json()
    assert body["total"] == expected
    assert len(body["items"]) == min(expected, 50)


def test_findings_of_an_older_scan(api: TestClient, world: World) -> None:
    old = world.scans["ACME"][0].id
    body = api.get(f"/api/v1/modules/ACME/findings?scan={old}").json()
    assert body["scan_id"] == old and body["total"] == 30


def test_scan_of_another_module_is_404_under_this_module(api: TestClient, world: World) -> None:
    beta = world.scans["BETA"][0].id
    response = api.get(f"/api/v1/modules/ACME/findings?scan={beta}")
    assert response.status_code == 404


def test_module_detail_has_latest_scan_and_six_standards(api: TestClient, world: World) -> None:
    body = api.get("/api/v1/modules/ACME").json()
    assert body["latest_scan"]["id"] == world.scans["ACME"][-1].id
    assert len(body["latest_scan"]["standards"]) == 6


def test_scan_detail_lists_rules(api: TestClient, world: World) -> None:
    body = api.get(f"/api/v1/scans/{world.scans['BETA'][-1].id}").json()
    assert body["module"] == "BETA" and body["gate_passed"] is False
    assert all(s["rules"] for s in body["standards"])


def test_scans_are_paginated_newest_first(api: TestClient, world: World) -> None:
    body = api.get("/api/v1/modules/ACME/scans?limit=1").json()
    assert body["total"] == 2 and body["items"][0]["id"] == world.scans["ACME"][-1].id


def test_requirements_filter_and_search(api: TestClient) -> None:
    assert api.get("/api/v1/requirements").json()["total"] == 6
    assert api.get("/api/v1/requirements?module=BETA").json()["total"] == 3
    assert api.get("/api/v1/requirements?module=BETA&status=approved").json()["total"] == 2
    assert api.get("/api/v1/requirements?q=requirement 2").json()["total"] == 2
    assert api.get("/api/v1/requirements?q=%25").json()["total"] == 0


def test_requirement_detail_has_history(api: TestClient) -> None:
    body = api.get("/api/v1/requirements/ACME-0001").json()
    assert body["status"] == "approved"
    assert body["transitions"][0]["to_status"] == "approved"


def test_audit_is_paginated_newest_first(api: TestClient) -> None:
    body = api.get("/api/v1/audit?limit=3").json()
    assert body["total"] > 3 and len(body["items"]) == 3
    seqs = [e["seq"] for e in body["items"]]
    assert seqs == sorted(seqs, reverse=True)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/modules/NOPE", 404),
        ("/api/v1/scans/999999", 404),
        ("/api/v1/requirements/NOPE-1", 404),
        ("/api/v1/modules/ACME/findings?limit=0", 422),
        ("/api/v1/modules/ACME/findings?limit=501", 422),
        ("/api/v1/modules/ACME/findings?offset=-1", 422),
        ("/api/v1/modules/ACME/findings?state=bogus", 422),
        ("/api/v1/requirements?status=bogus", 422),
        ("/api/v1/scans/abc", 422),
        ("/api/v1/nothing-here", 404),
    ],
)
def test_errors_are_json_with_proper_codes(api: TestClient, path: str, status: int) -> None:
    response = api.get(path)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]


def test_writes_are_not_allowed_on_read_routes(api: TestClient) -> None:
    response = api.post("/api/v1/modules")
    assert response.status_code == 405
    assert "error" in response.json()


def test_openapi_document_is_valid(app_client: TestClient) -> None:
    from openapi_spec_validator import validate

    document = app_client.get("/api/v1/openapi.json").json()
    validate(document)
    paths = set(document["paths"])
    assert {
        "/api/v1/modules",
        "/api/v1/modules/{key}",
        "/api/v1/modules/{key}/findings",
        "/api/v1/modules/{key}/scans",
        "/api/v1/scans/{scan_id}",
        "/api/v1/requirements",
        "/api/v1/requirements/{key}",
        "/api/v1/vendors",
        "/api/v1/audit",
    } <= paths
    assert all(path.startswith("/api/v1/") for path in paths), "pages stay out of the API document"


@pytest.mark.parametrize(
    "path", ["/api/v1/scans/2147483648", "/api/v1/modules/ACME/findings?scan=99999999999"]
)
def test_ids_beyond_32_bits_are_invalid_input(api: TestClient, path: str) -> None:
    """Found by schemathesis on PostgreSQL (integer out of range was a 500)."""
    assert api.get(path).status_code == 422


def test_healthz_needs_no_login_and_reports_the_database(app_client) -> None:
    response = app_client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_a_refused_request_reads_in_the_readers_language_and_the_api_keeps_english(
    app_client: TestClient, world: World
) -> None:
    """pydantic's words are translated on the page; the API's text is pydantic's English."""
    english = (
        "invalid request: scan_id: Input should be a valid integer, unable to parse string as an integer"
    )
    api = app_client.get("/api/v1/scans/abc", headers=bearer(world, "admin"))
    assert api.status_code == 422 and api.json() == {"error": english}
    login(app_client, "pm")
    page = app_client.get("/scans/abc", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 422
    assert "请求无效：scan_id：应为整数：无法把输入解析为整数" in page.text, page.text
    assert english in app_client.get("/scans/abc", headers={"Accept-Language": "en"}).text

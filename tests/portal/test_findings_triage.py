"""Findings tables sort, search, paginate and export exactly the filtered list (API and pages)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from governance.scans.models import Finding
from reports.findings_export import neutralise
from scanners.base import SEVERITIES
from tests.portal.conftest import World, bearer, login


@pytest.fixture
def api(app_client: TestClient, world: World) -> TestClient:
    app_client.headers.update(bearer(world, "auditor"))
    return app_client


def _all(api: TestClient, query: str) -> list[dict[str, object]]:
    return list(api.get(f"/api/v1/modules/ACME/findings?limit=500&{query}").json()["items"])


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("severity", lambda f: SEVERITIES.index(f["severity"])),
        ("path", lambda f: f["path"]),
        ("rule", lambda f: f["standard_rule"]),
        ("state", lambda f: ("new", "persisting", "fixed").index(f["state"])),
    ],
)
def test_sorting_both_ways(api: TestClient, sort: str, key) -> None:  # type: ignore[no-untyped-def]
    ascending = _all(api, f"sort={sort}")
    descending = _all(api, f"sort={sort}&desc=true")
    assert [key(f) for f in ascending] == sorted(key(f) for f in ascending)
    assert [key(f) for f in descending] == sorted((key(f) for f in descending), reverse=True)
    assert len(ascending) == 60


def test_pages_never_overlap_under_a_sort(api: TestClient) -> None:
    pages = [
        api.get(f"/api/v1/modules/ACME/findings?sort=rule&limit=25&offset={offset}").json()["items"]
        for offset in (0, 25, 50)
    ]
    ids = [f["id"] for page in pages for f in page]
    assert len(ids) == len(set(ids)) == 60


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("finding 17 of", 1),  # message
        ("FINDING 1", 11),  # case-insensitive: 1, 10..19
        ("lib/util", 30),  # path
        ("DEV-003", 9),  # the standards rule code
        ("pylint.C0003", 9),  # the scanner's rule
        ("100%", 0),  # LIKE wildcards are literal
        ("nothing like this", 0),
    ],
)
def test_search_by_message_path_or_rule(api: TestClient, q: str, expected: int) -> None:
    body = api.get("/api/v1/modules/ACME/findings", params={"q": q}).json()
    assert body["total"] == expected


def test_unknown_sort_is_a_clear_422(api: TestClient) -> None:
    response = api.get("/api/v1/modules/ACME/findings?sort=bogus")
    assert response.status_code == 422 and "invalid sort" in response.json()["error"]


def test_export_is_exactly_the_filtered_list(api: TestClient) -> None:
    query = "severity=critical&sort=path&desc=true"
    listed = [f["id"] for f in _all(api, query)]
    csv_body = api.get(f"/api/v1/modules/ACME/findings/export?format=csv&{query}")
    assert csv_body.status_code == 200 and csv_body.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_body.text.lstrip("\ufeff"))))
    assert [int(r["id"]) for r in rows] == listed and len(listed) == 12
    as_json = json.loads(api.get(f"/api/v1/modules/ACME/findings/export?format=json&{query}").text)
    assert [f["id"] for f in as_json["findings"]] == listed
    assert as_json["meta"]["filter"] == {"severity": "critical", "sort": "path", "desc": "true"}


def test_export_neutralises_formula_cells(api: TestClient, database, world: World) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        row = session.get(Finding, _all(api, "")[0]["id"])
        assert row is not None
        row.message = '=HYPERLINK("http://evil.example","click")'
        session.add(row)
    text = api.get("/api/v1/modules/ACME/findings/export?format=csv&q=HYPERLINK").text
    (record,) = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert record["message"].startswith("'=HYPERLINK")
    assert [neutralise(v) for v in ("+1", "-1", "@SUM(A1)", "\tx", "plain")] == [
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "plain",
    ]


def test_vendor_cannot_export_another_vendors_findings(app_client: TestClient, world: World) -> None:
    app_client.headers.update(bearer(world, "vendor_b"))
    assert app_client.get("/api/v1/modules/ACME/findings/export").status_code == 404


def test_module_page_and_scan_report_sort_search_and_link_the_export(
    app_client: TestClient, world: World
) -> None:
    login(app_client, "auditor")
    html = app_client.get("/modules/ACME?q=lib/util&sort=path&desc=true").text
    assert "(30)" in html and "src/app.py" not in html.split('<table class="findings">')[1]
    assert 'aria-sort="descending"' in html
    assert "/api/v1/modules/ACME/findings/export?scan=" in html and "format=csv" in html
    report = app_client.get(f"/scans/{world.scans['ACME'][-1].id}?q=finding+17+of").text
    assert "(1)" in report and "finding 17 of ACME" in report
    assert app_client.get("/modules/ACME?sort=bogus").status_code == 422

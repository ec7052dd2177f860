"""NUL characters and out-of-range values: a clear 422 on every face and database, nothing changed.

Found by the schemathesis run on PostgreSQL: ``GET /api/v1/webhooks?module=%00`` answered 500
(PostgreSQL refuses to compare text with NUL), where SQLite quietly found nothing.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from governance import audit
from governance.db import Database
from tests.portal.conftest import World, bearer, login


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/webhooks?module=%00",
        "/api/v1/modules/AC%00ME",
        "/api/v1/requirements?module=ACME&q=a%00b",
        "/api/v1/tickets?module=%00",
    ],
)
def test_api_refuses_a_nul_in_the_address(app_client: TestClient, world: World, address: str) -> None:
    response = app_client.get(address, headers=bearer(world, "pm"))
    assert response.status_code == 422, response.text
    assert "NUL" in response.json()["error"]


def test_pages_refuse_a_nul_in_the_address_in_the_readers_language(
    app_client: TestClient, world: World
) -> None:
    login(app_client, "pm")
    english = app_client.get("/modules/AC%00ME")
    assert english.status_code == 422 and "NUL character" in english.text
    chinese = app_client.get("/modules/AC%00ME", headers={"Accept-Language": "zh-CN"})
    assert chinese.status_code == 422 and "地址中含有 NUL 字符" in chinese.text


def test_a_value_the_database_cannot_store_changes_nothing(
    app_client: TestClient, world: World, database: Database
) -> None:
    """On PostgreSQL the write fails in the database; on SQLite the text is stored as sent.
    Either way the answer is no 500, and a refusal leaves the audit trail as it was."""
    with database.session() as session:
        before = audit.head(session).count
    response = app_client.post(
        "/api/v1/requirements/ACME-0001/moves",
        json={"to": "in_progress", "reason": "sprint\x004"},
        headers=bearer(world, "pm"),
    )
    with database.session() as session:
        after = audit.head(session).count
    if database.engine.dialect.name == "postgresql":
        assert response.status_code == 422, response.text
        assert "cannot be stored" in response.json()["error"]
        assert after == before
    else:
        assert response.status_code in (200, 201), response.text
        assert after == before + 1

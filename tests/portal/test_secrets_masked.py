"""A detected secret is never shown: not in pages, snippets, API responses or the scan JSON,
for any role; each face shows the masked form (a short prefix) instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from governance.db import Database
from governance.registry import service as registry
from governance.scans.models import Finding, Scan
from reports.scan_json import scan_document
from scanners.secretmask import mask_line, mask_message, mask_value
from tests.governance.scans.conftest import pay_module, scan_now, vendor_repo  # noqa: F401 - fixtures
from tests.portal.conftest import PASSWORD, login

SECRET = "hunter2-secret"  # pragma: allowlist secret - the literal the flawed sample holds
ROLES = ("admin", "pm", "auditor", "acme")

pytestmark = pytest.mark.slow


def test_masking_keeps_a_short_prefix_and_hides_length() -> None:
    assert mask_value("Finance@2023") == "Fi******" == mask_value("Fi" + "x" * 40)[:8]
    assert mask_value("abc") == "******"
    line = "password = 'Finance@2023'  # admin"  # pragma: allowlist secret
    assert mask_line(line) == "password = 'Fi******'  # admin"
    assert mask_line("DB_PASSWORD=Finance@2023") == "DB_PASSWORD=Fi******"  # pragma: allowlist secret
    message = "hardcoded_password_string: Possible hardcoded password: 'Finance@2023' [severity LOW]"
    assert "Finance@2023" not in mask_message("bandit:B105", message)
    assert mask_message("pylint:W0611", "Unused import 'os'") == "Unused import 'os'"


def _pages(client: TestClient, database: Database, scan_id: int) -> list[str]:
    with database.session() as session:
        ids = session.exec(select(Finding.id).where(Finding.scan_id == scan_id)).all()
    texts = [client.get("/modules/PAY").text, client.get(f"/scans/{scan_id}").text]
    texts += [client.get(f"/modules/PAY/findings/{fid}").text for fid in ids]
    texts.append(client.get("/api/v1/modules/PAY/findings", params={"limit": 500}).text)
    texts.append(client.get(f"/api/v1/scans/{scan_id}").text)
    texts.append(client.get("/api/v1/modules/PAY").text)
    return texts


def test_no_face_shows_the_secret_to_any_role(
    app_client: TestClient,
    database: Database,
    pay_module: str,  # noqa: F811 - fixture
    scan_now: Callable[..., Scan],  # noqa: F811 - fixture
) -> None:
    scan = scan_now(pay_module)
    assert scan.id is not None
    with database.session() as session:
        rules = {f.rule for f in session.exec(select(Finding).where(Finding.scan_id == scan.id))}
        document = json.dumps(scan_document(session, scan_id=scan.id), ensure_ascii=False)
        registry.create_user(
            session, name="acme", role="vendor", vendor="Acme Soft", password=PASSWORD, actor="t"
        )
        for role in ROLES[:3]:
            registry.create_user(session, name=role, role=role, password=PASSWORD, actor="t")
    assert "bandit:B105" in rules  # the scan did find the secret
    assert SECRET not in document and "hu******" in document
    for role in ROLES:
        app_client.cookies.clear()
        login(app_client, role)
        texts = _pages(app_client, database, scan.id)
        assert all(SECRET not in text for text in texts), role
        assert any("hu******" in text for text in texts)  # masked, not dropped: the place is still shown

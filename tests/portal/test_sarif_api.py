"""The SARIF import API: a vendor CI imports for its own modules only; bad files are 4xx, change nothing."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from governance.config import Settings
from governance.db import Database
from governance.mirrors.service import sync_module
from governance.registry.service import get_module
from tests.gitrepo import VendorRepo
from tests.governance.evidence.project import project_files
from tests.governance.evidence.sarif_support import ruff_sarif
from tests.portal.conftest import World, bearer


def _post(client: TestClient, world: World, role: str, data: bytes, commit: str) -> tuple[int, dict]:
    response = client.post(
        "/api/v1/modules/ACME/sarif",
        params={"commit": commit},
        files={"file": ("ruff.sarif", data, "application/sarif+json")},
        headers=bearer(world, role),
    )
    return response.status_code, response.json()


def test_vendor_imports_for_its_own_module_only(
    app_client: TestClient, world: World, database: Database, settings: Settings, tmp_path: Path
) -> None:
    repo = VendorRepo(tmp_path / "vendor")
    sha = repo.commit("ACME-1: calculator", project_files())
    with database.session() as session:
        module = get_module(session, "ACME")
        module.remote = str(repo.path)
        session.add(module)
        session.commit()
        sync_module(session, settings=settings, key="ACME", actor="test")
    data = ruff_sarif(repo, tmp_path / "checkout")
    assert _post(app_client, world, "vendor_b", data, sha)[0] == 404
    assert _post(app_client, world, "auditor", data, sha)[0] == 403
    status, body = _post(app_client, world, "pm", b'{"version": "2.1.0"}', sha)
    assert status == 422 and "not valid SARIF 2.1.0" in body["error"]
    status, body = _post(app_client, world, "vendor_a", data, "e" * 40)
    assert status == 422 and "not in the central mirror of ACME" in body["error"]
    listed = app_client.get("/api/v1/modules/ACME/sarif", headers=bearer(world, "auditor")).json()
    assert listed == []
    status, body = _post(app_client, world, "vendor_a", data, sha)
    assert status == 201, body
    assert (body["tools"], body["commit"], body["results"]) == (
        ["ruff"],
        sha,
        len(json.loads(data)["runs"][0]["results"]),
    )

"""`govern serve` also runs queued scans (the embedded in-process scheduler)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlmodel import select

from governance.registry import service as registry
from governance.scans.models import Scan
from governance.scans.service import request_scan
from tests.gitrepo import VendorRepo
from tests.servers import free_port
from tests.waiting import wait_for

pytestmark = pytest.mark.slow


def test_serve_runs_a_queued_scan(database, settings, tmp_path) -> None:
    repo = VendorRepo(tmp_path / "vendor")
    sha = repo.commit("SRV-1: start", {"app.py": "import os\n"})
    with database.session() as session:
        registry.create_vendor(session, name="Acme Soft", actor="t")
        module = registry.create_module(
            session, key="SRV", vendor="Acme Soft", remote=str(repo.path), actor="t"
        )
        request_scan(session, module=module, trigger="push", actor="t", commit=None)
    env = {**os.environ, "GOVERN_DATA_DIR": str(settings.data_dir), "GOVERN_WORKERS": "1"}
    if settings.database_url:
        env["GOVERN_DATABASE_URL"] = settings.database_url
    server = subprocess.Popen(
        [sys.executable, "-m", "governance.cli.app", "serve", "--port", str(free_port()), "--interval", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def finished() -> Scan | None:
            with database.session() as session:
                found = session.exec(select(Scan)).one()
            return found if found.status.value in ("complete", "failed") else None

        scan = wait_for(finished, "the scheduled scan finished", limit=300)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert scan is not None and scan.status.value == "complete" and scan.commit_sha == sha

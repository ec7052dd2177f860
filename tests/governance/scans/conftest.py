"""A registered module fed from a real vendor repository, ready to scan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from governance.config import Settings
from governance.db import Database
from governance.executors.local import InlineExecutor
from governance.registry import service as registry
from governance.scans.models import Scan
from governance.scans.run import run_scan
from governance.scans.service import request_scan
from governance.timeutil import utcnow
from tests.gitrepo import VendorRepo

FLAWED = '''"""Payments."""

import os


def pay(connection, account):
    """Look an account up."""
    password = "hunter2-secret"
    return connection.execute("SELECT * FROM payment WHERE account = '%s'" % account)
'''


@pytest.fixture
def vendor_repo(tmp_path: Path) -> VendorRepo:
    repo = VendorRepo(tmp_path / "vendor")
    repo.commit(
        "PAY-1: first delivery",
        {"src/pay/__init__.py": '"""Payments."""\n', "src/pay/core.py": FLAWED, "README.md": "# Payments\n"},
    )
    return repo


@pytest.fixture
def pay_module(database: Database, vendor_repo: VendorRepo) -> str:
    with database.session() as session:
        registry.create_vendor(session, name="Acme Soft", actor="test")
        registry.create_module(
            session, key="PAY", vendor="Acme Soft", remote=str(vendor_repo.path), actor="test"
        )
    return "PAY"


@pytest.fixture
def scan_now(database: Database, settings: Settings) -> Callable[..., Scan]:
    """Request and run a scan of a module in this process (inline executor)."""

    def run(key: str, commit: str | None = None, clock: Callable[[], datetime] = utcnow) -> Scan:
        with database.session() as session:
            scan, _ = request_scan(
                session,
                module=registry.get_module(session, key),
                trigger="manual",
                actor="test",
                commit=commit,
            )
        return run_scan(database, settings, scan.id, executor=InlineExecutor(), actor="test", clock=clock)

    return run

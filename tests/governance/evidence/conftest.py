"""A module CAL whose vendor repository is the generated calculator project."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from governance.config import Settings
from governance.db import Database
from governance.registry import service as registry
from governance.requirements.models import RequirementStatus
from governance.requirements.service import create_requirement
from governance.scans.models import Scan
from governance.scans.run import ScanRunner
from governance.scans.service import request_scan
from tests.gitrepo import VendorRepo
from tests.governance.evidence.project import Reports, project_files, run_pytest


@pytest.fixture
def calc_repo(tmp_path: Path) -> VendorRepo:
    repo = VendorRepo(tmp_path / "vendor")
    repo.commit("CAL-1: calculator", project_files())
    return repo


@pytest.fixture
def tested(tmp_path: Path) -> Callable[..., Reports]:
    """Run the project's tests for real in a scratch copy (``add_expected`` breaks test_add)."""

    def run(add_expected: int = 4) -> Reports:
        work = tmp_path / f"run-{add_expected}"
        for relative, text in project_files(add_expected=add_expected).items():
            (work / relative).parent.mkdir(parents=True, exist_ok=True)
            (work / relative).write_text(text, encoding="utf-8")
        return run_pytest(work)

    return run


@pytest.fixture
def cal_module(database: Database, calc_repo: VendorRepo) -> str:
    with database.session() as session:
        registry.create_vendor(session, name="Acme Soft", actor="test")
        module = registry.create_module(
            session, key="CAL", vendor="Acme Soft", remote=str(calc_repo.path), actor="test"
        )
        for number in (1, 2, 3, 4):
            create_requirement(
                session,
                module=module,
                key=f"CAL-{number}",
                title=f"calculator feature {number}",
                actor="test",
                status=RequirementStatus.approved,
            )
    return "CAL"


@pytest.fixture
def scan_now(database: Database, settings: Settings) -> Callable[..., Scan]:
    def run(key: str, commit: str | None = None) -> Scan:
        with database.session() as session:
            scan, _ = request_scan(
                session,
                module=registry.get_module(session, key),
                trigger="manual",
                actor="test",
                commit=commit,
            )
        from governance.executors.local import InlineExecutor

        return ScanRunner(database, settings, InlineExecutor(), actor="test").run(scan.id)

    return run

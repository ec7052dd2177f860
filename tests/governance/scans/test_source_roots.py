"""pylint resolves a unit's imports from the repository's source roots, whatever its batch holds.

Found on flask's whole sdists (tests/ beside src/): a unit holding only test files did not
put ``src/`` on pylint's path (``Unable to import 'flask.views'``), and a unit holding
``tests/test_apps/cliapp/inner1/inner2/flask.py`` without its package's ``__init__.py``
put ``inner2/`` on the path, so ``import flask`` in every test of the unit found that
module (``Module 'flask' has no 'url_for' member``). Which files share a unit is an
artefact of planning, so the incremental rescan of a delivery and the full scan of it
disagreed. The same two mistakes on a small real layout: the rescan re-analyses only the
two changed test files, in one unit of their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from governance.config import Settings
from governance.db import Database
from governance.executors.local import InlineExecutor
from governance.registry import service as registry
from governance.scans.models import Finding, Scan
from governance.scans.run import run_scan
from governance.scans.service import request_scan
from tests.gitrepo import VendorRepo

pytestmark = pytest.mark.slow

KEY = "PKG"
LAYOUT = {
    "src/pkg/__init__.py": '"""The package."""\n\nfrom .helpers import f\n\n__all__ = ["f"]\n',
    "src/pkg/helpers.py": '"""Helpers."""\n\n\ndef f() -> int:\n    """One."""\n    return 1\n',
    "tests/test_x.py": (
        '"""Tests."""\n\nimport pkg\n\n\ndef test_f() -> None:\n    """f is one."""\n'
        "    assert pkg.f() == 1\n"
    ),
    "tests/apps/__init__.py": '"""Test applications."""\n',
    "tests/apps/inner/__init__.py": '"""An inner package."""\n',
    "tests/apps/inner/pkg.py": '"""A module named like the package, inside a test package."""\n\nVALUE = 1\n',
}


def _scan(database: Database, settings: Settings, *, full: bool) -> Scan:
    with database.session() as session:
        scan, _ = request_scan(
            session, module=registry.get_module(session, KEY), trigger="manual", actor="test"
        )
    assert scan.id is not None
    return run_scan(database, settings, scan.id, executor=InlineExecutor(), actor="test", use_cache=not full)


def _pylint(database: Database, scan_id: int | None) -> list[tuple[str, int, str]]:
    with database.session() as session:
        rows = session.exec(select(Finding).where(Finding.scan_id == scan_id)).all()
        return sorted((f.path, f.line, f.message) for f in rows if f.rule.startswith("pylint:"))


def test_a_unit_of_test_files_imports_the_src_package_as_a_full_scan_does(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    repo = VendorRepo(tmp_path / "vendor")
    repo.commit("PKG-1: first delivery", LAYOUT)
    with database.session() as session:
        registry.create_vendor(session, name="Acme Soft", actor="test")
        registry.create_module(session, key=KEY, vendor="Acme Soft", remote=str(repo.path), actor="test")
    _scan(database, settings, full=False)
    repo.commit(
        "PKG-2: two test files touched",
        {
            "tests/test_x.py": LAYOUT["tests/test_x.py"] + "\nVALUE = pkg.f()\n",
            "tests/apps/inner/pkg.py": LAYOUT["tests/apps/inner/pkg.py"] + "OTHER = 2\n",
        },
    )
    incremental = _scan(database, settings, full=False)
    assert incremental.metrics["from_cache"] > 0  # the rescan re-analysed the changed files only
    full = _scan(database, settings, full=True)
    on_tests = [row for row in _pylint(database, full.id) if row[0] == "tests/test_x.py"]
    assert not [row for row in on_tests if "import-error" in row[2] or "no-member" in row[2]]
    assert _pylint(database, incremental.id) == _pylint(database, full.id)

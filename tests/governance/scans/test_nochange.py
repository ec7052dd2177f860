"""A rescan of an unchanged commit reuses every per-file result (issue 14, item 3).

Why: a file pylint cannot parse used to leave no trace record, so each no-change rescan
planned a pylint unit for it (and started a worker pool) to learn the same syntax error.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance.db import Database
from governance.registry import service as registry
from governance.scans.models import Finding
from tests.gitrepo import VendorRepo

pytestmark = pytest.mark.slow

BROKEN = "def broken(:\n    return 1\n"


@pytest.fixture
def broken_module(database: Database, vendor_repo: VendorRepo) -> str:
    vendor_repo.commit("PAY-2: a file that does not parse", {"src/pay/broken.py": BROKEN})
    with database.session() as session:
        registry.create_vendor(session, name="Acme Soft", actor="test")
        registry.create_module(
            session, key="PAY", vendor="Acme Soft", remote=str(vendor_repo.path), actor="test"
        )
    return "PAY"


def test_rescan_of_an_unchanged_commit_with_an_unparseable_file_analyses_nothing(
    broken_module, scan_now
) -> None:
    first = scan_now(broken_module)
    assert first.metrics["analysed"] > 0
    again = scan_now(broken_module)
    assert again.commit_sha == first.commit_sha
    assert again.metrics["analysed"] == 0
    assert again.metrics["from_cache"] == first.metrics["analysed"] + first.metrics["from_cache"]
    assert again.metrics["findings"] == first.metrics["findings"]


def test_the_unparseable_file_keeps_its_syntax_error_when_reused(broken_module, scan_now, database) -> None:
    scans = [scan_now(broken_module), scan_now(broken_module)]
    with database.session() as session:
        rules = [
            {(f.rule, f.path) for f in session.exec(select(Finding).where(Finding.scan_id == s.id))}
            for s in scans
        ]
    assert ("pylint:E0001", "src/pay/broken.py") in rules[0]
    assert rules[0] == rules[1]

"""Branches: a vendor's feature-branch push is scanned and listed, the headline stays on the
default branch, and the branch's new code is what it adds since the merge base."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlmodel import col, select

from governance.config import Settings
from governance.db import Database
from governance.executors.local import InlineExecutor
from governance.scans.models import Finding, Scan, ScanStatus
from governance.scans.run import ScanRunner
from tests.governance.mirrors.conftest import VendorRepo
from tests.portal.git.conftest import World
from tests.waiting import HANG_GUARD

pytestmark = pytest.mark.slow

CLEAN = '"""App."""\n\n\ndef add(first, second):\n    """Add."""\n    return first + second\n'
FLAWED = CLEAN + '\n\ndef run(code):\n    """Run."""\n    return eval(code)\n'


def _run_queued(database: Database, settings: Settings) -> list[Scan]:
    with database.session() as session:
        queued = session.exec(
            select(Scan).where(Scan.status == ScanStatus.queued).order_by(col(Scan.id))
        ).all()
    return [ScanRunner(database, settings, InlineExecutor(), actor="test").run(s.id or 0) for s in queued]


def _page_checks(server: str, token: str, headline: int, feature: int) -> None:
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    with httpx.Client(base_url=server, headers=headers, timeout=HANG_GUARD) as client:
        page = client.get("/modules/BUD").text
        card = page.split("Scan history")[0]
        assert f'<a href="/scans/{headline}">#{headline}</a>' in card
        assert f'<a href="/scans/{feature}">#{feature}</a>' not in card
        assert '<code>main</code> <span class="muted">(default branch)</span>' in page
        assert '<option value="feature/x">feature/x</option>' in page  # the selector
        assert "<td><code>feature/x</code></td>" in page.split("Scan history")[1]  # the branch column
        assert client.get("/api/v1/modules/BUD").json()["latest_scan"]["id"] == headline
        assert f"/scans/{feature}" not in client.get("/").text  # the dashboard
        chosen = client.get("/modules/BUD", params={"branch": "feature/x"}).text
        assert f'<a href="/scans/{feature}">#{feature}</a>' in chosen.split("Scan history")[0]
        assert client.get("/modules/BUD", params={"branch": "nope"}).status_code == 404


def test_feature_branch_push_is_listed_and_judged_against_the_merge_base(
    server: str,
    world: World,
    vendor_repo: Callable[[str], VendorRepo],
    database: Database,
    settings: Settings,
) -> None:
    repo = vendor_repo("bud")
    repo.commit("BUD-0001: first delivery", {"src/app.py": CLEAN})
    url = world.url(server, "huaxin", "BUD")
    repo.git("push", url, "main")
    (main_scan,) = _run_queued(database, settings)
    repo.git("checkout", "-q", "-b", "feature/x")
    repo.commit("BUD-0001: risky feature", {"src/app.py": FLAWED})
    repo.git("push", url, "feature/x")
    (feature_scan,) = _run_queued(database, settings)
    assert (main_scan.branch, feature_scan.branch) == ("main", "feature/x")
    _page_checks(server, world.tokens["pm"], headline=main_scan.id or 0, feature=feature_scan.id or 0)
    # main moves on; the feature branch gets another commit: its baseline is still the merge
    # base on main, not main's tip and not the branch's own previous scan.
    repo.git("checkout", "-q", "main")
    repo.commit("BUD-0001: docs", {"README.md": "# Budget\n"})
    repo.git("push", url, "main")
    (main_tip,) = _run_queued(database, settings)
    assert main_tip.baseline_scan_id == main_scan.id
    repo.git("checkout", "-q", "feature/x")
    repo.commit("BUD-0001: more", {"src/extra.py": '"""Extra."""\n'})
    repo.git("push", url, "feature/x")
    (again,) = _run_queued(database, settings)
    assert again.baseline_scan_id == main_scan.id
    with database.session() as session:
        new = session.exec(
            select(Finding.rule).where(Finding.scan_id == again.id, Finding.state == "new")
        ).all()
    assert new and all(rule.startswith(("bandit:B307", "pylint:W0123")) for rule in new), new
    _page_checks(server, world.tokens["auditor"], headline=main_tip.id or 0, feature=again.id or 0)

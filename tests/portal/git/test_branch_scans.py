"""Branches: a vendor's feature-branch push is scanned and listed, the headline stays on the
default branch, and the branch's new code is what it adds since the merge base."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import col, select

from governance.config import Settings
from governance.db import Database
from governance.executors.local import InlineExecutor
from governance.scans.models import Finding, Scan, ScanStatus
from governance.scans.run import ScanRunner

pytestmark = pytest.mark.slow

CLEAN = '"""App."""\n\n\ndef add(first, second):\n    """Add."""\n    return first + second\n'
FLAWED = CLEAN + '\n\ndef run(code):\n    """Run."""\n    return eval(code)\n'


def _run_queued(database: Database, settings: Settings) -> list[Scan]:
    with database.session() as session:
        queued = session.exec(
            select(Scan).where(Scan.status == ScanStatus.queued).order_by(col(Scan.id))
        ).all()
    return [ScanRunner(database, settings, InlineExecutor(), actor="test").run(s.id) for s in queued]


@pytest.fixture
def branches(server, world, vendor_repo, database: Database, settings: Settings):
    """BUD's main pushed and scanned, then feature/x (one new flaw) pushed and scanned,
    then main moved on (pushed, scanned) so the merge base is not main's tip."""
    repo = vendor_repo("bud")
    repo.commit("BUD-0001: first delivery", {"src/app.py": CLEAN})
    url = world.url(server, "huaxin", "BUD")
    repo.git("push", url, "main")
    (main_scan,) = _run_queued(database, settings)
    repo.git("checkout", "-q", "-b", "feature/x")
    repo.commit("BUD-0001: risky feature", {"src/app.py": FLAWED})
    repo.git("push", url, "feature/x")
    (feature_scan,) = _run_queued(database, settings)
    repo.git("checkout", "-q", "main")
    repo.commit("BUD-0001: docs", {"README.md": "# Budget\n"})
    repo.git("push", url, "main")
    (main_tip,) = _run_queued(database, settings)
    return main_scan, feature_scan, main_tip


def test_feature_branch_is_judged_against_the_merge_base(branches, database: Database) -> None:
    main_scan, feature_scan, main_tip = branches
    assert (main_scan.branch, feature_scan.branch, main_tip.branch) == ("main", "feature/x", "main")
    assert feature_scan.metrics["baseline_scan"] == main_scan.id  # the merge base, not main's tip
    assert main_tip.metrics["baseline_scan"] == main_scan.id  # main keeps its own line
    with database.session() as session:
        new = session.exec(
            select(Finding.rule).where(Finding.scan_id == feature_scan.id, Finding.state == "new")
        ).all()
    assert new and all(rule.startswith(("bandit:B307", "pylint:W0123")) for rule in new), new


def test_feature_push_leaves_the_headline_on_the_default_branch(branches, server, world) -> None:
    _, feature_scan, main_tip = branches
    headers = {"Authorization": f"Bearer {world.tokens['pm']}", "Accept-Language": "en"}
    with httpx.Client(base_url=server, headers=headers) as client:
        page = client.get("/modules/BUD").text
        assert f'<a href="/scans/{main_tip.id}">#{main_tip.id}</a>' in page  # the headline
        assert f'<a href="/scans/{feature_scan.id}">#{feature_scan.id}</a>' not in page.split("Scan history")[0]
        assert "<code>main</code> <span class=\"muted\">(default branch)</span>" in page
        assert '<option value="feature/x">feature/x</option>' in page  # the selector
        history = page.split("Scan history")[1]
        assert "<td><code>feature/x</code></td>" in history  # the branch column
        api = client.get("/api/v1/modules/BUD").json()
        assert api["latest_scan"]["id"] == main_tip.id
        dashboard = client.get("/").text
        assert f"/scans/{feature_scan.id}" not in dashboard
        chosen = client.get("/modules/BUD", params={"branch": "feature/x"}).text
        assert f'<a href="/scans/{feature_scan.id}">#{feature_scan.id}</a>' in chosen
        assert client.get("/modules/BUD", params={"branch": "nope"}).status_code == 404

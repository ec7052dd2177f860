"""A simulated tool upgrade: only the findings it adds in unchanged files are marked and kept out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import select

from governance.config import Settings
from governance.db import Database
from governance.evidence.models import ScanEvidence
from governance.evidence.tools import installed_versions, upgrade_grace
from governance.registry.service import get_module
from governance.scans.models import Finding, Scan
from scanners.base import Finding as Found
from standards.profile_model import ToolPolicy
from tests.gitrepo import VendorRepo
from tests.governance.evidence.project import CORE, project_files

BEFORE = "id: cal\nextends: default\nscanners:\n  pylint: {disable: [W0612]}\n"
UPGRADED = (
    "id: cal\nextends: default\nevidence:\n"
    '  tools: {grace_days: 60, versions: {pylint: "pylint==99.0;astroid==9.0"}}\n'
)


def _profile(settings: Settings, text: str) -> None:
    folder = settings.data_dir / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cal.yaml").write_text(text, encoding="utf-8")


def _w0612(database: Database, scan: Scan) -> dict[str, bool]:
    with database.session() as session:
        rows = session.exec(
            select(Finding).where(Finding.scan_id == scan.id, Finding.rule == "pylint:W0612")
        ).all()
        return {f"{r.path}:{r.line}": r.waived for r in rows}


def test_upgrade_marks_only_what_it_added_in_unchanged_files(
    database: Database,
    settings: Settings,
    cal_module: str,
    calc_repo: VendorRepo,
    scan_now: Callable[..., Scan],
) -> None:
    _profile(settings, BEFORE)
    with database.session() as session:
        module = get_module(session, cal_module)
        module.profile = "cal"
        session.add(module)
        session.commit()
    first = scan_now(cal_module)
    assert _w0612(database, first) == {}
    _profile(settings, UPGRADED)
    files = project_files()
    files["calc/core.py"] = (
        CORE + '\n\ndef helper(y):\n    """Helper."""\n    spare = 1\n    return y\n'
    )  # a real new finding
    calc_repo.commit("CAL-1: one more helper", files)
    second = scan_now(cal_module)
    marks = _w0612(database, second)
    assert marks["calc/core.py:25"] is False  # changed file: a genuine new finding, counted
    upgrade_added = {where for where, waived in marks.items() if waived}
    assert upgrade_added and all(where.startswith("tests/test_core.py:") for where in upgrade_added)
    with database.session() as session:
        record = session.get(ScanEvidence, second.id)
        assert record is not None
        tools = record.tool_versions
    assert tools["versions"]["pylint"] == "pylint==99.0;astroid==9.0"
    assert tools["upgrades"]["pylint"]["to"] == "pylint==99.0;astroid==9.0"
    assert tools["added"] == {"pylint": len(upgrade_added)}


def _found(fingerprint: str, path: str, tool: str = "pylint") -> Found:
    return Found(f"{tool}:X1", tool, "X1", "major", path, 1, 1, "m", fingerprint)


def test_grace_carries_forward_then_expires_into_the_count() -> None:
    policy = ToolPolicy(grace_days=60)
    base = ScanEvidence(scan_id=1, tool_versions={"versions": {"pylint": "1", "bandit": "1"}})
    findings = [_found("a", "x.py"), _found("b", "changed.py"), _found("c", "x.py", "bandit")]
    marked = upgrade_grace(
        baseline=base,
        versions={"pylint": "2", "bandit": "1"},
        findings=findings,
        new_fingerprints={"a", "b", "c"},
        changed_paths={"changed.py"},
        policy=policy,
        today=date(2026, 1, 1),
    )
    assert [(w.fingerprint, w.expires) for w in marked.waivers] == [("a", date(2026, 3, 2))]
    later = ScanEvidence(scan_id=2, tool_versions=marked.record)
    kwargs = dict(
        versions={"pylint": "2", "bandit": "1"},
        findings=findings,
        new_fingerprints=set(),
        changed_paths=set(),
        policy=policy,
    )
    assert [
        w.fingerprint for w in upgrade_grace(baseline=later, today=date(2026, 3, 2), **kwargs).waivers
    ] == ["a"]
    assert upgrade_grace(baseline=later, today=date(2026, 3, 3), **kwargs).waivers == ()


def test_every_installed_scanner_has_its_version_recorded() -> None:
    """A scanner off by default (ruff, switched on by the fast profile) is recorded too, so an
    upgrade of it is graced like any other's."""
    versions = installed_versions()
    assert {"pylint", "bandit", "secrets", "ruff", "repository"} <= set(versions)
    assert versions["ruff"].startswith("ruff==")

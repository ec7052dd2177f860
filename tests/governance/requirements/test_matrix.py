"""Matrix, coverage and facts, asserted exactly on a small world."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from governance.registry import service as registry
from governance.requirements.facts import requirement_facts
from governance.requirements.links import UnknownReference, refresh_links
from governance.requirements.matrix import (
    Coverage,
    FileStatus,
    build_matrix,
    module_coverage,
    vendor_coverage,
)
from governance.requirements.matrix_io import render_matrix
from governance.requirements.models import RequirementStatus as S
from governance.requirements.service import create_requirement
from governance.scans.models import Finding, FindingState, Scan, ScanStatus
from tests.governance.requirements.conftest import add_commits, module, statements

STATUSES = [S.verified, S.implemented, S.in_progress, S.approved, S.proposed, S.closed, S.rejected, S.changed]
FILES = [
    ("src/a.py", "# REQ: BUD-0001\n# REQ: BUD-0003\n"),
    ("src/b.py", "# REQ: BUD-0005, BUD-0006\n"),
    (
        "tests/test_a.py",
        "@pytest.mark.requirement('BUD-0001')\ndef test_one(): pass\n\n"
        "@pytest.mark.requirement('BUD-0002')\ndef test_two(): pass\n",
    ),
]


def _scan(session, module_id: int, status: ScanStatus, finished: int, findings: list[tuple]) -> None:
    scan = Scan(
        module_id=module_id,
        commit_sha=f"scan{finished}",
        trigger="manual",
        status=status,
        finished_at=datetime(2026, 1, finished, tzinfo=UTC),
    )
    session.add(scan)
    session.flush()
    for path, severity, state, waived in findings:
        session.add(
            Finding(
                scan_id=scan.id,
                module_id=module_id,
                rule="r",
                tool="t",
                tool_rule="x",
                severity=severity,
                path=path,
                message="m",
                fingerprint=f"{path}{severity}{state}",
                state=state,
                waived=waived,
            )
        )


@pytest.fixture
def small_world(world):
    with world.session() as session:
        bud = module(session)
        for number, status in enumerate(STATUSES, start=1):
            create_requirement(
                session, module=bud, key=f"BUD-{number:04d}", title=f"r{number}", actor="pm", status=status
            )
        add_commits(
            session,
            bud,
            [
                ("c1", ["BUD-0001"], 1),
                ("c2", ["BUD-0001"], 1),
                ("c3", [], 1),
                ("c4", [], 2),
                ("c5", ["BUD-0777"], 1),
            ],
        )
        refresh_links(session, module=bud, files=FILES, commit_sha="head")
        new, fixed = FindingState.new, FindingState.fixed
        _scan(session, bud.id, ScanStatus.complete, 1, [("src/b.py", "critical", new, False)])
        _scan(
            session,
            bud.id,
            ScanStatus.complete,
            2,
            [
                ("src/a.py", "minor", new, False),
                ("src/a.py", "major", new, False),
                ("src/a.py", "blocker", fixed, False),
                ("src/b.py", "blocker", new, True),
            ],
        )
        _scan(session, bud.id, ScanStatus.failed, 3, [("src/a.py", "blocker", new, False)])
        other = registry.create_module(
            session, key="BUDX", vendor="Acme", actor="pm", requirement_prefix="BX"
        )
        create_requirement(session, module=other, key="BX-1", title="x1", actor="pm", status=S.approved)
        create_requirement(session, module=other, key="BX-2", title="x2", actor="pm", status=S.verified)
        add_commits(session, other, [("d1", [], 1)])
        refresh_links(session, module=other, files=[("x.py", "# REQ: BX-1\n")], commit_sha="h")
    return world


BUD_COVERAGE = Coverage(
    "BUD",
    requirements=8,
    approved_or_later=5,
    with_code=3,
    with_tests=2,
    verified=2,
    commits=5,
    orphan_commits=1,
    implemented_without_code=1,
)


def test_module_coverage(small_world) -> None:
    with small_world.session() as session:
        coverage = module_coverage(session, module=module(session))
    assert coverage == BUD_COVERAGE
    assert (coverage.code_pct, coverage.tests_pct, coverage.verified_pct) == (60.0, 40.0, 40.0)


def test_vendor_coverage_sums_its_modules(small_world) -> None:
    with small_world.session() as session:
        acme = vendor_coverage(session, vendor="Acme")
        other = vendor_coverage(session, vendor="Other")
    assert acme == Coverage(
        "Acme",
        requirements=10,
        approved_or_later=7,
        with_code=4,
        with_tests=2,
        verified=3,
        commits=6,
        orphan_commits=2,
        implemented_without_code=2,
    )
    assert acme.code_pct == 57.1
    assert other == Coverage("Other") and other.code_pct is None


def test_matrix_rows_and_scan_status(small_world) -> None:
    with small_world.session() as session:
        matrix = build_matrix(session, module=module(session))
        unscanned = build_matrix(session, module=module(session, "BUDX"))
    assert (matrix.module, matrix.vendor, matrix.scan_commit) == ("BUD", "Acme", "scan2")
    first = matrix.rows[0]
    assert (first.key, first.status, first.commits, first.files, first.tests) == (
        "BUD-0001",
        "verified",
        ("c1", "c2"),
        ("src/a.py",),
        ("tests/test_a.py::test_one",),
    )
    assert first.scan == (
        FileStatus("src/a.py", "findings", 2, "major"),
        FileStatus("tests/test_a.py", "clean"),
    )
    assert matrix.rows[5].scan == (FileStatus("src/b.py", "clean"),)
    assert [row.key for row in matrix.rows] == [f"BUD-{n:04d}" for n in range(1, 9)]
    assert matrix.rows[3].commits == matrix.rows[3].files == matrix.rows[3].tests == ()
    assert unscanned.scan_id is None and unscanned.rows[0].scan == (FileStatus("x.py", "not scanned"),)


def test_facts(small_world) -> None:
    extra = UnknownReference("BUD-0404", "tests/test_x.py", 3)
    with small_world.session() as session:
        facts = requirement_facts(session, module=module(session), unknown=[extra])
    assert facts.by_status == {s.value: 1 for s in S}
    assert (facts.module, facts.vendor, facts.total, facts.commits) == ("BUD", "Acme", 8, 5)
    assert facts.coverage == BUD_COVERAGE
    assert facts.without_code == ("BUD-0002",)
    assert facts.without_tests == ("BUD-0006",)
    assert facts.unapproved_referenced == ("BUD-0005",)
    assert facts.orphan_commits == ("c3",)
    assert facts.unknown_references == (extra, UnknownReference("BUD-0777", commit_sha="c5"))
    data = json.loads(json.dumps(facts.as_dict()))
    assert data["coverage"]["code_pct"] == 60.0 and data["unknown_references"][1]["commit_sha"] == "c5"


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_matrix_renderings(small_world, tmp_path, fmt) -> None:
    with small_world.session() as session:
        data = render_matrix(build_matrix(session, module=module(session)), fmt)
    if fmt == "json":
        parsed = json.loads(data)
        assert parsed["coverage"]["verified_pct"] == 40.0 and parsed["rows"][0]["commits"] == ["c1", "c2"]
        return
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        assert text.startswith("Key,Title,Status") and "src/a.py: findings (2, worst major)" in text
        return
    path = tmp_path / "m.xlsx"
    path.write_bytes(data)
    sheet = load_workbook(path).active
    assert sheet["A2"].value == "BUD-0001" and sheet["F2"].value == "c1\nc2" and sheet.max_row == 9


def test_matrix_reads_a_fixed_number_of_statements(small_world) -> None:
    with small_world.session() as session:
        bud = module(session)
        with statements(small_world) as small:
            build_matrix(session, module=bud)
        for number in range(9, 200):
            create_requirement(
                session, module=bud, key=f"BUD-{number:04d}", title="r", actor="pm", status=S.approved
            )
        add_commits(session, bud, [(f"e{n}", [f"BUD-{n:04d}"], 1) for n in range(9, 200)])
        refresh_links(session, module=bud, files=FILES, commit_sha="head")
        with statements(small_world) as large:
            matrix = build_matrix(session, module=bud)
    assert len(matrix.rows) == 199 and matrix.coverage.commits == 196
    assert 4 <= len(small) == len(large) <= 10, (small, large)

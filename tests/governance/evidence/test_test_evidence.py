"""Uploaded JUnit and coverage reports verify requirements for exactly the commit they describe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import select

from governance.db import Database
from governance.evidence.models import ScanEvidence
from governance.evidence.upload import upload_evidence
from governance.registry.service import get_module
from governance.requirements.matrix import build_matrix
from governance.requirements.matrix_io import render_matrix
from governance.requirements.service import set_parent
from governance.scans.models import Scan, StandardResult
from tests.gitrepo import VendorRepo
from tests.governance.evidence.project import Reports, project_files


def _upload(database: Database, commit: str, reports: Reports) -> None:
    with database.session() as session:
        module = get_module(session, "CAL")
        for kind, name, data in (
            ("junit", "junit.xml", reports.junit),
            ("coverage", "coverage.xml", reports.cobertura),
        ):
            upload_evidence(
                session, module=module, commit_sha=commit, kind=kind, filename=name, data=data, actor="ci"
            )


def _rules(database: Database, scan: Scan) -> dict[str, dict[str, object]]:
    with database.session() as session:
        rows = session.exec(select(StandardResult).where(StandardResult.scan_id == scan.id)).all()
        return {r["rule"]: r for row in rows for r in row.rules}


def _verification(database: Database) -> dict[str, str]:
    with database.session() as session:
        matrix = build_matrix(session, module=get_module(session, "CAL"))
    return {row.key: row.verification for row in matrix.rows}


def _coverage(database: Database) -> dict[str, float | None]:
    with database.session() as session:
        matrix = build_matrix(session, module=get_module(session, "CAL"))
    return {row.key: row.coverage_pct for row in matrix.rows}


def test_requirements_verified_then_failing_when_their_test_fails(
    database: Database,
    cal_module: str,
    calc_repo: VendorRepo,
    tested: Callable[..., Reports],
    scan_now: Callable[..., Scan],
) -> None:
    first = calc_repo.git("rev-parse", "HEAD")
    _upload(database, first, tested())
    scan = scan_now(cal_module)
    rules = _rules(database, scan)
    assert rules["TST-004"]["status"] == "pass" and rules["TST-004"]["measured"] == pytest.approx(70.0)
    assert rules["TST-009"]["status"] == "pass"
    assert rules["TST-008"]["status"] == "pass"  # CAL-4 has no test at all: TST-003's business
    verification = _verification(database)
    assert verification == {
        "CAL-1": "verified",
        "CAL-2": "verified",
        "CAL-3": "verified",
        "CAL-4": "untested",
    }
    assert _coverage(database) == {
        "CAL-1": 70.0,
        "CAL-2": None,
        "CAL-3": None,
        "CAL-4": None,
    }  # core.py: CAL-1

    second = calc_repo.commit("CAL-1: change addition", project_files(add_expected=5))
    scan = scan_now(cal_module)  # no evidence for the new commit yet: the old one is stale
    rules = _rules(database, scan)
    assert rules["TST-008"]["status"] == "not_applicable"
    assert rules["TST-004"]["status"] == "not_applicable"
    assert set(_verification(database).values()) == {"no evidence"}

    _upload(database, second, tested(add_expected=5))
    scan = scan_now(cal_module)
    rules = _rules(database, scan)
    assert rules["TST-009"]["status"] == "fail"
    assert rules["TST-008"]["status"] == "fail"
    assert rules["TST-008"]["offenders"] == ["CAL-1 (failing)"]
    assert _verification(database)["CAL-1"] == "failing"
    assert _verification(database)["CAL-2"] == "verified"


def test_reports_committed_at_configured_paths_count_for_that_commit(
    database: Database,
    cal_module: str,
    calc_repo: VendorRepo,
    tested: Callable[..., Reports],
    scan_now: Callable[..., Scan],
) -> None:
    reports = tested(add_expected=5)
    files = project_files(add_expected=5)
    files.update(
        {
            "reports/junit.xml": reports.junit.decode(),
            "reports/coverage.json": reports.coverage_json.decode(),
            "reports/broken.xml": "<testsuites><testsuite",
        }
    )
    calc_repo.commit("CAL-1: reports in the tree", files)
    with database.session() as session:
        module = get_module(session, cal_module)
        module.settings = {
            "evidence_paths": {"junit": ["reports/*.xml"], "coverage": ["reports/coverage.json"]}
        }
        session.add(module)
        session.commit()
    scan = scan_now(cal_module)
    rules = _rules(database, scan)
    assert rules["TST-004"]["measured"] == pytest.approx(70.0)
    assert rules["TST-008"]["offenders"] == ["CAL-1 (failing)"]
    with database.session() as session:
        record = session.get(ScanEvidence, scan.id)
        assert record is not None
        assert [r.split(":")[0] for r in record.inputs["unreadable_reports"]] == ["reports/broken.xml"]


def test_a_failing_child_flags_its_parent_and_grandparent_in_the_matrix(
    database: Database,
    cal_module: str,
    calc_repo: VendorRepo,
    tested: Callable[..., Reports],
    scan_now: Callable[..., Scan],
) -> None:
    with database.session() as session:
        set_parent(session, key="CAL-2", parent_key="CAL-3", actor="pm")
        set_parent(session, key="CAL-1", parent_key="CAL-2", actor="pm")
        session.commit()
    commit = calc_repo.commit("CAL-1: change addition", project_files(add_expected=5))
    _upload(database, commit, tested(add_expected=5))  # test_add (CAL-1) fails, CAL-2's and CAL-3's pass
    scan = scan_now(cal_module)
    with database.session() as session:
        matrix = build_matrix(session, module=get_module(session, "CAL"))
    rows = {row.key: (row.parent, row.verification, row.flagged_by) for row in matrix.rows}
    assert rows == {
        "CAL-1": ("CAL-2", "failing", ()),
        "CAL-2": ("CAL-3", "failing", ("CAL-1",)),
        "CAL-3": (None, "failing", ("CAL-1",)),  # CAL-2 is only flagged, its own test passed
        "CAL-4": (None, "untested", ()),
    }
    assert _rules(database, scan)["TST-008"]["offenders"] == [
        "CAL-1 (failing)",
        "CAL-2 (failing: CAL-1)",
        "CAL-3 (failing: CAL-1)",
    ]
    table = render_matrix(matrix, "csv").decode("utf-8-sig").splitlines()
    assert table[0].endswith(",Parent,Flagged by")

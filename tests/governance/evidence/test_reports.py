"""Parsing real report formats, and refusing what is not evidence without changing anything."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import func, select

from governance.audit.models import AuditEvent
from governance.db import Database
from governance.errors import InvalidInput
from governance.evidence.coverage import parse_coverage
from governance.evidence.junit import parse_junit
from governance.evidence.matching import file_coverage, test_targets
from governance.evidence.models import EvidenceFile
from governance.evidence.upload import upload_evidence
from governance.registry.service import get_module
from tests.governance.evidence.project import Reports, project_files

JACOCO = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
<report name="ledger">
  <sessioninfo id="ci-1" start="1700000000000" dump="1700000005000"/>
  <package name="com/acme/ledger">
    <class name="com/acme/ledger/Posting" sourcefilename="Posting.java">
      <counter type="LINE" missed="2" covered="8"/>
    </class>
    <sourcefile name="Posting.java">
      <line nr="3" mi="0" ci="4" mb="0" cb="0"/>
      <counter type="INSTRUCTION" missed="5" covered="40"/>
      <counter type="LINE" missed="2" covered="8"/>
    </sourcefile>
  </package>
  <counter type="INSTRUCTION" missed="5" covered="40"/>
  <counter type="LINE" missed="2" covered="8"/>
</report>
"""
SUREFIRE = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.ledger.PostingTest" tests="2" failures="1" errors="0" skipped="0">
  <testcase name="postsBalancedEntry" classname="com.acme.ledger.PostingTest" time="0.01"/>
  <testcase name="refusesUnbalanced" classname="com.acme.ledger.PostingTest" time="0.02">
    <failure message="expected exception" type="java.lang.AssertionError">stack</failure>
  </testcase>
</testsuite>
"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<testsuites><testsuite name="x"><testcase name="&lol2;" classname="a"/></testsuite></testsuites>
"""


def test_pytest_reports_parse_to_the_runs_and_coverage_they_hold(tested: Callable[..., Reports]) -> None:
    reports = tested(add_expected=5)
    runs = parse_junit(reports.junit, filename="junit.xml")
    assert sorted((r.name, r.outcome) for r in runs) == [
        ("test_add", "failed"),
        ("test_divide[1]", "passed"),
        ("test_divide[4]", "passed"),
        ("test_zero", "passed"),
    ]
    paths = list(project_files())
    targets = test_targets([r.as_dict() for r in runs], paths)
    assert targets == {
        "tests/test_core.py::test_add": "failed",
        "tests/test_core.py::test_divide": "passed",
        "tests/test_core.py::test_zero": "passed",
        "tests/test_core.py::TestEdges": "passed",
    }
    xml, js = (parse_coverage(d, filename="c") for d in (reports.cobertura, reports.coverage_json))
    assert (xml.format, js.format) == ("cobertura", "coverage.py")
    assert xml.percent == js.percent == 70.0
    assert file_coverage(js.as_dict()["files"], paths) == {"calc/core.py": 70.0}
    assert file_coverage(xml.as_dict()["files"], paths) == {"calc/core.py": 70.0}


def test_java_reports_resolve_by_class_path() -> None:
    paths = ["src/main/java/com/acme/ledger/Posting.java", "src/test/java/com/acme/ledger/PostingTest.java"]
    runs = [r.as_dict() for r in parse_junit(SUREFIRE, filename="TEST-x.xml")]
    assert test_targets(runs, paths) == {
        "src/test/java/com/acme/ledger/PostingTest.java::postsBalancedEntry": "passed",
        "src/test/java/com/acme/ledger/PostingTest.java::refusesUnbalanced": "failed",
    }
    report = parse_coverage(JACOCO, filename="jacoco.xml")
    assert (report.format, report.percent) == ("jacoco", 80.0)
    assert file_coverage(report.as_dict()["files"], paths) == {paths[0]: 80.0}


REFUSED = [
    ("junit", b"<testsuites><testsuite><testcase name='a'", "not well-formed"),
    ("junit", BILLION_LAUGHS, "refused"),
    ("junit", b"<html><body>404</body></html>", "not a JUnit report"),
    ("junit", b"<testsuites/>", "no test case"),
    ("coverage", b'{"totals": {}}', "not a coverage.py JSON report"),
    ("coverage", b"<coverage lines-valid='x' lines-covered='1'/>", "no whole number"),
    ("coverage", b"   ", "empty"),
    ("sarif", b"{}", "unknown evidence kind"),
]


@pytest.mark.parametrize(("kind", "data", "reason"), REFUSED, ids=[r[2] for r in REFUSED])
def test_bad_uploads_are_refused_with_the_reason_and_change_nothing(
    database: Database, cal_module: str, kind: str, data: bytes, reason: str
) -> None:
    with database.session() as session:
        events = session.exec(select(func.count()).select_from(AuditEvent)).one()
        with pytest.raises(InvalidInput, match=reason):
            upload_evidence(
                session,
                module=get_module(session, cal_module),
                commit_sha="a" * 40,
                kind=kind,
                filename="report",
                data=data,
                actor="ci",
            )
    with database.session() as session:
        assert session.exec(select(func.count()).select_from(EvidenceFile)).one() == 0
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == events


def test_oversized_upload_and_short_commit_are_refused(database: Database, cal_module: str) -> None:
    with database.session() as session:
        module = get_module(session, cal_module)
        with pytest.raises(InvalidInput, match="more than the limit of 100 bytes"):
            upload_evidence(
                session,
                module=module,
                commit_sha="a" * 40,
                kind="junit",
                filename="big.xml",
                data=SUREFIRE,
                actor="ci",
                max_bytes=100,
            )
        with pytest.raises(InvalidInput, match="full 40-character commit"):
            upload_evidence(
                session,
                module=module,
                commit_sha="abc123",
                kind="junit",
                filename="j.xml",
                data=SUREFIRE,
                actor="ci",
            )
    with database.session() as session:
        assert session.exec(select(func.count()).select_from(EvidenceFile)).one() == 0

"""JUnit/xUnit XML → test outcomes (junitparser), after a defusedxml safety parse.

pytest, Maven Surefire, Gradle and Jest's junit reporter all write this format. A case is
``passed`` unless it carries a failure, error or skipped element.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from governance.errors import InvalidInput, said
from governance.evidence.xmlsafe import parse_xml


@dataclass(frozen=True, slots=True)
class TestRun:
    """One test case of a report."""

    __test__ = False  # not a pytest class

    classname: str
    name: str
    file: str
    outcome: str  # passed | failed | error | skipped

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _outcome(case: TestCase) -> str:
    kinds = {type(result) for result in case.result}
    if Error in kinds:
        return "error"
    if Failure in kinds:
        return "failed"
    return "skipped" if Skipped in kinds else "passed"


def _cases(node: JUnitXml | TestSuite) -> Iterator[TestCase]:
    """Cases of a report or suite, through nested suites (Jest, xUnit.net nest them)."""
    for child in node:
        if isinstance(child, TestCase):
            yield child
        elif isinstance(child, TestSuite):
            yield from _cases(child)


def parse_junit(data: bytes, *, filename: str) -> list[TestRun]:
    """Every test case of a JUnit XML report; an empty or non-JUnit document is refused."""
    root = parse_xml(data, what=filename)
    if root.tag not in ("testsuites", "testsuite"):
        raise said(
            InvalidInput,
            "%(filename)s: not a JUnit report (root element <%(tag)s>)",
            filename=filename,
            tag=root.tag,
        )
    # Bytes, not text: the parser honours the declared encoding (lxml refuses a str that declares one).
    report = JUnitXml.fromstring(data)
    runs = [
        TestRun(
            classname=case.classname or "",
            name=case.name or "",
            file=str(case._elem.get("file") or ""),  # xunit1 / Surefire carry the file
            outcome=_outcome(case),
        )
        for case in _cases(report)
    ]
    if not runs:
        raise said(InvalidInput, "%(filename)s: the JUnit report holds no test case", filename=filename)
    return runs

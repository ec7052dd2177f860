"""A small generated Python project, tested with pytest + coverage for real (test support).

``run_pytest`` runs the project's own tests in a subprocess with pytest-cov and returns the
real JUnit XML, Cobertura XML and coverage.py JSON reports they write.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CORE = '''"""Calculator."""


def add(a, b):  # REQ: CAL-1
    """Sum."""
    return a + b


def divide(a, b):
    """Quotient."""
    if b == 0:
        raise ZeroDivisionError("b is zero")
    return a / b


def unused(x):
    """Never tested."""
    if x > 1:
        return x * 2
    return x
'''

TESTS = '''"""Tests of the calculator."""

import pytest

from calc.core import add, divide


@pytest.mark.requirement("CAL-1")
def test_add():
    spare = 0
    assert add(2, 2) == {expected}


@pytest.mark.requirement("CAL-2")
@pytest.mark.parametrize("a", [1, 4])
def test_divide(a):
    assert divide(a, 1) == a


class TestEdges:
    """Requirement: CAL-3"""

    def test_zero(self):
        with pytest.raises(ZeroDivisionError):
            divide(1, 0)
'''

INI = "[pytest]\nmarkers =\n    requirement(key): the requirement a test verifies\n"


def project_files(*, add_expected: int = 4) -> dict[str, str]:
    """The project's files; ``add_expected`` other than 4 makes ``test_add`` fail."""
    return {
        "calc/__init__.py": '"""Calculator package."""\n',
        "calc/core.py": CORE,
        "tests/__init__.py": "",
        "tests/test_core.py": TESTS.replace("{expected}", str(add_expected)),
        "pytest.ini": INI,
        "requirements.txt": "jinja2==2.11.3\nrequests==2.31.0\nurllib3==1.26.17\nPyYAML==5.3.1\n",
    }


@dataclass(frozen=True)
class Reports:
    junit: bytes
    cobertura: bytes
    coverage_json: bytes


def run_pytest(project: Path) -> Reports:
    """Run the project's tests with coverage in a subprocess and read the reports back."""
    out = project / ".reports"
    out.mkdir(exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-p",
            "no:xdist",
            f"--junitxml={out / 'junit.xml'}",
            "--cov=calc",
            f"--cov-report=xml:{out / 'coverage.xml'}",
            f"--cov-report=json:{out / 'coverage.json'}",
            "tests",
        ],
        cwd=project,
        check=False,  # a failing test is a result, not an error
        capture_output=True,
    )
    return Reports(
        (out / "junit.xml").read_bytes(),
        (out / "coverage.xml").read_bytes(),
        (out / "coverage.json").read_bytes(),
    )

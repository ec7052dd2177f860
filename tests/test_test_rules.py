"""The suite's own rules: no fixed sleeps and no stopwatch assertions in tests.

A sleep guesses how long something takes and a stopwatch assertion measures the machine,
not the code; both fail on a loaded CI machine and pass on a broken one. Tests wait on
conditions (``tests/waiting.py``), move injectable clocks, or count work instead; speed
claims live in ``benchmarks/``. Code that a test runs in a child process (a string) is
not a test's own wait and is not looked at.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
CLOCKS = {"monotonic", "perf_counter", "time", "process_time", "monotonic_ns", "perf_counter_ns"}


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            return func.attr
        if isinstance(func, ast.Name):
            return func.id
    return None


def _reads_clock(node: ast.AST) -> bool:
    return any(_call_name(inner) in CLOCKS for inner in ast.walk(node))


def offences(source: str) -> list[str]:
    """``line: what`` for each sleep call and each assertion that compares a clock reading."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if _call_name(node) == "sleep":
            found.append(f"{node.lineno}: sleep()")  # type: ignore[attr-defined]
        if isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare) and _reads_clock(node.test):
            found.append(f"{node.lineno}: assertion on a clock reading")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def _test_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "samples" not in p.parts)


@pytest.mark.parametrize("path", _test_files(), ids=lambda p: str(p.relative_to(TESTS)))
def test_no_sleeps_or_stopwatches(path: Path) -> None:
    assert offences(path.read_text(encoding="utf-8")) == []


def test_the_rule_sees_what_it_forbids() -> None:
    source = (
        "import time\n"
        "time.sleep(1)\n"
        "started = time.monotonic()\n"
        "assert time.monotonic() - started < 3\n"
        "script = 'time.sleep(60)'\n"
    )
    assert sorted(offences(source)) == ["2: sleep()", "4: assertion on a clock reading"]

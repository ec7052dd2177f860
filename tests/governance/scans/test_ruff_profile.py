"""A profile chooses the ruff engine; a profile that does not keeps exactly its results."""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance.registry.models import Module
from governance.scans.judge import scanners_run
from governance.scans.models import Finding, StandardResult
from standards.loader import load_builtin_standards
from standards.profile_model import EffectiveProfile
from standards.profiles import builtin_profiles, effective_profile

pytestmark = pytest.mark.slow


def _findings(database, scan_id: int) -> list[Finding]:
    with database.session() as session:
        return list(session.exec(select(Finding).where(Finding.scan_id == scan_id)))


def _rule_statuses(database, scan_id: int) -> dict[str, str]:
    with database.session() as session:
        rows = session.exec(select(StandardResult).where(StandardResult.scan_id == scan_id)).all()
    return {rule["rule"]: rule["status"] for row in rows for rule in row.rules}


def test_default_profile_runs_no_ruff(database, pay_module, scan_now) -> None:
    scan = scan_now(pay_module)
    tools = {f.tool for f in _findings(database, scan.id)}
    assert "ruff" not in tools and {"pylint", "bandit"} <= tools
    assert "ruff" not in scan.metrics["seconds_by_scanner"]


CHECKS = 'def check(value):\n    """Check a value."""\n    assert value\n    return value\n'


def test_fast_profile_reports_ruff_with_measured_twins_and_marks_what_it_cannot_measure(
    database, pay_module, scan_now, vendor_repo
) -> None:
    vendor_repo.commit("PAY-2: checks", {"src/pay/checks.py": CHECKS})
    with database.session() as session:
        module = session.exec(select(Module)).one()
        module.profile = "fast"
        session.add(module)
    scan = scan_now(pay_module)
    found = _findings(database, scan.id)
    assert {f.tool for f in found} >= {"ruff"} and not {"pylint", "bandit"} & {f.tool for f in found}
    rules = {f.tool_rule: f.rule for f in found if f.tool == "ruff"}
    assert rules["S101"] == "bandit:B101"  # measured identical: counted as bandit's by DEV-011
    assert rules["F401"] == "ruff:F401"  # not measured identical to pylint's W0611: its own id
    assert rules["S608"] == "ruff:S608"  # nor S608 to bandit's B608
    statuses = _rule_statuses(database, scan.id)
    assert statuses["DEV-001"] == "not_applicable"  # no pylint score without pylint
    assert statuses["DEV-009"] == "not_applicable"  # unused imports: no twin ran
    assert statuses["DAT-010"] == "not_applicable"  # B608 has no identical twin
    assert statuses["DEV-006"] == "fail"  # the secrets scanner still runs and finds the password


def _builtin(profile_id: str) -> EffectiveProfile:
    return effective_profile(profile_id, profiles=builtin_profiles(), catalogue=load_builtin_standards())


def test_scanners_run_is_none_unless_a_profile_switches_a_scanner_off() -> None:
    assert scanners_run(_builtin("default")) is None and scanners_run(_builtin("legacy")) is None
    ran = scanners_run(_builtin("fast"))
    assert ran is not None and "pylint" not in ran and "bandit" not in ran
    assert {"ruff", "lizard", "secrets", "pylint:R0913", "bandit:B101"} <= ran

"""Ticket rules in profiles: strict, merged down the chain, outside the judging digest."""

from __future__ import annotations

import pytest

from standards.errors import StandardError
from standards.profiles import effective_profile, profile_digest
from tests.standards.test_standards_profiles import Cat, Profs, prof, resolve


def test_builtin_profiles_carry_ticket_rules(catalogue: Cat, profiles: Profs) -> None:
    default = effective_profile("default", profiles=profiles, catalogue=catalogue).tickets
    legacy = effective_profile("legacy", profiles=profiles, catalogue=catalogue).tickets
    assert (default.open_on.gate_failed, default.open_on.new_findings_at_or_above) == (True, "critical")
    assert default.days_for("blocker") == 3 and default.days_for("critical") == 7
    assert (legacy.open_on.gate_failed, legacy.open_on.new_findings_at_or_above) == (False, "major")
    assert legacy.sla_days == default.sla_days, "the SLA table is inherited"


def test_sla_merges_severity_by_severity_and_does_not_change_the_digest(
    catalogue: Cat, profiles: Profs
) -> None:
    pid, known = resolve(
        catalogue, profiles, "id: fast\nextends: default\ntickets:\n  sla_days: {critical: 2}\n"
    )
    fast = effective_profile(pid, profiles=known, catalogue=catalogue)
    default = effective_profile("default", profiles=profiles, catalogue=catalogue)
    assert fast.tickets.days_for("critical") == 2 and fast.tickets.days_for("major") == 30
    assert fast.tickets.open_on == default.tickets.open_on
    assert profile_digest(fast) == profile_digest(default), "ticket rules never change a verdict"


@pytest.mark.parametrize(
    "text",
    [
        "id: bad\ntickets:\n  open_on: {gate_fails: true}\n",
        "id: bad\ntickets:\n  sla_days: {urgent: 3}\n",
        "id: bad\ntickets:\n  sla_days: {critical: 0}\n",
        "id: bad\ntickets:\n  open_on: {new_findings_at_or_above: severe}\n",
    ],
)
def test_misspelt_or_out_of_range_ticket_rules_are_errors(text: str) -> None:
    with pytest.raises(StandardError):
        prof(text)

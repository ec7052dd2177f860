"""What a finding row stores beside its English message: the wording, except for a secret's."""

from __future__ import annotations

from governance.scans.persist import stored_wording
from scanners.base import Finding
from scanners.wording import worded

CYCLE = worded("import cycle: %(cycle)s", cycle="a.py -> b.py -> a.py")


def _finding(rule: str) -> Finding:
    return Finding(rule, rule.split(":")[0], "x", "major", "a.py", 1, 1, str(CYCLE), "f" * 40, CYCLE)


def test_a_wording_is_stored_as_json_but_never_for_a_secret_rule() -> None:
    assert stored_wording(_finding("repository:import-cycle")) == CYCLE.as_json()
    # a secret's message is shown only through the mask: its values must not go round it
    assert stored_wording(_finding("secrets:Secret Keyword")) is None
    assert stored_wording(_finding("bandit:B105")) is None

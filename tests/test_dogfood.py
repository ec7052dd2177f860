"""Govern passes its own standards: the repository (its committed HEAD) scanned by Govern
under dogfood/govern-self.yaml passes the gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from dogfood.check import problems, scan_self

pytestmark = pytest.mark.slow


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known and reported (2026-12-04): at this commit Govern fails its own gate — 2 blocker and "
        "5 critical new findings, duplicate code between the newly merged areas (DES-005), two "
        "import cycles fixed but pylint errors and bandit B105 false positives in the new pages "
        "remain. Strict: the day it passes, this marker must go."
    ),
)
def test_govern_passes_its_own_gate(tmp_path: Path) -> None:
    document = scan_self(data_dir=tmp_path / "data")
    assert document["scan"]["status"] == "complete"
    assert document["gate"]["passed"], "\n".join(problems(document))

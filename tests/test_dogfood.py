"""Govern passes its own standards: the repository (its committed HEAD) scanned by Govern
under dogfood/govern-self.yaml passes the gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from dogfood.check import problems, scan_self

pytestmark = pytest.mark.slow


def test_govern_passes_its_own_gate(tmp_path: Path) -> None:
    document = scan_self(data_dir=tmp_path / "data")
    assert document["scan"]["status"] == "complete"
    assert document["gate"]["passed"], "\n".join(problems(document))

"""What a worker does around one unit: the collector's thresholds while it runs."""

from __future__ import annotations

import gc

import pytest

from governance.executors import work
from governance.scans.units import WorkUnit
from scanners.base import Batch, ScanResult, SourceFile


class _Recording:
    """A scanner that notes the collector's thresholds it ran under."""

    seen: tuple[int, int, int] | None = None

    def scan(self, batch: Batch) -> ScanResult:
        self.seen = gc.get_threshold()
        return ScanResult()


def test_a_unit_runs_with_fewer_collections_and_gives_the_thresholds_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scanner = _Recording()
    monkeypatch.setattr(work, "scanner_for", lambda unit: scanner)
    unit = WorkUnit("recording", {}, (SourceFile("a.py", b"x = 1\n", None),), (), {"a.py": "k"})
    before = gc.get_threshold()
    result = work.run_unit(unit)
    assert scanner.seen == work.UNIT_GC_THRESHOLD != before
    assert gc.get_threshold() == before
    assert set(result.per_file) == {"a.py"}


def test_the_thresholds_come_back_when_the_scanner_crashes(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(unit: WorkUnit) -> _Recording:
        raise RuntimeError("boom")

    monkeypatch.setattr(work, "scanner_for", crash)
    before = gc.get_threshold()
    result = work.run_unit(WorkUnit("x", {}, (SourceFile("a.py", b"", None),), (), {"a.py": "k"}))
    assert gc.get_threshold() == before
    assert "scanner crashed" in result.per_file["a.py"]["skipped"][0]["reason"]

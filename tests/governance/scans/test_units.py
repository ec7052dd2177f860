"""Work units survive the JSON transport byte for byte; results split per file."""

from __future__ import annotations

from governance.scans.units import UnitResult, WorkUnit, split_by_file
from scanners.base import Finding, ScanResult, Skip, SourceFile


def test_unit_round_trips_binary_content() -> None:
    unit = WorkUnit(
        "pylint",
        {"a": 1},
        (SourceFile("x.py", b"\xff\x00print(1)\n", "b1"),),
        (SourceFile("y.py", "é = 1\n".encode(), "b2"),),
        {"x.py": "k1"},
    )
    assert WorkUnit.from_json(unit.to_json()) == unit


def test_split_by_file_caches_timeouts_but_not_lost_workers() -> None:
    finding = Finding("bandit:B105", "bandit", "B105", "minor", "a.py", 3, 3, "password", "fp1")
    result = ScanResult(
        (finding,),
        {"a.py": {"sloc": 4}},
        (Skip("b.py", "bandit", "worker lost while scanning"), Skip("c.py", "bandit", "timed out after 60s")),
    )
    per_file, uncacheable = split_by_file(result, ("a.py", "b.py", "c.py", "d.py"))
    assert per_file["a.py"]["findings"][0]["rule"] == "bandit:B105"
    assert per_file["a.py"]["metrics"] == {"sloc": 4}
    assert per_file["d.py"] == {"findings": [], "metrics": {}, "skipped": []}
    assert uncacheable == ["b.py"]
    restored = UnitResult.from_json(UnitResult("bandit", per_file, {"a.py": "k"}, 1.5, ("b.py",)).to_json())
    assert restored.per_file == per_file and restored.uncacheable == ("b.py",)


def test_unit_results_carry_the_workers_peak_memory() -> None:
    from governance.executors.work import run_unit

    unit = WorkUnit("radon", {}, (SourceFile("a.py", b"x = 1\n", "b"),), (), {"a.py": "k"})
    result = run_unit(unit)
    assert result.peak_mib > 1 and UnitResult.from_json(result.to_json()).peak_mib == result.peak_mib

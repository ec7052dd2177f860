"""radon: pure parsing of ``radon cc -j`` / ``radon mi -j``, then the real tool."""

from __future__ import annotations

import pytest

from scanners.base import Batch, SourceFile
from scanners.radon_scanner import RadonScanner, parse_cc, parse_mi
from tests.scanners.scanner_samples import output


def test_parse_cc_none() -> None:
    assert output("radon_cc_none.json") == {}  # radon prints nothing for block-less files
    blocks = output("radon_cc_many.json")["pkg/flawed.py"]
    assert parse_cc("pkg/flawed.py", blocks, min_rank="D") == []


def test_parse_cc_reports_rank_c_and_worse_only() -> None:
    blocks = output("radon_cc_many.json")["pkg/flawed.py"]
    assert len(blocks) == 3
    (draft,) = parse_cc("pkg/flawed.py", blocks)
    assert (draft.rule, draft.severity, draft.line, draft.end_line) == (
        "radon:CC-C",
        "minor",
        20,
        42,
    )
    assert draft.message == "function branchy has cyclomatic complexity 13 (rank C)"
    assert len(parse_cc("pkg/flawed.py", blocks, min_rank="A")) == 3


def test_parse_cc_skips_classes_and_names_methods() -> None:
    blocks = [
        {"type": "class", "rank": "F", "complexity": 50, "name": "K", "lineno": 1, "endline": 9},
        {
            "type": "method",
            "rank": "E",
            "complexity": 35,
            "name": "m",
            "classname": "K",
            "lineno": 2,
            "endline": 9,
        },
    ]
    (draft,) = parse_cc("a.py", blocks)
    assert (draft.rule, draft.severity) == ("radon:CC-E", "critical")
    assert "method K.m" in draft.message


@pytest.mark.parametrize(("rank", "count"), [("A", 0), ("B", 0), ("C", 1)])
def test_parse_mi_reports_below_b(rank: str, count: int) -> None:
    assert len(parse_mi("a.py", {"mi": 5.0, "rank": rank})) == count


def test_stored_mi_output_has_no_finding() -> None:
    for path, entry in output("radon_mi.json").items():
        assert parse_mi(path, entry) == []


def test_real_radon_on_samples(python_batch: Batch) -> None:
    result = RadonScanner().scan(python_batch)
    assert [(f.path, f.rule, f.line) for f in result.findings] == [("pkg/flawed.py", "radon:CC-C", 20)]
    metrics = result.metrics["pkg/flawed.py"]
    assert metrics["cc_max"] == 13
    assert metrics["loc"] == 42
    assert metrics["mi"] == pytest.approx(output("radon_mi.json")["pkg/flawed.py"]["mi"])
    assert [s.path for s in result.skipped] == ["syntax_error.py"]


def test_threshold_is_configurable(python_batch: Batch) -> None:
    result = RadonScanner({"min_rank": "D"}).scan(python_batch)
    assert result.findings == ()


def test_low_maintainability_is_reported() -> None:
    branches = "".join(f"    if x == {i}:\n        y = x * {i} + {i} / (x - {i})\n" for i in range(120))
    source = SourceFile("big.py", f"def f(x):\n    y = 0\n{branches}    return y\n".encode())
    rules = {f.rule for f in RadonScanner().scan(Batch(files=(source,))).findings}
    assert rules == {"radon:CC-F", "radon:MI-C"}

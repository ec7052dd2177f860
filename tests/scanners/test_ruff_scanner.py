"""ruff: pure parsing of ``ruff check --output-format json``, then the real binary on real files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from scanners.base import Batch, SourceFile
from scanners.errors import ScannerConfigError
from scanners.ruff_parity import Parity, parity_table
from scanners.ruff_scanner import Reporting, RuffScanner, parse_results, reported_as
from scanners.secretmask import MASK
from tests.scanners.scanner_samples import output

#: what the stored outputs were run on: ruff printed these absolute paths
PATHS = {
    "/scan/pkg/flawed.py": "pkg/flawed.py",
    "/scan/syntax_error.py": "syntax_error.py",
    "/scan/clean.py": "clean.py",
}
OWN = Reporting(twins={}, severity={"F401": "major", "S105": "major", "S602": "major"})


@pytest.mark.parametrize(
    ("name", "count"), [("ruff_none.json", 0), ("ruff_one.json", 1), ("ruff_many.json", 3)]
)
def test_parse_counts(name: str, count: int) -> None:
    drafts, _ = parse_results(output(name), PATHS, OWN)
    assert len(drafts) == count


def test_parse_fields_and_the_unparsable_file() -> None:
    drafts, skips = parse_results(output("ruff_many.json"), PATHS, OWN)
    assert [(d.rule, d.tool, d.tool_rule, d.path, d.line) for d in drafts] == [
        ("ruff:F401", "ruff", "F401", "pkg/flawed.py", 2),
        ("ruff:S105", "ruff", "S105", "pkg/flawed.py", 7),
        ("ruff:S602", "ruff", "S602", "pkg/flawed.py", 12),
    ]
    assert drafts[0].message == "unused-import: `os` imported but unused (ruff F401)"
    assert [(s.path, s.tool) for s in skips] == [("syntax_error.py", "ruff")]  # once, not per error
    assert skips[0].reason.startswith("syntax error: line 1:")


def test_parse_reports_a_twin_under_its_id_and_severity() -> None:
    twin = Parity("S105", "bandit:B105", "code", 2, 0, 0, "minor", True)
    drafts, _ = parse_results(output("ruff_many.json"), PATHS, Reporting({"S105": twin}, OWN.severity))
    by_code = {d.tool_rule: (d.rule, d.severity) for d in drafts}
    assert by_code == {
        "F401": ("ruff:F401", "major"),
        "S105": ("bandit:B105", "minor"),
        "S602": ("ruff:S602", "major"),
    }


def test_secret_rules_are_masked_under_either_id() -> None:
    """ruff quotes what it flags: a hard-coded password's text is masked as bandit's is."""
    twin = Parity("S105", "bandit:B105", "code", 2, 0, 0, "minor", True)
    for reporting in (OWN, Reporting({"S105": twin}, OWN.severity)):
        drafts, _ = parse_results(output("ruff_one.json"), PATHS, reporting)
        assert [d.message.count(MASK) for d in drafts] == [1], drafts


def test_parse_drops_records_of_files_outside_the_batch() -> None:
    drafts, skips = parse_results(output("ruff_many.json"), {"/scan/clean.py": "clean.py"}, OWN)
    assert drafts == [] and skips == []


def _files(tmp_path: Path, files: dict[str, str]) -> Batch:
    """Real files written in a temp dir, read back as a batch (repo paths relative to it)."""
    sources = []
    for rel, text in files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        sources.append(SourceFile(rel, target.read_bytes()))
    return Batch(tuple(sources))


FLAWED = "import os\n\n\ndef check(value):\n    assert value\n    return eval(value)\n"


def test_real_ruff_finds_its_own_rule_ids(tmp_path: Path) -> None:
    batch = _files(tmp_path, {"pkg/a.py": FLAWED, "pkg/broken.py": "def f(:\n", "../escape.py": "x = 1\n"})
    result = RuffScanner({"select": ["F401", "S101", "S307"]}).scan(batch)
    assert Counter((f.path, f.rule, f.line) for f in result.findings) == Counter(
        {("pkg/a.py", "ruff:F401", 1): 1, ("pkg/a.py", "ruff:S101", 5): 1, ("pkg/a.py", "ruff:S307", 6): 1}
    )
    assert all(f.fingerprint and f.tool == "ruff" for f in result.findings)
    assert {s.path: s.reason.split(":")[0] for s in result.skipped} == {
        "pkg/broken.py": "syntax error",
        "../escape.py": "unsafe path",
    }


def test_default_selection_is_the_twin_codes_and_reports_ruff_ids(tmp_path: Path) -> None:
    scanner = RuffScanner()
    assert scanner.selection == parity_table().codes and "S101" in scanner.selection
    rules = {f.rule for f in scanner.scan(_files(tmp_path, {"a.py": FLAWED})).findings}
    assert rules == {"ruff:F401", "ruff:S101", "ruff:S307"}


def test_as_twins_reports_codes_measured_identical_under_the_twin_id(tmp_path: Path) -> None:
    identical = parity_table().identical()
    assert identical["S101"].twin == "bandit:B101" and "F401" not in identical  # as measured
    found = RuffScanner({"as_twins": True}).scan(_files(tmp_path, {"a.py": FLAWED})).findings
    by_code = {f.tool_rule: (f.rule, f.severity) for f in found}
    assert by_code == {
        "F401": ("ruff:F401", "major"),  # F401 and pylint's W0611 differ on the corpus: own id
        "S101": ("bandit:B101", identical["S101"].severity),
        "S307": ("bandit:B307", identical["S307"].severity),
    }
    assert reported_as({"as_twins": True}) >= {"ruff", "bandit:B101", "pylint:R0913"}
    assert reported_as({}) == {"ruff"}


def test_rules_come_from_ruff_and_options_change_version_and_digest() -> None:
    plain, twins = RuffScanner(), RuffScanner({"as_twins": True})
    doc = next(d for d in plain.rules() if d.id == "ruff:F401")
    assert doc.title["en"].startswith("unused-import") and "import" in doc.rationale["en"]
    assert plain.version.startswith("ruff==") and twins.version.startswith(plain.version + ";parity=")
    assert plain.config_digest != twins.config_digest
    assert plain.applies_to("a/b.py") and not plain.applies_to("a/b.sql")


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ({"select": ["F401", "XYZ999"]}, "unknown rule code"),
        ({"select": "F401"}, "list of ruff codes"),
        ({"as_twins": "yes"}, "true or false"),
        ({"colour": "red"}, "unknown option"),
    ],
)
def test_bad_options_are_clear_config_errors(config: dict[str, object], problem: str) -> None:
    with pytest.raises(ScannerConfigError, match=problem):
        RuffScanner(config)

"""bandit: pure parsing of ``bandit -f json`` results, then the real tool in-process."""

from __future__ import annotations

from collections import Counter

import pytest

from scanners.bandit_scanner import BanditScanner, parse_results
from scanners.base import Batch, SourceFile
from tests.scanners.scanner_samples import output


@pytest.mark.parametrize(
    ("name", "count"),
    [("bandit_none.json", 0), ("bandit_one.json", 1), ("bandit_many.json", 3)],
)
def test_parse_counts(name: str, count: int) -> None:
    assert len(parse_results(output(name)["results"])) == count


def test_parse_fields_keep_severity_confidence_and_cwe() -> None:
    (draft,) = parse_results(output("bandit_one.json")["results"])
    assert (draft.rule, draft.tool_rule, draft.severity) == ("bandit:B404", "B404", "minor")
    assert (draft.path, draft.line, draft.end_line) == ("./b1.py", 1, 1)
    assert "severity LOW, confidence HIGH, CWE-78" in draft.message
    assert draft.message.startswith("blacklist: ")


def test_parse_maps_severity_levels() -> None:
    severities = {d.tool_rule: d.severity for d in parse_results(output("bandit_many.json")["results"])}
    assert severities == {"B404": "minor", "B105": "minor", "B602": "critical"}


def test_real_bandit_on_samples(python_batch: Batch) -> None:
    result = BanditScanner().scan(python_batch)
    assert Counter((f.path, f.rule, f.line) for f in result.findings) == Counter(
        {
            ("pkg/flawed.py", "bandit:B404", 3): 1,
            ("pkg/flawed.py", "bandit:B105", 7): 1,
            ("pkg/flawed.py", "bandit:B602", 12): 1,
        }
    )
    (skip,) = result.skipped  # pylint reports the syntax error once, as E0001
    assert skip.path == "syntax_error.py"
    assert skip.reason.startswith("syntax error: line 1")


def test_hostile_files_and_nosec() -> None:
    batch = Batch(
        files=(
            SourceFile("bin.py", b"\x00\x01"),
            SourceFile("latin.py", "x = 'caf\u00e9'\n".encode("latin-1")),
            SourceFile("nosec.py", b"import subprocess  # nosec\n"),
        )
    )
    result = BanditScanner().scan(batch)
    assert result.findings == ()
    assert [s.path for s in result.skipped] == ["bin.py", "latin.py"]


def test_a_crash_on_one_file_skips_only_that_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from bandit.core import manager

    real = manager.BanditManager._execute_ast_visitor

    def crashing(self: object, fname: str, *args: object) -> object:
        if fname == "bad.py":
            raise ValueError("plugin bug")
        return real(self, fname, *args)

    monkeypatch.setattr(manager.BanditManager, "_execute_ast_visitor", crashing)
    batch = Batch(files=(SourceFile("bad.py", b"import pickle\n"), SourceFile("ok.py", b"import pickle\n")))
    result = BanditScanner().scan(batch)
    assert [(s.path, s.reason) for s in result.skipped] == [
        ("bad.py", "crash: BanditCrash: exception while scanning file")
    ]
    assert [(f.path, f.rule) for f in result.findings] == [("ok.py", "bandit:B403")]

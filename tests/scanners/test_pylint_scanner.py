"""pylint: pure parsing of json2 output, then the real tool on sample files."""

from __future__ import annotations

from collections import Counter

import pytest

from scanners.base import Batch, SourceFile
from scanners.errors import ScannerConfigError
from scanners.pylint_scanner import (
    PylintOptions,
    PylintScanner,
    aggregate_score,
    parse_messages,
    pylint_args,
)
from tests.scanners.scanner_samples import output


@pytest.mark.parametrize(
    ("name", "count"), [("pylint_none.json", 0), ("pylint_one.json", 1), ("pylint_many.json", 3)]
)
def test_parse_counts(name: str, count: int) -> None:
    drafts, skips = parse_messages(output(name)["messages"])
    assert (len(drafts), skips) == (count, [])


def test_parse_fields() -> None:
    (draft,), _ = parse_messages(output("pylint_one.json")["messages"])
    assert draft.rule == "pylint:W0611"
    assert draft.tool_rule == "W0611"
    assert draft.severity == "major"
    assert (draft.path, draft.line, draft.end_line) == ("one.py", 1, 1)
    assert draft.message == "unused-import: Unused import os"


def test_parse_maps_temp_paths_and_turns_crashes_into_skips() -> None:
    records = [
        {
            "type": "fatal",
            "messageId": "F0002",
            "symbol": "astroid-error",
            "message": "boom",
            "line": 1,
            "endLine": None,
            "path": "x.py",
            "absolutePath": "/tmp/t/pkg/x.py",
        },
        {
            "type": "error",
            "messageId": "E0001",
            "symbol": "syntax-error",
            "message": "bad",
            "line": 3,
            "endLine": None,
            "path": "y.py",
            "absolutePath": "/tmp/t/pkg/y.py",
        },
    ]
    drafts, skips = parse_messages(records, {"/tmp/t/pkg/x.py": "pkg/x.py", "/tmp/t/pkg/y.py": "pkg/y.py"})
    assert [(s.path, s.reason) for s in skips] == [("pkg/x.py", "crash: astroid-error: boom")]
    assert [(d.rule, d.path, d.line, d.end_line, d.severity) for d in drafts] == [
        ("pylint:E0001", "pkg/y.py", 3, 3, "critical")
    ]


def test_cross_file_checks_are_disabled() -> None:
    args = pylint_args(PylintOptions(disable=("C0114",)), "rc")
    assert "--disable=duplicate-code,cyclic-import,C0114" in args


def test_aggregate_score_matches_pylint_formula() -> None:
    files = [
        {"pylint_statement": 10, "pylint_error": 1},
        {"pylint_statement": 10, "pylint_warning": 2},
    ]
    assert aggregate_score(files) == pytest.approx(10 - (5 + 2) / 20 * 10)
    assert aggregate_score([]) == 10.0


@pytest.mark.slow
def test_real_pylint_on_samples_uses_context_for_inference(python_batch: Batch) -> None:
    result = PylintScanner().scan(python_batch)
    rules = Counter((f.path, f.rule) for f in result.findings)
    assert rules == Counter(
        {
            ("pkg/flawed.py", "pylint:W0611"): 1,  # import os
            ("pkg/flawed.py", "pylint:E1101"): 1,  # needs helpers.py as context
            ("syntax_error.py", "pylint:E0001"): 1,
        }
    )
    assert set(result.metrics) == {"pkg/flawed.py", "syntax_error.py"}  # never context
    assert result.metrics["pkg/flawed.py"]["pylint_error"] == 1
    assert not any("govern-pylint" in f.message for f in result.findings)


@pytest.mark.slow
def test_without_context_inference_differs(python_batch: Batch) -> None:
    alone = Batch(files=python_batch.files[:1])
    rules = {f.rule for f in PylintScanner().scan(alone).findings}
    assert "pylint:E1101" not in rules
    assert "pylint:E0401" in rules  # pkg.helpers cannot be imported without context


@pytest.mark.slow
def test_results_do_not_depend_on_run_order(python_batch: Batch) -> None:
    scanner = PylintScanner()
    first = scanner.scan(python_batch)
    scanner.scan(Batch(files=python_batch.files[:1]))  # loads a different pkg.helpers view
    again = scanner.scan(python_batch)
    assert first.findings == again.findings


@pytest.mark.slow
def test_hostile_files_are_skipped_and_the_rest_is_linted() -> None:
    batch = Batch(
        files=(
            SourceFile("bin.py", b"\x00\x01\x02"),
            SourceFile("latin.py", "x = 'caf\u00e9'\n".encode("latin-1")),
            SourceFile("huge.py", b"x = 1\n" * 10),
            SourceFile("ok.py", b"import os\n"),
        )
    )
    result = PylintScanner({"max_bytes": 50}).scan(batch)
    assert sorted(s.path for s in result.skipped) == ["bin.py", "huge.py", "latin.py"]
    assert {f.rule for f in result.findings} == {"pylint:W0611", "pylint:C0114"}


@pytest.mark.slow
def test_a_crash_on_one_file_skips_only_that_file(monkeypatch: pytest.MonkeyPatch) -> None:
    # The scanner imports Run from pylint.lint when it runs (not at start-up), so it is replaced there.
    import pylint.lint as module

    real_run = module.Run

    def crashing_run(args: list[str], **kwargs: object) -> object:
        if any(a.endswith("bad.py") for a in args):
            raise RecursionError("astroid blew up")
        return real_run(args, **kwargs)

    monkeypatch.setattr(module, "Run", crashing_run)
    batch = Batch(files=(SourceFile("bad.py", b"x = 1\n"), SourceFile("ok.py", b"import os\n")))
    result = PylintScanner().scan(batch)
    assert [(s.path, s.reason) for s in result.skipped] == [
        ("bad.py", "crash: RecursionError: astroid blew up")
    ]
    assert {f.path for f in result.findings} == {"ok.py"}


@pytest.mark.slow
def test_a_hang_times_out_that_file_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import pylint.lint as module  # where the scanner takes Run from when it runs

    real_run = module.Run

    def hanging_run(args: list[str], **kwargs: object) -> object:
        if any(a.endswith("slow.py") for a in args):
            threading.Event().wait(600)  # a hang; a broken limit makes slow.py come back, not time out
        return real_run(args, **kwargs)

    monkeypatch.setattr(module, "Run", hanging_run)
    batch = Batch(files=(SourceFile("slow.py", b"x = 1\n"), SourceFile("ok.py", b"import os\n")))
    # 5 s: enough for a real run of ok.py on a loaded machine, far below the hang.
    result = PylintScanner({"timeout": 5}).scan(batch)
    assert [(s.path, s.reason.split(":")[0]) for s in result.skipped] == [("slow.py", "timeout")]
    assert {f.path for f in result.findings} == {"ok.py"}


def test_options_pylint_refuses_are_a_config_error() -> None:
    scanner = PylintScanner({"args": ["--no-such-option=1"]})
    with pytest.raises(ScannerConfigError, match="refused"):
        scanner.scan(Batch(files=(SourceFile("ok.py", b"x = 1\n"),)))


@pytest.mark.slow
def test_repeated_runs_do_not_accumulate_pylint_state() -> None:
    """A long-lived worker must stay flat: no store, importer or module kept per run."""
    import gc
    import sys

    from pylint.message.message_definition_store import MessageDefinitionStore

    scanner = PylintScanner()
    batch = Batch(files=(SourceFile("ok.py", b"import os\n"),))
    for _ in range(3):
        scanner.scan(batch)
    gc.collect()
    stores = [o for o in gc.get_objects() if isinstance(o, MessageDefinitionStore)]
    assert len(stores) <= 1
    assert not [k for k in sys.path_importer_cache if "govern-pylint-" in str(k)]


def test_units_do_not_leak_into_each_other_when_module_names_repeat() -> None:
    """Two units with the same module name but different contents, in both orders.

    Library ASTs stay cached between units (for speed); the analysed tree's modules must
    not: with a stale ``pkg.util`` the second unit would get a wrong no-member finding.
    """
    from scanners.base import Batch, SourceFile
    from scanners.pylint_scanner import PylintScanner

    def unit(helper: str) -> Batch:
        main = SourceFile(
            "pkg/main.py", b'"""Main."""\nfrom pkg import util\n\nprint(util.' + helper.encode() + b"())\n"
        )
        util = SourceFile(
            "pkg/util.py",
            b'"""Util."""\n\n\ndef ' + helper.encode() + b'():\n    """Help."""\n    return 1\n',
        )
        return Batch((main,), (util, SourceFile("pkg/__init__.py", b"")))

    scanner = PylintScanner()
    first_a, first_b = scanner.scan(unit("alpha")), scanner.scan(unit("beta"))
    second_b, second_a = scanner.scan(unit("beta")), scanner.scan(unit("alpha"))
    rules = lambda result: sorted(f.rule for f in result.findings)  # noqa: E731
    assert "pylint:E1101" not in rules(first_b)
    assert rules(first_a) == rules(second_a) and rules(first_b) == rules(second_b)


@pytest.mark.slow
def test_a_package_named_like_an_installed_one_is_read_from_the_unit() -> None:
    """A vendor tree may hold its own ``click``: the installed ``click.core`` an earlier unit
    left in astroid's cache must not answer the unit's ``from .core import Special``."""
    import astroid

    astroid.MANAGER.ast_from_module_name("click.core")  # the installed click, as an earlier unit leaves it
    own = b'"""Own click."""\nfrom .core import Special\n\n__all__ = ["Special"]\n'
    core = b'"""Core."""\n\n\nclass Special:\n    """Only here."""\n'
    batch = Batch((SourceFile("src/click/__init__.py", own),), (SourceFile("src/click/core.py", core),))
    rules = {f.rule for f in PylintScanner().scan(batch).findings}
    assert "pylint:E0611" not in rules

"""lizard: pure threshold parsing, then the real tool on a Java sample."""

from __future__ import annotations

from lizard_languages import get_reader_for

from scanners.base import Batch, SourceFile
from scanners.lizard_scanner import LizardOptions, LizardScanner, parse_functions
from tests.scanners.scanner_samples import sample


def _func(**overrides: object) -> dict[str, object]:
    base = {
        "name": "f",
        "nloc": 3,
        "ccn": 1,
        "tokens": 9,
        "parameters": 1,
        "length": 3,
        "start_line": 10,
        "end_line": 12,
    }
    return {**base, **overrides}


def test_parse_none_one_many() -> None:
    options = LizardOptions()
    assert parse_functions("a.c", [_func()], options) == []
    (one,) = parse_functions("a.c", [_func(ccn=16)], options)
    assert (one.rule, one.severity, one.line, one.end_line) == ("lizard:ccn", "major", 10, 12)
    assert one.message == "f: cyclomatic complexity 16 exceeds 15"
    many = parse_functions("a.c", [_func(ccn=16, length=1001, parameters=101)], options)
    assert [d.rule for d in many] == ["lizard:ccn", "lizard:length", "lizard:parameters"]


def test_threshold_is_exclusive_and_configurable() -> None:
    assert parse_functions("a.c", [_func(ccn=15)], LizardOptions()) == []
    assert len(parse_functions("a.c", [_func(ccn=15)], LizardOptions(ccn=14))) == 1


def test_real_lizard_on_java_sample() -> None:
    batch = Batch(files=(sample("other/Complex.java"),))
    result = LizardScanner().scan(batch)
    assert [(f.rule, f.line, f.end_line) for f in result.findings] == [("lizard:ccn", 6, 25)]
    assert "Complex::branchy" in result.findings[0].message
    metrics = result.metrics["other/Complex.java"]
    assert (metrics["functions"], metrics["ccn_max"]) == (2, 17)


def test_applies_to_non_python_code_only() -> None:
    scanner = LizardScanner()
    assert [scanner.applies_to(p) for p in ("a.java", "b.ts", "c.go", "d.py", "e.md")] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_binary_is_skipped() -> None:
    result = LizardScanner().scan(Batch(files=(SourceFile("x.c", b"\x00\x01int"),)))
    assert [(s.path, s.reason) for s in result.skipped] == [("x.c", "binary file")]


def test_applies_to_agrees_with_lizards_own_choice_of_reader() -> None:
    """Asked by suffix (memoised), the answer is lizard's on the whole path, odd names included."""
    paths = [
        "a.c", "b.C", "src/Main.java", "x.tar.gz", "Makefile", "dir.java/README", "dir.java/notes.txt",
        "lib/model.R", "lib/model.r", "q.SQL", "pkg.d/pack.pkb", "weird.c\n", "a.", ".java", "s.ts.bak",
        "page.tsx", "m.f90", "k.kts", "doc/x.md", "a.b.c.cpp", "go", "java",
    ]  # fmt: skip
    scanner = LizardScanner()
    for path in paths * 2:  # the second round is answered from the memo
        expected = not path.lower().endswith((".py", ".pyi")) and get_reader_for(path) is not None
        assert scanner.applies_to(path) is expected, path

"""Loading standard files: valid ones load, broken ones say file, line and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanners.registry import installed_rules
from scanners.rules import RuleCatalogue, rule_doc
from standards.errors import StandardError
from standards.loader import (
    check_standard_file,
    load_builtin_standards,
    load_standard,
    load_standards,
)

VALID = """\
id: development
prefix: DEV
version: "1.0"
title: {zh-CN: 研发, en: Development}
rules:
  - id: DEV-001
    title: {zh-CN: 规则, en: A rule}
    rationale: {en: Because it matters.}
    severity: major
    check:
      kind: findings
      rules: ["pylint:W0611"]
      threshold: 0
    scoring: {mode: linear, span: 10}
  - id: DEV-002
    title: {en: Second}
    rationale: {en: Also.}
    severity: minor
    check: {kind: metric, metric: radon.mi, aggregation: min, comparison: ">=", threshold: 10}
"""

M_LINE = next(line for line in VALID.splitlines() if "kind: metric" in line)


def broken(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


CASES = [
    ("yaml-syntax", broken('rules: ["pylint:W0611"]', 'rules: ["pylint:W0611"'), 13, "invalid YAML"),
    (
        "duplicate-key",
        broken("    severity: major\n", "    severity: major\n    severity: minor\n"),
        10,
        "duplicate key 'severity'",
    ),
    (
        "missing-field",
        broken("    rationale: {en: Because it matters.}\n", ""),
        6,
        "rules[0].rationale: required field is missing",
    ),
    (
        "unknown-field",
        broken("    severity: major", "    severty: major"),
        9,
        "rules[0].severty: unknown field",
    ),
    (
        "bad-rule-id",
        broken("  - id: DEV-001", "  - id: DEV-1"),
        6,
        "rules[0].id: String should match pattern",
    ),
    ("duplicate-rule-id", broken("  - id: DEV-002", "  - id: DEV-001"), 15, "rule id DEV-001 is used twice"),
    (
        "wrong-prefix",
        broken("  - id: DEV-002", "  - id: OPS-002"),
        15,
        "rule id OPS-002 does not start with the standard's prefix DEV-",
    ),
    (
        "bad-severity",
        broken("    severity: minor", "    severity: high"),
        18,
        "rules[1].severity: Input should be 'blocker', 'critical', 'major', 'minor' or 'info'",
    ),
    (
        "unknown-check-kind",
        broken("      kind: findings", "      kind: regex"),
        11,
        "rules[0].check.kind: unknown check kind 'regex'",
    ),
    (
        "missing-check-kind",
        broken("      kind: findings\n", ""),
        10,
        "rules[0].check.kind: a check needs 'kind'",
    ),
    (
        "unknown-scanner",
        broken('"pylint:W0611"', '"pyflint:W0611"'),
        12,
        "rules[0].check.rules: unknown scanner 'pyflint' in 'pyflint:W0611'",
    ),
    ("rule-without-scanner", broken('"pylint:W0611"', '"W0611"'), 12, "'W0611' is not '<scanner>:<rule>'"),
    (
        "threshold-not-a-number",
        broken("      threshold: 0", "      threshold: ten"),
        13,
        "rules[0].check.threshold: Input should be a valid integer",
    ),
    (
        "negative-threshold",
        broken("      threshold: 0", "      threshold: -1"),
        13,
        "rules[0].check.threshold: Input should be greater than or equal to 0",
    ),
    (
        "linear-without-span",
        broken("{mode: linear, span: 10}", "{mode: linear}"),
        14,
        "rules[0].scoring: scoring mode 'linear' needs 'span'",
    ),
    (
        "unknown-metric-scanner",
        broken("metric: radon.mi", "metric: foo.mi"),
        19,
        "rules[1].check.metric: unknown scanner 'foo' in metric 'foo.mi'",
    ),
    (
        "ratio-without-denominator",
        broken("aggregation: min", "aggregation: ratio"),
        19,
        "'denominator' is required with aggregation 'ratio'",
    ),
    (
        "unknown-fact",
        broken(M_LINE, "    check: {kind: fact, fact: vibes, comparison: '<=', threshold: 0}"),
        19,
        "unknown fact 'vibes'",
    ),
    (
        "unknown-fact-param",
        broken(
            M_LINE,
            "    check: {kind: fact, fact: release_tags, "
            "params: {colour: red}, comparison: '>=', "
            "threshold: 1}",
        ),
        19,
        "fact 'release_tags' takes no parameter 'colour'",
    ),
    (
        "bad-regex-param",
        broken(
            M_LINE,
            "    check: {kind: fact, fact: release_tags, "
            "params: {pattern: 'v(['}, comparison: '>=', "
            "threshold: 1}",
        ),
        19,
        "bad regular expression in 'pattern'",
    ),
    (
        "bad-glob",
        broken(M_LINE, "    check: {kind: required_file, globs: ['docs/[abc']}"),
        19,
        "bad glob 'docs/[abc': unclosed '['",
    ),
    (
        "title-without-english",
        broken("title: {en: Second}", "title: {zh-CN: 第二}"),
        16,
        "rules[1].title.en: required field is missing",
    ),
    (
        "no-rules",
        broken(VALID[VALID.index("rules:") :], "rules: []\n"),
        5,
        "rules: List should have at least 1 item",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_standard_is_located(text: str, line: int, message: str) -> None:
    with pytest.raises(StandardError) as caught:
        load_standard("std.yaml", text=text)
    matching = [e for e in caught.value.errors if message in e.message]
    assert matching, [str(e) for e in caught.value.errors]
    error = matching[0]
    assert error.path == "std.yaml"
    assert error.line == line, str(error)
    assert str(error) == f"std.yaml:{line}: {error.message}"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the file is empty"),
        ("# only a comment\n", 1, "the file is empty"),
        ("- a\n- b\n", 1, "expected a mapping of fields at the top level, got list"),
        ("just text\n", 1, "expected a mapping of fields at the top level, got str"),
        ("? [a, b]\n: 1\n", 1, "a mapping key must be a plain value"),
        (
            "id: a\n---\nid: b\n",
            2,
            "invalid YAML: expected a single document in the stream, but found another document",
        ),
        (
            "id: a\nrules:\n\t- x\n",
            3,
            "invalid YAML: while scanning for the next token, found character '\\t' that cannot "
            "start any token",
        ),
        ("id: *anchor\n", 1, "invalid YAML: found undefined alias 'anchor'"),
    ],
    ids=[
        "empty",
        "comment-only",
        "top-level-list",
        "top-level-scalar",
        "complex-key",
        "two-documents",
        "tab-indent",
        "undefined-alias",
    ],
)
def test_broken_document_shapes(text: str, line: int, message: str) -> None:
    with pytest.raises(StandardError) as caught:
        load_standard("std.yaml", text=text)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_valid_standard_loads() -> None:
    standard = load_standard("std.yaml", text=VALID)
    assert [r.id for r in standard.rules] == ["DEV-001", "DEV-002"]
    assert standard.rules[1].title.get("zh-CN") == "Second"  # English fallback


def test_all_errors_of_a_file_are_reported_in_line_order(tmp_path: Path) -> None:
    text = broken("    severity: minor", "    severity: high")
    text = text.replace("    severity: major", "    severty: major")
    path = tmp_path / "std.yaml"
    path.write_text(text, encoding="utf-8")
    errors = check_standard_file(path)
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [
        (6, "rules[0].severity"),
        (9, "rules[0].severty"),
        (18, "rules[1].severity"),
    ]
    assert all(e.path == str(path) for e in errors)


def test_third_party_scanner_is_accepted_when_named() -> None:
    text = broken('"pylint:W0611"', '"sonar:S1234"')
    with pytest.raises(StandardError, match="unknown scanner 'sonar'"):
        load_standard("std.yaml", text=text)
    declared = {
        "sonar": [rule_doc("sonar:S1234", "major", ("Sonar rule", "why", "how"))],
        "radon": installed_rules().matching("radon:*"),
    }
    assert load_standard("std.yaml", text=text, rules=RuleCatalogue.of(declared)).id == "development"


def test_unreadable_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00bad")
    assert check_standard_file(tmp_path / "missing.yaml")[0].message.startswith("cannot read file")
    assert check_standard_file(tmp_path / "bin.yaml")[0].message.startswith("cannot read file")


def test_two_files_with_one_id_are_refused(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(VALID, encoding="utf-8")
    with pytest.raises(StandardError, match="standard id 'development' is defined twice"):
        load_standards([tmp_path / "a.yaml", tmp_path / "b.yaml"])


def test_builtin_standards_are_valid() -> None:
    assert len(load_builtin_standards()) == 6

"""Every built-in rule, judged on an input that passes and one that fails.

The inputs are built from each rule's own binding (its scanner rule patterns, metric,
globs or fact), so a rule bound to the wrong thing, with the wrong comparison or an
unreachable threshold fails here.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from scanners.base import Finding
from scanners.registry import installed_rules
from standards.evaluate import evaluate
from standards.globs import PathFilter, compile_globs
from standards.loader import load_builtin_standards
from standards.profile_model import EffectiveProfile, EffectiveRule, Gate, StandardRef
from standards.results import RuleResult
from standards.schema import (
    AttestationCheck,
    FactCheck,
    FindingsCheck,
    MetricCheck,
    RequiredFileCheck,
    Rule,
    Text,
)
from tests.standards.conftest import AS_OF, make_finding
from tests.standards.std_fact_builders import BUILDERS, RATIO_FACTS

CATALOGUE = load_builtin_standards()
ALL_RULES = [(s.id, r) for s in CATALOGUE.values() for r in s.rules]
IDS = [r.id for _, r in ALL_RULES]
PATH_CANDIDATES = (
    "src/app/service.py",
    "tests/test_service.py",
    "pkg/tests/unit/x.py",
    "db/schema.sql",
    "lib/a.java",
)


def judge(standard: str, rule: Rule, **inputs: Any) -> RuleResult:
    """Evaluate a one-rule profile."""
    profile = EffectiveProfile(
        id="t",
        chain=["t"],
        standards=[StandardRef(id=standard, version="1", title=Text(en="t"))],
        rules=[EffectiveRule(standard=standard, rule=rule)],
        disabled=[],
        gate=Gate(),
    )
    return evaluate(profile, as_of=AS_OF, **inputs).rules[0]


def concrete(pattern: str) -> str:
    """A rule id the pattern matches (``pylint:E*`` -> ``pylint:E0001``)."""
    return pattern.replace("*", "0001")


def path_for(check: FindingsCheck | MetricCheck, wanted: bool = True) -> str | None:
    keep = PathFilter(check.paths, check.exclude_paths)
    return next((p for p in PATH_CANDIDATES if keep(p) is wanted), None)


def test_catalogue_has_six_standards_and_enough_rules() -> None:
    assert list(CATALOGUE) == ["design", "requirements", "development", "testing", "operations", "data"]
    assert all(len(s.rules) >= 6 for s in CATALOGUE.values())
    assert len(ALL_RULES) >= 40
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize(("standard", "rule"), ALL_RULES, ids=IDS)
def test_rule_is_bilingual_and_bound_to_known_producers(standard: str, rule: Rule) -> None:
    assert rule.title.zh_cn and rule.rationale.zh_cn and rule.rationale.en
    assert rule.id.startswith(CATALOGUE[standard].prefix + "-")
    check = rule.check
    if isinstance(check, FindingsCheck):
        assert all(installed_rules().matching(p) for p in check.rules)
    if isinstance(check, FactCheck):
        assert check.fact in BUILDERS, "every fact needs a builder in std_fact_builders"


def _findings_case(standard: str, rule: Rule, check: FindingsCheck) -> None:
    path = path_for(check)
    assert path is not None, "no candidate path is inside the rule's paths"
    for pattern in check.rules:
        bad = [
            make_finding(concrete(pattern), severity="blocker", path=path) for _ in range(check.threshold + 1)
        ]
        result = judge(standard, rule, findings=bad)
        assert result.status == "fail", pattern
        assert result.count == check.threshold + 1
        assert set(result.fingerprints) == {f.fingerprint for f in bad}
    ok: list[Finding] = [
        make_finding(concrete(check.rules[0]), severity="blocker", path=path) for _ in range(check.threshold)
    ]
    ok += [make_finding("other:unrelated", severity="blocker", path=path) for _ in range(5)]
    if check.min_severity is not None:
        ok += [
            make_finding(concrete(check.rules[0]), severity="info", path=path)
            for _ in range(check.threshold + 1)
        ]
    outside = path_for(check, wanted=False)
    if outside is not None:
        ok += [
            make_finding(concrete(check.rules[0]), severity="blocker", path=outside)
            for _ in range(check.threshold + 1)
        ]
    assert judge(standard, rule, findings=ok).status == "pass"


def _sides(comparison: str, threshold: float, step: float) -> tuple[float, float]:
    """(passing value, failing value) next to the threshold."""
    if comparison in ("<=", ">="):
        good = threshold
    else:
        good = threshold - step if comparison == "<" else threshold + step
    bad = threshold + step if comparison in ("<=", "<") else threshold - step
    return good, bad


def _metric_case(standard: str, rule: Rule, check: MetricCheck) -> None:
    path = path_for(check)
    assert path is not None
    if check.aggregation == "ratio":
        assert check.denominator is not None
        good, bad = _sides(check.comparison, check.threshold * 100, 1)
        make = lambda v: {path: {check.metric: v, check.denominator: 100.0}}  # noqa: E731
    else:
        good, bad = _sides(check.comparison, check.threshold, 1)
        make = lambda v: {path: {check.metric: v}, "other/z.py": {check.metric: good}}  # noqa: E731
    failing = judge(standard, rule, metrics=make(bad))
    assert failing.status == "fail"
    if check.aggregation in ("min", "max"):
        assert failing.offenders == (path,)
    assert judge(standard, rule, metrics=make(good)).status == "pass"
    assert judge(standard, rule, metrics={}).status == "not_applicable"


def _required_file_case(standard: str, rule: Rule, check: RequiredFileCheck) -> None:
    from standards.facts import RepositoryFacts

    present = check.globs[0].replace("**/", "").replace("**", "x").replace("*", "x")
    present = present.replace("?", "x")
    assert compile_globs(tuple(check.globs)).match(present), present
    assert check.threshold == 1
    fail = judge(standard, rule, facts=RepositoryFacts(paths=("src/app.py", "README.md")))
    assert fail.status == "fail"
    assert fail.count == 0
    ok = judge(standard, rule, facts=RepositoryFacts(paths=("src/app.py", present)))
    assert ok.status == "pass"
    assert judge(standard, rule).status == "not_applicable"


def _attestation_case(standard: str, rule: Rule) -> None:
    from standards.facts import RepositoryFacts

    def state(value: str) -> str:
        return judge(standard, rule, facts=RepositoryFacts(attestations={rule.id: value})).status  # type: ignore[dict-item]

    assert state("valid") == "pass"
    assert [state(s) for s in ("expired", "pending", "rejected", "absent")] == ["fail"] * 4
    assert judge(standard, rule, facts=RepositoryFacts(attestations={})).status == "fail"
    assert judge(standard, rule, facts=RepositoryFacts()).status == "not_applicable"


def _fact_case(standard: str, rule: Rule, check: FactCheck) -> None:
    build = BUILDERS[check.fact]
    scale = 100 if check.fact in RATIO_FACTS else 1
    threshold = check.threshold * scale
    base = math.ceil(threshold) if check.comparison.startswith(">") else math.floor(threshold)
    good, bad = _sides(check.comparison, base, 1)
    assert good >= 0 and bad >= 0, "threshold leaves no failing side"
    for value, status in ((good, "pass"), (bad, "fail")):
        result = judge(standard, rule, facts=build(int(value)))
        assert result.measured == pytest.approx(value / scale), "builder measures wrongly"
        assert result.status == status, value
    assert judge(standard, rule).status == "not_applicable"


@pytest.mark.parametrize(("standard", "rule"), ALL_RULES, ids=IDS)
def test_rule_passes_and_fails_on_its_own_binding(standard: str, rule: Rule) -> None:
    check = rule.check
    if isinstance(check, FindingsCheck):
        _findings_case(standard, rule, check)
    elif isinstance(check, MetricCheck):
        _metric_case(standard, rule, check)
    elif isinstance(check, RequiredFileCheck):
        _required_file_case(standard, rule, check)
    elif isinstance(check, AttestationCheck):
        _attestation_case(standard, rule)
    else:
        _fact_case(standard, rule, check)


# The reviewed meaning of each built-in rule: what it binds, which way it compares, where
# its threshold is. A change to a built-in standard must change this table on purpose.
MEASURED = {
    "DES-006": ("sloc", "max", "<=", 1000),
    "REQ-001": ("commits_without_requirement", "fact", "<=", 0),
    "REQ-002": ("code_commits_without_requirement", "fact", "<=", 0),
    "REQ-003": ("unknown_requirement_refs", "fact", "<=", 0),
    "REQ-004": ("requirements_unapproved_referenced", "fact", "<=", 0),
    "REQ-005": ("requirements_implemented_without_code", "fact", "<=", 0),
    "REQ-006": ("requirements_implemented_without_tests", "fact", "<=", 0),
    "DEV-001": ("pylint.score", "mean", ">=", 8),
    "DEV-003": ("radon.cc_max", "max", "<=", 20),
    "DEV-004": ("radon.mi", "min", ">=", 10),
    "DEV-007": ("unpinned_dependencies", "fact", "<=", 0),
    "DEV-013": ("vulnerable_components", "fact", "<=", 0),
    "DEV-014": ("licences_not_allowed", "fact", "<=", 0),
    "DEV-012": ("comments", "ratio", ">=", 0.05),
    "TST-001": ("test_files", "fact", ">=", 1),
    "TST-002": ("test_files_ratio", "fact", ">=", 0.2),
    "TST-003": ("requirements_tested_ratio", "fact", ">=", 0.8),
    "TST-004": ("coverage_percent", "fact", ">=", 70),
    "TST-005": ("test_markers_unknown_requirement", "fact", "<=", 0),
    "TST-008": ("requirements_not_verified", "fact", "<=", 0),
    "TST-009": ("failed_tests", "fact", "<=", 0),
    "OPS-007": ("release_tags", "fact", ">=", 1),
    "DAT-001": ("migrations_misnamed", "fact", "<=", 0),
    "DAT-002": ("migrations_modified", "fact", "<=", 0),
}
ATTESTED = {"OPS-010", "OPS-011", "DAT-011", "DAT-012"}
COUNTED = {
    "DES-004": (("repository:import-cycle", "pylint:R0401"), 0, None),
    "DES-005": (("repository:duplicate-code", "pylint:R0801"), 5, None),
    "DES-007": (("lizard:length", "pylint:R0915"), 0, None),
    "DES-008": (("pylint:R0902", "pylint:R0904", "pylint:R0913", "pylint:R0917"), 0, None),
    "DES-009": (("pylint:W0401", "pylint:W0614"), 0, None),
    "DEV-002": (("pylint:E*", "pylint:F*"), 0, None),
    "DEV-005": (("bandit:*",), 0, "critical"),
    "DEV-006": (("secrets:*", "bandit:B105", "bandit:B106", "bandit:B107"), 0, None),
    "DEV-008": (("lizard:ccn",), 0, None),
    "DEV-009": (("pylint:W0611", "pylint:W0612"), 10, None),
    "DEV-010": (("pylint:W0702", "pylint:W0718", "pylint:W0150"), 0, None),
    "DEV-011": (("bandit:*",), 5, "major"),
    "TST-007": (("pylint:E*",), 0, None),
    "DES-010": (("repository:invalid-openapi",), 0, None),
    "DES-011": (("repository:cross-module-duplicate",), 0, None),
    "OPS-003": (("pylint:W0141",), 0, None),
    "OPS-004": (("pylint:W1201", "pylint:W1202", "pylint:W1203"), 0, None),
    "OPS-005": (("bandit:B104", "bandit:B105", "bandit:B106", "bandit:B107"), 0, None),
    "OPS-008": (("bandit:B201", "bandit:B501", "bandit:B502", "bandit:B503", "bandit:B504"), 0, None),
    "DAT-003": (("sql:table-naming", "sql:column-naming"), 0, None),
    "DAT-004": (("sql:no-primary-key",), 0, None),
    "DAT-005": (("sql:select-star",), 0, None),
    "DAT-006": (("sql:destructive-ddl",), 0, None),
    "DAT-007": (("sql:sensitive-column",), 0, None),
    "DAT-009": (("sql:parse-error",), 0, None),
    "DAT-010": (("bandit:B608",), 0, None),
}


def test_catalogue_matches_the_reviewed_bindings() -> None:
    measured: dict[str, tuple[str, str, str, float]] = {}
    counted: dict[str, tuple[tuple[str, ...], int, str | None]] = {}
    required: set[str] = set()
    attested: set[str] = set()
    for _, rule in ALL_RULES:
        check = rule.check
        if isinstance(check, MetricCheck):
            measured[rule.id] = (check.metric, check.aggregation, check.comparison, check.threshold)
        elif isinstance(check, FactCheck):
            measured[rule.id] = (check.fact, "fact", check.comparison, check.threshold)
        elif isinstance(check, FindingsCheck):
            counted[rule.id] = (tuple(check.rules), check.threshold, check.min_severity)
        elif isinstance(check, AttestationCheck):
            attested.add(rule.id)
        else:
            required.add(rule.id)
    assert measured == MEASURED
    assert counted == COUNTED
    assert attested == ATTESTED
    assert required == set(IDS) - set(MEASURED) - set(COUNTED) - ATTESTED

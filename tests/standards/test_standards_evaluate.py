"""The evaluator: waivers, the new-code gate, levels, aggregations, applicability."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from standards.evaluate import evaluate
from standards.facts import RepositoryFacts
from standards.profile_model import EffectiveProfile, Gate, GateConditionSpec, NewCodeGate, OverallGate
from standards.results import Waiver
from standards.schema import Scoring
from standards.scoring import level_of, rule_score
from tests.standards.conftest import AS_OF, make_finding


def test_fingerprint_waiver_passes_the_rule_and_reports_it(
    default_profile: EffectiveProfile,
) -> None:
    bad = make_finding("pylint:E1101", severity="major")
    plain = evaluate(default_profile, as_of=AS_OF, findings=[bad]).rule("DEV-002")
    assert (plain.status, plain.count, plain.fingerprints) == ("fail", 1, (bad.fingerprint,))
    waiver = Waiver(reason="false positive", fingerprint=bad.fingerprint, expires=AS_OF)
    waived = evaluate(default_profile, as_of=AS_OF, findings=[bad], waivers=[waiver])
    result = waived.rule("DEV-002")
    assert (result.status, result.count, result.score) == ("waived", 0, 1.0)
    assert result.waived_fingerprints == (bad.fingerprint,)
    assert waived.score is not None and plain.score is not None and waived.score > plain.score


def test_expired_waiver_is_ignored_and_listed(default_profile: EffectiveProfile) -> None:
    bad = make_finding("pylint:E1101")
    old = Waiver(reason="old", fingerprint=bad.fingerprint, expires=AS_OF - timedelta(days=1))
    result = evaluate(default_profile, as_of=AS_OF, findings=[bad], waivers=[old])
    assert result.rule("DEV-002").status == "fail"
    assert result.expired_waivers == (old,)


def test_rule_waiver_passes_whole_rule_but_not_inapplicable_ones(
    default_profile: EffectiveProfile,
) -> None:
    drop = make_finding("sql:destructive-ddl", severity="blocker", path="db/V2__drop.sql")
    waivers = [
        Waiver(reason="approved by DBA", rule="DAT-006", id="W-7"),
        Waiver(reason="no report", rule="TST-004"),
    ]
    result = evaluate(
        default_profile, as_of=AS_OF, findings=[drop], waivers=waivers, new_fingerprints={drop.fingerprint}
    )
    dat = result.rule("DAT-006")
    assert (dat.status, dat.score, dat.waiver, dat.count) == ("waived", 1.0, "W-7", 1)
    assert result.rule("TST-004").status == "not_applicable"
    assert result.gate_passed, "a waived rule's new findings do not count against the gate"


def test_waiver_must_name_exactly_one_target() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Waiver(reason="x")
    with pytest.raises(ValueError, match="exactly one"):
        Waiver(reason="x", fingerprint="f", rule="DEV-001")


def test_new_code_gate_counts_only_new_unwaived_findings(default_profile: EffectiveProfile) -> None:
    legacy = [make_finding("pylint:E1101") for _ in range(50)]
    fresh = make_finding("pylint:E0602")
    kept = evaluate(default_profile, as_of=AS_OF, findings=legacy)
    assert kept.gate_passed, "legacy debt alone passes: clean as you code"
    assert kept.rule("DEV-002").status == "fail"
    worse = evaluate(
        default_profile, as_of=AS_OF, findings=[*legacy, fresh], new_fingerprints={fresh.fingerprint}
    )
    assert not worse.gate_passed
    failed = [c for c in worse.gate if not c.passed]
    assert [(c.scope, c.id, c.measured, c.threshold) for c in failed] == [
        ("new", "new.new_findings.critical", 1.0, 0.0)
    ]
    assert not worse.new_code_passed and worse.failed_conditions == tuple(failed)
    waived = evaluate(
        default_profile,
        as_of=AS_OF,
        findings=[*legacy, fresh],
        new_fingerprints={fresh.fingerprint},
        waivers=[Waiver(reason="ok", fingerprint=fresh.fingerprint)],
    )
    assert waived.gate_passed


def test_failing_blocker_caps_level_and_fails_overall_gate(
    default_profile: EffectiveProfile,
) -> None:
    secret = make_finding("secrets:AWSKeyDetector", severity="blocker")
    result = evaluate(default_profile, as_of=AS_OF, findings=[secret])
    development = next(s for s in result.standards if s.standard == "development")
    assert development.score is not None
    assert level_of(development.score, blocker_failed=False) in "ABC", "the cap must bite"
    assert development.level == "D"
    assert result.level == "D"
    assert not result.gate_passed
    assert [c.id for c in result.failed_conditions] == ["overall.failed_rules.blocker"]
    assert result.new_code_passed, "no new-code condition failed"


@pytest.mark.parametrize(
    ("score", "blocker", "level"),
    [
        (100, False, "A"),
        (90, False, "A"),
        (89.99, False, "B"),
        (75, False, "B"),
        (74.99, False, "C"),
        (60, False, "C"),
        (59.99, False, "D"),
        (40, False, "D"),
        (39.99, False, "E"),
        (0, False, "E"),
        (100, True, "D"),
        (10, True, "E"),
    ],
)
def test_level_boundaries(score: float, blocker: bool, level: str) -> None:
    assert level_of(score, blocker) == level


def test_rule_score_modes() -> None:
    linear = Scoring(mode="linear", span=10)
    assert rule_score(True, 0, linear) == 1.0
    assert rule_score(False, 5, linear) == 0.5
    assert rule_score(False, 0, linear) == 0.99
    assert rule_score(False, 50, linear) == 0.0
    assert rule_score(False, 1, Scoring()) == 0.0


def test_metric_aggregations_and_offenders(default_profile: EffectiveProfile) -> None:
    metrics = {
        "a.py": {"radon.mi": 50.0, "pylint.score": 9.0, "comments": 1.0, "sloc": 100.0},
        "b.py": {"radon.mi": 4.0, "pylint.score": 6.0, "comments": 9.0, "sloc": 100.0},
        "c.py": {"radon.mi": 8.0, "sloc": 1500.0},
    }
    result = evaluate(default_profile, as_of=AS_OF, metrics=metrics)
    mi = result.rule("DEV-004")
    assert (mi.status, mi.measured, mi.offenders) == ("fail", 4.0, ("b.py", "c.py"))
    assert result.rule("DEV-001").measured == 7.5  # mean of the files that have a score
    ratio = result.rule("DEV-012")
    assert ratio.measured == pytest.approx(10 / 200)  # files without a comment count are left out
    assert result.rule("DES-006").offenders == ("c.py",)
    assert result.rule("DEV-003").status == "not_applicable"


def test_scanners_that_did_not_run_make_their_rules_not_applicable(
    default_profile: EffectiveProfile,
) -> None:
    result = evaluate(default_profile, as_of=AS_OF, scanners_run={"pylint", "radon"})
    assert result.rule("DAT-005").status == "not_applicable"
    assert result.rule("DEV-002").status == "pass"
    assert result.rule("DEV-006").status == "not_applicable"  # secrets/bandit did not run


def test_rules_another_scanner_reports_keep_only_the_rules_they_bind_applicable(
    default_profile: EffectiveProfile,
) -> None:
    """ruff reporting pylint:R0913 (its measured twin) makes DES-008 measurable, not DEV-009."""
    ran = {"ruff", "radon", "pylint:R0913", "pylint:E0704"}
    twin = make_finding("pylint:R0913", path="src/a.py")
    result = evaluate(default_profile, as_of=AS_OF, findings=[twin], scanners_run=ran)
    assert (result.rule("DES-008").status, result.rule("DES-008").count) == ("fail", 1)
    assert result.rule("DEV-002").status == "pass"  # its E* pattern matches the E0704 twin
    assert result.rule("DEV-009").status == "not_applicable"  # W0611/W0612: no twin ran
    assert result.rule("DEV-001").status == "not_applicable"  # no pylint score without pylint


def test_custom_gate_conditions(default_profile: EffectiveProfile) -> None:
    gate = Gate(overall=OverallGate(min_score=95, min_level="A"), new=NewCodeGate(max_new_total=0))
    profile = default_profile.model_copy(update={"gate": gate})
    fresh = make_finding("pylint:W0611")
    result = evaluate(
        profile,
        as_of=AS_OF,
        findings=[fresh],
        new_fingerprints={fresh.fingerprint},
        facts=RepositoryFacts(paths=("src/a.py",)),
    )
    names = {c.id: c.passed for c in result.gate}
    assert names == {"overall.score": False, "overall.level": False, "new.new_findings": False}
    assert evaluate(profile, as_of=AS_OF).gate_passed


def test_named_conditions_per_standard_and_new_secrets(default_profile: EffectiveProfile) -> None:
    gate = Gate(
        overall=OverallGate(min_standard_level={"development": "A"}),
        conditions=[
            GateConditionSpec(id="dev-score", metric="score", threshold=99.5, standard="development"),
            GateConditionSpec(id="no-new-secret", metric="new_secrets", threshold=0),
        ],
    )
    profile = default_profile.model_copy(update={"gate": gate})
    secret = make_finding("secrets:secret-keyword", severity="blocker")
    result = evaluate(profile, as_of=AS_OF, findings=[secret], new_fingerprints={secret.fingerprint})
    by_id = {c.id: c for c in result.gate}
    assert list(by_id) == ["development.level", "dev-score", "no-new-secret"]
    assert (by_id["development.level"].measured, by_id["development.level"].passed) == ("D", False)
    assert by_id["development.level"].comparison == "at_least"
    assert by_id["dev-score"].standard == "development" and not by_id["dev-score"].passed
    assert (by_id["no-new-secret"].scope, by_id["no-new-secret"].measured) == ("new", 1.0)
    waived = evaluate(
        profile,
        as_of=AS_OF,
        findings=[secret],
        new_fingerprints={secret.fingerprint},
        waivers=[Waiver(reason="test key", fingerprint=secret.fingerprint)],
    )
    assert {c.id: c.passed for c in waived.gate}["no-new-secret"], "a waived secret is not counted"
    clean = evaluate(profile, as_of=AS_OF, findings=[])
    assert clean.gate_passed


def test_condition_on_a_standard_with_nothing_measured_fails(default_profile: EffectiveProfile) -> None:
    gate = Gate(conditions=[GateConditionSpec(id="x", metric="score", threshold=1, standard="nosuch")])
    profile = default_profile.model_copy(update={"gate": gate})
    condition = evaluate(profile, as_of=AS_OF).gate[0]
    assert condition.measured is None and not condition.passed


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"id": "a", "metric": "level", "threshold": 3}, "level threshold"),
        ({"id": "a", "metric": "score", "threshold": "A"}, "is a number"),
        ({"id": "a", "metric": "new_findings", "threshold": 0, "standard": "data"}, "name a standard"),
        ({"id": "a", "metric": "score", "threshold": 50, "severity": "major"}, "take a severity"),
        ({"id": "Bad Id", "metric": "score", "threshold": 50}, "pattern"),
    ],
)
def test_inconsistent_condition_is_refused(spec: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        GateConditionSpec.model_validate(spec)


def test_result_is_json_ready_and_names_its_digest(default_profile: EffectiveProfile) -> None:
    waiver = Waiver(reason="x", rule="DEV-001", expires=date(2020, 1, 1))
    result = evaluate(
        default_profile,
        as_of=AS_OF,
        waivers=[waiver],
        findings=[make_finding("bandit:B608", severity="major")],
    )
    data = json.loads(json.dumps(result.as_dict()))
    assert data["as_of"] == "2026-11-25"
    assert data["expired_waivers"][0]["expires"] == "2020-01-01"
    assert len(data["profile_digest"]) == 64
    assert data["rules"][0]["rule"] == "DES-001"
    with pytest.raises(KeyError):
        result.rule("NOPE-001")

"""Properties of the evaluator: monotonic scores, harmless waivers, determinism."""

from __future__ import annotations

import random
from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanners.base import SEVERITIES, Finding
from standards.evaluate import evaluate
from standards.facts import RepositoryFacts
from standards.loader import load_builtin_standards
from standards.profiles import builtin_profiles, effective_profile
from standards.results import Evaluation, Waiver
from standards.schema import FindingsCheck
from tests.standards.conftest import AS_OF

PROFILE = effective_profile("default", profiles=builtin_profiles(), catalogue=load_builtin_standards())
BOUND = sorted(
    {
        p.replace("*", "0001")
        for r in PROFILE.rules
        if isinstance(r.rule.check, FindingsCheck)
        for p in r.rule.check.rules
    }
)
RULE_IDS = sorted(r.rule.id for r in PROFILE.rules)
POOL = [*BOUND, "pylint:C0103", "other:thing"]
PATHS = ["src/app/service.py", "tests/test_service.py", "scripts/run.py", "db/V1__a.sql"]
METRICS = {
    "src/app/service.py": {
        "radon.mi": 15.0,
        "pylint.score": 7.0,
        "sloc": 300.0,
        "comments": 3.0,
        "radon.cc_max": 12.0,
    }
}
FACTS = RepositoryFacts(paths=("src/app/service.py", "tests/test_service.py", "Dockerfile"))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# (rule, severity, path, how many): repeats reach the linear scoring spans (10..500).
finding_specs = st.tuples(
    st.sampled_from(POOL),
    st.sampled_from(SEVERITIES),
    st.sampled_from(PATHS),
    st.sampled_from([1, 1, 2, 7, 30, 120]),
)
spec_lists = st.lists(finding_specs, max_size=15)
Spec = tuple[str, str, str, int]


def build(specs: Sequence[Spec], start: int = 0) -> list[Finding]:
    """Findings for specs, fingerprints numbered from ``start``."""
    out: list[Finding] = []
    for rule, severity, path, repeat in specs:
        tool, _, tool_rule = rule.partition(":")
        for _ in range(repeat):
            fp = f"f{start + len(out)}"
            out.append(Finding(rule, tool, tool_rule, severity, path, 1, 1, "m", fp))  # type: ignore[arg-type]
    return out


def run(
    findings: list[Finding], new: set[str] | frozenset[str] = frozenset(), waivers: list[Waiver] | None = None
) -> Evaluation:
    return evaluate(
        PROFILE,
        as_of=AS_OF,
        findings=findings,
        metrics=METRICS,
        facts=FACTS,
        new_fingerprints=new,
        waivers=waivers or [],
    )


def assert_not_better(worse: Evaluation, better: Evaluation) -> None:
    """Every score of ``worse`` is <= ``better``'s and its gate passes only if better's does."""
    assert worse.score is not None and better.score is not None
    assert worse.score <= better.score
    for a, b in zip(worse.standards, better.standards, strict=True):
        assert (a.score or 0) <= (b.score or 0), a.standard
    assert "ABCDE".index(worse.level or "E") >= "ABCDE".index(better.level or "E")
    assert not worse.gate_passed or better.gate_passed


@SETTINGS
@given(spec_lists, spec_lists, st.data())
def test_more_findings_never_raise_a_score(
    base_specs: list[Spec], extra_specs: list[Spec], data: st.DataObject
) -> None:
    base = build(base_specs)
    extra = build(extra_specs, start=len(base))
    everything = base + extra
    new = set(
        data.draw(
            st.sets(st.sampled_from([f.fingerprint for f in everything])) if everything else st.just(set())
        )
    )
    assert_not_better(run(everything, new), run(base, new & {f.fingerprint for f in base}))


@SETTINGS
@given(spec_lists.filter(bool), st.data())
def test_more_severe_findings_never_raise_a_score(specs: list[Spec], data: st.DataObject) -> None:
    upgraded = [
        (rule, SEVERITIES[data.draw(st.integers(0, SEVERITIES.index(sev)))], path, repeat)
        for rule, sev, path, repeat in specs
    ]
    new = {f"f{i}" for i in range(0, sum(s[3] for s in specs), 2)}
    assert_not_better(run(build(upgraded), new), run(build(specs), new))


@SETTINGS
@given(spec_lists, st.data())
def test_waivers_never_lower_a_score(specs: list[Spec], data: st.DataObject) -> None:
    findings = build(specs)
    fps = [f.fingerprint for f in findings]
    waived_fps = data.draw(st.sets(st.sampled_from(fps)) if fps else st.just(set()))
    waived_rules = data.draw(st.sets(st.sampled_from(RULE_IDS), max_size=5))
    waivers = [Waiver(reason="r", fingerprint=fp) for fp in sorted(waived_fps)]
    waivers += [Waiver(reason="r", rule=rule) for rule in sorted(waived_rules)]
    new = set(fps[::3])
    assert_not_better(run(findings, new), run(findings, new, waivers))


@SETTINGS
@given(spec_lists, st.integers(0, 2**32))
def test_evaluation_is_deterministic(specs: list[Spec], seed: int) -> None:
    findings = build(specs)
    new = {f.fingerprint for f in findings[::2]}
    first = run(findings, new)
    assert run(findings, set(new)).as_dict() == first.as_dict()
    shuffled = findings[:]
    random.Random(seed).shuffle(shuffled)
    other = run(shuffled, new)
    assert (other.score, other.level, other.gate) == (first.score, first.level, first.gate)
    for a, b in zip(first.rules, other.rules, strict=True):
        assert (a.status, a.count, a.score, sorted(a.fingerprints)) == (
            b.status,
            b.count,
            b.score,
            sorted(b.fingerprints),
        )


LEGACY = effective_profile("legacy", profiles=builtin_profiles(), catalogue=load_builtin_standards())


@SETTINGS
@given(spec_lists)
def test_legacy_module_passes_its_gate_by_not_getting_worse(specs: list[Spec]) -> None:
    findings = build(specs)
    result = evaluate(LEGACY, as_of=AS_OF, findings=findings, metrics=METRICS, facts=FACTS)
    assert result.gate_passed
    # The new-code gate classifies by the *rule's* severity (the profile decides it).
    if any(
        r.kind == "findings" and r.count and r.severity in ("blocker", "critical", "major")
        for r in result.rules
    ):
        worse = evaluate(
            LEGACY,
            as_of=AS_OF,
            findings=findings,
            metrics=METRICS,
            facts=FACTS,
            new_fingerprints={f.fingerprint for f in findings},
        )
        assert not worse.gate_passed

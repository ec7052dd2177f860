"""Evaluation: findings + metrics + repository facts -> rule results, scores, gate.

A pure function of its inputs (``as_of`` is passed in, never read from the clock), so a
stored scan can be re-judged and the same inputs always give the same verdict. The
scoring rules are documented in :mod:`standards.scoring`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from standards.facts import RepositoryFacts
from standards.measure import (
    FindingIndex,
    Measured,
    measure_attestation,
    measure_fact,
    measure_findings,
    measure_metric,
    measure_required_file,
)
from standards.profile_model import EffectiveProfile, EffectiveRule
from standards.profiles import profile_digest
from standards.results import Evaluation, FindingLike, RuleResult, Waiver
from standards.schema import SECRETS_SCANNER, AttestationCheck, FindingsCheck, MetricCheck, RequiredFileCheck
from standards.scoring import (
    GateInputs,
    compare,
    excess,
    gate_conditions,
    overall,
    rule_score,
    standard_result,
)


@dataclass(frozen=True, slots=True)
class _Inputs:
    index: FindingIndex
    metrics: Mapping[str, Mapping[str, float]]
    facts: RepositoryFacts | None
    new: frozenset[str]
    waived: frozenset[str]
    scanners_run: frozenset[str] | None


def evaluate(
    profile: EffectiveProfile,
    *,
    as_of: date,
    findings: Iterable[FindingLike] = (),
    metrics: Mapping[str, Mapping[str, float]] | None = None,
    facts: RepositoryFacts | None = None,
    new_fingerprints: Collection[str] = (),
    waivers: Iterable[Waiver] = (),
    scanners_run: Collection[str] | None = None,
    digest: str | None = None,
) -> Evaluation:
    """Judge one scan by an effective profile.

    ``new_fingerprints``: fingerprints of findings that are new since the baseline (from
    issue tracking); the "new" gate counts only those. ``scanners_run``: when given (scanner
    names, and single rule ids one scanner reports for another: ``pylint:R0913``), findings
    rules none of whose patterns can match what ran are *not applicable* rather than passing.
    ``digest`` may be passed when already computed (it is otherwise computed here).
    """
    given = tuple(waivers)
    active = [w for w in given if w.active(as_of)]
    expired = tuple(w for w in given if not w.active(as_of))
    rule_waivers: dict[str, Waiver] = {}
    for waiver in active:
        if waiver.rule is not None:
            rule_waivers.setdefault(waiver.rule, waiver)
    inputs = _Inputs(
        index=FindingIndex(findings),
        metrics=metrics or {},
        facts=facts,
        new=frozenset(new_fingerprints),
        waived=frozenset(w.fingerprint for w in active if w.fingerprint is not None),
        scanners_run=frozenset(scanners_run) if scanners_run is not None else None,
    )
    results: list[RuleResult] = []
    new_by_severity: dict[str, set[str]] = {}
    for effective in profile.rules:
        result, new = _rule(effective, inputs)
        rule_waiver = rule_waivers.get(effective.rule.id)
        if rule_waiver is not None and result.status != "not_applicable":
            result, new = _waive(result, rule_waiver), frozenset()
        new_by_severity.setdefault(result.severity, set()).update(new)
        new_by_severity.setdefault("*", set()).update(new)
        results.append(result)
    secrets = _new_secrets(inputs)
    return _verdict(profile, results, new_by_severity, secrets, as_of, expired, digest)


def _new_secrets(inputs: _Inputs) -> int:
    """New, unwaived findings of a secrets scanner (rule ids ``secrets:*``), any rule binding them or not."""
    return sum(
        1
        for group in inputs.index.matching((f"{SECRETS_SCANNER}:*",))
        for finding in group
        if finding.fingerprint in inputs.new and finding.fingerprint not in inputs.waived
    )


def _verdict(
    profile: EffectiveProfile,
    results: list[RuleResult],
    new_by_severity: dict[str, set[str]],
    new_secrets: int,
    as_of: date,
    expired: tuple[Waiver, ...],
    digest: str | None,
) -> Evaluation:
    standards = tuple(
        standard_result(s.id, [r for r in results if r.standard == s.id]) for s in profile.standards
    )
    score, level = overall(standards, results)
    counts = {severity: len(fps) for severity, fps in new_by_severity.items()}
    gate = gate_conditions(
        profile.gate,
        GateInputs(score, level, standards, results, counts, new_secrets),
    )
    return Evaluation(
        profile=profile.id,
        profile_digest=digest or profile_digest(profile),
        as_of=as_of,
        rules=tuple(results),
        standards=standards,
        score=score,
        level=level,
        gate_passed=all(c.passed for c in gate),
        gate=gate,
        expired_waivers=expired,
    )


def _waive(result: RuleResult, waiver: Waiver) -> RuleResult:
    """A whole rule waived: counts as passed, reported as waived, with the waiver named."""
    return replace(result, status="waived", score=1.0, waiver=waiver.id or waiver.reason)


def _rule(effective: EffectiveRule, inputs: _Inputs) -> tuple[RuleResult, frozenset[str]]:
    """Evaluate one rule; also return the new (unwaived) fingerprints behind it."""
    check = effective.rule.check
    if isinstance(check, FindingsCheck):
        return _findings_rule(effective, check, inputs)
    if isinstance(check, MetricCheck):
        measured = measure_metric(check, inputs.metrics)
        return _compared(effective, measured, check.comparison), frozenset()
    if isinstance(check, RequiredFileCheck):
        measured = measure_required_file(check, inputs.facts)
        result = _compared(effective, measured, ">=")
        if measured.value is not None:
            result = replace(result, count=int(measured.value))
        return result, frozenset()
    if isinstance(check, AttestationCheck):
        return _compared(effective, measure_attestation(effective.rule.id, inputs.facts), ">="), frozenset()
    return _compared(effective, measure_fact(check, inputs.facts), check.comparison), frozenset()


def _base(effective: EffectiveRule, comparison: str, **values: object) -> RuleResult:
    rule = effective.rule
    return RuleResult(
        rule=rule.id,
        standard=effective.standard,
        severity=rule.severity,
        kind=rule.check.kind,
        threshold=float(rule.check.threshold),
        comparison=comparison,
        weight=rule.weight(),
        title={"en": rule.title.en, "zh-CN": rule.title.get("zh-CN")},
        **values,  # type: ignore[arg-type]
    )


def _compared(effective: EffectiveRule, measured: Measured, comparison: str) -> RuleResult:
    """Result of a rule that compares one measured value with its threshold."""
    threshold = float(effective.rule.check.threshold)
    if measured.value is None:
        return _base(effective, comparison, status="not_applicable", measured=None, score=1.0)
    passed = compare(measured.value, comparison, threshold)
    beyond = excess(measured.value, comparison, threshold)
    return _base(
        effective,
        comparison,
        status="pass" if passed else "fail",
        measured=measured.value,
        score=rule_score(passed, beyond, effective.rule.scoring),
        offenders=measured.offenders,
    )


def _ran(pattern: str, scanners_run: frozenset[str]) -> bool:
    """Whether findings matching ``pattern`` could come from what ran: its scanner, or one of
    the single rule ids another scanner reports under that scanner's name."""
    if pattern.split(":", 1)[0] in scanners_run:
        return True
    return any(fnmatch.fnmatchcase(rule, pattern) for rule in scanners_run if ":" in rule)


def _findings_rule(
    effective: EffectiveRule, check: FindingsCheck, inputs: _Inputs
) -> tuple[RuleResult, frozenset[str]]:
    if inputs.scanners_run is not None and not any(_ran(p, inputs.scanners_run) for p in check.rules):
        return _base(effective, "<=", status="not_applicable", measured=None, score=1.0), frozenset()
    found = measure_findings(check, inputs.index, inputs.waived, inputs.new)
    count = len(found.kept)
    passed = count <= check.threshold
    status = "pass" if passed else "fail"
    if passed and found.waived and count + len(found.waived) > check.threshold:
        status = "waived"
    result = _base(
        effective,
        "<=",
        status=status,
        measured=float(count),
        count=count,
        score=rule_score(passed, float(count - check.threshold), effective.rule.scoring),
        new_count=len(found.new),
        waived_count=len(found.waived),
        fingerprints=tuple(found.kept),
        waived_fingerprints=tuple(found.waived),
    )
    return result, found.new

"""Scores, levels and the gate: how rule results become a verdict.

Documented so vendors can predict their grade:

- A rule scores 1 when it passes, is waived or (not counted) is not applicable. A failing
  ``binary`` rule scores 0; a failing ``linear`` rule scores ``1 - excess / span``
  (floored at 0, capped at 0.99 so a failing rule never earns full marks), where
  ``excess`` is how far the measure is beyond its threshold.
- A standard's score is ``100 * sum(weight * score) / sum(weight)`` over its applicable
  rules; the overall score is the mean of the standards that have applicable rules.
- Levels: **A** >= 90, **B** >= 75, **C** >= 60, **D** >= 40, **E** below 40; a failing
  *blocker* rule caps the level at **D** whatever the score.

All of it is monotonic: a rule's excess only grows with more (or more severe) findings,
so no score, level or gate can improve when findings are added; waivers only remove
findings or pass rules, so they can never lower a score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from standards.profile_model import Gate, GateConditionSpec
from standards.results import GateCondition, RuleResult, StandardResult
from standards.schema import Scoring

LEVELS: tuple[tuple[str, float], ...] = (("A", 90.0), ("B", 75.0), ("C", 60.0), ("D", 40.0))
LEVEL_ORDER = "ABCDE"
FAILING_CAP = 0.99


def compare(value: float, comparison: str, threshold: float) -> bool:
    """Whether ``value <comparison> threshold`` holds."""
    if comparison == "<=":
        return value <= threshold
    if comparison == "<":
        return value < threshold
    if comparison == ">=":
        return value >= threshold
    if comparison == ">":
        return value > threshold
    return value == threshold


def excess(value: float, comparison: str, threshold: float) -> float:
    """How far ``value`` is on the wrong side of ``threshold`` (0 when on the right side)."""
    if comparison in ("<=", "<"):
        return max(0.0, value - threshold)
    if comparison in (">=", ">"):
        return max(0.0, threshold - value)
    return abs(value - threshold)


def rule_score(passed: bool, beyond: float, scoring: Scoring) -> float:
    """Score 0..1 of a rule from whether it passed and how far beyond its threshold."""
    if passed:
        return 1.0
    if scoring.mode == "binary" or scoring.span is None:
        return 0.0
    return min(FAILING_CAP, max(0.0, 1.0 - beyond / scoring.span))


def level_of(score: float, blocker_failed: bool) -> str:
    """Level A-E for a score, capped at D when a blocker rule fails."""
    level = next((name for name, floor in LEVELS if score >= floor), "E")
    if blocker_failed and level < "D":
        return "D"
    return level


def standard_result(standard: str, results: Sequence[RuleResult]) -> StandardResult:
    """Aggregate one standard's rule results into its score and level."""
    applicable = [r for r in results if r.status != "not_applicable"]
    weight = sum(r.weight for r in applicable)
    score: float | None = None
    level: str | None = None
    if applicable:
        raw = sum(r.weight * r.score for r in applicable) / weight if weight else 1.0
        score = round(100.0 * raw, 2)
        level = level_of(score, _blocker_failed(applicable))
    statuses = [r.status for r in results]
    return StandardResult(
        standard=standard,
        score=score,
        level=level,
        passed=statuses.count("pass"),
        failed=statuses.count("fail"),
        waived=statuses.count("waived"),
        not_applicable=statuses.count("not_applicable"),
    )


def _blocker_failed(results: Sequence[RuleResult]) -> bool:
    return any(r.status == "fail" and r.severity == "blocker" for r in results)


def overall(
    standards: Sequence[StandardResult], results: Sequence[RuleResult]
) -> tuple[float | None, str | None]:
    """Overall score (mean of scored standards) and level."""
    scores = [s.score for s in standards if s.score is not None]
    if not scores:
        return None, None
    score = round(sum(scores) / len(scores), 2)
    return score, level_of(score, _blocker_failed(results))


@dataclass(frozen=True, slots=True)
class GateInputs:
    """What the gate's conditions measure, gathered once per evaluation."""

    score: float | None
    level: str | None
    standards: Sequence[StandardResult]
    results: Sequence[RuleResult]
    new_by_severity: Mapping[str, int]
    new_secrets: int


def gate_conditions(gate: Gate, inputs: GateInputs) -> tuple[GateCondition, ...]:
    """Measure every condition of the gate, in the gate's order."""
    return tuple(_condition(spec, inputs) for spec in gate.condition_specs())


def _condition(spec: GateConditionSpec, inputs: GateInputs) -> GateCondition:
    measured = _measure(spec, inputs)
    threshold = spec.threshold
    if spec.metric == "level":
        comparison = "at_least"
        passed = isinstance(measured, str) and _at_least(measured, str(threshold))
    elif spec.metric == "score":
        comparison = ">="
        passed = isinstance(measured, float | int) and measured >= float(threshold)
    else:
        comparison = "<="
        passed = measured is not None and float(measured) <= float(threshold)
    return GateCondition(
        id=spec.id,
        scope=spec.scope,
        metric=spec.metric,
        measured=measured,
        threshold=threshold if isinstance(threshold, str) else float(threshold),
        comparison=comparison,
        passed=passed,
        standard=spec.standard,
        severity=spec.severity,
    )


def _measure(spec: GateConditionSpec, inputs: GateInputs) -> float | str | None:
    if spec.metric in ("score", "level"):
        if spec.standard is None:
            return inputs.score if spec.metric == "score" else inputs.level
        found = next((s for s in inputs.standards if s.standard == spec.standard), None)
        if found is None:
            return None
        return found.score if spec.metric == "score" else found.level
    if spec.metric == "failed_rules":
        return float(
            sum(
                1
                for r in inputs.results
                if r.status == "fail" and (spec.severity is None or r.severity == spec.severity)
            )
        )
    if spec.metric == "new_secrets":
        return float(inputs.new_secrets)
    return float(inputs.new_by_severity.get(spec.severity or "*", 0))


def _at_least(level: str, minimum: str) -> bool:
    """Whether ``level`` is ``minimum`` or better (A is best)."""
    return LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(minimum)

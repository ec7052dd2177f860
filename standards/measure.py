"""Measuring each kind of check: findings counts, metric aggregates, files, facts.

The findings path is the hot one (a million findings per scan is normal for a big
legacy module): findings are grouped by their rule id once, a rule's patterns are
matched against the distinct rule ids rather than against every finding, and only
fingerprints (existing strings) are collected — no per-finding objects are built.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import translate

from standards.factchecks import FACTS
from standards.facts import RepositoryFacts
from standards.globs import PathFilter, compile_globs
from standards.results import FindingLike
from standards.schema import (
    SEVERITY_ORDER,
    FactCheck,
    FindingsCheck,
    MetricCheck,
    RequiredFileCheck,
)
from standards.scoring import compare, excess

OFFENDERS_LIMIT = 50


class FindingIndex:
    """Findings grouped by rule id, built once per evaluation."""

    __slots__ = ("by_rule", "keys")

    def __init__(self, findings: Iterable[FindingLike]) -> None:
        by_rule: defaultdict[str, list[FindingLike]] = defaultdict(list)
        for finding in findings:
            by_rule[finding.rule].append(finding)
        self.by_rule = dict(by_rule)
        self.keys = sorted(by_rule)

    def matching(self, patterns: tuple[str, ...]) -> list[list[FindingLike]]:
        """Groups whose rule id matches any pattern (``pylint:E*``), in rule-id order."""
        regex = re.compile("|".join(translate(p) for p in patterns))
        return [self.by_rule[key] for key in self.keys if regex.match(key)]


@dataclass(frozen=True, slots=True)
class FindingsMeasure:
    """Fingerprints behind a findings rule: counted, waived, and new (unwaived)."""

    kept: list[str]
    waived: list[str]
    new: frozenset[str]


def measure_findings(
    check: FindingsCheck,
    index: FindingIndex,
    waived: frozenset[str],
    new: frozenset[str],
) -> FindingsMeasure:
    """Fingerprints of the findings a findings check counts, split by waiver."""
    path_ok = PathFilter(check.paths, check.exclude_paths)
    severities = _at_least(check.min_severity)
    kept: list[str] = []
    for group in index.matching(tuple(check.rules)):
        if path_ok.trivial and severities is None:
            kept.extend([f.fingerprint for f in group])
            continue
        # Decide once per distinct path, then filter with set lookups only (no calls).
        paths = {f.path for f in group}
        ok_paths = paths if path_ok.trivial else {p for p in paths if path_ok(p)}
        allowed = severities if severities is not None else frozenset(SEVERITY_ORDER)
        kept.extend([f.fingerprint for f in group if f.path in ok_paths and f.severity in allowed])
    waived_here: list[str] = []
    hits = waived.intersection(kept) if waived else None
    if hits:
        waived_here = [fp for fp in kept if fp in hits]
        kept = [fp for fp in kept if fp not in hits]
    new_here = new.intersection(kept) if new else frozenset()
    return FindingsMeasure(kept, waived_here, new_here)


def _at_least(minimum: str | None) -> frozenset[str] | None:
    """Severities at or above ``minimum`` (``None`` = no severity filter)."""
    if minimum is None:
        return None
    floor = SEVERITY_ORDER[minimum]
    return frozenset(s for s, rank in SEVERITY_ORDER.items() if rank >= floor)


@dataclass(frozen=True, slots=True)
class Measured:
    """A value compared with a threshold and what is behind it (``None`` = n/a)."""

    value: float | None
    offenders: tuple[str, ...] = ()


def measure_metric(check: MetricCheck, metrics: Mapping[str, Mapping[str, float]]) -> Measured:
    """Aggregate a per-file metric; offenders are the files that break it on their own."""
    path_ok = PathFilter(check.paths, check.exclude_paths)
    name, denominator = check.metric, check.denominator
    values: list[tuple[str, float]] = []
    below = 0.0
    for path, per_file in metrics.items():
        if name in per_file and (path_ok.trivial or path_ok(path)):
            values.append((path, float(per_file[name])))
            if denominator is not None:
                below += float(per_file.get(denominator, 0.0))
    if not values:
        return Measured(None)
    numbers = [v for _, v in values]
    value = _aggregate(check.aggregation, numbers, below)
    if value is None or check.aggregation in ("sum", "ratio"):
        return Measured(value)
    bad = [
        (excess(v, check.comparison, check.threshold), p)
        for p, v in values
        if not compare(v, check.comparison, check.threshold)
    ]
    bad.sort(key=lambda item: (-item[0], item[1]))
    return Measured(value, tuple(p for _, p in bad[:OFFENDERS_LIMIT]))


def _aggregate(aggregation: str, numbers: list[float], denominator: float) -> float | None:
    if aggregation == "min":
        return min(numbers)
    if aggregation == "max":
        return max(numbers)
    if aggregation == "mean":
        return sum(numbers) / len(numbers)
    if aggregation == "sum":
        return sum(numbers)
    return sum(numbers) / denominator if denominator else None


def measure_required_file(check: RequiredFileCheck, facts: RepositoryFacts | None) -> Measured:
    """How many paths of the tree match the required globs (n/a without a tree)."""
    if facts is None:
        return Measured(None)
    regex = compile_globs(tuple(check.globs))
    return Measured(float(sum(1 for p in facts.paths if regex.match(p))))


def measure_attestation(rule_id: str, facts: RepositoryFacts | None) -> Measured:
    """1 while the rule's attestation is approved and unexpired, else 0 (n/a without a register)."""
    if facts is None or facts.attestations is None:
        return Measured(None)
    state = facts.attestations.get(rule_id, "absent")
    return Measured(1.0 if state == "valid" else 0.0, () if state == "valid" else (state,))


def measure_fact(check: FactCheck, facts: RepositoryFacts | None) -> Measured:
    """The named fact's value and offenders (n/a without facts or when unmeasurable)."""
    if facts is None:
        return Measured(None)
    result = FACTS[check.fact].measure(facts, check.resolved_params())
    return Measured(result.value, result.offenders[:OFFENDERS_LIMIT])

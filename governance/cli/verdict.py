"""The verdict as a person reads it on a terminal: failing conditions first, then the rules behind them.

Reads the scan document (the same values the JSON, the pages and the reports show), so
the CLI can never tell a different story from the other faces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from scanners.base import SEVERITIES

TOP_RULES = 5
OFFENDERS_SHOWN = 3

_METRIC = {
    "score": "score",
    "level": "level",
    "failed_rules": "failed rules",
    "new_findings": "new findings",
    "new_secrets": "new secrets",
}


def _value(value: object) -> str:
    if value is None:
        return "nothing measured"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def condition_line(condition: Mapping[str, Any]) -> str:
    """``✗ overall.failed_rules.blocker: failed rules (blocker) = 1, must be <= 0``."""
    what = _METRIC.get(condition["metric"], condition["metric"])
    qualifier = condition.get("standard") or condition.get("severity")
    if qualifier:
        what = f"{what} ({qualifier})"
    need = "at least" if condition["comparison"] == "at_least" else condition["comparison"]
    mark = "✓" if condition["passed"] else "✗"
    return (
        f"  {mark} {condition['id']} [{condition['scope']}]: {what} = {_value(condition['measured'])}, "
        f"must be {need} {_value(condition['threshold'])}"
    )


def _rank(rule: Mapping[str, Any]) -> tuple[int, float]:
    severity = rule.get("severity", "info")
    order = SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
    return order, -float(rule.get("count") or 0)


def failing_rules(standards: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Failing rules of every standard, most severe first, then by how many findings."""
    failing = [r for s in standards for r in s.get("rules", []) if r.get("status") == "fail"]
    return sorted(failing, key=_rank)


def rule_line(rule: Mapping[str, Any]) -> str:
    """``DEV-004 (critical) No high-severity security issue: 3, must be <= 0 — e.g. src/a.py``."""
    title = (rule.get("title") or {}).get("en", "")
    line = (
        f"  {rule['rule']} ({rule['severity']}) {title}: {_value(rule.get('measured'))}, "
        f"must be {rule['comparison']} {_value(rule.get('threshold'))}"
    )
    offenders = list(rule.get("offenders") or ())
    if offenders:
        shown = ", ".join(offenders[:OFFENDERS_SHOWN])
        more = len(offenders) - OFFENDERS_SHOWN
        line += f" — e.g. {shown}" + (f" (+{more} more)" if more > 0 else "")
    return line


def verdict_lines(document: Mapping[str, Any]) -> list[str]:
    """The lines `govern scan` prints after its summary line."""
    gate = document["gate"]
    conditions = gate.get("conditions", [])
    lines: list[str] = []
    if not conditions:
        lines.append("gate: the profile sets no condition")
    failed = [c for c in conditions if not c["passed"]]
    if failed:
        lines.append(f"gate FAILED on {len(failed)} of {len(conditions)} conditions:")
        lines += [condition_line(c) for c in failed]
    elif conditions:
        lines.append(f"gate passed: all {len(conditions)} conditions hold")
    rules = failing_rules(document.get("standards", []))
    if rules:
        lines.append(f"failing rules ({len(rules)}; the top {min(TOP_RULES, len(rules))}):")
        lines += [rule_line(r) for r in rules[:TOP_RULES]]
    return lines

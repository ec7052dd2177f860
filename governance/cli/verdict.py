"""The verdict as a person reads it on a terminal: failing conditions first, then the rules behind them.

Reads the scan document (the same values the JSON, the pages and the reports show), so
the CLI can never tell a different story from the other faces.  The words are in the CLI's
language; ids, values and the comparison operators are not words and stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from governance.cli.lang import _, language, translate
from scanners.base import SEVERITIES

TOP_RULES = 5
OFFENDERS_SHOWN = 3

#: A gate metric's name as a person reads it (English msgids of cli.po, translated when shown).
_METRIC = {
    "score": "score",
    "level": "level",
    "failed_rules": "failed rules",
    "new_findings": "new findings",
    "new_secrets": "new secrets",  # pragma: allowlist secret
}


def _value(value: object) -> str:
    if value is None:
        return _("nothing measured")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def condition_line(condition: Mapping[str, Any]) -> str:
    """``✗ overall.failed_rules.blocker: failed rules (blocker) = 1, must be <= 0``."""
    metric = condition["metric"]
    what = translate(_METRIC[metric]) if metric in _METRIC else metric
    qualifier = condition.get("standard") or condition.get("severity")
    if qualifier:
        what = f"{what} ({qualifier})"
    need = _("at least") if condition["comparison"] == "at_least" else condition["comparison"]
    mark = "✓" if condition["passed"] else "✗"
    return _(
        "  %(mark)s %(id)s [%(scope)s]: %(what)s = %(measured)s, must be %(need)s %(threshold)s",
        mark=mark,
        id=condition["id"],
        scope=condition["scope"],
        what=what,
        measured=_value(condition["measured"]),
        need=need,
        threshold=_value(condition["threshold"]),
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
    titles = rule.get("title") or {}
    line = _(
        "  %(rule)s (%(severity)s) %(title)s: %(measured)s, must be %(comparison)s %(threshold)s",
        rule=rule["rule"],
        severity=rule["severity"],
        title=titles.get(language()) or titles.get("en", ""),
        measured=_value(rule.get("measured")),
        comparison=rule["comparison"],
        threshold=_value(rule.get("threshold")),
    )
    offenders = list(rule.get("offenders") or ())
    if offenders:
        line += _(" — e.g. %(paths)s", paths=", ".join(offenders[:OFFENDERS_SHOWN]))
        more = len(offenders) - OFFENDERS_SHOWN
        line += _(" (+%(count)s more)", count=more) if more > 0 else ""
    return line


def verdict_lines(document: Mapping[str, Any]) -> list[str]:
    """The lines `govern scan` prints after its summary line."""
    gate = document["gate"]
    conditions = gate.get("conditions", [])
    lines: list[str] = []
    if not conditions:
        lines.append(_("gate: the profile sets no condition"))
    failed = [c for c in conditions if not c["passed"]]
    if failed:
        lines.append(
            _("gate FAILED on %(failed)s of %(total)s conditions:", failed=len(failed), total=len(conditions))
        )
        lines += [condition_line(c) for c in failed]
    elif conditions:
        lines.append(_("gate passed: all %(total)s conditions hold", total=len(conditions)))
    rules = failing_rules(document.get("standards", []))
    if rules:
        lines.append(
            _("failing rules (%(count)s; the top %(top)s):", count=len(rules), top=min(TOP_RULES, len(rules)))
        )
        lines += [rule_line(r) for r in rules[:TOP_RULES]]
    return lines

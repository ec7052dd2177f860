"""Every rule of the built-in standards binds something a built-in scanner declares (and, by
tests/scanners/test_integration.py, what a scanner reports is what it declares).

Standards are data and scanners are code owned apart; this test is the contract between
them: a renamed rule id or metric on either side fails here, not silently in production.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.scans.engine import namespaced
from scanners.base import Batch, SourceFile
from scanners.registry import build_registry, installed_rules
from standards.errors import StandardError
from standards.loader import builtin_dir, load_builtin_standards, load_standard
from standards.schema import FindingsCheck, MetricCheck

SAMPLE = b'''"""Sample."""


def add(first, second):
    """Add."""
    if first:
        return first + second
    return second
'''


def test_every_findings_binding_matches_a_rule_a_scanner_declares() -> None:
    """The loader refuses unknown bindings; this names every built-in rule's bindings at once."""
    declared = installed_rules()
    unmatched = [
        f"{rule.id}: {pattern}"
        for standard in load_builtin_standards(rules=declared).values()
        for rule in standard.rules
        if isinstance(rule.check, FindingsCheck)
        for pattern in rule.check.rules
        if not declared.matching(pattern)
    ]
    assert unmatched == []


def test_a_binding_no_scanner_declares_is_refused() -> None:
    text = (Path(builtin_dir()) / "operations.yaml").read_text(encoding="utf-8")
    broken = text.replace('"pylint:W0141"', '"pylint:W9999"')
    with pytest.raises(StandardError, match="declares no rule matching 'pylint:W9999'"):
        load_standard("operations.yaml", text=broken)


def test_every_metric_binding_is_a_metric_scanners_emit() -> None:
    registry = build_registry(enabled=["pylint", "radon"])
    batch = Batch((SourceFile("pkg/sample.py", SAMPLE),))
    emitted: set[str] = set()
    for scanner in registry.scanners:
        for values in scanner.scan(batch).metrics.values():
            emitted |= set(namespaced(scanner.name, dict(values)))
    wanted = {
        rule.check.metric
        for standard in load_builtin_standards().values()
        for rule in standard.rules
        if isinstance(rule.check, MetricCheck)
    }
    assert wanted and wanted <= emitted, wanted - emitted

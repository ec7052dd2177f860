"""Every rule of the built-in standards binds something a built-in scanner really produces.

Standards are data and scanners are code owned apart; this test is the contract between
them: a renamed rule id or metric on either side fails here, not silently in production.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from pathlib import Path

import scanners
from governance.scans.engine import namespaced
from scanners.base import Batch, SourceFile
from scanners.registry import build_project_scanners, build_registry
from standards.loader import load_builtin_standards
from standards.schema import FindingsCheck, MetricCheck

SAMPLE = b'''"""Sample."""


def add(first, second):
    """Add."""
    if first:
        return first + second
    return second
'''


def _producible_rules() -> set[str]:
    from bandit.core import extension_loader
    from pylint.lint import PyLinter

    linter = PyLinter()
    linter.load_default_plugins()
    linter.load_plugin_modules(["pylint.extensions.bad_builtin"])
    ids = {f"pylint:{message.msgid}" for message in linter.msgs_store.messages}
    ids |= {f"bandit:{test_id}" for test_id in extension_loader.MANAGER.plugins_by_id}
    for source in Path(scanners.__file__).parent.glob("*.py"):
        # rule ids appear as literals or in the documented rule lists of the module docstrings
        text = source.read_text()
        ids |= set(re.findall(r'(?:"|``)((?:sql|lizard|radon|repository):[A-Za-z-]+)(?:"|``)', text))
    return ids


def _tools() -> set[str]:
    return set(build_registry().names) | {s.name for s in build_project_scanners()}


def test_every_findings_binding_matches_a_producible_rule() -> None:
    produced, tools = _producible_rules(), _tools()
    unmatched = []
    for standard in load_builtin_standards().values():
        for rule in standard.rules:
            if not isinstance(rule.check, FindingsCheck):
                continue
            for pattern in rule.check.rules:
                tool, _, rest = pattern.partition(":")
                wildcard_tool = rest == "*" and tool in tools
                if not wildcard_tool and not any(fnmatchcase(rule_id, pattern) for rule_id in produced):
                    unmatched.append(f"{rule.id}: {pattern}")
    assert unmatched == []


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

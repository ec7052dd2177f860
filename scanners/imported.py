"""Identity of findings imported from other tools' SARIF files (not run by Govern).

An imported finding's scanner is ``sarif:<tool>`` (the SARIF ``tool.driver.name``, e.g.
``sarif:SpotBugs``) and its Govern rule id ``sarif:<tool>:<tool rule id>``, so it can never
collide with a rule of Govern's own scanners. Standards bind imported rules through a
profile's ``sarif`` bindings, whose patterns are made here with the tool name escaped.
"""

from __future__ import annotations

SARIF_PREFIX = "sarif"
MAX_TOOL_NAME = 32  # "sarif:" + name fits the findings table's tool column (40)
MAX_TOOL_RULE = 80  # the findings table's tool_rule column


def imported_tool(tool: str) -> str:
    """The scanner name shown for an imported tool (``sarif:SpotBugs``)."""
    return f"{SARIF_PREFIX}:{tool}"


def imported_rule(tool: str, rule_id: str) -> str:
    """Govern's rule id of one imported tool rule."""
    return f"{SARIF_PREFIX}:{tool}:{rule_id}"


def _escape(text: str) -> str:
    """``text`` matched literally by :mod:`fnmatch` (its metacharacters in brackets)."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def imported_pattern(tool: str, rule_pattern: str) -> str:
    """A findings-rule pattern matching ``rule_pattern`` (a glob) of ``tool`` only."""
    return f"{SARIF_PREFIX}:{_escape(tool)}:{rule_pattern}"

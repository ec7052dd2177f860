"""ruff's own rule metadata, its rule documents, and the pylint/bandit rule each code mirrors.

ruff documents every rule it implements (``ruff rule --all --output-format json``: code,
name, summary, explanation, fix availability, preview status). That list is read from the
installed binary once per process and ruff version, so the documents cannot drift from
what the binary reports.

Twins (which pylint message or bandit test a ruff code re-implements) come from that same
metadata wherever ruff states them, never from a guess:

- ``PL<id>`` codes are pylint's message ids with a ``PL`` prefix (``PLE0101`` = ``E0101``);
- ``S<n>`` codes are flake8-bandit's, numbered as bandit's tests (``S105`` = ``B105``);
- other codes whose ruff name is a pylint symbol (``F401 unused-import`` = ``W0611``);
- a short list written here (:data:`STATED_TWINS`) for the pyflakes codes whose names differ
  from pylint's symbol though the check is the same (``F821`` undefined-name = ``E0602``).

Whether a twin really reports the same findings is not assumed: it is measured on real code
by ``benchmarks/bench_ruff_parity.py`` and stored in ``scanners/ruff_parity.yaml``.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404  # runs the installed ruff binary, never a shell
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from scanners.builtin_rules import PYLINT_SEVERITY
from scanners.rules import RuleDoc, rule_doc
from scanners.severity import Severity

#: Pyflakes/pycodestyle codes whose check pylint also makes under another name.
STATED_TWINS: dict[str, str] = {
    "F821": "pylint:E0602",  # undefined-name / undefined-variable
    "F811": "pylint:E0102",  # redefined-while-unused / function-redefined
    "F601": "pylint:W0109",  # multi-value-repeated-key-literal / duplicate-key
    "F632": "pylint:R0123",  # is-literal / literal-comparison
    "F701": "pylint:E0103",  # break-outside-loop / not-in-loop
    "F702": "pylint:E0103",  # continue-outside-loop / not-in-loop
    "E711": "pylint:C0121",  # none-comparison / singleton-comparison
    "E712": "pylint:C0121",  # true-false-comparison / singleton-comparison
}

#: ruff's category of a rule -> Govern's severity, for ruff findings without a twin.
CATEGORY_SEVERITY: dict[str, Severity] = {
    "correctness": "critical",
    "security": "major",
    "suspicious": "major",
    "performance": "minor",
    "complexity": "minor",
    "pedantic": "minor",
    "style": "minor",
    "formatting": "minor",
    "restriction": "minor",
}


@dataclass(frozen=True, slots=True)
class RuffRule:
    """One rule as ``ruff rule --all`` describes it."""

    code: str
    name: str
    linter: str
    summary: str
    explanation: str
    fix: str
    category: str
    stable: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RuffRule:
        """From one entry of ``ruff rule --all --output-format json``."""
        status = data.get("status") or {}
        stable = not data.get("preview") and not (isinstance(status, Mapping) and "Removed" in status)
        return cls(
            code=str(data["code"]),
            name=str(data["name"]),
            linter=str(data.get("linter", "")),
            summary=str(data.get("summary", "")),
            explanation=str(data.get("explanation", "")),
            fix=str(data.get("fix_availability", "None")),
            category=str(data.get("category", "")),
            stable=stable,
        )

    @property
    def severity(self) -> Severity:
        """Govern's severity of this rule's findings when reported under its own id."""
        return CATEGORY_SEVERITY.get(self.category, "minor")


def ruff_bin() -> str:
    """The ruff binary of the installed ``ruff`` distribution (the one its version names)."""
    from ruff import find_ruff_bin  # the distribution ships the binary and knows where

    return str(find_ruff_bin())


@cache
def ruff_rule_list(version: str) -> tuple[RuffRule, ...]:  # pylint: disable=unused-argument  # the cache key
    """Every rule of the installed ruff, read once per process and ruff ``version`` (the cache
    key only: an upgrade within the process reads the list again)."""
    completed = subprocess.run(  # nosec B603  # fixed arguments, no shell
        [ruff_bin(), "rule", "--all", "--output-format", "json"],
        capture_output=True,
        check=True,
        text=True,
    )
    # a few preview rules have no code yet: nothing can select or report them
    return tuple(RuffRule.from_json(entry) for entry in json.loads(completed.stdout) if entry.get("code"))


def _rationale(explanation: str) -> str:
    """The "Why is this bad?" section of ruff's explanation (the whole text if it has none)."""
    _, found, rest = explanation.partition("## Why is this bad?")
    text = rest.split("\n## ", 1)[0] if found else explanation
    return " ".join(text.split())


def ruff_docs(rules: Iterable[RuffRule]) -> tuple[RuleDoc, ...]:
    """Rule documents ``ruff:<CODE>`` from ruff's own texts (English only, as ruff writes them)."""
    return tuple(
        rule_doc(
            f"ruff:{rule.code}",
            rule.severity,
            (
                f"{rule.name}: {rule.summary}",
                _rationale(rule.explanation) or rule.summary,
                f"See ruff's page for {rule.code} (https://docs.astral.sh/ruff/rules/{rule.name}/); "
                f"automatic fix: {rule.fix.lower()}.",
            ),
            (
                None,
                None,
                f"参见 ruff 对 {rule.code} 的说明（https://docs.astral.sh/ruff/rules/{rule.name}/）。",
            ),
        )
        for rule in rules
    )


def twin_of(rule: RuffRule, pylint_symbols: Mapping[str, str], bandit_ids: Iterable[str]) -> str | None:
    """The pylint or bandit rule id ``rule`` re-implements according to ruff's metadata.

    ``pylint_symbols`` maps each pylint symbol to its message id (the messages Govern's
    pylint loads); ``bandit_ids`` are bandit's test ids.
    """
    if rule.code.startswith("PL"):
        msgid = rule.code[2:]
        return f"pylint:{msgid}" if msgid in pylint_symbols.values() else None
    if rule.linter == "flake8-bandit":
        test_id = f"B{rule.code[1:]}"
        return f"bandit:{test_id}" if test_id in set(bandit_ids) else None
    if rule.code in STATED_TWINS:
        return STATED_TWINS[rule.code]
    named = pylint_symbols.get(rule.name)
    return f"pylint:{named}" if named else None


def twin_severity(twin: str) -> Severity:
    """The severity the twin's own scanner gives a pylint message (by category letter)."""
    return PYLINT_SEVERITY.get(twin.partition(":")[2][:1], "info")

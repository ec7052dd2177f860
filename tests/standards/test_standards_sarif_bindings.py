"""Profiles bind imported tools' rules (SARIF) to standard rules: strict, located, counted."""

from __future__ import annotations

import pytest

from scanners.base import Finding
from scanners.imported import imported_rule, imported_tool
from standards.errors import ProfileError
from standards.evaluate import evaluate
from standards.profile_model import LoadedProfile
from standards.profiles import effective_profile, load_profile, profile_digest
from standards.schema import FindingsCheck, Standard
from tests.standards.conftest import AS_OF

Cat = dict[str, Standard]
Profs = dict[str, LoadedProfile]

BOUND = """id: bound
extends: default
sarif:
  - tool: SpotBugs
    rules: ["NP_*", "SQL_INJECTION"]
    rule: DEV-002
"""


def _known(profiles: Profs, *texts: str) -> dict[str, LoadedProfile]:
    known = dict(profiles)
    for text in texts:
        loaded = load_profile("p.yaml", text=text)
        known[loaded.profile.id] = loaded
    return known


def _imported(tool: str, rule: str, fp: str) -> Finding:
    return Finding(
        rule=imported_rule(tool, rule),
        tool=imported_tool(tool),
        tool_rule=rule,
        severity="major",
        path="src/A.java",
        line=3,
        end_line=3,
        message="m",
        fingerprint=fp,
    )


def test_binding_adds_patterns_and_counts_imported_results(catalogue: Cat, profiles: Profs) -> None:
    profile = effective_profile("bound", profiles=_known(profiles, BOUND), catalogue=catalogue)
    check = next(r.rule.check for r in profile.rules if r.rule.id == "DEV-002")
    assert isinstance(check, FindingsCheck)
    assert check.rules[-2:] == ["sarif:SpotBugs:NP_*", "sarif:SpotBugs:SQL_INJECTION"]
    assert [b.tool for b in profile.sarif] == ["SpotBugs"]
    findings = [
        _imported("SpotBugs", "NP_NULL_ON_SOME_PATH", "a"),
        _imported("SpotBugs", "SQL_INJECTION", "b"),
        _imported("SpotBugs", "DM_DEFAULT_ENCODING", "c"),  # not bound
        _imported("SpotBugs2", "NP_X", "d"),  # another tool with a prefix-alike name
    ]
    result = next(r for r in evaluate(profile, as_of=AS_OF, findings=findings).rules if r.rule == "DEV-002")
    assert (result.status, result.count, set(result.fingerprints)) == ("fail", 2, {"a", "b"})
    default = effective_profile("default", profiles=profiles, catalogue=catalogue)
    assert profile_digest(profile) != profile_digest(default)


def test_tool_names_are_matched_literally(catalogue: Cat, profiles: Profs) -> None:
    text = "id: odd\nsarif:\n  - {tool: 'Lint[*]', rules: ['*'], rule: DEV-002}\n"
    profile = effective_profile("odd", profiles=_known(profiles, text), catalogue=catalogue)
    findings = [_imported("Lint[*]", "x", "a"), _imported("Lintx", "x", "b")]
    result = next(r for r in evaluate(profile, as_of=AS_OF, findings=findings).rules if r.rule == "DEV-002")
    assert result.fingerprints == ("a",)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("id: x\nsarif:\n  - {tool: T, rules: ['*'], rule: DEV-999}\n", 3, "unknown rule 'DEV-999'"),
        (
            "id: x\nsarif:\n  - {tool: T, rules: ['*'], rule: DEV-001}\n",
            3,
            "DEV-001 is a metric rule: only findings rules can count imported results",
        ),
        (
            "id: x\nstandards: [testing]\nsarif:\n  - {tool: T, rules: ['*'], rule: DEV-002}\n",
            4,
            "rule DEV-002 belongs to standard 'development', which this profile does not select",
        ),
    ],
    ids=["unknown-rule", "not-a-findings-rule", "unselected-standard"],
)
def test_binding_errors_are_located(
    catalogue: Cat, profiles: Profs, text: str, line: int, message: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        effective_profile("x", profiles=_known(profiles, text), catalogue=catalogue)
    assert (caught.value.line, caught.value.message) == (line, message)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "id: x\nsarif:\n  - {tool: T, rules: [], rule: DEV-002}\n",
            3,
            "sarif[0].rules: List should have at least 1",
        ),
        (
            "id: x\nsarif:\n  - {tool: T, rules: ['*'], rule: dev-2}\n",
            3,
            "sarif[0].rule: String should match",
        ),
        (
            "id: x\nsarif:\n  - {tool: ' T', rules: ['*'], rule: DEV-002}\n",
            3,
            "sarif[0].tool: String should match",
        ),
        (
            "id: x\nsarif:\n  - {tool: T, rulez: ['*'], rule: DEV-002}\n",
            3,
            "sarif[0].rules: required field is missing",
        ),
    ],
    ids=["no-patterns", "bad-rule-id", "tool-spaces", "typo"],
)
def test_binding_schema_errors_are_located(text: str, line: int, message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile("x.yaml", text=text)
    assert caught.value.line == line
    assert caught.value.message.startswith(message), caught.value.message


def test_child_binding_replaces_parents_same_tool_and_rule(catalogue: Cat, profiles: Profs) -> None:
    child = "id: child\nextends: bound\nsarif:\n  - {tool: SpotBugs, rules: ['DM_*'], rule: DEV-002}\n"
    profile = effective_profile("child", profiles=_known(profiles, BOUND, child), catalogue=catalogue)
    check = next(r.rule.check for r in profile.rules if r.rule.id == "DEV-002")
    assert isinstance(check, FindingsCheck)
    assert [p for p in check.rules if p.startswith("sarif:")] == ["sarif:SpotBugs:DM_*"]

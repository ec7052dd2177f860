"""Profiles: selection, overrides, disabling with a reason, inheritance, digest, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from standards.errors import ProfileError, StandardError
from standards.loader import load_builtin_standards
from standards.profile_model import EffectiveProfile, LoadedProfile
from standards.profiles import (
    check_profile_file,
    effective_profile,
    load_profile,
    load_profiles,
    profile_digest,
)
from standards.schema import FindingsCheck, Standard, Text

Cat = dict[str, Standard]
Profs = dict[str, LoadedProfile]


def prof(text: str, name: str = "p") -> LoadedProfile:
    return load_profile(f"{name}.yaml", text=text)


def resolve(
    catalogue, builtin: dict[str, LoadedProfile], *texts: str
) -> tuple[str, dict[str, LoadedProfile]]:
    known = dict(builtin)
    last = ""
    for text in texts:
        loaded = prof(text, name=text.split("\n", 1)[0].split(":")[1].strip())
        known[loaded.profile.id] = loaded
        last = loaded.profile.id
    return last, known


def test_default_profile_has_every_builtin_rule(default_profile: EffectiveProfile, catalogue: Cat) -> None:
    assert [s.id for s in default_profile.standards] == list(catalogue)
    assert len(default_profile.rules) == sum(len(s.rules) for s in catalogue.values())
    assert default_profile.gate.overall.max_failed_rules == {"blocker": 0}
    assert default_profile.gate.new.max_new_findings == {"blocker": 0, "critical": 0, "major": 0}


def test_legacy_extends_default_and_relaxes_overall_gate(catalogue: Cat, profiles: Profs) -> None:
    legacy = effective_profile("legacy", profiles=profiles, catalogue=catalogue)
    assert legacy.chain == ["default", "legacy"]
    assert legacy.gate.overall.max_failed_rules == {}
    assert legacy.gate.new.max_new_findings["minor"] == 5
    attested = {r.id for s in catalogue.values() for r in s.rules if r.check.kind == "attestation"}
    assert attested == {"OPS-010", "OPS-011", "DAT-011", "DAT-012"}
    assert {d.rule for d in legacy.disabled} == attested  # attested rules are off by default here
    assert len(legacy.rules) == sum(len(s.rules) for s in load_builtin_standards().values()) - len(attested)


def test_evidence_policy_merges_down_the_chain(catalogue: Cat, profiles: Profs) -> None:
    parent = (
        "id: team\nextends: default\nevidence:\n"
        "  licences: {deny: [GPL-3.0-only]}\n  tools: {grace_days: 30}\n"
    )
    child = 'id: mod\nextends: team\nevidence:\n  tools: {versions: {pylint: "9.9"}}\n'
    pid, known = resolve(catalogue, profiles, parent, child)
    evidence = effective_profile(pid, profiles=known, catalogue=catalogue).evidence
    assert evidence.licences.deny == ["GPL-3.0-only"]
    assert (evidence.tools.grace_days, evidence.tools.versions) == (30, {"pylint": "9.9"})


def test_overrides_merge_field_by_field_down_the_chain(catalogue: Cat, profiles: Profs) -> None:
    parent = "id: team\nextends: default\noverrides:\n  DEV-009: {severity: major, threshold: 3}\n"
    child = "id: mod\nextends: team\noverrides:\n  DEV-009: {threshold: 7}\n"
    pid, known = resolve(catalogue, profiles, parent, child)
    rule = next(
        r.rule
        for r in effective_profile(pid, profiles=known, catalogue=catalogue).rules
        if r.rule.id == "DEV-009"
    )
    assert rule.severity == "major"
    assert isinstance(rule.check, FindingsCheck)
    assert rule.check.threshold == 7
    assert isinstance(rule.check.threshold, int)


def test_disable_needs_and_records_justification_and_enable_undoes_it(catalogue: Cat, profiles) -> None:
    parent = (
        "id: nodeps\nextends: default\ndisable:\n"
        "  - {rule: DEV-007, justification: Vendored wheels are pinned by the mirror.}\n"
    )
    pid, known = resolve(catalogue, profiles, parent)
    effective = effective_profile(pid, profiles=known, catalogue=catalogue)
    assert "DEV-007" not in {r.rule.id for r in effective.rules}
    [disabled] = effective.disabled
    assert (disabled.rule, disabled.profile, disabled.standard) == (
        "DEV-007",
        "nodeps",
        "development",
    )
    assert disabled.justification.startswith("Vendored")
    child = "id: again\nextends: nodeps\nenable: [DEV-007]\n"
    pid, known = resolve(catalogue, profiles, parent, child)
    again = effective_profile(pid, profiles=known, catalogue=catalogue)
    assert "DEV-007" in {r.rule.id for r in again.rules}
    assert again.disabled == []


def test_selecting_standards_keeps_only_their_rules(catalogue: Cat, profiles: Profs) -> None:
    pid, known = resolve(catalogue, profiles, "id: dataonly\nstandards: [data]\n")
    effective = effective_profile(pid, profiles=known, catalogue=catalogue)
    assert {r.standard for r in effective.rules} == {"data"}
    assert effective.gate.overall.max_failed_rules == {}


def test_gate_conditions_are_inherited_and_replaced_by_id(catalogue: Cat, profiles: Profs) -> None:
    parent = (
        "id: strict\nextends: default\ngate:\n  conditions:\n"
        "    - {id: dev, metric: level, threshold: B, standard: development}\n"
        "    - {id: tst, metric: score, threshold: 60, standard: testing}\n"
    )
    child = (
        "id: looser\nextends: strict\ngate:\n  conditions:\n    - {id: dev, metric: level, threshold: C}\n"
    )
    pid, known = resolve(catalogue, profiles, parent, child)
    effective = effective_profile(pid, profiles=known, catalogue=catalogue)
    specs = {c.id: c for c in effective.gate.condition_specs()}
    assert list(specs) == [
        "overall.failed_rules.blocker",
        "new.new_findings.blocker",
        "new.new_findings.critical",
        "new.new_findings.major",
        "dev",
        "tst",
    ]
    assert (specs["dev"].threshold, specs["dev"].standard) == ("C", None), "the child's condition replaces"
    assert specs["tst"].standard == "testing"


PROFILE_ERRORS = [
    (
        "unknown-rule",
        ["id: x\nextends: default\noverrides:\n  DEV-999: {threshold: 1}\n"],
        "x.yaml",
        4,
        "unknown rule 'DEV-999'",
    ),
    (
        "unknown-standard",
        ["id: x\nstandards:\n  - data\n  - security\n"],
        "x.yaml",
        4,
        "unknown standard 'security'; known: design, requirements, development, testing, operations, data",
    ),
    (
        "extends-unknown",
        ["id: x\ntitle: {en: X}\nextends: nope\n"],
        "x.yaml",
        3,
        "extends unknown profile 'nope'",
    ),
    (
        "extends-cycle",
        ["id: a\nextends: b\n", "id: b\n\nextends: a\n"],
        "b.yaml",
        3,
        "'extends' makes a cycle: a -> b -> a",
    ),
    ("extends-itself", ["id: x\nextends: x\n"], "x.yaml", 2, "'extends' makes a cycle: x -> x"),
    (
        "fractional-count-threshold",
        ["id: x\noverrides:\n  DEV-002:\n    threshold: 1.5\n"],
        "x.yaml",
        4,
        "threshold of DEV-002 (findings) must be a whole number >= 0, got 1.5",
    ),
    (
        "zero-required-files",
        ["id: x\noverrides:\n  OPS-001: {threshold: 0}\n"],
        "x.yaml",
        3,
        "threshold of OPS-001 (required_file) must be a whole number >= 1, got 0",
    ),
    (
        "rule-outside-selection",
        ["id: x\nstandards: [data]\ndisable:\n  - {rule: DEV-001, justification: not for us here}\n"],
        "x.yaml",
        4,
        "rule DEV-001 belongs to standard 'development', which this profile does not select",
    ),
    (
        "gate-condition-unknown-standard",
        ["id: x\ngate:\n  conditions:\n    - {id: s, metric: score, threshold: 80, standard: securty}\n"],
        "x.yaml",
        4,
        "unknown standard 'securty'; known: design, requirements, development, testing, operations, data",
    ),
    (
        "gate-shorthand-unknown-standard",
        ["id: x\ngate:\n  overall:\n    min_standard_level:\n      dta: B\n"],
        "x.yaml",
        5,
        "unknown standard 'dta'; known: design, requirements, development, testing, operations, data",
    ),
    (
        "enable-unknown",
        ["id: x\nenable: [DEV-001, ZZZ-001]\n"],
        "x.yaml",
        2,
        "unknown rule 'ZZZ-001'",
    ),
]


@pytest.mark.parametrize(
    ("texts", "path", "line", "message"),
    [c[1:] for c in PROFILE_ERRORS],
    ids=[c[0] for c in PROFILE_ERRORS],
)
def test_profile_resolution_errors_are_located(
    catalogue: Cat, profiles: Profs, texts: list[str], path: str, line: int, message: str
) -> None:
    known = dict(profiles)
    for text in texts:
        pid = text.split("\n", 1)[0].split(":")[1].strip()
        known[pid] = prof(text, name=pid)
    first = texts[0].split("\n", 1)[0].split(":")[1].strip()
    with pytest.raises(ProfileError) as caught:
        effective_profile(first, profiles=known, catalogue=catalogue)
    assert (caught.value.path, caught.value.line, caught.value.message) == (path, line, message)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "id: x\ndisable:\n  - rule: DEV-001\n",
            3,
            "disable[0].justification: required field is missing",
        ),
        (
            "id: x\ndisable:\n  - {rule: DEV-001, justification: why}\n",
            3,
            "disable[0].justification: String should have at least 10 characters",
        ),
        (
            "id: x\ngate:\n  overall:\n    min_scor: 50\n",
            4,
            "gate.overall.min_scor: unknown field (not allowed here)",
        ),
        (
            "id: x\ngate:\n  new:\n    max_new_findings: {urgent: 0}\n",
            4,
            "gate.new.max_new_findings.urgent.[key]: Input should be 'blocker'",
        ),
        ("id: X Y\n", 1, "id: String should match pattern"),
        (
            "id: x\noverrides:\n  DEV-001: {severity: huge}\n",
            3,
            "overrides.DEV-001.severity: Input should be 'blocker'",
        ),
        (
            "id: x\nscanners:\n  ruff: {enabled: true}\n  pylint: {enabled: 'no'}\n",
            2,
            "scanners: scanner 'pylint': 'enabled' must be true or false, not 'no'",
        ),
    ],
    ids=[
        "disable-without-justification",
        "justification-too-short",
        "gate-typo",
        "gate-bad-severity",
        "bad-id",
        "override-bad-severity",
        "scanner-switch-not-boolean",
    ],
)
def test_profile_schema_errors_are_located(text: str, line: int, message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        prof(text, name="x")
    assert caught.value.line == line
    assert caught.value.message.startswith(message), caught.value.message


def test_unknown_profile_and_duplicate_ids(profiles: Profs, catalogue: Cat, tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="unknown profile 'ghost'"):
        effective_profile("ghost", profiles=profiles, catalogue=catalogue)
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("id: same\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="profile id 'same' is defined twice"):
        load_profiles([tmp_path / "a.yaml", tmp_path / "b.yaml"])


def test_digest_is_stable_and_tracks_only_what_judges(catalogue: Cat, profiles: Profs) -> None:
    default = effective_profile("default", profiles=profiles, catalogue=catalogue)
    again = effective_profile("default", profiles=profiles, catalogue=catalogue)
    digest = profile_digest(default)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert profile_digest(again) == digest
    pid, known = resolve(
        catalogue,
        profiles,
        "id: tuned\nextends: default\noverrides:\n  DEV-001: {threshold: 7.5}\n",
    )
    assert profile_digest(effective_profile(pid, profiles=known, catalogue=catalogue)) != digest
    retitled = dict(catalogue)
    design = catalogue["design"]
    retitled["design"] = design.model_copy(
        update={
            "title": Text(en="Renamed"),
            "rules": [r.model_copy(update={"title": Text(en="Other words")}) for r in design.rules],
        }
    )
    same = effective_profile("default", profiles=profiles, catalogue=retitled)
    assert profile_digest(same) == digest
    legacy = effective_profile("legacy", profiles=profiles, catalogue=catalogue)
    assert profile_digest(legacy) != digest


def test_check_profile_file_lists_problems(tmp_path: Path, catalogue: Cat) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("id: good\nextends: default\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nextends: default\noverrides:\n  NOPE-001: {}\n", encoding="utf-8")
    assert check_profile_file(good, catalogue=catalogue) == []
    [error] = check_profile_file(bad, catalogue=catalogue)
    assert isinstance(error, StandardError)
    assert (error.path, error.line, error.message) == (str(bad), 4, "unknown rule 'NOPE-001'")


def test_override_can_exclude_paths_from_a_rule(tmp_path: Path) -> None:
    """An organisation may keep a service-code rule off its tests; the digest records it."""
    from datetime import date

    from scanners.base import Finding
    from standards.api import load_profile_set
    from standards.evaluate import evaluate
    from standards.profiles import effective_profile, profile_digest

    path = tmp_path / "svc.yaml"
    path.write_text(
        "id: svc\ntitle: {zh-CN: 服务, en: Service}\nextends: default\noverrides:\n"
        '  DEV-006: {exclude_paths: ["tests/**"]}\n',
        encoding="utf-8",
    )
    catalogue = load_builtin_standards()
    profiles = load_profile_set([path])
    scoped = effective_profile("svc", profiles=profiles, catalogue=catalogue)
    plain = effective_profile("default", profiles=profiles, catalogue=catalogue)
    assert profile_digest(scoped) != profile_digest(plain)
    finding = Finding("bandit:B105", "bandit", "B105", "minor", "tests/test_x.py", 3, 3, "password", "fp")
    rule = next(r for r in plain.rules if r.rule.id == "DEV-006").rule
    assert "bandit:B105" in rule.check.rules
    counted = evaluate(plain, as_of=date(2026, 1, 1), findings=[finding]).rule("DEV-006")
    excluded = evaluate(scoped, as_of=date(2026, 1, 1), findings=[finding]).rule("DEV-006")
    assert (counted.count, excluded.count) == (1, 0)


def test_fast_profile_switches_ruff_on_and_pylint_and_bandit_off(catalogue: Cat, profiles: Profs) -> None:
    fast = effective_profile("fast", profiles=profiles, catalogue=catalogue)
    assert fast.chain == ["default", "fast"]
    assert fast.scanners == {
        "ruff": {"enabled": True, "as_twins": True},
        "pylint": {"enabled": False},
        "bandit": {"enabled": False},
    }
    assert {r.rule.id for r in fast.rules} == {
        r.rule.id for r in effective_profile("default", profiles=profiles, catalogue=catalogue).rules
    }

"""The functions the CLI calls: list, show, check (standards and profiles), docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from standards.api import (
    check_file,
    list_standards,
    load_catalogue,
    load_profile_set,
    show,
    write_catalogue,
)
from standards.errors import StandardError
from standards.loader import builtin_dir
from standards.profiles import effective_profile


def test_list_standards_summarises_the_builtins() -> None:
    summaries = list_standards()
    assert [s.prefix for s in summaries] == ["DES", "REQ", "DEV", "TST", "OPS", "DAT"]
    assert [s.id for s in summaries][:2] == ["design", "requirements"]
    development = summaries[2]
    assert (development.prefix, development.title_zh, development.rules) == ("DEV", "研发管理", 14)


def test_show_finds_standards_and_rules() -> None:
    standard = show("data")
    assert not isinstance(standard, tuple) and standard.prefix == "DAT"
    found = show("dev-004")
    assert isinstance(found, tuple)
    assert (found[0].id, found[1].id) == ("development", "DEV-004")
    with pytest.raises(KeyError, match="NOPE"):
        show("NOPE")


def test_check_file_tells_standards_from_profiles(tmp_path: Path) -> None:
    assert check_file(builtin_dir() / "data.yaml") == []
    assert check_file(builtin_dir() / "profiles" / "legacy.yaml") == []
    standard = tmp_path / "s.yaml"
    standard.write_text(
        "id: s\nprefix: ST\nversion: '1'\ntitle: {en: S}\nrules:\n  - id: ST-1\n", encoding="utf-8"
    )
    errors = check_file(standard)
    assert errors and all(e.path == str(standard) for e in errors)
    assert errors[0].line == 6
    profile = tmp_path / "p.yaml"
    profile.write_text("id: p\nextends: nowhere\n", encoding="utf-8")
    [error] = check_file(profile)
    assert (error.line, error.message) == (2, "extends unknown profile 'nowhere'")
    broken = tmp_path / "b.yaml"
    broken.write_text("id: [\n", encoding="utf-8")
    assert check_file(broken)[0].message.startswith("invalid YAML")


def test_write_catalogue(tmp_path: Path) -> None:
    paths = write_catalogue(tmp_path)
    assert {p.name for p in paths} == {"standards.md", "standards.html"}


CUSTOM = """\
id: security
prefix: SEC
version: "0.1"
title: {en: Security}
rules:
  - id: SEC-001
    title: {en: No weak hashes}
    rationale: {en: MD5 and SHA1 are broken.}
    severity: critical
    check: {kind: findings, rules: ["bandit:B303", "bandit:B324"]}
"""


def test_custom_standards_and_profiles_join_the_builtins(tmp_path: Path) -> None:
    (tmp_path / "security.yaml").write_text(CUSTOM, encoding="utf-8")
    (tmp_path / "org.yaml").write_text(
        "id: org\nextends: default\nstandards: [development, security]\n"
        "overrides:\n  SEC-001: {severity: blocker}\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue([tmp_path / "security.yaml"])
    profiles = load_profile_set([tmp_path / "org.yaml"])
    assert {"default", "legacy", "org"} <= set(profiles)
    effective = effective_profile("org", profiles=profiles, catalogue=catalogue)
    assert [s.id for s in effective.standards] == ["development", "security"]
    assert effective.rules[-1].rule.severity == "blocker"
    (tmp_path / "dup.yaml").write_text(CUSTOM.replace("id: security", "id: data"), encoding="utf-8")
    child = tmp_path / "team.yaml"
    child.write_text("id: team\nextends: org\n", encoding="utf-8")
    assert check_file(child, catalogue=catalogue, profiles=profiles) == []
    assert check_file(child, catalogue=catalogue)[0].message == "extends unknown profile 'org'"
    with pytest.raises(StandardError, match="'data' is already a built-in standard"):
        load_catalogue([tmp_path / "dup.yaml"])

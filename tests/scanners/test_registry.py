"""Registry: find -> load -> validate, order, duplicates, named load errors."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest

from scanners.base import ProjectScanner, Scanner
from scanners.errors import (
    DuplicateScannerError,
    ScannerConfigError,
    ScannerLoadError,
    ScannerValidationError,
)
from scanners.registry import (
    PROJECT_SCANNER_GROUP,
    SCANNER_GROUP,
    build_project_scanners,
    build_registry,
    installed_names,
)
from scanners.rules import RuleDoc, rule_doc

BUILTINS = ("bandit", "lizard", "pylint", "radon", "secrets", "sql")


def entry(name: str, value: str, dist: str = "vendor-plugins", group: str = SCANNER_GROUP) -> Any:
    """An EntryPoint as installed by distribution ``dist``."""
    return EntryPoint(name, value, group)._for(SimpleNamespace(name=dist))


class NotAScanner:
    """Has a name but none of the protocol."""

    name = "fake"

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config


def test_builtins_are_found_through_entry_points_in_name_order() -> None:
    registry = build_registry()
    assert registry.names == BUILTINS
    assert all(isinstance(s, Scanner) for s in registry.scanners)


def test_applicable_scanners_by_path() -> None:
    registry = build_registry()
    assert [s.name for s in registry.applicable("pkg/a.py")] == [
        "bandit",
        "pylint",
        "radon",
        "secrets",
    ]
    # lizard reads PL/SQL procedures too: complexity there is worth knowing.
    assert [s.name for s in registry.applicable("db/001.sql")] == ["lizard", "secrets", "sql"]
    assert [s.name for s in registry.applicable("src/App.java")] == ["lizard", "secrets"]


def test_config_reaches_the_scanner_and_its_digest() -> None:
    default = build_registry(enabled=["radon"]).get("radon")
    strict = build_registry(config={"radon": {"min_rank": "B"}}, enabled=["radon"]).get("radon")
    assert strict.options.min_rank == "B"  # type: ignore[attr-defined]
    assert strict.config_digest != default.config_digest


def test_config_for_unknown_scanner_is_refused() -> None:
    with pytest.raises(ScannerConfigError, match="pylnit"):
        build_registry(config={"pylnit": {}})


def test_duplicate_names_are_refused_naming_both_distributions() -> None:
    candidates = [
        entry("radon", "scanners.radon_scanner:RadonScanner", dist="govern"),
        entry("radon", "vendor_radon:Scanner", dist="vendor-radon"),
    ]
    with pytest.raises(DuplicateScannerError, match=r"\(govern\).*\(vendor-radon\)"):
        build_registry(candidates=candidates)


def test_broken_entry_point_is_named_in_the_error() -> None:
    candidates = [entry("broken", "no_such_module_for_govern:Scanner", dist="acme-scanners")]
    with pytest.raises(ScannerLoadError) as caught:
        build_registry(candidates=candidates)
    text = str(caught.value)
    assert "broken = no_such_module_for_govern:Scanner" in text
    assert "acme-scanners" in text
    assert isinstance(caught.value.cause, ModuleNotFoundError)


def test_object_not_satisfying_the_protocol_is_refused() -> None:
    candidates = [entry("fake", f"{__name__}:NotAScanner")]
    with pytest.raises(ScannerValidationError, match="does not satisfy Scanner"):
        build_registry(candidates=candidates)


def test_scanner_must_carry_its_entry_point_name() -> None:
    candidates = [entry("lint", "scanners.pylint_scanner:PylintScanner")]
    with pytest.raises(ScannerValidationError, match="calls itself 'pylint'"):
        build_registry(candidates=candidates)


def test_enabled_subset_and_fresh_instances_per_build() -> None:
    first = build_registry(enabled=["sql", "radon"])
    second = build_registry(enabled=["sql", "radon"])
    assert first.names == ("radon", "sql")
    assert first.get("sql") is not second.get("sql")
    with pytest.raises(ScannerConfigError, match="no scanner named 'pylint'"):
        first.get("pylint")


def test_project_scanners_use_their_own_group() -> None:
    candidates = [
        entry(
            "repository",
            "scanners.repository_scanner:RepositoryScanner",
            group=PROJECT_SCANNER_GROUP,
        )
    ]
    (scanner,) = build_project_scanners(candidates=candidates)
    assert isinstance(scanner, ProjectScanner)
    assert scanner.name == "repository"


class BadlyDeclared:
    """A scanner whose rule ids do not carry its name."""

    name = "badly"
    cache_scope = "file"
    version = "1"
    config_digest = "0" * 64

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def applies_to(self, path: str) -> bool:
        return False

    def rules(self) -> tuple[RuleDoc, ...]:
        return (rule_doc("other:R1", "major", ("title", "why", "how")),)

    def scan(self, batch: Any) -> Any:
        raise AssertionError("never run")


def test_rules_declared_under_another_name_are_refused_naming_the_package() -> None:
    candidates = [entry("badly", f"{__name__}:BadlyDeclared", dist="badly-plugins")]
    expected = r"badly-plugins.*'other:R1': ids must read 'badly:<rule>'"
    with pytest.raises(ScannerValidationError, match=expected):
        build_registry(candidates=candidates)


class OffByDefault(BadlyDeclared):
    """A well-declared scanner that runs only when a setting switches it on."""

    name = "optional"
    enabled_by_default = False
    seen: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        OffByDefault.seen.append(dict(config))

    def rules(self) -> tuple[RuleDoc, ...]:
        return (rule_doc("optional:R1", "major", ("title", "why", "how")),)


def _optional_and_sql() -> list[Any]:
    return [entry("optional", f"{__name__}:OffByDefault"), entry("sql", "scanners.sql_scanner:SqlScanner")]


def test_a_scanner_off_by_default_runs_only_when_switched_on() -> None:
    assert build_registry(candidates=_optional_and_sql()).names == ("sql",)
    OffByDefault.seen.clear()
    switched = build_registry(
        config={"optional": {"enabled": True, "depth": 2}}, candidates=_optional_and_sql()
    )
    assert switched.names == ("optional", "sql")
    assert OffByDefault.seen == [{"depth": 2}]  # the registry's switch never reaches the scanner


def test_a_scanner_on_by_default_is_switched_off_and_the_digest_ignores_the_switch() -> None:
    candidates = _optional_and_sql()
    assert build_registry(config={"sql": {"enabled": False}}, candidates=candidates).names == ()
    plain = build_registry(candidates=candidates).get("sql")
    switched = build_registry(config={"sql": {"enabled": True}}, candidates=candidates).get("sql")
    assert switched.config_digest == plain.config_digest


@pytest.mark.parametrize("value", ["yes", 1, "on", ["true"]])
def test_a_switch_that_is_not_a_boolean_is_a_config_error(value: object) -> None:
    with pytest.raises(ScannerConfigError, match="'enabled' must be true or false"):
        build_registry(config={"sql": {"enabled": value}}, candidates=_optional_and_sql())


def test_ruff_is_installed_but_off_unless_a_setting_enables_it() -> None:
    assert "ruff" not in build_registry().names
    assert "ruff" in installed_names()
    chosen = build_registry(config={"ruff": {"enabled": True}, "pylint": {"enabled": False}})
    assert chosen.names == ("bandit", "lizard", "radon", "ruff", "secrets", "sql")

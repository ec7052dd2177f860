"""Declared rules kept on disk: read back while nothing they depend on changed, asked again otherwise."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from scanners import rulecache
from scanners.registry import SCANNER_GROUP, find, load
from scanners.rules import RuleDoc


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOVERN_CACHE_DIR", str(tmp_path))
    return tmp_path / "rules"


def _bandit(config: dict[str, Any] | None = None) -> tuple[Any, Any]:
    entry_point = next(ep for ep in find(SCANNER_GROUP) if ep.name == "bandit")
    return entry_point, load(entry_point, config or {})


def _refuse(instance: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def asked() -> tuple[RuleDoc, ...]:
        raise AssertionError("the scanner was asked for its rules")

    monkeypatch.setattr(instance, "rules", asked)


def test_a_second_run_reads_the_declaration_without_asking_the_tool(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_point, first = _bandit()
    declared = rulecache.declared_rules(entry_point, first)
    assert len(declared) == len(first.rules()) and [p.name for p in cache.iterdir()] != []
    _, second = _bandit()
    _refuse(second, monkeypatch)
    assert rulecache.declared_rules(entry_point, second) == declared


def test_other_settings_or_a_torn_file_ask_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry_point, instance = _bandit()
    rulecache.declared_rules(entry_point, instance)
    _, configured = _bandit({"skips": ["B101"]})
    asked: list[int] = []
    real = configured.rules
    monkeypatch.setattr(configured, "rules", lambda: asked.append(1) or real())
    rulecache.declared_rules(entry_point, configured)
    assert asked == [1] and len(list(cache.iterdir())) == 2
    for stored in cache.iterdir():
        stored.write_text('[{"id": "bandit:B1"', encoding="utf-8")
    rulecache.declared_rules(entry_point, configured)
    assert asked == [1, 1]
    monkeypatch.setattr(rulecache, "environment_digest", lambda: "a bandit plugin installed since")
    rulecache.declared_rules(entry_point, configured)
    assert asked == [1, 1, 1]


def test_a_scanner_without_an_installed_distribution_is_always_asked(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_point, instance = _bandit()
    stand_in = entry_point._for(SimpleNamespace(name="somebody"))  # no version: not installed
    rulecache.declared_rules(stand_in, instance)
    assert not cache.exists()


def test_an_edited_source_file_changes_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site" / "rcplugin"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "scanner.py").write_text("RULES = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.import_module("rcplugin.scanner")
    try:
        before = rulecache._source_stamps("rcplugin.scanner")
        (package / "scanner.py").write_text("RULES = 22\n", encoding="utf-8")
        assert rulecache._source_stamps("rcplugin.scanner") != before
    finally:
        for name in ("rcplugin", "rcplugin.scanner"):
            sys.modules.pop(name, None)

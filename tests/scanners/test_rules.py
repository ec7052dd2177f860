"""Rules as documents: what the built-in scanners declare, and the catalogue built from it."""

from __future__ import annotations

import pytest

from scanners.base import ProjectScanner, Scanner
from scanners.registry import build_project_scanners, build_registry, installed_names, installed_rules
from scanners.rules import RuleCatalogue, RuleDeclarationError, rule_doc

#: Scanners whose rule texts Govern writes itself: every text exists in both languages.
GOVERN_WRITTEN = ("radon", "lizard", "sql", "repository", "secrets")


def test_every_installed_scanner_declares_titled_rules() -> None:
    catalogue = installed_rules()  # scanners off by default included: a profile may switch them on
    per_file = build_registry(enabled=installed_names()).scanners
    scanners: tuple[Scanner | ProjectScanner, ...] = (*per_file, *build_project_scanners())
    assert catalogue.scanners == tuple(sorted(s.name for s in scanners))
    for scanner in scanners:
        docs = scanner.rules()
        assert docs, f"{scanner.name} declares no rules"
        assert all(doc.scanner == scanner.name and doc.title["en"] and doc.fix["en"] for doc in docs)


@pytest.mark.parametrize("scanner", GOVERN_WRITTEN)
def test_rules_govern_writes_are_bilingual(scanner: str) -> None:
    docs = installed_rules().matching(f"{scanner}:*")
    assert docs
    for doc in docs:
        for field in ("title", "rationale", "fix"):
            assert doc.text(field, "zh-CN") != doc.text(field, "en"), (doc.id, field)


def test_tool_documented_rules_come_from_the_tool() -> None:
    catalogue = installed_rules()
    unused = catalogue.get("pylint:W0611")
    assert unused is not None and unused.title["en"].startswith("unused-import")
    assert "zh-CN" not in unused.title  # pylint's English is not pretended to be Chinese
    assert "zh-CN" in unused.fix  # the advice Govern writes is bilingual
    assert catalogue.get("pylint:W0141") is not None  # from the bad_builtin extension the scanner loads
    password = catalogue.get("bandit:B105")
    assert password is not None and "password" in password.rationale["en"].lower()
    assert catalogue.get("secrets:aws-access-key") is not None


def test_catalogue_matches_bindings_with_globs() -> None:
    catalogue = installed_rules()
    assert {d.id for d in catalogue.matching("sql:*")} >= {"sql:select-star", "sql:destructive-ddl"}
    assert [d.id for d in catalogue.matching("bandit:B608")] == ["bandit:B608"]
    assert catalogue.matching("bandit:B9999") == []


def test_a_rule_declared_twice_is_refused() -> None:
    doc = rule_doc("x:R1", "major", ("t", "r", "f"))
    with pytest.raises(RuleDeclarationError, match="declared twice"):
        RuleCatalogue.of({"x": [doc, doc]})

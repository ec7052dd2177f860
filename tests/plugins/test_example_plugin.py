"""A third-party scanner package, installed with pip, is loaded, bound by a profile and scored.

The package (tests/plugins/govern_example_scanner) declares ``example:fixme`` through the
``govern.scanners`` entry point. An organisation standard binds it, a profile selects that
standard, and a real scan of a real repository judges the module by it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from governance.config import Settings
from governance.db import Database
from governance.executors.local import InlineExecutor
from governance.registry import service as registry
from governance.scans.models import Finding, StandardResult
from governance.scans.run import ScanRunner
from governance.scans.service import request_scan
from scanners.registry import build_registry, installed_rules
from standards.errors import StandardError
from standards.loader import load_standard
from tests.gitrepo import VendorRepo

QUALITY = """\
id: quality
prefix: QLT
title: {zh-CN: 代码质量, en: Code quality}
version: "1.0"
rules:
  - id: QLT-001
    title: {zh-CN: 不遗留 FIXME, en: No FIXME left in code}
    rationale: {zh-CN: FIXME 是已知缺陷, en: A FIXME is a known defect}
    severity: major
    check: {kind: findings, rules: ["example:fixme"], threshold: 0}
"""

PROFILE = """\
id: with-quality
extends: default
standards: [design, requirements, development, testing, operations, data, quality]
"""


def test_the_installed_plugin_is_loaded_with_its_rules(example_plugin: str) -> None:
    assert example_plugin in build_registry().names
    doc = installed_rules().get("example:fixme")
    assert doc is not None and doc.text("title", "zh-CN") == "代码中遗留 FIXME"
    assert load_standard("quality.yaml", text=QUALITY).rules[0].id == "QLT-001"


def test_without_the_plugin_its_rules_cannot_be_bound() -> None:
    installed_rules.cache_clear()
    with pytest.raises(StandardError, match="unknown scanner 'example'"):
        load_standard("quality.yaml", text=QUALITY)


@pytest.mark.slow
def test_plugin_rule_is_bound_by_a_profile_and_scored(
    example_plugin: str, database: Database, settings: Settings, tmp_path: Path
) -> None:
    for folder, name, text in (
        ("standards", "quality.yaml", QUALITY),
        ("profiles", "with-quality.yaml", PROFILE),
    ):
        (settings.data_dir / folder).mkdir(parents=True, exist_ok=True)
        (settings.data_dir / folder / name).write_text(text, encoding="utf-8")
    repo = VendorRepo(tmp_path / "vendor")
    repo.commit("QLT-1: first", {"src/app.py": '"""App."""\n\nVALUE = 1  # FIXME: compute it\n'})
    with database.session() as session:
        registry.create_vendor(session, name="Acme", actor="test")
        module = registry.create_module(
            session, key="QLT", vendor="Acme", remote=str(repo.path), profile="with-quality", actor="test"
        )
        queued, _ = request_scan(session, module=module, trigger="manual", actor="test")
    scan = ScanRunner(database, settings, InlineExecutor(), actor="test").run(queued.id or 0)
    with database.session() as session:
        found = session.exec(
            select(Finding).where(Finding.scan_id == scan.id, Finding.rule == "example:fixme")
        ).all()
        result = session.exec(
            select(StandardResult).where(
                StandardResult.scan_id == scan.id, StandardResult.standard == "quality"
            )
        ).one()
    assert [(f.line, f.standard_rule, f.standard) for f in found] == [(3, "QLT-001", "quality")]
    assert result.failed_rules == 1 and result.score is not None and result.score < 100

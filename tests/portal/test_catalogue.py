"""The rule catalogue pages, and rule codes linking to them from every page that shows one."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from governance.db import Database
from governance.scans.models import Finding, FindingState
from tests.portal.conftest import World, login

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def test_index_lists_every_standard_and_scanner_rule_in_both_languages(
    app_client: TestClient, world: World
) -> None:
    login(app_client, "vendor_a")
    english = app_client.get("/standards", headers=EN).text
    assert 'href="/standards/DEV-001"' in english and "Pylint score is at least 8.0" in english
    assert 'href="/standards/pylint%3AW0611"' in english and 'href="/standards/sql%3Aselect-star"' in english
    chinese = app_client.get("/standards", headers=ZH).text
    assert "Pylint 评分不低于 8.0" in chinese and "标准与规则" in chinese


def test_standard_rule_page_shows_binding_threshold_under_the_profile_and_fix(
    app_client: TestClient, world: World
) -> None:
    login(app_client, "pm")
    html = app_client.get("/standards/DEV-006?module=ACME", headers=EN).text
    assert "<h1><code>DEV-006</code>" in html
    assert re.search(r'href="/standards/bandit%3AB105\?module=ACME"', html), "bound scanner rules link"
    assert "Profile default applies this rule with threshold" in html
    assert "How to fix" in html
    chinese = app_client.get("/standards/DEV-006?module=ACME", headers=ZH).text
    assert "如何修复" in chinese and "在模块 ACME 的配置下" in chinese


def test_scanner_rule_page_names_the_rules_that_count_it(app_client: TestClient, world: World) -> None:
    login(app_client, "auditor")
    html = app_client.get("/standards/bandit:B105?module=BETA", headers=EN).text
    assert "hardcoded password string" in html and "Counted by" in html
    assert 'href="/standards/DEV-' in html or 'href="/standards/OPS-' in html
    unbound = app_client.get("/standards/pylint:C0114", headers=EN).text
    assert "its findings count toward no rule" in unbound
    assert "不计入任何规则" in app_client.get("/standards/pylint:C0114", headers=ZH).text


def test_unknown_rule_and_unreadable_module_are_404(app_client: TestClient, world: World) -> None:
    login(app_client, "vendor_a")
    assert app_client.get("/standards/DEV-999").status_code == 404
    assert app_client.get("/standards/nope:X1").status_code == 404
    assert app_client.get("/standards/DEV-001?module=BETA").status_code == 404  # another vendor's module


def test_rule_codes_link_to_the_catalogue_and_unbound_findings_say_so(
    app_client: TestClient, world: World, database: Database
) -> None:
    scan = world.scans["ACME"][-1]
    with database.session() as session:
        unbound = Finding(
            scan_id=scan.id or 0,
            module_id=scan.module_id,
            rule="pylint:C0114",
            tool="pylint",
            tool_rule="C0114",
            severity="blocker",
            path="src/app.py",
            line=1,
            end_line=1,
            message="missing module docstring",
            fingerprint="unbound-1",
            state=FindingState.new,
        )
        session.add(unbound)
        session.commit()
        unbound_id = unbound.id
    login(app_client, "pm")
    module = app_client.get("/modules/ACME?severity=blocker", headers=EN).text
    assert 'href="/standards/DEV-000?module=ACME"' in module  # findings table
    assert 'href="/standards/DES-001?module=ACME"' in module  # failing rules of the standards partial
    assert "counts toward no rule" in module and 'href="/standards/pylint%3AC0114?module=ACME"' in module
    report = app_client.get(f"/scans/{scan.id}", headers=EN).text
    assert 'href="/standards/DEV-000?module=ACME"' in report and "counts toward no rule" in report
    page = app_client.get(f"/modules/ACME/findings/{unbound_id}", headers=ZH).text
    assert "不计入任何规则" in page and 'href="/standards/pylint%3AC0114?module=ACME"' in page

"""Duplicated code between modules: the API and the page, scoped per reader, in both languages.

ACME (Acme) and BETA (Beta) share code, and ACME shares code with LEDGER (Acme too).
A Beta vendor sees BETA's figure with "another vendor's module" and never ACME's key, id,
vendor or paths; Acme's vendor sees LEDGER named (its own) and BETA hidden.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from governance.config import Settings
from governance.db import Database
from governance.executors.local import InlineExecutor
from governance.mirrors.service import sync_module
from governance.registry import service as registry
from governance.scans.models import CrossDuplication, Finding, Scan, ScanStatus
from governance.scans.run import run_scan
from governance.scans.service import request_scan
from tests.gitrepo import VendorRepo
from tests.portal.conftest import World, bearer, login, make_scan

#: A block pylint's similarity checker reports when two files of one module hold it.
BLOCK = "".join(f"total_{i} = rates[{i}] * amounts[{i}] + {i}\n" for i in range(8))


def _share(session: Session, scan: Scan, other: int, lines: int, blocks: int) -> None:
    session.add(
        CrossDuplication(
            scan_id=scan.id,
            module_id=scan.module_id,
            other_module_id=other,
            other_commit="b" * 40,
            lines=lines,
            blocks=blocks,
        )
    )


def _seed(database: Database, world: World) -> None:
    with database.session() as session:
        ledger = registry.create_module(session, key="LEDGER", vendor="Acme Soft", actor="test")
        ledger_scan = make_scan(session, ledger, score=75.0, findings=3)
        acme, beta = world.modules["ACME"], world.modules["BETA"]
        _share(session, world.scans["ACME"][-1], beta.id, 40, 2)
        _share(session, world.scans["ACME"][-1], ledger.id, 12, 1)
        _share(session, world.scans["BETA"][-1], acme.id, 38, 2)
        _share(session, ledger_scan, acme.id, 12, 1)
        session.commit()


def test_api_names_only_modules_the_reader_may_see(app_client, database, world: World) -> None:
    _seed(database, world)
    beta = app_client.get("/api/v1/duplication", headers=bearer(world, "vendor_b"))
    assert beta.status_code == 200
    assert beta.json() == [
        {
            "module": "BETA",
            "other": None,
            "other_vendor": True,
            "lines": 38,
            "blocks": 2,
            "scan_id": world.scans["BETA"][-1].id,
        }
    ]
    for leaked in ("ACME", "Acme", "LEDGER", str(world.modules["ACME"].id)):
        assert f'"{leaked}"' not in beta.text and f":{leaked}," not in beta.text
    acme = {
        (p["module"], p["other"])
        for p in app_client.get("/api/v1/duplication", headers=bearer(world, "vendor_a")).json()
    }
    assert acme == {("ACME", None), ("ACME", "LEDGER"), ("LEDGER", "ACME")}
    pm = [
        (p["module"], p["other"], p["lines"])
        for p in app_client.get("/api/v1/duplication", headers=bearer(world, "pm")).json()
    ]
    assert pm == [("ACME", "BETA", 40), ("BETA", "ACME", 38), ("ACME", "LEDGER", 12), ("LEDGER", "ACME", 12)]


def test_page_in_both_languages_hides_the_other_vendor(app_client, database, world: World) -> None:
    _seed(database, world)
    login(app_client, "vendor_b")
    english = app_client.get("/duplication", headers={"Accept-Language": "en"}).text
    assert "another vendor" in english and "s module" in english and "BETA" in english
    assert "ACME" not in english and "LEDGER" not in english and "Acme" not in english
    chinese = app_client.get("/duplication", headers={"Accept-Language": "zh-CN"}).text
    assert "模块间重复代码" in chinese and "其他厂商的模块" in chinese and "ACME" not in chinese


def test_page_without_shared_code_says_so(app_client, world: World) -> None:
    login(app_client, "pm")
    page = app_client.get("/duplication", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "No code shared between modules." in page.text


def _scanned_with_a_copy(database: Database, settings: Settings, world: World, tmp_path: Path) -> Scan:
    """ACME mirrored from a real repository whose two files share a block, then really scanned."""
    repo = VendorRepo(tmp_path / "acme")
    repo.commit("ACME-1: two copies", {"pay/a.py": "rates = amounts = [1] * 8\n" + BLOCK, "pay/b.py": BLOCK})
    with database.session() as session:
        module = registry.get_module(session, "ACME")
        module.remote = str(repo.path)
        session.add(module)
        for seeded in session.exec(select(Scan).where(Scan.module_id == world.modules["BETA"].id)):
            seeded.status = ScanStatus.failed  # its commit is in no mirror: not a peer to compare with
            session.add(seeded)
        session.commit()
        sync_module(session, settings=settings, key="ACME", actor="test")
    with database.session() as session:
        scan, _ = request_scan(
            session, module=registry.get_module(session, "ACME"), trigger="manual", actor="t"
        )
    return run_scan(database, settings, scan.id, executor=InlineExecutor(), actor="test")


@pytest.mark.slow
def test_a_real_scans_duplicate_code_finding_reads_in_each_readers_language(
    app_client: TestClient, database: Database, settings: Settings, world: World, tmp_path: Path
) -> None:
    scan = _scanned_with_a_copy(database, settings, world, tmp_path)
    with database.session() as session:
        finding = session.exec(
            select(Finding).where(
                Finding.scan_id == scan.id,
                Finding.path == "pay/b.py",
                Finding.rule == "repository:duplicate-code",
            )
        ).one()
    english = "8 similar lines also in pay/a.py:2"
    chinese = "8 行相似代码也出现在 pay/a.py:2"
    assert finding.message == english  # stored English, the wording beside it
    login(app_client, "vendor_a")
    query = "?q=similar"
    for page in (f"/modules/ACME{query}", f"/modules/ACME/findings/{finding.id}", f"/scans/{scan.id}{query}"):
        zh = app_client.get(page, headers={"Accept-Language": "zh-CN"}).text
        en = app_client.get(page, headers={"Accept-Language": "en"}).text
        assert chinese in zh and english not in zh, page
        assert english in en and chinese not in en, page
    api = app_client.get(
        f"/api/v1/modules/ACME/findings?scan={scan.id}",
        headers={**bearer(world, "vendor_a"), "Accept-Language": "zh-CN"},
    ).json()
    assert english in [item["message"] for item in api["items"]]  # machines read English

"""Duplicated code between modules: the API and the page, scoped per reader, in both languages.

ACME (Acme) and BETA (Beta) share code, and ACME shares code with LEDGER (Acme too).
A Beta vendor sees BETA's figure with "another vendor's module" and never ACME's key, id,
vendor or paths; Acme's vendor sees LEDGER named (its own) and BETA hidden.
"""

from __future__ import annotations

from sqlmodel import Session

from governance.db import Database
from governance.registry import service as registry
from governance.scans.models import CrossDuplication, Scan
from tests.portal.conftest import World, bearer, login, make_scan


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

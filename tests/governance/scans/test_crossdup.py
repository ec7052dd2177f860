"""Duplicated code across modules and vendors: findings on the scanned side, pair counts, scope.

Three real repositories: PAY and LEDGER of Acme, BILL of Beta. BILL and LEDGER carry a
copy of PAY's settlement function. A vendor's finding about another vendor's module says
"another vendor's module" and nothing else of it; a module of the same vendor is named.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from governance.executors.local import InlineExecutor
from governance.registry import service as registry
from governance.scans import crossdup, factstore
from governance.scans.cache import MemoryCache
from governance.scans.factstore import FactStore
from governance.scans.models import CrossDuplication, Finding
from governance.scans.portfolio import duplication_pairs
from governance.scans.run import run_scan
from governance.scans.service import request_scan
from tests.gitrepo import VendorRepo

pytestmark = pytest.mark.slow

SETTLE = (
    "def settle(batch, rates):\n"
    + "".join(f"    amount_{i} = batch[{i}] * rates[{i}] + {i}\n" for i in range(8))
    + "    return amount_7\n"
)
SECRET_LINE = "amount_3 = batch[3] * rates[3] + 3"


def _module(database, tmp_path: Path, key: str, vendor: str, files: dict[str, str]) -> VendorRepo:
    repo = VendorRepo(tmp_path / key)
    repo.commit(f"{key}-1: first", files)
    with database.session() as session:
        if vendor not in {v.name for v, _ in registry.list_vendors(session)}:
            registry.create_vendor(session, name=vendor, actor="test")
        registry.create_module(session, key=key, vendor=vendor, remote=str(repo.path), actor="test")
    return repo


def _scan(database, settings, key: str, *, full: bool = False):
    with database.session() as session:
        scan, _ = request_scan(
            session, module=registry.get_module(session, key), trigger="manual", actor="test"
        )
    return run_scan(database, settings, scan.id, executor=InlineExecutor(), actor="test", use_cache=not full)


def _cross(database, scan_id: int) -> list[tuple[str, int, str, str]]:
    with database.session() as session:
        rows = session.exec(
            select(Finding).where(
                Finding.scan_id == scan_id, Finding.rule == "repository:cross-module-duplicate"
            )
        ).all()
        return sorted((f.path, f.line, f.message, f.fingerprint) for f in rows)


@pytest.fixture
def three_modules(database, tmp_path: Path) -> dict[str, VendorRepo]:
    return {
        "PAY": _module(
            database, tmp_path, "PAY", "Acme Soft", {"pay/settle.py": SETTLE, "README.md": "# Pay\n"}
        ),
        "BILL": _module(
            database,
            tmp_path,
            "BILL",
            "Beta Systems",
            {"bill/copy.py": "X = 1\n\n\n" + SETTLE, "README.md": "# B\n"},
        ),
        "LEDGER": _module(
            database, tmp_path, "LEDGER", "Acme Soft", {"ledger/l.py": SETTLE, "README.md": "# L\n"}
        ),
    }


def test_copies_between_vendors_are_findings_on_each_side_without_naming_the_other(
    database, settings, three_modules
) -> None:
    first = _scan(database, settings, "PAY")
    assert _cross(database, first.id) == []  # no other module scanned yet
    bill = _scan(database, settings, "BILL")
    [(path, line, message, _)] = _cross(database, bill.id)
    assert (path, line) == ("bill/copy.py", 5)
    assert message == "9 similar lines also in another vendor's module"
    for leaked in ("PAY", "Acme", "pay/settle.py", "settle", SECRET_LINE):
        assert leaked not in message
    ledger = _scan(database, settings, "LEDGER")
    messages = [m for _, _, m, _ in _cross(database, ledger.id)]
    assert "9 similar lines also in another vendor's module" in messages  # BILL, of Beta
    assert "9 similar lines also in module PAY: pay/settle.py:2" in messages  # same vendor: named
    pay = _scan(database, settings, "PAY")  # PAY's side, now that the others are scanned
    assert len(_cross(database, pay.id)) == 2
    with database.session() as session:
        rows = session.exec(select(CrossDuplication).where(CrossDuplication.scan_id == pay.id)).all()
        assert sorted((r.lines, r.blocks) for r in rows) == [(9, 1), (9, 1)]


def test_incremental_equals_full_and_a_rescan_reuses_everything(
    database, settings, three_modules, monkeypatch
) -> None:
    for key in ("PAY", "BILL", "LEDGER"):
        _scan(database, settings, key)
    three_modules["BILL"].commit("BILL-2: notes", {"bill/notes.py": "NOTE = 'n'\n"})
    incremental = _scan(database, settings, "BILL")
    computed: list[bytes] = []  # contents whose facts the coordinator computed
    real_extract = factstore.extract
    monkeypatch.setattr(
        factstore,
        "extract",
        lambda kind, content, *a: computed.append(content) or real_extract(kind, content, *a),
    )
    full = _scan(database, settings, "BILL", full=True)
    assert _cross(database, incremental.id) == _cross(database, full.id) != []
    assert incremental.metrics["facts_computed"] == 4  # gate, imports, similar, windows of notes.py only
    assert full.metrics["facts_computed"] == 8  # BILL's two files, all four kinds
    assert SETTLE.encode() not in computed  # PAY's and LEDGER's file: --full redoes BILL's facts only


def _side(files: dict[str, str]) -> crossdup.Side:
    contents = {path: text.encode() for path, text in files.items()}
    store = FactStore(
        MemoryCache(), {p: f"blob-{p}" for p in contents}, lambda paths: {p: contents[p] for p in paths}
    )
    return crossdup.side(store, list(contents), crossdup.Settings(min_lines=4, max_bytes=1_000_000))


def test_a_peer_is_read_line_by_line_only_where_it_shares_code() -> None:
    own = _side({"pay/settle.py": SETTLE, "pay/other.py": "def other():\n    return 1\n"})
    peer_files = {f"big/m{i}.py": "".join(f"V{i}_{n} = {n} * {i}\n" for n in range(40)) for i in range(20)}
    peer = _side({**peer_files, "big/copy.py": "X = 1\n\n\n" + SETTLE})
    drafts, pairs, compared = crossdup.compare(
        own, lambda _peer: peer, [crossdup.Peer(2, "BIG", True, "c0ffee", Path("unused"))], 4
    )
    assert [(d.path, d.line) for d in drafts] == [("pay/settle.py", 2)]
    assert [(p.lines, p.blocks) for p in pairs] == [(9, 1)]
    assert [path for path, _ in compared] == ["pay/settle.py"]
    assert peer.store.computed["windows"] == 21
    assert peer.store.computed["similar"] == 1  # big/copy.py: the only file sharing a step


def test_portfolio_pairs_are_scoped(database, settings, three_modules) -> None:
    for key in ("PAY", "BILL", "LEDGER"):
        _scan(database, settings, key)
    _scan(database, settings, "PAY")
    with database.session() as session:
        registry.create_user(
            session, name="beta", role="vendor", vendor="Beta Systems", password="x" * 12, actor="t"
        )
        registry.create_user(
            session, name="acme", role="vendor", vendor="Acme Soft", password="x" * 12, actor="t"
        )
        registry.create_user(session, name="boss", role="pm", vendor=None, password="x" * 12, actor="t")
        as_beta = duplication_pairs(session, user=registry.get_user(session, "beta"))
        as_acme = duplication_pairs(session, user=registry.get_user(session, "acme"))
        as_pm = duplication_pairs(session, user=registry.get_user(session, "boss"))
    assert [(p.module, p.other) for p in as_beta] == [("BILL", None)]
    assert sorted((p.module, p.other or "") for p in as_acme) == [
        ("LEDGER", ""),
        ("LEDGER", "PAY"),
        ("PAY", ""),
        ("PAY", "LEDGER"),
    ]
    # BILL was scanned before LEDGER: its figure is as of the modules scanned then.
    assert {(p.module, p.other) for p in as_pm} == {
        ("BILL", "PAY"),
        ("LEDGER", "BILL"),
        ("LEDGER", "PAY"),
        ("PAY", "BILL"),
        ("PAY", "LEDGER"),
    }

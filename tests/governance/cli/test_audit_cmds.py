"""`govern audit verify|head|log` on a real trail, intact and tampered."""

from __future__ import annotations

import json

import sqlalchemy as sa


def _tamper(database, statement: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(sa.text(statement))


def test_verify_counts_events(govern) -> None:
    govern("vendor", "add", "Acme Soft")
    govern("vendor", "add", "Beta Soft")
    result = govern("audit", "verify")
    assert result.code == 0 and "2 events verified" in result.out


def test_verify_names_the_altered_event(govern, database) -> None:
    for name in ("A1", "B2", "C3"):
        govern("vendor", "add", name)
    _tamper(database, "UPDATE audit_event SET target_id = 'Z9' WHERE seq = 2")
    result = govern("audit", "verify")
    assert result.code == 1 and "event #2" in result.err and "altered" in result.err


def test_head_then_truncation_is_caught(govern, database) -> None:
    govern("vendor", "add", "A1")
    govern("vendor", "add", "B2")
    head_hash, count = govern("audit", "head").out.split()
    assert count == "2"
    _tamper(database, "DELETE FROM audit_event WHERE seq = 2")
    assert govern("audit", "verify").code == 0
    result = govern("audit", "verify", "--head", head_hash)
    assert result.code == 1 and "removed or rewritten" in result.err


def test_log_json_lists_events_in_order(govern) -> None:
    govern("vendor", "add", "A1")
    govern("module", "add", "MOD", "--vendor", "A1")
    log = json.loads(govern("audit", "log", "--json").out)
    assert [e["action"] for e in log] == ["vendor.create", "module.create"]
    assert [e["seq"] for e in log] == [1, 2]
    assert json.loads(govern("audit", "log", "--json", "--since", "2999-01-01").out) == []


def test_each_verify_run_is_recorded_with_its_result_and_time(govern, database) -> None:
    from governance.audit.verifications import latest_verification

    with database.session() as session:
        assert latest_verification(session) is None
    govern("vendor", "add", "Acme")
    govern("vendor", "add", "Beta")
    assert govern("audit", "verify").code == 0
    with database.session() as session:
        first = latest_verification(session)
        assert first is not None and first.ok and first.events == 2 and first.actor == "tester"
    _tamper(database, "UPDATE audit_event SET target_id = 'Z9' WHERE seq = 2")
    assert govern("audit", "verify").code == 1
    with database.session() as session:
        second = latest_verification(session)
        assert second is not None and second.id != first.id and not second.ok
        assert second.problems and "event #2" in second.problems[0] and second.at >= first.at

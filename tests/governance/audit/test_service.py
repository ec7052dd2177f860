"""The audit chain catches edits, deletions, reordering and (with a kept head) truncation."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from governance import audit
from governance.db import Database


def _record(session: Session, count: int) -> None:
    for number in range(count):
        audit.record(
            session,
            actor="pm",
            action="vendor.create",
            target_type="vendor",
            target_id=f"V{number}",
            data={"n": number},
        )


def _sql(database: Database, statement: str, **params: object) -> None:
    with database.engine.begin() as connection:
        connection.execute(sa.text(statement), params)


def test_intact_chain_verifies(database: Database) -> None:
    with database.session() as session:
        _record(session, 5)
    with database.session() as session:
        result = audit.verify(session)
    assert (result.ok, result.verified) == (True, 5)


def test_edited_event_is_named(database: Database) -> None:
    with database.session() as session:
        _record(session, 5)
    _sql(database, "UPDATE audit_event SET actor = 'mallory' WHERE seq = 3")
    with database.session() as session:
        result = audit.verify(session)
    assert not result.ok and result.seq == 3 and "altered" in (result.problem or "")


def test_deleted_event_is_named(database: Database) -> None:
    with database.session() as session:
        _record(session, 5)
    _sql(database, "DELETE FROM audit_event WHERE seq = 2")
    with database.session() as session:
        result = audit.verify(session)
    assert not result.ok and "#2 is missing" in (result.problem or "") and result.verified == 1


def test_reordered_events_are_caught(database: Database) -> None:
    with database.session() as session:
        _record(session, 4)
    _sql(database, "UPDATE audit_event SET seq = 100 WHERE seq = 2")
    _sql(database, "UPDATE audit_event SET seq = 2 WHERE seq = 3")
    _sql(database, "UPDATE audit_event SET seq = 3 WHERE seq = 100")
    with database.session() as session:
        result = audit.verify(session)
    assert not result.ok and result.seq == 2 and "inserted or reordered" in (result.problem or "")


def test_truncation_needs_the_kept_head(database: Database) -> None:
    with database.session() as session:
        _record(session, 4)
        kept = audit.head(session)
    _sql(database, "DELETE FROM audit_event WHERE seq = 4")
    with database.session() as session:
        assert audit.verify(session).ok  # the chain alone cannot see it
        result = audit.verify(session, expected_head=kept.hash)
    assert not result.ok and "removed or rewritten" in (result.problem or "")


def test_kept_head_with_newer_events_is_fine(database: Database) -> None:
    with database.session() as session:
        _record(session, 2)
        kept = audit.head(session)
        _record(session, 3)
    with database.session() as session:
        result = audit.verify(session, expected_head=kept.hash)
    assert result.ok and result.verified == 5 and "3 newer events" in (result.problem or "")


def test_event_rolls_back_with_its_change(database: Database) -> None:
    try:
        with database.session() as session:
            _record(session, 1)
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    with database.session() as session:
        assert audit.head(session).count == 0

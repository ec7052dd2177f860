"""Concurrent appenders neither fail nor lose an event, on SQLite and PostgreSQL (issue 15, row 6)."""

from __future__ import annotations

import threading

from sqlmodel import select

from governance import audit
from governance.audit.models import AuditEvent
from governance.registry import service as registry


def test_parallel_appends_lose_nothing(database) -> None:
    writers, errors = 24, []
    barrier = threading.Barrier(writers)

    def append(n: int) -> None:
        barrier.wait()
        try:
            with database.session() as session:
                session.exec(select(AuditEvent).limit(1)).all()  # a read first, as a request does
                audit.record(session, actor="t", action="test.event", target_type="n", target_id=n)
        except Exception as exc:  # pylint: disable=broad-exception-caught  # every failure is the finding
            errors.append(repr(exc))

    threads = [threading.Thread(target=append, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.session() as session:
        assert audit.verify(session).verified == writers


def test_parallel_changes_with_audit_events_lose_nothing(database) -> None:
    """Each writer first changes something (a vendor), then records it, as services do."""
    writers, errors = 16, []
    barrier = threading.Barrier(writers)

    def create(n: int) -> None:
        barrier.wait()
        try:
            with database.session() as session:
                registry.create_vendor(session, name=f"Vendor {n}", actor="t")
        except Exception as exc:  # pylint: disable=broad-exception-caught  # every failure is the finding
            errors.append(repr(exc))

    threads = [threading.Thread(target=create, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.session() as session:
        assert audit.verify(session).ok and audit.head(session).count == writers

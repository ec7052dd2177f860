"""Cron schedules fire once per due time, even with two schedulers racing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from governance.registry import service as registry
from governance.scans.models import Scan
from governance.scheduling.models import ScheduleFiring
from governance.scheduling.service import fire_due, last_due, next_due


def test_cron_arithmetic_uses_croniter() -> None:
    now = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)
    assert last_due("0 2 * * *", now) == datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    assert last_due("30 2 * * *", now) == now
    assert next_due("0 2 * * *", now) == datetime(2026, 3, 11, 2, 0, tzinfo=UTC)


def _module(database, schedule: str | None) -> None:
    with database.session() as session:
        registry.create_vendor(session, name="Acme", actor="t")
        registry.create_module(session, key="BUD", vendor="Acme", schedule=schedule, actor="t")


def test_due_schedule_fires_once(database) -> None:
    _module(database, "0 2 * * *")
    now = datetime(2026, 3, 10, 2, 0, 5, tzinfo=UTC)
    first = fire_due(database, now=now, scheduler="s1", since=now - timedelta(hours=1))
    again = fire_due(
        database, now=now + timedelta(seconds=30), scheduler="s1", since=now - timedelta(hours=1)
    )
    assert len(first) == 1 and again == []
    with database.session() as session:
        scans = session.exec(select(Scan)).all()
    assert [(s.trigger, s.status.value) for s in scans] == [("schedule", "queued")]


def test_not_due_or_too_old_does_not_fire(database) -> None:
    _module(database, "0 2 * * *")
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert fire_due(database, now=now, scheduler="s1", since=now - timedelta(hours=1)) == []


def test_two_schedulers_racing_fire_once(database) -> None:
    _module(database, "*/5 * * * *")
    now = datetime(2026, 3, 10, 2, 5, 1, tzinfo=UTC)
    results: list[list[int]] = []
    barrier = threading.Barrier(2)

    def scheduler(name: str) -> None:
        barrier.wait()
        results.append(fire_due(database, now=now, scheduler=name, since=now - timedelta(hours=1)))

    threads = [threading.Thread(target=scheduler, args=(n,)) for n in ("s1", "s2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r) for r in results) == [0, 1]
    with database.session() as session:
        assert len(session.exec(select(ScheduleFiring)).all()) == 1
        assert len(session.exec(select(Scan)).all()) == 1


def test_a_firing_and_its_scan_request_are_one_transaction(database, monkeypatch) -> None:
    """A crash between claiming a firing and requesting its scan loses nothing (issue 15, row 13)."""
    from governance.scheduling import service

    _module(database, "0 2 * * *")
    now = datetime(2026, 3, 10, 2, 0, 5, tzinfo=UTC)
    real = service.scans.request_scan

    def crash(*args, **kwargs):
        raise RuntimeError("the process died here")

    monkeypatch.setattr(service.scans, "request_scan", crash)
    with pytest.raises(RuntimeError):
        fire_due(database, now=now, scheduler="s1", since=now - timedelta(hours=1))
    monkeypatch.setattr(service.scans, "request_scan", real)
    fired = fire_due(database, now=now, scheduler="s2", since=now - timedelta(hours=1))
    assert len(fired) == 1
    with database.session() as session:
        firing = session.exec(select(ScheduleFiring)).one()
        assert firing.scan_id == fired[0] and firing.scheduler == "s2"

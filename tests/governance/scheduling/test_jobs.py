"""The scheduler survives a failing job, and its health says when it has died (issue 15, row 1)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from governance.db import Database
from governance.errors import InvalidInput
from governance.jobs import JobRunner, JobStatus
from governance.registry import service as registry
from governance.registry import validation
from governance.registry.models import Module
from governance.scans.models import Scan
from governance.scans.service import claim, request_scan
from governance.scheduling.loop import Scheduler
from portal.app import create_app

NOW = datetime(2026, 3, 10, 2, 0, 5, tzinfo=UTC)


def _runner(database: Database, ran: list[int]):
    """A stand-in for running a scan: claims it (so it is no longer queued) and notes its id."""

    def run(scan_id: int) -> None:
        with database.session() as session:
            claim(session, scan_id=scan_id, owner="test", lease_seconds=60)
        ran.append(scan_id)

    return run


def _modules(database: Database) -> None:
    """BAD holds a schedule that can never fire (stored before validation refused it); OK fires."""
    with database.session() as session:
        registry.create_vendor(session, name="Acme", actor="t")
        registry.create_module(session, key="BAD", vendor="Acme", actor="t")
        registry.create_module(session, key="OK", vendor="Acme", schedule="0 2 * * *", actor="t")
        bad = session.exec(select(Module).where(Module.key == "BAD")).one()
        bad.schedule = "0 0 31 2 *"


def test_a_schedule_that_can_never_fire_is_refused() -> None:
    with pytest.raises(InvalidInput, match="never"):
        validation.cron("0 0 31 2 *")
    assert validation.cron("0 0 29 2 *") == "0 0 29 2 *"  # leap years exist


def test_cli_refuses_31_february(govern, database) -> None:
    with database.session() as session:
        registry.create_vendor(session, name="Acme", actor="t")
        registry.create_module(session, key="BUD", vendor="Acme", actor="t")
    result = govern("module", "schedule", "BUD", "0 0 31 2 *")
    assert result.code == 2 and "never" in result.err and "Traceback" not in result.err


def test_one_bad_schedule_neither_stops_the_scheduler_nor_the_others(database) -> None:
    _modules(database)
    ran: list[int] = []
    loop = Scheduler(database, _runner(database, ran), clock=lambda: NOW)
    loop.tick()
    with database.session() as session:
        scans = session.exec(select(Scan)).all()
    assert [scan.trigger for scan in scans] == ["schedule"]
    assert ran == [scans[0].id]


class _Exploding(JobRunner):
    name = "exploding"

    def run(self, now: datetime) -> object:
        raise RuntimeError("boom")


def test_the_runner_owns_status_error_and_rescheduling() -> None:
    job = _Exploding(every=timedelta(minutes=5))
    outcome = job.execute(NOW)
    assert outcome.status is JobStatus.errored and outcome.error == "RuntimeError: boom"
    assert job.next_run == NOW + timedelta(minutes=5)
    assert not job.due(NOW + timedelta(minutes=4)) and job.due(NOW + timedelta(minutes=5))


def test_a_failing_job_does_not_stop_the_others(database) -> None:
    with database.session() as session:
        registry.create_vendor(session, name="Acme", actor="t")
        module = registry.create_module(session, key="RUN", vendor="Acme", actor="t")
        scan, _ = request_scan(session, module=module, trigger="manual", actor="t")
    ran: list[int] = []
    loop = Scheduler(database, _runner(database, ran), clock=lambda: NOW)
    loop.jobs.insert(0, _Exploding())
    outcomes = loop.tick()
    assert ran == [scan.id]
    assert {o.name: o.status for o in outcomes}["exploding"] is JobStatus.errored


def test_scheduler_once_reports_a_failing_job_in_one_line(govern, database) -> None:
    _modules(database)
    with database.session() as session:
        bad = session.exec(select(Module).where(Module.key == "OK")).one()
        bad.schedule = None
    result = govern("scheduler", "--once")
    assert "Traceback" not in result.err
    assert result.code == 0, result.err


def test_health_reflects_a_dead_scheduler(settings, database) -> None:
    loop = Scheduler(database, lambda scan_id: None, clock=lambda: NOW, interval=3600)
    app = create_app(settings, database=database, scheduler=loop)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 503  # not started yet
        thread = threading.Thread(target=loop.forever, daemon=True)
        thread.start()
        assert loop.started.wait(30)
        healthy = client.get("/healthz")
        assert healthy.status_code == 200 and healthy.json()["scheduler"] == "running"
        loop.stop.set()
        thread.join(30)
        dead = client.get("/healthz")
    assert dead.status_code == 503 and dead.json()["scheduler"] == "stopped"

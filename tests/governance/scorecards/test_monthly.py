"""The monthly report: the month's figures, stored once, fired by the scheduler on the 1st only once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pytest
from sqlmodel import func, select

from governance.audit.models import AuditEvent
from governance.errors import Conflict, InvalidInput, PermissionDenied
from governance.monthly import service as monthly
from governance.monthly.job import MonthlyReportJob
from governance.monthly.models import MonthlyReport
from governance.monthly.values import MonthlySummary, RenderedFile
from governance.registry.models import Module
from governance.registry.service import get_user
from governance.scheduling.loop import Scheduler
from governance.scorecards.periods import parse_month
from tests.governance.scorecards.world import World, at


class Renderer:
    """A stand-in for the reports layer (the CLI injects the real one): counts its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, summary: MonthlySummary, generated_at: datetime) -> Sequence[RenderedFile]:
        self.calls.append(summary.month)
        return [
            RenderedFile(
                "html", "en", f"{summary.month}.html", "text/html", f"<h1>{summary.month}</h1>".encode()
            )
        ]


def _generate(world: World, month: str, now: datetime) -> MonthlySummary:
    with world.database.session() as session:
        report = monthly.generate(
            session, period=parse_month(month), renderer=Renderer(), actor="test", now=now
        )
        assert report is not None
        return MonthlySummary.from_json(report.summary)


def test_november_figures(scorecard_world: World) -> None:
    october = _generate(scorecard_world, "2026-10", at("2026-11-01 00:05"))
    assert (october.scans, october.findings_new, october.findings_fixed) == (
        2,
        0,
        0,
    )  # S2, B2: all persisting
    assert (october.gate_to_fail, october.gate_to_pass) == ((), ())  # PAY failed before and after, BUD passed
    assert october.requirements_delivered == ("PAY-1",)
    assert (october.waivers_granted, october.waivers_expired, october.lines_change) == (1, 0, None)
    november = _generate(scorecard_world, "2026-11", at("2026-12-01 00:05"))
    assert (november.scans, november.findings_new, november.findings_fixed) == (1, 0, 6)  # S3 fixed six
    assert (november.gate_to_fail, november.gate_to_pass) == ((), ("PAY",))
    assert november.requirements_delivered == ("PAY-2",)
    assert (november.waivers_granted, november.waivers_expired) == (
        1,
        1,
    )  # granted 11-05; 10-22's expired 11-25
    with scorecard_world.database.session() as session:
        lines = session.exec(select(func.sum(Module.lines_of_code))).one()
    assert november.lines_of_code == lines and lines and november.lines_change == 0
    assert [(m.module, m.scans, m.gate_before, m.gate_after) for m in november.modules] == [
        ("BUD", 0, True, True),
        ("GAM", 0, None, None),
        ("PAY", 1, False, True),
    ]


def _reports(world: World) -> int:
    with world.database.session() as session:
        return int(session.exec(select(func.count()).select_from(MonthlyReport)).one())


def _generations(world: World) -> int:
    with world.database.session() as session:
        query = select(func.count()).where(AuditEvent.action == "report.monthly.generate")
        return int(session.exec(query).one())


def test_the_scheduler_fires_the_report_once_on_the_first(scorecard_world: World) -> None:
    renderer = Renderer()
    first, second = (
        Scheduler(
            scorecard_world.database,
            lambda _scan: None,
            extra_jobs=[MonthlyReportJob(scorecard_world.database, renderer)],
        )
        for _ in range(2)
    )
    first.tick(at("2026-11-30 23:50"))  # October's week of grace is over: nothing
    assert renderer.calls == [] and _reports(scorecard_world) == 0
    outcomes = first.tick(at("2026-12-01 00:00:30"))
    assert [o.result for o in outcomes if o.name == "monthly-report"] == ["2026-11"]
    second.tick(at("2026-12-01 00:01"))  # another scheduler, same minute
    first.tick(at("2026-12-01 03:00"))  # the same scheduler, later that day
    second.tick(at("2026-12-02 09:00"))
    assert renderer.calls == ["2026-11"]
    assert _reports(scorecard_world) == 1 and _generations(scorecard_world) == 1


def test_reading_and_generating_by_role(scorecard_world: World) -> None:
    with scorecard_world.database.session() as session:
        pm, auditor, vendor = (get_user(session, n) for n in ("pat", "aud", "acme-dev"))
        with pytest.raises(InvalidInput, match="not over"):
            monthly.generate_by_hand(
                session, user=pm, month="2026-12", renderer=Renderer(), now=at("2026-12-20 00:00")
            )
        with pytest.raises(PermissionDenied):
            monthly.generate_by_hand(
                session, user=auditor, month="2026-11", renderer=Renderer(), now=at("2026-12-02 00:00")
            )
        monthly.generate_by_hand(
            session, user=pm, month="2026-11", renderer=Renderer(), now=at("2026-12-02 00:00")
        )
        with pytest.raises(Conflict):
            monthly.generate_by_hand(
                session, user=pm, month="2026-11", renderer=Renderer(), now=at("2026-12-02 00:00")
            )
        assert [r.month for r, _files in monthly.list_reports(session, user=auditor)] == ["2026-11"]
        document = monthly.download(session, user=auditor, month="2026-11", fmt="html", lang="en", via="test")
        assert document.content == b"<h1>2026-11</h1>"
        with pytest.raises(PermissionDenied):
            monthly.list_reports(session, user=vendor)
        with pytest.raises(PermissionDenied):
            monthly.download(session, user=vendor, month="2026-11", fmt="json", lang="und", via="test")
        downloads = session.exec(
            select(AuditEvent).where(AuditEvent.action == "report.monthly.download")
        ).all()
    assert [(e.actor, e.data["format"]) for e in downloads] == [("aud", "html")]


def test_a_generator_that_loses_the_race_is_told_the_report_exists(
    scorecard_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PM generating by hand while a scheduler inserts the month: a Conflict, not a database error."""
    with scorecard_world.database.session() as session:
        pm = get_user(session, "pat")
        monthly.generate_by_hand(
            session, user=pm, month="2026-11", renderer=Renderer(), now=at("2026-12-02 00:00")
        )
    monkeypatch.setattr(monthly, "find_report", lambda _session, _month: None)  # the look misses the winner
    with scorecard_world.database.session() as session:
        pm = get_user(session, "pat")
        with pytest.raises(Conflict, match="exists already"):
            monthly.generate_by_hand(
                session, user=pm, month="2026-11", renderer=Renderer(), now=at("2026-12-02 00:05")
            )
        assert get_user(session, "pat").name == "pat"  # the transaction is still usable
    assert _reports(scorecard_world) == 1 and _generations(scorecard_world) == 1

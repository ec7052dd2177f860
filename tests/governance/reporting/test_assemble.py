"""Report values with the reader's scope: vendors see only their own data, in every format."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.errors import NotFound
from governance.registry import service as registry
from governance.registry.models import User
from governance.reporting import findings as reporting_findings
from governance.reporting.assemble import build_report, record_download
from governance.reporting.values import PortfolioReport
from reports.documents import FORMATS, write_report
from tests.governance.reporting.world import BETA_MARKS, readable_text, scoped_world


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_hasher", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1))


@pytest.fixture
def world(database):  # type: ignore[no-untyped-def]
    return scoped_world(database)


def _user(session, name: str) -> User:  # type: ignore[no-untyped-def]
    return session.exec(select(User).where(User.name == name)).one()


def _subjects(world) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [("scan", str(world.scans["BETA"][-1].id)), ("module", "BETA"), ("vendor", "Beta Systems")]


def test_a_vendor_cannot_reach_another_vendors_reports(database, world) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        vendor = _user(session, "vendor_a")
        for kind, subject in _subjects(world):
            with pytest.raises(NotFound) as hidden:
                build_report(session, factory=database.session, user=vendor, kind=kind, subject=subject)
            with pytest.raises(NotFound) as typo:
                build_report(session, factory=database.session, user=vendor, kind=kind, subject=subject + "9")
            assert str(hidden.value).replace(subject, "X") == str(typo.value).replace(subject + "9", "X")


@pytest.mark.parametrize("kind", ["portfolio", "vendor", "module", "scan"])
def test_a_vendors_documents_hold_nothing_of_another_vendor(database, world, kind: str) -> None:  # type: ignore[no-untyped-def]
    subject = {
        "portfolio": None,
        "vendor": "Acme Soft",
        "module": "ACME",
        "scan": str(world.scans["ACME"][-1].id),
    }
    with database.session() as session:
        vendor = _user(session, "vendor_a")
        report = build_report(
            session, factory=database.session, user=vendor, kind=kind, subject=subject[kind]
        )
        for fmt in FORMATS:
            out = io.BytesIO()
            write_report(report, fmt, out, lang="en")
            text = readable_text(fmt, out.getvalue())
            assert "ACME" in text, fmt
            leaked = [mark for mark in BETA_MARKS if mark in text]
            assert not leaked, (fmt, leaked)


def test_a_vendors_portfolio_figures_count_only_its_own_modules(database, world) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        mine = build_report(
            session, factory=database.session, user=_user(session, "vendor_a"), kind="portfolio"
        )
        everything = build_report(
            session, factory=database.session, user=_user(session, "auditor"), kind="portfolio"
        )
    assert isinstance(mine, PortfolioReport) and isinstance(everything, PortfolioReport)
    assert [line.module for line in mine.modules] == ["ACME"] and mine.vendors == ("Acme Soft",)
    assert [line.module for line in everything.modules] == ["ACME", "BETA"]
    acme = everything.modules[0].latest
    assert acme is not None and sum(mine.severities.values()) == sum(acme.severities.values())
    assert sum(everything.severities.values()) > sum(mine.severities.values())
    assert {w.module for w in mine.waivers} == {"ACME"} and {f.module for f in mine.top} == {"ACME"}
    assert {f.module for f in mine.findings} == {"ACME"}
    assert mine.findings.count == sum(1 for _ in mine.findings) < everything.findings.count
    assert mine.meta.scope == "vendor:Acme Soft" and everything.meta.scope == "all"


def test_waived_findings_carry_their_waiver(database, world) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        report = build_report(
            session, factory=database.session, user=_user(session, "pm"), kind="module", subject="ACME"
        )
    waived = [f for f in report.latest.findings if f.waived]  # type: ignore[union-attr]
    assert len(waived) == 1
    assert (waived[0].waiver_kind, waived[0].waiver_by, waived[0].waiver_reason) == (
        "false_positive",
        "pm",
        "acme test fixture, not a secret",
    )
    assert [c.id for c in report.latest.scan.verdict.conditions] == ["overall.failed_rules.blocker"]  # type: ignore[union-attr]


def test_findings_stream_in_batches(database, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reporting_findings, "STREAM_BATCH", 7)
    with database.session() as session:
        report = build_report(
            session, factory=database.session, user=_user(session, "admin"), kind="portfolio"
        )
    rows = list(report.findings)
    assert len(rows) == report.findings.count == 120
    assert len({(r.module, r.fingerprint) for r in rows}) == 120


def test_every_document_is_an_audit_event(database, world) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        vendor = _user(session, "vendor_a")
        report = build_report(session, factory=database.session, user=vendor, kind="portfolio")
        record_download(session, user=vendor, report=report, fmt="pdf", lang="zh-CN")
    with database.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "report.download")).one()
    assert event.actor == "vendor_a" and event.target_id == "portfolio:portfolio"
    assert event.data == {"kind": "portfolio", "format": "pdf", "lang": "zh-CN", "modules": ["ACME"]}


def test_scan_figures_agree_with_the_findings_they_count(database, world) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        report = build_report(session, factory=database.session, user=_user(session, "pm"), kind="portfolio")
    assert isinstance(report, PortfolioReport)
    rows = list(report.findings)
    for line in report.modules:
        summary, mine = line.latest, [r for r in rows if r.module == line.module]
        assert summary is not None and {r.state for r in mine} >= {"fixed", "new"}
        opened = Counter(r.severity for r in mine if r.state != "fixed" and not r.waived)
        assert dict(summary.severities) == dict(opened)
        assert (summary.findings, summary.waived) == (len(mine), 1)

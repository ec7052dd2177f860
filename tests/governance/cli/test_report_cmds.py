"""`govern report …`: documents written as a user, scoped, audited; user errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from pypdf import PdfReader
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.registry import service as registry
from reports.render import sarif
from tests.governance.reporting.world import BETA_MARKS, readable_text, scoped_world


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_hasher", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1))


@pytest.fixture
def world(database):  # type: ignore[no-untyped-def]
    return scoped_world(database)


def test_scan_report_as_sarif(govern, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "scan.sarif"
    scan_id = str(world.scans["ACME"][-1].id)
    result = govern("report", "scan", scan_id, "--format", "sarif", "--output", str(out), "--as", "auditor")
    assert result.code == 0, result.err
    log = json.loads(out.read_text(encoding="utf-8"))
    assert sarif.problems(log) == []
    assert len(log["runs"][0]["results"]) == 60


def test_portfolio_pdf_in_chinese_as_a_vendor(govern, world, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GOVERN_USER", "vendor_a")
    out = tmp_path / "deep" / "portfolio.pdf"
    result = govern("report", "portfolio", "-f", "pdf", "-o", str(out), "--lang", "zh-CN")
    assert result.code == 0, result.err
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "总体报告" in text and "ACME" in text
    assert not [mark for mark in BETA_MARKS if mark in text]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("vendor", "Beta Systems"), "unknown vendor"),
        (("module", "BETA"), "unknown module"),
        (("scan", "{beta_scan}"), "unknown scan"),
    ],
)
def test_a_vendor_asking_for_another_vendor_gets_not_found(  # type: ignore[no-untyped-def]
    govern, world, tmp_path: Path, args, message
) -> None:
    out = tmp_path / "out" / "x.html"
    args = tuple(a.format(beta_scan=world.scans["BETA"][-1].id) for a in args)
    result = govern("report", *args, "-o", str(out), "--as", "vendor_a")
    assert result.code == 2 and message in result.err
    assert not out.parent.exists() or not list(out.parent.iterdir())


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--format", "docx", "--as", "pm"), "unknown format"),
        (("--lang", "fr", "--as", "pm"), "unknown language"),
        (("--format", "csv", "--table", "nope", "--as", "pm"), "unknown table"),
        ((), "say who acts"),
        (("--as", "nobody"), "unknown user"),
    ],
)
def test_user_errors_exit_2_and_write_nothing(govern, world, tmp_path: Path, extra, message) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out" / "x.out"
    result = govern("report", "module", "ACME", "-o", str(out), *extra)
    assert result.code == 2, result.out
    assert message in result.err
    assert not out.parent.exists() or not list(out.parent.iterdir())


def test_each_document_is_audited(govern, database, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("csv", "xlsx"):
        result = govern(
            "report", "vendor", "Acme Soft", "-f", fmt, "-o", str(tmp_path / f"v.{fmt}"), "--as", "pm"
        )
        assert result.code == 0, result.err
    with database.session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "report.download")).all()
    assert [(e.actor, e.data["format"], e.data["modules"]) for e in events] == [
        ("pm", "csv", ["ACME"]),
        ("pm", "xlsx", ["ACME"]),
    ]
    assert "ACME" in readable_text("xlsx", (tmp_path / "v.xlsx").read_bytes())

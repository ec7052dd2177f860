"""`govern report scorecard` and `govern report monthly`: documents, scope probes, audit events."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from governance.audit.models import AuditEvent
from tests.governance.scorecards.world import NOW, World


@dataclass
class Ran:
    code: int
    out: str
    err: str


@pytest.fixture
def govern(scorecard_world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    from governance.cli.app import main

    monkeypatch.setenv("GOVERN_DATA_DIR", str(scorecard_world.settings.data_dir))
    monkeypatch.delenv("GOVERN_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr("governance.cli.report_scorecards.utcnow", lambda: NOW)  # the CLI's clock

    def run(*args: str) -> Ran:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


def _events(world: World, action: str) -> list[AuditEvent]:
    with world.database.session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_a_vendor_gets_its_own_card_only(govern, scorecard_world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "acme.json"
    ran = govern(
        "report",
        "scorecard",
        "--quarter",
        "2026Q4",
        "--format",
        "json",
        "--output",
        str(out),
        "--as",
        "acme-dev",
    )
    assert ran.code == 0, ran.err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [(c["vendor"], c["standing"]["rank"]) for c in document["cards"]] == [("Acme Soft", 2)]
    assert document["vendor_count"] == 3
    assert "Beta" not in out.read_text(encoding="utf-8") and "Gamma" not in out.read_text(encoding="utf-8")
    refused = tmp_path / "beta.json"
    ran = govern("report", "scorecard", "--quarter", "2026Q4", "--vendor", "Beta Tech", "--format", "json",
                 "--output", str(refused), "--as", "acme-dev")  # fmt: skip
    assert (ran.code, refused.exists()) == (2, False) and "unknown vendor 'Beta Tech'" in ran.err
    assert [
        (e.actor, e.target_id, e.data["vendors"]) for e in _events(scorecard_world, "report.scorecard")
    ] == [("acme-dev", "2026Q4", ["Acme Soft"])]


def test_xlsx_for_the_pm_reads_back(govern, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "q4.xlsx"
    ran = govern(
        "report", "scorecard", "--quarter", "2026Q4", "--format", "xlsx", "--output", str(out), "--as", "pat"
    )
    assert ran.code == 0, ran.err
    book = load_workbook(io.BytesIO(out.read_bytes()), read_only=True)
    ranking = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    header = ranking[0]
    rows = {row[header.index("Vendor")]: row for row in ranking[1:]}
    assert rows["Beta Tech"][header.index("Rank")] == 1 and rows["Acme Soft"][header.index("Rank")] == 2
    assert rows["Gamma Data"][header.index("Rank")] == "n/a"
    assert rows["Beta Tech"][header.index("SLA adherence %")] == "n/a"
    assert rows["Acme Soft"][header.index("Push refusals")] == 2
    assert rows["Acme Soft"][header.index("Findings fixed")] == 6


def test_pdf_in_chinese(govern, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "q4.pdf"
    ran = govern("report", "scorecard", "--quarter", "2026Q4", "--format", "pdf", "--lang", "zh-CN",
                 "--output", str(out), "--as", "aud")  # fmt: skip
    assert ran.code == 0, ran.err
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    for expected in ("供应商季度评分卡", "综合分", "门禁通过率", "Beta Tech", "Acme Soft", "不适用"):
        assert expected in text, expected


def test_monthly_report_from_the_cli(govern, scorecard_world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert govern("report", "monthly", "list", "--as", "acme-dev").code == 2
    out = tmp_path / "nov.xlsx"
    refused = govern(
        "report", "monthly", "--month", "2026-11", "--format", "xlsx", "--output", str(out), "--as", "aud"
    )
    assert refused.code == 2 and "no monthly report for 2026-11" in refused.err  # auditors change nothing
    ran = govern(
        "report", "monthly", "--month", "2026-11", "--format", "xlsx", "--output", str(out), "--as", "pat"
    )
    assert ran.code == 0, ran.err
    book = load_workbook(io.BytesIO(out.read_bytes()), read_only=True)
    totals = {row[0]: row[-1] for row in list(book["2026-11"].iter_rows(values_only=True))[1:]}
    assert (totals["Scans"], totals["Fixed findings"], totals["Gate fail → pass"]) == (1, 6, "PAY")
    pdf = tmp_path / "nov.pdf"
    ran = govern(
        "report",
        "monthly",
        "--month",
        "2026-11",
        "--format",
        "pdf",
        "--lang",
        "zh-CN",
        "--output",
        str(pdf),
        "--as",
        "aud",
    )
    assert ran.code == 0, ran.err
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "月度治理报告" in text and "PAY-2" in text
    listed = govern("report", "monthly", "list", "--as", "aud")
    assert listed.code == 0 and "2026-11" in listed.out and "pdf:zh-CN" in listed.out
    assert len(_events(scorecard_world, "report.monthly.generate")) == 1
    assert [(e.actor, e.data["format"]) for e in _events(scorecard_world, "report.monthly.download")] == [
        ("pat", "xlsx"),
        ("aud", "pdf"),
    ]

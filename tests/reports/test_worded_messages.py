"""A finding Govern worded itself reads in the document's language (HTML, PDF, XLSX); CSV,
JSON and SARIF keep the stored English; a secret's masked message stays masked.

A real scan of the payments fixture (no licence, a hard-coded password, an SQL string) makes
repository-check findings with a stored wording, and a secret finding without one.
"""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from governance.registry.models import Role, User
from governance.reporting.assemble import build_report
from governance.reporting.values import Report
from governance.scans.models import Finding
from reports.documents import Format, write_report
from reports.render.i18n import Lang, translations
from scanners.wording import Wording
from tests.governance.scans.conftest import pay_module, scan_now, vendor_repo

__all__ = ["pay_module", "scan_now", "vendor_repo"]  # fixtures shared with the scans tests

pytestmark = pytest.mark.slow

SECRET = "hunter2-secret"


@pytest.fixture
def scanned(database, pay_module, scan_now) -> tuple[int, list[Finding]]:  # type: ignore[no-untyped-def]
    """One scan of the fixture module and its findings (as stored)."""
    scan = scan_now(pay_module)
    with database.session() as session:
        session.add(User(name="auditor", role=Role.auditor))
        session.commit()
        rows = list(session.exec(select(Finding).where(Finding.scan_id == scan.id)).all())
    assert scan.id is not None
    return scan.id, rows


def _document(database, scan_id: int, fmt: Format, lang: Lang) -> str:  # type: ignore[no-untyped-def]
    with database.session() as session:
        user = session.exec(select(User).where(User.name == "auditor")).one()
        report: Report = build_report(
            session, factory=database.session, user=user, kind="scan", subject=str(scan_id)
        )
        out = io.BytesIO()
        write_report(report, fmt, out, lang=lang)
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(out.getvalue()), read_only=True)
        cells = [list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
        return json.dumps(cells, ensure_ascii=False, default=str)
    return out.getvalue().decode("utf-8")


def _worded(rows: list[Finding]) -> list[tuple[str, str]]:
    """(English, Chinese) of each worded finding whose Chinese differs from its English."""
    chinese = translations("zh-CN").gettext
    pairs = []
    for row in rows:
        wording = Wording.from_json(row.message_wording)
        if wording is not None and wording.shown(chinese) != row.message:
            pairs.append((row.message, wording.shown(chinese)))
    return pairs


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_a_chinese_document_shows_the_wording_in_chinese(database, scanned, fmt: Format) -> None:  # type: ignore[no-untyped-def]
    scan_id, rows = scanned
    pairs = _worded(rows)
    assert pairs, "the fixture scan should make at least one worded finding"
    chinese = _document(database, scan_id, fmt, "zh-CN")
    english = _document(database, scan_id, fmt, "en")
    for message, translated in pairs:
        shown = translated if fmt == "xlsx" else translated.replace("'", "&#39;").replace('"', "&#34;")
        assert shown in chinese and message not in chinese
        assert message in english or message.replace("'", "&#39;").replace('"', "&#34;") in english
        assert shown not in english


@pytest.mark.parametrize("fmt", ["csv", "json", "sarif"])
def test_machine_exports_keep_the_english_message(database, scanned, fmt: Format) -> None:  # type: ignore[no-untyped-def]
    scan_id, rows = scanned
    pairs = _worded(rows)
    assert pairs
    text = _document(database, scan_id, fmt, "zh-CN")
    for message, translated in pairs:
        assert json.dumps(message, ensure_ascii=False)[1:-1] in text or message in text
        assert translated not in text
    assert "message_wording" not in text


@pytest.mark.parametrize(("fmt", "lang"), [("html", "zh-CN"), ("xlsx", "zh-CN"), ("html", "en")])
def test_a_secret_stays_masked(database, scanned, fmt: Format, lang: Lang) -> None:  # type: ignore[no-untyped-def]
    scan_id, rows = scanned
    assert SECRET not in " ".join(row.message for row in rows)
    assert SECRET not in _document(database, scan_id, fmt, lang)

"""Every format of a fixed small world, compared with goldens under ``tests/reports/goldens``.

Text formats are compared byte for byte; a PDF through the text pypdf extracts, a workbook
through its cells read back with openpyxl. Regenerate after an intended change with
``GOVERN_UPDATE_GOLDENS=1 pytest tests/reports/test_goldens.py`` and read the diff.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from governance.reporting.values import Report
from reports.documents import Format, write_report
from reports.render.i18n import Lang
from tests.reports.world import portfolio_report, scan_report

GOLDENS = Path(__file__).with_name("goldens")
CASES: list[tuple[str, Format, Lang, str | None]] = [
    *[("scan", fmt, "en", None) for fmt in ("html", "pdf", "csv", "xlsx", "json", "sarif")],
    ("scan", "csv", "en", "conditions"),
    ("portfolio", "html", "zh-CN", None),
    ("portfolio", "pdf", "zh-CN", None),
    ("portfolio", "csv", "zh-CN", "modules"),
    ("portfolio", "xlsx", "zh-CN", None),
    ("portfolio", "json", "zh-CN", None),
    ("portfolio", "sarif", "zh-CN", None),
]


def _report(kind: str) -> Report:
    return scan_report() if kind == "scan" else portfolio_report()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(" ".join((page.extract_text() or "").split()) for page in reader.pages) + "\n"


def xlsx_cells(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    sheets = {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets
    }
    return json.dumps(sheets, ensure_ascii=False, indent=1, default=str) + "\n"


def comparable(fmt: Format, data: bytes) -> str:
    if fmt == "pdf":
        return pdf_text(data)
    if fmt == "xlsx":
        return xlsx_cells(data)
    return data.decode("utf-8")


@pytest.mark.parametrize(("kind", "fmt", "lang", "table"), CASES)
def test_golden(kind: str, fmt: Format, lang: Lang, table: str | None) -> None:
    out = io.BytesIO()
    write_report(_report(kind), fmt, out, lang=lang, table=table)
    actual = comparable(fmt, out.getvalue())
    suffix = {"pdf": "pdf.txt", "xlsx": "xlsx.json"}.get(fmt, fmt)
    golden = GOLDENS / f"{kind}-{lang}{'-' + table if table else ''}.{suffix}"
    if os.environ.get("GOVERN_UPDATE_GOLDENS") or not golden.exists():
        golden.write_text(actual, encoding="utf-8", newline="")
    assert actual == golden.read_bytes().decode("utf-8")
